import { z } from 'zod';
import type { Limits } from '../config.ts';
import type { Db } from '../db/database.ts';
import { withinLimit } from '../limits/limits.service.ts';
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
 * invalid input is an `invalid_input` DomainError whose details list the fields. Anybody may report
 * without an account, so reports are limited per client address (5 an hour by default) and per place
 * (30 a day): beyond, nothing is stored and the answer says which limit was reached.
 */
export async function reportPlaceError(
  db: Db,
  placeId: string,
  input: { message?: unknown; contact?: unknown },
  opts: { client: string; limits: Limits; now?: Date },
): Promise<{ ok: true; id: string } | { ok: false; reason: 'too_many_from_client' | 'too_many_for_place' }> {
  const place = await getPlace(db, placeId);
  const checked = checkErrorReport(input);
  if (!checked.ok)
    throw new DomainError('invalid_input', 'Le signalement est incomplet.', { issues: checked.issues });
  const now = opts.now ?? new Date();
  const fromClient = { minutes: 60, now, max: opts.limits.errorReportsPerAddressPerHour };
  if (!(await withinLimit(db, `error_report:client:${opts.client}`, fromClient)))
    return { ok: false, reason: 'too_many_from_client' };
  const forPlace = { minutes: 24 * 60, now, max: opts.limits.errorReportsPerPlacePerDay };
  if (!(await withinLimit(db, `error_report:place:${place.id}`, forPlace)))
    return { ok: false, reason: 'too_many_for_place' };
  const id = await insertErrorReport(db, { place_id: place.id, ...checked.value });
  return { ok: true, id };
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
