import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { openDatabase } from './create-db.ts';
import { assertMigrated, migrate, migrationsAhead, pendingMigrations } from './migrate.ts';

/**
 * Upgrades with expand/contract (docs/production.md §8): once a newer release has migrated the
 * database, the old release's servers still start and say they are ready (every migration they know is
 * applied, unchanged); an old release never migrates the newer database, and an edited migration is
 * still refused.
 */
const root = fs.mkdtempSync(path.join(os.tmpdir(), 'maillage-migrate-'));
const release = (name: string, files: Record<string, string>) => {
  const dir = path.join(root, name);
  fs.mkdirSync(dir);
  for (const [file, text] of Object.entries(files)) fs.writeFileSync(path.join(dir, file), text);
  return dir;
};
const v1 = release('v1', { '0001_place.sql': 'create table place (id int primary key);' });
const v2 = release('v2', {
  '0001_place.sql': 'create table place (id int primary key);',
  '0002_place_name.sql': 'alter table place add column name text;',
});
const edited = release('edited', { '0001_place.sql': 'create table place (id int primary key, x int);' });

let handle: Awaited<ReturnType<typeof openDatabase>>;
before(async () => {
  handle = await openDatabase({ dataDir: fs.mkdtempSync(path.join(root, 'data-')), databaseUrl: null });
});
after(async () => {
  await handle?.close();
  fs.rmSync(root, { recursive: true, force: true });
});

describe('migrations across an upgrade', () => {
  it('lets the old release serve on the database the new release expanded, and nothing else', async () => {
    assert.deepEqual(await migrate(handle.db, v1), ['0001_place.sql']);
    assert.deepEqual(await pendingMigrations(handle.db, v2), ['0002_place_name.sql']);
    await assert.rejects(
      assertMigrated(handle.db, v2),
      /1 migration\(s\) en attente \(0002_place_name.sql\)/,
    );

    assert.deepEqual(await migrate(handle.db, v2), ['0002_place_name.sql']);
    // The old release: nothing of its own is pending, so it starts and is ready; it sees it is behind.
    assert.deepEqual(await pendingMigrations(handle.db, v1), []);
    await assertMigrated(handle.db, v1);
    assert.deepEqual(await migrationsAhead(handle.db, v1), ['0002_place_name.sql']);
    assert.deepEqual(await migrationsAhead(handle.db, v2), []);
    // …but it does not migrate a database newer than itself.
    await assert.rejects(migrate(handle.db, v1), /la base est plus récente que l'application/);
    // A migration edited after it was applied is refused everywhere.
    await assert.rejects(pendingMigrations(handle.db, edited), /a été modifiée après avoir été appliquée/);
    await assert.rejects(assertMigrated(handle.db, edited), /a été modifiée après avoir été appliquée/);
  });
});
