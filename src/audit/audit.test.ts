import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { sql } from 'kysely';
import { closeTestTemplate, createTestDb } from '../../test/support/test-db.ts';
import { listAudit, recordAudit } from './audit.service.ts';

after(closeTestTemplate);

describe('audit log', () => {
  it('is append-only in the database: UPDATE, DELETE and TRUNCATE are refused, entries stay intact', async () => {
    const t = await createTestDb();
    try {
      await recordAudit(t.db, { actorId: null, actorLabel: 'cli', action: 'test.first', details: { n: 1 } });
      await recordAudit(t.db, { actorId: null, actorLabel: 'cli', action: 'test.second' });
      await assert.rejects(
        () => sql`update audit_log set action = 'rewritten'`.execute(t.db),
        /append-only: UPDATE refused/,
      );
      await assert.rejects(() => sql`delete from audit_log`.execute(t.db), /append-only: DELETE refused/);
      await assert.rejects(() => sql`truncate audit_log`.execute(t.db), /append-only: TRUNCATE refused/);
      const entries = await listAudit(t.db);
      assert.deepEqual(
        entries.map((e) => [e.action, e.details]),
        [
          ['test.second', {}],
          ['test.first', { n: 1 }],
        ],
      );
    } finally {
      await t.close();
    }
  });
});
