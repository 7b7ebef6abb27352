import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { testApp } from '../../test/support/app.ts';
import { bytes, sampleRow, toCsv } from '../../test/support/fixtures.ts';
import { closeTestTemplate, createTestDb } from '../../test/support/test-db.ts';
import { ensureReferencePoints } from '../communes/communes.service.ts';
import { isDomainError } from '../shared/domain-error.ts';
import { exportPlaces, getPlace, listPlacesPage } from './places.service.ts';
import { parsePlacesFile } from './places-file.ts';
import { importPlacesFile } from './places-import.service.ts';
import { matchKey, matchPlaces, mayMatch } from './places-match.ts';
import { normalizePlaceRow } from './places-row.ts';
import { isInFrance, swapIfOnlyFranceWhenSwapped } from './places-row-location.ts';

/** Tests act as the command line, which may do everything the directory allows. */
const SYSTEM = { kind: 'system' } as const;

after(closeTestTemplate);

const options = { fileName: 'regles.csv' };
/** Orléans (45234), the fixtures' commune: its reference point for these tests. */
const ORLEANS = { code: '45234', lat: 47.9029, lon: 1.9039 };

describe('swapped latitude and longitude', () => {
  it('knows France, overseas included, and nothing else', () => {
    assert.ok(isInFrance(47.9, 1.9));
    assert.ok(isInFrance(-21.1, 55.5)); // La Réunion
    assert.ok(isInFrance(16.2, -61.5)); // Guadeloupe
    assert.ok(!isInFrance(40.7, -74)); // New York
    assert.ok(!isInFrance(1.9, 47.9));
  });

  it('swaps values that fit France only when swapped, and leaves the others alone', () => {
    assert.deepEqual(swapIfOnlyFranceWhenSwapped(1.9039, 47.9029), { latitude: 47.9029, longitude: 1.9039 });
    assert.deepEqual(swapIfOnlyFranceWhenSwapped(55.5, -21.1), { latitude: -21.1, longitude: 55.5 });
    assert.equal(swapIfOnlyFranceWhenSwapped(47.9029, 1.9039), null);
    assert.equal(swapIfOnlyFranceWhenSwapped(40.7, -74), null);
  });

  it('fixes swapped columns on import with a warning naming both values', () => {
    const result = normalizePlaceRow(sampleRow({ latitude: '1.90389', longitude: '47.90289' }), 2);
    assert.equal(result.place?.latitude, 47.90289);
    assert.equal(result.place?.longitude, 1.90389);
    const warning = result.warnings.find((w) => w.field === 'latitude');
    assert.ok(warning);
    assert.equal(warning.row, 2);
    assert.match(warning.message, /« 1\.90389 ».*« 47\.90289 ».*inversées/);
  });
});

describe('a SIRET with a wrong check digit', () => {
  it('is kept as the source wrote it, with a warning naming the row and the value; a valid or zero one is not warned', () => {
    const bad = normalizePlaceRow(sampleRow({ pivot: '214 502 346 00018' }), 7);
    assert.equal(bad.place?.pivot, '21450234600018');
    const warning = bad.warnings.find((w) => w.field === 'pivot');
    assert.ok(warning, JSON.stringify(bad.warnings));
    assert.equal(warning.row, 7);
    assert.match(warning.message, /Le SIRET « 21450234600018 » .*clé de contrôle est fausse.*gardé tel quel/);
    for (const pivot of ['73282932000074', '00000000000000', 'W452001234', '214502346'])
      assert.ok(!normalizePlaceRow(sampleRow({ pivot }), 2).warnings.some((w) => w.field === 'pivot'), pivot);
  });
});

describe('a position far from its commune', () => {
  it('is replaced by the commune reference point, flagged approximate, with a warning naming the value', async () => {
    const t = await createTestDb();
    try {
      await ensureReferencePoints(t.db, [ORLEANS]);
      // 45.76, 4.83 is Lyon: about 300 km from Orléans.
      const far = sampleRow({ latitude: '45.76', longitude: '4.83' });
      const near = sampleRow({ latitude: '47.91', longitude: '1.91' });
      const report = await importPlacesFile(t.db, SYSTEM, bytes(toCsv([far, near])), options);
      assert.equal(report.imported, 2);
      const warning = report.warnings.find((w) => w.id === far.id && /point de référence/.test(w.message));
      assert.ok(warning, JSON.stringify(report.warnings));
      assert.equal(warning.row, 2);
      assert.equal(warning.value, '45.76 ; 4.83');
      assert.match(warning.message, /45\.76, 4\.83 est à \d+ km de la commune Orléans \(45234\)/);
      const { places } = await listPlacesPage(t.db, SYSTEM, { limit: 10, offset: 0 });
      const stored = new Map(places.map((p) => [p.sourceId, p]));
      assert.deepEqual(
        [stored.get(far.id ?? '')?.latitude, stored.get(far.id ?? '')?.longitude],
        [ORLEANS.lat, ORLEANS.lon],
      );
      assert.equal(stored.get(far.id ?? '')?.positionApproximate, true);
      assert.equal(stored.get(near.id ?? '')?.latitude, 47.91);
      assert.equal(stored.get(near.id ?? '')?.positionApproximate, false);
      assert.ok(!report.warnings.some((w) => w.id === near.id && /point de référence/.test(w.message)));

      // Re-importing the same file changes nothing: the replacement is part of the normalised record.
      const again = await importPlacesFile(t.db, SYSTEM, bytes(toCsv([far, near])), options);
      assert.equal(again.unchanged, 2);
    } finally {
      await t.close();
    }
  });

  it('is given to a place without any position, flagged approximate, so that a commune search finds it', async () => {
    const t = await createTestDb();
    try {
      await ensureReferencePoints(t.db, [ORLEANS]);
      const none = sampleRow({ latitude: '', longitude: '' });
      const report = await importPlacesFile(t.db, SYSTEM, bytes(toCsv([none])), options);
      assert.equal(report.imported, 1);
      const warning = report.warnings.find((w) => w.id === none.id && /n'a pas de position/.test(w.message));
      assert.ok(warning, JSON.stringify(report.warnings));
      assert.equal(warning.row, 2);
      assert.match(warning.message, /point de référence de la commune Orléans \(45234\)/);
      const { places } = await listPlacesPage(t.db, SYSTEM, { limit: 10, offset: 0 });
      assert.deepEqual([places[0]?.latitude, places[0]?.longitude], [ORLEANS.lat, ORLEANS.lon]);
      assert.equal(places[0]?.positionApproximate, true);
      const again = await importPlacesFile(t.db, SYSTEM, bytes(toCsv([none])), options);
      assert.equal(again.unchanged, 1);
    } finally {
      await t.close();
    }
  });

  it('is kept when the commune has no reference point stored', async () => {
    const t = await createTestDb();
    try {
      const far = sampleRow({ latitude: '45.76', longitude: '4.83' });
      const report = await importPlacesFile(t.db, SYSTEM, bytes(toCsv([far])), options);
      assert.ok(!report.warnings.some((w) => /point de référence/.test(w.message)));
      const { places } = await listPlacesPage(t.db, SYSTEM, { limit: 10, offset: 0 });
      assert.equal(places[0]?.latitude, 45.76);
      assert.equal(places[0]?.positionApproximate, false);
    } finally {
      await t.close();
    }
  });

  it('fixes swapped columns first, then checks the distance', async () => {
    const t = await createTestDb();
    try {
      await ensureReferencePoints(t.db, [ORLEANS]);
      const swapped = sampleRow({ latitude: '1.91', longitude: '47.91' });
      const report = await importPlacesFile(t.db, SYSTEM, bytes(toCsv([swapped])), options);
      assert.ok(report.warnings.some((w) => /inversées/.test(w.message)));
      assert.ok(!report.warnings.some((w) => /point de référence/.test(w.message)));
      const { places } = await listPlacesPage(t.db, SYSTEM, { limit: 10, offset: 0 });
      assert.deepEqual([places[0]?.latitude, places[0]?.longitude], [47.91, 1.91]);
    } finally {
      await t.close();
    }
  });
});

describe('the duplicate pre-filter', () => {
  it('never rules out a pair that comparePlaces matches', () => {
    const pairs: [Record<string, string>, Record<string, string>][] = [
      [
        { nom: 'Médiathèque Jean Jaurès', adresse: '12 rue Jean Jaurès' },
        { nom: 'Mediatheque J. Jaures', adresse: '12 r Jean Jaures' },
      ],
      [
        { nom: 'CS Capelette', adresse: '221 avenue de la Capelette' },
        { nom: 'France services Marseille 10e', adresse: '221 av de la Capelette' },
      ],
      [
        { nom: 'Mairie', adresse: 'Place de la Mairie' },
        { nom: 'Mairie de Lambesc', adresse: 'place de la mairie' },
      ],
      [
        { nom: 'Mairie', adresse: '1 rue Haute' },
        { nom: 'Mairie', adresse: '3 rue Haute' },
      ],
    ];
    for (const [a, b] of pairs) {
      const left = { nom: a.nom ?? '', adresse: a.adresse ?? '', latitude: null, longitude: null };
      const right = { nom: b.nom ?? '', adresse: b.adresse ?? '', latitude: null, longitude: null };
      if (matchPlaces(left, right).match) assert.ok(mayMatch(matchKey(left), matchKey(right)), a.nom);
    }
    assert.equal(
      mayMatch(
        matchKey({ nom: 'Mairie', adresse: '1 rue Haute', latitude: null, longitude: null }),
        matchKey({ nom: 'Mairie', adresse: '3 rue Haute', latitude: null, longitude: null }),
      ),
      false,
    );
  });
});

describe('bad input', () => {
  it('refuses a 5 MB single field in a CSV, naming row and column, without holding the file many times over', () => {
    const huge = 'x'.repeat(5 * 1024 * 1024);
    const file = bytes(`id,nom,adresse\nlieu-1,"${huge}",1 rue Haute\n`);
    const before = process.memoryUsage().heapUsed;
    let error: unknown;
    try {
      parsePlacesFile(file, 'gros.csv');
    } catch (caught) {
      error = caught;
    }
    const grown = process.memoryUsage().heapUsed - before;
    assert.ok(isDomainError(error) && error.code === 'invalid_file', String(error));
    assert.match(error.message, /colonne « nom » à la ligne 2 dépasse 1 Mo/);
    assert.deepEqual(
      { row: (error.details as { row?: number }).row, field: (error.details as { field?: string }).field },
      { row: 2, field: 'nom' },
    );
    // The text of a 5 MB file is ~10 MB in memory (UTF-16); parsing must not multiply it further.
    assert.ok(grown < 80 * 1024 * 1024, `heap grew by ${Math.round(grown / 1024 / 1024)} MB`);
  });

  it('refuses a 5 MB single field in a JSON file, naming row and field', () => {
    const file = bytes(
      JSON.stringify([
        { id: 'a', nom: 'b' },
        { id: 'c', presentation_detail: 'y'.repeat(5e6) },
      ]),
    );
    let error: unknown;
    try {
      parsePlacesFile(file, 'gros.json');
    } catch (caught) {
      error = caught;
    }
    assert.ok(isDomainError(error) && error.code === 'invalid_file');
    assert.match(error.message, /colonne « presentation_detail » à la ligne 2 dépasse 1 Mo/);
  });

  it('stores HTML and script in names as text, inert in the export and the pages', async () => {
    const t = await createTestDb();
    try {
      const nom = '<script>alert("x")</script><img src=x onerror=alert(1)> Médiathèque & Cie';
      const row = sampleRow({ nom, adresse: '<b>1</b> place de la République' });
      const report = await importPlacesFile(t.db, SYSTEM, bytes(toCsv([row])), options);
      assert.equal(report.imported, 1);
      const { places } = await listPlacesPage(t.db, SYSTEM, { limit: 10, offset: 0 });
      const id = places[0]?.id ?? '';
      assert.equal((await getPlace(t.db, SYSTEM, { placeId: id })).nom, nom);

      const json = JSON.parse(await exportPlaces(t.db, SYSTEM, { format: 'json' })) as { nom: string }[];
      assert.equal(json[0]?.nom, nom);
      assert.ok(
        (await exportPlaces(t.db, SYSTEM, { format: 'csv' })).includes('<script>alert(""x"")</script>'),
      );

      const app = testApp(t.db);
      for (const path of ['/lieux', `/lieux/${id}`]) {
        const html = await (await app.request(path)).text();
        assert.ok(!html.includes('<script>alert'), path);
        assert.ok(!html.includes('<img src=x'), path);
        assert.ok(html.includes('&lt;script&gt;alert'), path);
      }
    } finally {
      await t.close();
    }
  });

  it('cleans every cell of control characters and lone surrogates, and reads a line break in a list cell as a separator', async () => {
    const t = await createTestDb();
    try {
      const csvRow = sampleRow({
        nom: 'Média\u0000thèque\u0007 du centre',
        services: 'Aide aux démarches administratives\nAccès internet et matériel informatique',
        modalites_acces: 'Se présenter\r\nTéléphoner',
        presentation_detail: 'Première ligne.\nDeuxième ligne\u0000.',
      });
      const report = await importPlacesFile(t.db, SYSTEM, bytes(toCsv([csvRow])), options);
      assert.equal(report.imported, 1);
      assert.equal(report.rejected, 0);
      const jsonRow = sampleRow({ nom: 'Espace \ud800numérique\u0000', adresse: '2 rue\u001f du Port' });
      const fromJson = await importPlacesFile(t.db, SYSTEM, bytes(JSON.stringify([jsonRow])), {
        ...options,
        fileName: 'essai.json',
      });
      assert.equal(fromJson.imported, 1);
      const { places } = await listPlacesPage(t.db, SYSTEM, { limit: 10, offset: 0 });
      const byName = new Map(places.map((p) => [p.nom, p]));
      const fromCsv = byName.get('Médiathèque du centre');
      assert.ok(fromCsv, [...byName.keys()].join(' / '));
      assert.deepEqual(fromCsv.services, [
        'Aide aux démarches administratives',
        'Accès internet et matériel informatique',
      ]);
      assert.deepEqual(fromCsv.modalitesAcces, ['Se présenter', 'Téléphoner']);
      assert.equal(fromCsv.presentationDetail, 'Première ligne.\nDeuxième ligne.');
      assert.ok(byName.has('Espace \ufffdnumérique'), [...byName.keys()].join(' / '));
      assert.equal(byName.get('Espace \ufffdnumérique')?.adresse, '2 rue du Port');
    } finally {
      await t.close();
    }
  });
});

describe('an id given to another place', () => {
  it('refuses the row that reuses a place’s id for another place far away, naming both; a place that moved keeps its id', async () => {
    const t = await createTestDb();
    try {
      const first = [
        sampleRow({ id: 'hub-1', nom: 'Mairie d’Orléans', latitude: '47.9029', longitude: '1.9039' }),
        sampleRow({ id: 'hub-2', nom: 'Espace public numérique', latitude: '47.9029', longitude: '1.9039' }),
      ];
      await importPlacesFile(t.db, SYSTEM, bytes(toCsv(first)), { ...options, source: 'hub' });
      const saran = { commune: 'Saran', code_postal: '45770', code_insee: '45302', date_maj: '2026-06-01' };
      const second = [
        // hub-1 now names a library 10 km away: another place under the same id.
        sampleRow({
          id: 'hub-1',
          nom: 'Bibliothèque de Saran',
          latitude: '47.9929',
          longitude: '1.9039',
          ...saran,
        }),
        // hub-2 moved 10 km with its name: the same place.
        sampleRow({
          id: 'hub-2',
          nom: 'Espace public numérique',
          latitude: '47.9929',
          longitude: '1.9039',
          ...saran,
        }),
      ];
      const report = await importPlacesFile(t.db, SYSTEM, bytes(toCsv(second)), {
        ...options,
        source: 'hub',
      });
      assert.deepEqual([report.rejected, report.updated], [1, 1]);
      const error = report.errors.find((e) => e.id === 'hub-1');
      assert.ok(error, JSON.stringify(report.errors));
      assert.equal(error.row, 2);
      assert.equal(error.field, 'id');
      assert.match(
        error.message,
        /L'identifiant « hub-1 » désigne déjà un autre lieu : « Mairie d’Orléans » \(Orléans\), à 10 km de « Bibliothèque de Saran » \(Saran\)/,
      );
      const { places } = await listPlacesPage(t.db, SYSTEM, { limit: 10, offset: 0 });
      assert.deepEqual(places.map((p) => p.nom).sort(), ['Espace public numérique', 'Mairie d’Orléans']);
    } finally {
      await t.close();
    }
  });
});
