import { SINGLE_USE_LINK_JOB, sendSingleUseLink } from '../../src/accounts/sign-in.service.ts';
import { DEFAULT_LIMITS } from '../../src/config.ts';
import type { Db } from '../../src/db/database.ts';
import { runQueuedJobs } from '../../src/jobs/job-queue.service.ts';

/** What the accounts services need from the configuration, for service-level tests. */
export const ACCOUNTS_CONFIG = {
  publicUrl: 'https://maillage.example.org',
  sessionIdleMinutes: 30,
  sessionMaxHours: 12,
  limits: DEFAULT_LIMITS,
};

/** A password that the policy accepts. */
export const PASSWORD = 'une phrase de passe solide';

/** The last path segment of a link (its token). */
export const tokenOf = (link: string) => link.split('/').pop() as string;

/** Runs the queued link jobs, as the job runner does after a request. */
export async function runLinkJobs(db: Db, now: Date, config = ACCOUNTS_CONFIG): Promise<void> {
  await runQueuedJobs(
    db,
    { [SINGLE_USE_LINK_JOB]: (tx, payload, when) => sendSingleUseLink(tx, payload, { config, now: when }) },
    { now },
  );
}
