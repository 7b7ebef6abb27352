import { randomBytes } from 'node:crypto';
import type { Context, MiddlewareHandler } from 'hono';
import { matchedRoutes } from 'hono/route';
import type { Logger } from 'pino';
import { recordRequest } from '../shared/metrics.ts';
import type { TrustedProxies } from '../shared/network-address.ts';
import { withRequestId } from '../shared/request-context.ts';
import type { AppEnv } from './app-env.ts';
import { fromTrustedProxy } from './client-address.ts';

/**
 * The outermost middleware (docs/decisions/0046): gives each request an id — the one a trusted reverse
 * proxy sent in X-Request-Id when it looks sane, otherwise a new one — that every log line written while
 * serving it carries (the logger reads it from the request's async context), that the response's
 * X-Request-Id header and error pages show; then counts the request by route pattern and status for
 * /metrics and writes the request's log line. Only the path is logged: query strings may hold positions
 * or addresses.
 */
const SANE_ID = /^[A-Za-z0-9._:-]{1,128}$/;

export function newRequestId(): string {
  return randomBytes(8).toString('hex');
}

/** The route pattern that answered (`/lieux/:id`), never the raw path; `unmatched` for unknown paths. */
export function routeOf(c: Context): string {
  const routes = matchedRoutes(c);
  const here = routes[c.req.routeIndex];
  if (here && here.method !== 'ALL') return here.path;
  // A middleware answered (a refused form, a body too large): the route the request was for.
  return routes.find((r) => r.method !== 'ALL')?.path ?? 'unmatched';
}

/**
 * The path as logs may keep it: a route whose path carries a secret (a sign-in link, a password reset,
 * an invitation, a cancellation link, a funder's read-only link…: `:token`, `:secret`) is logged as its
 * pattern, so that whoever reads the logs (or where they are shipped) gets no working link.
 */
export function loggablePath(c: Context): string {
  const route = routeOf(c);
  return /:(token|secret)\b/.test(route) ? route : c.req.path;
}

export function observeRequests(opts: {
  logger: Logger;
  trustedProxies: TrustedProxies;
}): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const started = performance.now();
    const incoming = c.req.header('X-Request-Id');
    const requestId =
      incoming !== undefined && SANE_ID.test(incoming) && fromTrustedProxy(c, opts.trustedProxies)
        ? incoming
        : newRequestId();
    c.set('requestId', requestId);
    await withRequestId(requestId, async () => {
      await next();
      c.header('X-Request-Id', requestId);
      const seconds = (performance.now() - started) / 1000;
      recordRequest(c.req.method, routeOf(c), c.res.status, seconds);
      opts.logger.info(
        { method: c.req.method, path: loggablePath(c), status: c.res.status, ms: Math.round(seconds * 1000) },
        'request',
      );
    });
  };
}
