import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { gunzipSync } from 'node:zlib';
import { testApp } from '../../test/support/app.ts';
import { bytes, sampleRow, toCsv } from '../../test/support/fixtures.ts';
import { closeTestTemplate, createDemoTestDb, createTestDb } from '../../test/support/test-db.ts';
import { countAllPlaces, listPlacesPage } from './places.service.ts';
import { importPlacesFile } from './places-import.service.ts';

/** Tests act as the command line, which may do everything the directory allows. */
const SYSTEM = { kind: 'system' } as const;

after(closeTestTemplate);

describe('directory pages and export over HTTP', () => {
  it('answers /healthz, lists the demonstration places with a banner, and shows a place with its check date', async () => {
    const t = await createDemoTestDb();
    try {
      assert.ok((await countAllPlaces(t.db, { kind: 'system' })) >= 60);
      const app = testApp(t.db);
      const health = await app.request('/healthz');
      assert.equal(health.status, 200);
      assert.deepEqual(await health.json(), { status: 'ok' });

      const list = await app.request('/lieux');
      assert.equal(list.status, 200);
      const html = await list.text();
      assert.ok(html.startsWith('<!doctype html>'));
      assert.match(html, /<html lang="fr">/);
      assert.match(html, /Démonstration/);
      assert.match(html, /Page 1 sur \d/);
      // A place's kind in the singular and the words people use, as on its page; everyday words in FALC.
      assert.match(html, /<p class="meta">Médiathèque<\/p>/);
      assert.doesNotMatch(html, /Bibliothèque \/ Médiathèque|Centres? communa/);
      const falc = await (await app.request('/lieux', { headers: { Cookie: 'prefs=falc' } })).text();
      assert.match(falc, /<p class="meta">Service qui vient avec des ordinateurs<\/p>/);
      assert.doesNotMatch(falc, /<p class="meta">Médiathèque<\/p>/);
      const id = /href="\/lieux\/([0-9a-f-]{36})"/.exec(html)?.[1];
      assert.ok(id);

      const page = await app.request(`/lieux/${id}`);
      assert.equal(page.status, 200);
      const detail = await page.text();
      assert.match(detail, /Informations vérifiées le \d{1,2} [a-zéû]+ 20\d\d/);
      assert.match(detail, /<h2>Horaires<\/h2>/);
      assert.match(detail, /Appelez le réseau/);
    } finally {
      await t.close();
    }
  });

  it('answers 404 in French for an unknown place, a malformed id and an unknown page', async () => {
    const t = await createTestDb();
    try {
      const app = testApp(t.db);
      for (const path of ['/lieux/00000000-0000-0000-0000-000000000000', '/lieux/abc', '/nulle-part']) {
        const res = await app.request(path);
        assert.equal(res.status, 404, path);
        assert.match(await res.text(), /n&#39;existe pas/);
      }
      const api = await app.request('/api/v1/nulle-part');
      assert.equal(api.status, 404);
      assert.equal(((await api.json()) as { error: { code: string } }).error.code, 'not_found');
    } finally {
      await t.close();
    }
  });

  it('shows names with HTML as inert text', async () => {
    const t = await createTestDb();
    try {
      await importPlacesFile(
        t.db,
        SYSTEM,
        bytes(toCsv([sampleRow({ nom: '<script>alert(1)</script> Espace' })])),
        {
          fileName: 'x.csv',
        },
      );
      const { places } = await listPlacesPage(t.db, SYSTEM, { limit: 1, offset: 0 });
      const app = testApp(t.db);
      for (const path of ['/lieux', `/lieux/${places[0]?.id}`]) {
        const html = await (await app.request(path)).text();
        assert.ok(!html.includes('<script>alert(1)</script>'), path);
        assert.ok(html.includes('&lt;script&gt;alert(1)&lt;/script&gt; Espace'), path);
      }
    } finally {
      await t.close();
    }
  });

  it('exports the directory in the national schema, by territory, and refuses bad parameters with a 400', async () => {
    const t = await createTestDb();
    try {
      await importPlacesFile(
        t.db,
        SYSTEM,
        bytes(
          toCsv([
            sampleRow(),
            sampleRow({
              commune: 'Lyon',
              code_postal: '69001',
              code_insee: '69123',
              latitude: '45.76',
              longitude: '4.83',
            }),
          ]),
        ),
        { fileName: 'x.csv' },
      );
      const app = testApp(t.db);
      const csv = await app.request('/api/v1/lieux/export?format=csv');
      assert.equal(csv.status, 200);
      assert.match(csv.headers.get('content-type') ?? '', /text\/csv/);
      assert.equal(csv.headers.get('access-control-allow-origin'), '*');
      const text = await csv.text();
      assert.ok(text.startsWith('id,pivot,nom,commune,code_postal,code_insee,adresse,'));
      // The site publishes its territory (Orléans Métropole by default), not Lyon (docs/decisions/0025)…
      assert.equal(text.trim().split('\n').length, 2);
      assert.ok(!text.includes('Lyon'));
      // …and the whole directory with TERRITORY=fr.
      const whole = await (await testApp(t.db, { TERRITORY: 'fr' }).request('/api/v1/lieux/export')).text();
      assert.equal(whole.trim().split('\n').length, 3);

      const local = await (
        await app.request('/api/v1/lieux/export?format=json&territory=epci:244500468')
      ).json();
      assert.equal((local as unknown[]).length, 1);

      for (const query of ['format=xml', 'territory=pays:xx', 'territory=dep:999']) {
        const res = await app.request(`/api/v1/lieux/export?${query}`);
        assert.equal(res.status, 400, query);
        const body = (await res.json()) as { error: { code: string; message: string } };
        assert.equal(body.error.code, 'invalid_input');
        assert.ok(body.error.message.length > 10);
      }
      const unknownDep = await app.request('/api/v1/lieux/export?territory=dep:98');
      assert.equal(unknownDep.status, 404);
    } finally {
      await t.close();
    }
  });

  it('sends security headers, compresses pages and serves fingerprinted styles cached long', async () => {
    const t = await createDemoTestDb();
    try {
      const app = testApp(t.db);
      const res = await app.request('/lieux', { headers: { 'Accept-Encoding': 'gzip' } });
      assert.equal(res.headers.get('content-encoding'), 'gzip');
      assert.match(res.headers.get('content-security-policy') ?? '', /script-src 'self'/);
      assert.match(res.headers.get('content-security-policy') ?? '', /frame-ancestors 'none'/);
      assert.equal(res.headers.get('x-content-type-options'), 'nosniff');
      const html = gunzipSync(Buffer.from(await res.arrayBuffer())).toString('utf8');
      const css = /href="(\/static\/style\.[0-9a-f]{12}\.css)"/.exec(html)?.[1];
      assert.ok(css);
      const style = await app.request(css);
      assert.equal(style.status, 200);
      assert.match(style.headers.get('cache-control') ?? '', /immutable/);
      const br = await app.request('/lieux', { headers: { 'Accept-Encoding': 'br, gzip' } });
      assert.equal(br.headers.get('content-encoding'), 'br');
    } finally {
      await t.close();
    }
  });
});
