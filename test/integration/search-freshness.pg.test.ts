import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import pg from 'pg';
import { sampleRow, toCsv } from '../support/fixtures.ts';
import { runCli, startServer, tempDir } from '../support/processes.ts';
import { createPgTestDatabase, databaseUrlFor, dropPgTestDatabase } from '../support/test-db.ts';

async function waitFor(check: () => Promise<boolean>, ms: number): Promise<number> {
  const started = Date.now();
  while (Date.now() - started < ms) {
    if (await check()) return Date.now() - started;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`not seen within ${ms} ms`);
}

describe('several app servers on one PostgreSQL', () => {
  it('see a change made elsewhere in their search within 5 s, also after their connections were dropped', async () => {
    const name = await createPgTestDatabase();
    const work = tempDir();
    const env = { DATABASE_URL: databaseUrlFor(name), DATA_DIR: path.join(work, 'unused') };
    const a = await startServer(env);
    const b = await startServer(env);
    try {
      const names = async (server: typeof a) => {
        const body = (await (await fetch(`${server.url}/api/v1/lieux?limit=100`)).json()) as {
          data: { nom: string }[];
        };
        return body.data.map((p) => p.nom);
      };
      assert.deepEqual(await names(a), []);
      assert.deepEqual(await names(b), []);

      const file = path.join(work, 'un.csv');
      fs.writeFileSync(file, toCsv([sampleRow({ nom: 'Premier lieu partagé' })]));
      assert.equal((await runCli(['places', 'import', file], env)).code, 0);
      const seenA = await waitFor(async () => (await names(a)).includes('Premier lieu partagé'), 5_000);
      const seenB = await waitFor(async () => (await names(b)).includes('Premier lieu partagé'), 5_000);
      assert.ok(seenA < 5_000 && seenB < 5_000);

      // Drop every connection of both servers, as a database restart would.
      const admin = new pg.Client({ connectionString: process.env.DATABASE_URL });
      await admin.connect();
      await admin.query(
        'select pg_terminate_backend(pid) from pg_stat_activity where datname = $1 and pid <> pg_backend_pid()',
        [name],
      );
      await admin.end();

      fs.writeFileSync(
        file,
        toCsv([
          sampleRow({
            nom: 'Second lieu partagé',
            commune: 'Olivet',
            code_postal: '45160',
            code_insee: '45232',
            adresse: '3 rue du Lac',
            latitude: '47.8625',
            longitude: '1.9011',
          }),
        ]),
      );
      assert.equal((await runCli(['places', 'import', file, '--source', 'autre'], env)).code, 0);
      await waitFor(async () => {
        try {
          return (
            (await names(b)).includes('Second lieu partagé') &&
            (await names(a)).includes('Second lieu partagé')
          );
        } catch {
          // A request may fail while the pool replaces its dropped connections.
          return false;
        }
      }, 5_000);
    } finally {
      await a.stop();
      await b.stop();
      await dropPgTestDatabase(name);
      fs.rmSync(work, { recursive: true, force: true });
    }
  });
});
