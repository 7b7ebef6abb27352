import { type Kysely, sql } from 'kysely';
import type { Database } from '../db/database.ts';

type Executor = Kysely<Database>;

/**
 * Counts one event for the key in a fixed window, atomically (one upsert): returns the count in the
 * current window, the first event of a new window counting 1.
 */
export async function hitCounter(db: Executor, key: string, now: Date, windowStart: Date): Promise<number> {
  const row = await db
    .insertInto('rate_limit')
    .values({ key, window_started_at: now, count: 1 })
    .onConflict((oc) =>
      oc.column('key').doUpdateSet({
        count: sql`case when rate_limit.window_started_at <= ${windowStart} then 1 else rate_limit.count + 1 end`,
        window_started_at: sql`case when rate_limit.window_started_at <= ${windowStart} then ${now}::timestamptz else rate_limit.window_started_at end`,
      }),
    )
    .returning('count')
    .executeTakeFirstOrThrow();
  return row.count;
}

/** The counts of several keys, each in its own window (0 for a key without a current window). */
export async function readCounters(
  db: Executor,
  keys: readonly { key: string; windowStart: Date }[],
): Promise<number[]> {
  if (keys.length === 0) return [];
  const rows = await db
    .selectFrom('rate_limit')
    .select(['key', 'window_started_at', 'count'])
    .where(
      'key',
      'in',
      keys.map((k) => k.key),
    )
    .execute();
  const byKey = new Map(rows.map((r) => [r.key, r]));
  return keys.map(({ key, windowStart }) => {
    const row = byKey.get(key);
    return row && row.window_started_at > windowStart ? row.count : 0;
  });
}

export async function deleteCounter(db: Executor, key: string): Promise<void> {
  await db.deleteFrom('rate_limit').where('key', '=', key).execute();
}

export async function deleteCountersBefore(db: Executor, before: Date): Promise<number> {
  const rows = await db
    .deleteFrom('rate_limit')
    .where('window_started_at', '<', before)
    .returning('key')
    .execute();
  return rows.length;
}
