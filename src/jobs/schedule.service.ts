import type { Actor } from '../accounts/policy.ts';
import { purgePersonalData } from '../accounts/privacy.service.ts';
import { SINGLE_USE_LINK_JOB, sendSingleUseLink } from '../accounts/sign-in.service.ts';
import { runCallbackReminders } from '../callbacks/callbacks.service.ts';
import type { Config } from '../config.ts';
import { deliverDueMail } from '../mail/mail.service.ts';
import type { MailTransport } from '../mail/mail.ts';
import { sendFreshnessReminders } from '../places/freshness.service.ts';
import { purgeImportUploads, runImportUploads } from '../places/import-uploads.service.ts';
import { runOrientationDeadlines } from '../referrals/deadlines.service.ts';
import { sealLedger } from '../vouchers/ledger.service.ts';
import { issueDueStatements } from '../vouchers/statements.service.ts';
import { runWorkshopReminders } from '../workshops/registrations.service.ts';
import type { QueuedJobHandler } from './job-queue.service.ts';
import type { Job, Worker } from './jobs.ts';

/**
 * The installation's scheduled work: which periodic jobs run and how often, and which handler runs
 * each one-off queued job. Wiring, not a use case: front doors never call it; the runner's entry
 * points (`runDueJobs`, `startJobRunner`, which only the system may call) build it from the
 * configuration (docs/decisions/0023). Scheduled jobs act as the system.
 */
const SYSTEM: Actor = { kind: 'system' };

/** The handlers of one-off queued jobs, by name (see job-queue.service.ts). */
export function defaultQueuedHandlers(config: Config): Record<string, QueuedJobHandler> {
  return {
    [SINGLE_USE_LINK_JOB]: (db, payload, now) => sendSingleUseLink(db, payload, { config, now }),
  };
}

/** The long work any server takes: dry runs and imports of files uploaded on the web. */
export function defaultWorkers(config: Config): Worker[] {
  return [
    {
      name: 'places.import-uploads',
      run: (db, now) =>
        runImportUploads(db, SYSTEM, {
          now,
          scope: config.publicScope,
          mergeReviewBelow: config.mergeReviewBelow,
        }),
    },
  ];
}

/**
 * Work every server does every second, whoever leads: the pass numérique's ledger is sealed within
 * seconds of its writing (decision 0037; an advisory lock per programme keeps two servers apart).
 */
export function defaultFrequentWork(): Worker[] {
  let turn = 0;
  // Near the end of the chain every second; the whole ledger every minute (an entry committed late).
  return [{ name: 'vouchers.seal', run: (db) => sealLedger(db, SYSTEM, { recent: turn++ % 60 !== 0 }) }];
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
    // Files uploaded for import are kept 24 hours.
    {
      name: 'places.import-uploads-purge',
      everyMinutes: 60,
      run: (db, now) => purgeImportUploads(db, SYSTEM, now),
    },
    // --- privacy purge jobs: add below this line ---
    // One purge for every retention period (it includes what accounts.purge and mail.purge did).
    {
      name: 'privacy.purge',
      everyMinutes: 24 * 60,
      run: (db, now) => purgePersonalData(db, SYSTEM, { config, now }),
    },
    // --- call-back jobs: add below this line ---
    // A call-back still open 2 working days after its day: its structure is reminded once.
    {
      name: 'callbacks.reminders',
      everyMinutes: 60,
      run: (db, now) => runCallbackReminders(db, SYSTEM, { publicUrl: config.publicUrl, now }),
    },
    // --- agenda jobs: add below this line ---
    // The people registered to tomorrow's workshops are reminded once by mail (hourly: a run missed
    // at midnight is caught up the same day).
    {
      name: 'workshops.reminders',
      everyMinutes: 60,
      run: (db, now) => runWorkshopReminders(db, SYSTEM, { publicUrl: config.publicUrl, now }),
    },
    // --- pass numérique jobs: add below this line ---
    // Last month's statements, issued once it is over (hourly: the 1st's first run issues them, every
    // later run finds them issued and does nothing; decision 0045).
    {
      name: 'vouchers.statements',
      everyMinutes: 60,
      run: (db, now) => issueDueStatements(db, SYSTEM, { now }),
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
