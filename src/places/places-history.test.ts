import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { bytes, sampleRow, toCsv } from '../../test/support/fixtures.ts';
import { closeTestTemplate, createTestDb } from '../../test/support/test-db.ts';
import type { Db } from '../db/database.ts';
import { isDomainError } from '../shared/domain-error.ts';
import { exportPlaces, getDataQuality, listPlacesPage } from './places.service.ts';
import {
  importReportCsv,
  listPlaceImports,
  listPlaceMerges,
  undoPlaceImport,
  unmergePlace,
} from './places-history.service.ts';
import { importPlacesFile } from './places-import.service.ts';

/** Tests act as the command line, which may do everything the directory allows. */
const SYSTEM = { kind: 'system' } as const;

after(closeTestTemplate);

const options = { fileName: 'essai.csv' };

/** Every column of every place, links and structures: "the exact state". */
async function snapshot(db: Db) {
  const places = await db.selectFrom('place').selectAll().orderBy('id').execute();
  const links = await db
    .selectFrom('place_link')
    .select(['canonical_id', 'merged_id', 'unmerged_at'])
    .orderBy('merged_id')
    .execute();
  const structures = await db.selectFrom('structure').selectAll().orderBy('id').execute();
  return { places, links, structures };
}

describe('idempotence of imports', () => {
  it('updates on a newer date, updates and warns on the same date, keeps the stored row on an older date', async () => {
    const t = await createTestDb();
    try {
      const row = sampleRow({ date_maj: '2026-03-01' });
      await importPlacesFile(t.db, SYSTEM, bytes(toCsv([row])), options);
      const stored = async () => (await listPlacesPage(t.db, SYSTEM, { limit: 1, offset: 0 })).places[0];

      const same = await importPlacesFile(t.db, SYSTEM, bytes(toCsv([row])), options);
      assert.equal(same.unchanged, 1);
      assert.equal(same.warnings.filter((w) => w.field === 'date_maj').length, 0);

      const newer = await importPlacesFile(
        t.db,
        SYSTEM,
        bytes(toCsv([{ ...row, nom: 'Nom plus récent', date_maj: '2026-04-01' }])),
        options,
      );
      assert.equal(newer.updated, 1);
      assert.equal((await stored())?.nom, 'Nom plus récent');
      assert.equal(newer.warnings.filter((w) => w.field === 'date_maj').length, 0);

      const sameDate = await importPlacesFile(
        t.db,
        SYSTEM,
        bytes(toCsv([{ ...row, nom: 'Nom changé', date_maj: '2026-04-01' }])),
        options,
      );
      assert.equal(sameDate.updated, 1);
      assert.equal((await stored())?.nom, 'Nom changé');
      assert.ok(
        sameDate.warnings.some((w) => w.field === 'date_maj' && /modifié sans nouvelle date/.test(w.message)),
      );

      const before = await snapshot(t.db);
      const older = await importPlacesFile(
        t.db,
        SYSTEM,
        bytes(toCsv([{ ...row, nom: 'Ancien nom', date_maj: '2025-01-01' }])),
        options,
      );
      assert.equal(older.unchanged, 1);
      assert.equal(older.updated, 0);
      assert.ok(older.warnings.some((w) => w.field === 'date_maj' && /plus récente/.test(w.message)));
      assert.deepEqual(await snapshot(t.db), before);
    } finally {
      await t.close();
    }
  });
});

describe('import history and undo', () => {
  it('lists imports, serves the report as CSV, and undo restores the exact previous state', async () => {
    const t = await createTestDb();
    try {
      const a = sampleRow({ date_maj: '2026-01-01' });
      const b = sampleRow({ date_maj: '2026-01-01' });
      const first = await importPlacesFile(t.db, SYSTEM, bytes(toCsv([a, b])), options);
      const afterFirst = await snapshot(t.db);

      const c = sampleRow({ nom: '', date_maj: '2026-01-01' });
      const d = sampleRow({ date_maj: '2026-01-01' });
      const second = await importPlacesFile(
        t.db,
        SYSTEM,
        bytes(toCsv([{ ...a, nom: 'Renommé', date_maj: '2026-02-01', latitude: '47.9' }, b, c, d])),
        { ...options, fileName: 'second.csv' },
      );
      assert.deepEqual([second.imported, second.updated, second.unchanged, second.rejected], [1, 1, 1, 1]);
      const imports = await listPlaceImports(t.db, SYSTEM);
      assert.deepEqual(
        imports.map((i) => i.fileName),
        ['second.csv', 'essai.csv'],
      );
      assert.equal(imports[0]?.counts.imported, 1);
      const csv = await importReportCsv(t.db, second.importId as string);
      assert.ok(csv.startsWith('\uFEFFtype;ligne;id;champ;valeur;message'));
      assert.ok(csv.includes('refus;4;'));

      // The first import cannot be undone before the second, which changed the same place.
      await assert.rejects(
        () => undoPlaceImport(t.db, SYSTEM, { id: first.importId as string }),
        (e: unknown) =>
          isDomainError(e) && e.code === 'conflict' && e.message.includes(second.importId as string),
      );
      const undone = await undoPlaceImport(t.db, SYSTEM, { id: second.importId as string });
      assert.deepEqual(undone, { restored: 1, deleted: 1 });
      assert.deepEqual(await snapshot(t.db), afterFirst);
      await assert.rejects(
        () => undoPlaceImport(t.db, SYSTEM, { id: second.importId as string }),
        (e: unknown) => isDomainError(e) && e.code === 'conflict',
      );

      await undoPlaceImport(t.db, SYSTEM, { id: first.importId as string });
      assert.equal((await snapshot(t.db)).places.length, 0);
      assert.equal((await snapshot(t.db)).structures.length, 0);
    } finally {
      await t.close();
    }
  });
});

describe('undoing an import and the structures', () => {
  it('deletes the structures the import brought, never a structure made by hand without a place yet', async () => {
    const t = await createTestDb();
    try {
      const byHand = await t.db
        .insertInto('structure')
        .values({ pivot: '00000000000000', nom: 'Structure créée à la main', typologie: [] })
        .returning('id')
        .executeTakeFirstOrThrow();
      const imported = await importPlacesFile(t.db, SYSTEM, bytes(toCsv([sampleRow()])), options);
      const names = async () =>
        (await t.db.selectFrom('structure').select('nom').orderBy('nom').execute()).map((r) => r.nom);
      assert.equal((await names()).length, 2, 'the import brought its structure');
      await undoPlaceImport(t.db, SYSTEM, { id: imported.importId as string });
      assert.deepEqual(await names(), ['Structure créée à la main']);
      assert.ok(
        await t.db.selectFrom('structure').select('id').where('id', '=', byHand.id).executeTakeFirst(),
      );
    } finally {
      await t.close();
    }
  });
});

describe('who may import, undo and unmerge', () => {
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
  const forbidden = (e: unknown) => isDomainError(e) && e.code === 'forbidden';

  it('lets coordinators and the command line import, names who imported, and refuses the others before writing anything', async () => {
    const t = await createTestDb();
    try {
      const file = () => bytes(toCsv([sampleRow()]));
      await assert.rejects(() => importPlacesFile(t.db, member, file(), options), forbidden);
      await assert.rejects(() => importPlacesFile(t.db, { kind: 'anonymous' }, file(), options), forbidden);
      assert.deepEqual(await listPlaceImports(t.db, SYSTEM), [], 'a refused import leaves no record');

      await importPlacesFile(t.db, coordinator, file(), options);
      await importPlacesFile(t.db, SYSTEM, file(), options);
      const imports = await listPlaceImports(t.db, coordinator);
      assert.deepEqual(
        imports.map((i) => i.actor),
        ['ligne de commande', `personne ${coordinator.personId}`],
      );
      await assert.rejects(() => listPlaceImports(t.db, member), forbidden);
      await assert.rejects(() => listPlaceMerges(t.db, member), forbidden);
      await assert.rejects(() => undoPlaceImport(t.db, member, { id: imports[0]?.id as string }), forbidden);
      await assert.rejects(() => unmergePlace(t.db, member, { id: imports[0]?.id as string }), forbidden);
      // The directory itself stays public.
      const page = await listPlacesPage(t.db, { kind: 'anonymous' }, { limit: 10, offset: 0 });
      assert.equal(page.total, 2);
    } finally {
      await t.close();
    }
  });
});

describe('duplicates across sources', () => {
  it('merges the same place published by two sources, hides the merged record, and unmerge undoes it', async () => {
    const t = await createTestDb();
    try {
      const hub = sampleRow({
        id: '1',
        nom: 'Centre social de la Source',
        adresse: '12 rue des Lilas',
        date_maj: '2026-01-01',
      });
      await importPlacesFile(t.db, SYSTEM, bytes(toCsv([hub])), { ...options, source: 'hub-a' });
      const before = await snapshot(t.db);
      const other = sampleRow({
        id: 'x-9',
        nom: 'CENTRE SOCIAL DE LA SOURCE',
        adresse: '12 r. des lilas',
        latitude: '47.9029',
        longitude: '1.9039',
        date_maj: '2026-02-01',
      });
      const sameSource = sampleRow({
        nom: 'Centre social la Source',
        adresse: '12 rue des Lilas',
        date_maj: '2026-02-01',
      });
      // A dry run reports the merge it would make, and keeps nothing but the record of the attempt.
      const trial = await importPlacesFile(t.db, SYSTEM, bytes(toCsv([other])), {
        ...options,
        source: 'hub-b',
        dryRun: true,
      });
      assert.equal(trial.merged, 1);
      assert.equal(trial.imported, 0);
      assert.ok(trial.warnings.some((w) => w.id === 'x-9'));
      assert.deepEqual((await snapshot(t.db)).places, before.places);
      assert.equal((await listPlaceMerges(t.db, SYSTEM)).length, 0);
      assert.ok((await listPlaceImports(t.db, SYSTEM)).some((i) => i.dryRun && i.counts.merged === 1));
      const report = await importPlacesFile(t.db, SYSTEM, bytes(toCsv([other])), {
        ...options,
        source: 'hub-b',
      });
      assert.equal(report.merged, 1);
      assert.equal(report.imported, 0);
      const merges = await listPlaceMerges(t.db, SYSTEM);
      assert.equal(merges.length, 1);
      const page = await listPlacesPage(t.db, SYSTEM, { limit: 10, offset: 0 });
      assert.equal(page.total, 1, 'one place shown');
      assert.equal(page.places[0]?.source, 'hub-b', 'the freshest record is the canonical one');
      assert.equal((await exportPlaces(t.db, SYSTEM, { format: 'csv' })).trim().split('\n').length, 2);

      // Within one source, a look-alike is only warned.
      const warned = await importPlacesFile(t.db, SYSTEM, bytes(toCsv([sameSource])), {
        ...options,
        source: 'hub-a',
      });
      assert.equal(warned.merged, 0);
      assert.ok(warned.warnings.some((w) => /même source/.test(w.message)));
      await undoPlaceImport(t.db, SYSTEM, { id: warned.importId as string });

      await unmergePlace(t.db, SYSTEM, { id: merges[0]?.id as string });
      assert.equal((await listPlacesPage(t.db, SYSTEM, { limit: 10, offset: 0 })).total, 2);
      // Re-importing does not merge an unmerged pair again.
      const again = await importPlacesFile(
        t.db,
        SYSTEM,
        bytes(toCsv([{ ...other, date_maj: '2026-03-01' }])),
        {
          ...options,
          source: 'hub-b',
        },
      );
      assert.equal(again.merged, 0);
      await undoPlaceImport(t.db, SYSTEM, { id: again.importId as string });
      await undoPlaceImport(t.db, SYSTEM, { id: report.importId as string });
      assert.deepEqual((await snapshot(t.db)).places, before.places);
      await assert.rejects(
        () => unmergePlace(t.db, SYSTEM, { id: merges[0]?.id as string }),
        (e: unknown) => isDomainError(e) && e.code === 'not_found',
      );
    } finally {
      await t.close();
    }
  });

  it('shows the freshest record of a merged place: a merged record updated later takes over, and undo gives the place back', async () => {
    const t = await createTestDb();
    try {
      const fresh = sampleRow({
        id: 'a-1',
        nom: 'Espace public numérique des Blossières',
        adresse: '8 rue Charles Péguy',
        telephone: '+33238000001',
        date_maj: '2026-06-01',
      });
      const older = sampleRow({
        id: 'b-7',
        nom: 'ESPACE PUBLIC NUMERIQUE DES BLOSSIERES',
        adresse: '8 r. Charles Péguy',
        telephone: '+33238000002',
        date_maj: '2026-01-15',
      });
      await importPlacesFile(t.db, SYSTEM, bytes(toCsv([fresh])), { ...options, source: 'hub-a' });
      const merge = await importPlacesFile(t.db, SYSTEM, bytes(toCsv([older])), {
        ...options,
        source: 'hub-b',
      });
      assert.equal(merge.merged, 1);
      const shown = async () => {
        const page = await listPlacesPage(t.db, SYSTEM, { limit: 10, offset: 0 });
        assert.equal(page.total, 1, 'one place shown for the two records');
        const exported = (await exportPlaces(t.db, SYSTEM, { format: 'csv' })).trim().split('\n');
        assert.equal(exported.length, 2, 'one place exported');
        return { source: page.places[0]?.source, telephone: page.places[0]?.telephone, csv: exported[1] };
      };
      assert.equal((await shown()).source, 'hub-a', 'the fresher record (canonical) is shown');
      const beforeUpdate = await snapshot(t.db);

      // The merged record is published again, newer than the canonical one: its values are shown now.
      const update = await importPlacesFile(
        t.db,
        SYSTEM,
        bytes(toCsv([{ ...older, telephone: '+33238000003', date_maj: '2026-09-01' }])),
        { ...options, source: 'hub-b' },
      );
      assert.equal(update.updated, 1);
      const now = await shown();
      assert.equal(now.source, 'hub-b');
      assert.equal(now.telephone, '+33238000003');
      assert.match(now.csv ?? '', /\+33238000003/);
      assert.equal((await listPlaceMerges(t.db, SYSTEM)).length, 1, 'still one merge, both records kept');
      assert.equal((await t.db.selectFrom('place').select('id').execute()).length, 2);

      // Undoing that import restores the exact previous state, and the canonical record shows again.
      await undoPlaceImport(t.db, SYSTEM, { id: update.importId as string });
      assert.deepEqual(await snapshot(t.db), beforeUpdate);
      assert.equal((await shown()).source, 'hub-a');

      // Same date on both: the canonical record stays shown.
      await importPlacesFile(t.db, SYSTEM, bytes(toCsv([{ ...older, date_maj: '2026-06-01' }])), {
        ...options,
        source: 'hub-b',
      });
      assert.equal((await shown()).source, 'hub-a');
    } finally {
      await t.close();
    }
  });

  it('reports data quality: places without hours, old dates, warnings by field', async () => {
    const t = await createTestDb();
    try {
      await importPlacesFile(
        t.db,
        SYSTEM,
        bytes(toCsv([sampleRow({ horaires: '', date_maj: '2020-01-01' }), sampleRow({ telephone: 'abc' })])),
        options,
      );
      const quality = await getDataQuality(t.db, new Date('2026-06-01T00:00:00Z'));
      assert.equal(quality.total, 2);
      assert.equal(quality.withoutHours.count, 1);
      assert.equal(quality.stale.count, 1);
      assert.ok(quality.warningsByField.some((w) => w.field === 'telephone' && w.warnings === 1));
    } finally {
      await t.close();
    }
  });
});
