import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { sampleRow, toCsv } from '../support/fixtures.ts';
import { migratedDataDir, runCliInProcess as runCli, tempDir } from '../support/processes.ts';

// One embedded database for the file; each test runs command lines on it, one after the other, inside
// this process (src/cli.ts's runCli). cli.process.test.ts checks what only a real process shows.
let dataDir = '';
let work = '';
const env = () => ({ DATA_DIR: dataDir });
const file = (name: string, content: string | Uint8Array) => {
  const p = path.join(work, name);
  fs.writeFileSync(p, content);
  return p;
};

before(async () => {
  dataDir = await migratedDataDir();
  work = tempDir('maillage-files-');
});
after(() => {
  fs.rmSync(dataDir, { recursive: true, force: true });
  fs.rmSync(work, { recursive: true, force: true });
});

describe('the command line', () => {
  it('imports a file and prints one JSON report whose counts add up, exit 0 even with rejected rows', async () => {
    const csv = file(
      'lieux.csv',
      toCsv([sampleRow(), sampleRow({ latitude: 'nord' }), sampleRow({ nom: '' })]),
    );
    const result = await runCli(['places', 'import', csv, '--format', 'json'], env());
    assert.equal(result.code, 0, result.stderr);
    const report = JSON.parse(result.stdout);
    assert.deepEqual(Object.keys(report), [
      'read',
      'imported',
      'updated',
      'unchanged',
      'merged',
      'rejected',
      'toReview',
      'outsideSkipped',
      'recognised',
      'warnings',
      'errors',
    ]);
    assert.equal(report.read, 3);
    assert.equal(report.imported, 1);
    assert.equal(report.rejected, 2);
    assert.equal(
      report.imported + report.updated + report.unchanged + report.merged + report.rejected,
      report.read,
    );
    for (const entry of [...report.errors, ...report.warnings]) {
      assert.deepEqual(Object.keys(entry).sort(), ['field', 'id', 'message', 'row', 'value']);
    }
    assert.deepEqual(
      report.errors.map((e: { row: number; field: string }) => [e.row, e.field]),
      [
        [3, 'latitude'],
        [4, 'nom'],
      ],
    );

    const again = await runCli(['places', 'import', csv], env());
    assert.equal(again.code, 0);
    assert.match(again.stdout, /1 inchangés/);
    assert.match(again.stdout, /ligne 3 .*latitude|ligne 3/);
  });

  it('exits 1 with a JSON error for files it cannot read, with no stack trace unless --debug', async () => {
    const cases = [
      ['absent.csv', null],
      ['vide.csv', ''],
      ['binaire.csv', new Uint8Array([0x00, 0x9f, 0x00, 0x01, 0x02, 0x00, 0xff, 0x10])],
      ['objet.json', '{"id":"1","nom":"x"}'],
    ] as const;
    for (const [name, content] of cases) {
      const target = content === null ? path.join(work, name) : file(name, content);
      const result = await runCli(['places', 'import', target, '--format', 'json'], env());
      assert.equal(result.code, 1, name);
      const body = JSON.parse(result.stdout);
      assert.equal(body.error.code, 'invalid_file', name);
      assert.ok(body.error.message.length > 10, name);
      assert.ok(!/\n\s+at /.test(result.stderr), `no stack trace for ${name}`);
    }
  });

  it('exits 2 on usage errors', async () => {
    for (const args of [
      ['places', 'import'],
      ['places', 'import', 'x.csv', '--inconnu'],
      ['lieux', 'tout'],
      [],
    ]) {
      const result = await runCli(args, env());
      assert.equal(result.code, 2, args.join(' '));
    }
    const badFormat = await runCli(['places', 'export', '--format', 'xml'], env());
    assert.equal(badFormat.code, 2);
  });

  it('exports CSV to a file and JSON to stdout, results alone on stdout', async () => {
    const out = path.join(work, 'export.csv');
    const csv = await runCli(['places', 'export', '--format', 'csv', '--out', out], env());
    assert.equal(csv.code, 0, csv.stderr);
    assert.equal(csv.stdout, '');
    assert.ok(fs.readFileSync(out, 'utf8').startsWith('id,pivot,nom,'));
    const json = await runCli(['places', 'export', '--format', 'json'], env());
    assert.equal(json.code, 0);
    assert.equal(JSON.parse(json.stdout).length, 1);
  });

  it('loads commune outlines and reference points, recording how each point was found', async () => {
    const square = (lon: number, lat: number) => [
      [
        [lon, lat],
        [lon + 0.1, lat],
        [lon + 0.1, lat + 0.1],
        [lon, lat + 0.1],
        [lon, lat],
      ],
    ];
    const geojson = {
      type: 'FeatureCollection',
      features: [
        {
          type: 'Feature',
          properties: { code: '45234', centre: { type: 'Point', coordinates: [1.9, 47.9] } },
          geometry: { type: 'Polygon', coordinates: square(1.85, 47.85) },
        },
        {
          type: 'Feature',
          properties: { code: '45232' },
          geometry: { type: 'Polygon', coordinates: square(1.8, 47.8) },
        },
        { type: 'Feature', properties: { nom: 'sans code' }, geometry: null },
      ],
    };
    const result = await runCli(
      ['geo', 'import', file('communes.geojson', JSON.stringify(geojson)), '--format', 'json'],
      env(),
    );
    assert.equal(result.code, 0, result.stderr);
    const report = JSON.parse(result.stdout);
    assert.equal(report.imported, 2);
    assert.equal(report.rejected, 1);
    assert.deepEqual(report.methods, { centre: 1, centre_geoapi: 0, interior_point: 1 });
    assert.equal(report.errors[0].row, 3);
  });

  it('backs up and restores the embedded database', async () => {
    const backup = path.join(work, 'sauvegarde.tar.gz');
    const saved = await runCli(['db', 'backup', backup], env());
    assert.equal(saved.code, 0, saved.stderr);
    assert.ok(fs.statSync(backup).size > 1000);
    const more = await runCli(
      ['places', 'import', file('plus.csv', toCsv([sampleRow(), sampleRow()])), '--format', 'json'],
      env(),
    );
    assert.equal(JSON.parse(more.stdout).imported, 2);
    const restored = await runCli(['db', 'restore', backup], env());
    assert.equal(restored.code, 0, restored.stderr);
    const json = await runCli(['places', 'export', '--format', 'json'], env());
    assert.equal(JSON.parse(json.stdout).length, 1, 'back to the state of the backup');
    const bad = await runCli(['db', 'restore', file('pas-une-sauvegarde.tar.gz', 'bonjour')], env());
    assert.equal(bad.code, 1);
    assert.match(bad.stderr, /n'est pas une sauvegarde Maillage lisible/);
    const still = await runCli(['places', 'export', '--format', 'json'], env());
    assert.equal(JSON.parse(still.stdout).length, 1, 'a failed restore changes nothing');
  });
});
