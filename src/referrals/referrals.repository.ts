import { type ExpressionBuilder, type Insertable, type Selectable, sql, type Transaction } from 'kysely';
import type {
  Database,
  Db,
  OrientationEventTable,
  OrientationLinkTable,
  OrientationState,
  OrientationTable,
} from '../db/database.ts';

/** All SQL about orientations, their events, links and parcours. Returns rows; the service maps them. */
type Executor = Db | Transaction<Database>;
export type OrientationRow = Selectable<OrientationTable>;
export type OrientationEventRow = Selectable<OrientationEventTable>;
export type OrientationLinkRow = Selectable<OrientationLinkTable>;

export async function insertParcours(db: Executor, at: Date): Promise<string> {
  const row = await db
    .insertInto('parcours')
    .values({ created_at: at })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

export async function insertOrientation(
  db: Executor,
  row: Insertable<OrientationTable>,
): Promise<OrientationRow> {
  return db.insertInto('orientation').values(row).returningAll().executeTakeFirstOrThrow();
}

export async function findOrientation(db: Executor, id: string): Promise<OrientationRow | undefined> {
  return db.selectFrom('orientation').selectAll().where('id', '=', id).executeTakeFirst();
}

/** A structure's orientations, received or sent, newest first, optionally in some states. */
export async function listOrientationsOf(
  db: Executor,
  input: {
    structureId: string;
    box: 'received' | 'sent';
    states?: readonly OrientationState[];
    limit: number;
  },
): Promise<OrientationRow[]> {
  let q = db
    .selectFrom('orientation')
    .selectAll()
    .where(
      input.box === 'received' ? 'receiver_structure_id' : 'sender_structure_id',
      '=',
      input.structureId,
    );
  // A sheet-only orientation is answered by its sender: it shows in the sender's received box too.
  if (input.box === 'received')
    q = db
      .selectFrom('orientation')
      .selectAll()
      .where((eb) =>
        eb.or([
          eb('receiver_structure_id', '=', input.structureId),
          eb.and([eb('delivery', '=', 'sheet'), eb('sender_structure_id', '=', input.structureId)]),
        ]),
      );
  if (input.states?.length) q = q.where('state', 'in', [...input.states]);
  return q.orderBy('sent_at', 'desc').limit(input.limit).execute();
}

export async function countOrientationsByState(
  db: Executor,
  input: { structureId: string; box: 'received' | 'sent' },
): Promise<Map<OrientationState, number>> {
  const rows = await db
    .selectFrom('orientation')
    .select(['state', sql<number>`count(*)::int`.as('n')])
    .where((eb) =>
      input.box === 'sent'
        ? eb('sender_structure_id', '=', input.structureId)
        : eb.or([
            eb('receiver_structure_id', '=', input.structureId),
            eb.and([eb('delivery', '=', 'sheet'), eb('sender_structure_id', '=', input.structureId)]),
          ]),
    )
    .groupBy('state')
    .execute();
  return new Map(rows.map((r) => [r.state, r.n]));
}

export async function listParcoursOrientations(db: Executor, parcoursId: string): Promise<OrientationRow[]> {
  return db
    .selectFrom('orientation')
    .selectAll()
    .where('parcours_id', '=', parcoursId)
    .orderBy('sent_at')
    .orderBy('id')
    .execute();
}

/**
 * Moves an orientation from one state to another, only if it is still in the first one (two people
 * answering at once: the second one changes nothing). Returns the updated row, or undefined.
 */
export async function moveOrientation(
  db: Executor,
  id: string,
  from: OrientationState,
  patch: Partial<
    Pick<
      OrientationRow,
      | 'state'
      | 'answered_at'
      | 'closed_at'
      | 'refusal_reason'
      | 'state_message'
      | 'appointment_date'
      | 'appointment_time'
      | 'appointment_with'
    >
  >,
): Promise<OrientationRow | undefined> {
  return db
    .updateTable('orientation')
    .set(patch)
    .where('id', '=', id)
    .where('state', '=', from)
    .returningAll()
    .executeTakeFirst();
}

export async function markReminded(db: Executor, id: string, at: Date): Promise<boolean> {
  const r = await db
    .updateTable('orientation')
    .set({ reminded_at: at })
    .where('id', '=', id)
    .where('state', '=', 'sent')
    .where('reminded_at', 'is', null)
    .executeTakeFirst();
  return Number(r.numUpdatedRows) > 0;
}

export async function insertEvent(db: Executor, event: Insertable<OrientationEventTable>): Promise<void> {
  await db.insertInto('orientation_event').values(event).execute();
}

export async function listEvents(db: Executor, orientationId: string): Promise<OrientationEventRow[]> {
  return db
    .selectFrom('orientation_event')
    .selectAll()
    .where('orientation_id', '=', orientationId)
    .orderBy('id')
    .execute();
}

export async function insertLink(db: Executor, link: Insertable<OrientationLinkTable>): Promise<void> {
  await db.insertInto('orientation_link').values(link).execute();
}

export async function findLinkByHash(
  db: Executor,
  tokenHash: string,
): Promise<OrientationLinkRow | undefined> {
  return db.selectFrom('orientation_link').selectAll().where('token_hash', '=', tokenHash).executeTakeFirst();
}

/** Uses a link once: true only for the first caller. */
export async function useLink(db: Executor, id: string, at: Date): Promise<boolean> {
  const r = await db
    .updateTable('orientation_link')
    .set({ used_at: at })
    .where('id', '=', id)
    .where('used_at', 'is', null)
    .executeTakeFirst();
  return Number(r.numUpdatedRows) > 0;
}

/** Waiting orientations sent at or before `sentBefore` and not reminded yet. */
export async function listToRemind(db: Executor, sentBefore: Date): Promise<OrientationRow[]> {
  return db
    .selectFrom('orientation')
    .selectAll()
    .where('state', '=', 'sent')
    .where('reminded_at', 'is', null)
    .where('sent_at', '<=', sentBefore)
    .orderBy('sent_at')
    .execute();
}

export async function listToExpire(db: Executor, sentBefore: Date): Promise<OrientationRow[]> {
  return db
    .selectFrom('orientation')
    .selectAll()
    .where('state', '=', 'sent')
    .where('sent_at', '<=', sentBefore)
    .orderBy('sent_at')
    .execute();
}

const BLANK = {
  person_name: null,
  person_phone: null,
  person_email: null,
  message: null,
  state_message: null,
  diagnostic: null,
  appointment_date: null,
  appointment_time: null,
  appointment_with: null,
} as const;

/**
 * Blanks the personal fields of orientations whose retention is over: closed before `closedBefore`,
 * refused or expired before `unansweredBefore`, accepted and never closed before `closedBefore`.
 */
export async function blankExpiredPersonalData(
  db: Executor,
  input: { closedBefore: Date; unansweredBefore: Date; at: Date },
): Promise<number> {
  const r = await db
    .updateTable('orientation')
    .set({ ...BLANK, personal_data_erased_at: input.at, erased_reason: 'retention' })
    .where('personal_data_erased_at', 'is', null)
    .where((eb) =>
      eb.or([
        eb.and([
          eb('state', 'in', ['came', 'did_not_come', 'redirected']),
          eb('closed_at', '<', input.closedBefore),
        ]),
        eb.and([eb('state', 'in', ['refused', 'expired']), eb('closed_at', '<', input.unansweredBefore)]),
        eb.and([eb('state', '=', 'accepted'), eb('answered_at', '<', input.closedBefore)]),
      ]),
    )
    .executeTakeFirst();
  return Number(r.numUpdatedRows);
}

export async function blankParcoursPersonalData(db: Executor, parcoursId: string, at: Date): Promise<number> {
  const r = await db
    .updateTable('orientation')
    .set({ ...BLANK, personal_data_erased_at: at, erased_reason: 'request' })
    .where('parcours_id', '=', parcoursId)
    .where('personal_data_erased_at', 'is', null)
    .executeTakeFirst();
  return Number(r.numUpdatedRows);
}

/**
 * Deletes whole parcours with their orientations, links and events: only for the demonstration's own
 * parcours (`demo remove`, embedded database). The events are append-only by trigger; the trigger is
 * set aside for this one statement of this transaction only (replica role: superuser, as the embedded
 * database's user is), so no other code path can rewrite the history of real orientations.
 */
export async function deleteParcours(db: Transaction<Database>, parcoursIds: string[]): Promise<number> {
  if (parcoursIds.length === 0) return 0;
  const orientations = db.selectFrom('orientation').select('id').where('parcours_id', 'in', parcoursIds);
  await sql`set local session_replication_role = replica`.execute(db);
  await db.deleteFrom('orientation_event').where('orientation_id', 'in', orientations).execute();
  await sql`set local session_replication_role = origin`.execute(db);
  await db.deleteFrom('orientation_link').where('orientation_id', 'in', orientations).execute();
  const r = await db.deleteFrom('orientation').where('parcours_id', 'in', parcoursIds).executeTakeFirst();
  await db.deleteFrom('parcours').where('id', 'in', parcoursIds).execute();
  return Number(r.numDeletedRows);
}

// --- Aggregates for the coordinator (no personal field is read) ---

export interface CountRow {
  key: string;
  n: number;
}

/** A period of sending: from `start` (included) to `end` (excluded). */
export interface SentRange {
  start: Date;
  end: Date;
}

export async function countByNeed(db: Executor, range: SentRange): Promise<CountRow[]> {
  const r = await sql<CountRow>`select need as key, count(*)::int as n
    from orientation, unnest(needs) as need where sent_at >= ${range.start} and sent_at < ${range.end}
    group by need order by n desc, need`.execute(db);
  return r.rows;
}

export async function countByColumn(
  db: Executor,
  column: 'sender_structure_name' | 'place_name' | 'state',
  range: SentRange,
): Promise<CountRow[]> {
  return db
    .selectFrom('orientation')
    .select([sql<string>`${sql.ref(column)}`.as('key'), sql<number>`count(*)::int`.as('n')])
    .where('sent_at', '>=', range.start)
    .where('sent_at', '<', range.end)
    .groupBy(column)
    .orderBy('n', 'desc')
    .orderBy(column)
    .execute();
}

/** Median time between sending and the answer (accepted or refused), in milliseconds; null if none. */
export async function medianAnswerMs(
  db: Executor,
  range: SentRange,
): Promise<{ median: number | null; n: number }> {
  const r = await sql<{ median: number | null; n: number }>`select
      (percentile_cont(0.5) within group (order by extract(epoch from answered_at - sent_at)) * 1000)::float8 as median,
      count(*)::int as n
    from orientation
    where answered_at is not null and sent_at >= ${range.start} and sent_at < ${range.end}`.execute(db);
  return r.rows[0] ?? { median: null, n: 0 };
}

// --- For the home page: counts and the oldest waiting, per structure (no personal field is read) ---

/** A structure's orientations waiting for its answer (received, or sheet-only sent), oldest first. */
export async function listWaitingFor(
  db: Executor,
  input: { structureId: string; limit: number },
): Promise<{
  rows: Pick<
    OrientationRow,
    'id' | 'sent_at' | 'needs' | 'sender_structure_name' | 'place_name' | 'urgency'
  >[];
  count: number;
}> {
  const waiting = (eb: ExpressionBuilder<Database, 'orientation'>) =>
    eb.and([
      eb('state', '=', 'sent'),
      eb.or([
        eb('receiver_structure_id', '=', input.structureId),
        eb.and([eb('delivery', '=', 'sheet'), eb('sender_structure_id', '=', input.structureId)]),
      ]),
    ]);
  const [rows, count] = await Promise.all([
    db
      .selectFrom('orientation')
      .select(['id', 'sent_at', 'needs', 'sender_structure_name', 'place_name', 'urgency'])
      .where(waiting)
      .orderBy('sent_at')
      .orderBy('id')
      .limit(input.limit)
      .execute(),
    db
      .selectFrom('orientation')
      .select(sql<number>`count(*)::int`.as('n'))
      .where(waiting)
      .executeTakeFirstOrThrow(),
  ]);
  return { rows, count: count.n };
}

/** How many orientations a structure sent are waiting for the place's answer (sheet-only ones aside). */
export async function countSentWaiting(
  db: Executor,
  structureId: string,
): Promise<{ count: number; oldest: Date | null }> {
  const r = await db
    .selectFrom('orientation')
    .select([sql<number>`count(*)::int`.as('n'), sql<Date | null>`min(sent_at)`.as('oldest')])
    .where('sender_structure_id', '=', structureId)
    .where('state', '=', 'sent')
    .where('delivery', '!=', 'sheet')
    .executeTakeFirstOrThrow();
  return { count: r.n, oldest: r.oldest === null ? null : new Date(r.oldest) };
}

/**
 * Per receiving structure, how many orientations still wait for an answer after the reminder delay:
 * reminded by the job, or sent at `sentBefore` or earlier. The coordinator's view, counts only.
 */
export async function countUnansweredByReceiver(
  db: Executor,
  sentBefore: Date | null,
): Promise<{ structureId: string; n: number; oldest: Date }[]> {
  const rows = await db
    .selectFrom('orientation')
    .select([
      'receiver_structure_id',
      sql<number>`count(*)::int`.as('n'),
      sql<Date>`min(sent_at)`.as('oldest'),
    ])
    .where('state', '=', 'sent')
    .where('receiver_structure_id', 'is not', null)
    .where('delivery', '!=', 'sheet')
    .where((eb) =>
      sentBefore
        ? eb.or([eb('reminded_at', 'is not', null), eb('sent_at', '<=', sentBefore)])
        : eb('reminded_at', 'is not', null),
    )
    .groupBy('receiver_structure_id')
    .orderBy('n', 'desc')
    .orderBy('oldest')
    .execute();
  return rows.map((r) => ({
    structureId: r.receiver_structure_id as string,
    n: r.n,
    oldest: new Date(r.oldest),
  }));
}
