import { type Insertable, type Kysely, type Selectable, sql, type Transaction } from 'kysely';
import type {
  ActivityParticipantsTable,
  ActivityTable,
  ApiTokenTable,
  CoordinationActivityTable,
} from '../db/activity-rows.ts';
import type { Database } from '../db/database.ts';
import type { ApiActivityRow } from './activities-api.ts';

/** SQL of the API tokens and of what `GET /api/v1/activites` reads (decision 0040). */

type Executor = Kysely<Database> | Transaction<Database>;
export type ApiTokenRow = Selectable<ApiTokenTable>;

export async function insertApiToken(db: Executor, row: Insertable<ApiTokenTable>): Promise<string> {
  const r = await db.insertInto('api_token').values(row).returning('id').executeTakeFirstOrThrow();
  return r.id;
}

/**
 * Serialises the creation of a structure's tokens until the transaction ends, and tells whether one of
 * them in service (neither revoked nor expired) bears this name, whatever its case.
 */
export async function lockAndFindActiveTokenNamed(
  tx: Executor,
  input: { structureId: string; name: string; now: Date },
): Promise<boolean> {
  await sql`select pg_advisory_xact_lock(hashtext(${`api_token:${input.structureId}`}))`.execute(tx);
  const row = await tx
    .selectFrom('api_token')
    .select('id')
    .where('structure_id', '=', input.structureId)
    .where(sql<boolean>`lower(name) = lower(${input.name})`)
    .where('revoked_at', 'is', null)
    .where('expires_at', '>', input.now)
    .executeTakeFirst();
  return row !== undefined;
}

export async function listApiTokenRows(db: Executor, structureId: string): Promise<ApiTokenRow[]> {
  return db
    .selectFrom('api_token')
    .selectAll()
    .where('structure_id', '=', structureId)
    .orderBy('created_at', 'desc')
    .orderBy('id')
    .execute();
}

export async function findApiToken(db: Executor, id: string): Promise<ApiTokenRow | undefined> {
  return db.selectFrom('api_token').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function findApiTokenByHash(db: Executor, hash: string): Promise<ApiTokenRow | undefined> {
  return db.selectFrom('api_token').selectAll().where('secret_hash', '=', hash).executeTakeFirst();
}

/** Revokes a token once: false when it was revoked already (or does not exist). */
export async function revokeApiTokenRow(
  db: Executor,
  id: string,
  by: string | null,
  at: Date,
): Promise<boolean> {
  const r = await db
    .updateTable('api_token')
    .set({ revoked_at: at, revoked_by: by })
    .where('id', '=', id)
    .where('revoked_at', 'is', null)
    .executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}

export async function touchApiToken(db: Executor, id: string, at: Date): Promise<void> {
  await db.updateTable('api_token').set({ last_used_at: at }).where('id', '=', id).execute();
}

/**
 * A structure's records for the API, the latest day first then by id (descending), after the cursor
 * (a day and an id) when given, between two days included, `limit` of them; and how many match
 * without the cursor.
 */
export async function listApiActivities(
  db: Executor,
  structureId: string,
  q: { from: string | null; to: string | null; after: { date: string; id: string } | null; limit: number },
): Promise<{ rows: ApiActivityRow[]; total: number }> {
  let base = db.selectFrom('activity').where('activity.structure_id', '=', structureId);
  if (q.from) base = base.where('activity.date', '>=', q.from);
  if (q.to) base = base.where('activity.date', '<=', q.to);
  const count = await base.select((eb) => eb.fn.countAll<string>().as('n')).executeTakeFirstOrThrow();
  let page = base.selectAll('activity');
  const after = q.after;
  if (after)
    page = page.where((eb) =>
      eb.or([
        eb('activity.date', '<', after.date),
        eb.and([eb('activity.date', '=', after.date), eb('activity.id', '<', after.id)]),
      ]),
    );
  const rows = await page
    .orderBy('activity.date', 'desc')
    .orderBy('activity.id', 'desc')
    .limit(q.limit)
    .execute();
  const participants =
    rows.length === 0
      ? []
      : await db
          .selectFrom('activity_participants')
          .selectAll()
          .where(
            'activity_id',
            'in',
            rows.map((r) => r.id),
          )
          .execute();
  const byId = new Map(participants.map((p) => [p.activity_id, p]));
  return {
    rows: rows.map((r) => ({ ...r, participants: byId.get(r.id) ?? null })),
    total: Number(count.n),
  };
}

export interface MonthKindRow {
  month: string;
  kind: 'individuel' | 'collectif';
  activities: number;
  participants: number;
  structures: number;
}

/** Network-wide counts by month and kind between two days: records, participants, structures. */
export async function aggregateByMonth(db: Executor, from: string, to: string): Promise<MonthKindRow[]> {
  const r = await sql<MonthKindRow>`
    select to_char(a.date, 'YYYY-MM') as month, a.kind,
      count(*)::int as activities,
      coalesce(sum(p.total), 0)::int as participants,
      count(distinct a.structure_id)::int as structures
    from activity a left join activity_participants p on p.activity_id = a.id
    where a.date between ${from}::date and ${to}::date
    group by 1, 2 order by 1, 2`.execute(db);
  return r.rows;
}

/** Network-wide counts by theme between two days: records, structures. */
export async function aggregateByTheme(
  db: Executor,
  from: string,
  to: string,
): Promise<{ theme: string; activities: number; structures: number }[]> {
  const r = await sql<{ theme: string; activities: number; structures: number }>`
    select t.theme, count(*)::int as activities, count(distinct a.structure_id)::int as structures
    from activity a cross join lateral unnest(a.themes) as t(theme)
    where a.date between ${from}::date and ${to}::date
    group by 1 order by 1`.execute(db);
  return r.rows;
}

// The demonstration's records (decision 0040)

export async function insertActivityBatch(
  db: Executor,
  activities: Insertable<ActivityTable>[],
  participants: Insertable<ActivityParticipantsTable>[],
  coordination: Insertable<CoordinationActivityTable>[],
): Promise<void> {
  if (activities.length > 0) await db.insertInto('activity').values(activities).execute();
  if (participants.length > 0) await db.insertInto('activity_participants').values(participants).execute();
  if (coordination.length > 0) await db.insertInto('coordination_activity').values(coordination).execute();
}

/** Deletes the demonstration's records (counts follow by cascade): how many records went. */
export async function deleteDemoActivities(db: Executor): Promise<number> {
  const r = await db.deleteFrom('activity').where('is_demo', '=', true).executeTakeFirst();
  const c = await db.deleteFrom('coordination_activity').where('is_demo', '=', true).executeTakeFirst();
  return Number(r.numDeletedRows) + Number(c.numDeletedRows);
}
