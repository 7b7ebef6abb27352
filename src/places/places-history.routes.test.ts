import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { testApp } from '../../test/support/app.ts';
import { bytes, sampleRow, toCsv } from '../../test/support/fixtures.ts';
import { closeTestTemplate, createTestDb } from '../../test/support/test-db.ts';
import { importPlacesFile } from './places.service.ts';

after(closeTestTemplate);

describe('import reports and data quality over HTTP', () => {
  it('serves the report as JSON and CSV, and the quality page with accessible tables; names stay inert text', async () => {
    const t = await createTestDb();
    try {
      const report = await importPlacesFile(
        t.db,
        bytes(
          toCsv([sampleRow({ nom: '<script>alert(1)</script> Lieu', horaires: '' }), sampleRow({ nom: '' })]),
        ),
        { fileName: 'essai.csv', actor: 'test' },
      );
      const app = testApp(t.db);
      const json = await app.request(`/imports/${report.importId}/rapport.json`);
      assert.equal(json.status, 200);
      const body = (await json.json()) as { counts: Record<string, number>; errors: unknown[] };
      assert.equal(body.counts.rejected, 1);
      assert.equal(body.errors.length, 1);
      const csv = await app.request(`/imports/${report.importId}/rapport.csv`);
      assert.equal(csv.status, 200);
      assert.match(csv.headers.get('content-type') ?? '', /text\/csv/);
      const csvBytes = new Uint8Array(await csv.arrayBuffer());
      assert.deepEqual([...csvBytes.subarray(0, 3)], [0xef, 0xbb, 0xbf], 'a BOM for French Excel');
      assert.match(new TextDecoder().decode(csvBytes), /^type;ligne;id;champ;valeur;message\r\nrefus;3;/);
      assert.equal(
        (await app.request('/imports/00000000-0000-0000-0000-000000000000/rapport.json')).status,
        404,
      );

      const page = await app.request('/qualite');
      assert.equal(page.status, 200);
      const html = await page.text();
      assert.match(html, /<caption>Lieux sans horaires<\/caption>/);
      assert.match(html, /<th scope="col">/);
      assert.ok(!html.includes('<script>alert(1)</script>'));
      assert.ok(html.includes('&lt;script&gt;'));
    } finally {
      await t.close();
    }
  });
});
