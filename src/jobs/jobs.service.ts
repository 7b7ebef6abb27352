import type { Logger } from 'pino';
import { purgePersonalData } from '../accounts/privacy.service.ts';
import { SINGLE_USE_LINK_JOB, sendSingleUseLink } from '../accounts/sign-in.service.ts';
import type { Config } from '../config.ts';
import type { Db } from '../db/database.ts';
import { deliverDueMail, type MailTransport, smtpTransport } from '../mail/mail.service.ts';
import { sendFreshnessReminders } from '../places/freshness.service.ts';
import { runOrientationDeadlines } from '../referrals/deadlines.service.ts';
import { onJobQueued, type QueuedJobHandler, runQueuedJobs } from './job-queue.service.ts';
import { readJobStates, withLeaderLock, writeJobState } from './jobs.repository.ts';

/**
 * Scheduled work: one runner, in-process (a timer in the server) or from cron (`jobs run-due`). Each job
 * has a period; its next run is stored in the database, so several servers and cron agree. On
 * PostgreSQL one leader runs at a time (advisory lock); the embedded database has a single process.
 */
export interface Job {
  name: string;
  everyMinutes: number;
  run(db: Db, now: Date): Promise<unknown>;
}

export interface JobReport {
  led: boolean;
  ran: { name: string; ok: boolean; result?: unknown; error?: string }[];
  /** One-off jobs of the queue run by this call (any server may run them, leader or not). */
  queued?: { done: number; failed: number };
}

/** The handlers of one-off queued jobs, by name (see job-queue.service.ts). */
export function defaultQueuedHandlers(config: Config): Record<string, QueuedJobHandler> {
  return {
    [SINGLE_USE_LINK_JOB]: (db, payload, now) => sendSingleUseLink(db, payload, { config, now }),
  };
}

/** The jobs of this installation. Without SMTP_URL, messages wait in the outbox (demo outbox page). */
export function defaultJobs(config: Config, transport: MailTransport | null): Job[] {
  const jobs: Job[] = [
    // --- moderation and freshness jobs: add below this line ---
    {
      name: 'places.freshness-reminders',
      everyMinutes: 24 * 60,
      run: (db, now) => sendFreshnessReminders(db, { config, now }),
    },
    // --- privacy purge jobs: add below this line ---
    // One purge for every retention period (it includes what accounts.purge and mail.purge did).
    {
      name: 'privacy.purge',
      everyMinutes: 24 * 60,
      run: (db, now) => purgePersonalData(db, { config, now }),
    },
    // --- referrals jobs: add below this line ---
    {
      name: 'referrals.deadlines',
      everyMinutes: 60,
      run: (db, now) => runOrientationDeadlines(db, { config, now }),
    },
  ];
  if (transport) {
    jobs.push({
      name: 'mail.deliver',
      everyMinutes: 1,
      run: (db, now) => deliverDueMail(db, { transport, from: config.mailFrom, now }),
    });
  }
  return jobs;
}

/**
 * Runs every job whose next run is due at `now` (a job never run is due), then schedules its next run
 * one period later. A failing job is recorded and does not stop the others.
 */
export async function runDueJobs(
  db: Db,
  input: {
    jobs: Job[];
    now: Date;
    kind: 'embedded' | 'postgres';
    queue?: Readonly<Record<string, QueuedJobHandler>>;
  },
): Promise<JobReport> {
  const queued = input.queue ? await runQueuedJobs(db, input.queue, { now: input.now }) : undefined;
  const report = await runPeriodicJobs(db, input);
  return queued ? { ...report, queued } : report;
}

async function runPeriodicJobs(
  db: Db,
  input: { jobs: Job[]; now: Date; kind: 'embedded' | 'postgres' },
): Promise<JobReport> {
  const work = async () => {
    const states = await readJobStates(db);
    const ran: JobReport['ran'] = [];
    for (const job of input.jobs) {
      const state = states.get(job.name);
      if (state && state.next_run_at > input.now) continue;
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
  if (input.kind === 'embedded') return { led: true, ran: await work() };
  const { led, result } = await withLeaderLock(db, work);
  return { led, ran: result ?? [] };
}

/**
 * Starts the in-process runner: a tick every `intervalMs` (30 s by default) runs the due jobs; ticks
 * never overlap. Returns a function that stops it and waits for the tick in progress.
 */
export function startJobRunner(deps: {
  db: Db;
  kind: 'embedded' | 'postgres';
  config: Config;
  logger: Logger;
  clock?: () => Date;
  intervalMs?: number;
}): () => Promise<void> {
  const transport = deps.config.smtpUrl ? smtpTransport(deps.config.smtpUrl) : null;
  const jobs = defaultJobs(deps.config, transport);
  const queue = defaultQueuedHandlers(deps.config);
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
  const unsubscribe = onJobQueued(drain);
  const tick = () => {
    drain();
    if (running) return;
    running = runDueJobs(deps.db, { jobs, now: clock(), kind: deps.kind })
      .then((report) => {
        for (const r of report.ran) {
          if (!r.ok) deps.logger.error({ job: r.name, error: r.error }, 'job failed');
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
  return async () => {
    clearInterval(timer);
    unsubscribe();
    await running;
    await draining;
    transport?.close();
  };
}
