import { sql } from 'kysely';
import type { Db } from '../db/database.ts';
import type { PendingUsage } from './usage-counter.ts';

/** Adds counts to the stored ones (several servers add to the same day and kind). */
export async function addUsageCounts(db: Db, counts: readonly PendingUsage[]): Promise<void> {
  if (counts.length === 0) return;
  await db
    .insertInto('usage_count')
    .values(counts.map((c) => ({ day: c.day, kind: c.kind, count: c.count })))
    .onConflict((oc) =>
      oc.columns(['day', 'kind']).doUpdateSet({ count: sql<number>`usage_count.count + excluded.count` }),
    )
    .execute();
}

/** The stored counts per kind between two days, both included. */
export async function sumUsage(
  db: Db,
  range: { from: string; to: string },
): Promise<{ kind: string; total: number }[]> {
  const rows = await db
    .selectFrom('usage_count')
    .select(['kind', sql<string>`sum(count)`.as('total')])
    .where('day', '>=', range.from)
    .where('day', '<=', range.to)
    .groupBy('kind')
    .execute();
  return rows.map((r) => ({ kind: r.kind, total: Number(r.total) }));
}
