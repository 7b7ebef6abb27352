import { z } from 'zod';
import type { Db } from '../db/database.ts';
import { DomainError } from '../shared/domain-error.ts';
import { type ErrorReportRow, insertErrorReport, listErrorReports } from './error-reports.repository.ts';
import { getPlace } from './places.service.ts';

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

export interface ErrorReport {
  id: string;
  placeId: string;
  message: string;
  contact: string | null;
  createdAt: Date;
  status: ErrorReportRow['status'];
}

/** Problems of a report form, by field, as codes the page turns into words. */
export type ErrorReportIssue = { field: 'message' | 'contact'; code: string };

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

/**
 * Stores a report about a place for the moderation queue. The place must exist (not_found otherwise);
 * invalid input is an `invalid_input` DomainError whose details list the fields.
 */
export async function reportPlaceError(
  db: Db,
  placeId: string,
  input: { message?: unknown; contact?: unknown },
): Promise<{ id: string }> {
  const place = await getPlace(db, placeId);
  const checked = checkErrorReport(input);
  if (!checked.ok)
    throw new DomainError('invalid_input', 'Le signalement est incomplet.', { issues: checked.issues });
  const id = await insertErrorReport(db, { place_id: place.id, ...checked.value });
  return { id };
}

/** The moderation queue: reports of a status, oldest first. */
export async function listPlaceErrorReports(
  db: Db,
  status: ErrorReport['status'] = 'new',
): Promise<ErrorReport[]> {
  return (await listErrorReports(db, status)).map((r) => ({
    id: r.id,
    placeId: r.place_id,
    message: r.message,
    contact: r.contact,
    createdAt: r.created_at,
    status: r.status,
  }));
}
