import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { diService, diStructure } from '../../test/support/data-inclusion-rows.ts';
import { migratedDataDir, runCliInProcess as runCli, tempDir } from '../../test/support/processes.ts';
import { closeTestTemplate, createDemoTestDb, createTestDb } from '../../test/support/test-db.ts';
import {
  producerId,
  SERVICE_MAPPING,
  serializeRecordsJson,
  toServices,
  toStructure,
} from '../publication/data-inclusion.ts';
import { isDomainError } from '../shared/domain-error.ts';
import { parseTerritory, WHOLE_DIRECTORY } from '../shared/territory.ts';
import { countAllPlaces, exportPlaces, listExportedPlaces } from './places.service.ts';
import { nationalServiceOf } from './places-data-inclusion.ts';
import { importPlacesFile } from './places-import.service.ts';

const SYSTEM = { kind: 'system' } as const;
after(closeTestTemplate);

/** The demonstration directory as data·inclusion's files, published under `source`. */
async function publishDemo(source: string) {
  const t = await createDemoTestDb();
  try {
    const exported = await listExportedPlaces(t.db, SYSTEM, { scope: WHOLE_DIRECTORY });
    const options = { source, publicUrl: 'https://annuaire.example.org' };
    return {
      exported,
      structures: exported.map((entry) => toStructure(entry, options)),
      services: exported.flatMap((entry) => toServices(entry, options)),
    };
  } finally {
    await t.close();
  }
}

const files = (structures: unknown, services: unknown) => ({
  bytes: Buffer.from(serializeRecordsJson(structures as object[])),
  services: { bytes: Buffer.from(serializeRecordsJson(services as object[])), fileName: 'services.json' },
});

const structure = diStructure;
const service = diService;

describe('reading data·inclusion files back (decision 0055)', () => {
  it('reads SERVICE_MAPPING in reverse: every national service comes back as itself', () => {
    for (const [label, mapping] of Object.entries(SERVICE_MAPPING)) {
      assert.equal(nationalServiceOf({ nom: label }), label);
      assert.equal(
        nationalServiceOf({ nom: 'Autre nom', type: mapping.type, thematiques: [...mapping.thematiques] }),
        label,
        `${label} by its thematiques and type`,
      );
    }
    assert.equal(nationalServiceOf({ thematiques: ['famille--garde-denfants'] }), null);
  });

  it('round trip: the demonstration published as data·inclusion JSON, imported into an empty database, keeps every place and shared field; a second import changes nothing; nothing is republished', async () => {
    const published = await publishDemo('reseau-loiret');
    const { bytes, services } = files(published.structures, published.services);
    const t = await createTestDb();
    try {
      const report = await importPlacesFile(t.db, SYSTEM, bytes, {
        fileName: 'structures.json',
        services,
        networkName: 'Autre réseau',
      });
      process.stdout.write(
        `data·inclusion round trip: ${published.structures.length} structures, ${published.services.length} services → ${report.imported} imported, ${report.merged} merged, ${report.rejected} rejected, ${report.warnings.length} warnings\n`,
      );
      assert.equal(report.rejected, 0, JSON.stringify(report.errors.slice(0, 3)));
      assert.equal(report.imported + report.merged, published.structures.length);
      assert.equal(report.read, published.structures.length);

      const back = new Map(
        (JSON.parse(await exportPlaces(t.db, SYSTEM, { format: 'json' })) as Record<string, unknown>[]).map(
          (row) => [row.id as string, row],
        ),
      );
      const differences: string[] = [];
      for (const { place, exportId } of published.exported) {
        const row = back.get(`reseau-loiret--${exportId}`);
        if (!row) {
          differences.push(`${exportId} missing`);
          continue;
        }
        const expected: Record<string, unknown> = {
          source: 'reseau-loiret',
          nom: place.nom.replace(/\.+$/, ''),
          adresse: place.adresse,
          commune: place.commune,
          code_postal: place.codePostal,
          code_insee: place.codeInsee ?? undefined,
          latitude: place.latitude ?? undefined,
          longitude: place.longitude ?? undefined,
          horaires: place.horaires ?? undefined,
          services: [...place.services].sort().join('|'),
        };
        for (const [field, value] of Object.entries(expected)) {
          const got = field === 'services' ? String(row[field]).split('|').sort().join('|') : row[field];
          if (String(got ?? '') !== String(value ?? ''))
            differences.push(`${exportId} ${field}: ${String(value)} ≠ ${String(got)}`);
        }
      }
      assert.deepEqual(differences, []);

      const again = await importPlacesFile(t.db, SYSTEM, bytes, {
        fileName: 'structures.json',
        services,
        networkName: 'Autre réseau',
      });
      assert.deepEqual(
        [again.imported, again.updated, again.merged, again.unchanged],
        [0, 0, 0, report.imported + report.merged],
      );
      // Places read back from a national system are never published again.
      assert.equal((await listExportedPlaces(t.db, SYSTEM, { scope: WHOLE_DIRECTORY })).length, 0);
    } finally {
      await t.close();
    }
  });

  it("recognises the network's own places coming back (same source and id): none imported as new", async () => {
    const t = await createDemoTestDb();
    try {
      const before = await countAllPlaces(t.db, SYSTEM);
      const exported = await listExportedPlaces(t.db, SYSTEM, { scope: WHOLE_DIRECTORY });
      const options = { source: producerId('Réseau du Loiret'), publicUrl: 'https://annuaire.example.org' };
      const { bytes, services } = files(
        exported.map((entry) => toStructure(entry, options)),
        exported.flatMap((entry) => toServices(entry, options)),
      );
      const report = await importPlacesFile(t.db, SYSTEM, bytes, {
        fileName: 'structures.json',
        services,
        layout: 'data-inclusion',
        networkName: 'Réseau du Loiret',
      });
      process.stdout.write(`own places coming back: ${report.recognised} recognised of ${report.read}\n`);
      assert.equal(report.recognised, exported.length);
      assert.equal(report.imported + report.merged + report.updated, 0);
      assert.equal(report.warnings.length, 0, JSON.stringify(report.warnings.slice(0, 2)));
      assert.equal(await countAllPlaces(t.db, SYSTEM), before);
      assert.equal(
        (await listExportedPlaces(t.db, SYSTEM, { scope: WHOLE_DIRECTORY })).length,
        exported.length,
      );

      // The national map's export of the network's own places: its sources are the network's, recognised.
      const national = await exportPlaces(t.db, SYSTEM, { format: 'json' });
      const back = await importPlacesFile(t.db, SYSTEM, Buffer.from(national), {
        fileName: 'cartographie.json',
        layout: 'national',
      });
      assert.equal(back.recognised, back.read);
      assert.equal(await countAllPlaces(t.db, SYSTEM), before);
    } finally {
      await t.close();
    }
  });

  it('skips and counts the places beyond the territory and its margin; marks the sources national', async () => {
    const t = await createDemoTestDb();
    try {
      const territory = parseTerritory('epci:244500468');
      assert.ok(territory.ok);
      const scope = { ...WHOLE_DIRECTORY, territory: territory.territory, marginKm: 10 };
      const marseille = structure({
        id: 'dora-2',
        commune: 'Marseille',
        code_postal: '13001',
        code_insee: '13201',
        adresse: '1 La Canebière',
        latitude: 43.2965,
        longitude: 5.3764,
      });
      const { bytes, services } = files(
        [structure(), marseille],
        [service(), service({ structure_id: 'dora-2', id: 'dora-2--s1' })],
      );
      const report = await importPlacesFile(t.db, SYSTEM, bytes, {
        fileName: 'structures.json',
        services,
        scope,
      });
      assert.equal(report.outsideSkipped, 1);
      assert.equal(report.imported + report.merged, 1);
      assert.equal(report.read, 2);
      const outside = report.outside.find((issue) => issue.id === 'dora-2');
      assert.ok(outside);
      assert.equal(outside.row, 2);
      assert.equal(outside.field, 'commune');
      assert.match(outside.message, /n'est pas importé/);
      const exported = await listExportedPlaces(t.db, SYSTEM, { scope: WHOLE_DIRECTORY });
      assert.equal(
        exported.filter((e) => e.place.source === 'dora').length,
        0,
        'dora is marked national: its place is not republished',
      );
    } finally {
      await t.close();
    }
  });

  it('bad input: a truncated file or another schema version imports nothing, with a French message', async () => {
    const t = await createTestDb();
    try {
      const whole = serializeRecordsJson([structure(), structure({ id: 'dora-3' })]);
      const cases: [string, Buffer, RegExp][] = [
        [
          'truncated',
          Buffer.from(whole.slice(0, Math.floor(whole.length / 2))),
          /est tronqué.*rien n'a été importé/s,
        ],
        [
          'v0',
          Buffer.from(JSON.stringify([{ ...structure(), typologie: 'MUNI', labels_nationaux: [] }])),
          /ligne 1, suit la version 0 du schéma data·inclusion/,
        ],
        [
          'version 2',
          Buffer.from(JSON.stringify({ schema_version: '2.0.0', structures: [structure()] })),
          /version « 2\.0\.0 ».*seule la version 1/s,
        ],
      ];
      for (const [name, bytes, message] of cases) {
        await assert.rejects(
          importPlacesFile(t.db, SYSTEM, bytes, { fileName: 'structures.json', layout: 'data-inclusion' }),
          (error) => isDomainError(error) && error.code === 'invalid_file' && message.test(error.message),
          name,
        );
      }
      // The services file given as the structures, detected without --layout: said by its content.
      await assert.rejects(
        importPlacesFile(t.db, SYSTEM, Buffer.from(serializeRecordsJson([service()])), {
          fileName: 'services.json',
        }),
        /« services\.json », donné comme fichier des structures, contient des services data·inclusion \(d'après son contenu, ligne 1, champ structure_id\)/,
      );
      // A truncated services file too: nothing imported.
      await assert.rejects(
        importPlacesFile(t.db, SYSTEM, Buffer.from(whole), {
          fileName: 'structures.json',
          services: { bytes: Buffer.from('[{"source": "dora", "id"'), fileName: 'services.json' },
        }),
        /services\.json » est tronqué/,
      );
      assert.equal(await countAllPlaces(t.db, SYSTEM), 0);
    } finally {
      await t.close();
    }
  });

  it('bad input: services of an unknown structure or outside the national list, unknown networks: warnings naming row and field', async () => {
    const t = await createTestDb();
    try {
      const { bytes, services } = files(
        [structure({ reseaux_porteurs: ['france-service', 'reseau-inconnu'] })],
        [
          service(),
          service({ id: 'x-1', structure_id: 'dora-999' }),
          service({ id: 'x-2', thematiques: ['famille--garde-denfants'] }),
        ],
      );
      const report = await importPlacesFile(t.db, SYSTEM, bytes, { fileName: 'structures.json', services });
      assert.equal(report.imported, 1);
      const messages = report.warnings.map((w) => `${w.field} | ${w.message}`);
      assert.ok(
        messages.some((m) => /^structure_id \| Service ligne 2 .*« dora-999 ».*ignoré/.test(m)),
        messages.join('\n'),
      );
      assert.ok(messages.some((m) => /^thematiques \| Service ligne 3 .*famille--garde-denfants/.test(m)));
      assert.ok(messages.some((m) => /^reseaux_porteurs \| Ligne 1 .*« reseau-inconnu »/.test(m)));
      const [row] = JSON.parse(await exportPlaces(t.db, SYSTEM, { format: 'json' })) as Record<
        string,
        string
      >[];
      assert.equal(row?.services, 'Accès internet et matériel informatique');
      assert.equal(row?.dispositif_programmes_nationaux, 'France Services');
    } finally {
      await t.close();
    }
  });
});

describe('cli places import --layout data-inclusion', () => {
  let dataDir = '';
  let folder = '';
  before(async () => {
    dataDir = await migratedDataDir();
    folder = tempDir('maillage-di-');
    fs.writeFileSync(path.join(folder, 'structures.json'), serializeRecordsJson([structure()]));
    fs.writeFileSync(path.join(folder, 'services.json'), serializeRecordsJson([service()]));
  });
  after(() => {
    fs.rmSync(dataDir, { recursive: true, force: true });
    fs.rmSync(folder, { recursive: true, force: true });
  });

  it('imports both files, then updates nothing the second time; refuses an unknown layout', async () => {
    const args = [
      'places',
      'import',
      path.join(folder, 'structures.json'),
      '--services',
      path.join(folder, 'services.json'),
      '--layout',
      'data-inclusion',
      '--format',
      'json',
    ];
    const first = await runCli(args, { DATA_DIR: dataDir });
    assert.equal(first.code, 0, first.stderr);
    assert.equal(JSON.parse(first.stdout).imported, 1);
    const second = await runCli(args, { DATA_DIR: dataDir });
    const counts = JSON.parse(second.stdout);
    assert.deepEqual([counts.imported, counts.unchanged], [0, 1]);
    const bad = await runCli(['places', 'import', path.join(folder, 'structures.json'), '--layout', 'csv'], {
      DATA_DIR: dataDir,
    });
    assert.equal(bad.code, 2);
    assert.match(bad.stderr, /--layout doit valoir « national » ou « data-inclusion »/);
  });
});
