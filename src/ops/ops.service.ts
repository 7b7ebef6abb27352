import { type Actor, authorize } from '../accounts/policy.ts';
import type { Config } from '../config.ts';
import type { Db } from '../db/database.ts';
import { databaseAnswers, within } from '../db/health.ts';
import { pendingMigrations } from '../db/migrate.ts';
import { scheduledJobsLag } from '../jobs/jobs.service.ts';
import { countUndeliveredMail } from '../mail/mail.service.ts';
import { loadSearchIndex } from '../search/search.service.ts';
import type { PublicScope } from '../shared/territory.ts';

/**
 * What an operator's probes and scrapers ask of an app server (docs/decisions/0046). They act as the
 * system: the probe and the scraper are not people; the routes decide who may ask (everyone for
 * readiness, the holder of METRICS_TOKEN for the figures).
 */

export type ReadinessCheck = 'database' | 'migrations' | 'search_index';

export interface Readiness {
  ready: boolean;
  /** The checks that failed, in this order: database, migrations, search index. */
  failing: ReadinessCheck[];
}

/**
 * Ready to serve: the database answers (`select 1` within `timeoutMs`), every migration of this code is
 * applied unchanged (a database a newer release expanded is fine: expand/contract upgrades), and the public search index is loaded (loading it when it is not: the first probes of a
 * fresh process may fail while it loads). Each check within `timeoutMs`.
 */
export async function checkReadiness(
  db: Db,
  actor: Actor,
  input: { scope: PublicScope; timeoutMs: number },
): Promise<Readiness> {
  authorize(actor, 'checkReadiness');
  if (!(await databaseAnswers(db, input.timeoutMs))) return { ready: false, failing: ['database'] };
  const [migrations, index] = await Promise.all([
    within(pendingMigrations(db), input.timeoutMs).then(
      (pending) => pending.length === 0,
      () => false,
    ),
    within(loadSearchIndex(db, input.scope), input.timeoutMs).then(
      () => true,
      () => false,
    ),
  ]);
  const failing: ReadinessCheck[] = [];
  if (!migrations) failing.push('migrations');
  if (!index) failing.push('search_index');
  return { ready: failing.length === 0, failing };
}

export interface OperationalFigures {
  /** Seconds the most overdue scheduled job is late (0: none). */
  jobLagSeconds: number;
  /** Messages waiting in the outbox. */
  outboxPending: number;
}

/** The figures read from the database at each scrape of /metrics. */
export async function readOperationalFigures(
  db: Db,
  actor: Actor,
  input: { config: Config; now: Date },
): Promise<OperationalFigures> {
  authorize(actor, 'readOperationalFigures');
  const [jobLagSeconds, outboxPending] = await Promise.all([
    scheduledJobsLag(db, input.config, input.now),
    countUndeliveredMail(db),
  ]);
  return { jobLagSeconds, outboxPending };
}
