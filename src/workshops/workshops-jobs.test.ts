import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { closeTestTemplate, createTestDb, type TestDb } from '../../test/support/test-db.ts';
import { aWorkshop, workshopForm, workshopNetwork } from '../../test/support/workshop-fixtures.ts';
import type { Actor } from '../accounts/policy.ts';
import { DEFAULT_LIMITS, loadConfig } from '../config.ts';
import { runJobs } from '../jobs/jobs.service.ts';
import { defaultJobs } from '../jobs/schedule.service.ts';
import {
  cancelRegistrationByToken,
  listRegistrations,
  recordAttendance,
  registerForWorkshop,
  registerOnBehalf,
  runWorkshopReminders,
} from './registrations.service.ts';
import { cancelWorkshopDate, getWorkshop, moveWorkshopDate } from './workshops.service.ts';

after(closeTestTemplate);

/**
 * The agenda's scheduled work through the job runner, with an injected clock: the reminder the day
 * before (once), and the purge of registrations' personal data RETENTION_REGISTRATION_DAYS after the
 * date (the counts stay).
 */
const ANONYMOUS: Actor = { kind: 'anonymous' };
const URL = 'https://maillage.example.org';
const config = loadConfig({ DATA_DIR: '/nonexistent-test-dir', PUBLIC_URL: URL });
const CREATED = new Date('2026-12-07T09:00:00Z');
const HOUR = 3_600_000;
const DAY = 24 * HOUR;

const run = (t: TestDb, now: Date) =>
  runJobs(t.db, { jobs: defaultJobs(config, null), now, kind: t.kind === 'pg' ? 'postgres' : 'embedded' });

const reminders = async (t: TestDb) =>
  (
    await t.db
      .selectFrom('mail_outbox')
      .select('to_address')
      .where('kind', '=', 'workshop_reminder')
      .execute()
  ).map((m) => m.to_address);

async function setUp(t: TestDb) {
  const n = await workshopNetwork(t.db);
  const w = await aWorkshop(
    t.db,
    n.facilitator,
    n.a,
    workshopForm(n.placeA, { capacity: '2' }),
    [
      { startsAt: '2026-12-15T14:00', endsAt: '16:00' },
      { startsAt: '2026-12-16T14:00', endsAt: '16:00' },
    ],
    CREATED,
  );
  const [date, nextDay] = w.dates.map((d) => d.id) as [string, string];
  const reg = (form: { firstName: string; email?: string; phone?: string }, occurrenceId = date) =>
    registerForWorkshop(
      t.db,
      ANONYMOUS,
      { occurrenceId, form },
      { client: form.firstName, limits: DEFAULT_LIMITS, publicUrl: URL, now: CREATED },
    );
  const ana = await reg({ firstName: 'Ana', email: 'ana@example.org' });
  const bob = await reg({ firstName: 'Bob', phone: '06 12 34 56 78' });
  const cyr = await reg({ firstName: 'Cyr', email: 'cyr@example.org' }); // waiting
  const dan = await reg({ firstName: 'Dan', email: 'dan@example.org' }, nextDay);
  assert.ok(ana.ok && bob.ok && cyr.ok && dan.ok);
  assert.equal(cyr.state, 'waiting');
  return { n, w, date, nextDay, ana, bob, cyr, dan };
}

describe('reminders the day before, through the job runner', () => {
  it('mails each registered person with an address once, the day before, never the waiting ones', async () => {
    const t = await createTestDb();
    try {
      const { n, nextDay } = await setUp(t);
      await run(t, new Date('2026-12-13T10:00:00Z')); // two days before: nothing
      assert.deepEqual(await reminders(t), []);
      await run(t, new Date('2026-12-14T07:00:00Z')); // Monday 8:00 in Paris, the day before
      assert.deepEqual(await reminders(t), ['ana@example.org']);
      await run(t, new Date('2026-12-14T09:00:00Z')); // the hourly job again: nothing more
      await run(t, new Date('2026-12-14T22:00:00Z')); // 23:00 in Paris, still the day before
      assert.deepEqual(await reminders(t), ['ana@example.org']);
      // A cancelled date is not reminded.
      await cancelWorkshopDate(t.db, n.facilitator, { occurrenceId: nextDay }, { now: CREATED });
      await run(t, new Date('2026-12-15T07:00:00Z'));
      assert.deepEqual(await reminders(t), ['ana@example.org']);
      const direct = await runWorkshopReminders(
        t.db,
        { kind: 'system' },
        { now: new Date('2026-12-14T12:00:00Z'), publicUrl: URL },
      );
      assert.equal(direct.reminded, 0);
      await assert.rejects(runWorkshopReminders(t.db, n.facilitator, { now: CREATED, publicUrl: URL }));
      const text = await t.db
        .selectFrom('mail_outbox')
        .select('text_body')
        .where('kind', '=', 'workshop_reminder')
        .executeTakeFirstOrThrow();
      assert.match(text.text_body, /demain, le mardi 15 décembre 2026 à 14 h 00/);
    } finally {
      await t.close();
    }
  });

  it('reminds a person promoted after the run of the day before at the next run', async () => {
    const t = await createTestDb();
    try {
      const { ana } = await setUp(t);
      await run(t, new Date('2026-12-14T07:00:00Z'));
      assert.ok(ana.ok);
      await cancelRegistrationByToken(
        t.db,
        ANONYMOUS,
        { token: ana.token },
        { now: new Date('2026-12-14T07:30:00Z'), publicUrl: URL },
      );
      await run(t, new Date('2026-12-14T08:00:00Z'));
      assert.deepEqual((await reminders(t)).sort(), ['ana@example.org', 'cyr@example.org']);
    } finally {
      await t.close();
    }
  });

  it('reminds again the day before a date moved after its reminder', async () => {
    const t = await createTestDb();
    try {
      const { n, date } = await setUp(t);
      await run(t, new Date('2026-12-14T07:00:00Z'));
      assert.deepEqual(await reminders(t), ['ana@example.org']);
      const moved = await moveWorkshopDate(
        t.db,
        n.facilitator,
        { occurrenceId: date, date: { startsAt: '2026-12-22T14:00', endsAt: '16:00' } },
        { now: new Date('2026-12-14T08:00:00Z') },
      );
      assert.ok(moved.ok);
      await run(t, new Date('2026-12-14T09:00:00Z')); // the old day before: nothing more
      assert.deepEqual(await reminders(t), ['ana@example.org']);
      await run(t, new Date('2026-12-21T07:00:00Z')); // the new day before
      assert.deepEqual(await reminders(t), ['ana@example.org', 'ana@example.org']);
    } finally {
      await t.close();
    }
  });
});

describe('purge of registrations’ personal data, through the job runner', () => {
  it('blanks names, numbers, addresses and links RETENTION_REGISTRATION_DAYS after the date, counts kept', async () => {
    const t = await createTestDb();
    try {
      const { n, date, nextDay } = await setUp(t);
      await registerOnBehalf(
        t.db,
        n.other,
        { occurrenceId: nextDay, form: { firstName: 'Mme Durand' } },
        { now: CREATED, publicUrl: URL },
      );
      const onTheDay = new Date('2026-12-15T15:00:00Z');
      const seated = await listRegistrations(t.db, n.facilitator, { occurrenceId: date });
      const [ana, bob] = seated.registrations;
      assert.ok(ana && bob);
      assert.ok(
        (
          await recordAttendance(
            t.db,
            n.facilitator,
            { occurrenceId: date, marks: { [ana.id]: 'present', [bob.id]: 'absent' } },
            { now: onTheDay },
          )
        ).ok,
      );
      const ended = new Date('2026-12-15T15:00:00Z'); // 16:00 in Paris
      assert.equal(config.retention.registrationDays, 30);
      await run(t, new Date(ended.getTime() + 29 * DAY));
      const kept = await listRegistrations(t.db, n.facilitator, { occurrenceId: date });
      assert.deepEqual(
        kept.registrations.map((r) => r.firstName),
        ['Ana', 'Bob', 'Cyr'],
      );
      // The next day's run (the purge is daily): past 30 days, the first date is purged, not the second.
      const report = await run(t, new Date(ended.getTime() + 30 * DAY + HOUR));
      const purge = report.ran.find((r) => r.name === 'privacy.purge');
      assert.ok(purge?.ok, JSON.stringify(report));
      assert.equal((purge.result as Record<string, number>).workshopRegistrations, 3);
      const purged = await listRegistrations(t.db, n.facilitator, { occurrenceId: date });
      assert.deepEqual(
        purged.registrations.map((r) => [r.firstName, r.phone, r.email, r.state, r.purged]),
        [
          [null, null, null, 'attended', true],
          [null, null, null, 'absent', true],
          [null, null, null, 'waiting', true],
        ],
      );
      assert.deepEqual(
        [purged.counts.attended, purged.counts.absent, purged.counts.waiting],
        [1, 1, 1],
        'the counts are kept',
      );
      const hashes = await t.db
        .selectFrom('workshop_registration')
        .select(['cancel_token_hash', 'occurrence_id'])
        .execute();
      assert.ok(hashes.filter((h) => h.occurrence_id === date).every((h) => h.cancel_token_hash === null));
      const other = await listRegistrations(t.db, n.facilitator, { occurrenceId: nextDay });
      assert.deepEqual(other.registrations.map((r) => r.firstName).sort(), ['Dan', 'Mme Durand']);
      const view = await getWorkshop(
        t.db,
        ANONYMOUS,
        { workshopId: purged.workshopId },
        { now: new Date(ended.getTime() + 31 * DAY) },
      );
      assert.deepEqual([view.dates[0]?.attended, view.dates[0]?.absent], [1, 1]);
      // Another day: the second date passes its 30 days too.
      await run(t, new Date(ended.getTime() + 31 * DAY + 2 * HOUR));
      const second = await listRegistrations(t.db, n.facilitator, { occurrenceId: nextDay });
      assert.ok(second.registrations.every((r) => r.firstName === null && r.purged));
    } finally {
      await t.close();
    }
  });
});
