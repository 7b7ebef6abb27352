import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { parse } from 'csv-parse/sync';
import { type Geometry, geometryContains } from '../../src/communes/geometry.ts';
import { DEMO_COMMUNE_POINTS } from '../../src/demo/demo-communes.ts';
import { DEMO_PLACES } from '../../src/demo/demo-places.ts';
import { countAllPlaces, exportPlaces } from '../../src/places/places.service.ts';
import { listPlaceMerges } from '../../src/places/places-history.service.ts';
import { importPlacesFile } from '../../src/places/places-import.service.ts';
import { PACA_FILE, readReference } from '../support/reference-data.ts';
import { validateAgainstSchema } from '../support/schema-validator.ts';
import { closeTestTemplate, createDemoTestDb, createTestDb } from '../support/test-db.ts';

/** Tests act as the command line, which may do everything the directory allows. */
const SYSTEM = { kind: 'system' } as const;

after(closeTestTemplate);

const schema = () => JSON.parse(readReference('lieux-schema', 'schema.json').toString('utf8')) as unknown;

function csvRows(csv: string): Record<string, string>[] {
  return parse(csv, { columns: true, bom: true }) as Record<string, string>[];
}

describe('the directory on real reference files', () => {
  it('places every demonstration place and commune point inside its commune outline', () => {
    const geo = JSON.parse(readReference('geo', 'communes-orleans-metropole.geojson').toString('utf8')) as {
      features: { properties: { code: string }; geometry: Geometry }[];
    };
    const outlines = new Map(geo.features.map((f) => [f.properties.code, f.geometry]));
    assert.equal(outlines.size, 22);
    const outside: string[] = [];
    for (const p of DEMO_PLACES) {
      const outline = outlines.get(p.code_insee ?? '');
      if (!outline || !geometryContains(outline, Number(p.longitude), Number(p.latitude)))
        outside.push(`${p.id} ${p.nom}`);
    }
    for (const c of DEMO_COMMUNE_POINTS) {
      const outline = outlines.get(c.code);
      if (!outline || !geometryContains(outline, c.lon, c.lat)) outside.push(`commune point ${c.code}`);
    }
    assert.deepEqual(outside, []);
    assert.deepEqual(
      new Set(DEMO_PLACES.map((p) => p.code_insee)),
      new Set(outlines.keys()),
      'all 22 communes have places',
    );
  });

  it('exports the demonstration directory with zero errors against the official schema.json', async () => {
    const t = await createDemoTestDb();
    try {
      assert.ok((await countAllPlaces(t.db, { kind: 'system' })) >= 60);
      const rows = csvRows(await exportPlaces(t.db, SYSTEM, { format: 'csv' }));
      assert.ok(rows.length >= 60);
      assert.deepEqual(validateAgainstSchema(schema(), rows), []);
    } finally {
      await t.close();
    }
  });

  it('imports the shared v1-heavy regional file with counts that add up, and exports it valid and stable', async () => {
    const a = await createTestDb();
    const b = await createTestDb();
    try {
      const report = await importPlacesFile(a.db, SYSTEM, readReference(...PACA_FILE), {
        fileName: 'paca.json',
      });
      assert.equal(report.read, 646);
      assert.equal(
        report.imported + report.updated + report.unchanged + report.merged + report.rejected,
        report.read,
      );
      assert.ok(
        report.rejected <= 10,
        `rejected ${report.rejected}: ${JSON.stringify(report.errors.slice(0, 5))}`,
      );
      for (const issue of [...report.errors, ...report.warnings]) {
        assert.ok(issue.message.length > 0);
        if (issue.row !== null) assert.ok(issue.field !== null, JSON.stringify(issue));
      }

      // The same place published by two of the file's five sources is merged: one row per place.
      const merges = await listPlaceMerges(a.db, SYSTEM);
      assert.ok(merges.length > 0 && report.merged >= merges.length, 'cross-source duplicates are merged');
      const shown = report.imported + report.merged - merges.length;
      const csv = await exportPlaces(a.db, SYSTEM, { format: 'csv' });
      const rows = csvRows(csv);
      assert.equal(rows.length, shown);
      assert.deepEqual(validateAgainstSchema(schema(), rows).slice(0, 20), []);
      const json = JSON.parse(await exportPlaces(a.db, SYSTEM, { format: 'json' })) as unknown[];
      assert.equal(json.length, shown);

      // import(export(x)) = x: the export, imported into an empty database, exports identically.
      const again = await importPlacesFile(b.db, SYSTEM, Buffer.from(csv), { fileName: 'export.csv' });
      assert.equal(again.imported + again.merged, shown);
      assert.equal(again.rejected, 0);
      assert.equal(await exportPlaces(b.db, SYSTEM, { format: 'csv' }), csv);
      const reimport = await importPlacesFile(a.db, SYSTEM, readReference(...PACA_FILE), {
        fileName: 'paca.json',
      });
      assert.equal(
        reimport.unchanged,
        report.imported + report.merged,
        're-importing the same file changes nothing',
      );
      assert.equal(reimport.merged, 0);
      assert.equal((await listPlaceMerges(a.db, SYSTEM)).length, merges.length);
    } finally {
      await a.close();
      await b.close();
    }
  });
});
