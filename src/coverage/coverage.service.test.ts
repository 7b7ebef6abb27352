import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { closeTestTemplate, createTestDb } from '../../test/support/test-db.ts';
import { resolveTerritory } from '../communes/communes.ts';
import { seedDemoIfFresh } from '../demo/demo.service.ts';
import { analyseTerritoryCoverage } from './coverage.service.ts';

after(closeTestTemplate);

const ORLEANS = { kind: 'epci', code: '244500468' } as const;
const PARENTALITE = 'Parentalité et éducation avec le numérique';
const km10 = { kind: 'km', maxKm: 10 } as const;

describe('coverage of Orléans Métropole on the demonstration data', () => {
  it('measures the 22 communes: every one has a place within 10 km, whatever the service', async () => {
    const t = await createTestDb();
    try {
      await seedDemoIfFresh(t.db);
      const r = await analyseTerritoryCoverage(t.db, {
        territory: ORLEANS,
        service: null,
        threshold: km10,
        suggest: 3,
        itinerant: 2,
      });
      assert.equal(r.analysis.communes.length, 22);
      assert.deepEqual(r.missingReferencePoints, []);
      const expected = resolveTerritory(ORLEANS).communes.reduce((s, c) => s + c.population, 0);
      assert.equal(r.analysis.populationTotal, expected);
      assert.equal(r.analysis.populationBeyond, 0);
      assert.ok(r.analysis.communes.every((c) => c.nearestKm !== null && c.nearestKm < 10 && !c.beyond));
      assert.deepEqual(r.analysis.suggestions, [], 'nothing to propose when everyone is covered');
    } finally {
      await t.close();
    }
  });

  it('finds gaps for a service offered in two communes only, and proposes where to open', async () => {
    const t = await createTestDb();
    try {
      await seedDemoIfFresh(t.db);
      const r = await analyseTerritoryCoverage(t.db, {
        territory: ORLEANS,
        service: PARENTALITE,
        threshold: { kind: 'km', maxKm: 3 },
        suggest: 3,
        itinerant: 4,
      });
      const a = r.analysis;
      assert.ok(a.placesCount >= 2);
      assert.ok(a.populationBeyond > 0 && a.populationBeyond < a.populationTotal);
      const beyond = a.communes.filter((c) => c.beyond).reduce((s, c) => s + c.population, 0);
      assert.equal(a.populationBeyond, beyond);
      assert.ok(a.suggestions.length > 0 && a.suggestions.length <= 3);
      const added = a.suggestions.reduce((s, x) => s + x.addedPopulation, 0);
      assert.equal(added, a.coveredAfterSwaps);
      assert.ok(a.coveredAfterSwaps >= a.coveredBeforeSwaps);
      assert.ok(a.coveredAfterSwaps <= a.populationBeyond);
      for (const s of a.suggestions) assert.ok(s.addedPopulation > 0);
      assert.ok(a.itinerant.stops.length > 0 && a.itinerant.stops.length <= 4);
    } finally {
      await t.close();
    }
  });

  it('lists communes without a reference point instead of dropping them', async () => {
    const t = await createTestDb();
    try {
      await seedDemoIfFresh(t.db);
      const r = await analyseTerritoryCoverage(t.db, {
        territory: { kind: 'com', codes: ['45234', '45001'] },
        service: null,
        threshold: km10,
        suggest: 0,
        itinerant: 0,
      });
      assert.deepEqual(
        r.analysis.communes.map((c) => c.code),
        ['45234'],
      );
      assert.deepEqual(
        r.missingReferencePoints.map((c) => c.code),
        ['45001'],
      );
    } finally {
      await t.close();
    }
  });

  it('refuses an unknown service, an unknown territory and an empty directory in French', async () => {
    const t = await createTestDb();
    try {
      const request = { territory: ORLEANS, service: null, threshold: km10, suggest: 0, itinerant: 0 };
      await assert.rejects(analyseTerritoryCoverage(t.db, request), (e: Error & { code?: string }) => {
        assert.equal(e.code, 'not_found');
        assert.match(e.message, /Aucun lieu/);
        return true;
      });
      await seedDemoIfFresh(t.db);
      await assert.rejects(
        analyseTerritoryCoverage(t.db, { ...request, service: 'Cours de cuisine' }),
        (e: Error & { code?: string }) => e.code === 'invalid_input' && /n'existe pas/.test(e.message),
      );
      await assert.rejects(
        analyseTerritoryCoverage(t.db, { ...request, territory: { kind: 'epci', code: '999999999' } }),
        (e: Error & { code?: string }) => e.code === 'not_found' && /EPCI/.test(e.message),
      );
      await assert.rejects(
        analyseTerritoryCoverage(t.db, { ...request, suggest: -2 }),
        (e: Error & { code?: string }) => e.code === 'invalid_input',
      );
    } finally {
      await t.close();
    }
  });
});
