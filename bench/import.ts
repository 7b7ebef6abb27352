import '../src/shared/utc.ts';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parse } from 'csv-parse/sync';
import { stringify } from 'csv-stringify/sync';
import { kyselyOverPostgres, openDatabase } from '../src/db/create-db.ts';
import type { Db } from '../src/db/database.ts';
import { migrate } from '../src/db/migrate.ts';
import { importPlacesFile } from '../src/places/places.service.ts';
import { normalizePlaceRow, SCHEMA_FIELDS } from '../src/places/places.ts';
import { csvParseOptions, parsePlacesFile } from '../src/places/places-file.ts';
import { generatePlaces, loadFranceCommunes } from './support/france-places.ts';
import { benchDatabase } from './support/postgres.ts';

/**
 * bench:import — the import pipeline on 20,000 synthetic places spread over France (seeded), written as a
 * schema CSV. In the same run: (a) the plain parse (csv-parse, the importer's options, records discarded),
 * the baseline; (b) parse + validate + normalise (parsePlacesFile + normalizePlaceRow on every record);
 * (c) end to end, file bytes → committed rows in an empty migrated database (dedupe included), on
 * PostgreSQL and on PGlite. Logs to stderr; the last line of stdout is one JSON object.
 */
const ROWS = Number(process.env.BENCH_ROWS ?? 20_000);
const REPEATS = 3;
const log = (text: string) => process.stderr.write(`${text}\n`);
const benchDb = benchDatabase('maillage_bench_import');
const dbUrl = benchDb.url;

/** Best of `REPEATS` runs (after one warm-up), in milliseconds. */
function best(run: () => void): number {
  run();
  let fastest = Number.POSITIVE_INFINITY;
  for (let i = 0; i < REPEATS; i++) {
    const t = performance.now();
    run();
    fastest = Math.min(fastest, performance.now() - t);
  }
  return fastest;
}

const perSecond = (rows: number, ms: number) => Math.round(rows / (ms / 1000));

async function endToEnd(db: Db, bytes: Uint8Array, label: string): Promise<number> {
  await migrate(db);
  const t = performance.now();
  const report = await importPlacesFile(db, bytes, { fileName: 'bench.csv', actor: 'bench' });
  const ms = performance.now() - t;
  const stored = await db
    .selectFrom('place')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow();
  if (Number(stored.n) !== ROWS || report.rejected !== 0) {
    throw new Error(`${label}: ${stored.n} rows stored, ${report.rejected} rejected (expected ${ROWS}, 0)`);
  }
  log(
    `  ${label}: ${(ms / 1000).toFixed(2)} s, ${perSecond(ROWS, ms)} rows/s (imported ${report.imported}, merged ${report.merged}, ${report.warnings.length} warnings)`,
  );
  return perSecond(ROWS, ms);
}

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'maillage-bench-import-'));
try {
  log(`generating ${ROWS} places over France…`);
  const rows = generatePlaces(loadFranceCommunes(), ROWS, 42);
  const csv = stringify([[...SCHEMA_FIELDS], ...rows.map((row) => SCHEMA_FIELDS.map((f) => row[f] ?? ''))]);
  const file = path.join(tmp, 'bench.csv');
  fs.writeFileSync(file, csv);
  const bytes = new Uint8Array(fs.readFileSync(file));
  log(`  ${(bytes.length / 1024 / 1024).toFixed(1)} MB written to ${file}`);

  log('plain parse (csv-parse, same options, records discarded)…');
  const parseMs = best(() => {
    const text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
    const records = parse(text, csvParseOptions(',')) as unknown[];
    if (records.length !== ROWS + 1) throw new Error(`parsed ${records.length} records`);
  });
  log(`  ${parseMs.toFixed(0)} ms, ${perSecond(ROWS, parseMs)} rows/s`);

  log('parse + validate + normalise (parsePlacesFile + normalizePlaceRow)…');
  const now = new Date();
  const validateMs = best(() => {
    const parsed = parsePlacesFile(bytes, 'bench.csv');
    let kept = 0;
    for (const record of parsed.records) if (normalizePlaceRow(record.data, record.row, now).place) kept++;
    if (kept !== ROWS) throw new Error(`kept ${kept} rows`);
  });
  log(`  ${validateMs.toFixed(0)} ms, ${perSecond(ROWS, validateMs)} rows/s`);

  log('end to end (file bytes → committed rows, empty migrated database)…');
  await benchDb.create();
  const postgres = kyselyOverPostgres(dbUrl, 4);
  let postgresRate: number;
  try {
    postgresRate = await endToEnd(postgres, bytes, 'PostgreSQL');
  } finally {
    await postgres.destroy();
  }
  const embedded = await openDatabase({ dataDir: path.join(tmp, 'data'), databaseUrl: null });
  let pgliteRate: number;
  try {
    pgliteRate = await endToEnd(embedded.db, bytes, 'PGlite');
  } finally {
    await embedded.close();
  }

  const result = {
    rows: ROWS,
    file_mb: Math.round((bytes.length / 1024 / 1024) * 10) / 10,
    parse_rows_per_s: perSecond(ROWS, parseMs),
    validate_rows_per_s: perSecond(ROWS, validateMs),
    end_to_end_rows_per_s_postgres: postgresRate,
    end_to_end_rows_per_s_pglite: pgliteRate,
    validate_vs_parse_ratio: Math.round((validateMs / parseMs) * 100) / 100,
  };
  log('targets: end to end >= 15000 rows/s on PostgreSQL, >= 5000 on PGlite, validate_vs_parse_ratio <= 3');
  process.stdout.write(`${JSON.stringify(result)}\n`);
} finally {
  await benchDb.drop().catch(() => undefined);
  fs.rmSync(tmp, { recursive: true, force: true });
}
