import assert from 'node:assert/strict';
import fs from 'node:fs';
import { after, before, describe, it } from 'node:test';
import { sql } from 'kysely';
import { migratedDataDir, runCliInProcess as runCli } from '../../test/support/processes.ts';
import { bookletsAt, passNetwork, readyProgramme } from '../../test/support/vouchers-fixtures.ts';
import { openDatabase } from '../db/create-db.ts';
import type { Db } from '../db/database.ts';
import { addDays, frenchDate, localToday } from '../places/place-dates.ts';
import { redeemVoucher } from './redemptions.service.ts';

// `pass expire` on an embedded database, with the command's real clock: a programme that ended 40 days
// ago with 10 days of grace (its vouchers left are due to expire), one voucher of 5 redeemed.
let dataDir = '';
const env = () => ({ DATA_DIR: dataDir });
const today = localToday(new Date());

async function withDb<T>(work: (db: Db) => Promise<T>): Promise<T> {
  const handle = await openDatabase({ dataDir, databaseUrl: null });
  try {
    return await work(handle.db);
  } finally {
    await handle.close();
  }
}

before(async () => {
  dataDir = await migratedDataDir();
  await withDb(async (db) => {
    const net = await passNetwork(db);
    const programmeId = await readyProgramme(db, net, {
      validFrom: frenchDate(addDays(today, -120)),
      validUntil: frenchDate(addDays(today, -40)),
      graceDays: '10',
    });
    const handedOver = new Date(`${addDays(today, -100)}T10:00:00Z`);
    const { codes } = await bookletsAt(db, net, programmeId, { booklets: 1, now: handedOver });
    const r = await redeemVoucher(
      db,
      net.staffA,
      {
        placeId: net.places.a1,
        code: codes[0]?.[0] as string,
        needs: ['caf'],
        servedOn: '',
        idempotencyKey: 'cli-expire-1',
      },
      { now: new Date(`${addDays(today, -60)}T10:00:00Z`) },
    );
    assert.ok(r.ok, JSON.stringify(r));
  });
});
after(() => fs.rmSync(dataDir, { recursive: true, force: true }));

describe('pass expire', () => {
  it('expires the vouchers left and draws up the credit note once, says so the second time, and pass verify checks it', async () => {
    const first = await runCli(['pass', 'expire'], env());
    assert.equal(first.code, 0, first.stderr);
    assert.match(first.stdout, /Pass numérique 2026 : 4 chèque\(s\) expiré\(s\), avoir de 40,00\s€ établi/);
    const again = await runCli(['pass', 'expire'], env());
    assert.equal(again.code, 0, again.stderr);
    assert.match(again.stdout, /déjà clos le .* rien de nouveau/);
    const json = JSON.parse((await runCli(['pass', 'expire', '--format', 'json'], env())).stdout);
    assert.deepEqual([json.expired.length, json.alreadyExpired.length], [0, 1]);
    const count = await withDb(async (db) =>
      Number(
        (
          await db
            .selectFrom('voucher_entry')
            .select((eb) => eb.fn.countAll().as('n'))
            .where('kind', '=', 'expiry')
            .executeTakeFirstOrThrow()
        ).n,
      ),
    );
    assert.equal(count, 4);
    assert.equal((await runCli(['pass', 'seal'], env())).code, 0);
    const verify = await runCli(['pass', 'verify'], env());
    assert.equal(verify.code, 0, verify.stderr);
    assert.match(verify.stdout, /chèques expirés \(écritures\) : 4, avoir 4000 c/);
  });

  it('pass verify names a credit note whose amount is not the face value of the vouchers it covers', async () => {
    // Only a database owner could do this: the trigger refuses the UPDATE, so it is switched off first.
    await withDb(async (db) => {
      await sql`alter table voucher_statement disable trigger voucher_statement_immutable`.execute(db);
      await sql`update voucher_statement set total_cents = 5000 where kind = 'credit_note'`.execute(db);
      await sql`alter table voucher_statement enable trigger voucher_statement_immutable`.execute(db);
    });
    const verify = await runCli(['pass', 'verify'], env());
    assert.equal(verify.code, 1);
    assert.match(verify.stderr, /credit note .*: total 5000 ≠ face value of the 4 vouchers it covers 4000/);
  });
});
