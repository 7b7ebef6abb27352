import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { loadConfig } from '../../src/config.ts';
import { countAllPlaces, listExportedPlaces } from '../../src/places/places.service.ts';
import { listPlaceMerges } from '../../src/places/places-history.service.ts';
import { importPlacesFile } from '../../src/places/places-import.service.ts';
import { generatePublicationFiles, getPublicationFile } from '../../src/publication/publication.service.ts';
import { PACA_FILE, readReference } from '../support/reference-data.ts';
import { closeTestTemplate, createTestDb } from '../support/test-db.ts';

/**
 * Reading national data back on the shared PACA file (decision 0055): read with TERRITORY=reg:93,
 * published as data·inclusion files by the publication itself, then read back — into an empty
 * directory (every structure comes in once, no duplicate, a second run changes nothing) and into the
 * network's own directory (every structure recognised as its own place, nothing imported).
 */
const SYSTEM = { kind: 'system' } as const;

after(closeTestTemplate);

describe('national data read back on the shared PACA file', () => {
  it('publishes PACA as data·inclusion files and reads them back without a duplicate', async (t) => {
    const a = await createTestDb();
    const b = await createTestDb();
    try {
      const config = loadConfig({
        DATA_DIR: '/nonexistent-test-dir',
        PUBLIC_URL: 'https://annuaire.example.org',
        TERRITORY: 'reg:93',
      });
      const scope = config.publicScope;
      await importPlacesFile(a.db, SYSTEM, readReference(...PACA_FILE), { fileName: 'paca.json', scope });
      await generatePublicationFiles(a.db, SYSTEM, { config, now: new Date(), force: true });
      const read = async (name: string) => {
        const file = await getPublicationFile(a.db, SYSTEM, { name, encoding: 'identity' });
        return Buffer.from(file.bytes ?? new Uint8Array());
      };
      const structures = await read('data-inclusion/structures.json');
      const services = { bytes: await read('data-inclusion/services.json'), fileName: 'services.json' };
      const published = (JSON.parse(structures.toString('utf8')) as unknown[]).length;
      const serviceCount = (JSON.parse(services.bytes.toString('utf8')) as unknown[]).length;
      assert.ok(published > 100, `published ${published}`);

      // Into an empty directory of another network: every structure once, no merge, nothing skipped.
      const other = { fileName: 'structures.json', services, scope, networkName: 'Autre réseau' };
      const first = await importPlacesFile(b.db, SYSTEM, structures, other);
      assert.equal(first.read, published);
      assert.equal(first.rejected, 0, JSON.stringify(first.errors.slice(0, 3)));
      assert.equal(first.outsideSkipped, 0);
      const merges = await listPlaceMerges(b.db, SYSTEM);
      assert.equal(first.imported + first.merged, published);
      assert.equal(merges.length, 0, 'no duplicate found among the places read back');
      assert.equal(await countAllPlaces(b.db, SYSTEM), published);
      const second = await importPlacesFile(b.db, SYSTEM, structures, other);
      assert.equal(second.unchanged, published, 'a second run changes nothing');
      assert.equal(await countAllPlaces(b.db, SYSTEM), published);

      // Into the network's own directory: its own places, recognised.
      const before = await countAllPlaces(a.db, SYSTEM);
      const own = await importPlacesFile(a.db, SYSTEM, structures, {
        fileName: 'structures.json',
        services,
        scope,
        networkName: config.networkName,
      });
      assert.equal(own.recognised, published);
      assert.equal(own.imported + own.updated + own.merged, 0);
      assert.equal(await countAllPlaces(a.db, SYSTEM), before);
      // The PACA file as the national map's export: ids kept as identities, sources marked national.
      const c = await createTestDb();
      try {
        const national = { fileName: 'paca.json', scope, layout: 'national' as const };
        const map = await importPlacesFile(c.db, SYSTEM, readReference(...PACA_FILE), national);
        const accepted = map.read - map.rejected - map.outsideSkipped;
        assert.equal(map.imported + map.merged, accepted);
        const again = await importPlacesFile(c.db, SYSTEM, readReference(...PACA_FILE), national);
        assert.equal(again.unchanged, accepted, 'the national export read twice changes nothing');
        assert.equal(again.imported + again.updated + again.merged, 0);
        assert.equal((await listExportedPlaces(c.db, SYSTEM, { scope })).length, 0, 'nothing republished');
        t.diagnostic(
          `PACA as the national export (--layout national): ${map.read} read, ${map.imported} imported, ` +
            `${map.merged} merged, ${map.rejected} rejected, ${map.outsideSkipped} outside skipped; ` +
            `second run ${again.unchanged} unchanged; 0 republished`,
        );
      } finally {
        await c.close();
      }
      t.diagnostic(
        `PACA (reg:93) read back: ${published} structures and ${serviceCount} services published; ` +
          `empty directory: ${first.imported} imported, ${first.merged} merged, ${first.rejected} rejected, ` +
          `${first.outsideSkipped} outside, ${merges.length} merges, ${first.warnings.length} warnings; ` +
          `second run: ${second.unchanged} unchanged; own directory: ${own.recognised} recognised`,
      );
    } finally {
      await a.close();
      await b.close();
    }
  });
});
