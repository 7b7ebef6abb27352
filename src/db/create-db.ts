import path from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { Kysely, PostgresDialect } from 'kysely';
import pg from 'pg';
import type { Database, Db } from './database.ts';
import { acquireEmbeddedLock } from './embedded-lock.ts';
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
    return { db, kind: 'postgres', pglite: null, pool, close: () => db.destroy() };
  }
  const lock = acquireEmbeddedLock(options.dataDir);
  try {
    const pglite = new PGlite(path.join(options.dataDir, 'pglite'), { parsers: pgliteParsers });
    await pglite.waitReady;
    const db = kyselyOverPglite(pglite);
    let closed = false;
    return {
      db,
      kind: 'embedded',
      pglite,
      pool: null,
      async close() {
        if (closed) return;
        closed = true;
        try {
          await db.destroy();
          await pglite.close();
        } finally {
          lock.release();
        }
      },
    };
  } catch (error) {
    lock.release();
    throw error;
  }
}
