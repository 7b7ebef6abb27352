import assert from 'node:assert/strict';
import { Secret, TOTP } from 'otpauth';
import { DEMO_TOTP_SECRET } from '../../src/accounts/accounts.service.ts';
import type { testApp } from './app.ts';

/** A form's fields as a browser posts them: a field may repeat (the checkboxes of a list). */
export type FormFields = Record<string, string | string[]>;
export type FormBody = FormFields | URLSearchParams;

/** What one request carries: a url-encoded form, or a multipart body (a file upload). */
export interface BrowserRequest {
  method?: string;
  form?: FormBody;
  body?: FormData;
}

function encodeForm(form: FormBody): string {
  if (form instanceof URLSearchParams) return form.toString();
  const params = new URLSearchParams();
  for (const [k, v] of Object.entries(form))
    for (const item of Array.isArray(v) ? v : [v]) params.append(k, item);
  return params.toString();
}

/** The CSRF token of the first form of a page. */
export const csrfOf = (html: string) => /name="_csrf" value="([^"]+)"/.exec(html)?.[1] ?? '';

/**
 * A browser without JavaScript over app.request(): a cookie jar, from one client address when one is
 * given, with the demonstration sign-in (password, and the demo TOTP code when the account asks for
 * one).
 */
export function cookieBrowser(app: ReturnType<typeof testApp>, options: { address?: string } = {}) {
  const jar = new Map<string, string>();
  /** Every Set-Cookie header received, in order. */
  const cookiesSet: string[] = [];
  const env = options.address ? { incoming: { socket: { remoteAddress: options.address } } } : undefined;
  const request = async (path: string, init: BrowserRequest = {}) => {
    const headers: Record<string, string> = {};
    if (jar.size) headers.Cookie = [...jar].map(([k, v]) => `${k}=${v}`).join('; ');
    if (init.form) headers['Content-Type'] = 'application/x-www-form-urlencoded';
    const res = await app.request(
      path,
      {
        method: init.method ?? (init.form || init.body ? 'POST' : 'GET'),
        headers,
        ...(init.form ? { body: encodeForm(init.form) } : {}),
        ...(init.body ? { body: init.body } : {}),
      },
      env,
    );
    for (const cookie of res.headers.getSetCookie()) {
      cookiesSet.push(cookie);
      const [name, value] = (cookie.split(';')[0] ?? '').split('=') as [string, string];
      if (/Max-Age=0/i.test(cookie) || value === '') jar.delete(name);
      else jar.set(name, value);
    }
    return res;
  };
  /** A GET, and the page's HTML. */
  const page = async (path: string) => {
    const res = await request(path);
    return { res, html: await res.text() };
  };
  const csrf = async (path: string) => csrfOf((await page(path)).html);
  /** Posts a form of `from` (its CSRF token read from that page) to `action`. */
  const post = async (from: string, action: string, form: FormFields) =>
    request(action, { form: { _csrf: await csrf(from), ...form } });
  const signIn = async (email: string, password = 'demonstration-maillage') => {
    const res = await post('/connexion', '/connexion', { email, password });
    assert.equal(res.status, 303, `${email} signs in`);
    if (res.headers.get('Location') === '/connexion/code') {
      // Each code works once: when this account already used the current one (another sign-in of the
      // same test within 30 s), the next period's code, still accepted (±30 s), completes this one.
      const totp = new TOTP({ secret: Secret.fromBase32(DEMO_TOTP_SECRET) });
      let ok = await post('/connexion/code', '/connexion/code', { code: totp.generate() });
      if (ok.headers.get('Location') !== '/espace')
        ok = await post('/connexion/code', '/connexion/code', {
          code: totp.generate({ timestamp: Date.now() + 30_000 }),
        });
      assert.equal(ok.headers.get('Location'), '/espace', `${email} enters the demo TOTP code`);
    }
  };
  return { request, page, csrf, csrfOf, post, signIn, jar, cookiesSet };
}

export type CookieBrowser = ReturnType<typeof cookieBrowser>;
