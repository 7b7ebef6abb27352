import type { Insertable, Selectable, Transaction } from 'kysely';
import type { Database, Db } from '../db/database.ts';
import type { NetworkEventTable, NetworkSessionTable, NetworkTrackTable } from '../db/network-day-rows.ts';

/** SQL of the network's days (tables network_event, network_track, network_session; migration 0029). */

type Executor = Db | Transaction<Database>;
export type NetworkEventRow = Selectable<NetworkEventTable>;
export type NetworkTrackRow = Selectable<NetworkTrackTable>;
export type NetworkSessionRow = Selectable<NetworkSessionTable>;

export async function insertNetworkEvent(
  db: Executor,
  row: Insertable<NetworkEventTable>,
): Promise<NetworkEventRow> {
  return db.insertInto('network_event').values(row).returningAll().executeTakeFirstOrThrow();
}

export async function findNetworkEvent(db: Executor, id: string): Promise<NetworkEventRow | undefined> {
  return db.selectFrom('network_event').selectAll().where('id', '=', id).executeTakeFirst();
}

/** The day, its row locked until the transaction ends (changes to its programme queue). */
export async function lockNetworkEvent(db: Executor, id: string): Promise<NetworkEventRow | undefined> {
  return db.selectFrom('network_event').selectAll().where('id', '=', id).forUpdate().executeTakeFirst();
}

export async function updateNetworkEventRow(
  db: Executor,
  id: string,
  set: Partial<Omit<Insertable<NetworkEventTable>, 'id' | 'created_at'>>,
  now: Date,
): Promise<NetworkEventRow> {
  return db
    .updateTable('network_event')
    .set({ ...set, updated_at: now })
    .where('id', '=', id)
    .returningAll()
    .executeTakeFirstOrThrow();
}

/** Days from `from` (a calendar day) on, the soonest first; cancelled ones with them when asked. */
export async function listNetworkEventRows(
  db: Executor,
  range: { from: string | null; limit: number; withCancelled: boolean },
): Promise<NetworkEventRow[]> {
  let q = db.selectFrom('network_event').selectAll();
  if (range.from) q = q.where('day', '>=', range.from);
  if (!range.withCancelled) q = q.where('status', '<>', 'cancelled');
  return q.orderBy('day').orderBy('created_at').orderBy('id').limit(range.limit).execute();
}

/** The latest days first (the coordinator's list). */
export async function listRecentNetworkEventRows(db: Executor, limit: number): Promise<NetworkEventRow[]> {
  return db
    .selectFrom('network_event')
    .selectAll()
    .orderBy('day', 'desc')
    .orderBy('created_at', 'desc')
    .limit(limit)
    .execute();
}

export async function listTracksOf(db: Executor, eventId: string): Promise<NetworkTrackRow[]> {
  return db
    .selectFrom('network_track')
    .selectAll()
    .where('event_id', '=', eventId)
    .orderBy('position')
    .execute();
}

export async function insertTrack(
  db: Executor,
  row: Insertable<NetworkTrackTable>,
): Promise<NetworkTrackRow> {
  return db.insertInto('network_track').values(row).returningAll().executeTakeFirstOrThrow();
}

export async function listSessionsOf(db: Executor, eventId: string): Promise<NetworkSessionRow[]> {
  return db.selectFrom('network_session').selectAll().where('event_id', '=', eventId).execute();
}

export async function findSession(db: Executor, workshopId: string): Promise<NetworkSessionRow | undefined> {
  return db
    .selectFrom('network_session')
    .selectAll()
    .where('workshop_id', '=', workshopId)
    .executeTakeFirst();
}

export async function insertSession(
  db: Executor,
  row: Insertable<NetworkSessionTable>,
): Promise<NetworkSessionRow> {
  return db.insertInto('network_session').values(row).returningAll().executeTakeFirstOrThrow();
}

export async function updateSessionRow(
  db: Executor,
  workshopId: string,
  set: Partial<Omit<Insertable<NetworkSessionTable>, 'workshop_id' | 'event_id' | 'created_at'>>,
  now: Date,
): Promise<NetworkSessionRow> {
  return db
    .updateTable('network_session')
    .set({ ...set, updated_at: now })
    .where('workshop_id', '=', workshopId)
    .returningAll()
    .executeTakeFirstOrThrow();
}

/** The demonstration's days and their sessions' workshops (`demo remove`); returns the days deleted. */
export async function deleteDemoNetworkEvents(db: Executor): Promise<number> {
  const sessions = db
    .selectFrom('network_session')
    .innerJoin('network_event', 'network_event.id', 'network_session.event_id')
    .select('network_session.workshop_id')
    .where('network_event.is_demo', '=', true);
  await db.deleteFrom('workshop').where('id', 'in', sessions).execute();
  const r = await db.deleteFrom('network_event').where('is_demo', '=', true).executeTakeFirst();
  return Number(r.numDeletedRows);
}

/** The workshops of a day's sessions. */
export async function listSessionWorkshops(db: Executor, eventId: string) {
  return db
    .selectFrom('workshop')
    .selectAll()
    .where('id', 'in', db.selectFrom('network_session').select('workshop_id').where('event_id', '=', eventId))
    .execute();
}
