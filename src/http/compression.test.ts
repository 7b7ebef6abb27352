import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import { Hono } from 'hono';
import { compression } from './compression.ts';

function app() {
  const hono = new Hono();
  hono.use(compression());
  hono.get('/json/:n', (c) => {
    const n = c.req.param('n');
    c.header('ETag', `"body-${n}"`);
    c.header('Content-Type', 'application/json; charset=utf-8');
    return c.body(JSON.stringify({ n, data: 'x'.repeat(4000) }));
  });
  hono.get('/big', (c) => {
    c.header('Content-Type', 'text/plain; charset=utf-8');
    return c.body('y'.repeat(200_000));
  });
  return hono;
}

describe('compression of dynamic responses', () => {
  it('compresses with brotli or gzip as asked, and the bytes decompress to the body', async () => {
    const hono = app();
    const br = await hono.request('/json/1', { headers: { 'Accept-Encoding': 'gzip, br' } });
    assert.equal(br.headers.get('Content-Encoding'), 'br');
    assert.equal(br.headers.get('Vary'), 'Accept-Encoding');
    const text = brotliDecompressSync(Buffer.from(await br.arrayBuffer())).toString();
    assert.equal(JSON.parse(text).n, '1');
    const gz = await hono.request('/json/1', { headers: { 'Accept-Encoding': 'gzip' } });
    assert.equal(gz.headers.get('Content-Encoding'), 'gzip');
    assert.equal(gunzipSync(Buffer.from(await gz.arrayBuffer())).toString(), text);
    const plain = await hono.request('/json/1');
    assert.equal(plain.headers.get('Content-Encoding'), null);
    assert.equal(await plain.text(), text);
  });

  it('serves the same compressed bytes for the same ETag, and never mixes two ETags', async () => {
    const hono = app();
    const get = async (path: string) =>
      Buffer.from(await (await hono.request(path, { headers: { 'Accept-Encoding': 'br' } })).arrayBuffer());
    const first = await get('/json/2');
    const again = await get('/json/2');
    assert.deepEqual(again, first);
    const other = brotliDecompressSync(await get('/json/3')).toString();
    assert.equal(JSON.parse(other).n, '3');
    assert.equal(JSON.parse(brotliDecompressSync(await get('/json/2')).toString()).n, '2');
  });

  it('compresses large bodies off the main thread with the same result', async () => {
    const res = await app().request('/big', { headers: { 'Accept-Encoding': 'br' } });
    assert.equal(res.headers.get('Content-Encoding'), 'br');
    assert.equal(brotliDecompressSync(Buffer.from(await res.arrayBuffer())).toString(), 'y'.repeat(200_000));
  });
});
