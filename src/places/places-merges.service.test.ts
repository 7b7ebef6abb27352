import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { bytes, type Row, sampleRow, toCsv } from '../../test/support/fixtures.ts';
import { closeTestTemplate, createTestDb, type TestDb } from '../../test/support/test-db.ts';
import { isDomainError } from '../shared/domain-error.ts';
import { listPlacesPage, placesVersion } from './places.service.ts';
import { listPlaceMerges, undoPlaceImport, unmergePlace } from './places-history.service.ts';
import { importPlacesFile } from './places-import.service.ts';
import {
  confirmPlaceMerge,
  countMergesToReview,
  getMergeReview,
  listMergeReviews,
  separatePlaceMerge,
} from './places-merges.service.ts';

/** Tests act as the command line, or as a coordinator when who confirmed matters. */
const SYSTEM = { kind: 'system' } as const;
const coordinator = {
  kind: 'person',
  personId: '00000000-0000-4000-8000-00000000c0de',
  networkRole: 'coordinator',
  memberships: [],
} as const;
const member = {
  kind: 'person',
  personId: '00000000-0000-4000-8000-00000000beef',
  networkRole: null,
  memberships: [{ structureId: '00000000-0000-4000-8000-000000000001', role: 'structure_admin' }],
} as const;
const THRESHOLD = 0.75;

after(closeTestTemplate);

/** Source A publishes a social centre and a library; source B the same social centre, and a France
 * services counter at the library's address (similar by its address only: 60 %). */
const A: Row[] = [
  sampleRow({
    id: 'a-1',
    nom: 'Centre social de la Source',
    adresse: '12 rue des Lilas',
    date_maj: '2026-01-01',
  }),
  sampleRow({
    id: 'a-2',
    nom: 'Médiathèque Madeleine',
    adresse: '3 rue Porte Madeleine',
    date_maj: '2026-01-01',
  }),
];
const B: Row[] = [
  sampleRow({
    id: 'b-1',
    nom: 'CENTRE SOCIAL DE LA SOURCE',
    adresse: '12 r. des lilas',
    date_maj: '2026-02-01',
  }),
  sampleRow({
    id: 'b-2',
    nom: 'France services Orléans centre',
    adresse: '3 rue Porte Madeleine',
    telephone: '+33261910199',
    date_maj: '2026-02-01',
  }),
];

async function importBoth(
  t: TestDb,
  { mergeReviewBelow }: { mergeReviewBelow?: number } = { mergeReviewBelow: THRESHOLD },
) {
  await importPlacesFile(t.db, SYSTEM, bytes(toCsv(A)), { fileName: 'a.csv', source: 'hub-a' });
  return importPlacesFile(t.db, SYSTEM, bytes(toCsv(B)), {
    fileName: 'b.csv',
    source: 'hub-b',
    mergeReviewBelow,
  });
}

const shown = async (t: TestDb) => (await listPlacesPage(t.db, SYSTEM, { limit: 50, offset: 0 })).total;
const linkCount = async (t: TestDb) => (await t.db.selectFrom('place_link').select('id').execute()).length;
const toReview = (t: TestDb) => listMergeReviews(t.db, coordinator, { filter: 'a-verifier', page: 1 });
const code = (expected: string) => (e: unknown) => isDomainError(e) && e.code === expected;

describe('merges below the review threshold', () => {
  it('proposes a merge below the threshold without applying it, and applies one at or above it', async () => {
    const t = await createTestDb();
    try {
      const report = await importBoth(t);
      assert.equal(report.merged, 1, 'the same social centre is merged');
      assert.equal(report.toReview, 1, 'the France services counter is only proposed');
      assert.equal(report.imported, 1, 'the proposed record is imported as a place of its own');
      assert.equal(report.imported + report.updated + report.unchanged + report.merged + report.rejected, 2);
      assert.ok(report.warnings.some((w) => w.id === 'b-2' && /proposée, pas appliquée/.test(w.message)));
      assert.equal(await shown(t), 3, 'four records, one hidden by the applied merge');

      const list = await toReview(t);
      assert.deepEqual(list.counts, { toReview: 2, pending: 1, reviewed: 0, separated: 0 });
      assert.deepEqual(
        list.merges.map((m) => [m.status, m.score]),
        [
          ['pending', 0.6],
          ['applied', list.merges[1]?.score],
        ],
        'the proposed merge first',
      );
      const [pending, applied] = list.merges;
      assert.ok(pending && applied && applied.score >= THRESHOLD);
      assert.deepEqual([pending.canonical.shown, pending.merged.shown], [true, true]);
      assert.equal([applied.canonical.shown, applied.merged.shown].filter(Boolean).length, 1);
      assert.ok(pending.reasons.some((r) => /France Services/.test(r)));
      assert.ok(pending.reasons.includes('Même adresse (100 %).'));
      assert.ok(applied.reasons.some((r) => /mots en commun « centre », « social », « source »/i.test(r)));
      assert.deepEqual(
        (await listPlaceMerges(t.db, SYSTEM)).map((m) => m.pending).sort(),
        [false, true],
        'the command line marks the proposed one',
      );
      assert.deepEqual(await countMergesToReview(t.db, coordinator), { pending: 1, toReview: 2 });
    } finally {
      await t.close();
    }
  });

  it('applies every merge when the import is given no threshold, as before', async () => {
    const t = await createTestDb();
    try {
      const report = await importBoth(t, {});
      assert.deepEqual([report.merged, report.toReview], [2, 0]);
      assert.equal(await shown(t), 2);
    } finally {
      await t.close();
    }
  });

  it('confirming a proposed merge applies it, keeps who and when, audits it, and refuses a second confirmation', async () => {
    const t = await createTestDb();
    try {
      await importBoth(t);
      const pending = (await toReview(t)).merges[0];
      assert.equal(pending?.status, 'pending');
      const version = await placesVersion(t.db);
      const result = await confirmPlaceMerge(t.db, coordinator, {
        id: pending?.id as string,
        reviewerLabel: 'Camille Coordination',
      });
      assert.deepEqual(result, { applied: true });
      assert.equal(await shown(t), 2, 'the proposed merge now hides its older record');
      assert.notEqual(await placesVersion(t.db), version, 'the search index sees the change');
      const confirmed = await getMergeReview(t.db, coordinator, { id: pending?.id as string });
      assert.equal(confirmed.status, 'confirmed');
      assert.equal(confirmed.reviewedBy, 'Camille Coordination');
      assert.ok(confirmed.reviewedAt);
      const audit = await t.db
        .selectFrom('audit_log')
        .select(['action', 'actor_id', 'subject_type'])
        .where('action', '=', 'place_merge.confirmed')
        .execute();
      assert.deepEqual(audit, [
        { action: 'place_merge.confirmed', actor_id: coordinator.personId, subject_type: 'place' },
      ]);
      await assert.rejects(
        () => confirmPlaceMerge(t.db, coordinator, { id: pending?.id as string }),
        (e: unknown) =>
          code('conflict')(e) && /déjà été confirmée .* par Camille Coordination/.test(String(e)),
      );
      // An applied merge confirmed stays applied and leaves the list to review.
      const applied = (await toReview(t)).merges[0];
      assert.equal(applied?.status, 'applied');
      assert.deepEqual(await confirmPlaceMerge(t.db, coordinator, { id: applied?.id as string }), {
        applied: false,
      });
      const reviewed = await listMergeReviews(t.db, coordinator, { filter: 'verifiees', page: 1 });
      assert.deepEqual(reviewed.counts, { toReview: 0, pending: 0, reviewed: 2, separated: 0 });
      assert.equal(reviewed.merges[0]?.reviewedBy, 'la coordination', 'a coordinator without a name given');
    } finally {
      await t.close();
    }
  });

  it('separating refuses a proposed merge for good: re-imports never propose it again, and it cannot be confirmed', async () => {
    const t = await createTestDb();
    try {
      await importBoth(t);
      const pending = (await toReview(t)).merges[0];
      assert.equal(pending?.status, 'pending');
      assert.deepEqual(await separatePlaceMerge(t.db, coordinator, { id: pending?.id as string }), {
        wasPending: true,
      });
      assert.equal(await shown(t), 3, 'both places stay shown');
      const separated = await listMergeReviews(t.db, coordinator, { filter: 'separees', page: 1 });
      assert.deepEqual(
        separated.merges.map((m) => m.status),
        ['refused'],
      );
      const links = await linkCount(t);
      // The same file again changes nothing; a newer version of it is compared again, and still not proposed.
      const same = await importPlacesFile(t.db, SYSTEM, bytes(toCsv(B)), {
        fileName: 'b.csv',
        source: 'hub-b',
        mergeReviewBelow: THRESHOLD,
      });
      assert.deepEqual([same.unchanged, same.toReview, same.merged], [2, 0, 0]);
      const newer = await importPlacesFile(
        t.db,
        SYSTEM,
        bytes(toCsv(B.map((row) => ({ ...row, date_maj: '2026-03-01' })))),
        { fileName: 'b2.csv', source: 'hub-b', mergeReviewBelow: THRESHOLD },
      );
      assert.deepEqual([newer.updated, newer.toReview, newer.merged], [2, 0, 0]);
      assert.equal(await linkCount(t), links, 'no new link');
      await assert.rejects(
        () => confirmPlaceMerge(t.db, coordinator, { id: pending?.id as string }),
        (e: unknown) => code('conflict')(e) && /a été séparée .* par la coordination/.test(String(e)),
      );
      await assert.rejects(
        () => separatePlaceMerge(t.db, coordinator, { id: pending?.id as string }),
        (e: unknown) => code('conflict')(e) && /déjà été séparée/.test(String(e)),
      );
      const audit = await t.db
        .selectFrom('audit_log')
        .select('action')
        .where('action', 'like', 'place_merge.%')
        .execute();
      assert.deepEqual(
        audit.map((a) => a.action),
        ['place_merge.refused'],
      );
      // An applied merge separated from the command line is separated, and so named.
      const applied = (await toReview(t)).merges[0];
      const cli = await unmergePlace(t.db, SYSTEM, { id: applied?.id as string });
      assert.equal(cli.pending, false);
      const after = await getMergeReview(t.db, coordinator, { id: applied?.id as string });
      assert.deepEqual([after.status, after.reviewedBy], ['separated', 'ligne de commande']);
      assert.equal(await shown(t), 4);
    } finally {
      await t.close();
    }
  });

  it('never proposes the same pair twice while it waits, and undoing the import removes its merges, proposed or applied', async () => {
    const t = await createTestDb();
    try {
      const report = await importBoth(t);
      const newer = await importPlacesFile(
        t.db,
        SYSTEM,
        bytes(toCsv(B.map((row) => ({ ...row, date_maj: '2026-03-01' })))),
        { fileName: 'b2.csv', source: 'hub-b', mergeReviewBelow: THRESHOLD },
      );
      assert.deepEqual([newer.toReview, newer.merged], [0, 0]);
      assert.equal(await linkCount(t), 2);
      await undoPlaceImport(t.db, SYSTEM, { id: newer.importId as string });
      await undoPlaceImport(t.db, SYSTEM, { id: report.importId as string });
      assert.equal(await linkCount(t), 0);
      assert.deepEqual((await toReview(t)).counts, { toReview: 0, pending: 0, reviewed: 0, separated: 0 });
      assert.equal(await shown(t), 2);
    } finally {
      await t.close();
    }
  });

  it('answers a malformed or unknown merge id with not found, and a list filter or page it does not know with a French message', async () => {
    const t = await createTestDb();
    try {
      await importBoth(t);
      for (const id of ['pas-un-id', '00000000-0000-4000-8000-000000000000', "1' or '1'='1"]) {
        await assert.rejects(() => getMergeReview(t.db, coordinator, { id }), code('not_found'), id);
        await assert.rejects(() => confirmPlaceMerge(t.db, coordinator, { id }), code('not_found'), id);
        await assert.rejects(() => separatePlaceMerge(t.db, coordinator, { id }), code('not_found'), id);
      }
      const far = await listMergeReviews(t.db, coordinator, { filter: 'a-verifier', page: 9 });
      assert.deepEqual([far.merges.length, far.pages], [0, 1]);
    } finally {
      await t.close();
    }
  });

  it('lets only coordinators and the command line see, confirm or separate merges', async () => {
    const t = await createTestDb();
    try {
      await importBoth(t);
      const id = (await toReview(t)).merges[0]?.id as string;
      const forbidden = code('forbidden');
      for (const actor of [member, { kind: 'anonymous' } as const]) {
        await assert.rejects(
          () => listMergeReviews(t.db, actor, { filter: 'a-verifier', page: 1 }),
          forbidden,
        );
        await assert.rejects(() => getMergeReview(t.db, actor, { id }), forbidden);
        await assert.rejects(() => confirmPlaceMerge(t.db, actor, { id }), forbidden);
        await assert.rejects(() => separatePlaceMerge(t.db, actor, { id }), forbidden);
        await assert.rejects(() => countMergesToReview(t.db, actor), forbidden);
      }
      assert.equal((await getMergeReview(t.db, SYSTEM, { id })).status, 'pending', 'nothing changed');
    } finally {
      await t.close();
    }
  });
});
