import type { Selectable } from 'kysely';
import { type Kysely, sql } from 'kysely';
import type { Database, QueuedJobTable } from '../db/database.ts';

type Executor = Kysely<Database>;
export type QueuedJobRow = Selectable<QueuedJobTable>;

export async function insertQueuedJob(
  db: Executor,
  job: { name: string; payload: Record<string, unknown>; run_after: Date },
): Promise<void> {
  await db
    .insertInto('queued_job')
    .values({ name: job.name, payload: JSON.stringify(job.payload), run_after: job.run_after })
    .execute();
}

/** Locks the oldest due job that no other server holds (SKIP LOCKED), for the caller's transaction. */
export async function claimDueJob(db: Executor, now: Date): Promise<QueuedJobRow | undefined> {
  return db
    .selectFrom('queued_job')
    .selectAll()
    .where('failed_at', 'is', null)
    .where('run_after', '<=', now)
    .orderBy('run_after')
    .orderBy('id')
    .limit(1)
    .forUpdate()
    .skipLocked()
    .executeTakeFirst();
}

export async function deleteQueuedJob(db: Executor, id: number): Promise<void> {
  await db.deleteFrom('queued_job').where('id', '=', id).execute();
}

export async function recordJobFailure(
  db: Executor,
  id: number,
  failure: { error: string; retryAt: Date | null; now: Date },
): Promise<void> {
  await db
    .updateTable('queued_job')
    .set({
      attempts: sql`attempts + 1`,
      last_error: failure.error,
      run_after: failure.retryAt ?? failure.now,
      failed_at: failure.retryAt ? null : failure.now,
    })
    .where('id', '=', id)
    .execute();
}

export async function deleteFailedJobsBefore(db: Executor, before: Date): Promise<number> {
  const rows = await db.deleteFrom('queued_job').where('failed_at', '<', before).returning('id').execute();
  return rows.length;
}
