import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { testApp } from '../../test/support/app.ts';
import { validateJson } from '../../test/support/json-schema-lite.ts';
import { closeTestTemplate, createDemoTestDb, type TestDb } from '../../test/support/test-db.ts';

// One database with the demonstration data for the file: these tests only read.
let t: TestDb;
let app: ReturnType<typeof testApp>;
before(async () => {
  t = await createDemoTestDb();
  app = testApp(t.db);
});
after(async () => {
  await t.close();
  await closeTestTemplate();
});

type Doc = Record<string, unknown> & {
  paths: Record<
    string,
    Record<
      string,
      { responses: Record<string, { content?: Record<string, { schema: Record<string, unknown> }> }> }
    >
  >;
};

async function openapi(): Promise<Doc> {
  return (await (await app.request('/api/v1/openapi.json')).json()) as Doc;
}

/** Checks a real response against the schema documented for (path, method, status). */
async function checkDocumented(doc: Doc, path: string, res: Response): Promise<unknown> {
  const documented = doc.paths[path]?.get?.responses[String(res.status)];
  assert.ok(documented, `status ${res.status} of GET ${path} is documented`);
  const body = await res.json();
  const schema = documented.content?.['application/json']?.schema;
  assert.ok(schema, `GET ${path} ${res.status} documents a JSON schema`);
  assert.deepEqual(
    validateJson(doc, schema, body),
    [],
    `GET ${path} ${res.status} matches its documentation`,
  );
  return body;
}

describe('the JSON API', () => {
  it('returns places nearest first with distance and open_now, and pages with a cursor, as documented', async () => {
    const doc = await openapi();
    assert.equal(doc.openapi, '3.1.0');
    const first = await app.request('/api/v1/lieux?commune=45234&limit=5');
    assert.equal(first.status, 200);
    const page = (await checkDocumented(doc, '/lieux', first)) as {
      data: { distance_m: number; id: string }[];
      next_cursor: string;
    };
    assert.equal(page.data.length, 5);
    const distances = page.data.map((p) => p.distance_m);
    assert.deepEqual(
      distances,
      [...distances].sort((a, b) => a - b),
      'nearest first',
    );
    assert.ok(page.next_cursor);
    const second = (await (
      await app.request(`/api/v1/lieux?commune=45234&limit=5&cursor=${page.next_cursor}`)
    ).json()) as typeof page;
    assert.ok((second.data[0]?.distance_m ?? 0) >= (distances.at(-1) ?? 0));
    assert.equal(new Set([...page.data, ...second.data].map((p) => p.id)).size, 10, 'no place twice');

    const one = await app.request(`/api/v1/lieux/${page.data[0]?.id}`);
    const item = (await checkDocumented(doc, '/lieux/{id}', one)) as { id: string };
    assert.equal(item.id, page.data[0]?.id);
    const missing = await app.request('/api/v1/lieux/00000000-0000-0000-0000-000000000000');
    assert.equal(missing.status, 404);
    await checkDocumented(doc, '/lieux/{id}', missing);
  });

  it('filters by need, by national service and by filters, by name without a position', async () => {
    const parentalite = (await (
      await app.request(
        '/api/v1/lieux?service=Parentalit%C3%A9%20et%20%C3%A9ducation%20avec%20le%20num%C3%A9rique&limit=100',
      )
    ).json()) as {
      data: { services: string; distance_m: null; nom: string }[];
    };
    assert.ok(parentalite.data.length >= 1);
    for (const p of parentalite.data) assert.match(p.services, /Parentalité/);
    assert.equal(parentalite.data[0]?.distance_m, null);
    const names = parentalite.data.map((p) => p.nom);
    assert.deepEqual(
      names,
      [...names].sort((a, b) => a.localeCompare(b, 'fr', { sensitivity: 'base' })),
    );
    const free = (await (
      await app.request('/api/v1/lieux?besoin=imprimer&gratuit=true&near=47.9029,1.9039&limit=100')
    ).json()) as {
      data: { frais_a_charge: string; services: string }[];
    };
    for (const p of free.data) {
      assert.match(p.frais_a_charge, /Gratuit/);
      assert.match(p.services, /Accès internet et matériel informatique/);
    }
  });

  it('refuses bad parameters with a documented 400 in French, never a 500', async () => {
    const doc = await openapi();
    const bad = [
      'limit=1000000000',
      'limit=0',
      'near=91,2',
      'near=abc',
      'besoin=licorne',
      'inconnu=1',
      'besoin=caf&besoin=ameli',
      'gratuit=peut-etre',
      'public=Martiens',
      `besoin=${'x'.repeat(10_000)}`,
      'cursor=%%%',
      'commune=4523',
    ];
    for (const query of bad) {
      const res = await app.request(`/api/v1/lieux?${query}`);
      assert.equal(res.status, 400, query.slice(0, 40));
      const body = (await checkDocumented(doc, '/lieux', res)) as {
        error: { message: string; details: { issues: unknown[] } };
      };
      assert.ok(body.error.message.length > 5);
      assert.ok(body.error.details.issues.length >= 1);
    }
    const unknownCommune = await app.request('/api/v1/lieux?commune=99999');
    assert.equal(unknownCommune.status, 404);
    await checkDocumented(doc, '/lieux', unknownCommune);
  });

  it('allows any origin to read, and answers 304 to a matching ETag', async () => {
    const res = await app.request('/api/v1/lieux?limit=3');
    assert.equal(res.headers.get('access-control-allow-origin'), '*');
    const etag = res.headers.get('etag');
    assert.ok(etag);
    assert.match(res.headers.get('cache-control') ?? '', /max-age=\d+/);
    const again = await app.request('/api/v1/lieux?limit=3', { headers: { 'If-None-Match': etag } });
    assert.equal(again.status, 304);
    const preflight = await app.request('/api/v1/lieux', { method: 'OPTIONS' });
    assert.equal(preflight.status, 204);
    assert.match(preflight.headers.get('access-control-allow-methods') ?? '', /GET/);
  });
});
