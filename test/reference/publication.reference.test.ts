import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import Ajv2020 from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import { parse } from 'csv-parse/sync';
import { loadConfig } from '../../src/config.ts';
import type { Place } from '../../src/places/places.ts';
import { importPlacesFile } from '../../src/places/places-import.service.ts';
import { SERVICES } from '../../src/places/schema-values.ts';
import {
  SERVICE_FIELDS,
  SERVICE_MAPPING,
  STRUCTURE_FIELDS,
  toServices,
  toStructure,
} from '../../src/publication/data-inclusion.ts';
import { generatePublicationFiles, getPublicationFile } from '../../src/publication/publication.service.ts';
import { PACA_FILE, readReference } from '../support/reference-data.ts';
import { validateAgainstSchema } from '../support/schema-validator.ts';
import { closeTestTemplate, createDemoTestDb, createTestDb } from '../support/test-db.ts';

/**
 * The publication files validated against the official schema files of the shared reference data: the
 * data·inclusion structures and services with ajv (JSON Schema 2020-12, formats checked) reading
 * structure.json and service.json themselves, the national files against schema.json. Nothing of the
 * rules is copied here.
 */
const SYSTEM = { kind: 'system' } as const;
const DI = ['data-inclusion-schema', 'v1-main', 'schemas', 'v1'];

after(closeTestTemplate);

function jsonSchema(name: string): Record<string, unknown> {
  return JSON.parse(readReference(...DI, name).toString('utf8')) as Record<string, unknown>;
}

function validator() {
  // biome-ignore lint/suspicious/noExplicitAny: ajv's CommonJS default export seen through NodeNext.
  const Ajv = Ajv2020 as any;
  const ajv = new Ajv({ allErrors: true, strict: false });
  // biome-ignore lint/suspicious/noExplicitAny: idem for ajv-formats.
  (addFormats as any)(ajv);
  const structure = ajv.compile(jsonSchema('structure.json'));
  const service = ajv.compile(jsonSchema('service.json'));
  const errorsOf = (validate: typeof structure, records: readonly unknown[]): string[] =>
    records.flatMap((record, index) =>
      validate(record)
        ? []
        : (validate.errors ?? []).map(
            (e: { instancePath: string; message?: string }) =>
              `#${index} ${(record as { id?: string }).id ?? ''} ${e.instancePath} ${e.message ?? ''}`,
          ),
    );
  return {
    structures: (records: readonly unknown[]) => errorsOf(structure, records),
    services: (records: readonly unknown[]) => errorsOf(service, records),
  };
}

/** A place written to try every corner of the mapping (not from any real file). */
function awkwardPlace(overrides: Partial<Place> = {}): Place {
  return {
    id: '6f1c1b6e-9d52-4c8e-9f0a-0c5f3b9b1a11',
    source: 'essai',
    updatedAt: new Date('2026-02-03T10:00:00Z'),
    sourceId: 'x',
    pivot: '00000000000000',
    nom: 'Ô.',
    commune: 'Orléans',
    codePostal: '4500',
    codeInsee: '2A004',
    adresse: '',
    complementAdresse: null,
    latitude: null,
    longitude: null,
    positionApproximate: false,
    typologie: [],
    telephone: '02 38 00 00 00',
    courriels: ['élodie@exemple.fr', 'contact@example.org'],
    siteWeb: ['pas une adresse', 'https://exemple.fr/chemin avec espace|et barre'],
    horaires: null,
    presentationResume: 'Abc',
    presentationDetail: 'x'.repeat(12_000),
    itinerance: [],
    structureParente: null,
    dateMaj: null,
    services: [...SERVICES, 'Un service hors liste'],
    publicsSpecifiquementAdresses: ['Jeunes', 'Femmes'],
    priseEnChargeSpecifique: ['Surdité', 'Illettrisme'],
    fraisACharge: ['Gratuit sous condition', 'Payant'],
    dispositifProgrammesNationaux: ['France Services', 'Conseillers numériques', 'Certification PIX'],
    formationsLabels: ['Fabriques de Territoire'],
    autresFormationsLabels: [],
    modalitesAcces: ['Envoyer un mail avec une fiche de prescription', 'Prendre un RDV en ligne'],
    modalitesAccompagnement: ['À distance'],
    ficheAccesLibre: 'ftp://exemple.fr/fiche',
    priseRdv: null,
    ...overrides,
  };
}

describe('the publication files against the official schema files', () => {
  it('maps the 9 national services, each to a type and thematiques of data·inclusion’s lists', () => {
    assert.deepEqual(Object.keys(SERVICE_MAPPING).sort(), [...SERVICES].sort());
    const defs = jsonSchema('service.json').$defs as Record<string, { enum: string[] }>;
    for (const [label, mapping] of Object.entries(SERVICE_MAPPING)) {
      assert.ok(defs.TypeService?.enum.includes(mapping.type), `${label}: type ${mapping.type}`);
      for (const theme of mapping.thematiques)
        assert.ok(defs.Thematique?.enum.includes(theme), `${label}: ${theme}`);
    }
    // The CSV columns are exactly the schema's properties.
    const properties = (name: string) =>
      Object.keys(jsonSchema(name).properties as Record<string, unknown>).sort();
    assert.deepEqual([...STRUCTURE_FIELDS].sort(), properties('structure.json'));
    assert.deepEqual([...SERVICE_FIELDS].sort(), properties('service.json'));
  });

  it('keeps awkward places valid: short name, bad links and addresses, every service, prescription only', (t) => {
    const { structures, services } = validator();
    const options = { source: 'reseau-essai', publicUrl: 'http://localhost:3000' };
    const entries = [
      { place: awkwardPlace(), exportId: 'a:1' },
      {
        place: awkwardPlace({
          nom: `${'Nom très long '.repeat(15)}.`,
          codePostal: '45000',
          codeInsee: '45234',
          presentationDetail: null,
          presentationResume: null,
          modalitesAcces: ['Envoyer un mail avec une fiche de prescription'],
          modalitesAccompagnement: [],
          fraisACharge: [],
          publicsSpecifiquementAdresses: [],
          priseEnChargeSpecifique: [],
          priseRdv: 'https://rdv.exemple.fr/prendre',
          pivot: '21450234600019',
          services: [],
        }),
        exportId: 'b',
      },
    ];
    const structureRecords = entries.map((entry) => toStructure(entry, options));
    const serviceRecords = entries.flatMap((entry) => toServices(entry, options));
    assert.equal(serviceRecords.length, 9);
    assert.deepEqual(structures(structureRecords), []);
    assert.deepEqual(services(serviceRecords), []);
    // The validator does refuse what the schema forbids (this test can fail).
    const broken = {
      ...serviceRecords[0],
      type: 'inconnu',
      courriel: 'pas un courriel',
      date_maj: '2026-13-40',
    };
    const brokenErrors = services([broken]).join('\n');
    for (const field of ['type', 'courriel', 'date_maj'])
      assert.match(brokenErrors, new RegExp(`/${field} `));
    const badStructure = { ...structureRecords[0], nom: 'ab', site_web: 'exemple.fr' };
    const structureErrors = structures([badStructure]).join('\n');
    for (const field of ['nom', 'site_web']) assert.match(structureErrors, new RegExp(`/${field} `));
    t.diagnostic(
      `awkward places: ${structureRecords.length} structures, ${serviceRecords.length} services, 0 errors`,
    );
  });

  it('publishes the demonstration directory as a data·inclusion source and a national-map source, 0 errors', async (t) => {
    const db = await createDemoTestDb();
    try {
      const config = loadConfig({
        DATA_DIR: '/nonexistent-test-dir',
        PUBLIC_URL: 'https://annuaire.example.org',
      });
      const report = await generatePublicationFiles(db.db, SYSTEM, { config, now: new Date(), force: true });
      assert.equal(report.generated, true);
      const read = async (name: string) => {
        const file = await getPublicationFile(db.db, SYSTEM, { name, encoding: 'identity' });
        return Buffer.from(file.bytes ?? new Uint8Array()).toString('utf8');
      };
      const { structures, services } = validator();
      const structureRecords = JSON.parse(await read('data-inclusion/structures.json')) as unknown[];
      const serviceRecords = JSON.parse(await read('data-inclusion/services.json')) as unknown[];
      assert.ok(structureRecords.length >= 60);
      assert.ok(serviceRecords.length >= structureRecords.length);
      assert.deepEqual(structures(structureRecords).slice(0, 20), []);
      assert.deepEqual(services(serviceRecords).slice(0, 20), []);

      // The CSV versions: the same records, the schema's columns.
      const structureCsv = parse(await read('data-inclusion/structures.csv'), { columns: true }) as unknown[];
      const serviceCsv = parse(await read('data-inclusion/services.csv'), { columns: true }) as unknown[];
      assert.equal(structureCsv.length, structureRecords.length);
      assert.equal(serviceCsv.length, serviceRecords.length);

      // The national files, as today: 0 errors against the official schema.json.
      const schema = JSON.parse(readReference('lieux-schema', 'schema.json').toString('utf8')) as unknown;
      const rows = parse(await read('lieux.csv'), { columns: true }) as Record<string, string>[];
      assert.deepEqual(validateAgainstSchema(schema, rows).slice(0, 20), []);
      const json = JSON.parse(await read('lieux.json')) as unknown[];
      assert.equal(json.length, rows.length);
      assert.equal(rows.length, structureRecords.length);
      const summary =
        `validated: ${structureRecords.length} data·inclusion structures and ${serviceRecords.length} services ` +
        `(structure.json, service.json: 0 errors), ${rows.length} places of lieux.csv (schema.json v1.0.2: 0 errors)`;
      t.diagnostic(summary);
    } finally {
      await db.close();
    }
  });

  it('publishes the shared PACA file read with TERRITORY=reg:93: valid, without the national producers’ places', async (t) => {
    const db = await createTestDb();
    try {
      const config = loadConfig({
        DATA_DIR: '/nonexistent-test-dir',
        PUBLIC_URL: 'https://annuaire.example.org',
        TERRITORY: 'reg:93',
      });
      await importPlacesFile(db.db, SYSTEM, readReference(...PACA_FILE), { fileName: 'paca.json' });
      const started = performance.now();
      const report = await generatePublicationFiles(db.db, SYSTEM, { config, now: new Date(), force: true });
      const ms = Math.round(performance.now() - started);
      const read = async (name: string) => {
        const file = await getPublicationFile(db.db, SYSTEM, { name, encoding: 'identity' });
        return Buffer.from(file.bytes ?? new Uint8Array()).toString('utf8');
      };
      const { structures, services } = validator();
      const structureRecords = JSON.parse(await read('data-inclusion/structures.json')) as unknown[];
      const serviceRecords = JSON.parse(await read('data-inclusion/services.json')) as unknown[];
      assert.deepEqual(structures(structureRecords).slice(0, 20), []);
      assert.deepEqual(services(serviceRecords).slice(0, 20), []);
      const rows = parse(await read('lieux.csv'), { columns: true }) as Record<string, string>[];
      const schema = JSON.parse(readReference('lieux-schema', 'schema.json').toString('utf8')) as unknown;
      assert.deepEqual(validateAgainstSchema(schema, rows).slice(0, 20), []);
      // The file's regional sources stay; dora, conseiller-numerique and france-services are national.
      const sources = new Set(rows.map((row) => row.source));
      assert.ok(rows.length > 0);
      for (const national of ['dora', 'conseiller-numerique', 'france-services'])
        assert.ok(!sources.has(national), national);
      assert.equal(report.counts['data-inclusion/structures.json'], rows.length);
      t.diagnostic(
        `PACA (reg:93): ${rows.length} places published (sources ${[...sources].sort().join(', ')}), ` +
          `${structureRecords.length} structures and ${serviceRecords.length} services valid (0 errors), generated in ${ms} ms`,
      );
    } finally {
      await db.close();
    }
  });
});
