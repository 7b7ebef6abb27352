import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { sql } from 'kysely';
import { closeTestTemplate, createTestDb } from '../../test/support/test-db.ts';
import {
  bookletsAt,
  NOW,
  passNetwork,
  readyProgramme,
  SYSTEM,
} from '../../test/support/vouchers-fixtures.ts';
import type { Db } from '../db/database.ts';
import { sealLedger } from './ledger.service.ts';
import { cancelRedemption, redeemVoucher } from './redemptions.service.ts';

/**
 * The rules the database itself keeps (decision 0037, migration 0022), proved with plain SQL that goes
 * around the services: this file runs on PGlite (npm test) and on PostgreSQL (npm run test:pg).
 */
after(closeTestTemplate);

const LEDGER_TABLES = ['voucher_entry', 'voucher_booklet', 'voucher', 'voucher_seal'] as const;
const refused = /append-only|only demonstration|never change/;

async function ledger(db: Db, opts: { isDemo?: boolean } = {}) {
  const net = await passNetwork(db);
  const real = await readyProgramme(db, net, {}, { placeB: false });
  const demo = await readyProgramme(
    db,
    net,
    { name: 'Démonstration' },
    { placeB: false, isDemo: opts.isDemo ?? true },
  );
  const realBooklets = await bookletsAt(db, net, real, { booklets: 2 });
  const demoBooklets = await bookletsAt(db, net, demo, { booklets: 1 });
  for (const code of [realBooklets.codes[0]?.[0], demoBooklets.codes[0]?.[0]]) {
    const r = await redeemVoucher(
      db,
      net.staffA,
      {
        placeId: net.places.a1,
        code: code as string,
        needs: ['caf'],
        servedOn: '',
        idempotencyKey: `rules-${code}`,
      },
      { now: NOW },
    );
    assert.ok(r.ok, JSON.stringify(r));
  }
  await sealLedger(db, SYSTEM);
  return { net, real, demo, realBooklets };
}

const count = async (db: Db, table: string, programmeId: string) =>
  Number(
    (
      await sql<{
        n: number;
      }>`select count(*)::int as n from ${sql.table(table)} where programme_id = ${programmeId}`.execute(db)
    ).rows[0]?.n,
  );

async function redemptionOf(db: Db, programmeId: string) {
  const r = await sql<{
    id: number;
    voucher_id: string;
    booklet_id: string;
    place_id: string;
    structure_id: string;
  }>`
    select id, voucher_id, booklet_id, place_id, structure_id from voucher_entry
    where programme_id = ${programmeId} and kind = 'redemption' order by id limit 1`.execute(db);
  return r.rows[0] as NonNullable<(typeof r.rows)[number]>;
}

const insertRedemption = (
  db: Db,
  programmeId: string,
  r: { voucher_id: string; booklet_id: string; place_id: string; structure_id: string },
  previous: number | null,
) =>
  sql`
  insert into voucher_entry (programme_id, kind, voucher_id, booklet_id, place_id, structure_id, amount_cents, previous_redemption_id)
  values (${programmeId}, 'redemption', ${r.voucher_id}, ${r.booklet_id}, ${r.place_id}, ${r.structure_id}, 1000, ${previous})`.execute(
    db,
  );

describe('the ledger in the database', () => {
  it('refuses UPDATE, DELETE and TRUNCATE on entries, booklets, vouchers and seals of a real programme', async () => {
    const t = await createTestDb();
    try {
      const { real } = await ledger(t.db);
      for (const table of LEDGER_TABLES) {
        const before = await count(t.db, table, real);
        assert.ok(before > 0, table);
        await assert.rejects(
          sql`update ${sql.table(table)} set programme_id = programme_id where programme_id = ${real}`.execute(
            t.db,
          ),
          /append-only: UPDATE refused/,
          table,
        );
        await assert.rejects(
          sql`delete from ${sql.table(table)} where programme_id = ${real}`.execute(t.db),
          /append-only: DELETE refused/,
          table,
        );
        await assert.rejects(
          sql`truncate ${sql.table(table)} cascade`.execute(t.db),
          /TRUNCATE refused/,
          table,
        );
        assert.equal(await count(t.db, table, real), before, table);
      }
      await assert.rejects(
        sql`update voucher set code = 'ZZZZZZZZZZZZZZ' where programme_id = ${real}`.execute(t.db),
        refused,
      );
      await assert.rejects(
        sql`update voucher_entry set amount_cents = 0 where programme_id = ${real} and kind = 'payment'`.execute(
          t.db,
        ),
        refused,
      );
      await assert.rejects(
        sql`delete from voucher_programme where id = ${real}`.execute(t.db),
        /only demonstration/,
      );
    } finally {
      await t.close();
    }
  });

  it('lets a demonstration programme’s rows be deleted, and those only', async () => {
    const t = await createTestDb();
    try {
      const { real, demo } = await ledger(t.db);
      for (const table of ['voucher_seal', 'voucher', 'voucher_booklet', 'voucher_entry'] as const) {
        assert.ok((await count(t.db, table, demo)) > 0, table);
        await sql`delete from ${sql.table(table)} where programme_id = ${demo}`.execute(t.db);
        assert.equal(await count(t.db, table, demo), 0, table);
      }
      await sql`delete from voucher_programme where id = ${demo}`.execute(t.db);
      // Even a delete naming both programmes removes nothing of the real one: the statement fails whole.
      await assert.rejects(sql`delete from voucher_seal`.execute(t.db), /append-only/);
      for (const table of LEDGER_TABLES) assert.ok((await count(t.db, table, real)) > 0, table);
    } finally {
      await t.close();
    }
  });

  it('refuses updates of a demonstration programme’s rows too: only deletion is allowed', async () => {
    const t = await createTestDb();
    try {
      const { demo } = await ledger(t.db);
      for (const table of LEDGER_TABLES)
        await assert.rejects(
          sql`update ${sql.table(table)} set programme_id = programme_id where programme_id = ${demo}`.execute(
            t.db,
          ),
          /append-only: UPDATE refused/,
          table,
        );
    } finally {
      await t.close();
    }
  });

  it('never lets a programme become a demonstration one (nor stop being one), nor change funder', async () => {
    const t = await createTestDb();
    try {
      const { real, demo } = await ledger(t.db);
      await assert.rejects(
        sql`update voucher_programme set is_demo = true where id = ${real}`.execute(t.db),
        /is_demo and funder_id never change/,
      );
      await assert.rejects(
        sql`update voucher_programme set is_demo = false where id = ${demo}`.execute(t.db),
        /is_demo and funder_id never change/,
      );
      const other = await sql<{
        id: string;
      }>`insert into funder (name) values ('Autre financeur') returning id`.execute(t.db);
      await assert.rejects(
        sql`update voucher_programme set funder_id = ${other.rows[0]?.id} where id = ${real}`.execute(t.db),
        /never change/,
      );
    } finally {
      await t.close();
    }
  });

  it('keeps what the funder confirmed: face value, booklet size, validity, grace, perimeter, budget, confirmation', async () => {
    const t = await createTestDb();
    try {
      const net = await passNetwork(t.db);
      const draft = await readyProgramme(t.db, net, {}, { confirm: false });
      const confirmed = await readyProgramme(t.db, net, { name: 'Confirmé' });
      // Before confirmation the terms may still change.
      await sql`update voucher_programme set budget_cents = 200000 where id = ${draft}`.execute(t.db);
      const changes = [
        sql`face_value_cents = 500`,
        sql`booklet_size = 10`,
        sql`valid_from = date '2026-02-01'`,
        sql`valid_until = date '2027-12-31'`,
        sql`grace_days = 60`,
        sql`perimeter = 'com:45302'`,
        sql`budget_cents = 999999`,
        sql`confirmed_at = null`,
        sql`confirmed_at = now() - interval '1 day'`,
      ];
      for (const change of changes)
        await assert.rejects(
          sql`update voucher_programme set ${change} where id = ${confirmed}`.execute(t.db),
          /confirmed terms never change/,
        );
      // Its name is not a confirmed term.
      await sql`update voucher_programme set name = 'Pass 2026 (renommé)' where id = ${confirmed}`.execute(
        t.db,
      );
    } finally {
      await t.close();
    }
  });

  it('refuses a second redemption of a voucher inserted directly in SQL, around the service', async () => {
    const t = await createTestDb();
    try {
      const { real } = await ledger(t.db);
      const first = await redemptionOf(t.db, real);
      await assert.rejects(
        insertRedemption(t.db, real, first, null),
        (e: { code?: string; constraint?: string }) => {
          assert.equal(e.code, '23505');
          assert.equal(e.constraint, 'voucher_entry_first_redemption_key');
          return true;
        },
      );
    } finally {
      await t.close();
    }
  });

  it('refuses a redemption naming a previous one that was not cancelled (foreign key), and two successors of one cancelled', async () => {
    const t = await createTestDb();
    try {
      const { net, real } = await ledger(t.db);
      const first = await redemptionOf(t.db, real);
      await assert.rejects(insertRedemption(t.db, real, first, Number(first.id)), { code: '23503' });
      const c = await cancelRedemption(
        t.db,
        net.staffA,
        { redemptionId: String(first.id), reason: '' },
        { now: NOW },
      );
      assert.ok(c.ok);
      await insertRedemption(t.db, real, first, Number(first.id));
      await assert.rejects(
        insertRedemption(t.db, real, first, Number(first.id)),
        (e: { code?: string; constraint?: string }) => {
          assert.equal(e.code, '23505');
          assert.equal(e.constraint, 'voucher_entry_next_redemption_key');
          return true;
        },
      );
      // A fact of the wrong shape is refused too: a redemption without its place.
      await assert.rejects(
        sql`insert into voucher_entry (programme_id, kind, voucher_id, booklet_id, structure_id, amount_cents)
          values (${real}, 'redemption', ${first.voucher_id}, ${first.booklet_id}, ${first.structure_id}, 1000)`.execute(
          t.db,
        ),
        { code: '23514' },
      );
    } finally {
      await t.close();
    }
  });

  it('refuses a redemption that follows another voucher’s cancelled one, and a cancellation of anything but a redemption of that voucher', async () => {
    const t = await createTestDb();
    try {
      const { net, real } = await ledger(t.db);
      const first = await redemptionOf(t.db, real);
      assert.ok(
        (
          await cancelRedemption(
            t.db,
            net.staffA,
            { redemptionId: String(first.id), reason: '' },
            { now: NOW },
          )
        ).ok,
      );
      const other = (
        await sql<{ id: string; booklet_id: string }>`
          select id, booklet_id from voucher where programme_id = ${real} and id <> ${first.voucher_id} limit 1`.execute(
          t.db,
        )
      ).rows[0] as { id: string; booklet_id: string };
      // Another voucher cannot borrow this voucher's cancelled redemption to hold two live ones.
      await assert.rejects(
        insertRedemption(
          t.db,
          real,
          { ...first, voucher_id: other.id, booklet_id: other.booklet_id },
          Number(first.id),
        ),
        { code: '23503' },
      );
      const emission = (
        await sql<{
          id: number;
        }>`select id from voucher_entry where programme_id = ${real} and kind = 'emission' limit 1`.execute(
          t.db,
        )
      ).rows[0] as { id: number };
      // A "cancellation" of an emission, or of a redemption named with another voucher, is refused.
      for (const [target, voucher] of [
        [emission.id, first.voucher_id],
        [Number(first.id), other.id],
      ] as const)
        await assert.rejects(
          sql`insert into voucher_entry (programme_id, kind, voucher_id, amount_cents, cancels_entry_id)
            values (${real}, 'redemption_cancellation', ${voucher}, 1000, ${target})`.execute(t.db),
          (e: { code?: string }) => ['23503', '23505'].includes(e.code ?? ''),
        );
    } finally {
      await t.close();
    }
  });

  it('refuses a second allocation, distribution, cancellation or payment of one booklet or emission in SQL', async () => {
    const t = await createTestDb();
    try {
      const { real, realBooklets } = await ledger(t.db);
      const booklet = realBooklets.bookletIds[0] as string;
      const structure = await sql<{ structure_id: string }>`
        select structure_id from voucher_entry where booklet_id = ${booklet} and kind = 'allocation'`.execute(
        t.db,
      );
      const s = structure.rows[0]?.structure_id as string;
      for (const kind of ['allocation', 'distribution'])
        await assert.rejects(
          sql`insert into voucher_entry (programme_id, kind, booklet_id, structure_id)
            values (${real}, ${kind}, ${booklet}, ${s})`.execute(t.db),
          { code: '23505' },
          kind,
        );
      await assert.rejects(
        sql`insert into voucher_entry (programme_id, kind, amount_cents, reference, pays_entry_id)
          values (${real}, 'payment', 1, 'AUTRE', ${realBooklets.emissionId})`.execute(t.db),
        { code: '23505' },
      );
    } finally {
      await t.close();
    }
  });
});
