/**
 * The ceiling of our stack for bench:search: the same framework, security headers and compression,
 * answering a fixed, precomputed 20-result JSON body (read from BODY_FILE) through the same strong-ETag
 * path as the API, so that it is compressed once and then served from the cache as the API's answers are.
 * With PLAIN=1: a bare Hono server returning the same body (the yardstick the targets are quoted against).
 */
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import { serve } from '@hono/node-server';
import { Hono } from 'hono';
import { compression, etagResponse } from '../../src/http/compression.ts';
import { securityHeaders } from '../../src/http/security.ts';

const body = fs.readFileSync(process.env.BODY_FILE as string, 'utf8');
const app = new Hono();
if (process.env.PLAIN === '1') {
  // The yardstick: a bare Hono server returning the fixed JSON, no middleware, no compression.
  app.get('/api/v1/lieux', (c) => {
    c.header('Content-Type', 'application/json; charset=utf-8');
    return c.body(body);
  });
}
app.use(securityHeaders({ https: false }));
app.use(compression());
const etag = `"${createHash('sha1').update(body).digest('base64url')}"`;
app.get('/api/v1/lieux', (c) =>
  etagResponse(c, {
    etag,
    contentType: 'application/json; charset=utf-8',
    cacheControl: 'public, max-age=60',
    build: () => body,
  }),
);
serve({ fetch: app.fetch, hostname: '127.0.0.1', port: Number(process.env.PORT) }, () => {
  process.stderr.write('ceiling ready\n');
});
