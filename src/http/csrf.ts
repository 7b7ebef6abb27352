import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import type { Context, MiddlewareHandler } from 'hono';
import { getCookie, setCookie } from 'hono/cookie';
import { readSessionCookie } from './session.ts';

declare module 'hono' {
  interface ContextVariableMap {
    /** The CSRF token for forms of this page (hidden field `_csrf`); sets the anonymous cookie if needed. */
    csrfToken: () => string;
  }
}

export const CSRF_FIELD = '_csrf';
const UNSAFE = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

function anonymousCookieName(https: boolean): string {
  return https ? '__Host-maillage_csrf' : 'maillage_csrf';
}

function sign(secret: Buffer, binding: string): string {
  return createHmac('sha256', secret).update(`csrf|${binding}`).digest('base64url');
}

function sameToken(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

async function submittedToken(c: Context): Promise<string | undefined> {
  const header = c.req.header('X-CSRF-Token');
  if (header) return header;
  const type = c.req.header('Content-Type') ?? '';
  if (!/^(application\/x-www-form-urlencoded|multipart\/form-data)/i.test(type)) return undefined;
  const body = await c.req.parseBody();
  const value = body[CSRF_FIELD];
  return typeof value === 'string' ? value : undefined;
}

/**
 * CSRF protection for every unsafe request (POST, PUT, PATCH, DELETE): the form's hidden `_csrf` field
 * (or an `X-CSRF-Token` header) must equal an HMAC, under the installation's secret, of the session
 * cookie — or, before sign-in, of a random anonymous cookie. A missing or wrong token gets `reject`
 * (a 403 page). SameSite=Lax cookies already stop most cross-site posts; this also covers same-site
 * attackers and older browsers.
 */
export function csrfProtection(options: {
  https: boolean;
  secret: () => Promise<Buffer>;
  reject: (c: Context) => Response | Promise<Response>;
}): MiddlewareHandler {
  return async (c, next) => {
    const secret = await options.secret();
    const session = readSessionCookie(c, options.https);
    const anonymous = getCookie(c, anonymousCookieName(options.https));
    const binding = session ?? anonymous;
    let issued: string | undefined;
    c.set('csrfToken', () => {
      if (binding) return sign(secret, binding);
      if (!issued) {
        issued = randomBytes(32).toString('base64url');
        setCookie(c, anonymousCookieName(options.https), issued, {
          httpOnly: true,
          sameSite: 'Lax',
          secure: options.https,
          path: '/',
        });
      }
      return sign(secret, issued);
    });
    if (UNSAFE.has(c.req.method)) {
      const submitted = await submittedToken(c).catch(() => undefined);
      if (!binding || !submitted || !sameToken(submitted, sign(secret, binding))) return options.reject(c);
    }
    await next();
  };
}
