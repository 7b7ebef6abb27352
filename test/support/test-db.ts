import { createHash, randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { type Kysely, sql } from 'kysely';
import pg from 'pg';
import { kyselyOverPglite, kyselyOverPostgres, pgliteParsers } from '../../src/db/create-db.ts';
import type { Db } from '../../src/db/database.ts';
import { migrate, migrationsHash } from '../../src/db/migrate.ts';
import { localToday } from '../../src/places/place-dates.ts';

/**
 * A fresh, migrated, real database per test.
 * - Default (npm test): PGlite. A migrated template is built once per migrations hash (dumpDataDir to a
 *   temporary file, uncompressed), read once per test file, and loaded into a new PGlite per test: isolated.
 * - MAILLAGE_TEST_DB=pg (npm run test:pg): PostgreSQL from DATABASE_URL; each test gets its own database
 *   created from a migrated template database (made by test/run-pg.ts) and dropped afterwards.
 * createDemoTestDb() is the same with the demonstration seeded: from a second template, seeded once (the
 * seed, a few seconds, was most of the time of the tests on the demonstration).
 */
export interface TestDb {
  db: Db;
  kind: 'pglite' | 'pg';
  close(): Promise<void>;
}

const SRC = path.resolve(import.meta.dirname, '../../src');

let templatePromise: Promise<Blob> | null = null;
let demoTemplatePromise: Promise<Blob> | null = null;

async function templateFile(): Promise<string> {
  // Uncompressed: loading a 27 MB tar is about twice as fast as gunzipping a 5 MB one first, and every
  // PGlite test database pays it. (v2: without the template databases.)
  const file = path.join(os.tmpdir(), `maillage-template-${migrationsHash()}-v2.tar`);
  if (fs.existsSync(file)) return file;
  const pglite = new PGlite({ parsers: pgliteParsers });
  const db = kyselyOverPglite(pglite);
  await migrate(db);
  // Our tables live in the `postgres` database. The two template databases are never used by a test
  // (nothing creates a database inside PGlite) and made up a third of the files every test unpacks.
  await pglite.query(
    `update pg_database set datistemplate = false where datname in ('template0', 'template1')`,
  );
  await pglite.query('drop database template0');
  await pglite.query('drop database template1');
  await pglite.query('checkpoint');
  const dump = await pglite.dumpDataDir('none');
  await pglite.close();
  const partial = `${file}.${process.pid}.partial`;
  fs.writeFileSync(partial, Buffer.from(await dump.arrayBuffer()));
  fs.renameSync(partial, file); // atomic: parallel test files never read half a template
  return file;
}

/** The migrated template, read once per test file. */
async function pgliteTemplate(): Promise<Blob> {
  templatePromise ??= (async () => new Blob([fs.readFileSync(await templateFile())]))();
  return templatePromise;
}

/**
 * What the seeded demonstration depends on: every source file under src but the tests (the migrations,
 * the demonstration's data, and the services that write it), so that a changed service never reuses a
 * template seeded by its former version.
 */
export function demoSourceHash(): string {
  const hash = createHash('sha256');
  const walk = (dir: string) => {
    for (const entry of fs
      .readdirSync(dir, { withFileTypes: true })
      .sort((a, b) => (a.name < b.name ? -1 : 1))) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(full);
      else if (!/\.test\.tsx?$/.test(entry.name)) hash.update(`${full}\n`).update(fs.readFileSync(full));
    }
  };
  walk(SRC);
  return hash.digest('hex').slice(0, 16);
}

/**
 * The demonstration is written relative to the day it is seeded (orientations sent a few days before,
 * a year of activities up to today): a template serves on the day it was seeded, and for an hour at most,
 * so that a test sees the data it would have seeded itself.
 */
export const DEMO_TEMPLATE_MAX_AGE_MS = 60 * 60 * 1000;

export function demoTemplateKey(): string {
  return `${demoSourceHash()}-${localToday(new Date())}`;
}

/** The demonstration seeded by the server's own function, as on a first start: the tests act as it. */
async function seedDemo(db: Db): Promise<void> {
  const { seedDemoIfFresh } = await import('../../src/demo/demo.service.ts');
  await seedDemoIfFresh(db, { kind: 'system' });
}

async function demoTemplateFile(): Promise<string> {
  const file = path.join(os.tmpdir(), `maillage-demo-template-${demoTemplateKey()}-v1.tar`);
  if (fs.existsSync(file) && Date.now() - fs.statSync(file).mtimeMs < DEMO_TEMPLATE_MAX_AGE_MS) return file;
  const pglite = new PGlite({ loadDataDir: await pgliteTemplate(), parsers: pgliteParsers });
  await pglite.waitReady;
  const db = kyselyOverPglite(pglite);
  await seedDemo(db);
  await pglite.query('checkpoint');
  const dump = await pglite.dumpDataDir('none');
  await db.destroy();
  await pglite.close();
  const partial = `${file}.${process.pid}.partial`;
  fs.writeFileSync(partial, Buffer.from(await dump.arrayBuffer()));
  fs.renameSync(partial, file); // atomic, as the migrated template
  return file;
}

/** The demonstration template, read once per test file. */
async function pgliteDemoTemplate(): Promise<Blob> {
  demoTemplatePromise ??= (async () => new Blob([fs.readFileSync(await demoTemplateFile())]))();
  return demoTemplatePromise;
}

/**
 * Builds the PGlite templates before the test files start (test/run-unit.ts), so that two files started
 * together do not both build them. A file run alone builds them on its first use.
 */
export async function prepareTestTemplates(): Promise<void> {
  await templateFile();
  await demoTemplateFile();
}

function adminUrl(): string {
  const url = process.env.DATABASE_URL;
  if (!url)
    throw new Error('MAILLAGE_TEST_DB=pg needs DATABASE_URL (e.g. postgres://postgres@127.0.0.1:5432/test)');
  return url;
}

export function databaseUrlFor(name: string): string {
  const url = new URL(adminUrl());
  url.pathname = `/${name}`;
  return url.toString();
}

async function adminQuery(text: string): Promise<void> {
  const client = new pg.Client({ connectionString: adminUrl() });
  await client.connect();
  try {
    await client.query(text);
  } finally {
    await client.end();
  }
}

export function testDbKind(): 'pglite' | 'pg' {
  const kind = process.env.MAILLAGE_TEST_DB ?? 'pglite';
  if (kind !== 'pglite' && kind !== 'pg')
    throw new Error(`MAILLAGE_TEST_DB must be pglite or pg, not ${kind}`);
  return kind;
}

/**
 * The name of a test database of this `test:pg` run: `maillage_t_<run>_<what>`, where the run is the
 * process id of test/run-pg.ts. A run drops its own databases and those of runs no longer alive, never
 * those of a run going on beside it on the same server.
 */
export function pgTestDatabaseName(what: string): string {
  return `maillage_t_${process.env.MAILLAGE_PG_RUN ?? '0'}_${what}`;
}

/**
 * Creates a PostgreSQL database from the migrated template (or from the demonstration's, made by
 * test/run-pg.ts as well); returns its name.
 */
export async function createPgTestDatabase(
  variable: 'MAILLAGE_PG_TEMPLATE' | 'MAILLAGE_PG_DEMO_TEMPLATE' = 'MAILLAGE_PG_TEMPLATE',
): Promise<string> {
  const template = process.env[variable];
  if (!template) throw new Error(`${variable} is not set: run the PostgreSQL suite with \`npm run test:pg\``);
  const name = pgTestDatabaseName(randomBytes(6).toString('hex'));
  await adminQuery(`create database ${name} template ${template}`);
  return name;
}

export async function dropPgTestDatabase(name: string): Promise<void> {
  await adminQuery(`drop database if exists ${name} with (force)`);
}

export function createTestDb(): Promise<TestDb> {
  return openTestDb('migrated');
}

/**
 * A fresh database with the demonstration seeded (by seedDemoIfFresh, as the server's first start does),
 * copied from a template seeded once: the same data as seeding it in the test, without the wait.
 */
export function createDemoTestDb(): Promise<TestDb> {
  return openTestDb('demo');
}

async function openTestDb(from: 'migrated' | 'demo'): Promise<TestDb> {
  if (testDbKind() === 'pg') {
    const name = await createPgTestDatabase(
      from === 'demo' ? 'MAILLAGE_PG_DEMO_TEMPLATE' : 'MAILLAGE_PG_TEMPLATE',
    );
    const db = kyselyOverPostgres(databaseUrlFor(name), 4);
    return {
      db,
      kind: 'pg',
      async close() {
        await db.destroy();
        await dropPgTestDatabase(name);
      },
    };
  }
  // What PGlite's clone() does (load a dump of the data folder), but keeping our type parsers.
  const template = from === 'demo' ? await pgliteDemoTemplate() : await pgliteTemplate();
  const pglite = new PGlite({ loadDataDir: template, parsers: pgliteParsers });
  await pglite.waitReady;
  const db = kyselyOverPglite(pglite);
  return {
    db,
    kind: 'pglite',
    async close() {
      await db.destroy();
      await pglite.close();
    },
  };
}

/** Forgets the per-file template (kept for symmetry with an `after` hook; nothing stays open). */
export async function closeTestTemplate(): Promise<void> {
  templatePromise = null;
  demoTemplatePromise = null;
}

/** Builds a migrated template database on PostgreSQL (used by test/run-pg.ts). */
export async function createPgTemplate(name: string): Promise<void> {
  await adminQuery(`drop database if exists ${name} with (force)`);
  await adminQuery(`create database ${name}`);
  const db: Kysely<unknown> = kyselyOverPostgres(databaseUrlFor(name), 1) as unknown as Kysely<unknown>;
  try {
    await migrate(db);
    await sql`select 1`.execute(db);
  } finally {
    await db.destroy();
  }
}

/** Copies the migrated template and seeds the demonstration in it (test/run-pg.ts). */
export async function createPgDemoTemplate(name: string, migratedTemplate: string): Promise<void> {
  await adminQuery(`drop database if exists ${name} with (force)`);
  await adminQuery(`create database ${name} template ${migratedTemplate}`);
  const db = kyselyOverPostgres(databaseUrlFor(name), 1);
  try {
    await seedDemo(db);
  } finally {
    await db.destroy();
  }
}
