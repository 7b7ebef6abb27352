import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { bytes, sampleRow, toCsv } from '../../test/support/fixtures.ts';
import { closeTestTemplate, createTestDb } from '../../test/support/test-db.ts';
import { isDomainError } from '../shared/domain-error.ts';
import { parseTerritory } from '../shared/territory.ts';
import { exportPlaces, getPlace, listPlacesPage } from './places.service.ts';
import { importPlacesFile } from './places-import.service.ts';

/** Tests act as the command line, which may do everything the directory allows. */
const SYSTEM = { kind: 'system' } as const;

after(closeTestTemplate);

const options = { fileName: 'essai.csv' };

function territory(text: string) {
  const t = parseTerritory(text);
  assert.ok(t.ok);
  return t.territory;
}

describe('places import and export', () => {
  it('imports a v1 file, with counts that add up, and a second import changes nothing', async () => {
    const t = await createTestDb();
    try {
      const rows = [sampleRow(), sampleRow(), sampleRow()];
      const file = bytes(toCsv(rows));
      const first = await importPlacesFile(t.db, SYSTEM, file, options);
      assert.deepEqual(
        {
          read: first.read,
          imported: first.imported,
          updated: first.updated,
          unchanged: first.unchanged,
          rejected: first.rejected,
        },
        { read: 3, imported: 3, updated: 0, unchanged: 0, rejected: 0 },
      );
      const before = await t.db
        .selectFrom('place')
        .select(['id', 'updated_at', 'content_hash'])
        .orderBy('id')
        .execute();
      const second = await importPlacesFile(t.db, SYSTEM, file, options);
      assert.equal(second.unchanged, 3);
      assert.equal(second.imported + second.updated + second.merged + second.rejected, 0);
      const afterRows = await t.db
        .selectFrom('place')
        .select(['id', 'updated_at', 'content_hash'])
        .orderBy('id')
        .execute();
      assert.deepEqual(afterRows, before);
    } finally {
      await t.close();
    }
  });

  it('rejects bad rows with one error per failing field and keeps every valid row', async () => {
    const t = await createTestDb();
    try {
      const good = sampleRow();
      const rows = [
        good,
        sampleRow({ nom: '', adresse: '' }),
        sampleRow({ latitude: 'abc' }),
        sampleRow({ id: good.id as string }),
        sampleRow(),
      ];
      const report = await importPlacesFile(t.db, SYSTEM, bytes(toCsv(rows)), options);
      assert.equal(report.read, 5);
      assert.equal(report.imported, 2);
      assert.equal(report.rejected, 3);
      assert.equal(
        report.imported + report.updated + report.unchanged + report.merged + report.rejected,
        report.read,
      );
      const byRow = (row: number) => report.errors.filter((e) => e.row === row);
      assert.deepEqual(
        byRow(3)
          .map((e) => e.field)
          .sort(),
        ['adresse', 'nom'],
        'row 3 (header is line 1) has two failing fields',
      );
      assert.equal(byRow(4)[0]?.field, 'latitude');
      assert.equal(byRow(4)[0]?.value, 'abc');
      assert.equal(byRow(5)[0]?.field, 'id');
      assert.equal(byRow(5)[0]?.value, good.id);
      for (const e of report.errors) {
        assert.ok(e.message.length > 10, 'a message in plain words');
        assert.ok(e.id !== undefined);
      }
      assert.equal((await listPlacesPage(t.db, SYSTEM, { limit: 10, offset: 0 })).total, 2);
    } finally {
      await t.close();
    }
  });

  it('writes nothing on a dry run but reports what would happen', async () => {
    const t = await createTestDb();
    try {
      const report = await importPlacesFile(t.db, SYSTEM, bytes(toCsv([sampleRow(), sampleRow()])), {
        ...options,
        dryRun: true,
      });
      assert.equal(report.imported, 2);
      assert.equal((await listPlacesPage(t.db, SYSTEM, { limit: 10, offset: 0 })).total, 0);
    } finally {
      await t.close();
    }
  });

  it('updates a changed row and keeps our stable id', async () => {
    const t = await createTestDb();
    try {
      const row = sampleRow();
      await importPlacesFile(t.db, SYSTEM, bytes(toCsv([row])), options);
      const { places } = await listPlacesPage(t.db, SYSTEM, { limit: 1, offset: 0 });
      const id = places[0]?.id as string;
      const report = await importPlacesFile(
        t.db,
        SYSTEM,
        bytes(toCsv([{ ...row, nom: 'Nouveau nom', date_maj: '2026-06-01' }])),
        options,
      );
      assert.equal(report.updated, 1);
      const place = await getPlace(t.db, SYSTEM, { placeId: id });
      assert.equal(place.nom, 'Nouveau nom');
      assert.equal(place.dateMaj, '2026-06-01');
    } finally {
      await t.close();
    }
  });

  it('never mixes up the same id published by two sources', async () => {
    const t = await createTestDb();
    try {
      const row = sampleRow({ id: '1' });
      await importPlacesFile(t.db, SYSTEM, bytes(toCsv([row])), { ...options, source: 'hub-a' });
      const report = await importPlacesFile(t.db, SYSTEM, bytes(toCsv([{ ...row, nom: 'Autre lieu' }])), {
        ...options,
        source: 'hub-b',
      });
      assert.equal(report.imported, 1);
      assert.equal((await listPlacesPage(t.db, SYSTEM, { limit: 10, offset: 0 })).total, 2);
      const csv = await exportPlaces(t.db, SYSTEM, { format: 'csv' });
      const ids = csv
        .trim()
        .split('\n')
        .slice(1)
        .map((line) => line.split(',')[0]);
      assert.equal(new Set(ids).size, 2, 'exported ids are unique');
    } finally {
      await t.close();
    }
  });

  it('exports exactly what it imported: import(export(x)) = x', async () => {
    const a = await createTestDb();
    const b = await createTestDb();
    try {
      const rows = [
        sampleRow(),
        sampleRow({
          presentation_detail: 'Ligne 1\nLigne 2, avec "guillemets"',
          latitude: '',
          longitude: '',
        }),
        sampleRow({ itinerance: 'Itinérant', services: 'Loisirs et créations numériques', horaires: '' }),
      ];
      await importPlacesFile(a.db, SYSTEM, bytes(toCsv(rows)), options);
      const first = await exportPlaces(a.db, SYSTEM, { format: 'csv' });
      await importPlacesFile(b.db, SYSTEM, bytes(first), { ...options, fileName: 'export.csv' });
      const second = await exportPlaces(b.db, SYSTEM, { format: 'csv' });
      assert.equal(second, first);
      const json = JSON.parse(await exportPlaces(a.db, SYSTEM, { format: 'json' })) as Record<
        string,
        unknown
      >[];
      assert.equal(json.length, 3);
      const excel = await exportPlaces(a.db, SYSTEM, { format: 'csv-excel' });
      assert.ok(excel.startsWith('\uFEFFid;pivot;nom;'));
    } finally {
      await a.close();
      await b.close();
    }
  });

  it('exports one territory only when asked', async () => {
    const t = await createTestDb();
    try {
      const rows = [
        sampleRow(),
        sampleRow({
          commune: 'Marseille',
          code_postal: '13001',
          code_insee: '13055',
          latitude: '43.29',
          longitude: '5.37',
        }),
      ];
      await importPlacesFile(t.db, SYSTEM, bytes(toCsv(rows)), options);
      const csv = await exportPlaces(t.db, SYSTEM, { format: 'csv', territory: territory('epci:244500468') });
      assert.equal(csv.trim().split('\n').length, 2);
      assert.ok(csv.includes('Orléans'));
      await assert.rejects(
        () => exportPlaces(t.db, SYSTEM, { format: 'csv', territory: territory('dep:99') }),
        (e: unknown) => isDomainError(e) && e.code === 'not_found',
      );
    } finally {
      await t.close();
    }
  });

  it('refuses unreadable files with a clear message and keeps the database as it was', async () => {
    const t = await createTestDb();
    try {
      for (const [name, content] of [
        ['vide.csv', new Uint8Array()],
        ['binaire.csv', new Uint8Array([0, 1, 2, 3, 0, 255, 0, 12, 0, 0])],
        ['objet.json', bytes('{"id": "1"}')],
      ] as const) {
        await assert.rejects(
          () => importPlacesFile(t.db, SYSTEM, content, { ...options, fileName: name }),
          (e: unknown) => isDomainError(e) && e.code === 'invalid_file' && /[a-zé]/.test(e.message),
          name,
        );
      }
      const headerOnly = await importPlacesFile(t.db, SYSTEM, bytes(toCsv([])), options);
      assert.equal(headerOnly.read, 0);
      const unknown = await importPlacesFile(
        t.db,
        SYSTEM,
        bytes(toCsv([sampleRow({ couleur: 'bleu' })], [...Object.keys(sampleRow()), 'couleur'])),
        options,
      );
      assert.equal(unknown.imported, 1);
      assert.ok(unknown.warnings.some((w) => w.row === null && w.field === 'couleur'));
    } finally {
      await t.close();
    }
  });
});
