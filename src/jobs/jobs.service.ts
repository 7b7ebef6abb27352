import type { Logger } from 'pino';
import { type Actor, authorize } from '../accounts/policy.ts';
import type { Config } from '../config.ts';
import type { Db } from '../db/database.ts';
import { smtpTransport } from '../mail/smtp.ts';
import { flushUsage } from '../usage/usage.service.ts';
import { onJobQueued, type QueuedJobHandler, runQueuedJobs } from './job-queue.service.ts';
import { readJobStates, withLeaderLock, writeJobState } from './jobs.repository.ts';
import type { Job, JobReport, Worker } from './jobs.ts';
import {
  defaultFrequentWork,
  defaultJobs,
  defaultQueuedHandlers,
  defaultWorkers,
} from './schedule.service.ts';

/**
 * Scheduled work: one runner, in-process (a timer in the server) or from cron (`jobs run-due`). Each job
 * has a period; its next run is stored in the database, so several servers and cron agree. On
 * PostgreSQL one leader runs at a time (advisory lock); the embedded database has a single process.
 * The jobs themselves are the installation's schedule (schedule.service.ts).
 */

/**
 * Runs every job whose next run is due at `now` (a job never run is due), then schedules its next run
 * one period later. A failing job is recorded and does not stop the others. With `queue`, the due
 * one-off jobs run first. The mechanism under the two entry points below, not a use case: the tests give
 * it the jobs they check.
 */
export async function runJobs(
  db: Db,
  input: {
    jobs: readonly Job[];
    now: Date;
    kind: 'embedded' | 'postgres';
    queue?: Readonly<Record<string, QueuedJobHandler>>;
    workers?: readonly Worker[];
  },
): Promise<JobReport> {
  const queued = input.queue ? await runQueuedJobs(db, input.queue, { now: input.now }) : undefined;
  const worked = input.workers ? await runWorkers(db, input.workers, input.now) : undefined;
  const report = await runPeriodicJobs(db, input);
  return { ...report, ...(queued ? { queued } : {}), ...(worked ? { worked } : {}) };
}

async function runWorkers(db: Db, workers: readonly Worker[], now: Date): Promise<Record<string, number>> {
  const worked: Record<string, number> = {};
  for (const worker of workers) worked[worker.name] = await worker.run(db, now);
  return worked;
}

/**
 * Runs once what is due for this installation, its queued jobs first, over one SMTP connection closed
 * at the end: `jobs run-due`, for cron. The system only.
 */
export async function runDueJobs(
  db: Db,
  actor: Actor,
  input: { kind: 'embedded' | 'postgres' },
  opts: { config: Config; now?: Date },
): Promise<JobReport> {
  authorize(actor, 'runDueJobs');
  const transport = opts.config.smtpUrl ? smtpTransport(opts.config.smtpUrl) : null;
  try {
    return await runJobs(db, {
      jobs: defaultJobs(opts.config, transport),
      queue: defaultQueuedHandlers(opts.config),
      workers: [...defaultWorkers(opts.config), ...defaultFrequentWork()],
      now: opts.now ?? new Date(),
      kind: input.kind,
    });
  } finally {
    transport?.close();
  }
}

async function runPeriodicJobs(
  db: Db,
  input: { jobs: readonly Job[]; now: Date; kind: 'embedded' | 'postgres' },
): Promise<JobReport> {
  const work = async (stillLeading: () => Promise<boolean>) => {
    const states = await readJobStates(db);
    const ran: JobReport['ran'] = [];
    for (const job of input.jobs) {
      const state = states.get(job.name);
      if (state && state.next_run_at > input.now) continue;
      // The leader's lock lost (its connection dropped): another runner may be running these jobs now;
      // the rest waits for the next tick's leader rather than running twice (docs/decisions/0047).
      if (!(await stillLeading())) break;
      const next = new Date(input.now.getTime() + job.everyMinutes * 60_000);
      try {
        const result = await job.run(db, input.now);
        await writeJobState(db, {
          name: job.name,
          last_run_at: input.now,
          next_run_at: next,
          last_error: null,
        });
        ran.push({ name: job.name, ok: true, result });
      } catch (error) {
        const message = String((error as Error)?.message ?? error).slice(0, 500);
        await writeJobState(db, {
          name: job.name,
          last_run_at: input.now,
          next_run_at: next,
          last_error: message,
        });
        ran.push({ name: job.name, ok: false, error: message });
      }
    }
    return ran;
  };
  if (input.kind === 'embedded') return { led: true, ran: await work(async () => true) };
  const { led, result } = await withLeaderLock(db, work);
  return { led, ran: result ?? [] };
}

/**
 * Starts the in-process runner of the installation's jobs: a tick every `intervalMs` (30 s by default)
 * runs the due jobs; ticks never overlap, and a job queued by a request of this process runs at once.
 * Returns a function that stops it and waits for the tick in progress. The server's start only.
 */
export function startJobRunner(
  db: Db,
  actor: Actor,
  input: { kind: 'embedded' | 'postgres' },
  opts: {
    config: Config;
    logger: Logger;
    clock?: () => Date;
    intervalMs?: number;
    usageFlushMs?: number;
    /** How often the frequent work (the ledger's seal) runs; 1 s by default. */
    frequentMs?: number;
  },
): () => Promise<void> {
  authorize(actor, 'startJobRunner');
  const deps = { db, kind: input.kind, ...opts };
  const transport = deps.config.smtpUrl ? smtpTransport(deps.config.smtpUrl) : null;
  const jobs = defaultJobs(deps.config, transport);
  const queue = defaultQueuedHandlers(deps.config);
  const workers = defaultWorkers(deps.config);
  const clock = deps.clock ?? (() => new Date());
  let running: Promise<void> | null = null;
  let draining: Promise<void> | null = null;
  let drainAgain = false;
  // A job enqueued by a request of this process runs at once, not at the next tick.
  const drain = () => {
    if (draining) {
      drainAgain = true;
      return;
    }
    draining = runQueuedJobs(deps.db, queue, { now: clock() })
      .then((r) => {
        if (r.failed) deps.logger.error({ failed: r.failed }, 'queued jobs failed');
      })
      .catch((error) => deps.logger.error({ err: error }, 'queued jobs failed'))
      .finally(() => {
        draining = null;
        if (drainAgain) {
          drainAgain = false;
          drain();
        }
      });
  };
  // Long work (imports from the web) in its own lane: a long import never delays queued mails or links.
  let working: Promise<void> | null = null;
  let workAgain = false;
  const work = () => {
    if (working) {
      workAgain = true;
      return;
    }
    working = runWorkers(deps.db, workers, clock())
      .then(() => undefined)
      .catch((error) => deps.logger.error({ err: error }, 'background work failed'))
      .finally(() => {
        working = null;
        if (workAgain) {
          workAgain = false;
          work();
        }
      });
  };
  const unsubscribe = onJobQueued(() => {
    drain();
    work();
  });
  const tick = () => {
    drain();
    work();
    if (running) return;
    const now = clock();
    running = runJobs(deps.db, { jobs, now, kind: deps.kind })
      .then((report) => {
        // One line per run, on the server that ran it: with several app servers, the record of who ran
        // what and when (the job's state in the database keeps only its last run).
        for (const r of report.ran) {
          if (r.ok) deps.logger.info({ job: r.name, at: now.toISOString() }, 'job ran');
          else deps.logger.error({ job: r.name, at: now.toISOString(), error: r.error }, 'job failed');
        }
      })
      .catch((error) => deps.logger.error({ err: error }, 'job runner failed'))
      .finally(() => {
        running = null;
      });
  };
  const timer = setInterval(tick, deps.intervalMs ?? 30_000);
  timer.unref();
  tick();
  // The figures of use this server counted in memory: written every minute by every server (not only
  // the leader: each holds its own counts), and once more on the way out.
  const flush = () =>
    flushUsage(deps.db, actor).catch((error) => deps.logger.error({ err: error }, 'usage flush failed'));
  const usageTimer = setInterval(flush, deps.usageFlushMs ?? 60_000);
  usageTimer.unref();
  // Frequent work: never two turns at once; a turn that fails is logged and the next one tries again.
  const frequent = defaultFrequentWork();
  let frequentRunning: Promise<void> | null = null;
  const frequentTick = () => {
    if (frequentRunning) return;
    frequentRunning = runWorkers(deps.db, frequent, clock())
      .then(() => undefined)
      .catch((error) => deps.logger.error({ err: error }, 'frequent work failed'))
      .finally(() => {
        frequentRunning = null;
      });
  };
  const frequentTimer = setInterval(frequentTick, deps.frequentMs ?? 1000);
  frequentTimer.unref();
  return async () => {
    clearInterval(timer);
    clearInterval(usageTimer);
    clearInterval(frequentTimer);
    await frequentRunning;
    unsubscribe();
    await running;
    await draining;
    await working;
    await flush();
    transport?.close();
  };
}

/**
 * How late the scheduled jobs are, in seconds: how long ago the most overdue job of the installation's
 * schedule was due (0 when none is). A runner that stopped (or a leader that died) makes it grow. For the
 * operations' metrics (docs/decisions/0046), shared by all app servers since it is read from the database.
 */
export async function scheduledJobsLag(db: Db, config: Config, now: Date): Promise<number> {
  const names = new Set(defaultJobs(config, null).map((j) => j.name));
  let oldest = now.getTime();
  for (const [name, state] of await readJobStates(db)) {
    if (names.has(name)) oldest = Math.min(oldest, new Date(state.next_run_at).getTime());
  }
  return Math.max(0, (now.getTime() - oldest) / 1000);
}
