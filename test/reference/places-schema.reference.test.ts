import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { type PlaceData, placeToSchemaRow, SCHEMA_FIELDS, type SchemaRow } from '../../src/places/places.ts';
import { parsePlacesFile } from '../../src/places/places-file.ts';
import { normalizePlaceRow } from '../../src/places/places-row.ts';
import {
  DISPOSITIFS,
  ETAPES_NUMERIQUES,
  ETAPES_NUMERIQUES_EXPORT,
  FORMATIONS_LABELS,
  FRAIS,
  ITINERANCE,
  MODALITES_ACCES,
  MODALITES_ACCOMPAGNEMENT,
  PRISE_EN_CHARGE,
  PUBLICS,
  SERVICES,
  TYPOLOGIES,
  TYPOLOGY_LABELS,
} from '../../src/places/schema-values.ts';
import { validateAgainstSchema } from '../support/schema-validator.ts';

/**
 * Our copy of the national places schema (enumerations, import, export) checked against the official files
 * of schema v1.0.2 in the shared reference data. Missing files make the tests fail, never skip.
 */

const referenceFolder = path.resolve(process.cwd(), process.env.MAILLAGE_REFERENCE_DATA ?? '../shared/data');

function referenceFile(relativePath: string): Buffer {
  const file = path.join(referenceFolder, relativePath);
  if (!fs.existsSync(file)) {
    assert.fail(
      `Reference file missing: ${file}. Set MAILLAGE_REFERENCE_DATA to the folder of the shared reference data ` +
        '(the one holding lieux-schema/).',
    );
  }
  return fs.readFileSync(file);
}

interface SchemaJson {
  version: string;
  fields: { name: string; type: string; constraints: { pattern?: string } }[];
}

function readSchema(): SchemaJson {
  return JSON.parse(referenceFile('lieux-schema/schema.json').toString('utf8')) as SchemaJson;
}

/** The alternatives of a multi-value pattern `(?:(?:^|\|)(A|B|C))+$`, unescaped; null for another pattern. */
function patternAlternatives(pattern: string): string[] | null {
  const group = /^\(\?:\(\?:\^\|\\\|\)\((.*)\)\)\+\$$/.exec(pattern)?.[1];
  if (group === undefined) return null;
  return group.split(/(?<!\\)\|/).map((alternative) => alternative.replace(/\\(.)/g, '$1'));
}

/** Our constant for each enumerated field, as the official pattern should list it. */
const ENUMERATIONS: Readonly<Record<string, readonly string[]>> = {
  services: SERVICES,
  publics_specifiquement_adresses: PUBLICS,
  prise_en_charge_specifique: PRISE_EN_CHARGE,
  frais_a_charge: FRAIS,
  dispositif_programmes_nationaux: DISPOSITIFS,
  // Documented upstream defect: the pattern lacks the space of "Étapes numériques (La Poste)".
  formations_labels: FORMATIONS_LABELS.map((label) =>
    label === ETAPES_NUMERIQUES ? ETAPES_NUMERIQUES_EXPORT : label,
  ),
  modalites_acces: MODALITES_ACCES,
  modalites_accompagnement: MODALITES_ACCOMPAGNEMENT,
  itinerance: ITINERANCE,
};

describe('places schema v1.0.2 (reference files)', () => {
  it('is the version our code follows, with the same fields in the same order', () => {
    const schema = readSchema();
    assert.equal(schema.version, 'v1.0.2');
    assert.deepEqual(
      schema.fields.map((field) => field.name),
      [...SCHEMA_FIELDS],
    );
  });

  it('lists in each enumerated field’s pattern exactly the values of our constants', () => {
    const schema = readSchema();
    const enumerated: string[] = [];
    for (const field of schema.fields) {
      const alternatives = field.constraints.pattern ? patternAlternatives(field.constraints.pattern) : null;
      if (alternatives === null) continue;
      enumerated.push(field.name);
      const ours = ENUMERATIONS[field.name];
      assert.ok(ours, `no constant for the enumerated field ${field.name}`);
      assert.deepEqual([...ours], alternatives, field.name);
    }
    assert.deepEqual(enumerated.sort(), Object.keys(ENUMERATIONS).sort());
  });

  it('still has the Étapes numériques defect that our export works around', () => {
    const field = readSchema().fields.find((candidate) => candidate.name === 'formations_labels');
    const pattern = new RegExp(field?.constraints.pattern ?? '', 'u');
    assert.ok(pattern.test(ETAPES_NUMERIQUES_EXPORT));
    assert.ok(
      !pattern.test(ETAPES_NUMERIQUES),
      'upstream fixed the pattern: export ETAPES_NUMERIQUES as is and drop ETAPES_NUMERIQUES_EXPORT',
    );
  });

  it('has the typology codes and labels of the ANCT library', () => {
    const enums = JSON.parse(referenceFile('lieux-schema/enums-from-ts-library.json').toString('utf8')) as {
      Typologie: { value: string; label: string }[];
    };
    assert.deepEqual(
      [...TYPOLOGIES],
      enums.Typologie.map((entry) => entry.value),
    );
    for (const entry of enums.Typologie) assert.equal(TYPOLOGY_LABELS[entry.value], entry.label, entry.value);
  });

  it('imports the official valid example without issue and exports it unchanged and valid', () => {
    const schema = readSchema();
    const parsed = parsePlacesFile(referenceFile('lieux-schema/exemple-valide.csv'), 'exemple-valide.csv');
    assert.deepEqual(parsed.fileIssues, []);
    assert.ok(parsed.records.length > 0, 'the example has rows');
    const exported: SchemaRow[] = [];
    for (const record of parsed.records) {
      const normalized = normalizePlaceRow(record.data, record.row);
      assert.deepEqual(normalized.errors, [], `row ${record.row}`);
      assert.deepEqual(normalized.warnings, [], `row ${record.row}`);
      const place = normalized.place as PlaceData;
      const row = placeToSchemaRow(place, place.sourceId, normalized.source ?? '');
      assert.deepEqual(row, record.data, `row ${record.row} comes back as it was`);
      exported.push(row);
    }
    assert.deepEqual(validateAgainstSchema(schema, exported), []);
  });

  it('exports a place using every enumerated value in a form the official constraints accept', () => {
    const schema = readSchema();
    const parsed = parsePlacesFile(referenceFile('lieux-schema/exemple-valide.csv'), 'exemple-valide.csv');
    const first = parsed.records[0];
    assert.ok(first);
    const place = normalizePlaceRow(first.data, first.row).place as PlaceData;
    const everything: PlaceData = {
      ...place,
      latitude: 1e-7,
      longitude: -179.9999999,
      presentationResume: 'Une présentation bien trop longue. '.repeat(12),
      services: [...SERVICES],
      publicsSpecifiquementAdresses: [...PUBLICS],
      priseEnChargeSpecifique: [...PRISE_EN_CHARGE],
      fraisACharge: [...FRAIS],
      dispositifProgrammesNationaux: [...DISPOSITIFS],
      formationsLabels: [...FORMATIONS_LABELS],
      modalitesAcces: [...MODALITES_ACCES],
      modalitesAccompagnement: [...MODALITES_ACCOMPAGNEMENT],
      itinerance: [...ITINERANCE],
    };
    const rows = [placeToSchemaRow(everything, 'a', 'Réseau'), placeToSchemaRow(place, 'b', 'Réseau')];
    assert.deepEqual(validateAgainstSchema(schema, rows), []);
  });

  it('has a validator that catches each kind of failure of the official constraints', () => {
    const schema = readSchema();
    const valid = Object.fromEntries(SCHEMA_FIELDS.map((field) => [field, ''])) as SchemaRow;
    const base: SchemaRow = {
      ...valid,
      id: 'x',
      pivot: '43493312300029',
      nom: 'Lieu',
      commune: 'Orléans',
      code_postal: '45000',
      adresse: '1 rue',
      date_maj: '2024-04-02',
    };
    assert.deepEqual(validateAgainstSchema(schema, [base]), []);
    const errors = validateAgainstSchema(schema, [
      base,
      {
        ...base,
        nom: '',
        code_postal: '4500',
        latitude: 'nord',
        presentation_resume: 'x'.repeat(281),
        services: 'Inventé',
        date_maj: '2024-02-30',
      },
    ]);
    for (const expected of [
      '"nom": required',
      '"code_postal"',
      '"latitude"',
      'maxLength',
      '"services"',
      '"date_maj"',
    ]) {
      assert.ok(
        errors.some((error) => error.includes(expected)),
        `${expected} in ${errors.join('\n')}`,
      );
    }
    assert.ok(errors.some((error) => error.includes('"id"') && error.includes('already used')));
  });
});
