import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { testApp } from '../../test/support/app.ts';
import { type CookieBrowser, cookieBrowser } from '../../test/support/cookie-browser.ts';
import { validateJson } from '../../test/support/json-schema-lite.ts';
import { closeTestTemplate, createDemoTestDb, type TestDb } from '../../test/support/test-db.ts';
import type { Actor } from '../accounts/policy.ts';
import { addDays, localToday } from '../places/place-dates.ts';
import { isDomainError } from '../shared/domain-error.ts';
import {
  type ActivityAggregates,
  createApiToken,
  listApiTokens,
  revokeApiToken,
} from './api-tokens.service.ts';

/**
 * API tokens and `GET /api/v1/activites` over real HTTP (decision 0040), on the demonstration data: a
 * year of records of demo structures 0, 1 and a third one.
 */

let t: TestDb;
let app: ReturnType<typeof testApp>;
let admin: CookieBrowser;
const ids = { s0: '', s1: '', adminId: '', staffId: '', otherId: '', coordinatorId: '', funderId: '' };
const today = localToday(new Date());

before(async () => {
  t = await createDemoTestDb();
  app = testApp(t.db);
  const person = async (email: string) =>
    t.db
      .selectFrom('person')
      .leftJoin('membership', 'membership.person_id', 'person.id')
      .select(['person.id', 'membership.structure_id'])
      .where('email', '=', email)
      .executeTakeFirstOrThrow();
  const a = await person('admin.demo@example.org');
  const o = await person('autre-structure.demo@example.org');
  ids.s0 = a.structure_id as string;
  ids.s1 = o.structure_id as string;
  ids.adminId = a.id;
  ids.otherId = o.id;
  ids.staffId = (await person('mediation.demo@example.org')).id;
  ids.coordinatorId = (await person('coordination.demo@example.org')).id;
  ids.funderId = (await person('financeur.demo@example.org')).id;
  admin = cookieBrowser(app);
  await admin.signIn('admin.demo@example.org');
});
after(async () => {
  await t.close();
  await closeTestTemplate();
});

const adminOf = (structureId: string): Actor => ({
  kind: 'person',
  personId: ids.adminId,
  networkRole: null,
  memberships: [{ structureId, role: 'structure_admin' }],
});

async function tokenFor(structureId: string, name = 'Outil', opts: { now?: Date; expiresOn?: string } = {}) {
  const now = opts.now ?? new Date();
  const created = await createApiToken(
    t.db,
    adminOf(structureId),
    { structureId, values: { name, expiresOn: opts.expiresOn ?? addDays(localToday(now), 30) } },
    { now },
  );
  assert.ok(created.ok, JSON.stringify(created));
  return created;
}

const api = (path: string, headers: Record<string, string> = {}) =>
  app.request(`/api/v1/activites${path}`, { headers });
const bearer = (secret: string) => ({ Authorization: `Bearer ${secret}` });

async function openapi() {
  return (await (await app.request('/api/v1/openapi.json')).json()) as Record<string, unknown> & {
    paths: Record<string, unknown>;
  };
}

/** A page's text with the apostrophes the renderer escapes. */
const text = (html: string) => html.replaceAll('&#39;', "'");

const count = async (table: 'activity' | 'audit_log', where?: [string, string]) => {
  let q = t.db.selectFrom(table).select((eb) => eb.fn.countAll<string>().as('n'));
  if (where) q = q.where(where[0] as never, '=', where[1] as never);
  return Number((await q.executeTakeFirstOrThrow()).n);
};

describe('the tokens page of a structure', () => {
  it('lets its administrator create a token, shows the secret once, lists it without the secret and revokes it', async () => {
    const page = await admin.page(`/structures/${ids.s0}/jetons`);
    assert.equal(page.res.status, 200);
    assert.match(text(page.html), /Jetons d'API/);
    assert.match(page.html, /Créer un jeton/);
    const audits = await count('audit_log');
    const res = await admin.post(`/structures/${ids.s0}/jetons`, `/structures/${ids.s0}/jetons`, {
      name: 'Tableau de bord',
      expiresOn: addDays(today, 60),
    });
    assert.equal(res.status, 201);
    const html = await res.text();
    const secret = /value="(mlg_[A-Za-z0-9_-]{43})"/.exec(html)?.[1];
    assert.ok(secret, 'the secret is shown');
    assert.match(html, /il ne sera plus jamais affiché/);
    assert.equal(await count('audit_log'), audits + 1, 'the creation is audited');
    const list = await admin.page(`/structures/${ids.s0}/jetons`);
    assert.ok(!list.html.includes(secret), 'never shown again');
    assert.ok(list.html.includes(secret.slice(0, 12)), 'its prefix is listed');
    assert.match(list.html, /Tableau de bord/);
    assert.match(list.html, /Jamais/);
    const stored = await t.db
      .selectFrom('api_token')
      .selectAll()
      .where('name', '=', 'Tableau de bord')
      .executeTakeFirstOrThrow();
    assert.notEqual(stored.secret_hash, secret);
    assert.match(stored.secret_hash, /^[0-9a-f]{64}$/);

    assert.equal((await api('', bearer(secret))).status, 200);
    const used = await admin.page(`/structures/${ids.s0}/jetons`);
    assert.doesNotMatch(used.html, /<td>Jamais<\/td>/, 'its last use is shown');

    const revoke = await admin.post(
      `/structures/${ids.s0}/jetons`,
      `/structures/${ids.s0}/jetons/${stored.id}/revoquer`,
      {},
    );
    assert.equal(revoke.status, 303);
    assert.match(revoke.headers.get('Location') ?? '', /fait=revoque/);
    const after = await admin.page(`/structures/${ids.s0}/jetons?fait=revoque`);
    assert.match(after.html, /Révoqué/);
    const refused = await api('', bearer(secret));
    assert.equal(refused.status, 401);
    assert.match(((await refused.json()) as { error: { message: string } }).error.message, /révoqué/);
    // A job still polling with the revoked token: refused every time, written once a minute.
    for (let i = 0; i < 3; i++) assert.equal((await api('', bearer(secret))).status, 401);
    const actions = await t.db
      .selectFrom('audit_log')
      .select('action')
      .where('action', 'like', 'api_token.%')
      .orderBy('id')
      .execute();
    assert.deepEqual(
      actions.map((a) => a.action).slice(-4),
      ['api_token.created', 'api_token.used', 'api_token.revoked', 'api_token.used'],
      'creation, use, revocation and the refused use are audited',
    );
  });

  it('refuses bad input with French messages naming the field, and writes nothing', async () => {
    const before = await t.db.selectFrom('api_token').select('id').execute();
    const cases: [Record<string, string>, string, RegExp][] = [
      [{ name: '', expiresOn: addDays(today, 10) }, 'name', /Nom du jeton : écrivez un nom/],
      [{ name: '   ', expiresOn: addDays(today, 10) }, 'name', /Nom du jeton/],
      [{ name: 'x'.repeat(101), expiresOn: addDays(today, 10) }, 'name', /100 caractères au plus/],
      [{ name: 'Passé', expiresOn: addDays(today, -1) }, 'expiresOn', /après aujourd'hui/],
      [{ name: 'Aujourd’hui', expiresOn: today }, 'expiresOn', /après aujourd'hui/],
      [{ name: 'Trop loin', expiresOn: addDays(today, 400) }, 'expiresOn', /au plus un an/],
      [{ name: 'Pas une date', expiresOn: '31/02/2027' }, 'expiresOn', /n'est pas une date/],
      [{ name: 'Vide', expiresOn: '' }, 'expiresOn', /choisissez une date/],
    ];
    for (const [form, field, message] of cases) {
      const res = await admin.post(`/structures/${ids.s0}/jetons`, `/structures/${ids.s0}/jetons`, form);
      assert.equal(res.status, 422, JSON.stringify(form).slice(0, 60));
      const html = text(await res.text());
      assert.match(html, message);
      assert.match(html, new RegExp(`href="#${field}"`));
      assert.match(html, new RegExp(`id="${field}-erreur"`));
    }
    assert.equal((await t.db.selectFrom('api_token').select('id').execute()).length, before.length);
    // A year ahead exactly is accepted.
    const res = await admin.post(`/structures/${ids.s0}/jetons`, `/structures/${ids.s0}/jetons`, {
      name: 'Un an',
      expiresOn: addDays(today, 365),
    });
    assert.equal(res.status, 201);
  });

  it('creates one token when the form is sent twice (a reloaded page), and frees the name once it is revoked', async () => {
    const form = { name: 'Export mensuel', expiresOn: addDays(today, 30) };
    const first = await admin.post(`/structures/${ids.s0}/jetons`, `/structures/${ids.s0}/jetons`, form);
    assert.equal(first.status, 201);
    const again = await admin.post(`/structures/${ids.s0}/jetons`, `/structures/${ids.s0}/jetons`, {
      ...form,
      name: 'export MENSUEL',
    });
    assert.equal(again.status, 422);
    const html = text(await again.text());
    assert.match(html, /un jeton en service s'appelle déjà « export MENSUEL »/);
    assert.doesNotMatch(html, /mlg_[A-Za-z0-9_-]{43}/, 'no secret on the refusal');
    const named = () =>
      t.db
        .selectFrom('api_token')
        .select(['id', 'revoked_at'])
        .where('name', 'ilike', 'export mensuel')
        .execute();
    const rows = await named();
    assert.equal(rows.length, 1);
    const revoke = await admin.post(
      `/structures/${ids.s0}/jetons`,
      `/structures/${ids.s0}/jetons/${rows[0]?.id}/revoquer`,
      {},
    );
    assert.equal(revoke.status, 303);
    const reused = await admin.post(`/structures/${ids.s0}/jetons`, `/structures/${ids.s0}/jetons`, form);
    assert.equal(reused.status, 201, 'a revoked token leaves its name free');
    assert.equal((await named()).length, 2);
  });

  it('is its administrators’ alone: not its staff, a coordinator, a funder, another structure', async () => {
    for (const email of [
      'mediation.demo@example.org',
      'coordination.demo@example.org',
      'financeur.demo@example.org',
      'autre-structure.demo@example.org',
    ]) {
      const b = cookieBrowser(app);
      await b.signIn(email);
      const res = await b.request(`/structures/${ids.s0}/jetons`);
      assert.equal(res.status, 403, email);
    }
    const anonymous = await app.request(`/structures/${ids.s0}/jetons`);
    assert.equal(anonymous.status, 303);
    assert.equal(anonymous.headers.get('Location'), '/connexion');
    // Revoking another structure's token through one's own structure: refused as unknown.
    const other = await tokenFor(ids.s1, 'Autre');
    await assert.rejects(
      revokeApiToken(t.db, adminOf(ids.s0), { structureId: ids.s0, tokenId: other.tokenId }),
      (e) => isDomainError(e) && e.code === 'not_found',
    );
    const res = await admin.post(
      `/structures/${ids.s0}/jetons`,
      `/structures/${ids.s0}/jetons/${other.tokenId}/revoquer`,
      {},
    );
    assert.equal(res.status, 404);
    const staff: Actor = {
      kind: 'person',
      personId: ids.staffId,
      networkRole: null,
      memberships: [{ structureId: ids.s0, role: 'staff' }],
    };
    const coordinator: Actor = {
      kind: 'person',
      personId: ids.coordinatorId,
      networkRole: 'coordinator',
      memberships: [],
    };
    for (const actor of [staff, coordinator])
      await assert.rejects(
        listApiTokens(t.db, actor, { structureId: ids.s0 }),
        (e) => isDomainError(e) && e.code === 'forbidden',
      );
  });
});

describe('GET /api/v1/activites with a token', () => {
  it('serves its structure’s records only, in the Coop’s shape as documented, by pages', async () => {
    const doc = await openapi();
    assert.ok(doc.paths['/activites'], 'the path is documented');
    const { secret } = await tokenFor(ids.s0, 'Pages');
    const expected = await count('activity', ['structure_id', ids.s0]);
    assert.ok(expected > 300, `${expected} demo records of structure 0`);
    const seen = new Set<string>();
    let href: string | undefined = '/api/v1/activites?page[size]=200';
    let pages = 0;
    let lastDate = '9999-12-31';
    while (href) {
      const res = await app.request(href, { headers: bearer(secret) });
      assert.equal(res.status, 200);
      assert.equal(res.headers.get('Access-Control-Allow-Origin'), null, 'no CORS');
      assert.equal(res.headers.get('Cache-Control'), 'no-store');
      const body = (await res.json()) as {
        data: {
          id: string;
          attributes: Record<string, unknown> & {
            date: string;
            beneficiaires: { total: number; genres: Record<string, number> };
          };
        }[];
        links: { next?: { href: string } };
        meta: { total_count: number; has_prev_page: boolean };
      };
      assert.deepEqual(validateJson(doc, { $ref: '#/components/schemas/ActiviteList' }, body), []);
      assert.equal(body.meta.total_count, expected);
      assert.equal(body.meta.has_prev_page, pages > 0);
      for (const r of body.data) {
        assert.ok(!seen.has(r.id), 'no record twice');
        seen.add(r.id);
        assert.ok(r.attributes.date <= lastDate, 'latest day first');
        lastDate = r.attributes.date;
        const b = r.attributes.beneficiaires;
        assert.equal(
          Object.values(b.genres).reduce((n, v) => n + v, 0),
          b.total,
          'counts add up',
        );
      }
      href = body.links.next?.href;
      pages++;
    }
    assert.equal(seen.size, expected, 'every record of the structure, once');
    assert.ok(pages >= 2);
    const mine = await t.db.selectFrom('activity').select('id').where('structure_id', '=', ids.s0).execute();
    assert.deepEqual(new Set(mine.map((r) => r.id)), seen, 'only its structure’s records');
  });

  it('filters by day, and a token of another structure reaches that structure’s records only', async () => {
    const { secret } = await tokenFor(ids.s1, 'Filtre');
    const from = addDays(today, -60);
    const to = addDays(today, -30);
    const res = await api(`?du=${from}&au=${to}&page[size]=500`, bearer(secret));
    assert.equal(res.status, 200);
    const body = (await res.json()) as { data: { id: string; attributes: { date: string } }[] };
    assert.ok(body.data.length > 0);
    for (const r of body.data) assert.ok(r.attributes.date >= from && r.attributes.date <= to);
    const rows = await t.db
      .selectFrom('activity')
      .select(['id', 'structure_id'])
      .where(
        'id',
        'in',
        body.data.map((r) => r.id),
      )
      .execute();
    assert.ok(rows.every((r) => r.structure_id === ids.s1));
  });

  it('refuses a missing, malformed, unknown, revoked or expired token with 401 and WWW-Authenticate', async () => {
    const doc = await openapi();
    const revoked = await tokenFor(ids.s0, 'Révoqué');
    await revokeApiToken(t.db, adminOf(ids.s0), { structureId: ids.s0, tokenId: revoked.tokenId });
    const past = new Date(Date.now() - 100 * 86_400_000);
    const expired = await tokenFor(ids.s0, 'Expiré', { now: past, expiresOn: addDays(localToday(past), 10) });
    const headers: [string, RegExp][] = [
      ['', /Authorization/],
      ['Basic dXNlcjpwYXNz', /Authorization/],
      ['Bearer', /Authorization/],
      ['Bearer mlg_trop-court', /forme/],
      ['Bearer  abc def', /Authorization/],
      [`Bearer mlg_${'A'.repeat(43)}`, /n'existe pas/],
      [`Bearer ${revoked.secret}`, /révoqué/],
      [`Bearer ${expired.secret}`, /expiré/],
      [`bearer ${'é'.repeat(10)}`, /forme/],
    ];
    for (const [value, message] of headers) {
      const res = await api('', { Authorization: value });
      assert.equal(res.status, 401, value);
      assert.match(res.headers.get('WWW-Authenticate') ?? '', /^Bearer realm="maillage"/);
      const body = (await res.json()) as { error: { code: string; message: string } };
      assert.deepEqual(validateJson(doc, { $ref: '#/components/schemas/Error' }, body), []);
      assert.match(body.error.message, message, value);
    }
  });

  it('answers malformed queries with a French 400 naming the parameter, never a 500', async () => {
    const { secret } = await tokenFor(ids.s0, 'Requêtes');
    for (const query of [
      'du=2026-13-01',
      'du=hier',
      'au=2026-02-30',
      'du=2026-05-01&au=2026-04-01',
      'page[size]=0',
      'page[size]=501',
      'page[size]=-3',
      'page[size]=abc',
      'page[after]=%%%',
      'page[after]=bm9wZQ',
      `page[after]=${'A'.repeat(500)}`,
      'inconnu=1',
      'filter[creation][depuis]=2026-01-01',
    ]) {
      for (const headers of [bearer(secret), {}]) {
        const res = await api(`?${query}`, headers);
        assert.equal(res.status, 400, query);
        const body = (await res.json()) as { error: { code: string; message: string } };
        assert.equal(body.error.code, 'invalid_input');
        assert.match(body.error.message, /du|au|page|Paramètre|adresse/);
      }
    }
  });

  it('sets no CORS header and accepts no preflight', async () => {
    const { secret } = await tokenFor(ids.s0, 'CORS');
    const res = await api('', { ...bearer(secret), Origin: 'https://ailleurs.example' });
    assert.equal(res.status, 200);
    assert.equal(res.headers.get('Access-Control-Allow-Origin'), null);
    const anonymous = await api('', { Origin: 'https://ailleurs.example' });
    assert.equal(anonymous.headers.get('Access-Control-Allow-Origin'), null);
    const preflight = await app.request('/api/v1/activites', {
      method: 'OPTIONS',
      headers: {
        Origin: 'https://ailleurs.example',
        'Access-Control-Request-Method': 'GET',
        'Access-Control-Request-Headers': 'authorization',
      },
    });
    assert.ok(preflight.status >= 400, `preflight: ${preflight.status}`);
    assert.equal(preflight.headers.get('Access-Control-Allow-Origin'), null);
    assert.equal(preflight.headers.get('Access-Control-Allow-Headers'), null);
  });
});

describe('GET /api/v1/activites without a token', () => {
  it('gives network-wide figures only, as documented, small counts hidden', async () => {
    const doc = await openapi();
    const res = await api('');
    assert.equal(res.status, 200);
    const text = await res.text();
    // The response's type is the service's: the OpenAPI schema below is what checks its shape.
    const body = JSON.parse(text) as ActivityAggregates;
    assert.deepEqual(validateJson(doc, { $ref: '#/components/schemas/StatistiquesActivites' }, body), []);
    const all = await count('activity');
    assert.ok(
      (body.data.attributes.activites.total ?? 0) > 0 && (body.data.attributes.activites.total ?? 0) <= all,
    );
    assert.ok(body.data.attributes.par_mois.length >= 11);
    for (const th of body.data.attributes.thematiques)
      assert.ok(th.activites === null || th.activites >= 5, th.thematique);
    // No record, no structure, no person: no identifier at all.
    assert.doesNotMatch(text, /[0-9a-f]{8}-[0-9a-f]{4}-/);
    for (const id of [ids.s0, ids.s1]) assert.ok(!text.includes(id));
    // Twelve complete months, fixed: no day, no range to subtract from another.
    const attributes = body.data.attributes;
    assert.equal(attributes.du.slice(8), '01');
    assert.ok(attributes.au < new Date().toISOString().slice(0, 7), 'the current month is left out');
    for (const query of ['?du=2026-01-01', '?au=2026-11-30', '?page[after]=x'])
      assert.equal((await api(query)).status, 400, query);
    // Every total adds up the monthly figures shown, never a hidden one; a month's beneficiaries are
    // hidden as soon as one of its kinds is.
    const months = attributes.par_mois;
    const add = (pick: (m: (typeof months)[number]) => number | null) =>
      months.reduce((n, m) => n + (pick(m) ?? 0), 0);
    assert.equal(
      attributes.activites.individuel,
      add((m) => m.individuel),
    );
    assert.equal(
      attributes.activites.collectif,
      add((m) => m.collectif),
    );
    assert.equal(
      attributes.beneficiaires.total,
      add((m) => m.beneficiaires),
    );
    for (const m of months)
      if (m.individuel === null || m.collectif === null) assert.equal(m.beneficiaires, null);
    // One month whose workshops are too few: its workshops and beneficiaries hidden, and the totals
    // do not give them back.
    const month = months.find((m) => (m.collectif ?? 0) > 2 && m.individuel !== null);
    assert.ok(month, 'a month with workshops');
    const [y, mo] = month.mois.split('-').map(Number) as [number, number];
    const nextMonth = mo === 12 ? `${y + 1}-01-01` : `${y}-${String(mo + 1).padStart(2, '0')}-01`;
    const workshops = await t.db
      .selectFrom('activity')
      .select('id')
      .where('kind', '=', 'collectif')
      .where('date', '>=', `${month.mois}-01`)
      .where('date', '<', nextMonth)
      .execute();
    await t.db
      .deleteFrom('activity')
      .where(
        'id',
        'in',
        workshops.slice(2).map((w) => w.id),
      )
      .execute();
    const thin = ((await (await api('')).json()) as typeof body).data.attributes;
    const thinMonth = thin.par_mois.find((m) => m.mois === month.mois);
    assert.equal(thinMonth?.collectif, null);
    assert.equal(thinMonth?.beneficiaires, null);
    assert.equal(thin.activites.collectif, (attributes.activites.collectif ?? 0) - (month.collectif ?? 0));
    // The workshops' beneficiaries are those of the other months' workshops, read from the database.
    const others = await t.db
      .selectFrom('activity')
      .innerJoin('activity_participants', 'activity_participants.activity_id', 'activity.id')
      .select((eb) => eb.fn.sum<string>('activity_participants.total').as('n'))
      .where('activity.kind', '=', 'collectif')
      .where('activity.date', '>=', thin.du)
      .where('activity.date', '<=', thin.au)
      .where((eb) =>
        eb.or([eb('activity.date', '<', `${month.mois}-01`), eb('activity.date', '>=', nextMonth)]),
      )
      .executeTakeFirstOrThrow();
    assert.equal(thin.beneficiaires.collectif, Number(others.n));
    assert.equal(thin.beneficiaires.total, (thin.beneficiaires.individuel ?? 0) + Number(others.n));
    // A signed-in funder or coordinator gets the same figures, never a record.
    for (const email of ['financeur.demo@example.org', 'coordination.demo@example.org']) {
      const b = cookieBrowser(app);
      await b.signIn(email);
      const seen = await b.request('/api/v1/activites');
      assert.equal(seen.status, 200);
      const json = (await seen.json()) as Record<string, unknown>;
      assert.equal(Array.isArray(json.data), false, `${email} sees no record`);
    }
  });
});

describe('the API’s limits', () => {
  it('answers 429 with Retry-After past 30 requests a minute from one address without a token, 60 for a token', async () => {
    const from = { incoming: { socket: { remoteAddress: '203.0.113.77' } } };
    const statuses: number[] = [];
    for (let i = 0; i < 31; i++) statuses.push((await app.request('/api/v1/activites', {}, from)).status);
    assert.deepEqual(statuses.slice(0, 30), Array(30).fill(200));
    assert.equal(statuses[30], 429);
    const limited = await app.request('/api/v1/activites', {}, from);
    assert.equal(limited.headers.get('Retry-After'), '60');
    const { secret, tokenId } = await tokenFor(ids.s0, 'Limite');
    const seen: number[] = [];
    for (let i = 0; i < 61; i++) seen.push((await api('?page[size]=1', bearer(secret))).status);
    assert.deepEqual(seen.slice(0, 60), Array(60).fill(200));
    assert.equal(seen[60], 429);
    const refused = await t.db
      .selectFrom('audit_log')
      .select('details')
      .where('action', '=', 'api_token.used')
      .where('subject_id', '=', ids.s0)
      .orderBy('id', 'desc')
      .limit(1)
      .executeTakeFirstOrThrow();
    const details = (
      typeof refused.details === 'string' ? JSON.parse(refused.details) : refused.details
    ) as Record<string, unknown>;
    assert.equal(details.tokenId, tokenId);
    assert.equal(details.résultat, 'refusé : trop de requêtes');
  });
});
