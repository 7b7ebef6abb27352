import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { sql } from 'kysely';
import { closeTestTemplate, createTestDb } from '../../test/support/test-db.ts';
import type { Actor } from '../accounts/policy.ts';
import type { Db } from '../db/database.ts';
import { programmeClosingBlock, viewProgrammeClosing } from '../vouchers/closing.service.ts';
import { sealLedger, verifyLedger } from '../vouchers/ledger.service.ts';
import { listRedemptions } from '../vouchers/redemptions.service.ts';
import { monthOf, previousMonth } from '../vouchers/statements.ts';
import {
  confirmProgramme,
  createProgramme,
  emitBooklets,
  viewProgramme,
} from '../vouchers/vouchers.service.ts';
import { removeDemo, seedDemoIfFresh } from './demo.service.ts';

after(closeTestTemplate);

const SYSTEM: Actor = { kind: 'system' };
const NOW = new Date('2026-06-15T08:00:00Z');
const TABLES = [
  'voucher_entry',
  'voucher_booklet',
  'voucher',
  'voucher_seal',
  'voucher_programme_place',
  'voucher_programme_prescriber',
];

const rows = async (db: Db, table: string) =>
  Number(
    (await sql<{ n: number }>`select count(*)::int as n from ${sql.table(table)}`.execute(db)).rows[0]?.n,
  );

async function realProgramme(db: Db): Promise<string> {
  const funder = await db
    .insertInto('funder')
    .values({ name: 'Vrai financeur' })
    .returning('id')
    .executeTakeFirstOrThrow();
  const p = await createProgramme(db, SYSTEM, {
    funderId: funder.id,
    name: 'Programme réel',
    faceValue: '10',
    bookletSize: '5',
    validFrom: '01/01/2026',
    validUntil: '31/12/2026',
    graceDays: '31',
    perimeter: 'epci:244500468',
    budget: '500',
    publics: [],
  });
  assert.ok(p.ok);
  assert.ok((await confirmProgramme(db, SYSTEM, { programmeId: p.programmeId, confirmed: true })).ok);
  assert.ok((await emitBooklets(db, SYSTEM, { programmeId: p.programmeId, booklets: '2' })).ok);
  await sealLedger(db, SYSTEM);
  return p.programmeId;
}

describe('the demonstration’s pass numérique', () => {
  it('seeds a demo programme with booklets at every stage and redemptions in several places, and its ledger verifies', async () => {
    const t = await createTestDb();
    try {
      await seedDemoIfFresh(t.db, SYSTEM, { now: NOW });
      const programmes = await sql<{ id: string; name: string; is_demo: boolean; funder_demo: boolean }>`
        select p.id, p.name, p.is_demo, f.is_demo as funder_demo from voucher_programme p join funder f on f.id = p.funder_id
        order by p.created_at`.execute(t.db);
      // The year's programme, one ending in 20 days and one closed with its credit note (decision 0050).
      assert.equal(programmes.rows.length, 3);
      assert.ok(programmes.rows.every((x) => x.is_demo && x.funder_demo));
      const programme = programmes.rows.find((x) =>
        /^Pass numérique \d{4}/.test(x.name),
      ) as (typeof programmes.rows)[number];
      const nearEnd = programmes.rows.find((x) => /fin dans 20 jours/.test(x.name));
      const closed = programmes.rows.find((x) => /programme clos/.test(x.name));
      assert.ok(programme && nearEnd && closed);
      const block = await programmeClosingBlock(t.db, SYSTEM, { programmeId: nearEnd.id }, { now: NOW });
      assert.equal(block?.phase, 'closing_soon');
      const closing = await viewProgrammeClosing(t.db, SYSTEM, { programmeId: closed.id }, { now: NOW });
      assert.equal(closing.phase, 'expired');
      // 15 vouchers: 3 redeemed, 12 expired, all paid: a credit note of 120 €.
      assert.equal(closing.creditNote?.totalCents, 12_000);
      assert.equal(closing.reconciliation.redeemed, 3);
      assert.ok(closing.reconciliation.settledCents > 0);
      const view = await viewProgramme(t.db, SYSTEM, { programmeId: programme.id });
      assert.ok(view.programme.confirmedAt);
      assert.equal(view.totals.booklets, 6);
      assert.equal(view.totals.bookletsInStock, 2);
      assert.equal(view.totals.allocated, 4);
      assert.equal(view.totals.distributed, 2);
      assert.equal(view.totals.cancelled, 1);
      assert.equal(view.emissions.filter((e) => e.payment).length, 1);
      assert.equal(view.emissions.filter((e) => !e.payment).length, 1);
      assert.equal(view.places.length, 3);
      // Qualified places of the demo structure whose accounts are an administrator and a staff member.
      assert.equal(new Set(view.places.map((p) => p.structure_id)).size, 3);
      const admin = await sql<{ structure_id: string }>`
        select m.structure_id from membership m join person p on p.id = m.person_id
        where p.email = 'admin.demo@example.org'`.execute(t.db);
      const demoStructure = admin.rows[0]?.structure_id as string;
      assert.ok(view.places.some((p) => p.structure_id === demoStructure));
      assert.deepEqual(
        view.prescribers.map((p) => p.structure_id),
        [demoStructure],
      );
      const redemptions = (await listRedemptions(t.db, SYSTEM, {}, { now: NOW })).filter(
        (r) => r.programmeName === programme.name,
      );
      assert.equal(redemptions.length, 6);
      assert.equal(redemptions.filter((r) => r.cancelledAt).length, 1);
      assert.ok(new Set(redemptions.filter((r) => !r.cancelledAt).map((r) => r.placeId)).size >= 2);
      assert.equal(view.totals.redeemedCents, 5000);
      const report = await verifyLedger(t.db, SYSTEM, { now: NOW });
      assert.equal(report.problem, null);
      const p = report.programmes.find((x) => x.id === programme.id);
      assert.ok(p);
      assert.equal(report.programmes.find((x) => x.id === closed.id)?.expiries, 12);
      assert.equal(p.sealed, p.entries);
      // Last month's statements (decision 0045): issued, one of them paid.
      const statements = await sql<{ scope: string; month: string; settled_cents: number }>`
        select scope, to_char(month, 'YYYY-MM') as month, settled_cents from voucher_statement
        where programme_id = ${programme.id}`.execute(t.db);
      assert.ok(statements.rows.some((s) => s.scope === 'funder' && s.month === previousMonth(monthOf(NOW))));
      assert.equal(statements.rows.filter((s) => Number(s.settled_cents) > 0).length, 1);
      assert.ok(p.statements >= 2);
      assert.deepEqual(p.vouchers, {
        in_stock: 10,
        allocated: 5,
        distributed: 5,
        redeemed: 5,
        expired: 0,
        cancelled: 5,
        emitted: 30,
      });
    } finally {
      await t.close();
    }
  });

  it('is deleted whole by `demo remove`, while the triggers still refuse deleting a real programme’s rows', async () => {
    const t = await createTestDb();
    try {
      await seedDemoIfFresh(t.db, SYSTEM, { now: NOW });
      const real = await realProgramme(t.db);
      const realRows = Object.fromEntries(
        await Promise.all(TABLES.map(async (x) => [x, await rows(t.db, x)])),
      );
      await removeDemo(t.db, SYSTEM);
      const left = await sql<{ id: string }>`select id from voucher_programme`.execute(t.db);
      assert.deepEqual(
        left.rows.map((r) => r.id),
        [real],
      );
      for (const table of ['voucher_entry', 'voucher_booklet', 'voucher', 'voucher_seal']) {
        const demoRows = await sql<{ n: number }>`
          select count(*)::int as n from ${sql.table(table)} where programme_id <> ${real}`.execute(t.db);
        assert.equal(demoRows.rows[0]?.n, 0, table);
        assert.ok((await rows(t.db, table)) > 0 || table === 'voucher_seal', table);
        assert.ok(
          (await rows(t.db, table)) < (realRows[table] as number) || (realRows[table] as number) === 0,
          table,
        );
        await assert.rejects(
          sql`delete from ${sql.table(table)} where programme_id = ${real}`.execute(t.db),
          /append-only: DELETE refused/,
          table,
        );
      }
      await assert.rejects(
        sql`delete from voucher_programme where id = ${real}`.execute(t.db),
        /only demonstration/,
      );
      for (const table of ['voucher_statement', 'voucher_statement_line', 'voucher_statement_payment'])
        assert.equal(await rows(t.db, table), 0, table);
      assert.equal(
        (await sql<{ n: number }>`select count(*)::int as n from funder where is_demo`.execute(t.db)).rows[0]
          ?.n,
        0,
      );
      assert.ok((await verifyLedger(t.db, SYSTEM, { now: NOW })).ok);
    } finally {
      await t.close();
    }
  });
});
