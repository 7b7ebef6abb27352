import { recordAudit } from '../audit/audit.service.ts';
import type { Config } from '../config.ts';
import type { Db } from '../db/database.ts';
import { purgeSentMail } from '../mail/mail.service.ts';
import { purgeOldErrorReports } from '../places/places-retention.service.ts';
import { purgeOrientationPersonalData } from '../referrals/referrals.service.ts';
import { purgeExpiredAccountsData } from './accounts.service.ts';
import { deleteDecidedJoinRequests, deletePersonById, listInactivePersons } from './privacy.repository.ts';

/**
 * The privacy purge (RGPD, issue 5 §9): personal data is kept no longer than the retention periods of
 * the configuration, listed on the "Données personnelles" page. Run daily by the job runner
 * (`privacy.purge`) and by `npm run -s cli -- privacy purge`. Idempotent: a second run at the same time
 * finds nothing; nothing younger than its period is touched.
 */
export type PurgeCounts = Record<string, number>;

const DAY_MS = 24 * 3_600_000;

function monthsBefore(now: Date, months: number): Date {
  const d = new Date(now);
  d.setUTCMonth(d.getUTCMonth() - months);
  return d;
}

/**
 * Deletes or blanks what is past its retention period, and returns how many of each: ended sessions,
 * old links and rate-limit counters; sent mail (RETENTION_SENT_MAIL_DAYS); error reports' contacts and
 * handled reports (RETENTION_ERROR_REPORT_DAYS); decided join requests (RETENTION_JOIN_REQUEST_DAYS);
 * accounts without activity (RETENTION_INACTIVE_ACCOUNT_MONTHS, never coordinators). An audit entry
 * records the counts when something was purged.
 */
export async function purgePersonalData(db: Db, input: { config: Config; now: Date }): Promise<PurgeCounts> {
  const { config, now } = input;
  const r = config.retention;
  const counts: PurgeCounts = {};
  Object.assign(counts, await purgeExpiredAccountsData(db, { config, now }));
  counts.sentMail = await purgeSentMail(db, now, r.sentMailDays);
  Object.assign(counts, await purgeOldErrorReports(db, { now, days: r.errorReportDays }));
  counts.joinRequests = await deleteDecidedJoinRequests(
    db,
    new Date(now.getTime() - r.joinRequestDays * DAY_MS),
  );
  const inactive = await listInactivePersons(db, monthsBefore(now, r.inactiveAccountMonths));
  counts.inactiveAccounts = 0;
  for (const person of inactive) {
    await db.transaction().execute(async (trx) => {
      const tx = trx as unknown as Db;
      if ((await deletePersonById(tx, person.id)) === 0) return;
      await recordAudit(tx, {
        actorId: null,
        actorLabel: 'système',
        action: 'account.deleted_inactive',
        subjectType: 'person',
        subjectId: person.id,
        details: { months: r.inactiveAccountMonths },
        at: now,
      });
      counts.inactiveAccounts = (counts.inactiveAccounts ?? 0) + 1;
    });
  }
  // --- referrals purge (issue 7 §5): add below this line ---
  Object.assign(counts, await purgeOrientationPersonalData(db, { config, now }));

  if (Object.values(counts).some((n) => n > 0)) {
    await recordAudit(db, {
      actorId: null,
      actorLabel: 'système',
      action: 'privacy.purged',
      details: counts,
      at: now,
    });
  }
  return counts;
}
