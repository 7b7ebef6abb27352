import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, describe, it } from 'node:test';
import { runCliInProcess } from '../../test/support/processes.ts';
import { closeTestTemplate, createTestDb } from '../../test/support/test-db.ts';
import { communeOutlinesInBox } from '../communes/communes.service.ts';
import { geometryContains } from '../communes/geometry.ts';
import { demoCommunePoints, seedDemoIfFresh } from './demo.service.ts';
import { DEMO_COMMUNE_POINTS } from './demo-communes.ts';
import { buildDemoOutlines, type DemoOutlines, serializeDemoOutlines } from './demo-outlines.ts';

after(closeTestTemplate);

const METRO = { minLat: 47.8, maxLat: 48.0, minLon: 1.75, maxLon: 2.1 };

describe('the demonstration outlines', () => {
  it('carry the licence and the attribution in their header, and one outline per demo commune', () => {
    const file = JSON.parse(
      fs.readFileSync(new URL('./demo-outlines.json', import.meta.url), 'utf8'),
    ) as DemoOutlines;
    assert.match(file.licence, /Licence Ouverte 2\.0/);
    assert.match(file.attribution, /IGN – ADMIN EXPRESS/);
    assert.deepEqual(file.communes.map((c) => c.code).sort(), DEMO_COMMUNE_POINTS.map((p) => p.code).sort());
    // Each demo reference point lies inside its own simplified outline.
    for (const p of demoCommunePoints()) {
      assert.ok(p.geometry, p.nom);
      assert.ok(geometryContains(p.geometry, p.lon, p.lat), `${p.nom} outside its outline`);
    }
  });

  it('are stored by the demonstration seeding: 22 outlines under the maps out of the box', async () => {
    const t = await createTestDb();
    try {
      await seedDemoIfFresh(t.db, { kind: 'system' });
      const outlines = await communeOutlinesInBox(t.db, METRO);
      assert.equal(outlines.length, 22);
      const orleans = outlines.find((o) => o.code === '45234');
      assert.equal(orleans?.nom, 'Orléans');
      assert.ok((orleans?.population ?? 0) > 100_000);
      assert.ok(orleans && geometryContains(orleans.geometry, 1.90527, 47.90268));
    } finally {
      await t.close();
    }
  });

  it('are made by a simplification that keeps rings closed, rounds to 5 decimals and drops non-communes', () => {
    const ring = Array.from({ length: 101 }, (_, i) => {
      const a = (2 * Math.PI * i) / 100;
      return [1.9 + 0.05 * Math.cos(a) + 1e-7, 47.9 + 0.03 * Math.sin(a)] as [number, number];
    });
    const built = buildDemoOutlines({
      type: 'FeatureCollection',
      features: [
        {
          type: 'Feature',
          properties: { code: '45234', nom: 'Orléans' },
          geometry: { type: 'Polygon', coordinates: [ring] },
        },
        {
          type: 'Feature',
          properties: { code: 'pas un code' },
          geometry: { type: 'Polygon', coordinates: [ring] },
        },
        { type: 'Feature', properties: { code: '45232' }, geometry: null },
      ],
    });
    assert.equal(built.communes.length, 1);
    const out = ((built.communes[0]?.geometry.coordinates ?? []) as [number, number][][])[0] ?? [];
    assert.ok(out.length >= 4 && out.length < 60, `${out.length} points`);
    assert.deepEqual(out[0], out.at(-1));
    assert.ok(out.flat().every((v) => Math.abs(v * 1e5 - Math.round(v * 1e5)) < 1e-6));
    assert.match(
      serializeDemoOutlines(built),
      /^\{\n {2}"source": .*\n {2}"communes": \[\n {4}\{"code":"45234"/s,
    );
    assert.throws(() => buildDemoOutlines({ nope: true }), /FeatureCollection/);
  });

  it('`demo outlines` refuses a missing, unreadable or empty file in French and leaves the committed file alone', async () => {
    const committed = fs.readFileSync(new URL('./demo-outlines.json', import.meta.url), 'utf8');
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'maillage-outlines-'));
    try {
      const notJson = path.join(dir, 'cassé.geojson');
      fs.writeFileSync(notJson, '{oops');
      const empty = path.join(dir, 'vide.geojson');
      fs.writeFileSync(empty, '{"type":"FeatureCollection","features":[]}');
      const cases: [string, RegExp][] = [
        [path.join(dir, 'absent.geojson'), /absent\.geojson » n'existe pas/],
        [notJson, /n'est pas du JSON lisible/],
        [empty, /ne contient aucun contour de commune/],
      ];
      for (const [file, message] of cases) {
        const result = await runCliInProcess(['demo', 'outlines', file], { DATA_DIR: dir });
        assert.equal(result.code, 1, file);
        assert.match(result.stderr, message);
      }
      assert.equal(fs.readFileSync(new URL('./demo-outlines.json', import.meta.url), 'utf8'), committed);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
