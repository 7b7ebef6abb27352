import { purgeExpiredBeneficiaries } from '../activities/beneficiaries.service.ts';
import { recordAudit } from '../audit/audit.service.ts';
import { purgeCallbacks } from '../callbacks/callbacks.service.ts';
import type { Config } from '../config.ts';
import type { Db } from '../db/database.ts';
import { enqueueMail, type OutgoingMail, purgeSentMail } from '../mail/mail.service.ts';
import { purgeNetworkMessageRecipients } from '../messages/messages.service.ts';
import { purgeOldErrorReports } from '../places/places-retention.service.ts';
import { purgeOrientationPersonalData } from '../referrals/parcours.service.ts';
import { purgeWorkshopRegistrations } from '../workshops/registrations.service.ts';
import { purgeExpiredAccountsData } from './accounts.service.ts';
import { type Actor, authorize } from './policy.ts';
import {
  deleteDecidedJoinRequests,
  deletePersonById,
  listInactivePersons,
  markInactivityWarned,
} from './privacy.repository.ts';

/**
 * The privacy purge (RGPD): personal data is kept no longer than the retention periods of
 * the configuration, listed on the "Données personnelles" page. Run daily by the job runner
 * (`privacy.purge`) and by `npm run -s cli -- privacy purge`. Idempotent: a second run at the same time
 * finds nothing; nothing younger than its period is touched.
 */
export type PurgeCounts = Record<string, number>;

const DAY_MS = 24 * 3_600_000;
/** An inactive account is warned this many days before it is deleted. */
export const WARNING_DAYS = 30;

function inactivityWarning(
  config: Config,
  person: { email: string; display_name: string },
  deletionDate: Date,
): OutgoingMail {
  const date = deletionDate.toLocaleDateString('fr-FR', {
    day: 'numeric',
    month: 'long',
    year: 'numeric',
    timeZone: 'Europe/Paris',
  });
  return {
    to: person.email,
    kind: 'inactivity_warning',
    subject: 'Votre compte Maillage va être supprimé',
    text: [
      `Bonjour ${person.display_name},`,
      '',
      `Vous ne vous êtes pas connecté·e à Maillage depuis longtemps. Pour protéger vos données, votre compte sera supprimé le ${date}.`,
      '',
      `Pour le garder, il suffit de vous connecter avant cette date : ${config.publicUrl}/connexion`,
      '',
      'Si vous ne faites rien, votre compte et vos rattachements aux structures seront effacés.',
    ].join('\n'),
  };
}

function monthsBefore(now: Date, months: number): Date {
  const d = new Date(now);
  d.setUTCMonth(d.getUTCMonth() - months);
  return d;
}

/**
 * Deletes or blanks what is past its retention period, and returns how many of each: ended sessions,
 * old links and rate-limit counters; sent mail and the recipients of network messages
 * (RETENTION_SENT_MAIL_DAYS); error reports' contacts and
 * handled reports (RETENTION_ERROR_REPORT_DAYS); call-back requests (RETENTION_CALLBACK_DAYS); workshop registrations' personal fields
 * (RETENTION_REGISTRATION_DAYS after the date, counts kept); decided join requests (RETENTION_JOIN_REQUEST_DAYS);
 * accounts without activity (RETENTION_INACTIVE_ACCOUNT_MONTHS, never coordinators). An audit entry
 * records the counts when something was purged. The system only: the daily job and the command line.
 */
export async function purgePersonalData(
  db: Db,
  actor: Actor,
  input: { config: Config; now: Date },
): Promise<PurgeCounts> {
  authorize(actor, 'purgePersonalData');
  const { config, now } = input;
  const r = config.retention;
  const counts: PurgeCounts = {};
  Object.assign(counts, await purgeExpiredAccountsData(db, { config, now }));
  // The recipients of network messages first: their mails' delivery is read before the outbox forgets it.
  Object.assign(counts, await purgeNetworkMessageRecipients(db, { now, days: r.sentMailDays }));
  counts.sentMail = await purgeSentMail(db, now, r.sentMailDays);
  Object.assign(counts, await purgeOldErrorReports(db, { now, days: r.errorReportDays }));
  Object.assign(counts, await purgeCallbacks(db, { now, days: r.callbackDays }));
  Object.assign(counts, await purgeWorkshopRegistrations(db, { now, days: r.registrationDays }));
  counts.joinRequests = await deleteDecidedJoinRequests(
    db,
    new Date(now.getTime() - r.joinRequestDays * DAY_MS),
  );
  // Accounts without activity: warned by mail WARNING_DAYS before the end of the period, deleted at its
  // end only if the warning is that old (a sign-in clears the warning and restarts the period).
  const deleteBefore = monthsBefore(now, r.inactiveAccountMonths);
  const warnBefore = new Date(deleteBefore.getTime() + WARNING_DAYS * DAY_MS);
  counts.inactivityWarnings = 0;
  for (const person of await listInactivePersons(db, warnBefore)) {
    if (person.inactivity_warned_at !== null) continue;
    await db.transaction().execute(async (trx) => {
      const tx = trx as unknown as Db;
      await enqueueMail(
        tx,
        inactivityWarning(config, person, new Date(now.getTime() + WARNING_DAYS * DAY_MS)),
        now,
      );
      await markInactivityWarned(tx, person.id, now);
    });
    counts.inactivityWarnings++;
  }
  counts.inactiveAccounts = 0;
  const warnedBefore = new Date(now.getTime() - WARNING_DAYS * DAY_MS);
  for (const person of await listInactivePersons(db, deleteBefore)) {
    if (person.inactivity_warned_at === null || person.inactivity_warned_at > warnedBefore) continue;
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
  // --- referrals purge: add below this line ---
  Object.assign(counts, await purgeOrientationPersonalData(db, { config, now }));
  // --- activity records purge: followed persons past their retention (decision 0038) ---
  Object.assign(counts, await purgeExpiredBeneficiaries(db, { now }));

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
