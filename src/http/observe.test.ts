import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import { after, before, describe, it } from 'node:test';
import pino from 'pino';
import { closeTestTemplate, createTestDb, type TestDb } from '../../test/support/test-db.ts';
import { createApp } from '../app.tsx';
import { loadConfig } from '../config.ts';

/**
 * The request log never keeps a secret carried in a path (sign-in links, password resets, invitations,
 * cancellation links, a funder's read-only link): whoever reads the logs gets no working link.
 */
describe('the request log', () => {
  let t: TestDb;
  const lines: string[] = [];
  let app: ReturnType<typeof createApp>;
  before(async () => {
    t = await createTestDb();
    const sink = new Writable({
      write(chunk, _enc, done) {
        lines.push(String(chunk));
        done();
      },
    });
    app = createApp({
      db: t.db,
      config: loadConfig({ DATA_DIR: '/nonexistent-test-dir' }),
      logger: pino({ level: 'info' }, sink),
    });
  });
  after(async () => {
    await t.close();
    await closeTestTemplate();
  });

  it('logs the route’s pattern instead of a path that carries a secret, and other paths as they are', async () => {
    const secrets = [
      '/mot-de-passe/s3cr3t-reset-token-0123456789abcdef',
      '/connexion/lien/s3cr3t-signin-token-0123456789abcdef',
      '/invitation/s3cr3t-invite-token-0123456789abcdef',
      '/agenda/annulation/s3cr3t-cancel-token-0123456789abcdef',
      '/orientations/lien/s3cr3t-orientation-token-0123456789',
      '/statistiques/lien/mfl_s3cr3tfunderlink0123456789abcdef',
      '/statistiques/lien/mfl_s3cr3tfunderlink0123456789abcdef/export?format=csv',
    ];
    for (const path of secrets) await (await app.request(path)).arrayBuffer();
    await (await app.request('/lieux')).arrayBuffer();
    const log = lines.join('');
    assert.doesNotMatch(log, /s3cr3t/, 'no secret in the log');
    assert.match(log, /"path":"\/mot-de-passe\/:token"/);
    assert.match(log, /"path":"\/statistiques\/lien\/:secret\/export"/);
    assert.match(log, /"path":"\/lieux"/, 'other paths are logged as they are');
  });
});
