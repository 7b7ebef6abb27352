import assert from 'node:assert/strict';
import fs from 'node:fs';
import { after, before, describe, it } from 'node:test';
import { bytes, sampleRow, toCsv } from '../../test/support/fixtures.ts';
import { migratedDataDir, runCliInProcess as runCli } from '../../test/support/processes.ts';
import { openDatabase } from '../db/create-db.ts';
import { importPlacesFile } from '../places/places-import.service.ts';
import { getPublicationFile } from './publication.service.ts';

// `places publish` on an embedded database: two places of the territory, one of them read back from a
// national system.
let dataDir = '';
const env = () => ({ DATA_DIR: dataDir, TERRITORY: 'epci:244500468' });

before(async () => {
  dataDir = await migratedDataDir();
  const handle = await openDatabase({ dataDir, databaseUrl: null });
  try {
    await importPlacesFile(handle.db, { kind: 'system' }, bytes(toCsv([sampleRow({ id: 'reseau-1' })])), {
      fileName: 'reseau.csv',
    });
    await importPlacesFile(
      handle.db,
      { kind: 'system' },
      bytes(toCsv([sampleRow({ id: 'ds-9', nom: 'Lieu venu de data inclusion', adresse: '9 rue Bannier' })])),
      { fileName: 'di.csv', source: 'data·inclusion' },
    );
  } finally {
    await handle.close();
  }
});
after(() => fs.rmSync(dataDir, { recursive: true, force: true }));

describe('places publish', () => {
  it('generates the open-data files now, names each with its records, then finds nothing changed', async () => {
    const first = await runCli(['places', 'publish'], env());
    assert.equal(first.code, 0, first.stderr);
    assert.match(first.stdout, /^\/donnees\/lieux\.csv : 1 lieu \(refait\)$/m);
    assert.match(first.stdout, /^\/donnees\/data-inclusion\/structures\.json : 1 structure \(refait\)$/m);
    assert.match(first.stdout, /^\/donnees\/data-inclusion\/services\.json : 2 services \(refait\)$/m);
    const again = await runCli(['places', 'publish', '--format', 'json'], env());
    assert.equal(again.code, 0, again.stderr);
    const report = JSON.parse(again.stdout) as { generated: boolean; changed: string[] };
    assert.deepEqual([report.generated, report.changed], [true, []]);
    const handle = await openDatabase({ dataDir, databaseUrl: null });
    try {
      const file = await getPublicationFile(
        handle.db,
        { kind: 'anonymous' },
        {
          name: 'lieux.csv',
          encoding: 'identity',
        },
      );
      const text = Buffer.from(file.bytes ?? new Uint8Array()).toString('utf8');
      assert.match(text, /reseau-1/);
      assert.doesNotMatch(text, /data inclusion|ds-9/);
    } finally {
      await handle.close();
    }
  });
});
