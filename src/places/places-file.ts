import { parse } from 'csv-parse/sync';
import { stringify } from 'csv-stringify/sync';
import { DomainError } from '../shared/domain-error.ts';
import { inertCell, spreadsheetCsv } from '../shared/spreadsheet.ts';
import { type ImportIssue, SCHEMA_FIELDS, type SchemaField, type SchemaRow } from './places.ts';
import { V0_ONLY_FIELDS } from './places-v0.ts';

/**
 * Reading and writing files of places (schema v1.0.2, CSV or JSON). Pure: bytes in, records out, and rows in,
 * text out. Row-level judgement is normalizePlaceRow's job; here only what concerns the file as a whole.
 */

export interface ParsedRecord {
  /** The row a spreadsheet user sees (CSV: the record's first line, header = 1), or the 1-based JSON index. */
  row: number;
  data: Record<string, unknown>;
}

export interface ParsedFile {
  format: 'csv' | 'json';
  records: ParsedRecord[];
  columns: string[];
  /** File-level warnings (row null), and records that could not be read at all (with their row). */
  fileIssues: ImportIssue[];
}

const MAX_FILE_BYTES = 200 * 1024 * 1024;
const MAX_FIELD_CHARACTERS = 1024 * 1024;
/** csv-parse's own guard (whole record): stops a runaway quoted field early, whatever the real cause. */
const MAX_RECORD_CHARACTERS = 4 * MAX_FIELD_CHARACTERS;
/** Columns read by the import: the schema's, and those of its old v0 form (mapped by normalizePlaceRow). */
const KNOWN_COLUMNS = new Set<string>([...SCHEMA_FIELDS, ...V0_ONLY_FIELDS]);
/** Columns whose presence shows the file is meant to follow the schema. */
const SCHEMA_COLUMNS = new Set<string>(SCHEMA_FIELDS);

/** The user-facing messages of file reading, in one place. */
const MESSAGES = {
  empty: (file: string) => `Le fichier « ${file} » est vide.`,
  tooBig: (file: string) =>
    `Le fichier « ${file} » dépasse 200 Mo : découpez-le en plusieurs fichiers (par département, par exemple).`,
  spreadsheet: (file: string) =>
    `Le fichier « ${file} » est un classeur (Excel ou LibreOffice), pas un fichier CSV : enregistrez-le au format « CSV UTF-8 » puis importez ce fichier.`,
  utf16: (file: string) =>
    `Le fichier « ${file} » est encodé en UTF-16 : enregistrez-le au format « CSV UTF-8 » puis importez-le de nouveau.`,
  binary: (file: string) =>
    `Le fichier « ${file} » n'est pas un fichier texte (CSV ou JSON) : il contient des caractères binaires.`,
  strayBytes: (count: number, lines: number[]) =>
    `Le fichier contient ${count === 1 ? 'un caractère illisible' : `${count} caractères illisibles`} (qui ne sont pas de l'UTF-8), remplacé${count === 1 ? '' : 's'} par « � » : vérifiez ${lines.length === 1 ? 'la ligne' : 'les lignes'} ${lines.join(', ')}${count > lines.length && lines.length === 10 ? '…' : ''}.`,
  windows1252: () =>
    "Le fichier n'est pas encodé en UTF-8 : il a été lu comme un fichier Windows (Windows-1252, l'encodage d'Excel). Vérifiez que les accents des lieux importés sont corrects.",
  jsonSyntax: (where: string | null, detail: string) =>
    `Le fichier JSON est mal formé${where === null ? '' : ` ${where}`} : ${detail}. Vérifiez les virgules, guillemets et crochets.`,
  jsonNotArray: (kind: string) =>
    `Le fichier JSON doit contenir une liste de lieux entre crochets ([ { … }, { … } ]), or il contient ${kind}.`,
  jsonElementNotObject: (index: number) =>
    `L'élément n° ${index} de la liste n'est pas un objet { … } décrivant un lieu : il est ignoré.`,
  csvSyntax: (line: number | null, detail: string) =>
    `Le fichier CSV est mal formé${line === null ? '' : ` à la ligne ${line}`} : ${detail}.`,
  fieldTooLong: (row: number, field: string) =>
    `La valeur de la colonne « ${field} » à la ligne ${row} dépasse 1 Mo : le fichier est probablement abîmé (un guillemet non fermé, par exemple).`,
  recordTooLong: (line: number | null) =>
    `Le fichier CSV contient une ligne de plus de 4 Mo${line === null ? '' : ` (vers la ligne ${line})`} : un guillemet n'est probablement pas fermé.`,
  notOnSchema: (
    file: string,
    missing: readonly string[],
    columns: readonly string[],
    delimiter: string | null,
  ) =>
    `Le fichier « ${file} » ne suit pas le schéma national des lieux : ${missing.length === 1 ? 'la colonne obligatoire' : 'les colonnes obligatoires'} ${missing.map((column) => `« ${column} »`).join(', ')} ${missing.length === 1 ? 'manque' : 'manquent'}${columns.length === 0 ? '' : ` (colonnes trouvées : ${columns.slice(0, 12).join(', ')}${columns.length > 12 ? '…' : ''})`}. Donnez la correspondance entre ses colonnes et celles du schéma : option --mapping de la commande « places import », ou page « Correspondance des colonnes » de l'import.${delimiter !== null && columns.length === 1 ? ` Si la première ligne contient bien les noms des colonnes, vérifiez qu'ils sont séparés par des ${delimiter === ';' ? 'points-virgules' : 'virgules'}.` : ''}`,
  headerOnly: () => "Le fichier ne contient que la ligne d'en-tête : aucun lieu à importer.",
  emptyList: () => 'Le fichier ne contient aucun lieu (la liste est vide).',
  unknownColumn: (column: string) => `Colonne inconnue « ${column} » : ignorée.`,
  unnamedColumn: (position: number) => `La colonne n° ${position} n'a pas de nom : elle est ignorée.`,
  duplicateColumn: (column: string) =>
    `La colonne « ${column} » apparaît plusieurs fois : seule la première est lue.`,
} as const;

function fileError(message: string, details: Record<string, unknown>): DomainError {
  return new DomainError('invalid_file', message, details);
}

function fileWarning(message: string, field: string | null = null): ImportIssue {
  return { row: null, id: null, field, value: field, message };
}

/** Refuses what is obviously not a text file, naming what it looks like when we can tell. */
function checkTextBytes(bytes: Uint8Array, fileName: string): void {
  const details = { fileName };
  // ZIP signature: .xlsx and .ods are zipped XML.
  if (bytes[0] === 0x50 && bytes[1] === 0x4b && bytes[2] === 0x03 && bytes[3] === 0x04) {
    throw fileError(MESSAGES.spreadsheet(fileName), details);
  }
  // OLE2 signature: the old .xls format.
  if (bytes[0] === 0xd0 && bytes[1] === 0xcf && bytes[2] === 0x11 && bytes[3] === 0xe0) {
    throw fileError(MESSAGES.spreadsheet(fileName), details);
  }
  if ((bytes[0] === 0xff && bytes[1] === 0xfe) || (bytes[0] === 0xfe && bytes[1] === 0xff)) {
    throw fileError(MESSAGES.utf16(fileName), details);
  }
  // Text files hold almost no control characters besides tab, line feed, form feed and carriage return.
  // A few (a stray NUL from a broken export) do not make a file binary: the cells are cleaned of them.
  const sample = bytes.subarray(0, 64 * 1024);
  let controls = 0;
  for (const byte of sample) {
    if (byte < 0x20 && byte !== 0x09 && byte !== 0x0a && byte !== 0x0c && byte !== 0x0d) controls++;
  }
  if (controls >= 3 && controls / sample.length > 0.02) throw fileError(MESSAGES.binary(fileName), details);
}

/**
 * Counts well-formed UTF-8 multi-byte sequences and malformed bytes, and the lines of the malformed ones.
 * A heuristic to choose an encoding, not a validator (overlong forms are not looked for).
 */
function scanUtf8(bytes: Uint8Array): { valid: number; invalid: number; invalidLines: number[] } {
  let valid = 0;
  let invalid = 0;
  let line = 1;
  const invalidLines: number[] = [];
  let index = 0;
  while (index < bytes.length) {
    const byte = bytes[index] ?? 0;
    if (byte < 0x80) {
      if (byte === 0x0a) line++;
      index++;
      continue;
    }
    const length =
      byte >= 0xc2 && byte <= 0xdf
        ? 2
        : byte >= 0xe0 && byte <= 0xef
          ? 3
          : byte >= 0xf0 && byte <= 0xf4
            ? 4
            : 0;
    let wellFormed = length > 0 && index + length <= bytes.length;
    for (let offset = 1; wellFormed && offset < length; offset++) {
      wellFormed = ((bytes[index + offset] ?? 0) & 0xc0) === 0x80;
    }
    if (wellFormed) {
      valid++;
      index += length;
    } else {
      invalid++;
      if (invalidLines.at(-1) !== line) invalidLines.push(line);
      index++;
    }
  }
  return { valid, invalid, invalidLines };
}

/**
 * UTF-8 when the bytes are valid UTF-8 (BOM or not); Windows-1252 (the encoding of Excel in France) when they
 * are not, with a warning. A file that is mostly UTF-8 with a few stray bytes (files pasted together) stays
 * UTF-8, the stray bytes shown as "�" and their lines named: reading it all as Windows-1252 would garble
 * every accent of the file.
 */
function decodeText(bytes: Uint8Array): { text: string; warning: string | null } {
  try {
    return { text: new TextDecoder('utf-8', { fatal: true }).decode(bytes), warning: null };
  } catch {
    const scan = scanUtf8(bytes);
    if (scan.valid > scan.invalid) {
      return {
        text: new TextDecoder('utf-8').decode(bytes),
        warning: MESSAGES.strayBytes(scan.invalid, scan.invalidLines.slice(0, 10)),
      };
    }
    // Windows-1252 maps every byte, so this cannot fail; a UTF-8 BOM read this way would show as "ï»¿".
    const text = new TextDecoder('windows-1252').decode(bytes).replace(/^ï»¿/, '');
    return { text, warning: MESSAGES.windows1252() };
  }
}

/** How column names are read: the schema's way (normalised, unknown ones reported) or as written (trimmed). */
interface ReadMode {
  raw: boolean;
}

/** The checks and parsing shared by the schema reading and the raw reading of a file. */
function readPlacesTable(
  bytes: Uint8Array,
  fileName: string,
  mode: ReadMode,
): ParsedFile & { delimiter: string | null } {
  if (bytes.length === 0) throw fileError(MESSAGES.empty(fileName), { fileName });
  if (bytes.length > MAX_FILE_BYTES)
    throw fileError(MESSAGES.tooBig(fileName), { fileName, bytes: bytes.length });
  checkTextBytes(bytes, fileName);
  const { text, warning } = decodeText(bytes);
  const content = text.replace(/^\uFEFF/, '');
  const firstCharacter = /\S/.exec(content)?.[0];
  if (firstCharacter === undefined) throw fileError(MESSAGES.empty(fileName), { fileName });
  const encodingIssues = warning === null ? [] : [fileWarning(warning)];
  const isJson = firstCharacter === '[' || firstCharacter === '{' || /\.json$/i.test(fileName);
  const parsed = isJson
    ? { ...parseJson(content, fileName, mode), delimiter: null }
    : parseCsv(content, fileName, mode);
  return { ...parsed, fileIssues: [...encodingIssues, ...parsed.fileIssues] };
}

/** The columns without which normalizePlaceRow refuses every row (the schema also requires pivot and date_maj, which the import fills or warns about). */
export const REQUIRED_COLUMNS = [
  'id',
  'nom',
  'adresse',
  'commune',
  'code_postal',
] as const satisfies readonly SchemaField[];

/**
 * Reads a file of places, CSV or JSON, into records keyed by column name, with their row number as the user
 * sees it. JSON when the text starts with `[` or `{` or the name ends in .json; CSV otherwise (comma or
 * semicolon, detected on the header line; UTF-8, or Windows-1252 with a warning). Throws `invalid_file` for
 * what makes the whole file unreadable: empty, over 200 MB, binary, broken JSON, a JSON object instead of a
 * list, a field over 1 MB, no schema column at all (one message naming the required columns and pointing to
 * a column mapping, rather than one refusal per row). A header-only file,
 * unknown columns or a JSON element that is not an object are reported in `fileIssues`, and reading goes on.
 */
export function parsePlacesFile(bytes: Uint8Array, fileName: string): ParsedFile {
  const { delimiter, ...parsed } = readPlacesTable(bytes, fileName, { raw: false });
  if (parsed.records.length > 0 && !parsed.columns.some((column) => SCHEMA_COLUMNS.has(column))) {
    throw notOnSchemaError(fileName, parsed.columns, delimiter);
  }
  return parsed;
}

/** The required columns a file lacks (its columns read the schema's way). */
export function missingRequiredColumns(columns: readonly string[]): SchemaField[] {
  const present = new Set(columns);
  return REQUIRED_COLUMNS.filter((column) => !present.has(column));
}

/**
 * The whole-file refusal of a layout that is not the schema's: the required columns it lacks, and how to
 * give a column mapping instead (one message, rather than one refusal per row).
 */
export function notOnSchemaError(
  fileName: string,
  columns: readonly string[],
  delimiter: string | null = null,
): DomainError {
  const missing = missingRequiredColumns(columns);
  return fileError(MESSAGES.notOnSchema(fileName, missing, columns, delimiter), {
    fileName,
    columns,
    missing,
    delimiter,
  });
}

/**
 * Reads a file of places in any layout (for a column mapping): the same file-level checks and messages as
 * parsePlacesFile (empty, binary, size, encoding, JSON or CSV syntax), but the columns are kept as written
 * (trimmed) and none is required.
 */
export function readRawPlacesTable(bytes: Uint8Array, fileName: string): ParsedFile {
  const { delimiter: _delimiter, ...parsed } = readPlacesTable(bytes, fileName, { raw: true });
  return parsed;
}

/** A column name read the schema's way (see normalizeColumnName): "Code postal " is code_postal. */
export function schemaColumnName(name: string): string {
  return normalizeColumnName(name);
}

/** Column and key names are compared trimmed and lowercased ("Code_Postal " is code_postal). */
function normalizeColumnName(name: string, mode: ReadMode = { raw: false }): string {
  if (mode.raw) return name.replace(/^\uFEFF/, '').trim();
  const trimmed = name
    .replace(/^\uFEFF/, '')
    .trim()
    .toLowerCase();
  if (KNOWN_COLUMNS.has(trimmed)) return trimmed;
  // Headers retyped by hand: "Code postal", "complément adresse".
  const relaxed = trimmed
    .normalize('NFD')
    .replace(/\p{M}/gu, '')
    .replace(/[\s-]+/g, '_');
  return KNOWN_COLUMNS.has(relaxed) ? relaxed : trimmed;
}

function unknownColumnIssues(columns: readonly string[]): ImportIssue[] {
  return columns
    .filter((column) => !KNOWN_COLUMNS.has(column))
    .map((column) => fileWarning(MESSAGES.unknownColumn(column), column));
}

/** Line and column (1-based) of a character offset. */
function lineAndColumn(text: string, offset: number): { line: number; column: number } {
  let line = 1;
  let lineStart = 0;
  for (
    let index = text.indexOf('\n');
    index !== -1 && index < offset;
    index = text.indexOf('\n', index + 1)
  ) {
    line++;
    lineStart = index + 1;
  }
  return { line, column: offset - lineStart + 1 };
}

/** Where and what, in French, from V8's JSON.parse message (Node 20 gives a position for most errors). */
function describeJsonSyntaxError(
  error: SyntaxError,
  text: string,
): { where: string | null; detail: string; line: number | null } {
  const message = error.message;
  let detail = 'caractère inattendu';
  const token = /Unexpected token '(.+?)'/.exec(message)?.[1];
  if (token !== undefined) detail = `caractère inattendu « ${token} »`;
  else if (/end of (JSON )?input/i.test(message))
    detail = 'le texte s’arrête avant la fin (crochet ou accolade non fermé)';
  else if (/property name/i.test(message) && /Expected double-quoted/i.test(message))
    detail = 'un nom de champ entre guillemets est attendu (virgule en trop ?)';
  else if (/Expected ':'/.test(message)) detail = 'le caractère « : » est attendu après un nom de champ';
  else if (/Expected ',' or ']'/.test(message))
    detail = 'une virgule ou un crochet fermant « ] » est attendu';
  else if (/Expected ',' or '}'/.test(message))
    detail = 'une virgule ou une accolade fermante « } » est attendue';
  else if (/Unterminated string/i.test(message)) detail = 'un texte entre guillemets n’est pas fermé';
  else if (/control character/i.test(message))
    detail = 'un texte contient un retour à la ligne ou une tabulation non échappés';
  const position = /position (\d+)/.exec(message)?.[1];
  if (position !== undefined) {
    const { line, column } = lineAndColumn(text, Number(position));
    return { where: `à la ligne ${line}, colonne ${column}`, detail, line };
  }
  if (/end of (JSON )?input/i.test(message)) return { where: 'à la fin du fichier', detail, line: null };
  return { where: null, detail, line: null };
}

function jsonKind(value: unknown): string {
  if (value === null) return 'la valeur null';
  if (typeof value === 'object') return 'un objet { … }';
  if (typeof value === 'string') return 'un texte';
  if (typeof value === 'number') return 'un nombre';
  return 'une valeur simple';
}

/** The longest string of a JSON value, for the 1 MB field limit. */
function exceedsFieldLimit(value: unknown): boolean {
  if (typeof value === 'string') return value.length > MAX_FIELD_CHARACTERS;
  if (Array.isArray(value)) return value.some(exceedsFieldLimit);
  if (value !== null && typeof value === 'object') return Object.values(value).some(exceedsFieldLimit);
  return false;
}

function parseJson(text: string, fileName: string, mode: ReadMode): ParsedFile {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    if (!(error instanceof SyntaxError)) throw error;
    const { where, detail, line } = describeJsonSyntaxError(error, text);
    throw fileError(MESSAGES.jsonSyntax(where, detail), { fileName, line, parserMessage: error.message });
  }
  if (!Array.isArray(value)) throw fileError(MESSAGES.jsonNotArray(jsonKind(value)), { fileName });

  const records: ParsedRecord[] = [];
  const fileIssues: ImportIssue[] = [];
  const columns: string[] = [];
  const seenColumns = new Set<string>();
  value.forEach((element: unknown, index) => {
    const row = index + 1;
    if (element === null || typeof element !== 'object' || Array.isArray(element)) {
      fileIssues.push({
        row,
        id: null,
        field: null,
        value: JSON.stringify(element)?.slice(0, 200) ?? null,
        message: MESSAGES.jsonElementNotObject(row),
      });
      return;
    }
    const data: Record<string, unknown> = {};
    for (const [key, fieldValue] of Object.entries(element)) {
      const column = normalizeColumnName(key, mode);
      if (exceedsFieldLimit(fieldValue)) {
        throw fileError(MESSAGES.fieldTooLong(row, column), { fileName, row, field: column });
      }
      if (column in data) continue;
      data[column] = fieldValue;
      if (!seenColumns.has(column)) {
        seenColumns.add(column);
        columns.push(column);
      }
    }
    records.push({ row, data });
  });
  if (value.length === 0) fileIssues.push(fileWarning(MESSAGES.emptyList()));
  const columnIssues = mode.raw ? [] : unknownColumnIssues(columns);
  return { format: 'json', records, columns, fileIssues: [...columnIssues, ...fileIssues] };
}

/** The delimiter used most on the header line, outside quotes: `;` (French Excel) or `,` (the schema's). */
function detectDelimiter(text: string): ',' | ';' {
  let commas = 0;
  let semicolons = 0;
  let quoted = false;
  for (const character of text) {
    if (character === '"') quoted = !quoted;
    else if (!quoted && character === '\n') break;
    else if (!quoted && character === ',') commas++;
    else if (!quoted && character === ';') semicolons++;
  }
  return semicolons > commas ? ';' : ',';
}

interface CsvParseError extends Error {
  code?: string;
  lines?: number;
  /** Index, in the record, of the field being read when the error occurred. */
  column?: number;
}

/** The header's column names (normalised), read alone: used only to name a column in an error. */
function headerColumns(text: string, delimiter: ',' | ';', mode: ReadMode): string[] {
  try {
    const [header] = parse(text, { ...csvParseOptions(delimiter), info: false, to_line: 1 }) as string[][];
    return (header ?? []).map((name) => normalizeColumnName(name, mode));
  } catch {
    return [];
  }
}

const CSV_ERROR_DETAILS: Readonly<Record<string, string>> = {
  CSV_QUOTE_NOT_CLOSED: "un guillemet ouvert n'est jamais fermé",
  CSV_INVALID_CLOSING_QUOTE:
    'un guillemet est suivi d’autre chose qu’un séparateur (doublez les guillemets dans un texte : "")',
  CSV_NON_TRIMABLE_CHAR_AFTER_CLOSING_QUOTE: 'un guillemet fermant est suivi d’autres caractères',
  CSV_INVALID_OPENING_QUOTE: 'un guillemet apparaît au milieu d’une valeur non entourée de guillemets',
};

/** csv-parse's options for a file of places (exported so that bench:import measures the same parse). */
export function csvParseOptions(delimiter: ',' | ';') {
  return {
    bom: true,
    delimiter,
    info: true,
    relax_column_count: true,
    skip_empty_lines: true,
    // Rows of empty cells (",,,," left by spreadsheets) are not places.
    skip_records_with_empty_values: true,
    max_record_size: MAX_RECORD_CHARACTERS,
  } as const;
}

function parseCsv(text: string, fileName: string, mode: ReadMode): ParsedFile & { delimiter: string } {
  // One line-ending convention: files edited on several systems mix them, which csv-parse does not accept.
  let normalized = text.replace(/\r\n?/g, '\n');
  // Excel's "sep=;" first line names the delimiter; the lines after it keep their numbers.
  const separatorLine = /^sep=([,;])\n/i.exec(normalized);
  let lineOffset = 0;
  if (separatorLine) {
    normalized = normalized.slice(separatorLine[0].length);
    lineOffset = 1;
  }
  const delimiter = (separatorLine?.[1] as ',' | ';' | undefined) ?? detectDelimiter(normalized);
  // csv-parse types the result as string[][] whatever the options; with `info: true` it is { record, info }.
  let parsed: { record: string[]; info: { lines: number } }[];
  try {
    parsed = parse(normalized, csvParseOptions(delimiter)) as unknown as {
      record: string[];
      info: { lines: number };
    }[];
  } catch (error) {
    const csvError = error as CsvParseError;
    if (typeof csvError.code !== 'string' || !csvError.code.startsWith('CSV_')) throw error;
    const line = typeof csvError.lines === 'number' ? csvError.lines + lineOffset : null;
    if (csvError.code === 'CSV_MAX_RECORD_SIZE') {
      // Name the column when csv-parse says which one overflowed (its index in the record).
      const field =
        typeof csvError.column === 'number'
          ? headerColumns(normalized, delimiter, mode)[csvError.column]
          : undefined;
      if (line !== null && field !== undefined && field !== '') {
        throw fileError(MESSAGES.fieldTooLong(line, field), {
          fileName,
          row: line,
          field,
          code: csvError.code,
        });
      }
      throw fileError(MESSAGES.recordTooLong(line), { fileName, line, code: csvError.code });
    }
    const detail =
      CSV_ERROR_DETAILS[csvError.code] ?? 'la structure des lignes et des guillemets est incorrecte';
    throw fileError(MESSAGES.csvSyntax(line, detail), { fileName, line, code: csvError.code });
  }

  const header = parsed[0];
  const fileIssues: ImportIssue[] = [];
  // Index of each readable column in the records; unnamed and repeated columns are left out.
  const columns: string[] = [];
  const columnIndexes: number[] = [];
  header?.record.forEach((name, index) => {
    const column = normalizeColumnName(name, mode);
    if (column === '') {
      fileIssues.push(fileWarning(MESSAGES.unnamedColumn(index + 1)));
    } else if (columns.includes(column)) {
      fileIssues.push(fileWarning(MESSAGES.duplicateColumn(column), column));
    } else {
      columns.push(column);
      columnIndexes.push(index);
    }
  });

  // A record with every column is copied from this template: copying an object of the same keys costs
  // less than adding 30 properties one by one (which reallocates the object's storage several times).
  const template: Record<string, unknown> = {};
  for (const column of columns) template[column] = '';
  const lastIndex = Math.max(-1, ...columnIndexes);
  const records: ParsedRecord[] = [];
  for (let recordIndex = 1; recordIndex < parsed.length; recordIndex++) {
    const { record, info } = parsed[recordIndex] as (typeof parsed)[number];
    // info.lines is the record's last line; a quoted value spanning lines moves its first line up.
    let newlines = 0;
    for (const value of record) {
      for (let index = value.indexOf('\n'); index !== -1; index = value.indexOf('\n', index + 1)) newlines++;
    }
    const row = info.lines - newlines + lineOffset;
    // A short record (relax_column_count) has no key for its missing columns.
    const data: Record<string, unknown> = record.length > lastIndex ? { ...template } : {};
    for (let position = 0; position < columns.length; position++) {
      const column = columns[position] as string;
      const value = record[columnIndexes[position] ?? -1];
      if (value === undefined) continue;
      if (value.length > MAX_FIELD_CHARACTERS) {
        throw fileError(MESSAGES.fieldTooLong(row, column), { fileName, row, field: column });
      }
      data[column] = value;
    }
    records.push({ row, data });
  }
  if (records.length === 0) fileIssues.push(fileWarning(MESSAGES.headerOnly()));
  const columnIssues = mode.raw ? [] : unknownColumnIssues(columns);
  return { format: 'csv', records, columns, fileIssues: [...columnIssues, ...fileIssues], delimiter };
}

/**
 * Writes rows as CSV with the schema's columns in the schema's order. The standard flavour is exactly what
 * the schema asks: comma, UTF-8 without BOM, values quoted only when needed, `\n` line endings. The Excel
 * flavour (excel: true) is for people who open the file in Excel in France: semicolon, BOM, `\r\n`, and
 * formula-looking texts made inert.
 */
export function serializePlacesCsv(rows: SchemaRow[], options: { excel: boolean }): string {
  const records = options.excel
    ? rows.map((row) => SCHEMA_FIELDS.map((field) => inertCell(row[field])))
    : rows.map((row) => SCHEMA_FIELDS.map((field) => row[field]));
  const csv = stringify([[...SCHEMA_FIELDS], ...records], {
    delimiter: options.excel ? ';' : ',',
    record_delimiter: options.excel ? '\r\n' : '\n',
  });
  return options.excel ? `\uFEFF${csv}` : csv;
}

/** The schema types latitude and longitude as numbers; every other field is a string. */
const NUMBER_FIELDS = new Set<SchemaField>(['latitude', 'longitude']);

/**
 * Writes rows as a JSON array of objects, keys in the schema's order. Every field is present so that a
 * reuser sees the full shape of every record: latitude and longitude are numbers (the schema types them
 * `number`), or null when absent; every other field is a string, "" when absent (as in the CSV).
 */
export function serializePlacesJson(rows: SchemaRow[]): string {
  const objects = rows.map((row) => {
    const object: Record<string, string | number | null> = {};
    for (const field of SCHEMA_FIELDS) {
      const value = row[field];
      object[field] = NUMBER_FIELDS.has(field) ? (value === '' ? null : Number(value)) : value;
    }
    return object;
  });
  return `${JSON.stringify(objects, null, 2)}\n`;
}

/**
 * An import report as CSV for spreadsheets (semicolon, BOM, `\r\n`, formula-looking texts made inert):
 * one line per refusal or warning, naming row, id, field and value.
 */
export function serializeImportReportCsv(
  entries: { kind: 'refus' | 'avertissement'; issue: ImportIssue }[],
): string {
  const rows = entries.map(({ kind, issue }) => [
    kind,
    issue.row === null ? 'fichier' : String(issue.row),
    issue.id ?? '',
    issue.field ?? '',
    issue.value ?? '',
    issue.message,
  ]);
  return spreadsheetCsv([['type', 'ligne', 'id', 'champ', 'valeur', 'message'], ...rows]);
}
