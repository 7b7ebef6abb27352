import { type Kysely, sql } from 'kysely';
import type { Database } from '../db/database.ts';

type Executor = Kysely<Database>;

export async function readJobStates(
  db: Executor,
): Promise<Map<string, { next_run_at: Date; last_run_at: Date | null }>> {
  const rows = await db.selectFrom('job_state').select(['name', 'next_run_at', 'last_run_at']).execute();
  return new Map(rows.map((r) => [r.name, { next_run_at: r.next_run_at, last_run_at: r.last_run_at }]));
}

export async function writeJobState(
  db: Executor,
  state: { name: string; last_run_at: Date; next_run_at: Date; last_error: string | null },
): Promise<void> {
  await db
    .insertInto('job_state')
    .values(state)
    .onConflict((oc) =>
      oc.column('name').doUpdateSet({
        last_run_at: state.last_run_at,
        next_run_at: state.next_run_at,
        last_error: state.last_error,
      }),
    )
    .execute();
}

const LEADER_LOCK = 7261827365;

/**
 * Runs `work` only if this process holds the job runner's advisory lock (PostgreSQL): one leader at a
 * time among app servers and cron. The lock is held by one pooled connection for the whole run and
 * released after it (or by PostgreSQL when the connection dies).
 */
export async function withLeaderLock<T>(
  db: Executor,
  work: () => Promise<T>,
): Promise<{ led: boolean; result?: T }> {
  return db.connection().execute(async (conn) => {
    const got = await sql<{ ok: boolean }>`select pg_try_advisory_lock(${LEADER_LOCK}) as ok`.execute(conn);
    if (!got.rows[0]?.ok) return { led: false };
    try {
      return { led: true, result: await work() };
    } finally {
      await sql`select pg_advisory_unlock(${LEADER_LOCK})`.execute(conn);
    }
  });
}
