import { createHash } from 'node:crypto';
import { type Actor, authorize } from '../accounts/policy.ts';
import { epciName, getCommune, resolveTerritory } from '../communes/communes.ts';
import type { Db } from '../db/database.ts';
import { localToday } from '../places/place-dates.ts';
import { DomainError } from '../shared/domain-error.ts';
import { formatTerritory, type Territory } from '../shared/territory.ts';
import { countAccompanimentsByCommuneMonth, countAccompanimentsByYearTheme } from './open-data.repository.ts';
import {
  buildOpenData,
  type CommunePlace,
  isOpenDataFileName,
  lastCompleteMonth,
  OPEN_DATA_FILES,
  type OpenDataSet,
  openDataCsv,
} from './open-data.ts';

/** Where the files are served (the `/donnees` page links to them). */
export const OPEN_ACTIVITY_DATA_PATH = '/donnees/activites';

export interface OpenActivityDataEntry {
  name: string;
  /** The file's address on the site: `/donnees/activites/<name>.csv`. */
  path: string;
  title: string;
  description: string;
  /** Lines of data (the header line aside). */
  rows: number;
}

/**
 * The last files built and what they were built from: the suppression of a large, sparse territory takes
 * seconds (decision 0053), the counts' SQL milliseconds, so the files are rebuilt only when a count moved.
 */
let lastBuilt: { key: string; set: OpenDataSet } | null = null;

async function computeOpenData(db: Db, territory: Territory, now: Date): Promise<OpenDataSet> {
  const today = localToday(now);
  const lastMonth = lastCompleteMonth(today);
  const before = `${today.slice(0, 7)}-01`;
  const [counts, themes] = await Promise.all([
    countAccompanimentsByCommuneMonth(db, before),
    countAccompanimentsByYearTheme(db, before),
  ]);
  const key = createHash('sha256')
    .update(JSON.stringify([formatTerritory(territory), lastMonth, sortedRows(counts), sortedRows(themes)]))
    .digest('hex');
  if (lastBuilt?.key === key) return lastBuilt.set;
  const inTerritory = new Set(resolveTerritory(territory).communes.map((c) => c.code));
  const placeOf = (code: string): CommunePlace | null => {
    const commune = inTerritory.has(code) ? getCommune(code) : null;
    if (!commune) return null;
    const epci = commune.epci === null ? null : { code: commune.epci, nom: epciName(commune.epci) ?? '' };
    return { nom: commune.nom, epci };
  };
  const set = buildOpenData({
    counts: counts.map((c) => ({
      communeCode: c.commune_code,
      month: c.month,
      accompaniments: c.accompaniments,
    })),
    themes,
    placeOf,
    lastMonth,
  });
  lastBuilt = { key, set };
  return set;
}

/** Rows in a fixed order whatever the SQL's, to compare two readings. */
const sortedRows = (rows: object[]) => rows.map((r) => JSON.stringify(Object.values(r))).sort();

/**
 * The open data files of activity records, for everybody: name, address, title, description and
 * number of lines, in the order a page lists them. Counts of accompaniments only (never a record, a
 * structure or a person), complete months only; a count under 5, and any count that would give one back
 * through the published totals, is secret in every file alike (decision 0053).
 */
export async function listOpenActivityData(
  db: Db,
  actor: Actor,
  input: { territory: Territory; now?: Date },
): Promise<OpenActivityDataEntry[]> {
  authorize(actor, 'listOpenActivityData');
  const set = await computeOpenData(db, input.territory, input.now ?? new Date());
  return set.files.map((f) => ({
    name: f.name,
    path: `${OPEN_ACTIVITY_DATA_PATH}/${f.name}.csv`,
    title: f.title,
    description: f.description,
    rows: f.rows.length,
  }));
}

/**
 * One open data file as CSV (semicolons, UTF-8 with a BOM, a header line, a secret count empty with
 * « secret » at « oui »), for everybody. An unknown name is a French "not found".
 */
export async function readOpenActivityData(
  db: Db,
  actor: Actor,
  input: { territory: Territory; name: string; now?: Date },
): Promise<{ name: string; csv: string }> {
  authorize(actor, 'readOpenActivityData');
  if (!isOpenDataFileName(input.name))
    throw new DomainError(
      'not_found',
      `Le fichier « ${input.name.slice(0, 80)} » n’existe pas. Fichiers publiés : ${Object.keys(OPEN_DATA_FILES).join(', ')}.`,
      { name: input.name.slice(0, 80) },
    );
  const set = await computeOpenData(db, input.territory, input.now ?? new Date());
  const file = set.files.find((f) => f.name === input.name);
  if (!file) throw new Error(`open data file not built: ${input.name}`);
  return { name: file.name, csv: openDataCsv(file) };
}
