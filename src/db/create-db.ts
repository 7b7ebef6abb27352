import path from 'node:path';
import v8 from 'node:v8';
import { PGlite } from '@electric-sql/pglite';
import { Kysely, PostgresDialect } from 'kysely';
import pg from 'pg';
import type { Database, Db } from './database.ts';
import { acquireEmbeddedLock, type EmbeddedLock } from './embedded-lock.ts';
import { PGliteDialect } from './pglite-dialect.ts';

/**
 * Opens the database: PostgreSQL when DATABASE_URL is set, otherwise the embedded PGlite in DATA_DIR
 * (locked to this process). Both return text for `date` and numbers for `bigint`, so rows look the same.
 */
export interface DbHandle {
  db: Db;
  kind: 'embedded' | 'postgres';
  /** The embedded engine itself (backup/restore need it); null on PostgreSQL. */
  pglite: PGlite | null;
  /** PostgreSQL's connection pool (its sizes are metrics); null on the embedded database. */
  pool: pg.Pool | null;
  close(): Promise<void>;
  /**
   * The embedded engine closed and opened again on the same folder, the lock kept; the same handle on
   * PostgreSQL. A new data folder's engine keeps initdb's memory and what migrations and seeding grew
   * (WebAssembly memory never shrinks): about 400 MB more than an engine opened on the folder afterwards
   * (docs/decisions/0049). Use the returned handle; this one is closed.
   */
  reopen(): Promise<DbHandle>;
}

const DATE_OID = 1082;
const INT8_OID = 20;
const NUMERIC_OID = 1700;

export const pgliteParsers = {
  [DATE_OID]: (value: string) => value,
  [INT8_OID]: (value: string) => Number(value),
  [NUMERIC_OID]: (value: string) => Number(value),
};

const pgTypes = {
  getTypeParser(oid: number, format?: 'text' | 'binary') {
    if (oid === DATE_OID) return (value: string) => value;
    if (oid === INT8_OID || oid === NUMERIC_OID) return (value: string) => Number(value);
    // biome-ignore lint/suspicious/noExplicitAny: pg's overloads do not accept a union format.
    return pg.types.getTypeParser(oid, format as any);
  },
} as pg.CustomTypesConfig;

/**
 * The embedded engine's memory (docs/decisions/0049). PGlite runs PostgreSQL in one WebAssembly memory
 * that grows and never shrinks, and PostgreSQL's shared memory (128 MB of shared_buffers by default) is
 * written at start, so it is resident from the first second. The demonstration's database is about 45 MB
 * on disk and a network's is of the same order: 8 MB of buffers keep the hot pages (indexes, catalogue),
 * the rest is read through the file system, whose pages the kernel caches outside the process. The
 * search reads its in-memory index, not these pages.
 */
export const EMBEDDED_SETTINGS = ['shared_buffers=8MB'];

/**
 * PostgreSQL compiled to WebAssembly is a 9 MB module: V8 compiles it with its baseline compiler
 * (Liftoff), then recompiles the functions it finds hot with its optimising one (TurboFan), whose code and
 * compilation memory stayed resident, about 65 MB after the browser suite's journeys. Liftoff alone
 * answered the same queries as fast on this machine (decision 0049). Set before the module is compiled; it
 * only concerns WebAssembly (the embedded engine, and fetch's small HTTP parser), not JavaScript.
 */
let liftoffOnly = false;
function compileWebAssemblyWithLiftoffOnly(): void {
  if (liftoffOnly) return;
  v8.setFlagsFromString('--liftoff-only');
  liftoffOnly = true;
}

export function kyselyOverPglite(pglite: PGlite): Db {
  return new Kysely<Database>({ dialect: new PGliteDialect(pglite) });
}

/** PostgreSQL's connection pool: `max` connections, each with a `statement_timeout` (ms; 0: none). */
export function postgresPool(url: string, max = 10, statementTimeoutMs = 0): pg.Pool {
  const pool = new pg.Pool({
    connectionString: url,
    max,
    types: pgTypes,
    ...(statementTimeoutMs > 0 ? { statement_timeout: statementTimeoutMs } : {}),
  });
  // An idle connection dropped by the server (restart, failover, pg_terminate_backend) emits 'error' on
  // the pool; without a listener Node would crash. The pool discards it and opens a new one when needed.
  pool.on('error', (error) => {
    process.stderr.write(`PostgreSQL connection lost (${error.message}); reconnecting on next query\n`);
  });
  // A connection lost while checked out (the job runner's leader holds one between queries) emits
  // 'error' on its client, which has no listener then: Node would crash the server when PostgreSQL
  // restarts. The query in flight, if any, fails and is reported by its caller; the pool drops the
  // broken client when it is released.
  pool.on('connect', (client) => {
    client.on('error', () => {});
  });
  return pool;
}

export function kyselyOverPostgres(url: string, max = 10): Db {
  return kyselyOverPool(postgresPool(url, max));
}

function kyselyOverPool(pool: pg.Pool): Db {
  return new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
}

export async function openDatabase(options: {
  dataDir: string;
  databaseUrl: string | null;
  /**
   * PostgreSQL only: the server's pool (DATABASE_POOL_MAX, DATABASE_STATEMENT_TIMEOUT_MS); by default 10
   * connections and no statement timeout (the command line: a long import is not cut short).
   */
  pool?: { max: number; statementTimeoutMs: number };
}): Promise<DbHandle> {
  if (options.databaseUrl) {
    const pool = postgresPool(options.databaseUrl, options.pool?.max, options.pool?.statementTimeoutMs);
    const db = kyselyOverPool(pool);
    const handle: DbHandle = {
      db,
      kind: 'postgres',
      pglite: null,
      pool,
      close: () => db.destroy(),
      reopen: async () => handle,
    };
    return handle;
  }
  const lock = acquireEmbeddedLock(options.dataDir);
  try {
    return await openEmbedded(options.dataDir, lock);
  } catch (error) {
    lock.release();
    throw error;
  }
}

/** The embedded engine in `dataDir`, under `lock` (released by close, kept by reopen). */
async function openEmbedded(dataDir: string, lock: EmbeddedLock): Promise<DbHandle> {
  compileWebAssemblyWithLiftoffOnly();
  const pglite = new PGlite(path.join(dataDir, 'pglite'), {
    parsers: pgliteParsers,
    startParams: [...PGlite.defaultStartParams, ...EMBEDDED_SETTINGS.flatMap((s) => ['-c', s])],
  });
  await pglite.waitReady;
  const db = kyselyOverPglite(pglite);
  let closed = false;
  const shut = async () => {
    await db.destroy();
    await pglite.close();
  };
  return {
    db,
    kind: 'embedded',
    pglite,
    pool: null,
    async close() {
      if (closed) return;
      closed = true;
      try {
        await shut();
      } finally {
        lock.release();
      }
    },
    async reopen() {
      if (closed) throw new Error('the embedded database is closed');
      closed = true;
      try {
        await shut();
        return await openEmbedded(dataDir, lock);
      } catch (error) {
        lock.release();
        throw error;
      }
    },
  };
}
