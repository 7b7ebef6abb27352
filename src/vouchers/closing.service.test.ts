import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { closeTestTemplate, createTestDb } from '../../test/support/test-db.ts';
import {
  bookletsAt,
  ledgerCounts,
  noCommune,
  type PassNetwork,
  passNetwork,
  programmeValues,
  readyProgramme,
  SYSTEM,
} from '../../test/support/vouchers-fixtures.ts';
import type { Actor } from '../accounts/policy.ts';
import type { Db } from '../db/database.ts';
import { distributeBooklet, getBooklet } from './booklets.service.ts';
import { programmeClosingBlock, runEndOfValidity, viewProgrammeClosing } from './closing.service.ts';
import {
  closingCalendar,
  closingPhase,
  distributionOpen,
  reconciliationBalances,
  reconciliationCsv,
} from './closing.ts';
import { sealLedger, verifyLedger } from './ledger.service.ts';
import { cancelRedemption, redeemVoucher } from './redemptions.service.ts';
import { issueStatements, listProgrammeStatements, viewStatement } from './statements.service.ts';
import { createProgramme, emitBooklets, recordPayment } from './vouchers.service.ts';

after(closeTestTemplate);

let keys = 0;
const redeem = async (db: Db, actor: Actor, placeId: string, code: string, now: Date, servedOn = '') =>
  redeemVoucher(
    db,
    actor,
    {
      placeId,
      code,
      needs: ['caf'],
      servedOn,
      idempotencyKey: `closing-key-${String(++keys).padStart(5, '0')}`,
    },
    { now },
  );

const mustRedeem = async (...args: Parameters<typeof redeem>) => {
  const r = await redeem(...args);
  if (!r.ok) throw new Error(JSON.stringify(r.errors));
};

const forbidden = { name: 'DomainError', code: 'forbidden' };

const closingMails = async (db: Db) =>
  Number(
    (
      await db
        .selectFrom('mail_outbox')
        .select((eb) => eb.fn.countAll().as('n'))
        .where('kind', '=', 'voucher_distribution_closed')
        .executeTakeFirstOrThrow()
    ).n,
  );

const statementRows = async (db: Db) =>
  Number(
    (
      await db
        .selectFrom('voucher_statement')
        .select((eb) => eb.fn.countAll().as('n'))
        .executeTakeFirstOrThrow()
    ).n,
  );

describe('the end-of-validity calendar (pure)', () => {
  it('puts the notice 30 days and the stop 15 days before the end, and expiry the day after the grace period', () => {
    const c = closingCalendar('2026-02-26', 30);
    assert.deepEqual(c, {
      noticeFrom: '2026-01-27',
      distributionStop: '2026-02-11',
      end: '2026-02-26',
      lastRecording: '2026-03-28',
      expiryDue: '2026-03-29',
    });
    assert.equal(closingPhase(c, '2026-01-26'), 'open');
    assert.equal(closingPhase(c, '2026-01-27'), 'closing_soon');
    assert.equal(closingPhase(c, '2026-02-11'), 'distribution_closed');
    assert.equal(closingPhase(c, '2026-02-27'), 'grace');
    assert.equal(closingPhase(c, '2026-03-28'), 'grace');
    assert.equal(closingPhase(c, '2026-03-29'), 'expiry_due');
    assert.equal(distributionOpen('2026-02-26', '2026-02-10'), true);
    assert.equal(distributionOpen('2026-02-26', '2026-02-11'), false);
  });
});

async function springProgramme(
  db: Db,
): Promise<{ net: PassNetwork; programmeId: string; codes: string[][]; allocatedLeft: string }> {
  const net = await passNetwork(db);
  // Ends on 26 February 2026, 30 days of grace: the last recording day is Saturday 28 March, the vouchers
  // left expire on Sunday 29 March — the night clocks go forward in Paris.
  const programmeId = await readyProgramme(db, net, {
    validFrom: '01/01/2026',
    validUntil: '26/02/2026',
    graceDays: '30',
  });
  const at = new Date('2026-01-05T09:00:00Z');
  const handed = await bookletsAt(db, net, programmeId, { booklets: 3, now: at });
  const kept = await bookletsAt(db, net, programmeId, { booklets: 1, now: at, distributed: false });
  await bookletsAt(db, net, programmeId, { booklets: 1, now: at, paid: false, allocated: false });
  return { net, programmeId, codes: handed.codes, allocatedLeft: kept.bookletIds[0] as string };
}

describe('the end of validity, with an injected clock', () => {
  it('runs the whole calendar: 30 days, 15 days, the end, the grace period, expiry at midnight in Paris when clocks go forward, and a second run that writes nothing', async () => {
    const t = await createTestDb();
    try {
      const { net, programmeId, codes, allocatedLeft } = await springProgramme(t.db);
      const [b1, b2] = codes as [string[], string[]];
      await mustRedeem(t.db, net.staffA, net.places.a1, b1[0] as string, new Date('2026-01-20T10:00:00Z'));
      await mustRedeem(t.db, net.staffA, net.places.a1, b1[1] as string, new Date('2026-01-20T11:00:00Z'));
      await mustRedeem(t.db, net.staffB, net.places.b1, b2[0] as string, new Date('2026-02-10T10:00:00Z'));

      // Before the notice: nothing due, no block on the programme's page.
      const early = await runEndOfValidity(t.db, SYSTEM, { now: new Date('2026-01-20T12:00:00Z') });
      assert.deepEqual(early, { notified: [], expired: [], alreadyExpired: [] });
      assert.equal(
        await programmeClosingBlock(
          t.db,
          net.funder,
          { programmeId },
          { now: new Date('2026-01-26T22:59:00Z') },
        ),
        null,
        '23:59 in Paris on 26 January is still 31 days before the end',
      );

      // 30 days before the end (00:00 in Paris on 27 January): the funder sees its booklets.
      const block = await programmeClosingBlock(
        t.db,
        net.funder,
        { programmeId },
        { now: new Date('2026-01-26T23:00:00Z') },
      );
      assert.ok(block);
      assert.equal(block.phase, 'closing_soon');
      assert.deepEqual(block.booklets, {
        emitted: 5,
        paid: 4,
        allocated: 4,
        distributed: 3,
        notDistributed: 2,
        cancelled: 0,
        started: 2,
      });
      // A place's staff does not see the programme's end.
      assert.equal(
        await programmeClosingBlock(
          t.db,
          net.staffA,
          { programmeId },
          { now: new Date('2026-01-27T08:00:00Z') },
        ),
        null,
      );

      // 15 days before the end: distribution refused, nothing written; the prescribers told once.
      const before = await ledgerCounts(t.db);
      const refused = await distributeBooklet(
        t.db,
        net.prescriber,
        { bookletId: allocatedLeft, declared: true, ageBand: '', commune: '' },
        { now: new Date('2026-02-10T23:30:00Z'), resolveCommune: noCommune },
      );
      assert.equal(refused.ok, false);
      assert.match(
        (refused as { errors: Record<string, string> }).errors.booklet ?? '',
        /distribution des carnets de ce programme est close depuis le 11\/02\/2026/,
      );
      assert.deepEqual(await ledgerCounts(t.db), before);
      // The booklet's page says so instead of offering the form; the day before, it offered it.
      const page = await getBooklet(
        t.db,
        net.prescriber,
        { bookletId: allocatedLeft },
        { now: new Date('2026-02-11T08:00:00Z') },
      );
      assert.equal(page.may.distribute, false);
      assert.match(page.distributionClosed ?? '', /close depuis le 11\/02\/2026/);
      const dayBefore = await getBooklet(
        t.db,
        net.prescriber,
        { bookletId: allocatedLeft },
        { now: new Date('2026-02-10T08:00:00Z') },
      );
      assert.equal(dayBefore.may.distribute, true);
      assert.equal(dayBefore.distributionClosed, null);
      const told = await runEndOfValidity(t.db, SYSTEM, {
        now: new Date('2026-02-11T07:00:00Z'),
        publicUrl: 'https://maillage.example',
      });
      assert.equal(told.notified.length, 1);
      assert.equal(told.notified[0]?.prescribers, 1);
      assert.equal(told.notified[0]?.mails, 1);
      assert.equal(await closingMails(t.db), 1);
      const mail = await t.db
        .selectFrom('mail_outbox')
        .select(['text_body', 'subject'])
        .where('kind', '=', 'voucher_distribution_closed')
        .executeTakeFirstOrThrow();
      assert.match(mail.text_body, /1 carnet confié à CCAS de Saran reste non remis/);
      assert.match(mail.text_body, /https:\/\/maillage\.example\/pass\/carnets/);
      const again = await runEndOfValidity(t.db, SYSTEM, { now: new Date('2026-02-12T07:00:00Z') });
      assert.deepEqual(again.notified, []);
      assert.equal(await closingMails(t.db), 1, 'told once');

      // The grace period: a place records the help given before the end, until 23:59 in Paris on the last day.
      const late = await redeem(
        t.db,
        net.staffA,
        net.places.a2,
        b2[1] as string,
        new Date('2026-03-28T22:30:00Z'),
        '26/02/2026',
      );
      assert.ok(late.ok, JSON.stringify(late));
      const notYet = await runEndOfValidity(t.db, SYSTEM, { now: new Date('2026-03-28T22:59:00Z') });
      assert.deepEqual(notYet.expired, []);
      assert.equal(await statementRows(t.db), 0);

      // 00:01 in Paris on 29 March (23:01 UTC, one hour ahead before the clocks go forward at 2:00).
      const expiredAt = new Date('2026-03-28T23:01:00Z');
      const run = await runEndOfValidity(t.db, SYSTEM, { now: expiredAt });
      assert.equal(run.expired.length, 1);
      // 25 vouchers: 4 redeemed, 21 expire; the credit note covers the 16 of paid booklets (not the 5 unpaid).
      assert.equal(run.expired[0]?.vouchers, 21);
      assert.equal(run.expired[0]?.creditNoteCents, 16_000);
      const afterExpiry = await ledgerCounts(t.db);

      // A voucher left is refused afterwards, by the date and, whatever the date, by the database.
      const refusedLate = await redeem(
        t.db,
        net.staffA,
        net.places.a1,
        b1[2] as string,
        expiredAt,
        '26/02/2026',
      );
      assert.equal(refusedLate.ok, false);
      await assert.rejects(
        t.db
          .insertInto('voucher_entry')
          .values({
            programme_id: programmeId,
            kind: 'redemption',
            voucher_id: (
              await t.db
                .selectFrom('voucher')
                .select('id')
                .where('code', '=', b1[2] as string)
                .executeTakeFirstOrThrow()
            ).id,
            booklet_id: (
              await t.db
                .selectFrom('voucher')
                .select('booklet_id')
                .where('code', '=', b1[2] as string)
                .executeTakeFirstOrThrow()
            ).booklet_id,
            place_id: net.places.a1,
            structure_id: net.structures.a,
            amount_cents: 1000,
          })
          .execute(),
        /has expired/,
      );
      // Expiries are ledger entries: never deleted.
      await assert.rejects(
        t.db.deleteFrom('voucher_entry').where('kind', '=', 'expiry').execute(),
        /append-only/,
      );

      // A second run writes nothing and says so.
      const second = await runEndOfValidity(t.db, SYSTEM, { now: new Date('2026-03-30T08:00:00Z') });
      assert.deepEqual(second.expired, []);
      assert.equal(second.alreadyExpired.length, 1);
      assert.equal(second.alreadyExpired[0]?.creditNoteId, run.expired[0]?.creditNoteId);
      assert.deepEqual(await ledgerCounts(t.db), afterExpiry);
      assert.equal(await statementRows(t.db), 1);

      // The programme's ledger is closed (migration 0041): a redemption cancelled, a payment or an
      // emission after the credit note would break "emitted = redeemed + expired" and the funder's balance.
      const closed = { code: 'conflict', message: /Ce programme est clos/ };
      const redemption = await t.db
        .selectFrom('voucher_entry as r')
        .select('r.id')
        .where('r.programme_id', '=', programmeId)
        .where('r.kind', '=', 'redemption')
        .executeTakeFirstOrThrow();
      await assert.rejects(
        cancelRedemption(
          t.db,
          net.coordinator,
          { redemptionId: String(redemption.id), reason: 'Encaissé par erreur' },
          { now: new Date('2026-03-29T09:00:00Z') },
        ),
        closed,
      );
      const unpaid = await t.db
        .selectFrom('voucher_entry as e')
        .select(['e.id', 'e.amount_cents'])
        .where('e.programme_id', '=', programmeId)
        .where('e.kind', '=', 'emission')
        .where(({ not, exists, selectFrom }) =>
          not(
            exists(selectFrom('voucher_entry as p').select('p.id').whereRef('p.pays_entry_id', '=', 'e.id')),
          ),
        )
        .executeTakeFirstOrThrow();
      await assert.rejects(
        recordPayment(
          t.db,
          net.coordinator,
          {
            programmeId,
            emissionId: String(unpaid.id),
            amount: String((unpaid.amount_cents ?? 0) / 100),
            reference: 'VIR-TARDIF-1',
          },
          { now: new Date('2026-03-29T09:00:00Z') },
        ),
        closed,
      );
      await assert.rejects(
        emitBooklets(
          t.db,
          net.coordinator,
          { programmeId, booklets: '1' },
          { now: new Date('2026-03-29T09:00:00Z') },
        ),
        closed,
      );
      assert.deepEqual(await ledgerCounts(t.db), afterExpiry, 'nothing written');

      // The funder reads the credit note and the reconciliation; a place's staff may not.
      const view = await viewProgrammeClosing(t.db, net.funder, { programmeId }, { now: expiredAt });
      assert.equal(view.phase, 'expired');
      assert.equal(view.creditNote?.totalCents, 16_000);
      assert.equal(view.creditNote?.vouchers, 16);
      const r = view.reconciliation;
      assert.deepEqual(
        {
          emitted: r.emitted,
          redeemed: r.redeemed,
          expired: r.expired,
          notDistributed: r.expiredNotDistributed,
          distributed: r.expiredDistributed,
          unpaid: r.expiredUnpaid,
          paid: r.paidByFunderCents,
          redeemedCents: r.redeemedCents,
        },
        {
          emitted: 25,
          redeemed: 4,
          expired: 21,
          notDistributed: 10,
          distributed: 11,
          unpaid: 5,
          paid: 20_000,
          redeemedCents: 4000,
        },
      );
      assert.deepEqual(reconciliationBalances(r), { vouchers: true, money: true });
      assert.deepEqual(
        r.places.map((p) => [p.placeName, p.redeemed]),
        [
          ['Espace B', 1],
          ['Médiathèque Nord', 2],
          ['Médiathèque Sud', 1],
        ],
      );
      const csv = reconciliationCsv({ programme: 'P', funder: 'F' }, r);
      assert.match(csv, /avoir \(chèques payés et expirés\);16;160,00/);
      await assert.rejects(viewProgrammeClosing(t.db, net.staffA, { programmeId }), forbidden);

      // The credit note sits among the programme's statements and reads as one.
      const list = await listProgrammeStatements(t.db, net.funder, { programmeId });
      const note = list.statements.find((s) => s.kind === 'credit_note');
      assert.ok(note);
      const noteView = await viewStatement(t.db, net.coordinator, { statementId: note.id });
      assert.equal(noteView.lines.length, 16);
      assert.ok(noteView.lines.every((l) => l.kind === 'expiry' && l.amountCents === 1000));

      // Statements of the months before still issue beside it, and pass verify holds.
      await issueStatements(t.db, SYSTEM, { month: '2026-03' }, { now: new Date('2026-04-01T08:00:00Z') });
      await sealLedger(t.db, SYSTEM);
      const report = await verifyLedger(t.db, SYSTEM, {
        now: new Date('2026-04-01T08:00:00Z'),
        maxUnsealedSeconds: 1e9,
      });
      assert.equal(report.problem, null, JSON.stringify(report.problem));
      const p = report.programmes.find((x) => x.id === programmeId);
      assert.equal(p?.expiries, 21);
      assert.equal(p?.creditNoteCents, 16_000);
      assert.equal(p?.vouchers.redeemed, 4);
    } finally {
      await t.close();
    }
  });

  it('expires at midnight in Paris the night clocks go back, in that month’s credit note', async () => {
    const t = await createTestDb();
    try {
      const net = await passNetwork(t.db);
      // Last recording day Saturday 24 October 2026; Sunday 25 October starts at 22:00 UTC (summer time).
      const programmeId = await readyProgramme(t.db, net, {
        validFrom: '01/06/2026',
        validUntil: '24/09/2026',
        graceDays: '30',
      });
      await bookletsAt(t.db, net, programmeId, { booklets: 1, now: new Date('2026-06-15T08:00:00Z') });
      const notYet = await runEndOfValidity(t.db, SYSTEM, { now: new Date('2026-10-24T21:59:00Z') });
      assert.deepEqual(notYet.expired, []);
      const run = await runEndOfValidity(t.db, SYSTEM, { now: new Date('2026-10-24T22:01:00Z') });
      assert.equal(run.expired[0]?.vouchers, 5);
      assert.equal(run.expired[0]?.creditNoteCents, 5000);
      const note = await t.db
        .selectFrom('voucher_statement')
        .select(['month', 'kind', 'scope'])
        .where('programme_id', '=', programmeId)
        .executeTakeFirstOrThrow();
      assert.deepEqual(
        { ...note, month: String(note.month).slice(0, 10) },
        {
          month: '2026-10-01',
          kind: 'credit_note',
          scope: 'funder',
        },
      );
    } finally {
      await t.close();
    }
  });

  it('refuses an end of validity before the programme’s start, naming the field, and writes nothing', async () => {
    const t = await createTestDb();
    try {
      const net = await passNetwork(t.db);
      const r = await createProgramme(
        t.db,
        net.coordinator,
        programmeValues(net, { validFrom: '01/06/2026', validUntil: '31/05/2026' }),
      );
      assert.equal(r.ok, false);
      assert.match((r as { errors: Record<string, string> }).errors.validUntil ?? '', /fin/i);
      const n = await t.db
        .selectFrom('voucher_programme')
        .select((eb) => eb.fn.countAll().as('n'))
        .executeTakeFirstOrThrow();
      assert.equal(Number(n.n), 0);
      // And a run of the job with no programme says there was nothing to do.
      assert.deepEqual(await runEndOfValidity(t.db, SYSTEM), {
        notified: [],
        expired: [],
        alreadyExpired: [],
      });
      await assert.rejects(runEndOfValidity(t.db, net.coordinator), forbidden);
    } finally {
      await t.close();
    }
  });
});
