import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { closeTestTemplate, createDemoTestDb, createTestDb } from '../../test/support/test-db.ts';
import { resolveTerritory } from '../communes/communes.ts';
import { seedDemoIfFresh } from '../demo/demo.service.ts';
import {
  analyseNetworkCoverage,
  analyseTerritoryCoverage,
  importCoverageWeights,
  weeklyOpenHours,
} from './coverage.service.ts';

after(closeTestTemplate);

const ORLEANS = { kind: 'epci', code: '244500468' } as const;
const PARENTALITE = 'Parentalité et éducation avec le numérique';
const km10 = { kind: 'km', maxKm: 10 } as const;
/** The public coverage page's visitor: anybody, without an account. */
const VISITOR = { kind: 'anonymous' } as const;

describe('coverage of Orléans Métropole on the demonstration data', () => {
  it('measures the 22 communes: every one has a place within 10 km, whatever the service', async () => {
    const t = await createDemoTestDb();
    try {
      const r = await analyseTerritoryCoverage(t.db, VISITOR, {
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
    const t = await createDemoTestDb();
    try {
      const r = await analyseTerritoryCoverage(t.db, VISITOR, {
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
    const t = await createDemoTestDb();
    try {
      const r = await analyseTerritoryCoverage(t.db, VISITOR, {
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
      await assert.rejects(
        analyseTerritoryCoverage(t.db, VISITOR, request),
        (e: Error & { code?: string }) => {
          assert.equal(e.code, 'not_found');
          assert.match(e.message, /Aucun lieu/);
          return true;
        },
      );
      await seedDemoIfFresh(t.db, { kind: 'system' });
      await assert.rejects(
        analyseTerritoryCoverage(t.db, VISITOR, { ...request, service: 'Cours de cuisine' }),
        (e: Error & { code?: string }) => e.code === 'invalid_input' && /n'existe pas/.test(e.message),
      );
      await assert.rejects(
        analyseTerritoryCoverage(t.db, VISITOR, {
          ...request,
          territory: { kind: 'epci', code: '999999999' },
        }),
        (e: Error & { code?: string }) => e.code === 'not_found' && /EPCI/.test(e.message),
      );
      await assert.rejects(
        analyseTerritoryCoverage(t.db, VISITOR, { ...request, suggest: -2 }),
        (e: Error & { code?: string }) => e.code === 'invalid_input',
      );
    } finally {
      await t.close();
    }
  });
});

describe('need weights, candidates, roll-ups and hours on the demonstration data', () => {
  const system = { kind: 'system' } as const;
  const request = {
    territory: ORLEANS,
    service: PARENTALITE,
    threshold: { kind: 'km', maxKm: 3 },
    suggest: 2,
    itinerant: 0,
  } as const;

  it('imports weights, skips unknown codes and bad numbers with their line, then weighs the analysis', async () => {
    const t = await createDemoTestDb();
    try {
      const before = await analyseTerritoryCoverage(t.db, VISITOR, request);
      assert.equal(before.analysis.weighted, false, 'population alone by default');
      const result = await importCoverageWeights(t.db, system, {
        text: 'code;weight\n45234;2\n45284;0,5\n99999;1\n45075;-3\n45302;beaucoup\n',
      });
      assert.equal(result.imported, 2);
      assert.deepEqual(
        result.issues.map((i) => [i.row, i.field, i.value]),
        [
          [4, 'code', '99999'],
          [5, 'weight', '-3'],
          [6, 'weight', 'beaucoup'],
        ],
      );
      const after = await analyseTerritoryCoverage(t.db, VISITOR, request);
      const a = after.analysis;
      assert.equal(a.weighted, true);
      const byCode = new Map(a.communes.map((c) => [c.code, c]));
      assert.equal(byCode.get('45234')?.need, 2 * (byCode.get('45234')?.population ?? 0));
      assert.equal(byCode.get('45284')?.weight, 0.5);
      assert.equal(byCode.get('45302')?.weight, 1, 'communes without a weight count with 1');
      assert.equal(a.populationBeyond, before.analysis.populationBeyond);
      // A second import replaces a commune's weight.
      await importCoverageWeights(t.db, system, { text: 'code,weight\n45234,1\n' });
      const again = await analyseTerritoryCoverage(t.db, VISITOR, request);
      assert.equal(again.analysis.communes.find((c) => c.code === '45234')?.weight, 1);
    } finally {
      await t.close();
    }
  });

  it('lets only coordinators and the command line import weights or read the internal version', async () => {
    const t = await createDemoTestDb();
    try {
      const staff = {
        kind: 'person',
        personId: 'x',
        networkRole: null,
        memberships: [{ structureId: 's', role: 'structure_admin' }],
      } as const;
      await assert.rejects(importCoverageWeights(t.db, staff, { text: 'code,weight\n45234,1\n' }), {
        code: 'forbidden',
      });
      await assert.rejects(analyseNetworkCoverage(t.db, { kind: 'anonymous' }, request), {
        code: 'forbidden',
      });
      const coordinator = { ...staff, networkRole: 'coordinator', memberships: [] } as const;
      const r = await analyseNetworkCoverage(t.db, coordinator, request);
      assert.ok(r.analysis.communes.every((c) => c.nearestPlaceNom !== null));
    } finally {
      await t.close();
    }
  });

  it('takes candidates from a list, reporting unknown codes and communes without a reference point', async () => {
    const t = await createDemoTestDb();
    try {
      const r = await analyseTerritoryCoverage(t.db, VISITOR, {
        ...request,
        candidates: [
          { kind: 'code', row: 2, code: '45234' },
          { kind: 'code', row: 3, code: '99999' },
          { kind: 'code', row: 4, code: '45001' },
          { kind: 'point', row: 5, nom: 'Médiathèque', lat: 47.9, lon: 1.9 },
        ],
      });
      assert.equal(r.analysis.candidatesCount, 2);
      assert.deepEqual(
        r.candidateIssues.map((i) => [i.row, i.value]),
        [
          [3, '99999'],
          [4, '45001'],
        ],
      );
      assert.match(r.candidateIssues[1]?.message ?? '', /point de référence/);
      for (const s of r.analysis.suggestions) assert.ok(s.code === '45234' || s.nom === 'Médiathèque');
      await assert.rejects(
        analyseTerritoryCoverage(t.db, VISITOR, {
          ...request,
          candidates: [{ kind: 'code', row: 2, code: '00000' }],
        }),
        (e: Error & { code?: string }) => e.code === 'invalid_input' && /Aucun site candidat/.test(e.message),
      );
    } finally {
      await t.close();
    }
  });

  it('rolls up per EPCI and département with their names, and counts weekly hours within reach', async () => {
    const t = await createDemoTestDb();
    try {
      const r = await analyseTerritoryCoverage(t.db, VISITOR, { ...request, service: null, threshold: km10 });
      const a = r.analysis;
      assert.deepEqual(
        a.rollups.epci.map((e) => [e.code, e.communes, e.populationTotal]),
        [['244500468', 22, a.populationTotal]],
      );
      assert.equal(r.names.epci('244500468'), 'Orléans Métropole');
      assert.equal(r.names.departement('45'), 'Loiret');
      assert.equal(a.rollups.departements[0]?.code, '45');
      assert.ok(a.communes.every((c) => c.placesWithinReach > 0));
      assert.ok(
        a.communes.some((c) => c.weeklyHoursWithinReach > 0),
        'demo places have hours',
      );
    } finally {
      await t.close();
    }
  });

  it('counts weekly open hours over a fixed reference week, and null when unknown or unreadable', () => {
    assert.equal(weeklyOpenHours('Mo-Fr 09:00-12:00,14:00-17:00', '45234', '45000'), 30);
    assert.equal(weeklyOpenHours('24/7', '45234', null), 168);
    assert.equal(weeklyOpenHours(null, '45234', null), null);
    assert.equal(weeklyOpenHours('pas du tout des horaires', '45234', null), null);
  });
});
