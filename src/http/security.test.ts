import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { Hono } from 'hono';
import { testApp } from '../../test/support/app.ts';
import { closeTestTemplate, createTestDb } from '../../test/support/test-db.ts';
import { loadConfig } from '../config.ts';
import { frameableCsp, pageCsp, securityHeaders } from './security.ts';

/** The CSP every page had before tile servers existed: without TILE_SERVER_URL it must not change. */
const STRICT_CSP =
  "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; font-src 'self'; " +
  "connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

async function headersOf(options: Parameters<typeof securityHeaders>[0]): Promise<Headers> {
  const app = new Hono();
  app.use(securityHeaders(options));
  app.get('/', (c) => c.text('ok'));
  return (await app.request('/')).headers;
}

describe('Content-Security-Policy and the tile server', () => {
  it('is exactly the strict policy when no tile server is configured', async () => {
    const config = loadConfig({ DATA_DIR: '/nonexistent' });
    assert.deepEqual(config.tileOrigins, []);
    assert.equal(pageCsp(), STRICT_CSP);
    assert.equal(pageCsp(config.tileOrigins), STRICT_CSP);
    const h = await headersOf({ https: false, tileOrigins: config.tileOrigins });
    assert.equal(h.get('Content-Security-Policy'), STRICT_CSP);
    assert.equal(h.get('X-Frame-Options'), 'DENY');
    assert.equal((await headersOf({ https: false })).get('Content-Security-Policy'), STRICT_CSP);
  });

  it('adds each {s} subdomain of the tile server to img-src, and widens nothing else', async () => {
    const config = loadConfig({
      DATA_DIR: '/nonexistent',
      TILE_SERVER_URL: 'https://{s}.tile.openstreetmap.org/{z}/{x}/{y}.png',
    });
    const csp = (await headersOf({ https: true, tileOrigins: config.tileOrigins })).get(
      'Content-Security-Policy',
    );
    const tiles =
      'https://a.tile.openstreetmap.org https://b.tile.openstreetmap.org https://c.tile.openstreetmap.org';
    assert.equal(csp, STRICT_CSP.replace("img-src 'self' data:", `img-src 'self' data: ${tiles}`));
    // Only img-src names another origin.
    for (const directive of (csp ?? '').split('; ')) {
      if (!directive.startsWith('img-src')) assert.doesNotMatch(directive, /https?:/, directive);
    }
  });

  it('adds the one origin of a tile server without {s}, port included', () => {
    const config = loadConfig({
      DATA_DIR: '/nonexistent',
      TILE_SERVER_URL: 'http://127.0.0.1:8123/tuiles/{z}/{x}/{y}.png',
    });
    assert.deepEqual(config.tileOrigins, ['http://127.0.0.1:8123']);
    assert.match(pageCsp(config.tileOrigins), /; img-src 'self' data: http:\/\/127\.0\.0\.1:8123; /);
  });

  it('leaves the embed’s policy (frame-ancestors for partners) without tile origins', () => {
    assert.equal(
      frameableCsp(['https://www.mairie.example.org']),
      STRICT_CSP.replace("frame-ancestors 'none'", 'frame-ancestors https://www.mairie.example.org'),
    );
  });
});

describe('cross-origin reads and referrers', () => {
  it('allows cross-origin reads of the public API only, and keeps the no-referrer of orientation pages', async () => {
    const t = await createTestDb();
    try {
      const app = testApp(t.db);
      for (const path of ['/api/v1/lieux', '/api/v1/openapi.json', '/api/v1/lieux/export?format=json'])
        assert.equal((await app.request(path)).headers.get('Access-Control-Allow-Origin'), '*', path);
      for (const path of ['/api/v1/orientations', '/api/v1/nimporte', '/connexion']) {
        const res = await app.request(path);
        assert.equal(res.headers.get('Access-Control-Allow-Origin'), null, path);
      }
      assert.equal((await app.request('/orientations')).headers.get('Referrer-Policy'), 'no-referrer');
      assert.equal((await app.request('/')).headers.get('Referrer-Policy'), 'same-origin');
    } finally {
      await t.close();
    }
  });
});

after(closeTestTemplate);
