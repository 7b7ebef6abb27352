import type { Db } from '../db/database.ts';
import {
  claimDueJob,
  deleteFailedJobsBefore,
  deleteQueuedJob,
  insertQueuedJob,
  recordJobFailure,
} from './job-queue.repository.ts';

/**
 * One-off background work. A request enqueues a job and answers at once; the job runner (in every app
 * server, or `jobs run-due`) runs it soon after, in a transaction of its own: the job's writes and its
 * removal from the queue commit together, so a job runs to the end exactly once or is retried. This
 * floor imports no domain: the runner (jobs.service.ts) maps job names to the domains' handlers.
 */
export type QueuedJobHandler = (db: Db, payload: Record<string, unknown>, now: Date) => Promise<void>;

/** Minutes before the next attempt after the n-th failure; after the last, the job is kept as failed. */
const RETRY_MINUTES = [1, 5, 15] as const;
const FAILED_KEPT_DAYS = 7;

const listeners = new Set<() => void>();

/** Calls `listener` soon after each job is enqueued in this process (the runner drains the queue). */
export function onJobQueued(listener: () => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

/** Adds a job to the queue; it runs once `now` + `delayMinutes` has passed. */
export async function enqueueJob(
  db: Db,
  name: string,
  payload: Record<string, unknown>,
  opts: { now?: Date; delayMinutes?: number } = {},
): Promise<void> {
  const now = opts.now ?? new Date();
  await insertQueuedJob(db, {
    name,
    payload,
    run_after: new Date(now.getTime() + (opts.delayMinutes ?? 0) * 60_000),
  });
  wakeJobRunner();
}

/**
 * Wakes this process's runner at once for work recorded elsewhere than the queue (an upload to import):
 * other servers find it at their next tick.
 */
export function wakeJobRunner(): void {
  if (listeners.size > 0)
    setImmediate(() => {
      for (const listener of listeners) listener();
    });
}

class JobFailed extends Error {
  constructor(
    readonly jobId: number,
    readonly attempts: number,
    readonly reason: string,
  ) {
    super(reason);
  }
}

/**
 * Runs due jobs, oldest first, at most `max` of them. A failing job is rolled back and retried after
 * 1, 5 then 15 minutes, then kept as failed (for a week) with its error; an unknown job name fails at
 * once. Returns the counts.
 */
export async function runQueuedJobs(
  db: Db,
  handlers: Readonly<Record<string, QueuedJobHandler>>,
  opts: { now: Date; max?: number },
): Promise<{ done: number; failed: number }> {
  let done = 0;
  let failed = 0;
  for (let i = 0; i < (opts.max ?? 100); i++) {
    try {
      const ran = await db.transaction().execute(async (tx) => {
        const job = await claimDueJob(tx, opts.now);
        if (!job) return false;
        const handler = Object.hasOwn(handlers, job.name) ? handlers[job.name] : undefined;
        try {
          if (!handler) throw new Error(`no handler for queued job ${job.name}`);
          await handler(tx, job.payload, opts.now);
        } catch (error) {
          throw new JobFailed(job.id, handler ? job.attempts : RETRY_MINUTES.length, String(error));
        }
        await deleteQueuedJob(tx, job.id);
        return true;
      });
      if (!ran) break;
      done++;
    } catch (error) {
      if (!(error instanceof JobFailed)) throw error;
      const delay = RETRY_MINUTES[error.attempts];
      await recordJobFailure(db, error.jobId, {
        error: error.reason.slice(0, 500),
        retryAt: delay === undefined ? null : new Date(opts.now.getTime() + delay * 60_000),
        now: opts.now,
      });
      failed++;
    }
  }
  await deleteFailedJobsBefore(db, new Date(opts.now.getTime() - FAILED_KEPT_DAYS * 24 * 3600_000));
  return { done, failed };
}
