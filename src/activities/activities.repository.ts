import { type Insertable, type Kysely, type Selectable, sql, type Transaction } from 'kysely';
import type {
  ActivityParticipantsTable,
  ActivityTable,
  CoordinationActivityTable,
} from '../db/activity-rows.ts';
import type { Database } from '../db/database.ts';
import type { ParticipantCounts } from './activities.ts';
import { AGE_BAND_LABELS, GENDER_LABELS, keysOf, SOCIAL_STATUS_LABELS } from './vocabulary.ts';

/** SQL of activity records (decision 0038): the only file that names the activity tables. */

type Executor = Kysely<Database> | Transaction<Database>;
export type ActivityRow = Selectable<ActivityTable>;
export type ParticipantsRow = Selectable<ActivityParticipantsTable>;
export type CoordinationActivityRow = Selectable<CoordinationActivityTable>;

export async function insertActivity(db: Executor, row: Insertable<ActivityTable>): Promise<string> {
  const r = await db.insertInto('activity').values(row).returning('id').executeTakeFirstOrThrow();
  return r.id;
}

/** A record's anonymous counts as the table's columns: `gender_feminin`, `age_soixante_dix_plus`… */
export function participantsRow(
  activityId: string,
  p: ParticipantCounts,
): Insertable<ActivityParticipantsTable> {
  const row: Record<string, number | string> = {
    activity_id: activityId,
    total: p.total,
    already_accompanied: p.alreadyAccompanied,
  };
  for (const k of keysOf(GENDER_LABELS)) row[`gender_${k}`] = p.gender[k];
  for (const k of keysOf(AGE_BAND_LABELS)) row[`age_${k}`] = p.ageBand[k];
  for (const k of keysOf(SOCIAL_STATUS_LABELS)) row[`status_${k}`] = p.socialStatus[k];
  return row as unknown as Insertable<ActivityParticipantsTable>;
}

export async function insertParticipants(
  db: Executor,
  row: Insertable<ActivityParticipantsTable>,
): Promise<void> {
  await db.insertInto('activity_participants').values(row).execute();
}

export async function findActivity(db: Executor, id: string): Promise<ActivityRow | undefined> {
  return db.selectFrom('activity').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function findParticipants(
  db: Executor,
  activityId: string,
): Promise<ParticipantsRow | undefined> {
  return db
    .selectFrom('activity_participants')
    .selectAll()
    .where('activity_id', '=', activityId)
    .executeTakeFirst();
}

export interface ActivityListRow extends ActivityRow {
  /** Anonymous participants (0 when none are counted). */
  participants_total: number;
}

/**
 * A structure's records, the latest day first (then the latest written), between two days included
 * when given, at most `limit` of them.
 */
export async function listActivitiesOf(
  db: Executor,
  structureId: string,
  range: {
    from: string | null;
    to: string | null;
    limit: number;
    kind?: ActivityRow['kind'] | null;
    offset?: number;
  },
): Promise<ActivityListRow[]> {
  let q = db
    .selectFrom('activity')
    .leftJoin('activity_participants', 'activity_participants.activity_id', 'activity.id')
    .selectAll('activity')
    .select((eb) => eb.fn.coalesce('activity_participants.total', eb.lit(0)).as('participants_total'))
    .where('activity.structure_id', '=', structureId);
  if (range.from) q = q.where('activity.date', '>=', range.from);
  if (range.to) q = q.where('activity.date', '<=', range.to);
  if (range.kind) q = q.where('activity.kind', '=', range.kind);
  return q
    .orderBy('activity.date', 'desc')
    .orderBy('activity.created_at', 'desc')
    .orderBy('activity.id')
    .limit(range.limit)
    .offset(range.offset ?? 0)
    .execute();
}

/** The last record a person wrote for a structure (by when it was written), or undefined. */
export async function findLastActivityBy(
  db: Executor,
  authorId: string,
  structureId: string,
): Promise<ActivityRow | undefined> {
  return db
    .selectFrom('activity')
    .selectAll()
    .where('author_id', '=', authorId)
    .where('structure_id', '=', structureId)
    .where('source', '=', 'maillage')
    .orderBy('created_at', 'desc')
    .orderBy('id', 'desc')
    .limit(1)
    .executeTakeFirst();
}

export async function countActivitiesOf(db: Executor, structureId: string): Promise<number> {
  const r = await db
    .selectFrom('activity')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('structure_id', '=', structureId)
    .executeTakeFirstOrThrow();
  return Number(r.n);
}

/** The structures' records dated from a day on ('YYYY-MM-DD'), by structure. */
export async function countActivitiesSince(
  db: Executor,
  structureIds: readonly string[],
  from: string,
): Promise<Map<string, number>> {
  if (structureIds.length === 0) return new Map();
  const rows = await db
    .selectFrom('activity')
    .select(['structure_id', (eb) => eb.fn.countAll<number>().as('n')])
    .where('structure_id', 'in', [...structureIds])
    .where('date', '>=', from)
    .groupBy('structure_id')
    .execute();
  return new Map(rows.map((r) => [r.structure_id, Number(r.n)]));
}

/** How many coordination activities the network recorded since a day (the coordinators' home block). */
export async function countCoordinationActivitiesSince(db: Executor, from: string): Promise<number> {
  const row = await db
    .selectFrom('coordination_activity')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('date', '>=', from)
    .executeTakeFirst();
  return Number(row?.n ?? 0);
}

/** The record linked to a pass numérique redemption (one at most: unique index), if any. */
export async function findActivityIdByVoucherEntry(
  db: Executor,
  voucherEntryId: number,
): Promise<string | undefined> {
  const r = await db
    .selectFrom('activity')
    .select('id')
    .where('voucher_entry_id', '=', voucherEntryId)
    .executeTakeFirst();
  return r?.id;
}

/** The record of a workshop on a day (the agenda's date recorded), if any. */
export async function findActivityIdByWorkshopDay(
  db: Executor,
  workshopId: string,
  date: string,
): Promise<string | undefined> {
  const r = await db
    .selectFrom('activity')
    .select('id')
    .where('workshop_id', '=', workshopId)
    .where('date', '=', date)
    .orderBy('created_at')
    .executeTakeFirst();
  return r?.id;
}

/**
 * Holds, until the transaction ends, the right to record a workshop's day: two pages sent at once for
 * the same date queue here, and the second sees the first's record (no unique index says "one record
 * per date": the activity keeps the workshop, not the date).
 */
export async function lockWorkshopDay(db: Executor, workshopId: string, date: string): Promise<void> {
  await sql`select pg_advisory_xact_lock(hashtextextended(${`activity-workshop:${workshopId}:${date}`}, 0))`.execute(
    db,
  );
}

// Coordination activities

export async function insertCoordinationActivity(
  db: Executor,
  row: Insertable<CoordinationActivityTable>,
): Promise<string> {
  const r = await db
    .insertInto('coordination_activity')
    .values(row)
    .returning('id')
    .executeTakeFirstOrThrow();
  return r.id;
}

export async function listCoordinationActivityRows(
  db: Executor,
  range: { from: string | null; to: string | null; limit: number },
): Promise<CoordinationActivityRow[]> {
  let q = db.selectFrom('coordination_activity').selectAll();
  if (range.from) q = q.where('date', '>=', range.from);
  if (range.to) q = q.where('date', '<=', range.to);
  return q.orderBy('date', 'desc').orderBy('created_at', 'desc').orderBy('id').limit(range.limit).execute();
}

/** The database refusing a row: the unique index or foreign key it names, or null for another error. */
export function refusedBy(error: unknown): { kind: 'unique' | 'foreign_key'; constraint: string } | null {
  const e = error as { code?: unknown; constraint?: unknown } | null;
  const constraint = typeof e?.constraint === 'string' ? e.constraint : 'unknown';
  if (e?.code === '23505') return { kind: 'unique', constraint };
  if (e?.code === '23503') return { kind: 'foreign_key', constraint };
  return null;
}
