import { randomUUID } from 'node:crypto';
import type { Insertable } from 'kysely';
import { type Actor, authorize } from '../accounts/policy.ts';
import type { CoordinationActivityTable } from '../db/activity-rows.ts';
import type { Db } from '../db/database.ts';
import type { DemoActivity } from './activity-batch.ts';
import { deleteDemoActivities, insertActivityBatch } from './api-tokens.repository.ts';

/**
 * The demonstration's activity records (decision 0040): written in batches, flagged `is_demo`, deleted
 * by `demo remove` and nothing else. The records themselves are drawn by src/demo/demo-activities.ts;
 * the database's checks (themes, places, counts that add up) refuse a wrong one, and the whole seed with
 * it (one transaction).
 */

/** Rows per INSERT statement: a year of demonstration in a few statements. */
const BATCH = 400;

export async function seedDemoActivities(
  db: Db,
  actor: Actor,
  input: {
    activities: DemoActivity[];
    coordination: Omit<Insertable<CoordinationActivityTable>, 'id' | 'is_demo'>[];
  },
): Promise<{ activities: number; coordination: number }> {
  authorize(actor, 'seedDemoActivities');
  await db.transaction().execute(async (tx) => {
    for (let i = 0; i < input.activities.length; i += BATCH) {
      const chunk = input.activities.slice(i, i + BATCH).map((a) => ({ ...a, id: randomUUID() }));
      await insertActivityBatch(
        tx,
        chunk.map((a) => ({ ...a.activity, id: a.id, is_demo: true })),
        chunk.map((a) => ({ ...a.participants, activity_id: a.id })),
        [],
      );
    }
    if (input.coordination.length > 0)
      await insertActivityBatch(
        tx,
        [],
        [],
        input.coordination.map((c) => ({ ...c, is_demo: true })),
      );
  });
  return { activities: input.activities.length, coordination: input.coordination.length };
}

/** Deletes the demonstration's records (and their counts), and its coordination activities. */
export async function removeDemoActivities(db: Db, actor: Actor): Promise<number> {
  authorize(actor, 'removeDemoActivities');
  return deleteDemoActivities(db);
}
