import { parse } from 'csv-parse/sync';
import { DomainError } from '../shared/domain-error.ts';

/** The CSV inputs of an analysis: need weights and candidate sites, bad rows reported by line. Pure. */

/** A row of a file that was skipped, and why (1-based line number, the header being line 1). */
export interface CsvIssue {
  row: number;
  field: string;
  value: string;
  message: string;
}

/** Weights above this are a typing mistake (an index is usually between 0 and a few units). */
export const MAX_WEIGHT = 1000;

function readCsv(
  text: string,
  label: string,
): { header: string[]; rows: { line: number; cells: string[] }[]; comma: boolean } {
  const clean = text.replace(/^\uFEFF/, '');
  const firstLine = clean.split(/\r?\n/, 1)[0] ?? '';
  const delimiter = (firstLine.match(/;/g) ?? []).length > (firstLine.match(/,/g) ?? []).length ? ';' : ',';
  let records: { record: string[]; info: { lines: number } }[];
  try {
    records = parse(clean, {
      delimiter,
      relax_column_count: true,
      skip_empty_lines: true,
      trim: true,
      info: true,
    }) as unknown as { record: string[]; info: { lines: number } }[];
  } catch (error) {
    throw new DomainError(
      'invalid_input',
      `Le fichier ${label} n'est pas un CSV lisible : ${(error as Error).message}`,
    );
  }
  const [header, ...rows] = records;
  if (!header) throw new DomainError('invalid_input', `Le fichier ${label} est vide.`);
  return {
    header: header.record.map((h) => h.trim().toLowerCase()),
    rows: rows.map((r) => ({ line: r.info.lines, cells: r.record })),
    comma: delimiter === ';',
  };
}

function column(header: string[], names: string[]): number {
  return header.findIndex((h) => names.includes(h));
}

function readDecimal(text: string, comma: boolean): number {
  const t = comma ? text.replace(',', '.') : text;
  return t.trim() === '' ? Number.NaN : Number(t);
}

/**
 * Reads need weights: a CSV (`,` or `;`) with columns `code` (INSEE code of a commune) and `weight`
 * (or `poids`), a number ≥ 0 (decimal comma accepted with `;`). Rows with an unknown code, a bad
 * number or a repeated code are skipped and reported with their line, field and value.
 */
export function parseWeightsCsv(
  text: string,
  isKnownCode: (code: string) => boolean,
): { weights: { code: string; weight: number }[]; issues: CsvIssue[] } {
  const { header, rows, comma } = readCsv(text, 'de poids');
  const codeAt = column(header, ['code', 'code_insee', 'codgeo']);
  const weightAt = column(header, ['weight', 'poids']);
  if (codeAt < 0 || weightAt < 0)
    throw new DomainError(
      'invalid_input',
      `Le fichier de poids doit avoir les colonnes « code » et « weight » (reçu : ${header.join(', ')}).`,
      { header },
    );
  const weights: { code: string; weight: number }[] = [];
  const issues: CsvIssue[] = [];
  const seen = new Set<string>();
  for (const { line: row, cells: r } of rows) {
    const code = (r[codeAt] ?? '').trim();
    const raw = (r[weightAt] ?? '').trim();
    if (!isKnownCode(code)) {
      issues.push({ row, field: 'code', value: code, message: `Aucune commune n'a le code « ${code} ».` });
      continue;
    }
    if (seen.has(code)) {
      issues.push({
        row,
        field: 'code',
        value: code,
        message: `Le code « ${code} » apparaît déjà plus haut.`,
      });
      continue;
    }
    const weight = readDecimal(raw, comma);
    if (!Number.isFinite(weight) || weight < 0 || weight > MAX_WEIGHT) {
      issues.push({
        row,
        field: 'weight',
        value: raw,
        message: `Le poids doit être un nombre entre 0 et ${MAX_WEIGHT} (reçu : « ${raw} »).`,
      });
      continue;
    }
    seen.add(code);
    weights.push({ code, weight });
  }
  return { weights, issues };
}

export type CandidateRow =
  | { kind: 'code'; row: number; code: string }
  | { kind: 'point'; row: number; nom: string; lat: number; lon: number };

/**
 * Reads a candidate list: a CSV with a `code` column (communes, by INSEE code), or `lat`, `lon` and
 * `nom` columns (points: a mairie, a library, a France Services…). Bad rows are reported, not used.
 */
export function parseCandidatesCsv(text: string): { candidates: CandidateRow[]; issues: CsvIssue[] } {
  const { header, rows, comma } = readCsv(text, 'de sites candidats');
  const codeAt = column(header, ['code', 'code_insee']);
  const latAt = column(header, ['lat', 'latitude']);
  const lonAt = column(header, ['lon', 'lng', 'longitude']);
  const nomAt = column(header, ['nom', 'name']);
  if (codeAt < 0 && (latAt < 0 || lonAt < 0))
    throw new DomainError(
      'invalid_input',
      `Le fichier de sites candidats doit avoir une colonne « code » ou les colonnes « lat », « lon » et « nom » (reçu : ${header.join(', ')}).`,
      { header },
    );
  const candidates: CandidateRow[] = [];
  const issues: CsvIssue[] = [];
  for (const { line: row, cells: r } of rows) {
    if (codeAt >= 0) {
      const code = (r[codeAt] ?? '').trim();
      if (code === '') issues.push({ row, field: 'code', value: code, message: 'Le code est vide.' });
      else candidates.push({ kind: 'code', row, code });
      continue;
    }
    const latText = (r[latAt] ?? '').trim();
    const lonText = (r[lonAt] ?? '').trim();
    const lat = readDecimal(latText, comma);
    const lon = readDecimal(lonText, comma);
    if (!Number.isFinite(lat) || lat < -90 || lat > 90) {
      issues.push({
        row,
        field: 'lat',
        value: latText,
        message: `La latitude doit être entre -90 et 90 (reçu : « ${latText} »).`,
      });
      continue;
    }
    if (!Number.isFinite(lon) || lon < -180 || lon > 180) {
      issues.push({
        row,
        field: 'lon',
        value: lonText,
        message: `La longitude doit être entre -180 et 180 (reçu : « ${lonText} »).`,
      });
      continue;
    }
    const nom = nomAt >= 0 ? (r[nomAt] ?? '').trim() : '';
    candidates.push({ kind: 'point', row, nom: nom || `Site ligne ${row}`, lat, lon });
  }
  return { candidates, issues };
}
