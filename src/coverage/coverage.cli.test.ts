import assert from 'node:assert/strict';
import fs from 'node:fs';
import { after, before, describe, it } from 'node:test';
import { runCli, tempDir } from '../../test/support/processes.ts';
import { loadConfig } from '../config.ts';
import { openDatabase } from '../db/create-db.ts';
import { migrate } from '../db/migrate.ts';
import { seedDemoIfFresh } from '../demo/demo.service.ts';

// One embedded database with the demonstration data; real CLI processes read it.
let dataDir = '';
const env = () => ({ DATA_DIR: dataDir });

before(async () => {
  dataDir = tempDir('maillage-coverage-');
  const handle = await openDatabase(loadConfig({ DATA_DIR: dataDir }));
  try {
    await migrate(handle.db);
    await seedDemoIfFresh(handle.db);
  } finally {
    await handle.close();
  }
});
after(() => fs.rmSync(dataDir, { recursive: true, force: true }));

describe('cli coverage analyse', () => {
  it('prints one JSON object with the figures, suggestions and itinerant stops', async () => {
    const result = await runCli(
      [
        'coverage',
        'analyse',
        '--territory',
        'epci:244500468',
        '--service',
        'Parentalité et éducation avec le numérique',
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
    const cases: [string[], number, string | null][] = [
      [['--territory', 'epci:999999999'], 1, 'not_found'],
      [['--territory', 'epci:244500468', '--max-km=-3'], 1, 'invalid_input'],
    ];
    for (const [args, code, errorCode] of cases) {
      const result = await runCli(['coverage', 'analyse', ...args, '--format', 'json'], env());
      assert.equal(result.code, code, args.join(' '));
      assert.match(result.stderr, /[a-zé]/);
      if (errorCode) assert.equal(JSON.parse(result.stdout).error.code, errorCode, args.join(' '));
      assert.ok(!/\n\s+at /.test(result.stderr), 'no stack trace');
    }
  });
});
