import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { type Kysely, sql } from 'kysely';
import { DomainError } from '../shared/domain-error.ts';

/**
 * The one migrator: numbered, forward-only `.sql` files in db/migrations, applied in order inside one
 * transaction under an advisory lock (two app servers starting together never race). An applied
 * migration whose file changed is an error: migrations are never edited.
 */
const MIGRATIONS_DIR = path.join(path.dirname(fileURLToPath(import.meta.url)), 'migrations');

export interface MigrationFile {
  name: string;
  sql: string;
  checksum: string;
}

export function readMigrationFiles(dir = MIGRATIONS_DIR): MigrationFile[] {
  return fs
    .readdirSync(dir)
    .filter((f) => /^\d{4}_[a-z0-9_]+\.sql$/.test(f))
    .sort()
    .map((name) => {
      const text = fs.readFileSync(path.join(dir, name), 'utf8');
      return { name, sql: text, checksum: createHash('sha256').update(text).digest('hex') };
    });
}

/** A hash of all migration files: keys the test template database. */
export function migrationsHash(): string {
  const hash = createHash('sha256');
  for (const m of readMigrationFiles()) hash.update(`${m.name}:${m.checksum}\n`);
  return hash.digest('hex').slice(0, 16);
}

// biome-ignore lint/suspicious/noExplicitAny: the migrator works before the typed tables exist.
type AnyDb = Kysely<any>;

async function ensureMigrationTable(db: AnyDb): Promise<void> {
  await sql`create table if not exists schema_migration (
    name text primary key,
    checksum text not null,
    applied_at timestamptz not null default now()
  )`.execute(db);
}

async function appliedMigrations(db: AnyDb): Promise<Map<string, string>> {
  const exists = await sql<{
    present: boolean;
  }>`select to_regclass('schema_migration') is not null as present`.execute(db);
  if (!exists.rows[0]?.present) return new Map();
  const rows = await sql<{
    name: string;
    checksum: string;
  }>`select name, checksum from schema_migration`.execute(db);
  return new Map(rows.rows.map((r) => [r.name, r.checksum]));
}

/**
 * The files not yet applied. An applied migration this code does not know means the database is newer
 * than the code: during an upgrade (expand, roll the servers, contract later: docs/production.md), the
 * old servers keep serving on the expanded database, so readiness and start-up accept it
 * (`aheadAllowed`) as long as every migration this code knows is applied, unchanged; `migrate` does
 * not (an old release must not migrate a newer database).
 */
function checkHistory(
  files: MigrationFile[],
  applied: Map<string, string>,
  opts: { aheadAllowed?: boolean } = {},
): MigrationFile[] {
  const known = new Set(files.map((f) => f.name));
  for (const [name, checksum] of applied) {
    if (!known.has(name)) {
      if (opts.aheadAllowed) continue;
      throw new DomainError(
        'migrations_pending',
        `La base contient la migration « ${name} » que ce code ne connaît pas : la base est plus récente que l'application.`,
      );
    }
    const file = files.find((f) => f.name === name);
    if (file && file.checksum !== checksum) {
      throw new DomainError(
        'migrations_pending',
        `La migration « ${name} » a été modifiée après avoir été appliquée.`,
      );
    }
  }
  return files.filter((f) => !applied.has(f.name));
}

/**
 * Names of the migrations of this code not yet applied. Migrations the database has and this code does
 * not know (a newer release migrated it: expand/contract) are not pending: see checkHistory.
 */
export async function pendingMigrations(db: AnyDb, dir?: string): Promise<string[]> {
  return checkHistory(readMigrationFiles(dir), await appliedMigrations(db), { aheadAllowed: true }).map(
    (m) => m.name,
  );
}

/** The migrations the database has and this code does not know (the database is newer). */
export async function migrationsAhead(db: AnyDb, dir?: string): Promise<string[]> {
  const known = new Set(readMigrationFiles(dir).map((f) => f.name));
  return [...(await appliedMigrations(db)).keys()].filter((name) => !known.has(name)).sort();
}

/** Applies every pending migration; returns their names. */
export async function migrate(db: AnyDb, dir?: string): Promise<string[]> {
  const files = readMigrationFiles(dir);
  return db.transaction().execute(async (tx) => {
    await sql`select pg_advisory_xact_lock(7261827364)`.execute(tx);
    await ensureMigrationTable(tx);
    const pending = checkHistory(files, await appliedMigrations(tx));
    for (const m of pending) {
      await sql.raw(m.sql).execute(tx);
      await sql`insert into schema_migration (name, checksum) values (${m.name}, ${m.checksum})`.execute(tx);
    }
    return pending.map((m) => m.name);
  });
}

/** Refuses to run on a PostgreSQL database with pending migrations (embedded ones are migrated instead). */
export async function assertMigrated(db: AnyDb, dir?: string): Promise<void> {
  const pending = await pendingMigrations(db, dir);
  if (pending.length > 0) {
    throw new DomainError(
      'migrations_pending',
      `La base PostgreSQL n'est pas à jour : ${pending.length} migration(s) en attente (${pending.join(', ')}). ` +
        'Lancez « npm run -s cli -- db migrate » puis recommencez.',
      { pending },
    );
  }
}
