import assert from 'node:assert/strict';
import fs from 'node:fs';
import { after, before, describe, it } from 'node:test';
import { migratedDataDir, runCliInProcess as runCli } from '../../test/support/processes.ts';
import { bookletsAt, passNetwork, readyProgramme } from '../../test/support/vouchers-fixtures.ts';
import { openDatabase } from '../db/create-db.ts';
import type { Db } from '../db/database.ts';
import { addDays, frenchDate, localToday } from '../places/place-dates.ts';
import { redeemVoucher } from './redemptions.service.ts';
import { monthOf, nextMonth, previousMonth } from './statements.ts';

// `pass statements` on an embedded database: one voucher redeemed in the middle of last month (Paris
// time), the real clock of the command deciding which months are over.
let dataDir = '';
const env = () => ({ DATA_DIR: dataDir });
const current = monthOf(new Date());
const last = previousMonth(current);

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
    const today = localToday(new Date());
    const programmeId = await readyProgramme(db, net, {
      validFrom: frenchDate(addDays(today, -120)),
      validUntil: frenchDate(addDays(today, 200)),
    });
    const handedOver = new Date(`${previousMonth(last)}-10T10:00:00Z`);
    const { codes } = await bookletsAt(db, net, programmeId, { booklets: 1, now: handedOver });
    const r = await redeemVoucher(
      db,
      net.staffA,
      {
        placeId: net.places.a1,
        code: codes[0]?.[0] as string,
        needs: ['caf'],
        servedOn: '',
        idempotencyKey: 'cli-statement-1',
      },
      { now: new Date(`${last}-15T10:00:00Z`) },
    );
    assert.ok(r.ok, JSON.stringify(r));
  });
});
after(() => fs.rmSync(dataDir, { recursive: true, force: true }));

describe('pass statements', () => {
  it('issues a finished month once, says so the second time, and pass verify checks the statements', async () => {
    const first = await runCli(['pass', 'statements', '--month', last], env());
    assert.equal(first.code, 0, first.stderr);
    assert.match(first.stdout, /1 relevé\(s\) de lieu, total 10,00/);
    const again = await runCli(['pass', 'statements', '--month', last, '--format', 'json'], env());
    assert.equal(again.code, 0, again.stderr);
    const json = JSON.parse(again.stdout);
    assert.deepEqual([json.issued.length, json.alreadyIssued], [0, 1]);
    const text = await runCli(['pass', 'statements', '--month', last], env());
    assert.match(text.stdout, /^Aucun nouveau relevé pour .* : déjà émis pour 1 programme\(s\)\.\n$/);
    assert.equal((await runCli(['pass', 'seal'], env())).code, 0);
    const verify = await runCli(['pass', 'verify'], env());
    assert.equal(verify.code, 0, verify.stderr);
    assert.match(verify.stdout, /relevés des lieux : 1, dus 1000 c, payés 0 c/);
  });

  it('refuses the current month, a future one, a malformed one and a missing one, in French, writing nothing', async () => {
    const unfinished = await runCli(['pass', 'statements', '--month', current], env());
    assert.equal(unfinished.code, 1);
    assert.match(unfinished.stderr, /n'est pas terminé/);
    const future = await runCli(['pass', 'statements', '--month', nextMonth(current)], env());
    assert.equal(future.code, 1);
    assert.match(future.stderr, /est dans le futur/);
    const malformed = await runCli(['pass', 'statements', '--month', '2026-13'], env());
    assert.equal(malformed.code, 1);
    assert.match(malformed.stderr, /« 2026-13 » n'est pas un mois/);
    const missing = await runCli(['pass', 'statements'], env());
    assert.notEqual(missing.code, 0);
    assert.match(missing.stderr, /Indiquez --month/);
    const count = await withDb(async (db) =>
      Number(
        (
          await db
            .selectFrom('voucher_statement')
            .select((eb) => eb.fn.countAll().as('n'))
            .executeTakeFirstOrThrow()
        ).n,
      ),
    );
    assert.equal(count, 2, 'the place’s and the funder’s statements of last month only');
  });
});
