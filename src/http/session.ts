import type { Context } from 'hono';
import { deleteCookie, getCookie, setCookie } from 'hono/cookie';

/**
 * The session cookie: only a random token (the database keeps its hash). `HttpOnly` (no script reads
 * it), `SameSite=Lax` (not sent by cross-site POSTs), `Secure` and the `__Host-` prefix when the public
 * address is HTTPS (never sent in clear, bound to our host).
 */
export function sessionCookieName(https: boolean): string {
  return https ? '__Host-maillage_session' : 'maillage_session';
}

export function readSessionCookie(c: Context, https: boolean): string | undefined {
  return getCookie(c, sessionCookieName(https));
}

export function setSessionCookie(c: Context, token: string, maxAgeSeconds: number, https: boolean): void {
  setCookie(c, sessionCookieName(https), token, {
    httpOnly: true,
    sameSite: 'Lax',
    secure: https,
    path: '/',
    maxAge: maxAgeSeconds,
  });
}

export function clearSessionCookie(c: Context, https: boolean): void {
  deleteCookie(c, sessionCookieName(https), { path: '/', secure: https, httpOnly: true, sameSite: 'Lax' });
}
