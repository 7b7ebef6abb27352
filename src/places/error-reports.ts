import { z } from 'zod';

/**
 * "Signaler une erreur": anybody, without an account, tells the network that a place's sheet is wrong.
 * Minimal data: what is wrong (≤ 2000 characters) and, only if the person wants, a way to reach them
 * (≤ 200). Reports wait, status `new`, in the coordinator's moderation queue.
 */
export const errorReportSchema = z.object({
  message: z.string().trim().min(1, { error: 'message_missing' }).max(2000, { error: 'message_too_long' }),
  contact: z
    .string()
    .trim()
    .max(200, { error: 'contact_too_long' })
    .transform((v) => (v === '' ? null : v)),
});

export type ErrorReportInput = z.input<typeof errorReportSchema>;

/** Problems of a report form, by field, as codes the page turns into words. */
export type ErrorReportIssue = { field: 'message' | 'contact'; code: string };

/**
 * The report form checked: what is wrong (required, 2000 characters at most) and the optional contact
 * (200 at most), or the problems by field. Pure, so that the page checks the form before any service.
 */
export function checkErrorReport(input: {
  message?: unknown;
  contact?: unknown;
}):
  | { ok: true; value: { message: string; contact: string | null } }
  | { ok: false; issues: ErrorReportIssue[] } {
  const parsed = errorReportSchema.safeParse({
    message: typeof input.message === 'string' ? input.message : '',
    contact: typeof input.contact === 'string' ? input.contact : '',
  });
  if (parsed.success) return { ok: true, value: parsed.data };
  return {
    ok: false,
    issues: parsed.error.issues.map((i) => ({
      field: i.path[0] === 'contact' ? 'contact' : 'message',
      code: i.message,
    })),
  };
}
