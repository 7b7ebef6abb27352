import { type Actor, authorize } from '../accounts/policy.ts';
import type { Limits } from '../config.ts';
import type { Db } from '../db/database.ts';
import { withinLimit } from '../limits/limits.service.ts';
import { DomainError } from '../shared/domain-error.ts';
import { type ErrorReportRow, insertErrorReport, listErrorReports } from './error-reports.repository.ts';
import { checkErrorReport } from './error-reports.ts';
import { getPlace } from './places.service.ts';

export interface ErrorReport {
  id: string;
  placeId: string;
  message: string;
  contact: string | null;
  createdAt: Date;
  status: ErrorReportRow['status'];
}

/**
 * Stores a report about a place for the moderation queue. The place must exist (not_found otherwise);
 * invalid input is an `invalid_input` DomainError whose details list the fields. Anybody may report
 * without an account, so reports are limited per client address (5 an hour by default) and per place
 * (30 a day): beyond, nothing is stored and the answer says which limit was reached.
 */
export async function reportPlaceError(
  db: Db,
  actor: Actor,
  input: { placeId: string; message?: unknown; contact?: unknown },
  opts: { client: string; limits: Limits; now?: Date },
): Promise<{ ok: true; id: string } | { ok: false; reason: 'too_many_from_client' | 'too_many_for_place' }> {
  authorize(actor, 'reportPlaceError');
  const place = await getPlace(db, actor, { placeId: input.placeId });
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
