import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { closeTestTemplate, createTestDb, type TestDb } from '../../test/support/test-db.ts';
import {
  bookletsAt,
  NOW,
  type PassNetwork,
  passNetwork,
  readyProgramme,
  SYSTEM,
} from '../../test/support/vouchers-fixtures.ts';
import type { Actor } from '../accounts/policy.ts';
import type { Db } from '../db/database.ts';
import { distributeBooklet } from './booklets.service.ts';
import {
  passDashboard,
  placeDashboard,
  prescriberDashboard,
  programmeDashboard,
} from './dashboard.service.ts';
import { readDashboardPeriod } from './dashboard.ts';
import { placeDashboardCsv, programmeDashboardCsv } from './dashboard.views.tsx';
import { homeBlocks } from './dashboard-home.service.ts';
import { cancelRedemption, redeemVoucher } from './redemptions.service.ts';
import { issueStatements, listProgrammeStatements, recordStatementPayment } from './statements.service.ts';
import { confirmProgramme } from './vouchers.service.ts';

after(closeTestTemplate);

let keys = 0;
const redeem = async (db: Db, actor: Actor, placeId: string, code: string, at: string, needs: string[]) => {
  const r = await redeemVoucher(
    db,
    actor,
    {
      placeId,
      code,
      needs,
      servedOn: '',
      idempotencyKey: `dashboard-key-${String(++keys).padStart(5, '0')}`,
    },
    { now: new Date(at) },
  );
  if (!r.ok) throw new Error(JSON.stringify(r.errors));
  return r.redemption.id;
};

const SARAN = { code: '45302', name: 'Saran' };
const ORLEANS = { code: '45234', name: 'Orléans' };

/**
 * A year of a programme with known figures (decision 0051). Programme P of funder 1:
 * - 1 February: 4 booklets of 5 (20 vouchers) emitted, paid and allocated to the CCAS;
 * - booklets handed out: #1 on 10 February (Saran), #2 on 5 March (Orléans), #3 on 6 March (no commune);
 *   #4 stays in the CCAS's hands;
 * - 1 March: one more booklet emitted (5 vouchers), neither paid nor allocated;
 * - booklet #1 fully used: 2 vouchers at A1 on 20 February (caf), 3 at A2 on 10 March (caf, ameli);
 * - booklet #2: one voucher at B1 on 20 March, undone the next day; another at B1 on 2 April (impots);
 * - statements: February (A1, 20 €, paid in full), March (A2, 30 €, 10 € paid).
 * Programme Q of funder 2, same places and prescriber: one booklet handed out on 1 February, one voucher
 * redeemed at A1 on 15 February.
 */
async function year(
  db: Db,
): Promise<{ net: PassNetwork; other: Actor; p: string; q: string; codes: string[][] }> {
  const net = await passNetwork(db);
  const p = await readyProgramme(db, net);
  const first = await bookletsAt(db, net, p, {
    booklets: 4,
    distributed: false,
    now: new Date('2026-02-01T10:00:00Z'),
  });
  const hand = async (bookletId: string, at: string, commune: { code: string; name: string } | null) => {
    const d = await distributeBooklet(
      db,
      net.prescriber,
      { bookletId, declared: true, ageBand: '', commune: commune?.name ?? '' },
      { now: new Date(at), resolveCommune: () => commune },
    );
    if (!d.ok) throw new Error(JSON.stringify(d.errors));
  };
  const [b1, b2, b3] = first.bookletIds as [string, string, string, string];
  await hand(b1, '2026-02-10T10:00:00Z', SARAN);
  await hand(b2, '2026-03-05T10:00:00Z', ORLEANS);
  await hand(b3, '2026-03-06T10:00:00Z', null);
  await bookletsAt(db, net, p, {
    booklets: 1,
    paid: false,
    allocated: false,
    now: new Date('2026-03-01T10:00:00Z'),
  });
  const [c1, c2] = first.codes as [string[], string[]];
  await redeem(db, net.staffA, net.places.a1, c1[0] as string, '2026-02-20T10:00:00Z', ['caf']);
  await redeem(db, net.staffA, net.places.a1, c1[1] as string, '2026-02-20T11:00:00Z', ['caf']);
  for (const code of c1.slice(2))
    await redeem(db, net.staffA, net.places.a2, code, '2026-03-10T10:00:00Z', ['caf', 'ameli']);
  const undone = await redeem(db, net.staffB, net.places.b1, c2[0] as string, '2026-03-20T10:00:00Z', [
    'ants',
  ]);
  const cancelled = await cancelRedemption(
    db,
    net.staffB,
    { redemptionId: String(undone), reason: 'erreur' },
    { now: new Date('2026-03-20T12:00:00Z') },
  );
  assert.ok(cancelled.ok);
  await redeem(db, net.staffB, net.places.b1, c2[1] as string, '2026-04-02T10:00:00Z', ['impots']);

  // Another funder's programme, with the same places and prescriber.
  const otherFunder = await db
    .insertInto('funder')
    .values({ name: 'Région Centre' })
    .returning('id')
    .executeTakeFirstOrThrow();
  const otherPerson = await db
    .insertInto('person')
    .values({ email: 'region@example.org', display_name: 'Région' })
    .returning('id')
    .executeTakeFirstOrThrow();
  await db
    .insertInto('funder_member')
    .values({ funder_id: otherFunder.id, person_id: otherPerson.id })
    .execute();
  const other: Actor = {
    kind: 'person',
    personId: otherPerson.id,
    networkRole: null,
    memberships: [],
    funderIds: [otherFunder.id],
  };
  const q = await readyProgramme(
    db,
    net,
    { name: 'Pass de la région', funderId: otherFunder.id },
    { confirm: false },
  );
  const confirmed = await confirmProgramme(db, other, { programmeId: q, confirmed: true }, { now: NOW });
  assert.ok(confirmed.ok);
  const theirs = await bookletsAt(db, net, q, { booklets: 1, now: new Date('2026-02-01T10:00:00Z') });
  await redeem(db, net.staffA, net.places.a1, theirs.codes[0]?.[0] as string, '2026-02-15T10:00:00Z', [
    'caf',
  ]);

  await issueStatements(db, SYSTEM, { month: '2026-02' }, { now: new Date('2026-03-01T06:00:00Z') });
  await issueStatements(db, SYSTEM, { month: '2026-03' }, { now: new Date('2026-04-01T06:00:00Z') });
  const statements = (await listProgrammeStatements(db, net.funder, { programmeId: p })).statements.filter(
    (s) => s.scope === 'place',
  );
  const feb = statements.find((s) => s.month === '2026-02');
  const mar = statements.find((s) => s.month === '2026-03');
  assert.ok(feb && mar);
  for (const [statementId, amount, reference] of [
    [feb.id, '20', 'VIR-FEV'],
    [mar.id, '10', 'VIR-MARS'],
  ] as const) {
    const paid = await recordStatementPayment(
      db,
      net.funder,
      { statementId, amount, paidOn: '10/04/2026', reference },
      { now: new Date('2026-04-10T10:00:00Z') },
    );
    assert.ok(paid.ok, JSON.stringify(paid));
  }
  return { net, other, p, q, codes: first.codes };
}

describe('the pass numérique dashboards', () => {
  let t: TestDb;
  let y: Awaited<ReturnType<typeof year>>;
  before(async () => {
    t = await createTestDb();
    y = await year(t.db);
  });
  after(async () => {
    await t.close();
  });

  it('gives the funder every figure of its programme for the year, by month, and they add up', async () => {
    const r = await programmeDashboard(t.db, y.net.funder, { annee: '2026' }, { now: NOW });
    assert.ok(r.ok);
    const d = r.dashboard;
    assert.deepEqual(
      d.programmes.map((p) => p.id),
      [y.p],
      'only its own programme',
    );
    assert.deepEqual(d.totals, {
      emitted: 25,
      emittedCents: 25_000,
      paid: 20,
      paidCents: 20_000,
      allocated: 20,
      distributed: 15,
      started: 2,
      redeemed: 6,
      redeemedCents: 6_000,
      expired: 0,
      statements: 2,
      paidStatements: 1,
      owedCents: 5_000,
      settledCents: 3_000,
    });
    const t1 = d.totals;
    assert.ok(t1.redeemed <= t1.distributed && t1.distributed <= t1.allocated && t1.allocated <= t1.emitted);
    assert.ok(t1.settledCents <= t1.owedCents);
    assert.equal(d.months.length, 12);
    const month = (m: string) => d.months.find((x) => x.month === m);
    assert.deepEqual(
      [month('2026-02'), month('2026-03'), month('2026-04')].map((m) => [
        m?.emitted,
        m?.paid,
        m?.allocated,
        m?.distributed,
        m?.started,
        m?.redeemed,
        m?.owedCents,
        m?.settledCents,
      ]),
      [
        [20, 20, 20, 5, 1, 2, 2000, 2000],
        [5, 0, 0, 10, 0, 3, 3000, 1000],
        [0, 0, 0, 0, 1, 1, 0, 0],
      ],
    );
    assert.equal(month('2026-01')?.emitted, 0, 'a month without facts shows its zeros');
  });

  it('breaks the year down by commune of residence, place, prescriber and need', async () => {
    const r = await programmeDashboard(t.db, y.net.funder, { annee: '2026' }, { now: NOW });
    assert.ok(r.ok);
    const d = r.dashboard;
    assert.deepEqual(
      d.communes.map((c) => [c.label, c.booklets, c.vouchers, c.redeemed]),
      [
        ['Saran (45302)', 1, 5, 5],
        ['Orléans (45234)', 1, 5, 1],
        ['Commune non indiquée', 1, 5, 0],
      ],
    );
    assert.deepEqual(
      d.places.map((p) => [p.label, p.redeemed, p.redeemedCents]),
      [
        ['Médiathèque Sud', 3, 3000],
        ['Médiathèque Nord', 2, 2000],
        ['Espace B', 1, 1000],
      ],
    );
    assert.deepEqual(
      d.prescribers.map((p) => [p.label, p.allocated, p.distributed]),
      [['CCAS de Saran', 4, 3]],
    );
    assert.deepEqual(
      d.needs.map((n) => [n.label, n.n]),
      [
        ['Faire une démarche CAF', 5],
        [d.needs[1]?.label, 3],
        [d.needs[2]?.label, 1],
      ],
    );
    assert.ok(!d.needs.some((n) => /ants|ANTS/.test(n.label)), 'the undone redemption paid for nothing');
  });

  it('filters one programme and a period of chosen dates, in Paris months', async () => {
    const march = await programmeDashboard(
      t.db,
      y.net.coordinator,
      { programme: y.p, du: '01/03/2026', au: '31/03/2026' },
      { now: NOW },
    );
    assert.ok(march.ok);
    assert.deepEqual(
      march.dashboard.months.map((m) => m.month),
      ['2026-03'],
    );
    assert.equal(march.dashboard.totals.redeemed, 3);
    assert.equal(march.dashboard.totals.distributed, 10);
    // The coordinators see every programme: the other funder's too.
    const all = await programmeDashboard(t.db, y.net.coordinator, { annee: '2026' }, { now: NOW });
    assert.ok(all.ok);
    assert.deepEqual(all.dashboard.programmes.map((p) => p.id).sort(), [y.p, y.q].sort());
    assert.equal(all.dashboard.totals.redeemed, 7);
    assert.equal(all.dashboard.totals.emitted, 30);
  });

  it('never shows a funder another funder’s programme, nor the figures to a place’s staff', async () => {
    await assert.rejects(programmeDashboard(t.db, y.net.funder, { programme: y.q }, { now: NOW }), {
      code: 'not_found',
    });
    await assert.rejects(
      programmeDashboard(t.db, y.net.funder, { programme: 'pas-un-identifiant' }, { now: NOW }),
      { code: 'not_found' },
    );
    await assert.rejects(programmeDashboard(t.db, y.net.staffA, {}, { now: NOW }), { code: 'forbidden' });
    const theirs = await programmeDashboard(t.db, y.other, { annee: '2026' }, { now: NOW });
    assert.ok(theirs.ok);
    assert.deepEqual(
      theirs.dashboard.programmes.map((p) => p.id),
      [y.q],
    );
    assert.equal(theirs.dashboard.totals.redeemed, 1);
  });

  it('refuses a period in the wrong order or in the future, naming the field in French', async () => {
    const wrongOrder = await programmeDashboard(
      t.db,
      y.net.funder,
      { du: '31/03/2026', au: '01/03/2026' },
      { now: NOW },
    );
    assert.deepEqual(wrongOrder.ok ? null : wrongOrder.errors, {
      au: 'Au : le dernier jour est avant le premier. Échangez les deux dates.',
    });
    const nextYear = await programmeDashboard(t.db, y.net.funder, { annee: '2027' }, { now: NOW });
    assert.match(nextYear.ok ? '' : (nextYear.errors.annee ?? ''), /^Année : 2027 n’a pas commencé/);
    const future = await programmeDashboard(
      t.db,
      y.net.funder,
      { du: '01/07/2026', au: '31/07/2026' },
      { now: NOW },
    );
    assert.match(future.ok ? '' : (future.errors.du ?? ''), /^Du : le premier jour est dans le futur/);
    const notADate = readDashboardPeriod({ du: 'hier', au: '31/03/2026' }, NOW);
    assert.match(notADate.ok ? '' : (notADate.errors.du ?? ''), /« hier » n’est pas une date/);
  });

  it('shows a prescriber its booklets by month and those still to hand out', async () => {
    const r = await prescriberDashboard(t.db, y.net.prescriber, { annee: '2026' }, { now: NOW });
    assert.ok(r.ok);
    // Both programmes' booklets: P's four and Q's one.
    assert.deepEqual(r.dashboard.totals, { received: 5, distributed: 4, started: 3, fullyUsed: 1 });
    const month = (m: string) => r.dashboard.months.find((x) => x.month === m);
    assert.deepEqual(month('2026-02'), {
      month: '2026-02',
      received: 5,
      distributed: 2,
      started: 2,
      fullyUsed: 0,
    });
    assert.deepEqual(month('2026-03'), {
      month: '2026-03',
      received: 0,
      distributed: 2,
      started: 0,
      fullyUsed: 1,
    });
    assert.deepEqual(month('2026-04'), {
      month: '2026-04',
      received: 0,
      distributed: 0,
      started: 1,
      fullyUsed: 0,
    });
    assert.deepEqual(
      r.dashboard.toHandOut.map((h) => [h.programmeId, h.booklets, h.lastDay]),
      [[y.p, 1, '2026-12-15']],
    );
    const theirs = await prescriberDashboard(
      t.db,
      y.net.prescriber,
      { programme: y.q, annee: '2026' },
      { now: NOW },
    );
    assert.ok(theirs.ok);
    assert.deepEqual(theirs.dashboard.totals, { received: 1, distributed: 1, started: 1, fullyUsed: 0 });
  });

  it('shows a place its redemptions by month, its statements and what waits for one', async () => {
    const a = await placeDashboard(t.db, y.net.staffA, { annee: '2026' }, { now: NOW });
    assert.ok(a.ok);
    assert.deepEqual(a.dashboard.totals, { redeemed: 6, redeemedCents: 6000 });
    assert.deepEqual(
      a.dashboard.months.filter((m) => m.redeemed > 0),
      [
        { month: '2026-02', redeemed: 3, redeemedCents: 3000 },
        { month: '2026-03', redeemed: 3, redeemedCents: 3000 },
      ],
    );
    assert.deepEqual(
      a.dashboard.statements
        .map((s) => [s.month, s.programmeName, s.placeName, s.totalCents, s.settledCents])
        .sort(),
      [
        ['2026-02', 'Pass de la région', 'Médiathèque Nord', 1000, 0],
        ['2026-02', 'Pass numérique 2026', 'Médiathèque Nord', 2000, 2000],
        ['2026-03', 'Pass numérique 2026', 'Médiathèque Sud', 3000, 1000],
      ],
    );
    const onlyP = await placeDashboard(t.db, y.net.staffA, { programme: y.p, annee: '2026' }, { now: NOW });
    assert.ok(onlyP.ok);
    assert.deepEqual(onlyP.dashboard.totals, { redeemed: 5, redeemedCents: 5000 });
    assert.deepEqual(a.dashboard.awaiting, { n: 0, cents: 0 });
    const b = await placeDashboard(t.db, y.net.staffB, { annee: '2026' }, { now: NOW });
    assert.ok(b.ok);
    assert.deepEqual(b.dashboard.totals, { redeemed: 1, redeemedCents: 1000 });
    assert.deepEqual(b.dashboard.statements, [], 'its redemption of March was undone within the month');
    assert.deepEqual(b.dashboard.awaiting, { n: 1, cents: 1000 });
  });

  it('opens on one page the sections of each role, and 404s a programme the person does not see', async () => {
    const staff = await passDashboard(t.db, y.net.staffA, {}, { now: NOW });
    assert.ok(staff.ok);
    assert.equal(staff.sections.programmes, null);
    assert.equal(staff.sections.prescriber, null);
    assert.ok(staff.sections.place);
    const funder = await passDashboard(t.db, y.net.funder, { annee: '2026' }, { now: NOW });
    assert.ok(funder.ok);
    assert.ok(funder.sections.programmes);
    assert.deepEqual(
      funder.choices.map((c) => c.id),
      [y.p],
    );
    await assert.rejects(passDashboard(t.db, y.net.funder, { programme: y.q }, { now: NOW }), {
      code: 'not_found',
    });
    await assert.rejects(passDashboard(t.db, y.net.staffA, { programme: 'inconnu' }, { now: NOW }), {
      code: 'not_found',
    });
  });

  it('writes each dashboard as a CSV for spreadsheets, with no voucher code', async () => {
    const r = await programmeDashboard(t.db, y.net.funder, { annee: '2026' }, { now: NOW });
    assert.ok(r.ok);
    const file = programmeDashboardCsv(r.dashboard);
    assert.ok(file.csv.startsWith('\uFEFF'));
    assert.equal(file.filename, 'pass-programmes-2026-01-01-2026-12-31.csv');
    const lines = file.csv.split('\r\n');
    assert.ok(lines.includes('période;total;chèques encaissés;6'));
    assert.ok(lines.includes('période;total;réglé aux lieux (€);30,00'));
    assert.ok(lines.includes('par mois;2026-03;chèques remis à des personnes;10'));
    assert.ok(lines.includes('par commune de résidence;Saran (45302);chèques encaissés;5'));
    for (const code of y.codes.flat()) assert.ok(!file.csv.includes(code), 'no voucher code');
    const place = await placeDashboard(t.db, y.net.staffA, { annee: '2026' }, { now: NOW });
    assert.ok(place.ok);
    assert.ok(
      placeDashboardCsv(place.dashboard)
        .csv.split('\r\n')
        .includes('par lieu;Médiathèque Sud;chèques encaissés;3'),
    );
  });

  it('puts each role’s to-dos on the home page: statements to pay, booklets to hand out, redemptions waiting', async () => {
    const block = async (actor: Actor, id: string, now = NOW) =>
      (await homeBlocks(t.db, actor, { now })).find((b) => b.id === id);
    const toPay = await block(y.net.funder, 'vouchers.statements_to_pay');
    assert.equal(toPay?.count, 1, 'March’s statement of A2 (20 € left)');
    assert.equal(toPay?.audience, 'funder');
    assert.match(toPay?.items?.[0]?.detail ?? '', /reste 20,00/);
    // The coordinators see every funder's: the other programme's February statement is unpaid too.
    assert.equal((await block(y.net.coordinator, 'vouchers.statements_to_pay'))?.count, 2);
    const toHand = await block(y.net.prescriber, 'vouchers.to_distribute');
    assert.equal(toHand?.count, 1);
    // The programme ends on 31/12/2026: distribution stops 15 days before (decision 0050).
    assert.equal(toHand?.items?.[0]?.detail, 'à remettre au plus tard le 15/12/2026');
    const afterStop = await block(
      y.net.prescriber,
      'vouchers.to_distribute',
      new Date('2026-12-16T10:00:00Z'),
    );
    assert.equal(afterStop?.count, 0, 'nothing left to hand out once distribution has stopped');
    const waiting = await block(y.net.staffB, 'vouchers.awaiting_statement');
    assert.equal(waiting?.count, 1);
    assert.equal((await block(y.other, 'vouchers.statements_to_pay'))?.count, 1);
    assert.equal(await block(y.net.staffA, 'vouchers.statements_to_pay'), undefined);
  });
});
