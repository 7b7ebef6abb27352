import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { bytes, sampleRow, toCsv } from '../../test/support/fixtures.ts';
import { closeTestTemplate, createTestDb } from '../../test/support/test-db.ts';
import { listAudit } from '../audit/audit.service.ts';
import { loadConfig } from '../config.ts';
import type { Db } from '../db/database.ts';
import { runJobs } from '../jobs/jobs.service.ts';
import { defaultJobs } from '../jobs/schedule.service.ts';
import { importPlacesFile } from '../places/places-import.service.ts';
import { ANONYMOUS } from './policy.ts';
import { purgePersonalData } from './privacy.service.ts';
import { argon2Hasher } from './sessions.service.ts';
import { signInWithPassword } from './sign-in.service.ts';

after(closeTestTemplate);

const NOW = new Date('2026-06-01T12:00:00Z');
const OUR_COUNTS = {
  sessions: 0,
  tokens: 0,
  rateLimits: 0,
  sentMail: 0,
  errorReportContacts: 0,
  errorReports: 0,
  joinRequests: 0,
  inactivityWarnings: 0,
  inactiveAccounts: 0,
};
const DAY = 24 * 3_600_000;
const ago = (days: number) => new Date(NOW.getTime() - days * DAY);
const monthsAgo = (months: number) => {
  const d = new Date(NOW);
  d.setUTCMonth(d.getUTCMonth() - months);
  return d;
};
// The default periods: sent mail 30 days, error reports 365 days, join requests 90 days, accounts 24 months.
const config = loadConfig({ DATA_DIR: '/nonexistent-test-dir' });
/** The purge runs as the system (the daily job, the command line). */
const SYSTEM = { kind: 'system' } as const;

/** Data on both sides of every period: what is just older goes, what is just younger stays. */
async function seed(db: Db) {
  await importPlacesFile(db, { kind: 'system' }, bytes(toCsv([sampleRow({ id: 'p1' })])), {
    fileName: 'x.csv',
  });
  const place = await db.selectFrom('place').select(['id', 'structure_id']).executeTakeFirstOrThrow();
  const structureId = place.structure_id as string;
  const mail = (subject: string, status: 'sent' | 'failed' | 'pending', created: Date, sent: Date | null) =>
    db
      .insertInto('mail_outbox')
      .values({
        to_address: 'x@example.org',
        subject,
        text_body: 'lien',
        status,
        created_at: created,
        next_attempt_at: created,
        sent_at: sent,
      })
      .execute();
  await mail('sent-31', 'sent', ago(32), ago(31));
  await mail('sent-29', 'sent', ago(40), ago(29));
  await mail('failed-31', 'failed', ago(31), null);
  await mail('failed-29', 'failed', ago(29), null);
  await mail('pending-40', 'pending', ago(40), null);

  const report = (
    message: string,
    status: 'new' | 'done' | 'rejected',
    created: Date,
    decided: Date | null,
  ) =>
    db
      .insertInto('error_report')
      .values({
        place_id: place.id,
        message,
        contact: '06 00 00 00 00',
        status,
        created_at: created,
        decided_at: decided,
      })
      .execute();
  await report('new-366', 'new', ago(366), null);
  await report('new-364', 'new', ago(364), null);
  await report('done-366', 'done', ago(400), ago(366));
  await report('rejected-300', 'rejected', ago(400), ago(300));

  const person = async (email: string, values: Record<string, unknown> = {}) =>
    (
      await db
        .insertInto('person')
        .values({ email, display_name: email, created_at: monthsAgo(30), ...values })
        .returning('id')
        .executeTakeFirstOrThrow()
    ).id;
  const gone = await person('inactif@example.org', {
    last_sign_in_at: new Date(monthsAgo(24).getTime() - DAY),
  });
  await db
    .insertInto('membership')
    .values({ person_id: gone, structure_id: structureId, role: 'staff' })
    .execute();
  await person('coordination@example.org', { network_role: 'coordinator' });
  await person('demo@example.org', { is_demo: true });
  // Just younger than the period less the 30 days of warning: neither warned nor deleted.
  const recent = await person('recent@example.org', {
    last_sign_in_at: new Date(monthsAgo(24).getTime() + 31 * DAY),
  });
  const invited = await person('invite@example.org');
  await db
    .insertInto('one_time_token')
    .values({
      token_hash: 'h1',
      purpose: 'invitation',
      person_id: invited,
      created_at: ago(2),
      expires_at: ago(-5),
    })
    .execute();
  const asking = await person('demande@example.org');
  await db.insertInto('join_request').values({ person_id: asking, structure_id: structureId }).execute();

  const request = (personId: string, status: 'accepted' | 'refused', decided: Date) =>
    db
      .insertInto('join_request')
      .values({
        person_id: personId,
        structure_id: structureId,
        status,
        created_at: ago(200),
        decided_at: decided,
      })
      .execute();
  await request(recent, 'accepted', ago(91));
  const other = await person('autre@example.org', { last_sign_in_at: ago(1) });
  await request(other, 'refused', ago(89));

  // A session ended long ago for a kept account.
  await db
    .insertInto('session')
    .values({
      id: 'old-session',
      person_id: recent,
      stage: 'full',
      created_at: ago(3),
      last_seen_at: ago(3),
      expires_at: ago(2),
    })
    .execute();
  return { gone };
}

async function snapshot(db: Db) {
  return {
    mail: (await db.selectFrom('mail_outbox').select('subject').orderBy('subject').execute()).map(
      (r) => r.subject,
    ),
    reports: (
      await db.selectFrom('error_report').select(['message', 'contact']).orderBy('message').execute()
    ).map((r) => [r.message, r.contact]),
    people: (await db.selectFrom('person').select('email').orderBy('email').execute()).map((r) => r.email),
    joinRequests: (await db.selectFrom('join_request').select('status').orderBy('status').execute()).map(
      (r) => r.status,
    ),
  };
}

describe('the privacy purge', () => {
  it('removes only what is older than its period, and is idempotent', async () => {
    const t = await createTestDb();
    try {
      const { gone } = await seed(t.db);
      const counts = await purgePersonalData(t.db, SYSTEM, { config, now: NOW });
      // Other domains add their own counts to the purge (orientations…): only ours are checked here.
      const ours = Object.fromEntries(Object.entries(counts).filter(([k]) => k in OUR_COUNTS));
      assert.deepEqual(ours, {
        sessions: 1,
        tokens: 0,
        rateLimits: 0,
        sentMail: 2,
        errorReportContacts: 2,
        errorReports: 1,
        joinRequests: 1,
        inactivityWarnings: 1,
        inactiveAccounts: 0,
      });
      const after = await snapshot(t.db);
      assert.deepEqual(after.mail, [
        'Votre compte Maillage va être supprimé',
        'failed-29',
        'pending-40',
        'sent-29',
      ]);
      const warning = await t.db
        .selectFrom('mail_outbox')
        .selectAll()
        .where('subject', '=', 'Votre compte Maillage va être supprimé')
        .executeTakeFirstOrThrow();
      assert.equal(warning.to_address, 'inactif@example.org');
      assert.match(warning.text_body, /supprimé le 1 juillet 2026/);
      assert.match(warning.text_body, /\/connexion/);
      assert.deepEqual(after.reports, [
        ['new-364', '06 00 00 00 00'],
        ['new-366', null],
        ['rejected-300', null],
      ]);
      // The inactive account is only warned: it is deleted 30 days later, if still inactive.
      assert.ok(after.people.includes('inactif@example.org'));
      assert.deepEqual(after.joinRequests, ['pending', 'refused']);
      const [purged] = await listAudit(t.db, { action: 'privacy.purged' });
      assert.deepEqual(purged?.details, counts);

      // Again at the same time: nothing more, nothing logged.
      const again = await purgePersonalData(t.db, SYSTEM, { config, now: NOW });
      assert.ok(
        Object.values(again).every((n) => n === 0),
        JSON.stringify(again),
      );
      assert.deepEqual(await snapshot(t.db), after);
      assert.equal((await listAudit(t.db, { action: 'privacy.purged' })).length, 1);

      // Thirty days after the warning, without a sign-in: the account goes, with its memberships.
      const later = await purgePersonalData(t.db, SYSTEM, {
        config,
        now: new Date(NOW.getTime() + 30 * DAY),
      });
      assert.equal(later.inactiveAccounts, 1);
      assert.deepEqual((await snapshot(t.db)).people, [
        'autre@example.org',
        'coordination@example.org',
        'demande@example.org',
        'demo@example.org',
        'invite@example.org',
        'recent@example.org',
      ]);
      assert.equal(
        (await t.db.selectFrom('membership').select('person_id').where('person_id', '=', gone).execute())
          .length,
        0,
      );
      const [deleted] = await listAudit(t.db, { action: 'account.deleted_inactive' });
      assert.equal(deleted?.subjectId, gone);
    } finally {
      await t.close();
    }
  });

  it('follows the periods of the configuration', async () => {
    const t = await createTestDb();
    try {
      await seed(t.db);
      const longer = loadConfig({
        DATA_DIR: '/nonexistent-test-dir',
        RETENTION_SENT_MAIL_DAYS: '60',
        RETENTION_ERROR_REPORT_DAYS: '500',
        RETENTION_JOIN_REQUEST_DAYS: '100',
        RETENTION_INACTIVE_ACCOUNT_MONTHS: '36',
      });
      const counts = await purgePersonalData(t.db, SYSTEM, { config: longer, now: NOW });
      assert.equal(counts.sentMail, 0);
      assert.equal(counts.errorReportContacts, 0);
      assert.equal(counts.errorReports, 0);
      assert.equal(counts.joinRequests, 0);
      assert.equal(counts.inactivityWarnings, 0);
      assert.equal(counts.inactiveAccounts, 0);
      const shorter = loadConfig({ DATA_DIR: '/nonexistent-test-dir', RETENTION_SENT_MAIL_DAYS: '1' });
      assert.equal((await purgePersonalData(t.db, SYSTEM, { config: shorter, now: NOW })).sentMail, 4);
    } finally {
      await t.close();
    }
  });

  it('keeps a warned account whose owner signs in before the deletion date', async () => {
    const t = await createTestDb();
    try {
      await seed(t.db);
      const password = 'un mot de passe assez long';
      await t.db
        .updateTable('person')
        .set({ password_hash: await argon2Hasher.hash(password) })
        .where('email', '=', 'inactif@example.org')
        .execute();
      assert.equal((await purgePersonalData(t.db, SYSTEM, { config, now: NOW })).inactivityWarnings, 1);
      const signedIn = await signInWithPassword(
        t.db,
        ANONYMOUS,
        { email: 'inactif@example.org', password, client: '192.0.2.1' },
        { config, now: new Date(NOW.getTime() + 10 * DAY) },
      );
      assert.equal(signedIn.ok, true);
      const later = await purgePersonalData(t.db, SYSTEM, {
        config,
        now: new Date(NOW.getTime() + 31 * DAY),
      });
      assert.equal(later.inactiveAccounts, 0);
      assert.ok((await snapshot(t.db)).people.includes('inactif@example.org'));
    } finally {
      await t.close();
    }
  });

  it('runs daily in the job runner as privacy.purge, replacing the older purge jobs', async () => {
    const t = await createTestDb();
    try {
      await seed(t.db);
      const jobs = defaultJobs(config, null);
      assert.ok(!jobs.some((j) => j.name === 'accounts.purge' || j.name === 'mail.purge'));
      assert.equal(jobs.find((j) => j.name === 'privacy.purge')?.everyMinutes, 24 * 60);
      const kind = t.kind === 'pg' ? 'postgres' : 'embedded';
      const first = await runJobs(t.db, { jobs, now: NOW, kind });
      assert.equal(
        (first.ran.find((r) => r.name === 'privacy.purge')?.result as Record<string, number> | undefined)
          ?.sentMail,
        2,
      );
      const soon = await runJobs(t.db, { jobs, now: new Date(NOW.getTime() + 3_600_000), kind });
      assert.ok(!soon.ran.some((r) => r.name === 'privacy.purge'), 'not again within the day');
    } finally {
      await t.close();
    }
  });
});
