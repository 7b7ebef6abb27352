/**
 * The ceiling of our stack for bench:search: the same framework, middlewares and compression, answering
 * a fixed, precomputed 20-result JSON body (read from stdin-less env: BODY_FILE).
 */
import fs from 'node:fs';
import { serve } from '@hono/node-server';
import { Hono } from 'hono';
import { compression } from '../../src/http/compression.ts';
import { securityHeaders } from '../../src/http/security.ts';

const body = fs.readFileSync(process.env.BODY_FILE as string, 'utf8');
const app = new Hono();
app.use(securityHeaders({ https: false }));
app.use(compression());
app.get('/api/v1/lieux', (c) => {
  c.header('Content-Type', 'application/json; charset=utf-8');
  return c.body(body);
});
serve({ fetch: app.fetch, hostname: '127.0.0.1', port: Number(process.env.PORT) }, () => {
  process.stderr.write('ceiling ready\n');
});
