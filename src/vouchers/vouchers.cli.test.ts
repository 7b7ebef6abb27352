import assert from 'node:assert/strict';
import fs from 'node:fs';
import { after, before, describe, it } from 'node:test';
import { sql } from 'kysely';
import { migratedDataDir, runCliInProcess as runCli } from '../../test/support/processes.ts';
import {
  bookletsAt,
  type PassNetwork,
  passNetwork,
  readyProgramme,
} from '../../test/support/vouchers-fixtures.ts';
import { openDatabase } from '../db/create-db.ts';
import type { Db } from '../db/database.ts';
import { redeemVoucher } from './redemptions.service.ts';
import { MESSAGES } from './vouchers.ts';

// One embedded database for the file: a programme set up through the services, then the `pass`
// commands run on it inside this process, one after the other.
let dataDir = '';
let net: PassNetwork;
let programmeId = '';
const env = () => ({ DATA_DIR: dataDir });

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
    net = await passNetwork(db);
    programmeId = await readyProgramme(db, net, { budget: '500' });
    // A minute ago: older than the 5 seconds an entry may wait for its seal.
    const now = new Date(Date.now() - 60_000);
    const { codes } = await bookletsAt(db, net, programmeId, { booklets: 2, now });
    const r = await redeemVoucher(
      db,
      net.staffA,
      {
        placeId: net.places.a1,
        code: codes[0]?.[0] as string,
        needs: ['caf'],
        servedOn: '',
        idempotencyKey: 'cli-test-1',
      },
      { now },
    );
    assert.ok(r.ok, JSON.stringify(r));
  });
});
after(() => fs.rmSync(dataDir, { recursive: true, force: true }));

describe('the pass commands', () => {
  it('verify checks without repairing: an unsealed ledger fails, naming its first entry in English', async () => {
    // No server ran the seal on these entries written a minute ago.
    const r = await runCli(['pass', 'verify'], env());
    assert.equal(r.code, 1, r.stderr);
    assert.match(
      r.stderr,
      /^Ledger broken: programme [0-9a-f-]{36}, entry \d+: entry \d+ is unsealed after \d+ s/m,
    );
    const again = await runCli(['pass', 'verify', '--format', 'json'], env());
    assert.equal(again.code, 1);
    assert.equal(JSON.parse(again.stdout).ok, false, 'verify sealed nothing');
  });

  it('seal chains the entries; verify then prints each programme’s counts and head hash, exit 0', async () => {
    const sealed = await runCli(['pass', 'seal', '--format', 'json'], env());
    assert.equal(sealed.code, 0, sealed.stderr);
    assert.ok(JSON.parse(sealed.stdout).sealed > 5);
    const r = await runCli(['pass', 'verify'], env());
    assert.equal(r.code, 0, r.stderr);
    assert.match(
      r.stdout,
      /chèques émis : 10 = en stock 0 \+ confiés 0 \+ remis 9 \+ encaissés 1 \+ expirés 0 \+ annulés 0/,
    );
    assert.match(r.stdout, /empreinte de tête : [0-9a-f]{64}/);
    assert.equal(r.stderr, '');
    const json = await runCli(['pass', 'verify', '--format', 'json'], env());
    const report = JSON.parse(json.stdout);
    assert.equal(report.ok, true);
    assert.equal(report.programmes[0].owedCents, 1000);
    assert.equal((await runCli(['pass', 'seal', '--format', 'json'], env())).stdout, '{"sealed":0}\n');
  });

  it('emit and allocate set a programme up from a script, refusing in French what the pages refuse', async () => {
    const e = await runCli(
      ['pass', 'emit', '--programme', programmeId, '--booklets', '3', '--format', 'json'],
      env(),
    );
    assert.equal(e.code, 0, e.stderr);
    assert.equal(JSON.parse(e.stdout).vouchers, 15);
    const over = await runCli(['pass', 'emit', '--programme', programmeId, '--booklets', '10'], env());
    assert.equal(over.code, 1);
    assert.equal(over.stdout, '');
    assert.match(over.stderr, /Cette émission coûterait 500,00/);
    const a = await runCli(
      [
        'pass',
        'allocate',
        '--programme',
        programmeId,
        '--structure',
        net.structures.prescriber,
        '--count',
        '2',
      ],
      env(),
    );
    assert.equal(a.code, 0, a.stderr);
    assert.equal(a.stdout, 'Carnets confiés : 2 (n° 3, 4).\n');
    const notPrescriber = await runCli(
      ['pass', 'allocate', '--programme', programmeId, '--structure', net.structures.a, '--count', '1'],
      env(),
    );
    assert.equal(notPrescriber.code, 1);
    assert.match(notPrescriber.stderr, new RegExp(MESSAGES.bookletNotPrescriber));
    const usage = await runCli(['pass', 'emit', '--booklets', '1'], env());
    assert.equal(usage.code, 2);
    assert.match(usage.stderr, /--programme/);
    const unknown = await runCli(['pass', 'emit', '--programme', 'nope', '--booklets', '1'], env());
    assert.equal(unknown.code, 1);
    assert.match(unknown.stderr, new RegExp(MESSAGES.unknownProgramme));
    assert.equal((await runCli(['pass', 'seal'], env())).code, 0);
    assert.equal((await runCli(['pass', 'verify'], env())).code, 0);
  });

  it('verify exits 1 naming the entry changed behind the triggers’ back', async () => {
    const id = await withDb(async (db) => {
      const row = await sql<{ id: number }>`select id from voucher_entry where kind = 'redemption'`.execute(
        db,
      );
      const entry = Number(row.rows[0]?.id);
      await sql`drop trigger voucher_entry_append_only on voucher_entry`.execute(db);
      await sql`update voucher_entry set amount_cents = 5000 where id = ${entry}`.execute(db);
      return entry;
    });
    const r = await runCli(['pass', 'verify'], env());
    assert.equal(r.code, 1);
    assert.match(r.stderr, new RegExp(`entry ${id}: entry ${id} does not match its seal`));
  });
});
