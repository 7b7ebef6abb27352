import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { testApp } from '../../test/support/app.ts';
import { closeTestTemplate, createTestDb } from '../../test/support/test-db.ts';

after(closeTestTemplate);

const FORM = { 'Content-Type': 'application/x-www-form-urlencoded' };
const big = `note=${'a'.repeat(1024 * 1024 + 1)}`;

describe('the request size limit', () => {
  it('refuses a body over 1 MB with 413 and a French page, before the CSRF check reads it', async () => {
    const t = await createTestDb();
    try {
      const app = testApp(t.db);
      const declared = await app.request('/preferences', {
        method: 'POST',
        headers: { ...FORM, 'Content-Length': String(Buffer.byteLength(big)) },
        body: big,
      });
      assert.equal(declared.status, 413);
      assert.match(await declared.text(), /La requête est trop volumineuse/);

      // Without a declared length (chunked upload), the body is counted as it arrives.
      const streamed = await app.request('/preferences', { method: 'POST', headers: FORM, body: big });
      assert.equal(streamed.status, 413);
      assert.match(await streamed.text(), /La requête est trop volumineuse/);
    } finally {
      await t.close();
    }
  });

  it('answers the API with the JSON error payload_too_large', async () => {
    const t = await createTestDb();
    try {
      const app = testApp(t.db);
      const res = await app.request('/api/v1/lieux', { method: 'POST', headers: FORM, body: big });
      assert.equal(res.status, 413);
      const body = await res.json();
      assert.equal(body.error.code, 'payload_too_large');
      assert.match(body.error.message, /trop volumineuse/);
    } finally {
      await t.close();
    }
  });

  it('lets an ordinary form through to the CSRF check', async () => {
    const t = await createTestDb();
    try {
      const app = testApp(t.db);
      const res = await app.request('/preferences', { method: 'POST', headers: FORM, body: 'note=court' });
      assert.equal(res.status, 403, 'no token: refused by CSRF, not by the size limit');
    } finally {
      await t.close();
    }
  });
});
