import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { sql } from 'kysely';
import { closeTestTemplate, createTestDb } from '../../test/support/test-db.ts';
import { runJobs } from './jobs.service.ts';
import type { Job } from './jobs.ts';

after(closeTestTemplate);

/**
 * The job runner's leader on PostgreSQL (docs/decisions/0047): one runner at a time holds the advisory
 * lock; a runner whose lock went with its connection stops before its next job instead of running it
 * beside the new leader.
 */
describe('job runner leadership on PostgreSQL', () => {
  it('lets one runner lead at a time, and stops a runner whose lock connection was dropped', async () => {
    const t = await createTestDb();
    try {
      assert.equal(t.kind, 'pg', 'a PostgreSQL test (npm run test:pg)');
      const now = new Date('2026-05-04T08:00:00Z');
      const runs: string[] = [];
      let beside: Awaited<ReturnType<typeof runJobs>> | undefined;
      const jobs: Job[] = [
        {
          name: 'first',
          everyMinutes: 60,
          run: async (db) => {
            runs.push('first');
            // Another runner meanwhile: the lock is taken, it does nothing.
            beside = await runJobs(db, { jobs, now, kind: 'postgres' });
            // Then PostgreSQL drops the leader's lock connection (a restart, idle_session_timeout…).
            await sql`
              select pg_terminate_backend(pid) from pg_locks
              where locktype = 'advisory' and objsubid = 1
                and database = (select oid from pg_database where datname = current_database())
                and ((classid::bigint << 32) | objid::bigint) = 7261827365`.execute(db);
          },
        },
        { name: 'second', everyMinutes: 60, run: async () => void runs.push('second') },
      ];
      const first = await runJobs(t.db, { jobs, now, kind: 'postgres' });
      assert.equal(beside?.led, false, 'a second runner does not lead while the first does');
      assert.deepEqual(beside?.ran, []);
      assert.equal(first.led, true);
      assert.deepEqual(
        first.ran.map((r) => r.name),
        ['first'],
        'the runner that lost its lock stops before the next job',
      );
      assert.deepEqual(runs, ['first']);
      // The next leader runs what was left, once.
      const next = await runJobs(t.db, { jobs, now, kind: 'postgres' });
      assert.deepEqual(
        next.ran.map((r) => r.name),
        ['second'],
      );
      assert.deepEqual(runs, ['first', 'second']);
      assert.deepEqual((await runJobs(t.db, { jobs, now, kind: 'postgres' })).ran, []);
    } finally {
      await t.close();
    }
  });
});
