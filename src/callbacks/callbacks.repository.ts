import { sql } from 'kysely';
import type { CallbackState, Db } from '../db/database.ts';

/** SQL of the call-back requests (table callback_request, migration 0021). */

export interface CallbackRow {
  id: string;
  reference: string;
  place_id: string | null;
  place_name: string | null;
  structure_id: string | null;
  first_name: string;
  phone: string;
  slot_date: string | null;
  slot_part: 'morning' | 'afternoon' | 'any';
  state: CallbackState;
  attempts: number;
  created_at: Date;
  due_on: string;
  reminded_at: Date | null;
  closed_at: Date | null;
}

const COLUMNS = [
  'id',
  'reference',
  'place_id',
  'place_name',
  'structure_id',
  'first_name',
  'phone',
  'slot_date',
  'slot_part',
  'state',
  'attempts',
  'created_at',
  'due_on',
  'reminded_at',
  'closed_at',
] as const;

const OPEN: CallbackState[] = ['to_call', 'retry'];

/** Writes a request; null when the reference is already taken (the caller draws another). */
export async function insertCallback(
  db: Db,
  values: {
    reference: string;
    place_id: string | null;
    place_name: string | null;
    structure_id: string | null;
    first_name: string;
    phone: string;
    slot_date: string | null;
    slot_part: 'morning' | 'afternoon' | 'any';
    consent_at: Date;
    created_at: Date;
    due_on: string;
  },
): Promise<CallbackRow | null> {
  const row = await db
    .insertInto('callback_request')
    .values(values)
    .onConflict((oc) => oc.column('reference').doNothing())
    .returning(COLUMNS)
    .executeTakeFirst();
  return row ?? null;
}

/** The latest open request of this number for this place (null: the network's) made since `since`. */
export async function findRecentOpenCallback(
  db: Db,
  filter: { phone: string; placeId: string | null; since: Date },
): Promise<CallbackRow | undefined> {
  return db
    .selectFrom('callback_request')
    .select(COLUMNS)
    .where('phone', '=', filter.phone)
    .where('place_id', filter.placeId === null ? 'is' : '=', filter.placeId)
    .where('state', 'in', OPEN)
    .where('created_at', '>=', filter.since)
    .orderBy('created_at', 'desc')
    .limit(1)
    .executeTakeFirst();
}

export async function findCallback(db: Db, id: string): Promise<CallbackRow | undefined> {
  return db.selectFrom('callback_request').select(COLUMNS).where('id', '=', id).executeTakeFirst();
}

/**
 * The requests some people see: those of their structures, and for coordinators those of the network
 * (no structure) and the late ones of every structure. Open ones, and those closed since `closedSince`.
 */
export async function listCallbackRows(
  db: Db,
  filter: { structureIds: readonly string[]; coordinator: boolean; today: string; closedSince: Date },
): Promise<CallbackRow[]> {
  return db
    .selectFrom('callback_request')
    .select(COLUMNS)
    .where((eb) => {
      const whose = [];
      if (filter.structureIds.length) whose.push(eb('structure_id', 'in', [...filter.structureIds]));
      if (filter.coordinator) {
        whose.push(eb('structure_id', 'is', null));
        whose.push(eb.and([eb('state', 'in', OPEN), eb('due_on', '<', filter.today)]));
      }
      return whose.length ? eb.or(whose) : sql<boolean>`false`;
    })
    .where((eb) => eb.or([eb('state', 'in', OPEN), eb('closed_at', '>=', filter.closedSince)]))
    .orderBy('created_at')
    .limit(500)
    .execute();
}

/**
 * Records a call's outcome on an open request: one more attempt; "done" and "unreachable" close it.
 * Undefined when the request is already closed (someone else recorded it).
 */
export async function recordCallbackOutcome(
  db: Db,
  id: string,
  outcome: 'done' | 'retry' | 'unreachable',
  now: Date,
): Promise<CallbackRow | undefined> {
  return db
    .updateTable('callback_request')
    .set({
      state: outcome,
      attempts: sql<number>`attempts + 1`,
      closed_at: outcome === 'retry' ? null : now,
    })
    .where('id', '=', id)
    .where('state', 'in', OPEN)
    .returning(COLUMNS)
    .executeTakeFirst();
}

/** Open requests past their day, not yet reminded. */
export async function listLateNotReminded(db: Db, today: string): Promise<CallbackRow[]> {
  return db
    .selectFrom('callback_request')
    .select(COLUMNS)
    .where('state', 'in', OPEN)
    .where('due_on', '<', today)
    .where('reminded_at', 'is', null)
    .orderBy('created_at')
    .execute();
}

/** Marks a request reminded; false when another run did it first. */
export async function markCallbackReminded(db: Db, id: string, now: Date): Promise<boolean> {
  const rows = await db
    .updateTable('callback_request')
    .set({ reminded_at: now })
    .where('id', '=', id)
    .where('reminded_at', 'is', null)
    .returning('id')
    .execute();
  return rows.length > 0;
}

/** Open requests per structure (null: the network's), and how many of them are late. */
export async function countOpenCallbacks(
  db: Db,
  today: string,
): Promise<{ structure_id: string | null; open: number; late: number }[]> {
  const rows = await db
    .selectFrom('callback_request')
    .select([
      'structure_id',
      sql<string>`count(*)`.as('open'),
      sql<string>`count(*) filter (where due_on < ${today})`.as('late'),
    ])
    .where('state', 'in', OPEN)
    .groupBy('structure_id')
    .execute();
  return rows.map((r) => ({ structure_id: r.structure_id, open: Number(r.open), late: Number(r.late) }));
}

/** Deletes requests made before `before` (retention), whatever their state. */
export async function deleteCallbacksBefore(db: Db, before: Date): Promise<number> {
  const rows = await db
    .deleteFrom('callback_request')
    .where('created_at', '<', before)
    .returning('id')
    .execute();
  return rows.length;
}
