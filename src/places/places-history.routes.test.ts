import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { testApp } from '../../test/support/app.ts';
import { cookieBrowser } from '../../test/support/cookie-browser.ts';
import { bytes, sampleRow, toCsv } from '../../test/support/fixtures.ts';
import { closeTestTemplate, createDemoTestDb } from '../../test/support/test-db.ts';
import { importPlacesFile } from './places-import.service.ts';

/** Tests act as the command line, which may do everything the directory allows. */
const SYSTEM = { kind: 'system' } as const;

after(closeTestTemplate);

describe('import reports and data quality over HTTP (coordinators only)', () => {
  it('serves the report as JSON and CSV, and the quality page with accessible tables; names stay inert text', async () => {
    const t = await createDemoTestDb();
    try {
      const report = await importPlacesFile(
        t.db,
        SYSTEM,
        bytes(
          toCsv([
            sampleRow({ nom: '<script>alert(1)</script> Lieu', horaires: '', date_maj: '2020-01-01' }),
            sampleRow({ nom: '' }),
          ]),
        ),
        { fileName: 'essai.csv' },
      );
      const app = testApp(t.db);
      const b = cookieBrowser(app);
      await b.signIn('coordination.demo@example.org');
      const json = await b.request(`/imports/${report.importId}/rapport.json`);
      assert.equal(json.status, 200);
      assert.equal(json.headers.get('Cache-Control'), 'no-store');
      assert.match(json.headers.get('content-disposition') ?? '', /attachment; filename="rapport-import-/);
      const body = (await json.json()) as { counts: Record<string, number>; errors: unknown[] };
      assert.equal(body.counts.rejected, 1);
      assert.equal(body.errors.length, 1);
      const csv = await b.request(`/imports/${report.importId}/rapport.csv`);
      assert.equal(csv.status, 200);
      assert.match(csv.headers.get('content-type') ?? '', /text\/csv/);
      const csvBytes = new Uint8Array(await csv.arrayBuffer());
      assert.deepEqual([...csvBytes.subarray(0, 3)], [0xef, 0xbb, 0xbf], 'a BOM for French Excel');
      assert.match(new TextDecoder().decode(csvBytes), /^type;ligne;id;champ;valeur;message\r\nrefus;3;/);
      assert.equal(
        (await b.request('/imports/00000000-0000-0000-0000-000000000000/rapport.json')).status,
        404,
      );

      const page = await b.request('/qualite');
      assert.equal(page.status, 200);
      const html = await page.text();
      assert.match(html, /<caption>Lieux sans horaires<\/caption>/);
      assert.match(html, /<th scope="col">Structure<\/th>/);
      assert.match(html, /<caption>Lieux mis à jour avant le .* ou sans date, par structure<\/caption>/);
      assert.match(
        html,
        /&lt;script&gt;alert\(1\)&lt;\/script&gt; Lieu<\/a><\/th><td>Orléans<\/td><td>1 janvier 2020<\/td>/,
      );
      assert.ok(!html.includes('<script>alert(1)</script>'));
    } finally {
      await t.close();
    }
  });

  it('sends anonymous visitors to sign in and refuses members of structures and funders (403)', async () => {
    const t = await createDemoTestDb();
    try {
      const app = testApp(t.db);
      const importId = (await t.db.selectFrom('place_import').select('id').executeTakeFirstOrThrow()).id;
      const paths = ['/qualite', `/imports/${importId}/rapport.json`, `/imports/${importId}/rapport.csv`];
      for (const path of paths) {
        const res = await app.request(path);
        assert.equal(res.status, 303, path);
        assert.equal(res.headers.get('Location'), '/connexion');
      }
      for (const email of ['admin.demo@example.org', 'financeur.demo@example.org']) {
        const b = cookieBrowser(app);
        await b.signIn(email);
        for (const path of paths) {
          const res = await b.request(path);
          assert.equal(res.status, 403, `${email} ${path}`);
          assert.doesNotMatch(await res.text(), /rapport|Lieux sans horaires/);
        }
      }
    } finally {
      await t.close();
    }
  });
});
