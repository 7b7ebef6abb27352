import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { DomainError } from '../shared/domain-error.ts';
import { SCHEMA_FIELDS, type SchemaRow } from './places.ts';
import { parsePlacesFile, serializePlacesCsv, serializePlacesJson } from './places-file.ts';
import { normalizePlaceRow } from './places-row.ts';

const utf8 = (text: string) => new TextEncoder().encode(text);

/** Asserts that reading the bytes fails with invalid_file and a French message matching `pattern`. */
function assertInvalidFile(bytes: Uint8Array, fileName: string, pattern: RegExp): DomainError {
  let caught: unknown;
  assert.throws(() => {
    try {
      parsePlacesFile(bytes, fileName);
    } catch (error) {
      caught = error;
      throw error;
    }
  });
  assert.ok(caught instanceof DomainError, `expected a DomainError, got ${String(caught)}`);
  assert.equal(caught.code, 'invalid_file');
  assert.match(caught.message, pattern);
  return caught;
}

function emptyRow(overrides: Partial<SchemaRow> = {}): SchemaRow {
  const row = Object.fromEntries(SCHEMA_FIELDS.map((field) => [field, ''])) as SchemaRow;
  return { ...row, ...overrides };
}

describe('parsePlacesFile: CSV', () => {
  it('reads a comma-separated file into records keyed by column, first record on row 2', () => {
    const parsed = parsePlacesFile(
      utf8('id,nom,code_postal\na,Médiathèque,45000\nb,"Mairie, accueil",45100\n'),
      'l.csv',
    );
    assert.equal(parsed.format, 'csv');
    assert.deepEqual(parsed.columns, ['id', 'nom', 'code_postal']);
    assert.deepEqual(parsed.records, [
      { row: 2, data: { id: 'a', nom: 'Médiathèque', code_postal: '45000' } },
      { row: 3, data: { id: 'b', nom: 'Mairie, accueil', code_postal: '45100' } },
    ]);
    assert.deepEqual(parsed.fileIssues, []);
  });

  it('reads a semicolon-separated file, detecting the delimiter on the header line', () => {
    const parsed = parsePlacesFile(utf8('id;nom;adresse\na;Mairie, accueil;"1 rue; bis"\n'), 'excel.csv');
    assert.deepEqual(parsed.records[0]?.data, { id: 'a', nom: 'Mairie, accueil', adresse: '1 rue; bis' });
  });

  it('ignores delimiters inside quoted header names when detecting', () => {
    const parsed = parsePlacesFile(utf8('"id";"nom";"a,b,c,d"\nx;y;z\n'), 'l.csv');
    assert.deepEqual(parsed.records[0]?.data, { id: 'x', nom: 'y', 'a,b,c,d': 'z' });
  });

  it('removes a UTF-8 BOM, and trims and lowercases header names', () => {
    const parsed = parsePlacesFile(utf8('\uFEFF ID , Nom ,Code postal\na,b,45000\n'), 'l.csv');
    assert.deepEqual(parsed.columns, ['id', 'nom', 'code_postal']);
    assert.deepEqual(parsed.records[0]?.data, { id: 'a', nom: 'b', code_postal: '45000' });
    assert.deepEqual(parsed.fileIssues, []);
  });

  it('supports quoted newlines, numbering each record by its first line', () => {
    const text = 'id,presentation_detail\na,"ligne 1\nligne 2\nligne 3"\nb,simple\n\n"c","x\r\ny"\r\n';
    const parsed = parsePlacesFile(utf8(text), 'l.csv');
    assert.deepEqual(
      parsed.records.map((record) => record.row),
      [2, 5, 7],
    );
    assert.equal(parsed.records[0]?.data.presentation_detail, 'ligne 1\nligne 2\nligne 3');
    assert.equal(parsed.records[2]?.data.presentation_detail, 'x\ny');
  });

  it('reads Windows (CRLF) line endings and skips empty and all-empty rows', () => {
    const parsed = parsePlacesFile(utf8('id,nom\r\na,b\r\n\r\n,\r\nc,d\r\n'), 'l.csv');
    assert.deepEqual(
      parsed.records.map((record) => [record.row, record.data.id]),
      [
        [2, 'a'],
        [5, 'c'],
      ],
    );
  });

  it('accepts rows with fewer or more cells than the header', () => {
    const parsed = parsePlacesFile(utf8('id,nom,commune\na,b\nc,d,e,f\n'), 'l.csv');
    assert.deepEqual(parsed.records[0]?.data, { id: 'a', nom: 'b' });
    assert.deepEqual(parsed.records[1]?.data, { id: 'c', nom: 'd', commune: 'e' });
  });

  it('decodes Windows-1252 bytes without mojibake, with a file-level warning', () => {
    // "Médiathèque" and "Orléans" as Excel saves them in France: é = 0xE9, è = 0xE8.
    const bytes = new Uint8Array([
      ...utf8('id;nom;commune\n1;M'),
      0xe9,
      ...utf8('diath'),
      0xe8,
      ...utf8('que;Orl'),
      0xe9,
      ...utf8('ans\n'),
    ]);
    const parsed = parsePlacesFile(bytes, 'excel.csv');
    assert.deepEqual(parsed.records[0]?.data, { id: '1', nom: 'Médiathèque', commune: 'Orléans' });
    assert.equal(parsed.fileIssues.length, 1);
    assert.equal(parsed.fileIssues[0]?.row, null);
    assert.match(parsed.fileIssues[0]?.message ?? '', /Windows-1252/);
  });

  it('keeps a mostly UTF-8 file in UTF-8, naming the lines of its few stray bytes', () => {
    const bytes = new Uint8Array([...utf8('id,nom\n1,Médiathèque\n2,Orl'), 0xe9, ...utf8('ans\n3,Écluse\n')]);
    const parsed = parsePlacesFile(bytes, 'mixte.csv');
    assert.equal(parsed.records[0]?.data.nom, 'Médiathèque');
    assert.equal(parsed.records[1]?.data.nom, 'Orl\uFFFDans');
    assert.equal(parsed.records[2]?.data.nom, 'Écluse');
    assert.equal(parsed.fileIssues.length, 1);
    assert.match(parsed.fileIssues[0]?.message ?? '', /un caractère illisible.*la ligne 3\./);
  });

  it('follows an Excel "sep=;" first line, keeping line numbers', () => {
    const parsed = parsePlacesFile(utf8('sep=;\nid;nom\na;b, c\n'), 'excel.csv');
    assert.deepEqual(parsed.records, [{ row: 3, data: { id: 'a', nom: 'b, c' } }]);
  });

  it('warns once per unknown column and keeps reading', () => {
    const parsed = parsePlacesFile(utf8('id,nom,Remarque,couleur\na,b,c,d\n'), 'l.csv');
    assert.deepEqual(
      parsed.fileIssues.map((issue) => [issue.row, issue.field, issue.message]),
      [
        [null, 'remarque', 'Colonne inconnue « remarque » : ignorée.'],
        [null, 'couleur', 'Colonne inconnue « couleur » : ignorée.'],
      ],
    );
    assert.equal(parsed.records.length, 1);
  });

  it('reads a header-only file as no record, with a file-level warning', () => {
    const parsed = parsePlacesFile(utf8('id,nom,adresse\n'), 'vide.csv');
    assert.deepEqual(parsed.records, []);
    assert.equal(parsed.fileIssues.length, 1);
    assert.equal(parsed.fileIssues[0]?.row, null);
    assert.match(parsed.fileIssues[0]?.message ?? '', /que la ligne d'en-tête/);
  });

  it('refuses a CSV without any schema column', () => {
    assertInvalidFile(
      utf8('a,b,c\n1,2,3\n'),
      'autre.csv',
      /ne suit pas le schéma national des lieux : les colonnes obligatoires « id », « nom », « adresse », « commune », « code_postal » manquent \(colonnes trouvées : a, b, c\)\. Donnez la correspondance/,
    );
  });

  it('refuses a CSV with a quote never closed, saying where', () => {
    const error = assertInvalidFile(utf8('id,nom\na,"b\nc,d\n'), 'l.csv', /mal formé.*guillemet/);
    assert.equal((error.details as { line: number | null }).line !== undefined, true);
  });

  it('refuses a field over 1 MB', () => {
    const huge = 'x'.repeat(1024 * 1024 + 1);
    assertInvalidFile(utf8(`id,presentation_detail\na,${huge}\n`), 'l.csv', /1 Mo/);
  });
});

describe('parsePlacesFile: JSON', () => {
  it('reads an array of objects, numbering rows from 1, keeping arrays and numbers', () => {
    const parsed = parsePlacesFile(
      utf8(
        JSON.stringify([
          { id: 'a', services: ['Aide aux démarches administratives'], latitude: 47.9 },
          { id: 'b' },
        ]),
      ),
      'lieux.json',
    );
    assert.equal(parsed.format, 'json');
    assert.deepEqual(parsed.records, [
      { row: 1, data: { id: 'a', services: ['Aide aux démarches administratives'], latitude: 47.9 } },
      { row: 2, data: { id: 'b' } },
    ]);
    assert.deepEqual(parsed.columns, ['id', 'services', 'latitude']);
  });

  it('detects JSON from its content whatever the file name', () => {
    assert.equal(parsePlacesFile(utf8('  \n[{"id":"a"}]'), 'export.txt').format, 'json');
  });

  it('refuses a JSON object instead of an array', () => {
    assertInvalidFile(
      utf8('{"lieux":[{"id":"a"}]}'),
      'lieux.json',
      /liste de lieux entre crochets.*un objet/,
    );
  });

  it('refuses broken JSON, saying the line and column', () => {
    const error = assertInvalidFile(utf8('[\n  {"id": "a",}\n]'), 'lieux.json', /ligne 2, colonne 14/);
    assert.equal((error.details as { line: number }).line, 2);
    assertInvalidFile(utf8('[{"id": "a"}'), 'lieux.json', /mal formé/);
  });

  it('reports an element that is not an object on its row, and reads the others', () => {
    const parsed = parsePlacesFile(utf8('[{"id":"a"}, "texte", null, {"id":"b"}]'), 'lieux.json');
    assert.deepEqual(
      parsed.records.map((record) => record.row),
      [1, 4],
    );
    assert.deepEqual(
      parsed.fileIssues.map((issue) => issue.row),
      [2, 3],
    );
    assert.match(parsed.fileIssues[0]?.message ?? '', /n° 2.*pas un objet/);
  });

  it('warns once per unknown key', () => {
    const parsed = parsePlacesFile(utf8('[{"id":"a","note":1},{"id":"b","note":2}]'), 'lieux.json');
    assert.deepEqual(
      parsed.fileIssues.map((issue) => issue.field),
      ['note'],
    );
  });

  it('reads an empty array as no record, with a warning', () => {
    const parsed = parsePlacesFile(utf8('[]'), 'lieux.json');
    assert.deepEqual(parsed.records, []);
    assert.equal(parsed.fileIssues[0]?.row, null);
  });

  it('refuses objects without any schema key', () => {
    assertInvalidFile(
      utf8('[{"a":1}]'),
      'lieux.json',
      /ne suit pas le schéma national des lieux .*--mapping.*Correspondance des colonnes/,
    );
  });
});

describe('parsePlacesFile: files that cannot be read', () => {
  it('refuses an empty file, or one of blanks only', () => {
    assertInvalidFile(new Uint8Array(), 'vide.csv', /« vide\.csv » est vide/);
    assertInvalidFile(utf8(' \n\t\n'), 'vide.csv', /est vide/);
    assertInvalidFile(utf8('\uFEFF'), 'vide.csv', /est vide/);
  });

  it('refuses a binary file (NUL and other control bytes)', () => {
    assertInvalidFile(
      new Uint8Array([0x69, 0x64, 0x00, 0x01, 0x02, 0x6e]),
      'image.csv',
      /pas un fichier texte/,
    );
  });

  it('refuses a file full of control characters', () => {
    const bytes = new Uint8Array(200).map((_, index) => (index % 3 === 0 ? 0x01 : 0x41));
    assertInvalidFile(bytes, 'x.csv', /pas un fichier texte/);
  });

  it('names a spreadsheet or a UTF-16 file for what it is', () => {
    assertInvalidFile(new Uint8Array([0x50, 0x4b, 0x03, 0x04, 0x14, 0x00]), 'lieux.xlsx', /classeur/);
    assertInvalidFile(new Uint8Array([0xff, 0xfe, 0x69, 0x00, 0x64, 0x00]), 'lieux.csv', /UTF-16/);
  });
});

describe('serializePlacesCsv', () => {
  const rows = [
    emptyRow({
      id: 'a',
      nom: 'Mairie, accueil',
      presentation_detail: 'Ligne 1\nLigne "2"',
      latitude: '47.9',
    }),
    emptyRow({ id: 'b', nom: '=HYPERLINK("http://x")', telephone: '+33238000000' }),
  ];

  it('writes the schema CSV: header in schema order, comma, quotes only when needed, \\n', () => {
    const csv = serializePlacesCsv(rows, { excel: false });
    const lines = csv.split('\n');
    assert.equal(lines[0], SCHEMA_FIELDS.join(','));
    assert.ok(!csv.startsWith('\uFEFF'));
    assert.ok(!csv.includes('\r'));
    assert.ok(csv.startsWith(`${SCHEMA_FIELDS.join(',')}\na,,"Mairie, accueil",`));
    assert.ok(csv.includes('"Ligne 1\nLigne ""2"""'));
    assert.ok(csv.includes(',"=HYPERLINK(""http://x"")",'), 'the standard file is left exactly as the data');
  });

  it('writes the Excel flavour with semicolons, a BOM, CRLF and inert formulas', () => {
    const csv = serializePlacesCsv(rows, { excel: true });
    assert.ok(csv.startsWith(`\uFEFF${SCHEMA_FIELDS.join(';')}\r\n`));
    assert.ok(csv.includes(`;"'=HYPERLINK(""http://x"")";`));
    assert.ok(csv.includes(';+33238000000;'), 'phone numbers are not touched');
  });

  it('reads back what it writes, in both flavours', () => {
    for (const excel of [false, true]) {
      const parsed = parsePlacesFile(utf8(serializePlacesCsv(rows.slice(0, 1), { excel })), 'export.csv');
      assert.deepEqual(parsed.fileIssues, []);
      assert.deepEqual(parsed.columns, [...SCHEMA_FIELDS]);
      assert.deepEqual(parsed.records[0]?.data, rows[0]);
    }
  });
});

describe('serializePlacesJson', () => {
  it('writes every field in schema order, coordinates as numbers or null, other fields as strings', () => {
    const json = serializePlacesJson([
      emptyRow({ id: 'a', latitude: '47.9', longitude: '1.9' }),
      emptyRow({ id: 'b' }),
    ]);
    const parsed = JSON.parse(json) as Record<string, unknown>[];
    assert.deepEqual(Object.keys(parsed[0] ?? {}), [...SCHEMA_FIELDS]);
    assert.equal(parsed[0]?.latitude, 47.9);
    assert.equal(parsed[0]?.longitude, 1.9);
    assert.equal(parsed[1]?.latitude, null);
    assert.equal(parsed[1]?.nom, '');
  });

  it('reads back through parsePlacesFile and normalizePlaceRow', () => {
    const row = emptyRow({
      id: 'a',
      nom: 'Lieu',
      adresse: '1 rue',
      commune: 'Orléans',
      code_postal: '45000',
      latitude: '47.9',
      longitude: '1.9',
    });
    const parsed = parsePlacesFile(utf8(serializePlacesJson([row])), 'export.json');
    const normalized = normalizePlaceRow(parsed.records[0]?.data ?? {}, 1);
    assert.deepEqual(normalized.errors, []);
    assert.equal(normalized.place?.latitude, 47.9);
  });
});
