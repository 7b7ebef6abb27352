import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import pg from 'pg';
import { readMigrationFiles } from '../../src/db/migrate.ts';
import { sampleRow, toCsv } from '../support/fixtures.ts';
import { runCli, startServer, tempDir } from '../support/processes.ts';
import { databaseUrlFor, pgTestDatabaseName } from '../support/test-db.ts';

async function admin(text: string): Promise<void> {
  const client = new pg.Client({ connectionString: process.env.DATABASE_URL });
  await client.connect();
  try {
    await client.query(text);
  } finally {
    await client.end();
  }
}

describe('PostgreSQL mode', () => {
  it('refuses to work on a database with pending migrations, then works once `db migrate` applied them', async () => {
    const name = pgTestDatabaseName(`empty_${process.pid}`);
    const work = tempDir();
    await admin(`drop database if exists ${name} with (force)`);
    await admin(`create database ${name}`);
    try {
      const env = { DATABASE_URL: databaseUrlFor(name), DATA_DIR: path.join(work, 'unused') };
      const refused = await runCli(['places', 'export', '--format', 'json'], env);
      assert.equal(refused.code, 1);
      assert.equal(JSON.parse(refused.stdout).error.code, 'migrations_pending');
      assert.match(refused.stderr, /db migrate/);
      await assert.rejects(() => startServer(env, 30_000), /migration/);

      const migrated = await runCli(['db', 'migrate', '--format', 'json'], env);
      assert.equal(migrated.code, 0, migrated.stderr);
      assert.deepEqual(JSON.parse(migrated.stdout), { applied: readMigrationFiles().map((m) => m.name) });
      const twice = await runCli(['db', 'migrate', '--format', 'json'], env);
      assert.deepEqual(JSON.parse(twice.stdout), { applied: [] });

      const file = path.join(work, 'lieux.csv');
      fs.writeFileSync(file, toCsv([sampleRow(), sampleRow()]));
      const imported = await runCli(['places', 'import', file, '--format', 'json'], env);
      assert.equal(JSON.parse(imported.stdout).imported, 2);

      // The server on PostgreSQL never seeds demonstration data and never touches DATA_DIR.
      const server = await startServer(env);
      const html = await (await fetch(`${server.url}/lieux`)).text();
      assert.match(html, /2 lieux, classés par nom/);
      assert.ok(!html.includes('demo-banner'));
      assert.equal((await server.stop()).code, 0);
      assert.ok(!fs.existsSync(path.join(work, 'unused')));

      // On PostgreSQL, `db backup` is pg_dump's (pg-backup.pg.test.ts tests the round trip).
      const backup = await runCli(['db', 'backup', path.join(work, 'b.dump')], env);
      assert.equal(backup.code, 0, backup.stderr);
      assert.match(backup.stdout, /pg_dump/);
    } finally {
      await admin(`drop database if exists ${name} with (force)`);
      fs.rmSync(work, { recursive: true, force: true });
    }
  });
});
