import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { kyselyOverPostgres } from '../../src/db/create-db.ts';
import type { Db } from '../../src/db/database.ts';
import { runEndOfValidity } from '../../src/vouchers/closing.service.ts';
import { sealLedger, verifyLedger } from '../../src/vouchers/ledger.service.ts';
import { redeemVoucher } from '../../src/vouchers/redemptions.service.ts';
import { createPgTestDatabase, databaseUrlFor, dropPgTestDatabase } from '../support/test-db.ts';
import {
  bookletsAt,
  type PassNetwork,
  passNetwork,
  readyProgramme,
  SYSTEM,
} from '../support/vouchers-fixtures.ts';

/**
 * The end of validity on PostgreSQL (decision 0050): two `pass expire` runs at the same moment, over a
 * pool of connections, write one credit note and one expiry per voucher — the expiry lock and the unique
 * indexes decide. And a redemption racing the expiry is either recorded (then the voucher does not
 * expire) or refused, never both.
 */
describe('expiring a programme from two runs at once on PostgreSQL', () => {
  let name = '';
  let db: Db;
  let net: PassNetwork;
  before(async () => {
    name = await createPgTestDatabase();
    db = kyselyOverPostgres(databaseUrlFor(name), 8);
    net = await passNetwork(db);
  });
  after(async () => {
    await db?.destroy();
    if (name) await dropPgTestDatabase(name);
  });

  it('writes one credit note and one expiry per voucher, the other run saying it was already done', async () => {
    const programmeId = await readyProgramme(db, net, {
      validFrom: '01/01/2026',
      validUntil: '26/02/2026',
      graceDays: '30',
    });
    const { codes } = await bookletsAt(db, net, programmeId, {
      booklets: 4,
      now: new Date('2026-01-05T09:00:00Z'),
    });
    const r = await redeemVoucher(
      db,
      net.staffA,
      {
        placeId: net.places.a1,
        code: codes[0]?.[0] as string,
        needs: ['caf'],
        servedOn: '',
        idempotencyKey: 'pg-expiry-1',
      },
      { now: new Date('2026-01-20T10:00:00Z') },
    );
    assert.ok(r.ok);
    const now = new Date('2026-03-29T08:00:00Z');
    const runs = await Promise.all([
      runEndOfValidity(db, SYSTEM, { now }),
      runEndOfValidity(db, SYSTEM, { now }),
      runEndOfValidity(db, SYSTEM, { now }),
    ]);
    assert.equal(runs.filter((x) => x.expired.length === 1).length, 1, JSON.stringify(runs));
    assert.equal(runs.filter((x) => x.alreadyExpired.length === 1).length, 2);
    const notes = await db
      .selectFrom('voucher_statement')
      .select(['id', 'total_cents', 'line_count'])
      .where('kind', '=', 'credit_note')
      .execute();
    assert.equal(notes.length, 1);
    assert.equal(Number(notes[0]?.total_cents), 19 * 1000);
    const expiries = await db
      .selectFrom('voucher_entry')
      .select((eb) => eb.fn.countAll().as('n'))
      .where('kind', '=', 'expiry')
      .executeTakeFirstOrThrow();
    assert.equal(Number(expiries.n), 19);
    await sealLedger(db, SYSTEM);
    const report = await verifyLedger(db, SYSTEM, { now, maxUnsealedSeconds: 1e9 });
    assert.equal(report.problem, null, JSON.stringify(report.problem));
  });

  it('lets a redemption racing the expiry either win (no expiry for its voucher) or be refused, never both', async () => {
    const programmeId = await readyProgramme(db, net, {
      validFrom: '01/01/2026',
      validUntil: '26/02/2026',
      graceDays: '30',
      name: 'Course',
    });
    const { codes } = await bookletsAt(db, net, programmeId, {
      booklets: 2,
      now: new Date('2026-01-05T09:00:00Z'),
    });
    // The redemption believes it is still the last recording day (a clock a little late); the expiry
    // runs at the same moment. The database orders them.
    const flat = codes.flat();
    const [redemptions] = await Promise.all([
      Promise.all(
        flat.slice(0, 6).map((code, i) =>
          redeemVoucher(
            db,
            net.staffA,
            {
              placeId: net.places.a1,
              code,
              needs: ['caf'],
              servedOn: '26/02/2026',
              idempotencyKey: `pg-race-${i}-key`,
            },
            { now: new Date('2026-03-28T22:59:00Z') },
          ),
        ),
      ),
      runEndOfValidity(db, SYSTEM, { now: new Date('2026-03-28T23:01:00Z') }),
    ]);
    for (const r of redemptions)
      if (!r.ok) assert.match(Object.values(r.errors).join(' '), /n'est plus valable/);
    const both = await db
      .selectFrom('voucher_entry as x')
      .innerJoin('voucher_entry as r', 'r.voucher_id', 'x.voucher_id')
      .select('x.voucher_id')
      .where('x.kind', '=', 'expiry')
      .where('r.kind', '=', 'redemption')
      .where('x.programme_id', '=', programmeId)
      .execute();
    assert.deepEqual(both, []);
    const redeemed = redemptions.filter((r) => r.ok).length;
    const expired = await db
      .selectFrom('voucher_entry')
      .select((eb) => eb.fn.countAll().as('n'))
      .where('kind', '=', 'expiry')
      .where('programme_id', '=', programmeId)
      .executeTakeFirstOrThrow();
    assert.equal(Number(expired.n) + redeemed, 10);
  });
});
