import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { bytes, type Row, sampleRow, toCsv } from '../../test/support/fixtures.ts';
import { closeTestTemplate, createTestDb } from '../../test/support/test-db.ts';
import { ensureReferencePoints } from '../communes/communes.service.ts';
import { importPlacesFile } from './places-import.service.ts';
import { listMergeReviews } from './places-merges.service.ts';

/**
 * The SIRET in an import's duplicate pass (docs/decisions/0058): two sources publish a commune's town
 * hall and library (one square, 40 m apart) and two annex town halls (1.2 km apart), all under the
 * commune's SIRET. Names share nothing: only the SIRET can bring records together.
 */

const SYSTEM = { kind: 'system' } as const;
const coordinator = {
  kind: 'person',
  personId: '00000000-0000-4000-8000-00000000c0de',
  networkRole: 'coordinator',
  memberships: [],
} as const;

after(closeTestTemplate);

const SIRET = '21450302100013';
const north = (metres: number) => (47.9501 + metres * 0.000009).toFixed(6);

function rows(pivot: string): { a: Row[]; b: Row[] } {
  const at = (id: string, nom: string, adresse: string, metres: number) =>
    sampleRow({
      id,
      nom,
      adresse,
      pivot,
      latitude: north(metres),
      longitude: '1.8651',
      date_maj: '2026-01-01',
    });
  return {
    a: [
      at('a-1', 'Hôtel de ville', 'place de la Liberté', 0),
      at('a-2', 'Mairie annexe Nord', 'avenue de la Trillade', 3000),
    ],
    b: [
      at('b-1', 'Médiathèque Jean Quilliet', 'place de la Liberté', 40),
      at('b-2', 'Mairie annexe Sud', 'rue François Ier', 1800),
    ],
  };
}

describe('the SIRET in the duplicate pass of an import', () => {
  it('proposes the merge of the same SIRET 40 m apart and keeps apart the branches far apart', async () => {
    const t = await createTestDb();
    try {
      const { a, b } = rows(SIRET);
      await importPlacesFile(t.db, SYSTEM, bytes(toCsv(a)), { fileName: 'a.csv', source: 'hub-a' });
      const report = await importPlacesFile(t.db, SYSTEM, bytes(toCsv(b)), {
        fileName: 'b.csv',
        source: 'hub-b',
        mergeReviewBelow: 0.75,
      });
      // Unrelated names: the match scores 60 %, below the review threshold, so it is proposed.
      assert.deepEqual([report.toReview, report.merged, report.imported], [1, 0, 2]);
      const list = await listMergeReviews(t.db, coordinator, { filter: 'a-verifier', page: 1 });
      assert.equal(list.merges.length, 1);
      const [merge] = list.merges;
      assert.deepEqual([merge?.canonical.sourceId, merge?.merged.sourceId].sort(), ['a-1', 'b-1']);
      assert.ok(merge?.reasons.includes('Même SIRET, à 40 m.'), merge?.reasons.join('\n'));
    } finally {
      await t.close();
    }
  });

  it('brings nothing together when the records carry the zero SIRET', async () => {
    const t = await createTestDb();
    try {
      const { a, b } = rows('00000000000000');
      await importPlacesFile(t.db, SYSTEM, bytes(toCsv(a)), { fileName: 'a.csv', source: 'hub-a' });
      const report = await importPlacesFile(t.db, SYSTEM, bytes(toCsv(b)), {
        fileName: 'b.csv',
        source: 'hub-b',
        mergeReviewBelow: 0.75,
      });
      assert.deepEqual([report.toReview, report.merged, report.imported], [0, 0, 2]);
    } finally {
      await t.close();
    }
  });

  it('finds no two places "close" when both only have the commune’s point (no position of their own)', async () => {
    const t = await createTestDb();
    try {
      // Both are given Orléans' reference point (the fixtures' commune), flagged approximate.
      await ensureReferencePoints(t.db, [{ code: '45234', lat: 47.9029, lon: 1.9039 }]);
      const place = (id: string, nom: string, adresse: string) =>
        sampleRow({ id, nom, adresse, pivot: SIRET, latitude: '', longitude: '', date_maj: '2026-01-01' });
      await importPlacesFile(
        t.db,
        SYSTEM,
        bytes(toCsv([place('a-1', 'Médiathèque', '12 rue Victor Hugo')])),
        {
          fileName: 'a.csv',
          source: 'hub-a',
        },
      );
      const report = await importPlacesFile(
        t.db,
        SYSTEM,
        bytes(toCsv([place('b-1', 'Médiathèque municipale', 'avenue Jean Jaurès')])),
        { fileName: 'b.csv', source: 'hub-b', mergeReviewBelow: 0.75 },
      );
      assert.deepEqual([report.toReview, report.merged, report.imported], [0, 0, 1]);
    } finally {
      await t.close();
    }
  });
});
