import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { migratedDataDir, runCliInProcess as runCli } from '../../test/support/processes.ts';
import { loadConfig } from '../config.ts';
import { openDatabase } from '../db/create-db.ts';
import { seedDemoIfFresh } from '../demo/demo.service.ts';

// One embedded database with the demonstration data; command lines read it inside this process (the
// process itself is tested in test/integration/cli.process.test.ts).
let dataDir = '';
const env = () => ({ DATA_DIR: dataDir });

before(async () => {
  dataDir = await migratedDataDir();
  const handle = await openDatabase(loadConfig({ DATA_DIR: dataDir }));
  try {
    await seedDemoIfFresh(handle.db, { kind: 'system' });
  } finally {
    await handle.close();
  }
});
after(() => fs.rmSync(dataDir, { recursive: true, force: true }));

const PARENTALITE = 'Parentalité et éducation avec le numérique';

describe('cli coverage analyse', () => {
  it('prints one JSON object with the figures, suggestions and itinerant stops', async () => {
    const result = await runCli(
      [
        'coverage',
        'analyse',
        '--territory',
        'epci:244500468',
        '--service',
        PARENTALITE,
        '--max-min',
        '8',
        '--mode',
        'car',
        '--suggest',
        '2',
        '--itinerant',
        '3',
        '--format',
        'json',
      ],
      env(),
    );
    assert.equal(result.code, 0, result.stderr);
    const lines = result.stdout.trim().split('\n');
    assert.equal(lines.length, 1);
    const body = JSON.parse(lines[0] as string);
    for (const key of [
      'population_total',
      'population_beyond',
      'communes',
      'suggestions',
      'itinerant',
      'covered_before_swaps',
      'covered_after_swaps',
      'missing_reference_points',
    ])
      assert.ok(key in body, key);
    assert.equal(body.communes.length, 22);
    const c = body.communes[0];
    for (const key of [
      'code',
      'nom',
      'population',
      'lat',
      'lon',
      'nearest_km',
      'road_km',
      'nearest_place_id',
      'beyond',
    ])
      assert.ok(key in c, key);
    assert.ok(Math.abs(c.road_km - c.nearest_km * 1.3) < 0.01);
    assert.ok(body.population_beyond > 0);
    assert.ok(body.suggestions.length >= 1);
    assert.ok(body.suggestions.every((s: { added_population: number }) => s.added_population > 0));
  });

  it('refuses bad input with clear French messages and exit codes', async () => {
    const cases: [string[], number, string | null, RegExp][] = [
      [['--territory', 'epci:999999999'], 1, 'not_found', /Aucun EPCI n'a le code « 999999999 »/],
      [['--territory', 'dep:00'], 1, 'not_found', /Aucun département/],
      [['--territory', 'epci:244500468', '--max-km=-3'], 1, 'invalid_input', /entre 0 et 500/],
      [['--territory', 'epci:244500468', '--max-km', '9000'], 1, 'invalid_input', /entre 0 et 500/],
      [['--territory', 'epci:244500468', '--max-min', '0'], 1, 'invalid_input', /entre 0 et 600/],
      [['--territory', 'epci:244500468', '--service', 'Cuisine'], 1, 'invalid_input', /n'existe pas/],
      [['--territory', 'com:45001'], 1, 'not_found', /point de référence/],
      [
        ['--territory', 'epci:244500468', '--candidates', '/nonexistent/sites.csv'],
        1,
        'not_found',
        /ne peut pas être lu/,
      ],
    ];
    for (const [args, code, errorCode, message] of cases) {
      const result = await runCli(['coverage', 'analyse', ...args, '--format', 'json'], env());
      assert.equal(result.code, code, args.join(' '));
      assert.match(result.stderr, message, args.join(' '));
      if (errorCode) assert.equal(JSON.parse(result.stdout).error.code, errorCode, args.join(' '));
      assert.ok(!/\n\s+at /.test(result.stderr), 'no stack trace');
    }
  });
});

describe('cli coverage weights, candidates and GeoJSON', () => {
  it('imports weights, reporting unknown codes and bad numbers by line, then weighs the analysis', async () => {
    const file = path.join(dataDir, 'poids.csv');
    fs.writeFileSync(file, 'code;weight\n45234;1,5\n99999;2\n45284;-1\n');
    const result = await runCli(['coverage', 'weights', 'import', file, '--format', 'json'], env());
    assert.equal(result.code, 0, result.stderr);
    const body = JSON.parse(result.stdout);
    assert.equal(body.imported, 1);
    assert.deepEqual(
      body.rejected.map((i: { row: number; field: string; value: string }) => [i.row, i.field, i.value]),
      [
        [3, 'code', '99999'],
        [4, 'weight', '-1'],
      ],
    );
    const human = await runCli(['coverage', 'weights', 'import', file], env());
    assert.match(human.stdout, /1 poids importés/);
    assert.match(human.stdout, /ligne 3, code « 99999 » : Aucune commune/);

    const analysis = await runCli(
      ['coverage', 'analyse', '--territory', 'epci:244500468', '--format', 'json'],
      env(),
    );
    const json = JSON.parse(analysis.stdout);
    assert.equal(json.weighted, true);
    assert.equal(json.communes.find((c: { code: string }) => c.code === '45234').weight, 1.5);
    assert.deepEqual(
      json.rollups.epci.map((e: { code: string; nom: string }) => [e.code, e.nom]),
      [['244500468', 'Orléans Métropole']],
    );
    assert.equal(json.rollups.departements[0].code, '45');
    assert.ok('population_beyond' in json.rollups.departements[0]);
    assert.ok(
      json.communes.every((c: { weekly_hours_within_reach: number }) => c.weekly_hours_within_reach >= 0),
    );
    const usage = await runCli(['coverage', 'weights', 'export'], env());
    assert.equal(usage.code, 2);
  });

  it('proposes among the candidates of a CSV, and prints GeoJSON with internal ids', async () => {
    const file = path.join(dataDir, 'sites.csv');
    fs.writeFileSync(file, 'lat,lon,nom\n47.86,1.78,Mairie annexe\n95,1,Erreur\n');
    const args = ['coverage', 'analyse', '--territory', 'epci:244500468', '--service', PARENTALITE];
    const result = await runCli(
      [...args, '--max-km', '3', '--suggest', '2', '--candidates', file, '--format', 'json'],
      env(),
    );
    assert.equal(result.code, 0, result.stderr);
    const body = JSON.parse(result.stdout);
    assert.equal(body.candidates, 1);
    assert.deepEqual(
      body.candidates_rejected.map((i: { row: number; field: string }) => [i.row, i.field]),
      [[3, 'lat']],
    );
    for (const s of body.suggestions) assert.equal(s.nom, 'Mairie annexe');

    const geo = await runCli([...args, '--format', 'geojson'], env());
    assert.equal(geo.code, 0, geo.stderr);
    const collection = JSON.parse(geo.stdout);
    assert.equal(collection.type, 'FeatureCollection');
    assert.equal(collection.features.length, 22);
    assert.ok('nearest_place_id' in collection.features[0].properties);
    assert.equal(geo.stderr, '', 'no progress bar when stderr is not a terminal');
  });
});
