import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { closeTestTemplate, createTestDb } from '../../test/support/test-db.ts';
import {
  bookletsAt,
  type PassNetwork,
  passNetwork,
  readyProgramme,
  SYSTEM,
} from '../../test/support/vouchers-fixtures.ts';
import type { Actor } from '../accounts/policy.ts';
import type { Db } from '../db/database.ts';
import { sealLedger, verifyLedger } from './ledger.service.ts';
import { cancelRedemption, redeemVoucher } from './redemptions.service.ts';
import {
  issueDueStatements,
  issueStatements,
  listMyStatements,
  listProgrammeStatements,
  recordStatementPayment,
  viewStatement,
} from './statements.service.ts';
import { monthOf } from './statements.ts';
import { statementViewCsv } from './statements.views.tsx';

after(closeTestTemplate);

let keys = 0;
const redeem = async (db: Db, actor: Actor, placeId: string, code: string, now: Date) => {
  const r = await redeemVoucher(
    db,
    actor,
    {
      placeId,
      code,
      needs: ['caf'],
      servedOn: '',
      idempotencyKey: `statement-key-${String(++keys).padStart(5, '0')}`,
    },
    { now },
  );
  if (!r.ok) throw new Error(JSON.stringify(r.errors));
  return r.redemption.id;
};

const forbidden = { name: 'DomainError', code: 'forbidden' };
const invalid = (pattern: RegExp) => (e: unknown) =>
  (e as { code?: string }).code === 'invalid_input' && pattern.test((e as Error).message);

async function setUp(db: Db): Promise<{ net: PassNetwork; programmeId: string; codes: string[] }> {
  const net = await passNetwork(db);
  const programmeId = await readyProgramme(db, net);
  const { codes } = await bookletsAt(db, net, programmeId, {
    booklets: 4,
    now: new Date('2026-02-01T10:00:00Z'),
  });
  return { net, programmeId, codes: codes.flat() };
}

const count = async (
  db: Db,
  table: 'voucher_statement' | 'voucher_statement_line' | 'voucher_statement_payment',
) =>
  Number(
    (
      await db
        .selectFrom(table)
        .select((eb) => eb.fn.countAll().as('n'))
        .executeTakeFirstOrThrow()
    ).n,
  );

describe('monthly statements', () => {
  it('cuts months at midnight in Paris, across both daylight-saving changes, and sums the places for the funder', async () => {
    const t = await createTestDb();
    try {
      const { net, programmeId, codes } = await setUp(t.db);
      const [c1, c2, c3, c4, c5, c6, c7] = codes as [string, string, string, string, string, string, string];
      // End of February (winter time, UTC+1): 00:30 on 1 March in Paris is 23:30 UTC on 28 February.
      await redeem(t.db, net.staffA, net.places.a1, c1, new Date('2026-02-28T22:59:00Z'));
      await redeem(t.db, net.staffA, net.places.a1, c2, new Date('2026-02-28T23:30:00Z'));
      // After the change of 29 March (summer time, UTC+2): 00:30 on 1 April is 22:30 UTC on 31 March.
      await redeem(t.db, net.staffA, net.places.a2, c3, new Date('2026-03-31T21:59:00Z'));
      await redeem(t.db, net.staffB, net.places.b1, c4, new Date('2026-03-31T22:30:00Z'));
      // After the change of 25 October (winter time again): 00:30 on 1 November is 23:30 UTC on 31 October.
      await redeem(t.db, net.staffB, net.places.b1, c5, new Date('2026-10-31T22:59:00Z'));
      await redeem(t.db, net.staffB, net.places.b1, c6, new Date('2026-10-31T23:30:00Z'));
      await redeem(t.db, net.staffA, net.places.a1, c7, new Date('2026-10-31T23:31:00Z'));

      const feb = await issueStatements(
        t.db,
        SYSTEM,
        { month: '2026-02' },
        { now: new Date('2026-03-01T05:00:00Z') },
      );
      assert.deepEqual(
        feb.issued.map((p) => [p.places, p.totalCents]),
        [[1, 1000]],
      );
      const mar = await issueStatements(
        t.db,
        SYSTEM,
        { month: '2026-03' },
        { now: new Date('2026-04-01T05:00:00Z') },
      );
      assert.deepEqual(
        mar.issued.map((p) => [p.places, p.totalCents]),
        [[2, 2000]],
        'c2 (1 March, 00:30 in Paris) and c3 (31 March, 23:59 in Paris)',
      );
      const apr = await issueStatements(
        t.db,
        SYSTEM,
        { month: '2026-04' },
        { now: new Date('2026-05-01T05:00:00Z') },
      );
      assert.deepEqual(
        apr.issued.map((p) => p.totalCents),
        [1000],
        'c4: 1 April, 00:30 in Paris',
      );
      // Nothing from May to September: no statement is written for an empty month.
      for (const month of ['2026-05', '2026-06', '2026-07', '2026-08', '2026-09'])
        assert.equal(
          (await issueStatements(t.db, SYSTEM, { month }, { now: new Date('2026-11-02T05:00:00Z') })).issued
            .length,
          0,
        );
      const oct = await issueStatements(
        t.db,
        SYSTEM,
        { month: '2026-10' },
        { now: new Date('2026-11-02T05:00:00Z') },
      );
      assert.deepEqual(
        oct.issued.map((p) => p.totalCents),
        [1000],
        'c5 only: c6 and c7 are of November in Paris',
      );

      const { statements } = await listProgrammeStatements(t.db, net.funder, { programmeId });
      const funderOf = (month: string) => statements.find((s) => s.scope === 'funder' && s.month === month);
      const placesOf = (month: string) => statements.filter((s) => s.scope === 'place' && s.month === month);
      for (const month of ['2026-02', '2026-03', '2026-04', '2026-10'])
        assert.equal(
          funderOf(month)?.totalCents,
          placesOf(month).reduce((a, s) => a + s.totalCents, 0),
          month,
        );
      const march = placesOf('2026-03');
      assert.deepEqual(march.map((s) => s.payee.placeName).sort(), ['Médiathèque Nord', 'Médiathèque Sud']);
      const nord = march.find((s) => s.payee.placeName === 'Médiathèque Nord');
      assert.equal(nord?.payee.structureName, 'Médiathèques');
      assert.equal(nord?.payee.siret, '21450234600019');

      // Idempotent: a second run issues nothing new.
      const again = await issueStatements(
        t.db,
        SYSTEM,
        { month: '2026-03' },
        { now: new Date('2026-04-02T05:00:00Z') },
      );
      assert.equal(again.issued.length, 0);
      assert.equal(again.alreadyIssued, 1);

      await sealLedger(t.db, SYSTEM);
      const report = await verifyLedger(t.db, SYSTEM, { now: new Date('2026-11-02T05:00:00Z') });
      assert.equal(report.problem, null);
      assert.equal(report.programmes[0]?.statements, 5);
    } finally {
      await t.close();
    }
  });

  it('refuses a month that is not over, a future one and a malformed one, writing nothing', async () => {
    const t = await createTestDb();
    try {
      await setUp(t.db);
      const now = new Date('2026-03-31T22:30:00Z'); // 1 April, 00:30 in Paris
      assert.equal(monthOf(now), '2026-04');
      await assert.rejects(
        issueStatements(t.db, SYSTEM, { month: '2026-04' }, { now }),
        invalid(/avril 2026 n'est pas terminé/),
      );
      await assert.rejects(
        issueStatements(t.db, SYSTEM, { month: '2026-05' }, { now }),
        invalid(/mai 2026 est dans le futur/),
      );
      await assert.rejects(
        issueStatements(t.db, SYSTEM, { month: '2026-13' }, { now }),
        invalid(/« 2026-13 » n'est pas un mois/),
      );
      await assert.rejects(
        issueStatements(t.db, SYSTEM, { month: 'mars' }, { now }),
        invalid(/n'est pas un mois/),
      );
      assert.equal(await count(t.db, 'voucher_statement'), 0);
    } finally {
      await t.close();
    }
  });

  it('puts a late redemption into the next statement and a cancellation after issue as a negative line', async () => {
    const t = await createTestDb();
    try {
      const { net, programmeId, codes } = await setUp(t.db);
      const [c1, c2, c3] = codes as [string, string, string];
      const r1 = await redeem(t.db, net.staffA, net.places.a1, c1, new Date('2026-03-10T10:00:00Z'));
      // Redeemed and cancelled within March: on no statement.
      const r2 = await redeem(t.db, net.staffA, net.places.a1, c2, new Date('2026-03-11T10:00:00Z'));
      assert.ok(
        (
          await cancelRedemption(
            t.db,
            net.staffA,
            { redemptionId: String(r2), reason: 'Erreur de saisie' },
            {
              now: new Date('2026-03-11T11:00:00Z'),
            },
          )
        ).ok,
      );
      await issueStatements(t.db, SYSTEM, { month: '2026-03' }, { now: new Date('2026-04-01T05:00:00Z') });
      // A redemption recorded as of March whose transaction committed after March's statements.
      await redeem(t.db, net.staffA, net.places.a1, c3, new Date('2026-03-31T21:00:00Z'));
      // r1, already on March's statement, is cancelled in April.
      const cancelled = await cancelRedemption(
        t.db,
        net.coordinator,
        { redemptionId: String(r1), reason: 'Chèque encaissé deux fois par erreur' },
        { now: new Date('2026-04-12T10:00:00Z') },
      );
      assert.ok(cancelled.ok);
      await issueStatements(t.db, SYSTEM, { month: '2026-04' }, { now: new Date('2026-05-01T05:00:00Z') });
      const { statements } = await listProgrammeStatements(t.db, net.coordinator, { programmeId });
      const place = (month: string) => statements.find((s) => s.scope === 'place' && s.month === month);
      assert.equal(place('2026-03')?.totalCents, 1000);
      assert.equal(place('2026-03')?.lineCount, 1);
      const april = place('2026-04');
      assert.ok(april);
      assert.equal(april.totalCents, 0);
      const view = await viewStatement(t.db, net.staffA, { statementId: april.id });
      assert.deepEqual(
        view.lines.map((l) => [l.code, l.amountCents, l.kind]),
        [
          [c3, 1000, 'redemption'],
          [c1, -1000, 'redemption_cancellation'],
        ],
      );
      // The database refuses a ledger entry on two statement lines.
      const { id: _id, ...line } = await t.db
        .selectFrom('voucher_statement_line')
        .selectAll()
        .executeTakeFirstOrThrow();
      await assert.rejects(
        t.db
          .insertInto('voucher_statement_line')
          .values({ ...line, statement_id: april.id })
          .execute(),
        /voucher_statement_line_entry_key|duplicate|unique/,
      );
      const csv = statementViewCsv(view);
      assert.ok(csv.csv.startsWith('\uFEFF'));
      assert.match(csv.csv, new RegExp(`${c1};\\d\\d/04/2026;Médiathèque Nord;-10,00;annulation`));
      await sealLedger(t.db, SYSTEM);
      assert.equal(
        (await verifyLedger(t.db, SYSTEM, { now: new Date('2026-05-01T05:00:00Z') })).problem,
        null,
      );
    } finally {
      await t.close();
    }
  });

  it('records payments up to what is owed, never twice a reference, and keeps statements immutable', async () => {
    const t = await createTestDb();
    try {
      const { net, programmeId, codes } = await setUp(t.db);
      const [c1, c2, c3] = codes as [string, string, string];
      await redeem(t.db, net.staffA, net.places.a1, c1, new Date('2026-03-10T10:00:00Z'));
      await redeem(t.db, net.staffA, net.places.a1, c2, new Date('2026-03-12T10:00:00Z'));
      await redeem(t.db, net.staffB, net.places.b1, c3, new Date('2026-03-12T10:00:00Z'));
      const now = new Date('2026-04-15T10:00:00Z');
      assert.equal(await issueDueStatements(t.db, SYSTEM, { now: new Date('2026-04-01T00:05:00Z') }), 1);
      assert.equal(await issueDueStatements(t.db, SYSTEM, { now: new Date('2026-04-01T01:05:00Z') }), 0);
      const { statements } = await listProgrammeStatements(t.db, net.funder, { programmeId });
      const a = statements.find((s) => s.scope === 'place' && s.structureId === net.structures.a);
      const b = statements.find((s) => s.scope === 'place' && s.structureId === net.structures.b);
      const f = statements.find((s) => s.scope === 'funder');
      assert.ok(a && b && f);
      assert.equal(a.totalCents, 2000);
      const pay = (
        actor: Actor,
        statementId: string,
        amount: string,
        reference: string,
        paidOn = '14/04/2026',
      ) => recordStatementPayment(t.db, actor, { statementId, amount, paidOn, reference }, { now });

      // Bad input: French messages naming the field, nothing written.
      const bad = await pay(net.funder, a.id, '20,01', '', '32/04/2026');
      assert.equal(bad.ok, false);
      if (!bad.ok) {
        assert.match(bad.errors.amount ?? '', /dépasse ce qui reste dû/);
        assert.match(bad.errors.paidOn ?? '', /n'est pas une date/);
        assert.match(bad.errors.reference ?? '', /Indiquez la référence/);
      }
      const notAmount = await pay(net.funder, a.id, 'dix euros', 'V-1');
      assert.ok(!notAmount.ok && /« dix euros » n'est pas un montant/.test(notAmount.errors.amount ?? ''));
      const future = await pay(net.funder, a.id, '5', 'V-1', '16/04/2026');
      assert.ok(!future.ok && /futur/.test(future.errors.paidOn ?? ''));
      const onFunder = await pay(net.funder, f.id, '5', 'V-1');
      assert.ok(!onFunder.ok && /relevé d’un lieu/.test(onFunder.errors.amount ?? ''));
      assert.equal(await count(t.db, 'voucher_statement_payment'), 0);

      // Only the funder's people and the coordinators pay.
      await assert.rejects(pay(net.staffA, a.id, '5', 'V-1'), forbidden);
      assert.ok((await pay(net.funder, a.id, '12,50', 'VIR-2026-001')).ok);
      const more = await pay(net.coordinator, a.id, '7,51', 'VIR-2026-002');
      assert.ok(!more.ok && /7,51.*7,50/.test(more.errors.amount ?? ''));
      const reused = await pay(net.coordinator, b.id, '10', 'VIR-2026-001');
      assert.ok(!reused.ok && /a déjà servi/.test(reused.errors.reference ?? ''));
      assert.ok((await pay(net.coordinator, a.id, '7,50', 'VIR-2026-002')).ok);
      const none = await pay(net.funder, a.id, '1', 'VIR-2026-003');
      assert.ok(!none.ok && /déjà entièrement payé/.test(none.errors.amount ?? ''));
      const paid = await viewStatement(t.db, net.staffA, { statementId: a.id });
      assert.equal(paid.statement.settledCents, 2000);
      assert.deepEqual(
        paid.payments.map((p) => [p.amount_cents, p.reference]),
        [
          [1250, 'VIR-2026-001'],
          [750, 'VIR-2026-002'],
        ],
      );
      assert.equal(paid.may.pay, false);
      const audited = await t.db
        .selectFrom('audit_log')
        .select('action')
        .where('action', '=', 'voucher.statement_paid')
        .execute();
      assert.equal(audited.length, 2);

      // The database: settled never above owed, issued rows never changed nor deleted.
      await assert.rejects(
        t.db.updateTable('voucher_statement').set({ settled_cents: 2001 }).where('id', '=', a.id).execute(),
        /voucher_statement_settled|check/,
      );
      await assert.rejects(
        t.db.updateTable('voucher_statement').set({ settled_cents: 0 }).where('id', '=', a.id).execute(),
        /immutable/,
      );
      await assert.rejects(t.db.deleteFrom('voucher_statement_line').execute(), /immutable/);
      await assert.rejects(t.db.deleteFrom('voucher_statement_payment').execute(), /immutable/);
      await assert.rejects(
        t.db.deleteFrom('voucher_statement').where('id', '=', b.id).execute(),
        /immutable/,
      );

      // Who sees what: a place's structure its own, the funder and coordinators all.
      assert.deepEqual(
        (await listMyStatements(t.db, net.staffA)).map((s) => s.id),
        [a.id],
      );
      await assert.rejects(viewStatement(t.db, net.staffB, { statementId: a.id }), forbidden);
      await assert.rejects(viewStatement(t.db, net.staffA, { statementId: f.id }), forbidden);
      await assert.rejects(listProgrammeStatements(t.db, net.staffA, { programmeId }), forbidden);
      const funderView = await viewStatement(t.db, net.funder, { statementId: f.id });
      assert.equal(funderView.places.length, 2);
      await assert.rejects(viewStatement(t.db, net.funder, { statementId: 'pas-un-id' }), {
        code: 'not_found',
      });

      await sealLedger(t.db, SYSTEM);
      const report = await verifyLedger(t.db, SYSTEM, { now });
      assert.equal(report.problem, null);
      assert.equal(report.programmes[0]?.statementsSettledCents, 2000);
      assert.equal(report.programmes[0]?.statementsOwedCents, 3000);
    } finally {
      await t.close();
    }
  });
});
