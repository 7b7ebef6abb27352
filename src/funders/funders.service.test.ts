import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { closeTestTemplate, createTestDb, type TestDb } from '../../test/support/test-db.ts';
import { acceptInvitation, exportMyData } from '../accounts/accounts.service.ts';
import { type Actor, ANONYMOUS } from '../accounts/policy.ts';
import { actorOf, loadPerson } from '../accounts/sessions.service.ts';
import { loadConfig } from '../config.ts';
import type { Db } from '../db/database.ts';
import { removeDemo, seedDemoIfFresh } from '../demo/demo.service.ts';
import { isDomainError } from '../shared/domain-error.ts';
import {
  createFunder,
  endFunding,
  funderFigures,
  homeBlocks,
  inviteFunderMember,
  listFunders,
  listMyFunders,
  recordFunding,
  removeFunderMember,
  viewFunder,
} from './funders.service.ts';

after(closeTestTemplate);

const config = loadConfig({ DATA_DIR: '/nonexistent-test-dir', TERRITORY: 'epci:244500468' });
const opts = { config };
const territory = config.territory;
const SYSTEM: Actor = { kind: 'system' };
const NOW = new Date('2026-06-15T10:00:00Z');
const UNKNOWN = '00000000-0000-4000-8000-000000000000';

async function actorOfEmail(db: Db, email: string): Promise<Actor> {
  const row = await db.selectFrom('person').selectAll().where('email', '=', email).executeTakeFirstOrThrow();
  return actorOf(await loadPerson(db, row));
}

async function demo(): Promise<{ t: TestDb; coordinator: Actor; funder: Actor; demoFunderId: string }> {
  const t = await createTestDb();
  await seedDemoIfFresh(t.db, SYSTEM, { now: NOW });
  const demoFunder = await t.db
    .selectFrom('funder')
    .select('id')
    .where('is_demo', '=', true)
    .executeTakeFirstOrThrow();
  return {
    t,
    coordinator: await actorOfEmail(t.db, 'coordination.demo@example.org'),
    funder: await actorOfEmail(t.db, 'financeur.demo@example.org'),
    demoFunderId: demoFunder.id,
  };
}

const countRows = async (db: Db, table: 'funder' | 'funding' | 'funder_member') =>
  (await db.selectFrom(table).select(db.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n;

const structureIds = async (db: Db) =>
  (await db.selectFrom('structure').select('id').orderBy('nom').execute()).map((r) => r.id);

const EMPTY = { name: '', siren: '', contactEmail: '', contactPhone: '' };

describe('funder organisations', () => {
  it('creates a funder with a checked SIREN and contact, and lists it', async () => {
    const { t, coordinator } = await demo();
    try {
      const result = await createFunder(t.db, coordinator, {
        name: '  CAF du Loiret ',
        siren: '214 502 346',
        contactEmail: 'Contact@Caf.example.org',
        contactPhone: '02 38 11 22 33',
      });
      assert.ok(result.ok);
      const row = await t.db
        .selectFrom('funder')
        .selectAll()
        .where('id', '=', result.funderId)
        .executeTakeFirstOrThrow();
      assert.equal(row.name, 'CAF du Loiret');
      assert.equal(row.siren, '214502346');
      assert.equal(row.contact_phone, '+33238112233');
      const list = await listFunders(t.db, coordinator, { now: NOW });
      assert.deepEqual(
        list.map((f) => [f.name, f.members, f.fundedNow]),
        [
          ['CAF du Loiret', 0, 0],
          ['Département (démonstration)', 1, 2],
        ],
      );
    } finally {
      await t.close();
    }
  });

  it('refuses an empty name, a SIREN with a wrong checksum, a bad address and phone, naming each field, writing nothing', async () => {
    const { t, coordinator } = await demo();
    try {
      const before = await countRows(t.db, 'funder');
      const result = await createFunder(t.db, coordinator, {
        name: '   ',
        siren: '214502347',
        contactEmail: 'pas-une-adresse',
        contactPhone: '12',
      });
      assert.equal(result.ok, false);
      if (result.ok) return;
      assert.match(result.errors.name ?? '', /nom du financeur/);
      assert.match(result.errors.siren ?? '', /SIREN « 214502347 » n'est pas valide/);
      assert.match(result.errors.contactEmail ?? '', /pas-une-adresse/);
      assert.match(result.errors.contactPhone ?? '', /téléphone/i);
      const taken = await createFunder(t.db, coordinator, { ...EMPTY, name: 'Autre', siren: '999999998' });
      assert.equal(taken.ok, false);
      if (!taken.ok)
        assert.equal(taken.errors.siren, 'Un financeur a déjà ce SIREN : « Département (démonstration) ».');
      assert.equal(await countRows(t.db, 'funder'), before);
    } finally {
      await t.close();
    }
  });

  it('records a funding, refusing an unknown structure, an end before the start and an overlap, writing nothing', async () => {
    const { t, coordinator } = await demo();
    try {
      const created = await createFunder(t.db, coordinator, { ...EMPTY, name: 'Fondation' });
      assert.ok(created.ok);
      const funderId = created.funderId;
      const [s0] = await structureIds(t.db);
      assert.ok(s0);
      const before = await countRows(t.db, 'funding');
      const unknown = await recordFunding(t.db, coordinator, {
        funderId,
        structureId: UNKNOWN,
        startsOn: '2026-01-01',
        endsOn: '',
      });
      assert.deepEqual(unknown, {
        ok: false,
        errors: { structureId: "Cette structure n'existe pas. Choisissez une structure dans la liste." },
      });
      const none = await recordFunding(t.db, coordinator, {
        funderId,
        structureId: '',
        startsOn: '',
        endsOn: '',
      });
      assert.equal(none.ok, false);
      if (!none.ok) {
        assert.match(none.errors.structureId ?? '', /Choisissez la structure/);
        assert.match(none.errors.startsOn ?? '', /date de début/);
      }
      const reversed = await recordFunding(t.db, coordinator, {
        funderId,
        structureId: s0,
        startsOn: '01/07/2026',
        endsOn: '30/06/2026',
      });
      assert.deepEqual(reversed, {
        ok: false,
        errors: {
          endsOn:
            'La date de fin (30/06/2026) est avant la date de début (01/07/2026). Elle doit être le même jour ou après.',
        },
      });
      const notADate = await recordFunding(t.db, coordinator, {
        funderId,
        structureId: s0,
        startsOn: '31/02/2026',
        endsOn: '',
      });
      assert.equal(notADate.ok, false);
      if (!notADate.ok) assert.match(notADate.errors.startsOn ?? '', /« 31\/02\/2026 » n'est pas une date/);
      assert.equal(await countRows(t.db, 'funding'), before);

      const first = await recordFunding(t.db, coordinator, {
        funderId,
        structureId: s0,
        startsOn: '2026-01-01',
        endsOn: '2026-12-31',
      });
      assert.ok(first.ok);
      const overlap = await recordFunding(t.db, coordinator, {
        funderId,
        structureId: s0,
        startsOn: '2026-12-31',
        endsOn: '',
      });
      assert.equal(overlap.ok, false);
      if (!overlap.ok)
        assert.match(overlap.errors.startsOn ?? '', /déjà financée .* du 01\/01\/2026 au 31\/12\/2026/);
      const next = await recordFunding(t.db, coordinator, {
        funderId,
        structureId: s0,
        startsOn: '2027-01-01',
        endsOn: '',
      });
      assert.ok(next.ok);
      assert.equal(await countRows(t.db, 'funding'), before + 2);
    } finally {
      await t.close();
    }
  });

  it('ends a funding on or after its start, never into the next one', async () => {
    const { t, coordinator } = await demo();
    try {
      const created = await createFunder(t.db, coordinator, { ...EMPTY, name: 'Fondation' });
      assert.ok(created.ok);
      const funderId = created.funderId;
      const [s0] = await structureIds(t.db);
      assert.ok(s0);
      const open = await recordFunding(t.db, coordinator, {
        funderId,
        structureId: s0,
        startsOn: '2026-03-01',
        endsOn: '',
      });
      assert.ok(open.ok);
      const early = await endFunding(t.db, coordinator, {
        funderId,
        fundingId: open.fundingId,
        endsOn: '2026-02-28',
      });
      assert.equal(early.ok, false);
      if (!early.ok) assert.match(early.errors.endsOn ?? '', /avant la date de début \(01\/03\/2026\)/);
      const empty = await endFunding(t.db, coordinator, { funderId, fundingId: open.fundingId, endsOn: ' ' });
      assert.equal(empty.ok, false);
      const ended = await endFunding(t.db, coordinator, {
        funderId,
        fundingId: open.fundingId,
        endsOn: '2026-06-30',
      });
      assert.ok(ended.ok);
      const later = await recordFunding(t.db, coordinator, {
        funderId,
        structureId: s0,
        startsOn: '2026-09-01',
        endsOn: '',
      });
      assert.ok(later.ok);
      const into = await endFunding(t.db, coordinator, {
        funderId,
        fundingId: open.fundingId,
        endsOn: '2026-10-01',
      });
      assert.equal(into.ok, false);
      const row = await t.db
        .selectFrom('funding')
        .select('ends_on')
        .where('id', '=', open.fundingId)
        .executeTakeFirstOrThrow();
      assert.equal(row.ends_on, '2026-06-30');
      // Another funder's funding is not this funder's.
      await assert.rejects(
        endFunding(t.db, coordinator, { funderId: UNKNOWN, fundingId: open.fundingId, endsOn: '2026-07-01' }),
        (e) => isDomainError(e) && e.code === 'not_found',
      );
    } finally {
      await t.close();
    }
  });

  it('invites a person by e-mail; once accepted, her account is attached and sees the funder', async () => {
    const { t, coordinator } = await demo();
    try {
      const created = await createFunder(t.db, coordinator, { ...EMPTY, name: 'CAF du Loiret' });
      assert.ok(created.ok);
      const bad = await inviteFunderMember(
        t.db,
        coordinator,
        { funderId: created.funderId, email: 'nope' },
        opts,
      );
      assert.equal(bad.ok, false);
      if (!bad.ok) assert.match(bad.errors.email ?? '', /« nope » n'est pas valide/);
      const invited = await inviteFunderMember(
        t.db,
        coordinator,
        { funderId: created.funderId, email: 'Agent@Caf.example.org' },
        opts,
      );
      assert.ok(invited.ok);
      const mail = await t.db
        .selectFrom('mail_outbox')
        .select(['subject', 'text_body'])
        .where('to_address', '=', 'agent@caf.example.org')
        .executeTakeFirstOrThrow();
      assert.equal(mail.subject, 'Invitation à suivre CAF du Loiret sur Maillage');
      const token = /\/invitation\/([A-Za-z0-9_-]{43})/.exec(mail.text_body)?.[1];
      assert.ok(token);
      // Not attached before accepting.
      assert.equal(await countRows(t.db, 'funder_member'), 1);
      const accepted = await acceptInvitation(
        t.db,
        ANONYMOUS,
        {
          token,
          displayName: 'Agent CAF',
          password: 'une phrase de passe assez longue',
          confirmation: 'une phrase de passe assez longue',
        },
        opts,
      );
      assert.ok(accepted.ok);
      const agent = await actorOfEmail(t.db, 'agent@caf.example.org');
      assert.ok(agent.kind === 'person');
      assert.deepEqual(agent.funderIds, [created.funderId]);
      assert.equal(agent.networkRole, 'funder');
      assert.deepEqual(await listMyFunders(t.db, agent), [{ id: created.funderId, name: 'CAF du Loiret' }]);
      // Her access to her data names the funder she belongs to.
      const data = (await exportMyData(t.db, agent)) as { funders: string[] };
      assert.deepEqual(data.funders, ['CAF du Loiret']);
      const again = await inviteFunderMember(
        t.db,
        coordinator,
        { funderId: created.funderId, email: 'agent@caf.example.org' },
        opts,
      );
      assert.deepEqual(again, {
        ok: false,
        errors: { email: 'Cette personne fait déjà partie de ce financeur.' },
      });
    } finally {
      await t.close();
    }
  });

  it("shows a funder its page and figures, never another funder's, and no management part", async () => {
    const { t, coordinator, funder, demoFunderId } = await demo();
    try {
      const other = await createFunder(t.db, coordinator, { ...EMPTY, name: 'Autre financeur' });
      assert.ok(other.ok);
      const view = await viewFunder(t.db, funder, { funderId: demoFunderId, territory }, { now: NOW });
      assert.equal(view.funder.name, 'Département (démonstration)');
      assert.equal(view.management, null);
      assert.equal(view.fundings.length, 2);
      assert.ok(view.fundings.every((f) => f.current));
      for (const call of [
        () => viewFunder(t.db, funder, { funderId: other.funderId, territory }),
        () => funderFigures(t.db, funder, { funderId: other.funderId, territory }),
      ])
        await assert.rejects(call(), (e) => isDomainError(e) && e.code === 'forbidden');
      const managed = await viewFunder(
        t.db,
        coordinator,
        { funderId: demoFunderId, territory },
        { now: NOW },
      );
      assert.deepEqual(
        managed.management?.members.map((m) => m.email),
        ['financeur.demo@example.org'],
      );
    } finally {
      await t.close();
    }
  });

  it('counts the network orientations by need and by commune of the receiving place, as the data says', async () => {
    const { t, funder, demoFunderId } = await demo();
    try {
      // Searches counted by the usage counters: two days within the 12 months, one day before them.
      await t.db
        .insertInto('usage_count')
        .values([
          { day: '2026-06-15', kind: 'search', count: 5 },
          { day: '2025-06-16', kind: 'search', count: 2 },
          { day: '2025-06-15', kind: 'search', count: 100 },
          { day: '2026-06-15', kind: 'place_view', count: 40 },
        ])
        .execute();
      const { figures } = await viewFunder(t.db, funder, { funderId: demoFunderId, territory }, { now: NOW });
      const total = await t.db
        .selectFrom('orientation')
        .select(t.db.fn.countAll<number>().as('n'))
        .executeTakeFirstOrThrow();
      assert.ok(total.n > 0, 'the demo has orientations');
      assert.equal(figures.orientations.total, total.n);
      const byCommune = await t.db
        .selectFrom('orientation')
        .innerJoin('place', 'place.id', 'orientation.place_id')
        .select(['place.commune as label', t.db.fn.countAll<number>().as('n')])
        .groupBy('place.commune')
        .execute();
      assert.deepEqual(
        [...figures.orientations.byCommune].sort((a, b) => a.label.localeCompare(b.label)),
        byCommune.map((r) => ({ label: r.label, n: r.n })).sort((a, b) => a.label.localeCompare(b.label)),
      );
      const needs = (await t.db.selectFrom('orientation').select('needs').execute()).flatMap((r) => r.needs);
      assert.equal(
        figures.orientations.byNeed.reduce((a, r) => a + r.n, 0),
        needs.length,
      );
      assert.ok(figures.coverage && figures.coverage.places > 0, 'the coverage of the demo territory');
      assert.equal(figures.searches, 7, 'searches of the 12 months, today included');
      assert.equal(figures.to, '2026-06-15');
      assert.equal(figures.from, '2025-06-16');
      // A chosen period: the calendar year 2025 holds only the day counted then.
      const year = await viewFunder(
        t.db,
        funder,
        { funderId: demoFunderId, territory, from: '01/01/2025', to: '2025-12-31' },
        { now: NOW },
      );
      assert.deepEqual(
        [year.figures.from, year.figures.to, year.figures.searches],
        ['2025-01-01', '2025-12-31', 102],
      );
      assert.equal(year.figures.orientations.total, 0);
      // A refused period says why and shows the default one.
      const refused = await viewFunder(
        t.db,
        funder,
        { funderId: demoFunderId, territory, from: '2026-06-01', to: '2026-05-01' },
        { now: NOW },
      );
      assert.match(refused.period.errors.au ?? '', /fin de la période \(01\/05\/2026\) est avant son début/);
      assert.equal(refused.figures.from, '2025-06-16');
      await assert.rejects(
        funderFigures(t.db, funder, { funderId: demoFunderId, territory, from: 'hier' }, { now: NOW }),
        (e) => isDomainError(e) && e.code === 'invalid_input' && /« hier » du champ « Du »/.test(e.message),
      );
      // A year later, the demo orientations are out of the period.
      const later = await viewFunder(
        t.db,
        funder,
        { funderId: demoFunderId, territory },
        { now: new Date('2027-07-01T10:00:00Z') },
      );
      assert.equal(later.figures.orientations.total, 0);
    } finally {
      await t.close();
    }
  });

  it('exports the figures as CSV, with aggregates and no personal data', async () => {
    const { t, funder, demoFunderId } = await demo();
    try {
      const { fileName, csv } = await funderFigures(
        t.db,
        funder,
        { funderId: demoFunderId, territory },
        { now: NOW },
      );
      assert.equal(fileName, 'chiffres-financeur-2025-06-16-2026-06-15.csv');
      assert.ok(csv.startsWith('\uFEFFrubrique;libelle;valeur\r\n'));
      assert.match(csv, /\r\nfinanceur;nom;Département \(démonstration\)\r\n/);
      assert.match(csv, /\r\nperiode;du;2025-06-16\r\nperiode;au;2026-06-15\r\n/);
      assert.match(csv, /\r\nrecherches;recherches de lieux;0\r\n/);
      const total = await t.db
        .selectFrom('orientation')
        .select(t.db.fn.countAll<number>().as('n'))
        .executeTakeFirstOrThrow();
      assert.match(csv, new RegExp(`\\r\\norientations;total;${total.n}\\r\\n`));
      const people = await t.db
        .selectFrom('orientation')
        .select(['person_name', 'person_phone', 'sender_name'])
        .execute();
      for (const p of people)
        for (const value of [p.person_name, p.person_phone, p.sender_name])
          if (value) assert.ok(!csv.includes(value), `no personal data: ${value}`);
    } finally {
      await t.close();
    }
  });

  it('gives the funder a home block counting the structures funded today, and the coordinator one of funders', async () => {
    const { t, coordinator, funder, demoFunderId } = await demo();
    try {
      const [block] = await homeBlocks(t.db, funder, NOW);
      assert.ok(block);
      assert.equal(block.audience, 'funder');
      assert.equal(block.count, 2);
      assert.equal(block.href, `/financeurs/${demoFunderId}`);
      // After the end of the second funding (31 December), one structure is funded.
      const [nextYear] = await homeBlocks(t.db, funder, new Date('2027-01-15T10:00:00Z'));
      assert.equal(nextYear?.count, 1);
      const staff = await actorOfEmail(t.db, 'mediation.demo@example.org');
      assert.deepEqual(await homeBlocks(t.db, staff), []);
      const coordinatorBlocks = await homeBlocks(t.db, coordinator);
      assert.deepEqual(
        coordinatorBlocks.map((b) => [b.id, b.count, b.href]),
        [['funders.list', 1, '/financeurs']],
      );
    } finally {
      await t.close();
    }
  });

  it('detaches a person from a funder: she no longer sees its page, her account stays', async () => {
    const { t, coordinator, demoFunderId } = await demo();
    try {
      const person = await t.db
        .selectFrom('person')
        .select('id')
        .where('email', '=', 'financeur.demo@example.org')
        .executeTakeFirstOrThrow();
      const funder = await actorOfEmail(t.db, 'financeur.demo@example.org');
      await assert.rejects(
        removeFunderMember(t.db, funder, { funderId: demoFunderId, personId: person.id }),
        (e) => isDomainError(e) && e.code === 'forbidden',
      );
      await removeFunderMember(t.db, coordinator, { funderId: demoFunderId, personId: person.id });
      const after = await actorOfEmail(t.db, 'financeur.demo@example.org');
      assert.ok(after.kind === 'person');
      assert.deepEqual(after.funderIds, []);
      await assert.rejects(
        viewFunder(t.db, after, { funderId: demoFunderId, territory }),
        (e) => isDomainError(e) && e.code === 'forbidden',
      );
      await assert.rejects(
        removeFunderMember(t.db, coordinator, { funderId: demoFunderId, personId: person.id }),
        (e) => isDomainError(e) && e.code === 'not_found',
      );
    } finally {
      await t.close();
    }
  });

  it('removes the demonstration funder with the demonstration data', async () => {
    const { t } = await demo();
    try {
      await removeDemo(t.db, SYSTEM);
      assert.equal(await countRows(t.db, 'funder'), 0);
      assert.equal(await countRows(t.db, 'funding'), 0);
    } finally {
      await t.close();
    }
  });
});
