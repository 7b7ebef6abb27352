import { type Insertable, type Selectable, sql, type Transaction } from 'kysely';
import type { Database, Db } from '../db/database.ts';
import type {
  WorkshopOccurrenceTable,
  WorkshopRegistrationTable,
  WorkshopTable,
} from '../db/workshop-rows.ts';

/** SQL of the agenda (tables workshop, workshop_occurrence, workshop_registration; migration 0025). */

type Executor = Db | Transaction<Database>;
export type WorkshopRow = Selectable<WorkshopTable>;
export type OccurrenceRow = Selectable<WorkshopOccurrenceTable>;
export type RegistrationRow = Selectable<WorkshopRegistrationTable>;

// ---------------------------------------------------------------------------------------------------
// Workshops and dates.
// ---------------------------------------------------------------------------------------------------

export async function insertWorkshop(db: Executor, row: Insertable<WorkshopTable>): Promise<WorkshopRow> {
  return db.insertInto('workshop').values(row).returningAll().executeTakeFirstOrThrow();
}

export async function findWorkshop(db: Executor, id: string): Promise<WorkshopRow | undefined> {
  return db.selectFrom('workshop').selectAll().where('id', '=', id).executeTakeFirst();
}

/** The workshop, its row locked until the transaction ends (changes to it and to its dates queue). */
export async function lockWorkshop(db: Executor, id: string): Promise<WorkshopRow | undefined> {
  return db.selectFrom('workshop').selectAll().where('id', '=', id).forUpdate().executeTakeFirst();
}

/** Changes a workshop and raises its iCal sequence. */
export async function updateWorkshopRow(
  db: Executor,
  id: string,
  set: Partial<Omit<Insertable<WorkshopTable>, 'id' | 'structure_id' | 'sequence'>>,
  now: Date,
): Promise<WorkshopRow> {
  return db
    .updateTable('workshop')
    .set({ ...set, sequence: sql<number>`sequence + 1`, updated_at: now })
    .where('id', '=', id)
    .returningAll()
    .executeTakeFirstOrThrow();
}

export async function insertOccurrences(
  db: Executor,
  rows: readonly Insertable<WorkshopOccurrenceTable>[],
): Promise<OccurrenceRow[]> {
  if (rows.length === 0) return [];
  return db
    .insertInto('workshop_occurrence')
    .values([...rows])
    .returningAll()
    .execute();
}

export async function listOccurrencesOf(
  db: Executor,
  workshopIds: readonly string[],
): Promise<OccurrenceRow[]> {
  if (workshopIds.length === 0) return [];
  return db
    .selectFrom('workshop_occurrence')
    .selectAll()
    .where('workshop_id', 'in', [...workshopIds])
    .orderBy('starts_at')
    .execute();
}

export async function findOccurrence(db: Executor, id: string): Promise<OccurrenceRow | undefined> {
  return db.selectFrom('workshop_occurrence').selectAll().where('id', '=', id).executeTakeFirst();
}

/**
 * The date, its row locked until the transaction ends: every change of its seats (a registration, a
 * cancellation, a promotion, a capacity change) takes this lock first, so two of them never count the
 * same free seat (decision 0041).
 */
export async function lockOccurrence(db: Executor, id: string): Promise<OccurrenceRow | undefined> {
  return db.selectFrom('workshop_occurrence').selectAll().where('id', '=', id).forUpdate().executeTakeFirst();
}

/** Changes a date and raises its own iCal sequence. */
export async function updateOccurrenceRow(
  db: Executor,
  id: string,
  set: { starts_at?: Date; ends_at?: Date; status?: 'scheduled' | 'cancelled' },
  now: Date,
): Promise<OccurrenceRow> {
  return db
    .updateTable('workshop_occurrence')
    .set({ ...set, sequence: sql<number>`sequence + 1`, updated_at: now })
    .where('id', '=', id)
    .returningAll()
    .executeTakeFirstOrThrow();
}

/** A structure's workshops, the latest created first. */
export async function listWorkshopsOf(
  db: Executor,
  structureId: string,
  limit: number,
  workshopId?: string,
): Promise<WorkshopRow[]> {
  return db
    .selectFrom('workshop')
    .selectAll()
    .where('structure_id', '=', structureId)
    .$if(workshopId !== undefined, (q) => q.where('id', '=', workshopId as string))
    .orderBy('created_at', 'desc')
    .limit(limit)
    .execute();
}

/**
 * Dates ending after `from` (and starting before `to` when given) of workshops matching the filter:
 * cancelled ones included (calendars keep them until their end), the soonest first.
 */
export async function listUpcomingRows(
  db: Executor,
  filter: {
    from: Date;
    to: Date | null;
    structureId: string | null;
    placeId: string | null;
    communeCodes: readonly string[] | null;
    need: string | null;
    theme: string | null;
    limit: number;
  },
): Promise<(OccurrenceRow & { w: WorkshopRow })[]> {
  let q = db
    .selectFrom('workshop_occurrence as o')
    .innerJoin('workshop as w', 'w.id', 'o.workshop_id')
    .selectAll('o')
    .select(sql<WorkshopRow>`to_jsonb(w)`.as('w'))
    .where('o.ends_at', '>', filter.from);
  if (filter.to) q = q.where('o.starts_at', '<', filter.to);
  if (filter.structureId) q = q.where('w.structure_id', '=', filter.structureId);
  if (filter.placeId) q = q.where('w.place_id', '=', filter.placeId);
  if (filter.communeCodes) q = q.where('w.commune_code', 'in', [...filter.communeCodes, '']);
  if (filter.need) q = q.where(sql<boolean>`${filter.need} = any(w.needs)`);
  if (filter.theme) q = q.where(sql<boolean>`${filter.theme} = any(w.themes)`);
  const rows = await q.orderBy('o.starts_at').orderBy('o.id').limit(filter.limit).execute();
  return rows.map((r) => ({ ...r, w: reviveWorkshop(r.w) }));
}

/** to_jsonb gives timestamps as text: back to the row's types. */
function reviveWorkshop(w: WorkshopRow): WorkshopRow {
  return { ...w, created_at: new Date(w.created_at), updated_at: new Date(w.updated_at) };
}

// ---------------------------------------------------------------------------------------------------
// Registrations.
// ---------------------------------------------------------------------------------------------------

export interface SeatCounts {
  registered: number;
  waiting: number;
  cancelled: number;
  attended: number;
  absent: number;
  /** The highest waiting position ever given on the date (0: none). */
  lastPosition: number;
}

const countColumns = [
  sql<string>`count(*) filter (where state = 'registered')`.as('registered'),
  sql<string>`count(*) filter (where state = 'waiting')`.as('waiting'),
  sql<string>`count(*) filter (where state = 'cancelled')`.as('cancelled'),
  sql<string>`count(*) filter (where state = 'attended')`.as('attended'),
  sql<string>`count(*) filter (where state = 'absent')`.as('absent'),
  sql<string>`coalesce(max(waiting_position), 0)`.as('last_position'),
] as const;

const toCounts = (r: Record<string, string | number | null> | undefined): SeatCounts => ({
  registered: Number(r?.registered ?? 0),
  waiting: Number(r?.waiting ?? 0),
  cancelled: Number(r?.cancelled ?? 0),
  attended: Number(r?.attended ?? 0),
  absent: Number(r?.absent ?? 0),
  lastPosition: Number(r?.last_position ?? 0),
});

export async function countRegistrations(db: Executor, occurrenceId: string): Promise<SeatCounts> {
  const row = await db
    .selectFrom('workshop_registration')
    .select([...countColumns])
    .where('occurrence_id', '=', occurrenceId)
    .executeTakeFirst();
  return toCounts(row);
}

export async function countRegistrationsOf(
  db: Executor,
  occurrenceIds: readonly string[],
): Promise<Map<string, SeatCounts>> {
  if (occurrenceIds.length === 0) return new Map();
  const rows = await db
    .selectFrom('workshop_registration')
    .select(['occurrence_id', ...countColumns])
    .where('occurrence_id', 'in', [...occurrenceIds])
    .groupBy('occurrence_id')
    .execute();
  return new Map(rows.map((r) => [r.occurrence_id, toCounts(r)]));
}

/** The live registration of this phone number or address on the date, if any. */
export async function findLiveDuplicate(
  db: Executor,
  occurrenceId: string,
  contact: { phone: string | null; email: string | null },
): Promise<{ phone: string | null; email: string | null } | undefined> {
  if (contact.phone === null && contact.email === null) return undefined;
  return db
    .selectFrom('workshop_registration')
    .select(['phone', 'email'])
    .where('occurrence_id', '=', occurrenceId)
    .where('state', '<>', 'cancelled')
    .where((eb) =>
      eb.or([
        ...(contact.phone !== null ? [eb('phone', '=', contact.phone)] : []),
        ...(contact.email !== null ? [eb('email', '=', contact.email)] : []),
      ]),
    )
    .executeTakeFirst();
}

export async function insertRegistration(
  db: Executor,
  row: Insertable<WorkshopRegistrationTable>,
): Promise<RegistrationRow> {
  return db.insertInto('workshop_registration').values(row).returningAll().executeTakeFirstOrThrow();
}

export async function findRegistration(db: Executor, id: string): Promise<RegistrationRow | undefined> {
  return db.selectFrom('workshop_registration').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function findRegistrationByTokenHash(
  db: Executor,
  hash: string,
): Promise<RegistrationRow | undefined> {
  return db
    .selectFrom('workshop_registration')
    .selectAll()
    .where('cancel_token_hash', '=', hash)
    .executeTakeFirst();
}

/** Cancels a live registration (registered or waiting); undefined when it no longer is one. */
export async function cancelRegistrationRow(
  db: Executor,
  id: string,
  by: 'person' | 'structure',
  now: Date,
): Promise<RegistrationRow | undefined> {
  return db
    .updateTable('workshop_registration')
    .set({
      state: 'cancelled',
      waiting_position: null,
      cancelled_at: now,
      cancelled_by: by,
      updated_at: now,
    })
    .where('id', '=', id)
    .where('state', 'in', ['registered', 'waiting'])
    .returningAll()
    .executeTakeFirst();
}

/** Moves the first `seats` people of the waiting list to registered, in order; returns them. */
export async function promoteWaiting(
  db: Executor,
  occurrenceId: string,
  seats: number,
  now: Date,
): Promise<RegistrationRow[]> {
  if (seats <= 0) return [];
  const first = await db
    .selectFrom('workshop_registration')
    .select('id')
    .where('occurrence_id', '=', occurrenceId)
    .where('state', '=', 'waiting')
    .orderBy('waiting_position')
    .limit(seats)
    .execute();
  if (first.length === 0) return [];
  const rows = await db
    .updateTable('workshop_registration')
    .set({ state: 'registered', waiting_position: null, promoted_at: now, updated_at: now })
    .where(
      'id',
      'in',
      first.map((r) => r.id),
    )
    .where('state', '=', 'waiting')
    .returningAll()
    .execute();
  return rows.sort((a, b) => a.created_at.getTime() - b.created_at.getTime());
}

/** A date's registrations: seated first, then the waiting list in order, then the cancelled ones. */
export async function listRegistrationsOfOccurrence(
  db: Executor,
  occurrenceId: string,
): Promise<RegistrationRow[]> {
  return db
    .selectFrom('workshop_registration')
    .selectAll()
    .where('occurrence_id', '=', occurrenceId)
    .orderBy(sql`case state when 'waiting' then 1 when 'cancelled' then 2 else 0 end`)
    .orderBy('waiting_position')
    .orderBy('created_at')
    .orderBy('id')
    .execute();
}

/** The live registrations of some dates that have an address (to tell them of a cancellation). */
export async function liveRegistrationsOf(
  db: Executor,
  occurrenceIds: readonly string[],
): Promise<RegistrationRow[]> {
  if (occurrenceIds.length === 0) return [];
  return db
    .selectFrom('workshop_registration')
    .selectAll()
    .where('occurrence_id', 'in', [...occurrenceIds])
    .where('state', 'in', ['registered', 'waiting'])
    .execute();
}

export async function setAttendance(
  db: Executor,
  id: string,
  state: 'attended' | 'absent',
  now: Date,
): Promise<RegistrationRow | undefined> {
  return db
    .updateTable('workshop_registration')
    .set({ state, attendance_at: now, updated_at: now })
    .where('id', '=', id)
    .where('state', 'in', ['registered', 'attended', 'absent'])
    .returningAll()
    .executeTakeFirst();
}

/**
 * Registrations to remind: registered, with an address, not yet reminded, on a date starting within
 * [from, to) that is not cancelled, of a workshop that is not cancelled.
 */
export async function listToRemind(
  db: Executor,
  window: { from: Date; to: Date },
): Promise<(RegistrationRow & { starts_at: Date; workshop_id: string })[]> {
  return db
    .selectFrom('workshop_registration as r')
    .innerJoin('workshop_occurrence as o', 'o.id', 'r.occurrence_id')
    .innerJoin('workshop as w', 'w.id', 'o.workshop_id')
    .selectAll('r')
    .select(['o.starts_at', 'o.workshop_id'])
    .where('r.state', '=', 'registered')
    .where('r.email', 'is not', null)
    .where('r.reminded_at', 'is', null)
    .where('o.status', '=', 'scheduled')
    .where('w.status', '<>', 'cancelled')
    .where('o.starts_at', '>=', window.from)
    .where('o.starts_at', '<', window.to)
    .orderBy('o.starts_at')
    .execute();
}

/** A moved date's registrations are to be reminded again, the day before their new time. */
export async function clearReminders(db: Executor, occurrenceId: string): Promise<void> {
  await db
    .updateTable('workshop_registration')
    .set({ reminded_at: null })
    .where('occurrence_id', '=', occurrenceId)
    .where('reminded_at', 'is not', null)
    .execute();
}

/** Marks a registration reminded; false when another run did it first. */
export async function markReminded(db: Executor, id: string, now: Date): Promise<boolean> {
  const rows = await db
    .updateTable('workshop_registration')
    .set({ reminded_at: now })
    .where('id', '=', id)
    .where('reminded_at', 'is', null)
    .returning('id')
    .execute();
  return rows.length > 0;
}

/**
 * Blanks the personal fields of the registrations of dates ended before `before` and marks the dates
 * purged: the rows and their states stay (the counts). Returns how many registrations and dates.
 */
export async function purgeRegistrationsBefore(
  db: Executor,
  before: Date,
  now: Date,
): Promise<{ registrations: number; dates: number }> {
  const dates = await db
    .updateTable('workshop_occurrence')
    .set({ purged_at: now })
    .where('purged_at', 'is', null)
    .where('ends_at', '<', before)
    .returning('id')
    .execute();
  if (dates.length === 0) return { registrations: 0, dates: 0 };
  const rows = await db
    .updateTable('workshop_registration')
    .set({
      first_name: null,
      phone: null,
      email: null,
      cancel_token_hash: null,
      purged_at: now,
      updated_at: now,
    })
    .where(
      'occurrence_id',
      'in',
      dates.map((d) => d.id),
    )
    .where('purged_at', 'is', null)
    .returning('id')
    .execute();
  return { registrations: rows.length, dates: dates.length };
}

/** A unique index or a foreign key that refused a write, else null. */
export function refusedBy(error: unknown): { kind: 'unique' | 'foreign_key'; constraint: string } | null {
  const e = error as { code?: unknown; constraint?: unknown } | null;
  const constraint = typeof e?.constraint === 'string' ? e.constraint : 'unknown';
  if (e?.code === '23505') return { kind: 'unique', constraint };
  if (e?.code === '23503') return { kind: 'foreign_key', constraint };
  return null;
}

/** Deletes the demonstration's workshops; their dates and registrations go with them (cascade). */
export async function deleteDemoWorkshops(db: Executor): Promise<number> {
  const result = await db.deleteFrom('workshop').where('is_demo', '=', true).executeTakeFirst();
  return Number(result.numDeletedRows);
}
