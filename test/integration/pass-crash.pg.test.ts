import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { sql } from 'kysely';
import { kyselyOverPostgres } from '../../src/db/create-db.ts';
import type { Db } from '../../src/db/database.ts';
import { migrate } from '../../src/db/migrate.ts';
import { pageText, passClient } from '../support/pass-client.ts';
import {
  liveRedemptionsPerCode,
  type RedemptionLoad,
  setUpRedemptionLoad,
} from '../support/pass-load-fixtures.ts';
import { runCli, type ServerProcess, startServer, tempDir } from '../support/processes.ts';
import { createThrowawayCluster, type ThrowawayCluster } from '../support/throwaway-postgres.ts';

/**
 * Durability of redemptions: a real server process under redemption load from concurrent clients is
 * killed (SIGKILL) in the middle, then its PostgreSQL is stopped without a checkpoint (`-m immediate`:
 * it replays its WAL at the next start) and started again, then the server. Every redemption that got
 * "Chèque encaissé" is in the ledger, none twice, and `pass verify` exits 0 once the restarted server
 * has sealed what the crash left unsealed. On a cluster this test makes and removes itself, never the
 * machine's shared one.
 */
const CLIENTS = 16;
/** The kill comes once this many redemptions were acknowledged, requests still in flight. */
const ACKNOWLEDGED_BEFORE_KILL = 50;

describe('redemptions acknowledged before a kill -9 of the server and a crash of PostgreSQL', () => {
  let cluster: ThrowawayCluster | undefined;
  let db: Db | undefined;
  let fixture: RedemptionLoad;
  const work = tempDir();
  const servers: ServerProcess[] = [];
  const env = () => ({ DATABASE_URL: cluster?.url ?? '', DATA_DIR: path.join(work, 'unused') });
  before(async () => {
    cluster = await createThrowawayCluster();
    db = kyselyOverPostgres(cluster.url, 8);
    await migrate(db);
    fixture = await setUpRedemptionLoad(db, { booklets: 300, bookletSize: 10, sessions: CLIENTS });
  });
  after(async () => {
    for (const server of servers) await server.stop('SIGKILL');
    await db?.destroy();
    cluster?.destroy();
    fs.rmSync(work, { recursive: true, force: true });
  });

  it('keeps every acknowledged redemption, and the ledger verifies', async () => {
    assert.ok(cluster && db);
    const first = await startServer(env());
    servers.push(first);
    const clients = fixture.sessionTokens.map((token) => passClient(first.url, token));
    await Promise.all(clients.map((c) => c.open()));

    // Each client redeems fresh codes one after the other until the server dies under it.
    const acknowledged: string[] = [];
    const refused: string[] = [];
    const failures: string[] = [];
    let next = 0;
    const loads = clients.map(async (client) => {
      while (next < fixture.codes.length) {
        const code = fixture.codes[next++] as string;
        try {
          const answer = await client.redeem({ placeId: fixture.placeId, code, key: `crash-${code}` });
          if (answer.ok) acknowledged.push(code);
          else refused.push(`${answer.status} ${pageText(answer.body).slice(0, 200)}`);
        } catch (error) {
          failures.push((error as Error).message);
          return; // the server is gone
        }
      }
    });
    const waitUntil = Date.now() + 60_000;
    while (acknowledged.length < ACKNOWLEDGED_BEFORE_KILL && Date.now() < waitUntil && failures.length === 0)
      await new Promise((r) => setTimeout(r, 5));
    const inFlight = next - acknowledged.length - refused.length;
    first.child.kill('SIGKILL');
    await Promise.all(loads);
    for (const c of clients) c.close();
    assert.deepEqual(refused, [], 'no refusal before the kill (every code fresh)');
    assert.ok(
      acknowledged.length >= ACKNOWLEDGED_BEFORE_KILL,
      `redemptions acknowledged before the kill: ${acknowledged.length}`,
    );
    assert.ok(failures.length > 0, 'the kill cut requests in flight');
    process.stderr.write(
      `crash: ${acknowledged.length} acknowledged, ~${inFlight} in flight at the kill, ${failures.length} cut\n`,
    );

    // PostgreSQL crashes too: no checkpoint, the WAL is replayed at the next start.
    await db.destroy();
    cluster.stopImmediately();
    cluster.start();
    db = kyselyOverPostgres(cluster.url, 4);

    const live = await liveRedemptionsPerCode(db, fixture.programmeId);
    const lost = acknowledged.filter((code) => live.get(code) !== 1);
    assert.deepEqual(lost, [], 'every acknowledged redemption is in the ledger, once');
    assert.ok(
      [...live.values()].every((n) => n === 1),
      'no voucher has two live redemptions',
    );
    process.stderr.write(`crash: ${live.size} redemptions in the ledger after the restart\n`);

    // The restarted server refuses an acknowledged voucher and redeems a fresh one.
    const second = await startServer(env());
    servers.push(second);
    const client = passClient(second.url, fixture.sessionTokens[0] as string);
    await client.open();
    const again = await client.redeem({
      placeId: fixture.placeId,
      code: acknowledged[0] as string,
      key: `again-${randomBytes(6).toString('hex')}`,
    });
    assert.equal(again.status, 422);
    assert.match(pageText(again.body), /déjà été encaissé/);
    const fresh = fixture.codes.find((code) => !live.has(code)) as string;
    const afterCrash = await client.redeem({ placeId: fixture.placeId, code: fresh, key: `fresh-${fresh}` });
    assert.ok(afterCrash.ok, `a fresh voucher after the restart: ${afterCrash.status}`);
    client.close();

    // The restarted server's job runner seals what was written before the crash (every second).
    const deadline = Date.now() + 30_000;
    let unsealed = -1;
    while (Date.now() < deadline) {
      const r = await sql<{ n: number }>`
        select count(*)::int as n from voucher_entry e
        where not exists (select 1 from voucher_seal s where s.entry_id = e.id)`.execute(db);
      unsealed = r.rows[0]?.n ?? -1;
      if (unsealed === 0) break;
      await new Promise((r) => setTimeout(r, 250));
    }
    assert.equal(unsealed, 0, 'the restarted server sealed every entry');
    const verified = await runCli(['pass', 'verify'], env());
    assert.equal(verified.code, 0, `pass verify: ${verified.stdout}\n${verified.stderr}`);
    process.stderr.write(`crash: pass verify exited 0\n${verified.stdout}`);
    await second.stop();
  });
});
