import type { MiddlewareHandler } from 'hono';

/**
 * Security headers on every response. The CSP is strict (no inline script, our own origin only); later
 * issues widen it from config (tile server, geocoder) and relax frame-ancestors for /embed only.
 */
const BASE_DIRECTIVES = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "font-src 'self'",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'self'",
];

/**
 * The CSP of a page that partners may frame (/embed): the same rules, with `frame-ancestors` listing
 * the configured origins ('none' when there are none).
 */
export function frameableCsp(origins: readonly string[]): string {
  return [...BASE_DIRECTIVES, `frame-ancestors ${origins.length ? origins.join(' ') : "'none'"}`].join('; ');
}

/**
 * The CSP of our pages: BASE_DIRECTIVES, with `img-src` widened to the tile server's origins when one
 * is configured (TILE_SERVER_URL; the map's tiles are images) and nothing else widened.
 */
export function pageCsp(tileOrigins: readonly string[] = []): string {
  const directives = BASE_DIRECTIVES.map((d) =>
    d.startsWith('img-src ') && tileOrigins.length ? `${d} ${tileOrigins.join(' ')}` : d,
  );
  return [...directives, "frame-ancestors 'none'"].join('; ');
}

export function securityHeaders(options: {
  https: boolean;
  /** The tile server's origins (config.tileOrigins), allowed as image sources. */
  tileOrigins?: readonly string[];
}): MiddlewareHandler {
  const csp = pageCsp(options.tileOrigins);
  return async (c, next) => {
    await next();
    const h = c.res.headers;
    // A route may set its own CSP (the embed's frame-ancestors): then it also decides about framing,
    // and X-Frame-Options (which cannot list origins) is left out.
    const routeCsp = h.has('Content-Security-Policy');
    if (!routeCsp) h.set('Content-Security-Policy', csp);
    h.set('X-Content-Type-Options', 'nosniff');
    // Pages with personal data (orientations) set `no-referrer` themselves: kept.
    if (!h.has('Referrer-Policy')) h.set('Referrer-Policy', 'same-origin');
    if (!routeCsp) h.set('X-Frame-Options', 'DENY');
    h.set('Cross-Origin-Opener-Policy', 'same-origin');
    if (options.https) h.set('Strict-Transport-Security', 'max-age=31536000; includeSubDomains');
  };
}
