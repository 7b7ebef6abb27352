import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { after, describe, it } from 'node:test';
import { closeTestTemplate, createTestDb } from '../../test/support/test-db.ts';
import { aWorkshop, workshopForm, workshopNetwork } from '../../test/support/workshop-fixtures.ts';
import type { Actor } from '../accounts/policy.ts';
import { DEFAULT_LIMITS } from '../config.ts';
import type { Db } from '../db/database.ts';
import { isDomainError } from '../shared/domain-error.ts';
import {
  cancelRegistrationByToken,
  describeRegistrationByToken,
  listRegistrations,
  recordAttendance,
  registerForWorkshop,
  registerOnBehalf,
  removeRegistration,
} from './registrations.service.ts';
import {
  addWorkshopDates,
  cancelWorkshop,
  cancelWorkshopDate,
  createWorkshop,
  getWorkshop,
  listStructureWorkshops,
  listUpcomingWorkshops,
  moveWorkshopDate,
  updateWorkshop,
} from './workshops.service.ts';
import { parisInstant, parisLocal } from './workshops.ts';

after(closeTestTemplate);

const NOW = new Date('2026-12-07T09:00:00Z'); // Monday 10:00 in Paris
const URL = 'https://maillage.example.org';
const ANONYMOUS: Actor = { kind: 'anonymous' };
const pub = (over: { client?: string; now?: Date; limits?: typeof DEFAULT_LIMITS } = {}) => ({
  client: over.client ?? 'client-1',
  limits: over.limits ?? { ...DEFAULT_LIMITS, registrationsPerAddressPerHour: 1000 },
  publicUrl: URL,
  now: over.now ?? NOW,
});
const ONE_DATE = [{ startsAt: '2026-12-15T14:00', endsAt: '16:00' }];
const refused = (code: string) => (error: unknown) => isDomainError(error) && error.code === code;
const count = async (db: Db, table: 'workshop' | 'workshop_occurrence' | 'workshop_registration') =>
  Number((await db.selectFrom(table).select(db.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n);
const mails = async (db: Db, kind: string) =>
  (
    await db.selectFrom('mail_outbox').select(['to_address', 'text_body']).where('kind', '=', kind).execute()
  ).map((m) => m.to_address);

describe('Paris wall-clock times', () => {
  it('reads winter and summer times, and refuses the hour skipped in spring', () => {
    assert.equal(parisInstant('2026-12-15T14:00')?.toISOString(), '2026-12-15T13:00:00.000Z');
    assert.equal(parisInstant('2027-07-01 09h30')?.toISOString(), '2027-07-01T07:30:00.000Z');
    assert.equal(parisInstant('2027-03-28T02:30'), null);
    assert.equal(parisInstant('2027-02-30T10:00'), null);
    assert.equal(parisLocal(new Date('2027-10-31T01:30:00Z')), '2027-10-31T02:30');
  });
});

describe('workshops: creating, changing and cancelling (structure staff)', () => {
  it('creates a one-off workshop and a series, copying the place from the directory', async () => {
    const t = await createTestDb();
    try {
      const n = await workshopNetwork(t.db);
      const one = await aWorkshop(t.db, n.facilitator, n.a, workshopForm(n.placeA), ONE_DATE, NOW);
      assert.equal(one.placeName, 'Médiathèque Sud');
      assert.equal(one.status, 'confirmed');
      assert.equal(one.priceCents, 0);
      assert.equal(one.dates.length, 1);
      assert.equal(one.dates[0]?.startsAt.toISOString(), '2026-12-15T13:00:00.000Z');
      assert.equal(one.dates[0]?.endsAt.toISOString(), '2026-12-15T15:00:00.000Z');
      const series = await aWorkshop(
        t.db,
        n.facilitator,
        n.a,
        workshopForm(n.placeA, {
          mode: 'online',
          onlineUrl: 'https://visio.example.org/a',
          needs: ['caf'],
          themes: [],
          price: '2,50 €',
          status: 'tentative',
        }),
        [
          { startsAt: '2027-01-12T14:00', endsAt: '2027-01-12T16:00' },
          { startsAt: '2027-01-05T14:00', endsAt: '16:00' },
        ],
        NOW,
      );
      assert.deepEqual(
        series.dates.map((d) => parisLocal(d.startsAt)),
        ['2027-01-05T14:00', '2027-01-12T14:00'],
      );
      assert.equal(series.placeId, null);
      assert.equal(series.priceCents, 250);
      assert.equal(series.status, 'tentative');
      assert.equal(
        (await listStructureWorkshops(t.db, n.colleague, { structureId: n.a }, { now: NOW })).length,
        2,
      );
    } finally {
      await t.close();
    }
  });

  it('refuses bad input with French messages per field, and writes nothing', async () => {
    const t = await createTestDb();
    try {
      const n = await workshopNetwork(t.db);
      const bad = async (
        form: Parameters<typeof workshopForm>[1],
        dates: { startsAt: string; endsAt: string }[],
      ) => {
        const r = await createWorkshop(
          t.db,
          n.facilitator,
          { structureId: n.a, workshop: workshopForm(n.placeA, form), dates },
          { now: NOW },
        );
        assert.ok(!r.ok);
        return r.errors;
      };
      assert.match(
        (await bad({}, [{ startsAt: '2026-12-15T14:00', endsAt: '13:00' }])).dates ?? '',
        /Date 1 : la fin doit venir après le début/,
      );
      assert.match(
        (await bad({}, [{ startsAt: '2026-12-15T14:00', endsAt: '14:00' }])).dates ?? '',
        /après le début/,
      );
      assert.match((await bad({ capacity: '0' }, ONE_DATE)).capacity ?? '', /au moins 1 place/);
      assert.match((await bad({ capacity: '-3' }, ONE_DATE)).capacity ?? '', /au moins 1 place/);
      assert.match((await bad({ capacity: 'dix' }, ONE_DATE)).capacity ?? '', /en chiffres/);
      assert.match((await bad({}, [])).dates ?? '', /au moins une date/);
      for (const url of [
        'ftp://example.org/a',
        'javascript:alert(1)',
        'visio.example.org',
        'https://u:p@example.org',
      ])
        assert.match(
          (await bad({ mode: 'online', onlineUrl: url }, ONE_DATE)).onlineUrl ?? '',
          /http:\/\/ ou https:\/\//,
          url,
        );
      assert.match(
        (await bad({}, [{ startsAt: '2026-12-01T14:00', endsAt: '16:00' }])).dates ?? '',
        /déjà passé/,
      );
      assert.match(
        (await bad({}, [ONE_DATE[0] as never, { startsAt: '2026-12-16T25:00', endsAt: '16:00' }])).dates ??
          '',
        /Date 2 : écrivez le début/,
      );
      const several = await bad({ title: ' ', themes: ['inconnu'], price: '-2', level: 'expert' }, ONE_DATE);
      assert.deepEqual(Object.keys(several).sort(), ['level', 'price', 'themes', 'title']);
      assert.match(
        (await bad({ placeId: '00000000-0000-4000-8000-000000000000' }, ONE_DATE)).placeId ?? '',
        /pas dans l’annuaire/,
      );
      assert.equal(await count(t.db, 'workshop'), 0);
      assert.equal(await count(t.db, 'workshop_occurrence'), 0);
    } finally {
      await t.close();
    }
  });

  it('lets only the structure’s own staff create, change and cancel', async () => {
    const t = await createTestDb();
    try {
      const n = await workshopNetwork(t.db);
      for (const actor of [n.other, n.coordinator, n.funder, ANONYMOUS])
        await assert.rejects(
          createWorkshop(
            t.db,
            actor,
            { structureId: n.a, workshop: workshopForm(n.placeA), dates: ONE_DATE },
            { now: NOW },
          ),
          refused('forbidden'),
        );
      const w = await aWorkshop(t.db, n.facilitator, n.a, workshopForm(n.placeA), ONE_DATE, NOW);
      for (const actor of [n.other, n.coordinator, ANONYMOUS]) {
        await assert.rejects(
          updateWorkshop(
            t.db,
            actor,
            { workshopId: w.id, workshop: workshopForm(n.placeA) },
            { now: NOW, publicUrl: URL },
          ),
          refused('forbidden'),
        );
        await assert.rejects(
          cancelWorkshop(t.db, actor, { workshopId: w.id }, { now: NOW }),
          refused('forbidden'),
        );
        await assert.rejects(
          listStructureWorkshops(t.db, actor, { structureId: n.a }, { now: NOW }),
          refused('forbidden'),
        );
      }
      // An unknown id tells nobody anything: refused, as for a workshop of another structure.
      await assert.rejects(
        cancelWorkshop(t.db, n.other, { workshopId: '00000000-0000-4000-8000-000000000000' }),
        refused('forbidden'),
      );
      await assert.rejects(
        cancelWorkshop(t.db, n.facilitator, { workshopId: '00000000-0000-4000-8000-000000000000' }),
        refused('forbidden'),
      );
    } finally {
      await t.close();
    }
  });

  it('raises the iCal sequence at each change, and cancels one date of a series alone', async () => {
    const t = await createTestDb();
    try {
      const n = await workshopNetwork(t.db);
      const w = await aWorkshop(
        t.db,
        n.facilitator,
        n.a,
        workshopForm(n.placeA),
        [
          { startsAt: '2026-12-15T14:00', endsAt: '16:00' },
          { startsAt: '2026-12-22T14:00', endsAt: '16:00' },
        ],
        NOW,
      );
      const [first, second] = w.dates as unknown as [
        { id: string; sequence: number },
        { id: string; sequence: number },
      ];
      assert.deepEqual([w.sequence, first.sequence], [0, 0]);
      const changed = await updateWorkshop(
        t.db,
        n.colleague,
        { workshopId: w.id, workshop: workshopForm(n.placeA, { title: 'Le smartphone, pas à pas' }) },
        { now: NOW, publicUrl: URL },
      );
      assert.ok(changed.ok);
      assert.equal(changed.workshop.sequence, 1);
      assert.deepEqual(
        changed.workshop.dates.map((d) => d.sequence),
        [1, 1],
      );
      const cancelled = await cancelWorkshopDate(
        t.db,
        n.facilitator,
        { occurrenceId: second.id },
        { now: NOW },
      );
      assert.equal(cancelled.date.status, 'cancelled');
      assert.equal(cancelled.date.sequence, 2);
      const after = await getWorkshop(t.db, ANONYMOUS, { workshopId: w.id }, { now: NOW });
      assert.deepEqual(
        after.dates.map((d) => [d.status, d.sequence]),
        [
          ['confirmed', 1],
          ['cancelled', 2],
        ],
      );
      await assert.rejects(
        cancelWorkshopDate(t.db, n.facilitator, { occurrenceId: second.id }, { now: NOW }),
        refused('conflict'),
      );
      // The last scheduled date: the workshop is cancelled instead.
      await assert.rejects(
        cancelWorkshopDate(t.db, n.facilitator, { occurrenceId: first.id }, { now: NOW }),
        (e: unknown) => isDomainError(e) && /annulez l’atelier/.test(e.message),
      );
      const moved = await moveWorkshopDate(
        t.db,
        n.facilitator,
        { occurrenceId: first.id, date: { startsAt: '2026-12-15T15:00', endsAt: '17:00' } },
        { now: NOW },
      );
      assert.ok(moved.ok);
      assert.equal(moved.date.sequence, 2);
      const badMove = await moveWorkshopDate(
        t.db,
        n.facilitator,
        { occurrenceId: first.id, date: { startsAt: '2026-12-15T15:00', endsAt: '14:00' } },
        { now: NOW },
      );
      // A wrong end is the end field's error (shown beside it on the page).
      assert.ok(!badMove.ok && /après le début/.test(badMove.errors.dateEnd ?? ''));
      const added = await addWorkshopDates(
        t.db,
        n.facilitator,
        { workshopId: w.id, dates: [{ startsAt: '2027-01-05T14:00', endsAt: '16:00' }] },
        { now: NOW },
      );
      assert.ok(added.ok);
      assert.equal(added.workshop.dates.length, 3);
      const whole = await cancelWorkshop(t.db, n.facilitator, { workshopId: w.id }, { now: NOW });
      assert.equal(whole.workshop.status, 'cancelled');
      assert.ok(whole.workshop.dates.every((d) => d.status === 'cancelled'));
      assert.ok(whole.workshop.sequence > changed.workshop.sequence);
    } finally {
      await t.close();
    }
  });
});

describe('registrations: seats, waiting list, promotion', () => {
  async function setUp(capacity = 2) {
    const t = await createTestDb();
    const n = await workshopNetwork(t.db);
    const w = await aWorkshop(
      t.db,
      n.facilitator,
      n.a,
      workshopForm(n.placeA, { capacity: String(capacity) }),
      ONE_DATE,
      NOW,
    );
    return { t, n, w, date: (w.dates[0] as { id: string }).id };
  }

  it('seats people up to the capacity, then puts them on the waiting list in order', async () => {
    const { t, n, date } = await setUp(2);
    try {
      const results = [];
      for (const [i, email] of [
        'ana@example.org',
        'bob@example.org',
        'cyr@example.org',
        'dan@example.org',
      ].entries())
        results.push(
          await registerForWorkshop(
            t.db,
            ANONYMOUS,
            { occurrenceId: date, form: { firstName: `P${i}`, email } },
            pub(),
          ),
        );
      assert.deepEqual(
        results.map((r) => (r.ok ? [r.state, r.position] : r.errors)),
        [
          ['registered', null],
          ['registered', null],
          ['waiting', 1],
          ['waiting', 2],
        ],
      );
      assert.deepEqual((await mails(t.db, 'workshop_registered')).length, 4);
      const list = await listRegistrations(t.db, n.facilitator, { occurrenceId: date });
      assert.deepEqual(list.counts, {
        registered: 2,
        waiting: 2,
        cancelled: 0,
        attended: 0,
        absent: 0,
        lastPosition: 2,
      });
      assert.deepEqual(
        list.registrations.map((r) => [r.firstName, r.state, r.position]),
        [
          ['P0', 'registered', null],
          ['P1', 'registered', null],
          ['P2', 'waiting', 1],
          ['P3', 'waiting', 2],
        ],
      );
      // The public agenda shows counts, never a person.
      const publicView = await getWorkshop(t.db, ANONYMOUS, { workshopId: list.workshopId }, { now: NOW });
      assert.equal(publicView.dates[0]?.seatsLeft, 0);
      assert.equal(publicView.dates[0]?.waiting, 2);
      assert.doesNotMatch(JSON.stringify(publicView), /P0|ana@example/);
      const agenda = await listUpcomingWorkshops(t.db, ANONYMOUS, {}, { now: NOW });
      assert.equal(agenda.length, 1);
      assert.doesNotMatch(JSON.stringify(agenda), /P0|ana@example/);
    } finally {
      await t.close();
    }
  });

  it('promotes the first person waiting when someone cancels by the link, and tells them', async () => {
    const { t, date } = await setUp(1);
    try {
      const first = await registerForWorkshop(
        t.db,
        ANONYMOUS,
        { occurrenceId: date, form: { firstName: 'Ana', email: 'ana@example.org' } },
        pub(),
      );
      const second = await registerForWorkshop(
        t.db,
        ANONYMOUS,
        { occurrenceId: date, form: { firstName: 'Bob', email: 'bob@example.org' } },
        pub(),
      );
      const third = await registerForWorkshop(
        t.db,
        ANONYMOUS,
        { occurrenceId: date, form: { firstName: 'Cyr', phone: '06 12 34 56 78' } },
        pub(),
      );
      assert.ok(first.ok && second.ok && third.ok);
      // Only the token's hash is at rest.
      const stored = await t.db
        .selectFrom('workshop_registration')
        .select('cancel_token_hash')
        .where('id', '=', first.registrationId)
        .executeTakeFirstOrThrow();
      assert.equal(stored.cancel_token_hash, createHash('sha256').update(first.token).digest('hex'));
      assert.notEqual(stored.cancel_token_hash, first.token);
      const seen = await describeRegistrationByToken(t.db, ANONYMOUS, { token: second.token });
      assert.deepEqual([seen.firstName, seen.state, seen.position], ['Bob', 'waiting', 1]);
      const r = await cancelRegistrationByToken(
        t.db,
        ANONYMOUS,
        { token: first.token },
        { now: NOW, publicUrl: URL },
      );
      assert.equal(r.promoted, 1);
      assert.deepEqual(await mails(t.db, 'workshop_promoted'), ['bob@example.org']);
      const states = await t.db
        .selectFrom('workshop_registration')
        .select(['first_name', 'state', 'waiting_position'])
        .orderBy('created_at')
        .execute();
      assert.deepEqual(
        states.map((s) => [s.first_name, s.state]),
        [
          ['Ana', 'cancelled'],
          ['Bob', 'registered'],
          ['Cyr', 'waiting'],
        ],
      );
      // The link is dead once used.
      await assert.rejects(
        cancelRegistrationByToken(t.db, ANONYMOUS, { token: first.token }, { now: NOW, publicUrl: URL }),
        refused('not_found'),
      );
      await assert.rejects(
        describeRegistrationByToken(t.db, ANONYMOUS, { token: 'pas-un-jeton' }),
        refused('not_found'),
      );
      // Bob cancels: Cyr (no address) is promoted; the structure's staff are told to phone.
      await cancelRegistrationByToken(t.db, ANONYMOUS, { token: second.token }, { now: NOW, publicUrl: URL });
      const notices = await mails(t.db, 'workshop_staff_notice');
      assert.deepEqual(notices.sort(), ['animatrice@example.org', 'collegue@example.org']);
      const texts = await t.db
        .selectFrom('mail_outbox')
        .select('text_body')
        .where('kind', '=', 'workshop_staff_notice')
        .execute();
      assert.ok(texts.every((m) => !m.text_body.includes('Cyr') && !m.text_body.includes('06 12')));
      // Cancelling after the start is refused.
      await assert.rejects(
        cancelRegistrationByToken(
          t.db,
          ANONYMOUS,
          { token: third.token },
          { now: new Date('2026-12-15T13:30:00Z'), publicUrl: URL },
        ),
        refused('conflict'),
      );
    } finally {
      await t.close();
    }
  });

  it('never overbooks when registrations and cancellations arrive at once (embedded database too)', async () => {
    const { t, n, date } = await setUp(4);
    try {
      const first = await Promise.all(
        Array.from({ length: 12 }, (_, i) =>
          registerForWorkshop(
            t.db,
            ANONYMOUS,
            { occurrenceId: date, form: { firstName: `A${i}`, email: `a${i}@example.org` } },
            pub(),
          ),
        ),
      );
      assert.ok(first.every((r) => r.ok));
      const seatedFirst = first.filter((r) => r.ok && r.state === 'registered');
      assert.equal(seatedFirst.length, 4);
      const waitingOrder = (
        await listRegistrations(t.db, n.facilitator, { occurrenceId: date })
      ).registrations
        .filter((r) => r.state === 'waiting')
        .map((r) => r.firstName);
      await Promise.all([
        ...seatedFirst
          .slice(0, 3)
          .map((r) =>
            r.ok
              ? cancelRegistrationByToken(t.db, ANONYMOUS, { token: r.token }, { now: NOW, publicUrl: URL })
              : null,
          ),
        ...Array.from({ length: 5 }, (_, i) =>
          registerForWorkshop(
            t.db,
            ANONYMOUS,
            { occurrenceId: date, form: { firstName: `B${i}`, email: `b${i}@example.org` } },
            pub(),
          ),
        ),
      ]);
      const after = await listRegistrations(t.db, n.facilitator, { occurrenceId: date });
      assert.equal(after.counts.registered, 4, 'never more than the capacity');
      const promoted = after.registrations.filter((r) => r.promotedAt !== null).map((r) => r.firstName);
      assert.deepEqual(
        promoted.sort(),
        waitingOrder.slice(0, 3).sort(),
        'the first three waiting are promoted',
      );
      assert.ok(
        after.registrations.filter((r) => r.state === 'waiting' && r.firstName?.startsWith('B')).length === 5,
        'newcomers wait behind',
      );
    } finally {
      await t.close();
    }
  });

  it('refuses duplicates, cancelled and past dates, missing contacts, with French messages', async () => {
    const { t, n, w, date } = await setUp(5);
    try {
      const reg = (
        form: Parameters<typeof registerForWorkshop>[2]['form'],
        over: Parameters<typeof pub>[0] = {},
      ) => registerForWorkshop(t.db, ANONYMOUS, { occurrenceId: date, form }, pub(over));
      assert.ok((await reg({ firstName: 'Ana', phone: '06 12 34 56 78', email: 'Ana@Example.org' })).ok);
      const byPhone = await reg({ firstName: 'Ana', phone: '+33 6 12 34 56 78' });
      assert.ok(!byPhone.ok && /déjà inscrit/.test(byPhone.errors.phone ?? ''));
      const byEmail = await reg({ firstName: 'Ana', email: 'ana@EXAMPLE.org ' });
      assert.ok(!byEmail.ok && /déjà inscrite/.test(byEmail.errors.email ?? ''));
      const none = await reg({ firstName: 'Bob' });
      assert.ok(!none.ok && /téléphone ou une adresse/.test(none.errors.phone ?? ''));
      const badPhone = await reg({ firstName: 'Bob', phone: '12' });
      assert.ok(!badPhone.ok && /pas valide/.test(badPhone.errors.phone ?? ''));
      const noName = await reg({ firstName: '', email: 'x@example.org' });
      assert.ok(!noName.ok && /prénom/.test(noName.errors.firstName ?? ''));
      const past = await reg(
        { firstName: 'Bob', email: 'bob@example.org' },
        { now: new Date('2026-12-15T13:00:00Z') },
      );
      assert.ok(!past.ok && /passée/.test(past.errors.date ?? ''));
      await addWorkshopDates(
        t.db,
        n.facilitator,
        { workshopId: w.id, dates: [{ startsAt: '2026-12-22T14:00', endsAt: '16:00' }] },
        { now: NOW },
      );
      await cancelWorkshopDate(t.db, n.facilitator, { occurrenceId: date }, { now: NOW });
      const cancelled = await reg({ firstName: 'Bob', email: 'bob@example.org' });
      assert.ok(!cancelled.ok && /annulée/.test(cancelled.errors.date ?? ''));
      assert.equal(await count(t.db, 'workshop_registration'), 1);
      await assert.rejects(
        registerForWorkshop(
          t.db,
          ANONYMOUS,
          {
            occurrenceId: '00000000-0000-4000-8000-000000000000',
            form: { firstName: 'X', email: 'x@example.org' },
          },
          pub(),
        ),
        refused('not_found'),
      );
    } finally {
      await t.close();
    }
  });

  it('limits registrations per client address an hour, and a contact on one date a day', async () => {
    const { t, date } = await setUp(50);
    try {
      const limits = { ...DEFAULT_LIMITS };
      const answers = [];
      for (let i = 0; i < 6; i++)
        answers.push(
          await registerForWorkshop(
            t.db,
            ANONYMOUS,
            { occurrenceId: date, form: { firstName: `P${i}`, email: `p${i}@example.org` } },
            pub({ limits }),
          ),
        );
      assert.deepEqual(
        answers.map((a) => a.ok),
        [true, true, true, true, true, false],
      );
      const last = answers[5];
      assert.ok(last && !last.ok && /au plus 5 par heure/.test(last.errors.form ?? ''));
      // Another hour, another address: fine. A contact that cancelled and comes back the same day: refused.
      const first = answers[0];
      assert.ok(first?.ok);
      await cancelRegistrationByToken(t.db, ANONYMOUS, { token: first.token }, { now: NOW, publicUrl: URL });
      const again = await registerForWorkshop(
        t.db,
        ANONYMOUS,
        { occurrenceId: date, form: { firstName: 'P0', email: 'p0@example.org' } },
        pub({ limits, client: 'client-2' }),
      );
      assert.ok(!again.ok && /aujourd’hui/.test(again.errors.form ?? ''));
      const nextDay = await registerForWorkshop(
        t.db,
        ANONYMOUS,
        { occurrenceId: date, form: { firstName: 'P0', email: 'p0@example.org' } },
        pub({ limits, client: 'client-2', now: new Date(NOW.getTime() + 25 * 3_600_000) }),
      );
      assert.ok(nextDay.ok, JSON.stringify(nextDay));
    } finally {
      await t.close();
    }
  });

  it('lets a mediator register someone without contact; only the structure sees and removes', async () => {
    const { t, n, date } = await setUp(1);
    try {
      const byMediator = await registerOnBehalf(
        t.db,
        n.other,
        { occurrenceId: date, form: { firstName: 'Mme Durand' } },
        { now: NOW, publicUrl: URL },
      );
      assert.ok(byMediator.ok && byMediator.state === 'registered');
      await assert.rejects(
        registerOnBehalf(
          t.db,
          ANONYMOUS,
          { occurrenceId: date, form: { firstName: 'X' } },
          { now: NOW, publicUrl: URL },
        ),
        refused('forbidden'),
      );
      const waiting = await registerForWorkshop(
        t.db,
        ANONYMOUS,
        { occurrenceId: date, form: { firstName: 'Bob', email: 'bob@example.org' } },
        pub(),
      );
      assert.ok(waiting.ok && waiting.state === 'waiting');
      for (const actor of [n.other, n.coordinator, n.funder, ANONYMOUS]) {
        await assert.rejects(listRegistrations(t.db, actor, { occurrenceId: date }), refused('forbidden'));
        await assert.rejects(
          removeRegistration(
            t.db,
            actor,
            { registrationId: byMediator.registrationId },
            { now: NOW, publicUrl: URL },
          ),
          refused('forbidden'),
        );
        await assert.rejects(
          recordAttendance(t.db, actor, { occurrenceId: date, marks: {} }, { now: NOW }),
          refused('forbidden'),
        );
      }
      const removed = await removeRegistration(
        t.db,
        n.colleague,
        { registrationId: byMediator.registrationId },
        { now: NOW, publicUrl: URL },
      );
      assert.equal(removed.promoted, 1);
      assert.deepEqual(await mails(t.db, 'workshop_promoted'), ['bob@example.org']);
      await assert.rejects(
        removeRegistration(
          t.db,
          n.colleague,
          { registrationId: byMediator.registrationId },
          { now: NOW, publicUrl: URL },
        ),
        refused('conflict'),
      );
      const list = await listRegistrations(t.db, n.facilitator, { occurrenceId: date });
      assert.deepEqual(
        list.registrations.map((r) => [r.firstName, r.state, r.byMediator]),
        [
          ['Bob', 'registered', false],
          ['Mme Durand', 'cancelled', true],
        ],
      );
    } finally {
      await t.close();
    }
  });

  it('takes attendance on the day only, seated people only, all or nothing', async () => {
    const { t, n, date } = await setUp(1);
    try {
      const ana = await registerForWorkshop(
        t.db,
        ANONYMOUS,
        { occurrenceId: date, form: { firstName: 'Ana', email: 'ana@example.org' } },
        pub(),
      );
      const bob = await registerForWorkshop(
        t.db,
        ANONYMOUS,
        { occurrenceId: date, form: { firstName: 'Bob', email: 'bob@example.org' } },
        pub(),
      );
      assert.ok(ana.ok && bob.ok);
      const early = await recordAttendance(
        t.db,
        n.facilitator,
        { occurrenceId: date, marks: { [ana.registrationId]: 'present' } },
        { now: NOW },
      );
      assert.ok(!early.ok && /jour de l’atelier/.test(early.errors.form ?? ''));
      const onTheDay = new Date('2026-12-15T15:30:00Z');
      const mixed = await recordAttendance(
        t.db,
        n.facilitator,
        { occurrenceId: date, marks: { [ana.registrationId]: 'present', [bob.registrationId]: 'absent' } },
        { now: onTheDay },
      );
      assert.ok(!mixed.ok && /inscrites/.test(mixed.errors[`marks.${bob.registrationId}`] ?? ''));
      const unchanged = await listRegistrations(t.db, n.facilitator, { occurrenceId: date });
      assert.equal(unchanged.counts.attended, 0, 'nothing written');
      const bad = await recordAttendance(
        t.db,
        n.facilitator,
        { occurrenceId: date, marks: { [ana.registrationId]: 'peut-être' } },
        { now: onTheDay },
      );
      assert.ok(!bad.ok);
      const done = await recordAttendance(
        t.db,
        n.facilitator,
        { occurrenceId: date, marks: { [ana.registrationId]: 'present' } },
        { now: onTheDay },
      );
      assert.ok(done.ok);
      assert.equal(done.counts.attended, 1);
      const fixed = await recordAttendance(
        t.db,
        n.colleague,
        { occurrenceId: date, marks: { [ana.registrationId]: 'absent' } },
        { now: onTheDay },
      );
      assert.ok(fixed.ok);
      assert.deepEqual([fixed.counts.attended, fixed.counts.absent], [0, 1]);
    } finally {
      await t.close();
    }
  });

  it('keeps capacity above the seated people, and promotes when it grows', async () => {
    const { t, n, w, date } = await setUp(2);
    try {
      for (const name of ['ana', 'bob', 'cyr', 'dan'])
        assert.ok(
          (
            await registerForWorkshop(
              t.db,
              ANONYMOUS,
              { occurrenceId: date, form: { firstName: name, email: `${name}@example.org` } },
              pub(),
            )
          ).ok,
        );
      const smaller = await updateWorkshop(
        t.db,
        n.facilitator,
        { workshopId: w.id, workshop: workshopForm(n.placeA, { capacity: '1' }) },
        { now: NOW, publicUrl: URL },
      );
      assert.ok(!smaller.ok && /2 personnes sont déjà inscrites/.test(smaller.errors.capacity ?? ''));
      const larger = await updateWorkshop(
        t.db,
        n.facilitator,
        { workshopId: w.id, workshop: workshopForm(n.placeA, { capacity: '3' }) },
        { now: NOW, publicUrl: URL },
      );
      assert.ok(larger.ok);
      assert.equal(larger.promoted, 1);
      assert.deepEqual(await mails(t.db, 'workshop_promoted'), ['cyr@example.org']);
      const cancel = await cancelWorkshop(t.db, n.facilitator, { workshopId: w.id }, { now: NOW });
      assert.equal(cancel.told, 4);
    } finally {
      await t.close();
    }
  });
});
