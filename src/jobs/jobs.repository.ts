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
 * released after it (or by PostgreSQL when the connection dies). A session's lock ends with its session:
 * if PostgreSQL drops that connection while `work` runs (a restart, `idle_session_timeout`, an
 * administrator), another runner may lead at once, so `work` asks `stillLeading()` before each job.
 */
export async function withLeaderLock<T>(
  db: Executor,
  work: (stillLeading: () => Promise<boolean>) => Promise<T>,
): Promise<{ led: boolean; result?: T }> {
  return db.connection().execute(async (conn) => {
    const got = await sql<{ ok: boolean }>`select pg_try_advisory_lock(${LEADER_LOCK}) as ok`.execute(conn);
    if (!got.rows[0]?.ok) return { led: false };
    let lost = false;
    const stillLeading = async () => {
      if (lost) return false;
      try {
        // A bigint key is classid (high 32 bits) and objid (low 32 bits) in pg_locks.
        const held = await sql<{ held: boolean }>`
          select exists (
            select 1 from pg_locks
            where locktype = 'advisory' and pid = pg_backend_pid() and granted and objsubid = 1
              and ((classid::bigint << 32) | objid::bigint) = ${LEADER_LOCK}
          ) as held`.execute(conn);
        lost = held.rows[0]?.held !== true;
      } catch {
        lost = true; // the connection is gone, and its lock with it
      }
      return !lost;
    };
    try {
      return { led: true, result: await work(stillLeading) };
    } finally {
      if (!lost) {
        try {
          await sql`select pg_advisory_unlock(${LEADER_LOCK})`.execute(conn);
        } catch {
          // The connection died meanwhile: its session, and so the lock, ended with it.
        }
      }
    }
  });
}
