import assert from 'node:assert/strict';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { sql } from 'kysely';
import { openDatabase } from '../../src/db/create-db.ts';
import { migrate } from '../../src/db/migrate.ts';
import { startServer, tempDir } from '../support/processes.ts';
import { createThrowawayCluster, type ThrowawayCluster } from '../support/throwaway-postgres.ts';

/**
 * Readiness on PostgreSQL (docs/decisions/0046), with a cluster of the test's own that it stops and
 * starts again — never the machine's shared one: /readyz says 503 while the database is down and 200
 * again once it is back, without restarting the app server; /healthz keeps saying the process started.
 */
const TOKEN = 'jeton-de-supervision-0123456789';

let cluster: ThrowawayCluster;

before(async () => {
  cluster = await createThrowawayCluster();
  const handle = await openDatabase({ dataDir: tempDir(), databaseUrl: cluster.url });
  try {
    await migrate(handle.db);
  } finally {
    await handle.close();
  }
});
after(() => cluster?.destroy());

async function until<T>(
  what: string | (() => string),
  probe: () => Promise<T | null>,
  ms: number,
): Promise<T> {
  const started = Date.now();
  while (Date.now() - started < ms) {
    const value = await probe().catch(() => null);
    if (value !== null) return value;
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`${typeof what === 'string' ? what : what()}: not within ${ms} ms`);
}

describe('/readyz on PostgreSQL', { timeout: 180_000 }, () => {
  it('answers 503 while the database is stopped and 200 once it is back', async () => {
    const server = await startServer({
      DATABASE_URL: cluster.url,
      DATA_DIR: path.join(tempDir(), 'unused'),
      METRICS_TOKEN: TOKEN,
      DATABASE_POOL_MAX: '4',
    });
    try {
      const readyz = async () => {
        const res = await fetch(`${server.url}/readyz`);
        return { status: res.status, text: await res.text(), cache: res.headers.get('Cache-Control') };
      };
      await until('ready at start', async () => ((await readyz()).status === 200 ? true : null), 20_000);

      const metrics = await (
        await fetch(`${server.url}/metrics`, { headers: { Authorization: `Bearer ${TOKEN}` } })
      ).text();
      assert.match(metrics, /^maillage_db_pool_connections\{state="total"\} [1-4]$/m);
      assert.match(metrics, /^maillage_db_pool_connections\{state="idle"\} \d+$/m);
      assert.match(metrics, /^maillage_db_pool_waiting 0$/m);

      cluster.stopImmediately();
      const down = await until(
        () =>
          `not ready once the database is stopped (exit ${server.child.exitCode}):\n${server.stdout().slice(-3000)}\n${server.stderr()}`,
        async () => {
          const started = Date.now();
          const r = await readyz();
          return r.status === 503 ? { ...r, ms: Date.now() - started } : null;
        },
        10_000,
      );
      assert.match(down.text, /^pas prêt : la base de données ne répond pas \(not ready: database\)/);
      assert.equal(down.cache, 'no-store');
      assert.ok(down.ms < 3_000, `answered in ${down.ms} ms`);
      // The process itself is still up: started, not ready.
      assert.equal((await fetch(`${server.url}/healthz`)).status, 200);

      cluster.start();
      const back = await until(
        'ready again once the database is back',
        async () => {
          const r = await readyz();
          return r.status === 200 ? r : null;
        },
        20_000,
      );
      assert.equal(back.text, 'prêt (ready)\n');

      const stopped = await server.stop('SIGTERM');
      assert.equal(stopped.code, 0, server.stderr());
    } finally {
      await server.stop('SIGKILL');
    }
  });

  it('gives the server pool its size and statement_timeout (DATABASE_STATEMENT_TIMEOUT_MS)', async () => {
    const handle = await openDatabase({
      dataDir: tempDir(),
      databaseUrl: cluster.url,
      pool: { max: 2, statementTimeoutMs: 300 },
    });
    try {
      const shown = await sql<{ statement_timeout: string }>`show statement_timeout`.execute(handle.db);
      assert.equal(shown.rows[0]?.statement_timeout, '300ms');
      await assert.rejects(sql`select pg_sleep(2)`.execute(handle.db), /statement timeout/);
      assert.equal(handle.pool?.options.max, 2);
    } finally {
      await handle.close();
    }
    // The command line's pool (no option): no timeout, a long import is not cut short.
    const cli = await openDatabase({ dataDir: tempDir(), databaseUrl: cluster.url });
    try {
      const shown = await sql<{ statement_timeout: string }>`show statement_timeout`.execute(cli.db);
      assert.equal(shown.rows[0]?.statement_timeout, '0');
    } finally {
      await cli.close();
    }
  });
});
