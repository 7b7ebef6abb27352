import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import { testApp } from '../../test/support/app.ts';
import { closeTestTemplate, createTestDb, type TestDb } from '../../test/support/test-db.ts';
import { STYLE } from './assets.ts';

let t: TestDb;
let app: ReturnType<typeof testApp>;
before(async () => {
  t = await createTestDb();
  app = testApp(t.db);
});
after(async () => {
  await t.close();
  await closeTestTemplate();
});

describe('static assets', () => {
  it('serves the pre-compressed file the browser accepts, cached for a year, and the plain file otherwise', async () => {
    const path = STYLE.url;
    const get = (encoding?: string) =>
      app.request(path, { headers: encoding ? { 'Accept-Encoding': encoding } : {} });
    const br = await get('gzip, deflate, br');
    assert.equal(br.status, 200);
    assert.equal(br.headers.get('Content-Encoding'), 'br');
    assert.equal(br.headers.get('Cache-Control'), 'public, max-age=31536000, immutable');
    assert.equal(br.headers.get('Vary'), 'Accept-Encoding');
    assert.equal(brotliDecompressSync(Buffer.from(await br.arrayBuffer())).toString(), STYLE.body.toString());
    const gz = await get('gzip');
    assert.equal(gz.headers.get('Content-Encoding'), 'gzip');
    assert.equal(gunzipSync(Buffer.from(await gz.arrayBuffer())).toString(), STYLE.body.toString());
    const plain = await get();
    assert.equal(plain.headers.get('Content-Encoding'), null);
    assert.equal(await plain.text(), STYLE.body.toString());
    assert.equal((await app.request('/static/style.0000.css')).status, 404);
  });
});
