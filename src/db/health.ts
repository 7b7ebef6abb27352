import { sql } from 'kysely';
import type { Db } from './database.ts';

/**
 * Whether the database answers a trivial query within `timeoutMs` (the readiness probe, docs/decisions/
 * 0046). A query that answers late is abandoned, not awaited: its outcome is swallowed.
 */
export async function databaseAnswers(db: Db, timeoutMs: number): Promise<boolean> {
  return within(
    sql`select 1`.execute(db).then(() => true),
    timeoutMs,
  ).catch(() => false);
}

/** The promise's result, or a rejection after `ms`; a late outcome of the promise is ignored. */
export function within<T>(promise: Promise<T>, ms: number): Promise<T> {
  promise.catch(() => {}); // settled after the deadline: never an unhandled rejection
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms);
  });
  return Promise.race([promise, deadline]).finally(() => clearTimeout(timer));
}
