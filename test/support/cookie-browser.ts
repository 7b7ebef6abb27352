import assert from 'node:assert/strict';
import { Secret, TOTP } from 'otpauth';
import { DEMO_TOTP_SECRET } from '../../src/accounts/accounts.service.ts';
import type { testApp } from './app.ts';

/**
 * A browser's cookie jar over app.request(), with the demonstration sign-in (password, and the demo
 * TOTP code when the account asks for one).
 */
export function cookieBrowser(app: ReturnType<typeof testApp>) {
  const jar = new Map<string, string>();
  const request = async (path: string, init: { form?: Record<string, string> } = {}) => {
    const headers: Record<string, string> = {};
    if (jar.size) headers.Cookie = [...jar].map(([k, v]) => `${k}=${v}`).join('; ');
    if (init.form) headers['Content-Type'] = 'application/x-www-form-urlencoded';
    const res = await app.request(path, {
      method: init.form ? 'POST' : 'GET',
      headers,
      ...(init.form ? { body: new URLSearchParams(init.form).toString() } : {}),
    });
    for (const cookie of res.headers.getSetCookie()) {
      const [name, value] = (cookie.split(';')[0] ?? '').split('=') as [string, string];
      if (/Max-Age=0/i.test(cookie) || value === '') jar.delete(name);
      else jar.set(name, value);
    }
    return res;
  };
  const csrf = async (path: string) =>
    /name="_csrf" value="([^"]+)"/.exec(await (await request(path)).text())?.[1] ?? '';
  const signIn = async (email: string, password = 'demonstration-maillage') => {
    const res = await request('/connexion', { form: { _csrf: await csrf('/connexion'), email, password } });
    assert.equal(res.status, 303, `${email} signs in`);
    if (res.headers.get('Location') === '/connexion/code') {
      const code = new TOTP({ secret: Secret.fromBase32(DEMO_TOTP_SECRET) }).generate();
      const ok = await request('/connexion/code', { form: { _csrf: await csrf('/connexion/code'), code } });
      assert.equal(ok.headers.get('Location'), '/compte');
    }
  };
  return { request, csrf, signIn };
}
