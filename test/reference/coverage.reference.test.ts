import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { importCommuneGeometry } from '../../src/communes/communes.service.ts';
import { resolveTerritory } from '../../src/communes/communes.ts';
import { type Geometry, geometryContains } from '../../src/communes/geometry.ts';
import { listPlacesWithPosition } from '../../src/coverage/coverage.repository.ts';
import { analyseTerritoryCoverage } from '../../src/coverage/coverage.service.ts';
import { greatCircleKm } from '../../src/coverage/nearest.ts';
import { testApp } from '../support/app.ts';
import { readReference } from '../support/reference-data.ts';
import { closeTestTemplate, createDemoTestDb } from '../support/test-db.ts';

/** The public coverage page's visitor: anybody, without an account. */
const VISITOR = { kind: 'anonymous' } as const;

after(closeTestTemplate);

const ORLEANS = { kind: 'epci', code: '244500468' } as const;
const FILE = ['geo', 'communes-orleans-metropole.geojson'];

async function orleansDb() {
  const t = await createDemoTestDb();
  const report = await importCommuneGeometry(
    t.db,
    { kind: 'system' },
    { bytes: new Uint8Array(readReference(...FILE)), fileName: 'orleans.geojson' },
  );
  assert.equal(report.imported, 22);
  return t;
}

describe('coverage of Orléans Métropole with the real commune outlines', () => {
  it('gives hand-checkable figures for the 22 communes', async () => {
    const t = await orleansDb();
    try {
      const r = await analyseTerritoryCoverage(t.db, VISITOR, {
        territory: ORLEANS,
        service: null,
        threshold: { kind: 'km', maxKm: 10 },
        suggest: 3,
        itinerant: 0,
        withOutlines: true,
      });
      const official = resolveTerritory(ORLEANS).communes;
      assert.equal(official.length, 22);
      assert.equal(
        r.analysis.populationTotal,
        official.reduce((s, c) => s + c.population, 0),
      );
      assert.deepEqual(r.missingReferencePoints, []);
      assert.equal(r.outlines.size, 22);
      // With every service, each commune has a place within 10 km (all 22 communes have places).
      assert.equal(r.analysis.populationBeyond, 0);
      assert.ok(r.analysis.communes.every((c) => !c.beyond && (c.nearestKm ?? 99) < 10));
      assert.deepEqual(r.analysis.suggestions, []);
      // Each reference point lies inside its own outline.
      for (const c of r.analysis.communes)
        assert.ok(geometryContains(r.outlines.get(c.code) as Geometry, c.lon, c.lat), c.code);
    } finally {
      await t.close();
    }
  });

  it('measures the nearest place of a rare service by hand, and proposes sites that add population', async () => {
    const t = await orleansDb();
    try {
      const service = 'Parentalité et éducation avec le numérique';
      const r = await analyseTerritoryCoverage(t.db, VISITOR, {
        territory: ORLEANS,
        service,
        threshold: { kind: 'km', maxKm: 5 },
        suggest: 3,
        itinerant: 2,
      });
      const a = r.analysis;
      // The demonstration offers this service in two communes; recompute every distance by hand.
      const offering = (await listPlacesWithPosition(t.db)).filter((p) => p.services.includes(service));
      assert.ok(offering.length >= 2);
      assert.equal(new Set(offering.map((p) => p.code_insee)).size, 2);
      for (const c of a.communes) {
        const best = Math.min(
          ...offering.map((p) => greatCircleKm(c, { lat: p.latitude as number, lon: p.longitude as number })),
        );
        assert.ok(Math.abs((c.nearestKm ?? -1) - best) < 0.001, c.code);
        assert.equal(c.beyond, best > 5, c.code);
      }
      assert.ok(a.populationBeyond > 0);
      assert.ok(a.suggestions.length >= 1);
      assert.ok(a.coveredAfterSwaps >= a.coveredBeforeSwaps);
      assert.equal(
        a.itinerant.coveredPopulation,
        a.itinerant.stops.reduce((s, x) => s + x.addedPopulation, 0),
      );
    } finally {
      await t.close();
    }
  });

  it('draws the commune outlines on the page once geometry is imported', async () => {
    const t = await orleansDb();
    try {
      const html = await (await testApp(t.db, { TERRITORY: 'epci:244500468' }).request('/couverture')).text();
      // One path per distance class (cheap for the page), holding every commune's outline: 22 rings at least.
      const rings = (html.match(/<path d="M[^"]+" fill="#[0-9a-f]{6}"/g) ?? []).join('').match(/M\d/g) ?? [];
      assert.ok(rings.length >= 22, `${rings.length} rings`);
      assert.match(html, /Contours des communes : IGN – ADMIN EXPRESS, Licence Ouverte 2\.0/);
      assert.match(html, /<text x="\d+" y="\d+">Orléans<\/text>/);
    } finally {
      await t.close();
    }
  });

  it("exports the outlines in GeoJSON with each commune's figures and weekly hours within reach", async () => {
    const t = await orleansDb();
    try {
      const res = await testApp(t.db, { TERRITORY: 'epci:244500468' }).request('/couverture.geojson?km=10');
      assert.equal(res.status, 200);
      const body = (await res.json()) as {
        features: { geometry: { type: string }; properties: Record<string, unknown> }[];
      };
      assert.equal(body.features.length, 22);
      assert.ok(
        body.features.every((f) => f.geometry.type === 'Polygon' || f.geometry.type === 'MultiPolygon'),
      );
      const orleans = body.features.find((f) => f.properties.code === '45234');
      assert.equal(orleans?.properties.epci, '244500468');
      assert.equal(orleans?.properties.departement, '45');
      assert.ok((orleans?.properties.weekly_hours_within_reach as number) > 0);
      assert.ok(!('nearest_place_id' in (orleans?.properties ?? {})));
    } finally {
      await t.close();
    }
  });
});
