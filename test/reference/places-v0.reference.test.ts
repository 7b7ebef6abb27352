import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { parse } from 'csv-parse/sync';
import { exportPlaces } from '../../src/places/places.service.ts';
import { listPlaceMerges } from '../../src/places/places-history.service.ts';
import { type ImportReport, importPlacesFile } from '../../src/places/places-import.service.ts';
import { findV0Value, type V0ListField } from '../../src/places/places-v0.ts';
import { AURA_V0_FILE, PACA_FILE, readReference } from '../support/reference-data.ts';
import { validateAgainstSchema } from '../support/schema-validator.ts';
import { closeTestTemplate, createTestDb } from '../support/test-db.ts';

/** Tests act as the command line, which may do everything the directory allows. */
const SYSTEM = { kind: 'system' } as const;

/**
 * The v0 → v1 mapping against the official v0.1.1 schema, and the import of the two real published files
 * (one pure v0, one mixing v0 and v1) through to an export the official v1 schema accepts.
 */

after(closeTestTemplate);

interface TableSchema {
  fields: { name: string; constraints?: { pattern?: string } }[];
}

const readJson = (...parts: string[]) => JSON.parse(readReference(...parts).toString('utf8')) as unknown;

/** The alternatives of a v0 list pattern `(?:(?:^|;)(A|B|C))+$`, unescaped; null for another pattern. */
function patternAlternatives(pattern: string): string[] | null {
  const group = /^\(\?:\(\?:\^\|;\)\((.*)\)\)\+\$$/.exec(pattern)?.[1];
  if (group === undefined) return null;
  return group.split(/(?<!\\)\|/).map((alternative) => alternative.replace(/\\(.)/g, '$1'));
}

function csvRows(csv: string): Record<string, string>[] {
  return parse(csv, { columns: true, bom: true }) as Record<string, string>[];
}

/** Every issue of a report names its row, field and value (file-level warnings aside). */
function assertIssuesNamed(report: ImportReport): void {
  for (const issue of report.errors) {
    assert.ok(issue.row !== null && issue.field !== null, JSON.stringify(issue));
    assert.ok(issue.message.length > 0);
  }
  for (const issue of report.warnings) {
    if (issue.row === null) continue;
    assert.ok(issue.field !== null && issue.message.length > 0, JSON.stringify(issue));
  }
}

describe('v0 → v1 mapping (official schema v0.1.1)', () => {
  it('maps every alternative of every list pattern of schema v0.1.1', () => {
    const schema = readJson('lieux-schema', 'schema-v0.1.1.json') as TableSchema;
    const listFields: string[] = [];
    const unmapped: string[] = [];
    for (const field of schema.fields) {
      const pattern = field.constraints?.pattern;
      const alternatives = pattern === undefined ? null : patternAlternatives(pattern);
      if (alternatives === null) continue;
      listFields.push(field.name);
      for (const value of alternatives) {
        const match = findV0Value(value, field.name as V0ListField);
        if (match === null || match.field !== field.name || match.value !== value)
          unmapped.push(`${field.name}: ${value}`);
      }
    }
    assert.deepEqual(listFields.sort(), [
      'conditions_acces',
      'labels_nationaux',
      'modalites_accompagnement',
      'publics_accueillis',
      'services',
    ]);
    assert.deepEqual(unmapped, []);
  });
});

describe('importing the real published files', () => {
  const files = [
    { name: 'Auvergne-Rhône-Alpes (v0)', parts: AURA_V0_FILE, rows: 687 },
    { name: 'Provence-Alpes-Côte d’Azur (v0 et v1 mêlés)', parts: PACA_FILE, rows: 646 },
  ];
  for (const file of files) {
    it(`imports ${file.name} with counts that add up, few rejections, and exports it valid`, async () => {
      const { db, close } = await createTestDb();
      try {
        const fileName = file.parts.at(-1) ?? 'file.json';
        const report = await importPlacesFile(db, SYSTEM, readReference(...file.parts), { fileName });
        const { read, imported, updated, unchanged, merged, rejected } = report;
        console.log(
          JSON.stringify({
            file: fileName,
            read,
            imported,
            updated,
            unchanged,
            merged,
            rejected,
            warnings: report.warnings.length,
          }),
        );
        assert.equal(read, file.rows);
        assert.equal(imported + updated + unchanged + merged + rejected, read);
        assert.ok(rejected <= 10, `${rejected} rejected: ${JSON.stringify(report.errors.slice(0, 5))}`);
        assertIssuesNamed(report);

        const exported = csvRows(await exportPlaces(db, SYSTEM, { format: 'csv' }));
        // Merged duplicates (the same place from two sources) are exported once.
        const merges = (await listPlaceMerges(db, SYSTEM)).length;
        assert.equal(exported.length, imported + updated + unchanged + merged - merges);
        assert.deepEqual(
          validateAgainstSchema(readJson('lieux-schema', 'schema.json'), exported).slice(0, 20),
          [],
        );
        // Nothing of the v0 lists is lost: mapped, or kept in text.
        assert.ok(exported.every((row) => row.services !== ''));
      } finally {
        await close();
      }
    });
  }
});
