import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { after, describe, it } from 'node:test';
import { bytes, sampleRow, toCsv } from '../../test/support/fixtures.ts';
import { freePort } from '../../test/support/processes.ts';
import { decodedText, startSmtp } from '../../test/support/smtp-server.ts';
import { closeTestTemplate, createTestDb } from '../../test/support/test-db.ts';
import type { Actor } from '../accounts/policy.ts';
import { purgePersonalData } from '../accounts/privacy.service.ts';
import { DEFAULT_LIMITS, loadConfig } from '../config.ts';
import type { Db } from '../db/database.ts';
import { runJobs } from '../jobs/jobs.service.ts';
import { defaultJobs } from '../jobs/schedule.service.ts';
import { smtpTransport } from '../mail/smtp.ts';
import { importPlacesFile } from '../places/places-import.service.ts';
import {
  homeBlocks,
  listCallbacks,
  markCallback,
  prepareCallback,
  requestCallback,
  runCallbackReminders,
} from './callbacks.service.ts';
import type { CallbackForm } from './callbacks.ts';

after(closeTestTemplate);

const SYSTEM: Actor = { kind: 'system' };
const ANONYMOUS: Actor = { kind: 'anonymous' };
const NOW = new Date('2026-12-07T09:00:00Z'); // Monday 10:00 in Paris
const DAY = 86_400_000;
const config = loadConfig({ DATA_DIR: '/nonexistent-test-dir', PUBLIC_URL: 'https://maillage.example.org' });
const opts = (over: { client?: string; now?: Date; limits?: typeof DEFAULT_LIMITS } = {}) => ({
  scope: config.publicScope,
  networkName: 'Maillage 45',
  networkContact: { phone: '02 38 00 00 00', email: null, hours: null },
  client: over.client ?? 'client-1',
  limits: over.limits ?? DEFAULT_LIMITS,
  publicUrl: 'https://maillage.example.org',
  now: over.now ?? NOW,
});
const form = (over: Partial<CallbackForm> = {}): CallbackForm => ({
  firstName: 'Nadia',
  phone: '06 12 34 56 78',
  day: '',
  part: 'indifferent',
  consent: true,
  ...over,
});

/**
 * Two places: one of the "Médiathèque" structure (an administrator, a staff member), open Tuesday to
 * Saturday; one whose structure has nobody in Maillage. A coordinator, and a member of another structure.
 */
async function network(db: Db) {
  await importPlacesFile(
    db,
    SYSTEM,
    bytes(
      toCsv([
        sampleRow({
          id: 'm1',
          nom: 'Médiathèque Sud',
          horaires: 'Tu-Fr 10:00-12:00,14:00-18:00; Sa 10:00-12:00',
        }),
        sampleRow({ id: 'x1', nom: 'Espace sans équipe', pivot: '00000000000009', telephone: '' }),
      ]),
    ),
    { fileName: 'essai.csv' },
  );
  const places = Object.fromEntries(
    (await db.selectFrom('place').select(['id', 'source_id', 'structure_id']).execute()).map((p) => [
      p.source_id,
      p,
    ]),
  );
  const structure = places.m1?.structure_id as string;
  await db.updateTable('structure').set({ nom: 'Médiathèque' }).where('id', '=', structure).execute();
  const other = await db
    .insertInto('structure')
    .values({ pivot: '00000000000001', nom: 'Autre structure' })
    .returning('id')
    .executeTakeFirstOrThrow();
  const person = async (email: string, role: 'coordinator' | null) =>
    (
      await db
        .insertInto('person')
        .values({ email, display_name: email.split('@')[0] as string, network_role: role })
        .returning('id')
        .executeTakeFirstOrThrow()
    ).id;
  const admin = await person('admin@example.org', null);
  const staff = await person('equipe@example.org', null);
  const stranger = await person('autre@example.org', null);
  const coordinatorId = await person('coordination@example.org', 'coordinator');
  await db
    .insertInto('membership')
    .values([
      { person_id: admin, structure_id: structure, role: 'structure_admin' },
      { person_id: staff, structure_id: structure, role: 'staff' },
      { person_id: stranger, structure_id: other.id, role: 'structure_admin' },
    ])
    .execute();
  const member = (personId: string, structureId: string): Actor => ({
    kind: 'person',
    personId,
    networkRole: null,
    memberships: [{ structureId, role: 'staff' }],
  });
  return {
    place: places.m1?.id as string,
    lonely: places.x1?.id as string,
    structure,
    staff: member(staff, structure),
    stranger: member(stranger, other.id),
    coordinator: {
      kind: 'person',
      personId: coordinatorId,
      networkRole: 'coordinator',
      memberships: [],
    } as Actor,
  };
}

const outbox = (db: Db) =>
  db
    .selectFrom('mail_outbox')
    .select(['to_address', 'kind', 'subject', 'text_body'])
    .orderBy('to_address')
    .execute();
const rows = (db: Db) => db.selectFrom('callback_request').selectAll().execute();

describe('asking to be called back', () => {
  it("offers the place's open days, and names its structure as the one that calls", async () => {
    const t = await createTestDb();
    try {
      const n = await network(t.db);
      const target = await prepareCallback(t.db, ANONYMOUS, { placeId: n.place }, opts());
      assert.equal(target.whoCalls, 'Médiathèque');
      assert.equal(target.structureId, n.structure);
      assert.equal(target.days[0]?.date, '2026-12-08');
      assert.ok(
        !target.days.some((d) => d.date === '2026-12-13' || d.date === '2026-12-14'),
        'Sunday, Monday',
      );
      assert.deepEqual(
        target.days.find((d) => d.date === '2026-12-12'),
        { date: '2026-12-12', morning: true, afternoon: false },
      );
      // A temporary closure from Wednesday to Friday: those days are not offered.
      await t.db
        .insertInto('place_closure')
        .values({ place_id: n.place, starts_on: '2026-12-09', ends_on: '2026-12-11' })
        .execute();
      const closed = await prepareCallback(t.db, ANONYMOUS, { placeId: n.place }, opts());
      assert.deepEqual(
        closed.days.slice(0, 2).map((d) => d.date),
        ['2026-12-08', '2026-12-12'],
      );
      await assert.rejects(
        prepareCallback(t.db, ANONYMOUS, { placeId: '00000000-0000-4000-8000-000000000000' }, opts()),
        { code: 'not_found' },
      );
    } finally {
      await t.close();
    }
  });

  it('stores the request, answers a reference, and mails each member without the name or the number', async () => {
    const t = await createTestDb();
    try {
      const n = await network(t.db);
      const result = await requestCallback(
        t.db,
        ANONYMOUS,
        { placeId: n.place, form: form({ day: '2026-12-10', part: 'matin' }) },
        opts(),
      );
      assert.ok(result.ok);
      const c = result.confirmation;
      assert.match(c.reference, /^[ACDEFGHJKMNPQRTUVWXY34679]{6}$/);
      assert.deepEqual(
        { ...c, reference: '' },
        {
          reference: '',
          whoCalls: 'Médiathèque',
          placeName: 'Médiathèque Sud',
          phone: '06 12 34 56 78',
          slotDate: '2026-12-10',
          slotPart: 'morning',
          dueOn: '2026-12-14',
          callInstead: '02 61 91 01 01',
        },
      );
      const [row] = await rows(t.db);
      assert.equal(row?.phone, '+33612345678');
      assert.equal(row?.structure_id, n.structure);
      assert.equal(row?.state, 'to_call');
      const mails = await outbox(t.db);
      assert.deepEqual(
        mails.map((m) => [m.to_address, m.kind]),
        [
          ['admin@example.org', 'callback_waiting'],
          ['equipe@example.org', 'callback_waiting'],
        ],
      );
      for (const m of mails) {
        assert.ok(!/Nadia|06 12|612345678/.test(m.text_body + m.subject), 'no name or number in a mail');
        assert.match(m.text_body, /https:\/\/maillage\.example\.org\/rappels/);
        assert.ok(m.text_body.includes(c.reference));
      }
    } finally {
      await t.close();
    }
  });

  it('goes to the coordinators when the place has nobody in Maillage, and from the network page', async () => {
    const t = await createTestDb();
    try {
      const n = await network(t.db);
      const a = await requestCallback(t.db, ANONYMOUS, { placeId: n.lonely, form: form() }, opts());
      assert.ok(a.ok);
      assert.equal(a.confirmation.whoCalls, 'la coordination du réseau Maillage 45');
      assert.equal(a.confirmation.callInstead, '02 38 00 00 00'); // the place has no phone: the network's
      const b = await requestCallback(
        t.db,
        ANONYMOUS,
        { placeId: null, form: form({ phone: '07 00 00 00 01' }) },
        opts(),
      );
      assert.ok(b.ok);
      assert.deepEqual(
        (await rows(t.db)).map((r) => [r.structure_id, r.place_name]),
        [
          [null, 'Espace sans équipe'],
          [null, null],
        ],
      );
      assert.deepEqual(
        (await outbox(t.db)).map((m) => m.to_address),
        ['coordination@example.org', 'coordination@example.org'],
      );
    } finally {
      await t.close();
    }
  });

  it('refuses an impossible slot or a bad number, storing and mailing nothing', async () => {
    const t = await createTestDb();
    try {
      const n = await network(t.db);
      for (const bad of [
        form({ day: '2026-12-14' }), // Monday: closed
        form({ day: '2026-12-01' }),
        form({ day: '2026-12-31' }),
        form({ day: '2026-12-12', part: 'apres-midi' }),
        form({ phone: '01 23' }),
        form({ consent: false }),
        form({ firstName: '<img src=x onerror=alert(1)>' }),
      ]) {
        const result = await requestCallback(t.db, ANONYMOUS, { placeId: n.place, form: bad }, opts());
        assert.ok(!result.ok && result.reason === 'invalid', JSON.stringify(bad));
      }
      assert.equal((await rows(t.db)).length, 0);
      assert.equal((await outbox(t.db)).length, 0);
    } finally {
      await t.close();
    }
  });

  it('answers the same request again when the same form is posted twice, mailing and counting once', async () => {
    const t = await createTestDb();
    try {
      const n = await network(t.db);
      const posted = form({ day: '2026-12-10', part: 'matin' });
      const first = await requestCallback(t.db, ANONYMOUS, { placeId: n.place, form: posted }, opts());
      const later = new Date(NOW.getTime() + 10 * 60_000);
      const again = await requestCallback(
        t.db,
        ANONYMOUS,
        { placeId: n.place, form: { ...posted, phone: '06.12.34.56.78' } },
        opts({ client: 'client-2', now: later }),
      );
      assert.ok(first.ok && again.ok);
      assert.deepEqual(again.confirmation, first.confirmation, 'the same confirmation page');
      assert.equal((await rows(t.db)).length, 1);
      assert.equal((await outbox(t.db)).length, 2, 'the two members, mailed once');
      const counts = await t.db.selectFrom('rate_limit').select(['key', 'count']).execute();
      assert.deepEqual(
        counts.map((c) => [c.key.split(':').slice(0, 2).join(':'), c.count]).sort(),
        [
          ['callback:client', 1],
          ['callback:phone', 1],
        ],
        'the second post is not counted',
      );
      // Another place, 31 minutes later, or once the request is closed: a new request.
      const limits = { ...DEFAULT_LIMITS, callbacksPerPhonePerDay: 4 };
      const other = await requestCallback(
        t.db,
        ANONYMOUS,
        { placeId: n.lonely, form: form() },
        opts({ limits }),
      );
      assert.ok(other.ok && other.confirmation.reference !== first.confirmation.reference);
      const halfHour = new Date(NOW.getTime() + 31 * 60_000);
      const after = await requestCallback(
        t.db,
        ANONYMOUS,
        { placeId: n.place, form: posted },
        opts({ client: 'client-3', now: halfHour, limits }),
      );
      assert.ok(after.ok && after.confirmation.reference !== first.confirmation.reference);
      await t.db.updateTable('callback_request').set({ state: 'done' }).execute();
      const closed = await requestCallback(
        t.db,
        ANONYMOUS,
        { placeId: n.place, form: posted },
        opts({ client: 'client-4', now: halfHour, limits }),
      );
      assert.ok(closed.ok && closed.confirmation.reference !== after.confirmation.reference);
      assert.equal((await rows(t.db)).length, 4);
    } finally {
      await t.close();
    }
  });

  it('keeps the first 300 characters of a long place name, and counts the limits once, when written', async () => {
    const t = await createTestDb();
    try {
      const n = await network(t.db);
      const long = `Espace ${'numérique 𝔸 '.repeat(40)}`; // 487 characters; imports do not cap names
      await t.db.updateTable('place').set({ nom: long }).where('id', '=', n.place).execute();
      const result = await requestCallback(t.db, ANONYMOUS, { placeId: n.place, form: form() }, opts());
      assert.ok(result.ok);
      const [row] = await rows(t.db);
      assert.equal(row?.place_name, [...long].slice(0, 300).join(''));
      const counts = await t.db.selectFrom('rate_limit').select('count').execute();
      assert.deepEqual(
        counts.map((c) => c.count),
        [1, 1],
        'one count per limit',
      );
    } finally {
      await t.close();
    }
  });

  it('limits requests to 3 an hour per address and 2 a day per number', async () => {
    const t = await createTestDb();
    try {
      const n = await network(t.db);
      const ask = (client: string, phone: string, now = NOW, placeId: string | null = n.place) =>
        requestCallback(t.db, ANONYMOUS, { placeId, form: form({ phone }) }, opts({ client, now }));
      assert.ok((await ask('a', '06 00 00 00 01')).ok);
      assert.ok((await ask('a', '06 00 00 00 02')).ok);
      assert.ok((await ask('a', '06 00 00 00 03')).ok);
      const fourth = await ask('a', '06 00 00 00 04');
      assert.ok(!fourth.ok && fourth.reason === 'too_many_from_client' && fourth.max === 3);
      assert.ok(
        (await ask('a', '06 00 00 00 04', new Date(NOW.getTime() + 61 * 60_000))).ok,
        'an hour later',
      );
      assert.ok((await ask('b', '06 00 00 00 01', NOW, n.lonely)).ok, 'the same number, a second time');
      const third = await ask('c', '06 00 00 00 01', NOW, null);
      assert.ok(!third.ok && third.reason === 'too_many_for_phone' && third.max === 2);
      assert.equal((await rows(t.db)).length, 5);
      const keys = await t.db.selectFrom('rate_limit').select(['key', 'count']).execute();
      assert.ok(!keys.some((k) => k.key.includes('600000001')), 'no phone number in the counters');
      // The number's key is an HMAC under the installation's secret: stable (one counter for the three
      // tries of 06 00 00 00 01), and not the plain hash anyone could compute for every number.
      const plain = createHash('sha256').update('callback-phone:+33600000001').digest('hex').slice(0, 32);
      assert.ok(!keys.some((k) => k.key.includes(plain)), 'not the plain hash');
      assert.equal(keys.filter((k) => k.key.startsWith('callback:phone:') && k.count === 3).length, 1);
    } finally {
      await t.close();
    }
  });
});

describe('calling back', () => {
  it('lets the structure record the calls, counting attempts, and refuses another structure', async () => {
    const t = await createTestDb();
    try {
      const n = await network(t.db);
      await requestCallback(t.db, ANONYMOUS, { placeId: n.place, form: form() }, opts());
      const list = await listCallbacks(t.db, n.staff, { now: NOW });
      assert.equal(list.open.length, 1);
      const c = list.open[0];
      assert.ok(c);
      assert.equal(c.firstName, 'Nadia');
      assert.equal(c.phone, '06 12 34 56 78');
      assert.equal(c.structureName, 'Médiathèque');
      assert.deepEqual(await listCallbacks(t.db, n.stranger, { now: NOW }), { open: [], closed: [] });
      await assert.rejects(markCallback(t.db, n.stranger, { id: c.id, outcome: 'done' }), {
        code: 'forbidden',
      });
      await assert.rejects(markCallback(t.db, n.staff, { id: c.id, outcome: 'effacer' }), {
        code: 'invalid_input',
        message: /« effacer » n’est pas un choix/,
      });
      const retry = await markCallback(t.db, n.staff, { id: c.id, outcome: 'retry' }, { now: NOW });
      assert.deepEqual([retry.callback.state, retry.callback.attempts], ['retry', 1]);
      const done = await markCallback(t.db, n.coordinator, { id: c.id, outcome: 'done' }, { now: NOW });
      assert.deepEqual([done.callback.state, done.callback.attempts], ['done', 2]);
      await assert.rejects(markCallback(t.db, n.staff, { id: c.id, outcome: 'unreachable' }), {
        code: 'conflict',
      });
      const after = await listCallbacks(t.db, n.staff, { now: NOW });
      assert.deepEqual([after.open.length, after.closed.length], [0, 1]);
      await assert.rejects(
        markCallback(t.db, n.coordinator, { id: '00000000-0000-4000-8000-000000000000', outcome: 'done' }),
        { code: 'not_found' },
      );
      await assert.rejects(markCallback(t.db, n.staff, { id: 'pas-un-id', outcome: 'done' }), {
        code: 'forbidden',
      });
    } finally {
      await t.close();
    }
  });

  it("lets only one of two people recording at once win, and gives a deleted structure's requests to the network", async () => {
    const t = await createTestDb();
    try {
      const n = await network(t.db);
      await requestCallback(t.db, ANONYMOUS, { placeId: n.place, form: form() }, opts());
      const [c] = (await listCallbacks(t.db, n.staff, { now: NOW })).open;
      assert.ok(c);
      const both = await Promise.allSettled([
        markCallback(t.db, n.staff, { id: c.id, outcome: 'done' }, { now: NOW }),
        markCallback(t.db, n.coordinator, { id: c.id, outcome: 'unreachable' }, { now: NOW }),
      ]);
      assert.deepEqual(both.map((r) => r.status).sort(), ['fulfilled', 'rejected']);
      const lost = both.find((r) => r.status === 'rejected') as PromiseRejectedResult;
      assert.equal(lost.reason.code, 'conflict');
      const [row] = await rows(t.db);
      assert.equal(row?.attempts, 1, 'one attempt recorded, not two');

      await requestCallback(
        t.db,
        ANONYMOUS,
        { placeId: n.place, form: form({ phone: '0700000009' }) },
        opts(),
      );
      await t.db.deleteFrom('structure').where('id', '=', n.structure).execute();
      const open = (await listCallbacks(t.db, n.coordinator, { now: NOW })).open;
      assert.deepEqual(
        open.map((x) => [x.structureId, x.placeName]),
        [[null, 'Médiathèque Sud']],
      );
    } finally {
      await t.close();
    }
  });

  it("keeps the network's requests to the coordinators, and shows them the structures' late ones", async () => {
    const t = await createTestDb();
    try {
      const n = await network(t.db);
      await requestCallback(t.db, ANONYMOUS, { placeId: null, form: form() }, opts());
      await requestCallback(
        t.db,
        ANONYMOUS,
        { placeId: n.place, form: form({ phone: '0700000002' }) },
        opts(),
      );
      const [network_] = (await listCallbacks(t.db, n.coordinator, { now: NOW })).open;
      assert.equal(network_?.structureId, null);
      await assert.rejects(markCallback(t.db, n.staff, { id: network_?.id as string, outcome: 'done' }), {
        code: 'forbidden',
      });
      // Wednesday 9 December is the last day: on Thursday the structure's request is late.
      const thursday = new Date('2026-12-10T08:00:00Z');
      const seen = await listCallbacks(t.db, n.coordinator, { now: thursday });
      assert.deepEqual(
        seen.open.map((c) => [c.structureName, c.late]),
        [
          [null, true],
          ['Médiathèque', true],
        ],
      );
      const blocks = await homeBlocks(t.db, n.coordinator, thursday);
      assert.deepEqual(
        blocks.map((b) => [b.id, b.count, b.items?.map((i) => `${i.label}: ${i.detail}`)]),
        [
          ['callbacks.network', 1, undefined],
          ['callbacks.late', 1, ['Médiathèque: 1 rappel en retard']],
        ],
      );
      const staffBlocks = await homeBlocks(t.db, n.staff, thursday);
      assert.deepEqual(
        staffBlocks.map((b) => [b.id, b.structureName, b.count, b.summary]),
        [['callbacks.to_call', 'Médiathèque', 1, '1 personne attend votre appel, dont 1 en retard.']],
      );
      assert.deepEqual(await homeBlocks(t.db, n.stranger, thursday).then((b) => b.map((x) => x.count)), [0]);
    } finally {
      await t.close();
    }
  });

  it('reminds the structure once after 2 working days, through a real SMTP server, without name or number', async () => {
    const t = await createTestDb();
    const port = await freePort();
    const smtp = await startSmtp(port);
    const smtpConfig = loadConfig({
      DATA_DIR: '/nonexistent-test-dir',
      PUBLIC_URL: 'https://maillage.example.org',
      SMTP_URL: `smtp://127.0.0.1:${port}`,
    });
    const transport = smtpTransport(`smtp://127.0.0.1:${port}`);
    const run = (now: Date) =>
      runJobs(t.db, {
        jobs: defaultJobs(smtpConfig, transport),
        now,
        kind: t.kind === 'pg' ? 'postgres' : 'embedded',
      });
    try {
      const n = await network(t.db);
      // Friday afternoon: due on Tuesday (the weekend does not count), late on Wednesday.
      const friday = new Date('2026-12-04T15:00:00Z');
      const asked = await requestCallback(
        t.db,
        ANONYMOUS,
        { placeId: n.place, form: form({ firstName: 'Zoé', phone: '06 98 76 54 32' }) },
        opts({ now: friday }),
      );
      assert.ok(asked.ok);
      assert.equal(asked.confirmation.dueOn, '2026-12-08');
      await run(friday);
      assert.equal(smtp.received.length, 2, 'the two members are told a call-back waits');
      const tuesday = await runCallbackReminders(t.db, SYSTEM, {
        publicUrl: 'https://maillage.example.org',
        now: new Date('2026-12-08T16:00:00Z'),
      });
      assert.deepEqual(tuesday, { reminded: 0, mails: 0 });
      const wednesday = new Date('2026-12-09T07:00:00Z');
      const report = await run(wednesday);
      assert.deepEqual(report.ran.find((r) => r.name === 'callbacks.reminders')?.result, {
        reminded: 1,
        mails: 2,
      });
      await run(new Date(wednesday.getTime() + 60_000));
      assert.equal(smtp.received.length, 4);
      const again = await run(new Date(wednesday.getTime() + 2 * 3600_000));
      assert.deepEqual(again.ran.find((r) => r.name === 'callbacks.reminders')?.result, {
        reminded: 0,
        mails: 0,
      });
      assert.equal(smtp.received.length, 4, 'reminded once');
      for (const mail of smtp.received) {
        const text = decodedText(mail.raw);
        assert.ok(!/Zo[ée]|Zo=C3=A9|06 98|698765432|98 76 54 32/.test(text), 'neither name nor number');
        assert.ok(text.includes('https://maillage.example.org/rappels'), 'the link arrives whole');
        assert.ok(text.includes(asked.confirmation.reference));
      }
      assert.ok(smtp.received.slice(2).every((m) => /toujours/.test(decodedText(m.raw))));
    } finally {
      transport.close();
      await smtp.close();
      await t.close();
    }
  });
});

describe('call-back retention', () => {
  it('deletes requests older than RETENTION_CALLBACK_DAYS in the privacy purge, and keeps younger ones', async () => {
    const t = await createTestDb();
    try {
      const n = await network(t.db);
      const old = new Date(NOW.getTime() - 31 * DAY);
      const young = new Date(NOW.getTime() - 29 * DAY);
      for (const [when, phone] of [
        [old, '0600000001'],
        [young, '0600000002'],
      ] as const) {
        const r = await requestCallback(
          t.db,
          ANONYMOUS,
          { placeId: n.place, form: form({ phone }) },
          opts({ now: when }),
        );
        assert.ok(r.ok);
      }
      const counts = await purgePersonalData(t.db, SYSTEM, { config, now: NOW });
      assert.equal(counts.callbacks, 1);
      assert.deepEqual(
        (await rows(t.db)).map((r) => r.phone),
        ['+33600000002'],
      );
      const shorter = loadConfig({ DATA_DIR: '/nonexistent-test-dir', RETENTION_CALLBACK_DAYS: '7' });
      assert.equal(shorter.retention.callbackDays, 7);
      assert.equal((await purgePersonalData(t.db, SYSTEM, { config: shorter, now: NOW })).callbacks, 1);
      assert.equal((await rows(t.db)).length, 0);
      assert.equal((await purgePersonalData(t.db, SYSTEM, { config: shorter, now: NOW })).callbacks, 0);
    } finally {
      await t.close();
    }
  });
});
