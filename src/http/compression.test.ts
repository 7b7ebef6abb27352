import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import { Hono } from 'hono';
import { compression, etagResponse, withRawBody } from './compression.ts';

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

  it('keeps a strong-ETag answer from its second request, then serves it without building it, and 304 when the client has it', async () => {
    const hono = new Hono();
    hono.use(compression());
    let builds = 0;
    hono.get('/cached/:n', (c) =>
      etagResponse(c, {
        etag: `"cached-${c.req.param('n')}"`,
        contentType: 'application/json; charset=utf-8',
        cacheControl: 'public, max-age=60',
        build: () => {
          builds++;
          return JSON.stringify({ n: c.req.param('n'), data: 'z'.repeat(5000) });
        },
      }),
    );
    const get = (path: string, headers: Record<string, string>) => hono.request(path, { headers });
    const first = await get('/cached/1', { 'Accept-Encoding': 'br' });
    const firstBytes = Buffer.from(await first.arrayBuffer());
    assert.equal(builds, 1);
    // Asked for once, an answer is not kept; asked for again, it is.
    const second = await get('/cached/1', { 'Accept-Encoding': 'br' });
    assert.equal(builds, 2, 'an answer seen once is not kept');
    assert.deepEqual(Buffer.from(await second.arrayBuffer()), firstBytes);
    const third = await get('/cached/1', { 'Accept-Encoding': 'br' });
    assert.equal(builds, 2, 'the cached compressed bytes are served without building the body');
    assert.equal(third.headers.get('Content-Encoding'), 'br');
    assert.equal(third.headers.get('Vary'), 'Accept-Encoding');
    assert.equal(third.headers.get('ETag'), '"cached-1"');
    assert.deepEqual(Buffer.from(await third.arrayBuffer()), firstBytes);
    assert.equal(JSON.parse(brotliDecompressSync(firstBytes).toString()).n, '1');
    // Another encoding is another cache entry; no encoding gets the plain body.
    const gz = await get('/cached/1', { 'Accept-Encoding': 'gzip' });
    assert.equal(gz.headers.get('Content-Encoding'), 'gzip');
    assert.equal(JSON.parse(gunzipSync(Buffer.from(await gz.arrayBuffer())).toString()).n, '1');
    const plain = await get('/cached/1', {});
    assert.equal(plain.headers.get('Content-Encoding'), null);
    assert.equal(JSON.parse(await plain.text()).n, '1');
    const notModified = await get('/cached/1', { 'If-None-Match': '"cached-1"', 'Accept-Encoding': 'br' });
    assert.equal(notModified.status, 304);
    assert.equal((await notModified.arrayBuffer()).byteLength, 0);
    assert.equal(builds, 4);
  });

  it('compresses the registered text of a response, and keeps headers set before and after', async () => {
    const hono = new Hono();
    hono.use(async (c, next) => {
      await next();
      c.header('X-After', 'yes');
    });
    hono.use(compression());
    hono.get('/page', (c) => {
      const html = `<!doctype html><p>${'mot '.repeat(2000)}</p>`;
      c.header('X-Before', 'yes');
      return withRawBody(c.html(html), html);
    });
    const res = await hono.request('/page', { headers: { 'Accept-Encoding': 'br' } });
    assert.equal(res.headers.get('Content-Encoding'), 'br');
    assert.equal(res.headers.get('X-Before'), 'yes');
    assert.equal(res.headers.get('X-After'), 'yes');
    assert.match(res.headers.get('Content-Type') ?? '', /^text\/html/);
    const text = brotliDecompressSync(Buffer.from(await res.arrayBuffer())).toString();
    assert.equal(text, `<!doctype html><p>${'mot '.repeat(2000)}</p>`);
  });
});
