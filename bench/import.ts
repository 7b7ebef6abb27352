import '../src/shared/utc.ts';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parse } from 'csv-parse/sync';
import { stringify } from 'csv-stringify/sync';
import pg from 'pg';
import { kyselyOverPostgres, openDatabase } from '../src/db/create-db.ts';
import type { Db } from '../src/db/database.ts';
import { migrate } from '../src/db/migrate.ts';
import { SCHEMA_FIELDS } from '../src/places/places.ts';
import { csvParseOptions, parsePlacesFile } from '../src/places/places-file.ts';
import { importPlacesFile } from '../src/places/places-import.service.ts';
import { normalizePlaceRow } from '../src/places/places-row.ts';
import { generatePlaces, loadFranceCommunes } from './support/france-places.ts';
import { benchDatabase } from './support/postgres.ts';

/**
 * bench:import — the import pipeline on 20,000 synthetic places spread over France (seeded), written as a
 * schema CSV. In the same run: (a) the plain parse (csv-parse, the importer's options, records discarded),
 * the baseline; (b) parse + validate + normalise (parsePlacesFile + normalizePlaceRow on every record);
 * (c) end to end, file bytes → committed rows in an empty migrated database (dedupe included), on
 * PostgreSQL and on PGlite; then on PostgreSQL (d) the same file again (every row unchanged) and (e) the
 * file with 10 % of its rows changed (newer date): rows of the file per second; (f) the physical limit,
 * PostgreSQL's COPY of the same file into a plain table (text columns, no index nor constraint).
 * Prints each target and whether it is met. Logs to stderr; the last line of stdout is one JSON object.
 */
const ROWS = Number(process.env.BENCH_ROWS ?? 20_000);
/** The targets of this bench (docs/decisions/0020-honest-benches.md), checked below. */
const TARGETS = { postgres: 15_000, pglite: 5_000, validateVsParse: 3, ratioVsCopy: 0.25 };
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

/**
 * One import of `bytes`, timed from the file's bytes to committed rows; its counts must be `expected`
 * (imported, updated, unchanged; nothing rejected) and the table must then hold ROWS places.
 */
async function timedImport(
  db: Db,
  bytes: Uint8Array,
  label: string,
  expected: { imported: number; updated: number; unchanged: number },
): Promise<number> {
  const t = performance.now();
  const report = await importPlacesFile(db, { kind: 'system' }, bytes, { fileName: 'bench.csv' });
  const ms = performance.now() - t;
  const stored = await db
    .selectFrom('place')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow();
  const counts = {
    imported: report.imported + report.merged,
    updated: report.updated,
    unchanged: report.unchanged,
  };
  if (
    Number(stored.n) !== ROWS ||
    report.rejected !== 0 ||
    JSON.stringify(counts) !== JSON.stringify(expected)
  ) {
    throw new Error(
      `${label}: ${stored.n} rows stored, ${report.rejected} rejected, counts ${JSON.stringify(counts)} (expected ${ROWS} stored, 0 rejected, ${JSON.stringify(expected)})`,
    );
  }
  log(
    `  ${label}: ${(ms / 1000).toFixed(2)} s, ${perSecond(ROWS, ms)} rows/s (imported ${report.imported}, updated ${report.updated}, unchanged ${report.unchanged}, merged ${report.merged}, ${report.warnings.length} warnings)`,
  );
  return perSecond(ROWS, ms);
}

async function endToEnd(db: Db, bytes: Uint8Array, label: string): Promise<number> {
  await migrate(db);
  return timedImport(db, bytes, label, { imported: ROWS, updated: 0, unchanged: 0 });
}

/** The protocol connection that pg hands to a query object (the few methods used here). */
interface CopyConnection {
  query(text: string): void;
  sendCopyFromChunk(chunk: Buffer): void;
  endCopyFrom(): void;
}

/**
 * COPY with the pg client alone (no extra dependency): a query object of pg's "submittable" kind.
 * `send`: the data of a COPY … FROM STDIN, sent when the server asks for it; a COPY … TO STDOUT gives
 * its data back. Resolves with the row count and the data received.
 */
function copy(client: pg.Client, text: string, send?: Buffer): Promise<{ rows: number; data: Buffer }> {
  const CHUNK = 64 * 1024;
  return new Promise((resolve, reject) => {
    let rows = 0;
    const received: Buffer[] = [];
    const ignore = () => undefined;
    const query = {
      submit: (connection: CopyConnection) => connection.query(text),
      handleCopyInResponse: (connection: CopyConnection) => {
        const data = send ?? Buffer.alloc(0);
        for (let at = 0; at < data.length; at += CHUNK)
          connection.sendCopyFromChunk(data.subarray(at, at + CHUNK));
        connection.endCopyFrom();
      },
      // The chunk is a view of pg's receive buffer, which the next socket read may overwrite.
      handleCopyData: (message: { chunk: Buffer }) => {
        received.push(Buffer.from(message.chunk));
      },
      handleCommandComplete: (message: { text: string }) => {
        rows = Number(message.text.split(' ')[1]);
      },
      // pg hands an error to the query and then forgets it (no ReadyForQuery follows for it).
      handleError: (error: Error) => reject(error),
      handleReadyForQuery: () => resolve({ rows, data: Buffer.concat(received) }),
      handleRowDescription: ignore,
      handleDataRow: ignore,
      handleEmptyQuery: ignore,
      handlePortalSuspended: ignore,
    };
    client.query(query as unknown as pg.QueryConfig);
  });
}

/**
 * The physical limit: the rows the import stored (every column but the id, in COPY's text format, read
 * back beforehand) written again by COPY … FROM STDIN into a plain table of the same columns, types and
 * defaults (a new id each), without index, key or constraint; committed. Median of three runs, each into
 * a new table.
 */
async function copyRate(url: string): Promise<number> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const names = await client.query<{ column_name: string }>(
      `select column_name from information_schema.columns
       where table_schema = current_schema() and table_name = 'place' and column_name <> 'id'
       order by ordinal_position`,
    );
    const columns = names.rows.map((r) => `"${r.column_name}"`).join(', ');
    const stored = await copy(client, `copy (select ${columns} from place) to stdout`);
    if (stored.rows !== ROWS) throw new Error(`read ${stored.rows} places back, expected ${ROWS}`);
    const times: number[] = [];
    for (let run = 0; run < 3; run++) {
      await client.query(
        'drop table if exists bench_copy; create table bench_copy (like place including defaults)',
      );
      const t = performance.now();
      const copied = await copy(client, `copy bench_copy (${columns}) from stdin`, stored.data);
      times.push(performance.now() - t);
      if (copied.rows !== ROWS) throw new Error(`COPY wrote ${copied.rows} rows, expected ${ROWS}`);
    }
    await client.query('drop table bench_copy');
    const ms = times.sort((a, b) => a - b)[1] as number;
    log(
      `  COPY: ${(ms / 1000).toFixed(2)} s, ${perSecond(ROWS, ms)} rows/s (median of 3; ${(stored.data.length / 1024 / 1024).toFixed(1)} MB)`,
    );
    return perSecond(ROWS, ms);
  } finally {
    await client.end();
  }
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
  let reimportRate: number;
  let updateRate: number;
  // The same places, one in ten changed (a new name, a newer date): an update of 10 % of the rows.
  const changed = rows.map((row, i) =>
    i % 10 === 0 ? { ...row, nom: `${row.nom} (nouvelle adresse)`, date_maj: '2026-02-15' } : row,
  );
  const updateBytes = new Uint8Array(
    Buffer.from(
      stringify([[...SCHEMA_FIELDS], ...changed.map((row) => SCHEMA_FIELDS.map((f) => row[f] ?? ''))]),
    ),
  );
  const tenth = Math.ceil(ROWS / 10);
  try {
    postgresRate = await endToEnd(postgres, bytes, 'PostgreSQL');
    log('the same file again on PostgreSQL (every row unchanged)…');
    reimportRate = await timedImport(postgres, bytes, 'PostgreSQL re-import', {
      imported: 0,
      updated: 0,
      unchanged: ROWS,
    });
    log('the file with 10 % of its rows changed, on PostgreSQL…');
    updateRate = await timedImport(postgres, updateBytes, 'PostgreSQL update', {
      imported: 0,
      updated: tenth,
      unchanged: ROWS - tenth,
    });
  } finally {
    await postgres.destroy();
  }
  log('physical limit: COPY of the rows stored into a plain table of the same columns on PostgreSQL…');
  const copyRowsPerS = await copyRate(dbUrl);
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
    reimport_rows_per_s: reimportRate,
    update_rows_per_s: updateRate,
    copy_rows_per_s: copyRowsPerS,
    ratio_vs_copy: Math.round((postgresRate / copyRowsPerS) * 100) / 100,
    targets: {} as Record<string, boolean>,
  };
  result.targets = {
    end_to_end_postgres: postgresRate >= TARGETS.postgres,
    end_to_end_pglite: pgliteRate >= TARGETS.pglite,
    validate_vs_parse_ratio: result.validate_vs_parse_ratio <= TARGETS.validateVsParse,
    ratio_vs_copy: result.ratio_vs_copy >= TARGETS.ratioVsCopy,
  };
  const met = (ok: boolean | undefined) => (ok ? 'met' : 'NOT MET');
  log(
    `target end to end on PostgreSQL >= ${TARGETS.postgres} rows/s: ${postgresRate} — ${met(result.targets.end_to_end_postgres)}`,
  );
  log(
    `target end to end on PGlite >= ${TARGETS.pglite} rows/s: ${pgliteRate} — ${met(result.targets.end_to_end_pglite)}`,
  );
  log(
    `target validate_vs_parse_ratio <= ${TARGETS.validateVsParse}: ${result.validate_vs_parse_ratio} — ${met(result.targets.validate_vs_parse_ratio)}`,
  );
  log(
    `target ratio_vs_copy (end to end on PostgreSQL ÷ COPY) >= ${TARGETS.ratioVsCopy}: ${result.ratio_vs_copy} — ${met(result.targets.ratio_vs_copy)}`,
  );
  process.stdout.write(`${JSON.stringify(result)}\n`);
} finally {
  await benchDb.drop().catch(() => undefined);
  fs.rmSync(tmp, { recursive: true, force: true });
}
