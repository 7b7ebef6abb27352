import type * as XLSX from '@e965/xlsx';
import { parse } from 'csv-parse/sync';
import { cleanLine } from '../shared/text.ts';
import { zipDeclaration, zipInflatesAsDeclared } from '../shared/zip.ts';
import { type ActivityFields, type ActivityValues, checkActivity } from './activities.ts';
import { sheetJs } from './sheetjs.ts';
import {
  ACTIVITY_KIND_LABELS,
  AGE_BAND_LABELS,
  AUTONOMY_STARS,
  EQUIPMENT_LABELS,
  GENDER_LABELS,
  keysOf,
  PLACE_KIND_LABELS,
  REDIRECTION_LABELS,
  SOCIAL_STATUS_LABELS,
  THEME_LABELS,
  WORKSHOP_LEVEL_STARS,
} from './vocabulary.ts';

/**
 * La Coop de la médiation numérique's export of accompaniments (its `buildAccompagnementsWorksheet`,
 * pinned in shared/data/coop-mediation-numerique/), read and written (decision 0039). Pure: bytes in,
 * lines, activities and French messages out; no database, no HTTP, no process.env.
 *
 * The layout: a sheet "Activités" with a few metadata rows, a blank row, then a table whose header row
 * holds "Date" … "ID CRA"; one line per accompaniment, so a workshop of n participants is n lines
 * ("Participants" 1/n … n/n) sharing one "ID CRA". Cells holding several values join them with newlines.
 */

// ---------------------------------------------------------------------------------------------------
// The layout
// ---------------------------------------------------------------------------------------------------

/** Every column of the Coop's table, by the name Maillage gives it, with the Coop's header. */
export const COOP_HEADERS = {
  date: 'Date',
  createdAt: 'Enregistré le',
  updatedAt: 'Dernière modification le',
  mediatorFirstName: 'Prénom du médiateur',
  mediatorLastName: 'Nom du médiateur',
  role: 'Rôle',
  conumId: 'ID - Conum',
  type: 'Type',
  participants: 'Participants',
  beneficiary: 'Bénéficiaire',
  placeKind: 'Canaux d’accompagnement',
  placeName: 'Nom du lieu',
  address: 'Adresse',
  commune: 'Commune',
  postalCode: 'Code postal',
  communeCode: 'Code Insee',
  duration: 'Durée (min)',
  workshopTitle: 'Nom de l’atelier',
  equipment: 'Matériel numérique utilisé',
  themes: 'Thématique(s) d’accompagnement',
  tags: 'Tags',
  procedure: 'Nom de la démarche administrative',
  stars: 'Niveau d’autonomie (ou de l’atelier)',
  oriented: 'Bénéficiaire réorienté',
  redirection: 'Structure de redirection',
  beneficiaryCommune: 'Commune du bénéficiaire',
  beneficiaryPostalCode: 'Code postal du bénéficiaire',
  beneficiaryCommuneCode: 'Code Insee du bénéficiaire',
  gender: 'Genre du bénéficiaire',
  ageBand: 'Tranche d’âge du bénéficiaire',
  socialStatus: 'Statut du bénéficiaire',
  notes: 'Notes supplémentaires',
  dataSource: 'Source de la donnée',
  idCra: 'ID CRA',
} as const;
export type CoopColumn = keyof typeof COOP_HEADERS;

/**
 * The header Maillage writes: the Coop's export of a team's activities (`isSelfExport` false — the
 * mediator's name, role and Conum id, no beneficiary's name nor notes) without "Source de la donnée"
 * (no v1 record), in the Coop's order. Decision 0039 says why.
 */
export const EXPORT_COLUMNS: readonly CoopColumn[] = [
  'date',
  'createdAt',
  'updatedAt',
  'mediatorFirstName',
  'mediatorLastName',
  'role',
  'conumId',
  'type',
  'participants',
  'placeKind',
  'placeName',
  'address',
  'commune',
  'postalCode',
  'communeCode',
  'duration',
  'workshopTitle',
  'equipment',
  'themes',
  'tags',
  'procedure',
  'stars',
  'oriented',
  'redirection',
  'beneficiaryCommune',
  'beneficiaryPostalCode',
  'beneficiaryCommuneCode',
  'gender',
  'ageBand',
  'socialStatus',
  'idCra',
];

/** The columns an import needs (the others — mediator, notes, tags, v1 source — may be absent). */
export const REQUIRED_COLUMNS: readonly CoopColumn[] = [
  'date',
  'type',
  'participants',
  'placeKind',
  'placeName',
  'commune',
  'postalCode',
  'communeCode',
  'duration',
  'workshopTitle',
  'equipment',
  'themes',
  'procedure',
  'stars',
  'oriented',
  'redirection',
  'beneficiaryCommuneCode',
  'gender',
  'ageBand',
  'socialStatus',
  'idCra',
];

/**
 * The Coop's columns Maillage does not keep (README, "La Coop : ce que Maillage ne garde pas"): they come
 * back empty from a round trip. "Adresse" is the address of the Maillage place a record is linked to, if
 * any; the communes' names are written from their INSEE codes.
 */
export const NOT_KEPT_COLUMNS: readonly CoopColumn[] = [
  'createdAt',
  'updatedAt',
  'mediatorFirstName',
  'mediatorLastName',
  'role',
  'conumId',
  'beneficiary',
  'address',
  'tags',
  'beneficiaryPostalCode',
  'notes',
  'dataSource',
];

/** The Coop's label of the old type `demarche` (merged into individual accompaniments in April 2025). */
export const LEGACY_KIND_LABELS = { demarche: 'Démarche administrative' } as const;

/** Limits of one import (decision 0039). */
export const COOP_IMPORT_MAX_BYTES = 5 * 1024 * 1024;
export const COOP_IMPORT_MAX_LINES = 20_000;
/**
 * What an XLSX may say it holds once decompressed, read from its zip directory before anything is
 * unzipped (a zip bomb of a few kilobytes can inflate to gigabytes). A year of La Coop's export, 5 MB
 * compressed, stays well under it.
 */
export const COOP_IMPORT_MAX_UNZIPPED_BYTES = 50 * 1024 * 1024;
/** How many row errors a result lists (the count says how many there were). */
export const COOP_ERRORS_SHOWN = 100;

/** A value as a spreadsheet gives it: text, a number (dates are Excel serial numbers), or nothing. */
export type Cell = string | number | boolean | null;

export interface SheetError {
  /** The spreadsheet's row number (1 for the first row), or null for the whole file. */
  row: number | null;
  /** The column's header, or null. */
  column: string | null;
  message: string;
}

export const SHEET_MESSAGES = {
  empty: 'Le fichier est vide.',
  tooLarge: (mb: number) =>
    `Le fichier dépasse ${mb} Mo. Exportez une période plus courte depuis La Coop, puis importez chaque fichier.`,
  pdf: 'Ce fichier est un PDF, pas un tableau. Exportez vos activités depuis La Coop au format Excel (XLSX) ou CSV.',
  xls: 'Ce fichier est au format Excel ancien (XLS). Enregistrez-le au format XLSX ou CSV, puis importez-le.',
  notSheet:
    'Ce fichier n’est ni un tableau Excel (XLSX) ni un fichier CSV. Exportez vos activités depuis La Coop au format Excel (XLSX).',
  broken:
    'Ce fichier n’est pas un classeur Excel (XLSX) lisible : il est abîmé, ou c’est un autre fichier compressé. Exportez-le à nouveau depuis La Coop.',
  brokenCsv: (line: number | null) =>
    `Ce fichier CSV est mal formé${line ? ` (vers la ligne ${line})` : ''} : une cellule a un guillemet sans fin, par exemple. Exportez-le à nouveau.`,
  encoding: 'Ce fichier CSV n’est pas un texte lisible. Enregistrez-le en CSV UTF-8, puis importez-le.',
  noSheet: 'Ce classeur n’a aucune feuille.',
  unzippedTooLarge: (mb: number) =>
    `Ce classeur dit occuper plus de ${mb} Mo une fois décompressé : ce n’est pas un export ordinaire de La Coop, il n’est pas ouvert. Exportez une période plus courte depuis La Coop, puis importez chaque fichier.`,
  noHeader: (missing: readonly string[]) =>
    `Ce fichier n’a pas la disposition de l’export des accompagnements de La Coop : aucune ligne d’en-tête avec « Date » … « ID CRA ». Colonnes attendues : ${quoteList(missing)}.`,
  missingColumns: (row: number, missing: readonly string[]) =>
    `La ligne d’en-tête (ligne ${row}) n’a pas toutes les colonnes de l’export des accompagnements de La Coop. Il manque : ${quoteList(missing)}.`,
  noLines: 'Le tableau ne contient aucune activité : seule la ligne d’en-tête est là.',
  tooManyLines: (max: number) =>
    `Le tableau dépasse ${max.toLocaleString('fr-FR')} lignes. Exportez une période plus courte depuis La Coop, puis importez chaque fichier.`,
  idMissing: 'L’identifiant de l’activité (ID CRA) est vide.',
  idTooLong: 'L’identifiant de l’activité (ID CRA) dépasse 100 caractères.',
  participantsInvalid: (v: string) =>
    `« ${v} » n’est pas un rang de participant : écrivez 1 pour une personne seule, ou par exemple 2/5.`,
  participantsCount: (id: string, lines: number, said: number) =>
    `L’activité ${id} a ${lines} ligne${lines > 1 ? 's' : ''} dans le fichier, mais ses participants annoncent ${said} personne${said > 1 ? 's' : ''} : les comptes ne correspondent pas.`,
  participantsRepeated: (v: string, id: string) =>
    `Le participant ${v} de l’activité ${id} apparaît deux fois : les comptes ne correspondent pas.`,
  individualMany: (id: string) =>
    `L’activité ${id} est un accompagnement individuel avec plusieurs participants : un accompagnement individuel n’en a qu’un.`,
  linesDiffer: (id: string, firstRow: number) =>
    `Cette ligne de l’activité ${id} ne dit pas la même chose que sa première ligne (ligne ${firstRow}) : une activité a les mêmes valeurs sur toutes ses lignes.`,
  valueUnknown: (v: string) => `La valeur « ${v} » n’existe pas dans le vocabulaire de La Coop.`,
  starsInvalid: (v: string) =>
    `« ${v} » n’est pas un niveau : La Coop l’écrit en étoiles sur 3, par exemple 2/3.`,
  yesNoInvalid: (v: string) => `« ${v} » : écrivez Oui ou Non.`,
  dateInvalid: (v: string) => `La date « ${v} » n’est pas une date. Écrivez-la comme 15/06/2026.`,
  durationInvalid: (v: string) => `La durée « ${v} » n’est pas un nombre entier de minutes.`,
  placeNameMissing:
    'Le lieu d’activité n’a pas de nom : indiquez-le dans « Nom du lieu » (ou choisissez un autre canal).',
} as const;

function quoteList(values: readonly string[]): string {
  return values.map((v) => `« ${v} »`).join(', ');
}

// ---------------------------------------------------------------------------------------------------
// Reading a file into rows
// ---------------------------------------------------------------------------------------------------

export interface SheetRows {
  format: 'xlsx' | 'csv';
  /** Each row with its spreadsheet row number. */
  rows: { row: number; cells: Cell[] }[];
}

const startsWith = (bytes: Uint8Array, ...magic: number[]) => magic.every((b, i) => bytes[i] === b);

/** The rows of the first sheet holding the table (XLSX), or of the CSV (comma, semicolon or tab). */
export function readSheetRows(
  bytes: Uint8Array,
): { ok: true; sheet: SheetRows } | { ok: false; error: string } {
  if (bytes.length === 0) return { ok: false, error: SHEET_MESSAGES.empty };
  if (bytes.length > COOP_IMPORT_MAX_BYTES)
    return { ok: false, error: SHEET_MESSAGES.tooLarge(COOP_IMPORT_MAX_BYTES / 1024 / 1024) };
  if (startsWith(bytes, 0x25, 0x50, 0x44, 0x46)) return { ok: false, error: SHEET_MESSAGES.pdf };
  if (startsWith(bytes, 0xd0, 0xcf, 0x11, 0xe0)) return { ok: false, error: SHEET_MESSAGES.xls };
  if (startsWith(bytes, 0x50, 0x4b)) return readXlsx(bytes);
  return readCsv(bytes);
}

function readXlsx(bytes: Uint8Array): { ok: true; sheet: SheetRows } | { ok: false; error: string } {
  // The zip's directory first: nothing is decompressed when it is broken or declares too much.
  const declared = zipDeclaration(bytes);
  if (!declared.ok) return { ok: false, error: SHEET_MESSAGES.broken };
  if (declared.uncompressedBytes > COOP_IMPORT_MAX_UNZIPPED_BYTES)
    return {
      ok: false,
      error: SHEET_MESSAGES.unzippedTooLarge(COOP_IMPORT_MAX_UNZIPPED_BYTES / 1024 / 1024),
    };
  // Then each entry inflated under its declared size as a ceiling: a directory that lies is refused too.
  if (!zipInflatesAsDeclared(bytes)) return { ok: false, error: SHEET_MESSAGES.broken };
  let workbook: XLSX.WorkBook;
  try {
    workbook = sheetJs().read(bytes, {
      type: 'array',
      cellDates: false,
      cellFormula: false,
      cellHTML: false,
      cellText: false,
      sheetRows: COOP_IMPORT_MAX_LINES + 100,
    });
  } catch {
    return { ok: false, error: SHEET_MESSAGES.broken };
  }
  // A zip that is no workbook (a .docx, a folder) reads as a workbook without sheets, or not at all.
  if (!workbook.SheetNames?.length || !workbook.Sheets) return { ok: false, error: SHEET_MESSAGES.notSheet };
  const date1904 = Boolean(workbook.Workbook?.WBProps?.date1904);
  const sheets = workbook.SheetNames.map((name) => workbook.Sheets[name]).filter(
    (s): s is XLSX.WorkSheet => s !== undefined,
  );
  if (sheets.length === 0) return { ok: false, error: SHEET_MESSAGES.noSheet };
  const asRows = (sheet: XLSX.WorkSheet): SheetRows['rows'] => {
    if (!sheet['!ref']) return [];
    const start = sheetJs().utils.decode_range(sheet['!ref']).s.r;
    const aoa = sheetJs().utils.sheet_to_json<Cell[]>(sheet, {
      header: 1,
      raw: true,
      defval: null,
      blankrows: true,
    });
    return aoa.map((cells, i) => ({ row: start + i + 1, cells }));
  };
  // The sheet "Activités", else the first sheet whose rows hold the header.
  const all = sheets.map(asRows);
  const chosen = all.find((rows) => findHeader(rows).found) ?? all[0] ?? [];
  if (date1904) {
    // Dates of a 1904 workbook count from 1904-01-01: moved to the 1900 system once, here.
    const header = findHeader(chosen);
    if (header.found) {
      const dateIndex = header.columns.get('date');
      for (const r of chosen)
        if (r.row > header.row && dateIndex !== undefined && typeof r.cells[dateIndex] === 'number')
          r.cells[dateIndex] = (r.cells[dateIndex] as number) + 1462;
    }
  }
  return { ok: true, sheet: { format: 'xlsx', rows: chosen } };
}

function decodeText(bytes: Uint8Array): string | null {
  if (bytes.includes(0)) return null;
  try {
    return new TextDecoder('utf-8', { fatal: true, ignoreBOM: false }).decode(bytes);
  } catch {
    // Excel in France saves "CSV (séparateur : point-virgule)" in Windows-1252 (decoded here: some
    // builds of Node read that label as Latin-1, whose 0x80–0x9F are control characters, ’ among them).
    let out = '';
    for (const b of bytes) out += b >= 0x80 && b < 0xa0 ? (CP1252[b - 0x80] ?? '') : String.fromCharCode(b);
    return out;
  }
}

/** Windows-1252's characters for 0x80–0x9F (unassigned ones: nothing). */
const CP1252 = [...'€\u0000‚ƒ„…†‡ˆ‰Š‹Œ\u0000Ž\u0000\u0000‘’“”•–—˜™š›œ\u0000žŸ'].map((c) =>
  c === '\u0000' ? '' : c,
);

function readCsv(bytes: Uint8Array): { ok: true; sheet: SheetRows } | { ok: false; error: string } {
  const text = decodeText(bytes);
  if (text === null) return { ok: false, error: SHEET_MESSAGES.notSheet };
  // The delimiter of the header line (the one naming "ID CRA"), else of the first lines.
  const lines = text.split(/\r\n|\n|\r/, 200);
  const headerLine = lines.find((l) => /id cra/i.test(l)) ?? lines.slice(0, 20).join('\n');
  const counts = [';', ',', '\t'].map((d) => ({ d, n: headerLine.split(d).length - 1 }));
  const delimiter = counts.sort((a, b) => b.n - a.n)[0]?.d ?? ',';
  let records: string[][];
  try {
    records = parse(text, {
      delimiter,
      bom: true,
      relax_column_count: true,
      skip_empty_lines: false,
      to_line: COOP_IMPORT_MAX_LINES + 100,
    }) as string[][];
  } catch (error) {
    const line = (error as { lines?: unknown }).lines;
    return { ok: false, error: SHEET_MESSAGES.brokenCsv(typeof line === 'number' ? line : null) };
  }
  // A CSV line number is the spreadsheet's row number when no cell spans lines; a cell with newlines
  // (a list) shifts it, so the parser's own count of records is used: the row as a spreadsheet shows it.
  return {
    ok: true,
    sheet: {
      format: 'csv',
      rows: records.map((cells, i) => ({ row: i + 1, cells: cells.map(unprotect) })),
    },
  };
}

/** A text made inert for spreadsheets by a leading apostrophe (our CSV export) comes back as it was. */
const unprotect = (v: string): string => (/^'[=+\-@]/.test(v) ? v.slice(1) : v);

// ---------------------------------------------------------------------------------------------------
// The header and the lines
// ---------------------------------------------------------------------------------------------------

/** A header or a label compared without case, accents, apostrophes' shape or extra spaces. */
export function labelKey(text: string): string {
  return text
    .normalize('NFD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/[’‘`´']/g, "'")
    .replace(/[‐‑‒–—]/g, '-')
    .replace(/\s+/g, ' ')
    .trim();
}

const HEADER_KEYS = new Map<string, CoopColumn>(
  keysOf(COOP_HEADERS).map((k) => [labelKey(COOP_HEADERS[k]), k]),
);

type Header =
  | { found: true; row: number; columns: Map<CoopColumn, number> }
  | { found: false; best: Map<CoopColumn, number>; row: number | null };

/** The header row: the first row (of the first 60) naming "Date" and "ID CRA", with its columns. */
function findHeader(rows: SheetRows['rows']): Header {
  let best = new Map<CoopColumn, number>();
  let bestRow: number | null = null;
  for (const r of rows.slice(0, 60)) {
    const columns = new Map<CoopColumn, number>();
    r.cells.forEach((cell, i) => {
      const key = typeof cell === 'string' ? HEADER_KEYS.get(labelKey(cell)) : undefined;
      if (key && !columns.has(key)) columns.set(key, i);
    });
    if (columns.has('date') && columns.has('idCra')) return { found: true, row: r.row, columns };
    if (columns.size > best.size) {
      best = columns;
      bestRow = r.row;
    }
  }
  return { found: false, best, row: bestRow };
}

export interface CoopLine {
  /** The spreadsheet's row number. */
  row: number;
  cells: Partial<Record<CoopColumn, Cell>>;
}

/** The table's lines by column, or the file's error (no header, missing columns, no line, too many). */
export function sheetLines(
  sheet: SheetRows,
): { ok: true; lines: CoopLine[]; columns: CoopColumn[] } | { ok: false; error: string } {
  const header = findHeader(sheet.rows);
  const required = REQUIRED_COLUMNS.map((k) => COOP_HEADERS[k]);
  if (!header.found) {
    if (header.row === null || header.best.size < 3)
      return { ok: false, error: SHEET_MESSAGES.noHeader(required) };
    const missing = REQUIRED_COLUMNS.filter((k) => !header.best.has(k)).map((k) => COOP_HEADERS[k]);
    return { ok: false, error: SHEET_MESSAGES.missingColumns(header.row, missing) };
  }
  const missing = REQUIRED_COLUMNS.filter((k) => !header.columns.has(k)).map((k) => COOP_HEADERS[k]);
  if (missing.length > 0) return { ok: false, error: SHEET_MESSAGES.missingColumns(header.row, missing) };
  const lines: CoopLine[] = [];
  for (const r of sheet.rows) {
    if (r.row <= header.row) continue;
    if (r.cells.every((c) => c === null || (typeof c === 'string' && c.trim() === ''))) continue;
    const cells: CoopLine['cells'] = {};
    for (const [key, index] of header.columns) cells[key] = r.cells[index] ?? null;
    lines.push({ row: r.row, cells });
    if (lines.length > COOP_IMPORT_MAX_LINES)
      return { ok: false, error: SHEET_MESSAGES.tooManyLines(COOP_IMPORT_MAX_LINES) };
  }
  if (lines.length === 0) return { ok: false, error: SHEET_MESSAGES.noLines };
  return { ok: true, lines, columns: [...header.columns.keys()] };
}

// ---------------------------------------------------------------------------------------------------
// Lines → activities
// ---------------------------------------------------------------------------------------------------

/** One Coop activity read from its lines and checked, ready to be written. */
export interface ParsedActivity {
  externalId: string;
  /** The spreadsheet rows of its lines (the first one names it in messages). */
  rows: number[];
  fields: ActivityFields;
  /** "Nom du lieu" as written. */
  placeName: string | null;
  /** Whether the place was one of the structure's (fields.placeId then says which). */
  placeMatched: boolean;
}

/** A place of the structure, for matching "Nom du lieu". */
export interface OwnPlace {
  id: string;
  name: string;
}

/** A place's name compared without case, accents, punctuation or extra spaces. */
export function placeNameKey(name: string): string {
  return labelKey(name)
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .trim();
}

const cellText = (cell: Cell | undefined): string => {
  if (cell === null || cell === undefined) return '';
  if (typeof cell === 'boolean') return cell ? 'Oui' : 'Non';
  return String(cell);
};
const oneLine = (cell: Cell | undefined) => cleanLine(cellText(cell));
const listOf = (cell: Cell | undefined) =>
  cellText(cell)
    .split(/\r\n|\n|\r/)
    .map((v) => cleanLine(v))
    .filter(Boolean);

function labelIndex(...labels: Record<string, string>[]): Map<string, string> {
  const out = new Map<string, string>();
  for (const l of labels)
    for (const [value, label] of Object.entries(l)) {
      out.set(labelKey(label), value);
      out.set(labelKey(value), value);
    }
  return out;
}
const KIND_INDEX = labelIndex(ACTIVITY_KIND_LABELS, LEGACY_KIND_LABELS);
const PLACE_KIND_INDEX = labelIndex(PLACE_KIND_LABELS);
const THEME_INDEX = labelIndex(THEME_LABELS);
const EQUIPMENT_INDEX = labelIndex(EQUIPMENT_LABELS);
const REDIRECTION_INDEX = labelIndex(REDIRECTION_LABELS);
const GENDER_INDEX = labelIndex(GENDER_LABELS);
const AGE_INDEX = labelIndex(AGE_BAND_LABELS);
const STATUS_INDEX = labelIndex(SOCIAL_STATUS_LABELS);
const byStars = <K extends string>(stars: Readonly<Record<K, number>>) =>
  new Map<number, K>(Object.entries(stars).map(([k, n]) => [n as number, k as K]));
const AUTONOMY_BY_STARS = byStars(AUTONOMY_STARS);
const LEVEL_BY_STARS = byStars(WORKSHOP_LEVEL_STARS);

/** A label as its Coop value; an unknown label is kept as typed, so the check names it. */
const coopValue = (index: Map<string, string>, typed: string) => index.get(labelKey(typed)) ?? typed;

/** An Excel serial day (1900 system) as 'YYYY-MM-DD'. */
export function serialToDay(serial: number): string {
  const ms = Math.round((Math.floor(serial) - 25569) * 86_400_000);
  return new Date(ms).toISOString().slice(0, 10);
}
/** 'YYYY-MM-DD' as an Excel serial day. */
export function dayToSerial(day: string): number {
  return Math.round(Date.parse(`${day}T00:00:00Z`) / 86_400_000) + 25569;
}

/** "Participants": 1 for one person, "i/n" for the i-th of n. */
function participantRank(cell: Cell | undefined): { index: number; of: number } | null {
  const t = oneLine(cell).replace(/\s/g, '');
  if (t === '1') return { index: 1, of: 1 };
  const m = /^(\d{1,5})\/(\d{1,5})$/.exec(t);
  if (!m) return null;
  const index = Number(m[1]);
  const of = Number(m[2]);
  return index >= 1 && index <= of ? { index, of } : null;
}

/** Which column a field of `checkActivity` is read from, to name it in messages. */
const FIELD_COLUMNS: Record<string, CoopColumn> = {
  kind: 'type',
  date: 'date',
  duration: 'duration',
  durationHours: 'duration',
  durationMinutes: 'duration',
  placeKind: 'placeKind',
  placeId: 'placeName',
  communeCode: 'communeCode',
  postalCode: 'postalCode',
  themes: 'themes',
  equipment: 'equipment',
  procedureDetails: 'procedure',
  autonomy: 'stars',
  workshopLevel: 'stars',
  oriented: 'oriented',
  redirection: 'redirection',
  gender: 'gender',
  ageBand: 'ageBand',
  socialStatus: 'socialStatus',
  alreadyAccompanied: 'participants',
  beneficiaryCommuneCode: 'beneficiaryCommuneCode',
  workshopTitle: 'workshopTitle',
  participantsTotal: 'participants',
  participantsAlreadyAccompanied: 'participants',
  participantsGender: 'gender',
  participantsAgeBand: 'ageBand',
  participantsSocialStatus: 'socialStatus',
};

/** Columns of the activity itself (the same on each of its lines); the others describe one participant. */
const ACTIVITY_COLUMNS: readonly CoopColumn[] = [
  'date',
  'type',
  'placeKind',
  'placeName',
  'commune',
  'postalCode',
  'communeCode',
  'duration',
  'workshopTitle',
  'equipment',
  'themes',
  'procedure',
  'stars',
  'oriented',
  'redirection',
];

/** A placeholder place for `checkActivity` when "Nom du lieu" is no place of the structure's. */
const UNMATCHED_PLACE = '00000000-0000-4000-8000-000000000000';

/**
 * The lines grouped by "ID CRA" into activities, each read in the Coop's vocabulary and checked whole
 * by `checkActivity` (the same rules as the form); every refusal names the row and the column. "Nom du
 * lieu" is matched to one of the structure's places by its name (case, accents, punctuation aside).
 */
export function linesToActivities(
  lines: readonly CoopLine[],
  opts: { today: string; places: readonly OwnPlace[] },
): { activities: ParsedActivity[]; errors: SheetError[] } {
  const errors: SheetError[] = [];
  const fail = (row: number, column: CoopColumn | null, message: string) =>
    errors.push({ row, column: column ? COOP_HEADERS[column] : null, message });
  const groups = new Map<string, CoopLine[]>();
  for (const line of lines) {
    const id = oneLine(line.cells.idCra);
    if (id === '') fail(line.row, 'idCra', SHEET_MESSAGES.idMissing);
    else if (id.length > 100) fail(line.row, 'idCra', SHEET_MESSAGES.idTooLong);
    else groups.set(id, [...(groups.get(id) ?? []), line]);
  }
  const placesByName = new Map<string, string | null>();
  for (const p of opts.places) {
    const key = placeNameKey(p.name);
    // Two places of the same name: neither is chosen (the name is kept as written).
    placesByName.set(key, placesByName.has(key) ? null : p.id);
  }
  const activities: ParsedActivity[] = [];
  for (const [id, group] of groups) {
    const parsed = groupToActivity(id, group, opts.today, placesByName, fail);
    if (parsed) activities.push(parsed);
  }
  return { activities, errors };
}

function groupToActivity(
  id: string,
  group: CoopLine[],
  today: string,
  placesByName: Map<string, string | null>,
  fail: (row: number, column: CoopColumn | null, message: string) => void,
): ParsedActivity | null {
  const first = group[0] as CoopLine;
  const before = { failed: false };
  const failHere = (row: number, column: CoopColumn | null, message: string) => {
    before.failed = true;
    fail(row, column, message);
  };
  // Participants: one line each, ranks 1..n once.
  const seen = new Set<number>();
  for (const line of group) {
    const rank = participantRank(line.cells.participants);
    if (rank === null) {
      failHere(
        line.row,
        'participants',
        SHEET_MESSAGES.participantsInvalid(oneLine(line.cells.participants)),
      );
      continue;
    }
    if (rank.of !== group.length) {
      failHere(line.row, 'participants', SHEET_MESSAGES.participantsCount(id, group.length, rank.of));
      break;
    }
    if (seen.has(rank.index)) {
      failHere(
        line.row,
        'participants',
        SHEET_MESSAGES.participantsRepeated(oneLine(line.cells.participants), id),
      );
      break;
    }
    seen.add(rank.index);
  }
  for (const line of group.slice(1))
    for (const column of ACTIVITY_COLUMNS)
      if (cellText(line.cells[column]).trim() !== cellText(first.cells[column]).trim()) {
        failHere(line.row, column, SHEET_MESSAGES.linesDiffer(id, first.row));
        break;
      }
  const c = first.cells;
  const kindTyped = oneLine(c.type);
  const kind = kindTyped === '' ? '' : coopValue(KIND_INDEX, kindTyped);
  const individual = kind !== 'collectif';
  if (individual && group.length > 1) failHere(first.row, 'participants', SHEET_MESSAGES.individualMany(id));

  // Date: an Excel day, or text as 15/06/2026 (or 2026-06-15).
  let date = '';
  if (typeof c.date === 'number') {
    if (Number.isFinite(c.date) && c.date > 0 && c.date < 2_958_466) date = serialToDay(c.date);
    else failHere(first.row, 'date', SHEET_MESSAGES.dateInvalid(String(c.date)));
  } else date = oneLine(c.date).replace(/\s+(à|a)\s+\d{1,2}[:h]\d{2}$/i, '');

  let duration = '';
  if (typeof c.duration === 'number') {
    if (Number.isInteger(c.duration) && c.duration >= 0) duration = String(c.duration);
    else failHere(first.row, 'duration', SHEET_MESSAGES.durationInvalid(String(c.duration)));
  } else duration = oneLine(c.duration);

  // Place: one of the structure's by its name, else the name as written.
  const placeKind = coopValue(PLACE_KIND_INDEX, oneLine(c.placeKind));
  const placeName = oneLine(c.placeName);
  let placeId = '';
  let placeMatched = false;
  if (placeKind === 'lieu_activite') {
    const found = placesByName.get(placeNameKey(placeName));
    if (placeName === '') failHere(first.row, 'placeName', SHEET_MESSAGES.placeNameMissing);
    else if (found) {
      placeId = found;
      placeMatched = true;
    } else placeId = UNMATCHED_PLACE;
  }

  // Stars: autonomy (individual) or the workshop's level.
  const starsTyped = oneLine(c.stars).replace(/\s/g, '');
  let autonomy = '';
  let workshopLevel = '';
  if (starsTyped !== '') {
    const m = /^([1-3])\/3$/.exec(starsTyped);
    if (!m) failHere(first.row, 'stars', SHEET_MESSAGES.starsInvalid(starsTyped));
    else if (individual) autonomy = AUTONOMY_BY_STARS.get(Number(m[1])) ?? '';
    else workshopLevel = LEVEL_BY_STARS.get(Number(m[1])) ?? '';
  }
  const yesNoTyped = labelKey(oneLine(c.oriented));
  let oriented = '';
  if (yesNoTyped === 'oui' || yesNoTyped === 'non') oriented = yesNoTyped;
  else if (yesNoTyped !== '')
    failHere(first.row, 'oriented', SHEET_MESSAGES.yesNoInvalid(oneLine(c.oriented)));
  const redirectionTyped = oneLine(c.redirection);

  // The participants: one anonymous person (individual), or counts (workshop).
  const values: Partial<ActivityValues> = {
    kind,
    date,
    duration,
    placeKind,
    placeId,
    communeCode: codeText(c.communeCode),
    postalCode: codeText(c.postalCode),
    themes: listOf(c.themes).map((t) => coopValue(THEME_INDEX, t)),
    equipment: listOf(c.equipment).map((t) => coopValue(EQUIPMENT_INDEX, t)),
    procedureDetails: oneLine(c.procedure),
    workshopTitle: oneLine(c.workshopTitle),
    workshopLevel,
    autonomy,
    oriented,
    redirection: redirectionTyped === '' ? '' : coopValue(REDIRECTION_INDEX, redirectionTyped),
  };
  const unknown = (column: CoopColumn, index: Map<string, string>, line: CoopLine) => {
    const typed = oneLine(line.cells[column]);
    if (typed === '') return 'non_communique';
    const v = index.get(labelKey(typed));
    if (v === undefined) failHere(line.row, column, SHEET_MESSAGES.valueUnknown(typed));
    return v ?? 'non_communique';
  };
  if (individual) {
    values.gender = unknown('gender', GENDER_INDEX, first);
    values.ageBand = unknown('ageBand', AGE_INDEX, first);
    values.socialStatus = unknown('socialStatus', STATUS_INDEX, first);
    values.beneficiaryCommuneCode = codeText(c.beneficiaryCommuneCode);
  } else {
    const tally = (column: CoopColumn, index: Map<string, string>) => {
      const counts: Record<string, string> = {};
      for (const line of group) {
        const v = unknown(column, index, line);
        counts[v] = String(Number(counts[v] ?? 0) + 1);
      }
      return counts;
    };
    values.participantsTotal = String(group.length);
    values.participantsGender = tally('gender', GENDER_INDEX);
    values.participantsAgeBand = tally('ageBand', AGE_INDEX);
    values.participantsSocialStatus = tally('socialStatus', STATUS_INDEX);
  }
  if (before.failed) return null;
  const checked = checkActivity(values, today);
  if (!checked.ok) {
    for (const [field, message] of Object.entries(checked.errors))
      fail(first.row, FIELD_COLUMNS[field] ?? null, message);
    return null;
  }
  const fields = checked.fields;
  if (!placeMatched) fields.placeId = null;
  return {
    externalId: id,
    rows: group.map((l) => l.row),
    fields,
    placeName: placeName === '' ? null : placeName,
    placeMatched,
  };
}

/** A code cell (INSEE or postal) as text: a number loses its leading zero in spreadsheets. */
function codeText(cell: Cell | undefined): string {
  if (typeof cell === 'number' && Number.isInteger(cell)) return String(cell).padStart(5, '0');
  return oneLine(cell);
}

/** Reads a whole file: its lines, then its activities, or the file's error. */
export function readCoopExport(
  bytes: Uint8Array,
  opts: { today: string; places: readonly OwnPlace[] },
):
  | { ok: true; format: 'xlsx' | 'csv'; lines: number; activities: ParsedActivity[]; errors: SheetError[] }
  | { ok: false; error: string } {
  const read = readSheetRows(bytes);
  if (!read.ok) return read;
  const table = sheetLines(read.sheet);
  if (!table.ok) return table;
  const { activities, errors } = linesToActivities(table.lines, opts);
  errors.sort((a, b) => (a.row ?? 0) - (b.row ?? 0));
  return { ok: true, format: read.sheet.format, lines: table.lines.length, activities, errors };
}
