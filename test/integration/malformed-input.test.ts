import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { loadConfig } from '../../src/config.ts';
import { UNREADABLE_FORM } from '../../src/http/input.ts';
import { generatePublicationFiles } from '../../src/publication/publication.service.ts';
import { DEMO_EMAILS, matrixSamples, ROUTES, routeKeys, samplePath } from '../authorization/matrix.ts';
import type { Role } from '../authorization/roles.ts';
import { testApp } from '../support/app.ts';
import { type CookieBrowser, cookieBrowser } from '../support/cookie-browser.ts';
import { demoSessionBrowser, restoreDemoMemberships } from '../support/demo-sessions.ts';
import { record } from '../support/input-recorder.ts';
import { closeTestTemplate, createDemoTestDb, type TestDb } from '../support/test-db.ts';

/**
 * No malformed input gets a 5xx. The test walks the route table (as the authorisation matrix does),
 * signed in as a role allowed on each route, with real ids from the demonstration data and a valid CSRF
 * token; it finds the query parameters and form fields each route reads by recording them while it
 * walks, and sends them NUL bytes, other control characters and broken UTF-8 (lone surrogates), and
 * every POST route a broken multipart body. A parameter the route still reads after five rounds of
 * discovery fails the test: nothing read is left unfuzzed.
 */
after(closeTestTemplate);

/** Raw (percent-encoded) malformed values: NUL, C0/DEL/C1 controls, a UTF-8-encoded lone surrogate, bytes that are not UTF-8. */
const VARIANTS = ['a%00b', '%01%1F%7F%C2%85', '%ED%A0%80', '%FF%FE', '%C0%80'];
/** The variants sent to all parameters at once. */
const ALL_AT_ONCE = ['%00', '%ED%B0%80%00'];

const enc = (s: string) => encodeURIComponent(s);

function withQuery(path: string, params: Record<string, string>): string {
  const pairs = Object.entries(params).map(([k, v]) => `${enc(k)}=${v}`);
  return pairs.length ? `${path}${path.includes('?') ? '&' : '?'}${pairs.join('&')}` : path;
}

/** The role that may use a route (the first allowed one), anonymous when nobody or everybody may. */
function roleFor(key: string): Role {
  const who = ROUTES[key]?.who ?? [];
  return who.includes('anonymous') ? 'anonymous' : (who[0] ?? 'anonymous');
}

/** The fields of every form of a page, by the path the form posts to. */
function formsOf(html: string, into: Map<string, Set<string>>): void {
  for (const m of html.matchAll(/<form\b[^>]*>[\s\S]*?<\/form>/g)) {
    const form = m[0];
    if (!/method="post"/i.test(form)) continue;
    const action = /action="([^"]*)"/.exec(form)?.[1]?.replace(/&amp;/g, '&').split('?')[0];
    if (!action) continue;
    const fields = into.get(action) ?? new Set<string>();
    for (const n of form.matchAll(/\bname="([^"]+)"/g)) if (n[1] && n[1] !== '_csrf') fields.add(n[1]);
    into.set(action, fields);
  }
}

describe('malformed input never gets a 5xx', () => {
  let t: TestDb;
  let app: ReturnType<typeof testApp>;
  let samples: Record<string, string> = {};
  const forms = new Map<string, Set<string>>();
  let pairs = 0;

  before(async () => {
    t = await createDemoTestDb();
    app = testApp(t.db);
    samples = await matrixSamples(t.db);
    // The open-data files exist, as they do seconds after a server starts (the leader generates them):
    // before that their addresses answer 503 + Retry-After on purpose (decision 0054), not a fault.
    await generatePublicationFiles(
      t.db,
      { kind: 'system' },
      {
        config: loadConfig({ DATA_DIR: '/nonexistent-test-dir' }),
        now: new Date(),
      },
    );
  });
  after(async () => {
    await t.close();
  });

  const browserFor = async (role: Role): Promise<CookieBrowser> =>
    role === 'anonymous' ? cookieBrowser(app) : demoSessionBrowser(app, t.db, DEMO_EMAILS[role]);

  it('GET: every query parameter each route reads, with NUL, control characters and broken UTF-8', async (ctx) => {
    const failures: string[] = [];
    const keys = routeKeys(app).filter((k) => k.startsWith('GET '));
    const browsers = new Map<Role, CookieBrowser>();
    for (const key of keys) {
      const role = roleFor(key);
      if (!browsers.has(role)) browsers.set(role, await browserFor(role));
      const b = browsers.get(role) as CookieBrowser;
      const path = samplePath(key, samples);
      // Discovery: ask with what the route read last time, until it reads nothing new.
      const params = new Set<string>();
      let fresh: string[] = [];
      for (let round = 0; round < 5; round++) {
        const query = Object.fromEntries([...params].map((p) => [p, 'valeur']));
        const { result, query: read } = await record(async () => {
          const res = await b.request(withQuery(path, query));
          return { status: res.status, html: await res.text() };
        });
        if (result.status >= 500) failures.push(`${key} (discovery): ${result.status}`);
        if (round === 0) formsOf(result.html, forms);
        fresh = read.filter((p) => !params.has(p));
        if (fresh.length === 0) break;
        for (const p of fresh) params.add(p);
      }
      if (fresh.length) failures.push(`${key}: still reads parameters not sent: ${fresh.join(', ')}`);
      const send = async (query: Record<string, string>, what: string) => {
        pairs++;
        const res = await b.request(withQuery(path, query));
        await res.arrayBuffer();
        if (res.status >= 500) failures.push(`${key} ${what}: ${res.status}`);
      };
      for (const p of params) for (const v of VARIANTS) await send({ [p]: v }, `${p}=${v}`);
      for (const v of ALL_AT_ONCE)
        await send(Object.fromEntries([...params, 'inconnu'].map((p) => [p, v])), `all=${v}`);
    }
    ctx.diagnostic(`GET: ${keys.length} routes, ${pairs} (route, input) pairs sent`);
    assert.deepEqual(failures, []);
  });

  it('POST: NUL, control characters and broken UTF-8 in every field, and a broken multipart body', async (ctx) => {
    const failures: string[] = [];
    const keys = routeKeys(app)
      .filter((k) => k.startsWith('POST '))
      .sort((a, b) => Number(a === 'POST /compte/supprimer') - Number(b === 'POST /compte/supprimer'));
    let postPairs = 0;
    for (const key of keys) {
      const role = roleFor(key);
      const path = samplePath(key, samples);
      const post = async (
        body: string | FormData,
        what: string,
        headers: Record<string, string> = {},
      ): Promise<{ status: number; html: string; read: string[] }> => {
        // A fresh session each time: a route may end it, or change who belongs to what.
        const b = await browserFor(role);
        const csrf = await b.csrf(role === 'anonymous' ? '/connexion' : '/compte');
        const { result, form } = await record(async () => {
          const res = await app.request(path, {
            method: 'POST',
            headers: {
              Cookie: [...b.jar].map(([k, v]) => `${k}=${v}`).join('; '),
              'X-CSRF-Token': csrf,
              ...(typeof body === 'string' ? { 'Content-Type': 'application/x-www-form-urlencoded' } : {}),
              ...headers,
            },
            body,
          });
          return { status: res.status, html: await res.text() };
        });
        await restoreDemoMemberships(t.db);
        postPairs++;
        if (result.status >= 500) failures.push(`${key} ${what}: ${result.status}`);
        return { ...result, read: form };
      };
      const fields = new Set(forms.get(path) ?? []);
      let fresh: string[] = [];
      for (let round = 0; round < 5; round++) {
        const body = [...fields].map((f) => `${enc(f)}=valeur`).join('&');
        const { read } = await post(body, '(discovery)');
        fresh = read.filter((f) => !fields.has(f) && f !== '_csrf');
        if (fresh.length === 0) break;
        for (const f of fresh) fields.add(f);
      }
      if (fresh.length) failures.push(`${key}: still reads fields not sent: ${fresh.join(', ')}`);
      for (const f of fields) await post(`${enc(f)}=a%00b`, `${f}=a%00b`);
      for (const v of VARIANTS)
        await post([...fields, 'inconnu'].map((f) => `${enc(f)}=${v}`).join('&'), `all=${v}`);
      const multipart = new FormData();
      for (const f of [...fields, 'inconnu']) multipart.append(f, 'a\u0000b\ud800c');
      await post(multipart, 'multipart with NUL');
      const broken = await post('--xyz\r\nbroken', 'broken multipart', {
        'Content-Type': 'multipart/form-data; boundary=xyz',
      });
      if (broken.status !== 400 || !broken.html.includes(UNREADABLE_FORM.replace(/'/g, '&#39;')))
        failures.push(`${key} broken multipart: ${broken.status}, not the French 400 page`);
    }
    ctx.diagnostic(`POST: ${keys.length} routes, ${postPairs} (route, input) pairs sent`);
    assert.deepEqual(failures, []);
  });
});
