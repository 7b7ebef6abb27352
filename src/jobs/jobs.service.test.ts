import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { closeTestTemplate, createTestDb } from '../../test/support/test-db.ts';
import { runJobs } from './jobs.service.ts';
import type { Job } from './jobs.ts';

after(closeTestTemplate);

describe('job runner', () => {
  it('runs each job when due by the injected clock, records failures and keeps running the others', async () => {
    const t = await createTestDb();
    try {
      const runs: string[] = [];
      const jobs: Job[] = [
        {
          name: 'every-minute',
          everyMinutes: 1,
          run: async (_db, now) => runs.push(`a@${now.toISOString()}`),
        },
        {
          name: 'hourly-failing',
          everyMinutes: 60,
          run: async () => {
            throw new Error('panne');
          },
        },
      ];
      const kind = t.kind === 'pg' ? 'postgres' : 'embedded';
      const t0 = new Date('2026-05-04T08:00:00Z');
      const first = await runJobs(t.db, { jobs, now: t0, kind });
      assert.equal(first.led, true);
      assert.deepEqual(
        first.ran.map((r) => [r.name, r.ok]),
        [
          ['every-minute', true],
          ['hourly-failing', false],
        ],
      );
      assert.deepEqual((await runJobs(t.db, { jobs, now: new Date(t0.getTime() + 30_000), kind })).ran, []);
      const later = await runJobs(t.db, { jobs, now: new Date(t0.getTime() + 60_000), kind });
      assert.deepEqual(
        later.ran.map((r) => r.name),
        ['every-minute'],
      );
      assert.equal(runs.length, 2);
      const state = await t.db
        .selectFrom('job_state')
        .selectAll()
        .where('name', '=', 'hourly-failing')
        .executeTakeFirst();
      assert.equal(state?.last_error, 'panne');
    } finally {
      await t.close();
    }
  });
});
