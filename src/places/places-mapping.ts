import { foldForSearch } from '../shared/text.ts';
import { compileHours, rewriteFrenchHours } from './hours.ts';
import type { ImportIssue } from './places.ts';
import { canonicalEnumValue, isValidOpeningHours, toText } from './places-cells.ts';
import {
  missingRequiredColumns,
  type ParsedFile,
  type ParsedRecord,
  REQUIRED_COLUMNS,
  readRawPlacesTable,
  schemaColumnName,
} from './places-file.ts';
import { MAPPING_MESSAGES as MESSAGES } from './places-mapping-messages.ts';
import {
  type ColumnRule,
  type ContainsRule,
  type HoursMapping,
  type MappingProblem,
  OSM_DAYS,
  type OsmDay,
  type PlacesMapping,
} from './places-mapping-types.ts';
import { ENUM_FIELDS, type EnumField } from './places-row-lists.ts';
import { V0_FIELD_MAPPING } from './places-v0.ts';
import { SCHEMA_FIELDS, type SchemaField } from './schema-fields.ts';
import { MODALITES_ACCOMPAGNEMENT } from './schema-values.ts';

export { parseMappingJson } from './places-mapping-json.ts';
export type {
  ColumnRule,
  ContainsRule,
  HoursMapping,
  MappingProblem,
  OsmDay,
  PlacesMapping,
} from './places-mapping-types.ts';
export { OSM_DAYS } from './places-mapping-types.ts';

/**
 * Files in any layout, read through a column mapping: which column (or columns, or part of a column, or a
 * fixed value) gives each field of the national schema, and which of the file's words give which schema
 * values. Pure: the raw file in, records keyed by schema field out, ready for normalizePlaceRow. The JSON
 * forms of a mapping (ours and the national pipeline's transformer format) are read in
 * places-mapping-json.ts. See docs/decisions/0028.
 */

const FRENCH_DAY_NAMES: Readonly<Record<OsmDay, string>> = {
  Mo: 'lundi',
  Tu: 'mardi',
  We: 'mercredi',
  Th: 'jeudi',
  Fr: 'vendredi',
  Sa: 'samedi',
  Su: 'dimanche',
};

export type RawFile = ParsedFile;

/** The enumerated list fields, whose cells are split into words and mapped through `values`. */
export const LIST_FIELDS: readonly EnumField[] = Object.keys(ENUM_FIELDS) as EnumField[];
const LIST_FIELD_SET = new Set<string>(LIST_FIELDS);
/** Free lists: their cells go through as they are, but several fields may share a column. */
const FREE_LIST_FIELDS = new Set<string>(['autres_formations_labels', 'courriels', 'site_web']);
/** Words of a list cell: the schema's `|`, and what spreadsheets use. */
const WORD_SEPARATORS = /[|;,\r\n]/;

export function isListField(field: string): field is EnumField {
  return LIST_FIELD_SET.has(field);
}

/** A word or a column name folded for comparison: case, accents, apostrophes, hyphens and spaces. */
export function foldWord(word: string): string {
  return foldForSearch(word).replace(/[_\s]+/g, ' ');
}

/**
 * Reads a file in any layout: the same file-level checks and messages as the schema import (empty,
 * binary, size, encoding, JSON or CSV syntax), no column required, columns as written in the file.
 */
export function readRawPlacesFile(bytes: Uint8Array, fileName: string): RawFile {
  return readRawPlacesTable(bytes, fileName);
}

/**
 * Whether columns follow the schema (read the schema's way: case, accents and spaces do not matter, v0
 * names accepted), and which required columns are missing: those without which every row is refused.
 */
export function checkLayout(columns: string[]): { onSchema: boolean; missing: SchemaField[] } {
  const missing = missingRequiredColumns(columns.map((column) => schemaColumnName(column)));
  return { onSchema: missing.length === 0, missing };
}

/** Common column names of other layouts, folded, and the field they give. */
const SYNONYMS: Readonly<Record<string, SchemaField>> = {
  lat: 'latitude',
  lng: 'longitude',
  lon: 'longitude',
  long: 'longitude',
  cp: 'code_postal',
  'code postal': 'code_postal',
  ville: 'commune',
  tel: 'telephone',
  mail: 'courriels',
  email: 'courriels',
  'e mail': 'courriels',
  courriel: 'courriels',
  site: 'site_web',
  'site internet': 'site_web',
  horaire: 'horaires',
  siret: 'pivot',
  'nom du lieu': 'nom',
  'date de mise a jour': 'date_maj',
};

/**
 * A starting mapping for columns: each column whose name is a schema field's (case, accents, spaces and
 * hyphens aside; old v0 names and a few common names such as "CP", "Ville", "Lat") gives that field, the
 * first such column winning; list fields keep their words (no value mapping yet); the rest is left out.
 */
export function suggestMapping(columns: string[]): PlacesMapping {
  const byFolded = new Map<string, SchemaField>();
  for (const field of SCHEMA_FIELDS) byFolded.set(foldWord(field), field);
  for (const [v0, target] of Object.entries(V0_FIELD_MAPPING)) {
    if ('renamed' in target) byFolded.set(foldWord(v0), target.renamed);
  }
  for (const [synonym, field] of Object.entries(SYNONYMS)) {
    if (!byFolded.has(synonym)) byFolded.set(synonym, field);
  }
  const fields: Partial<Record<SchemaField, ColumnRule>> = {};
  for (const column of columns) {
    const field = byFolded.get(foldWord(column));
    if (field !== undefined && fields[field] === undefined) fields[field] = { kind: 'column', column };
  }
  return { version: 1, fields, values: {} };
}

/** The columns a rule reads. */
export function ruleColumns(rule: ColumnRule): string[] {
  switch (rule.kind) {
    case 'column':
    case 'split':
    case 'pattern':
      return [rule.column];
    case 'join':
      return rule.columns;
    default:
      return [];
  }
}

function hoursColumns(hours: HoursMapping): string[] {
  const columns: string[] = [];
  if (hours.osm !== undefined) columns.push(hours.osm);
  if (hours.text !== undefined) columns.push(hours.text);
  if (hours.weekParity !== undefined) columns.push(hours.weekParity);
  for (const dayColumns of Object.values(hours.days ?? {})) columns.push(...(dayColumns ?? []));
  return columns;
}

/** Patterns are applied to every row of a file: longer cells are cut before matching. */
const PATTERN_CELL_CHARACTERS = 1000;
const PATTERN_MAX_LENGTH = 200;
/**
 * What makes a regular expression slow on a bad cell (catastrophic backtracking): a quantified group that
 * holds a quantifier or an alternative, e.g. `(a+)+`, `(a|ab)*`; and back-references.
 */
const RISKY_PATTERN = /\((?:[^()\\]|\\.)*[+*}|](?:[^()\\]|\\.)*\)\s*[+*{]|\\[1-9]|\\k</;

/**
 * A compiled regular expression, or (in French) the reason it is refused: it does not compile, it is
 * too long, or it could take minutes on one cell and stop the server (nested quantifiers, alternatives
 * under a quantifier, back-references).
 */
function compilePattern(pattern: string): RegExp | string {
  if (pattern.length > PATTERN_MAX_LENGTH) return `le motif dépasse ${PATTERN_MAX_LENGTH} caractères`;
  if (RISKY_PATTERN.test(pattern))
    return 'un groupe répété contient lui-même une répétition ou un choix (par exemple « (a+)+ ») : ce motif peut bloquer le serveur, simplifiez-le';
  try {
    return new RegExp(pattern, 'u');
  } catch (error) {
    return error instanceof Error ? error.message : String(error);
  }
}

function allowedValues(field: SchemaField): readonly string[] | null {
  return isListField(field) ? ENUM_FIELDS[field] : null;
}

/**
 * What is wrong with a mapping for a file's columns, in French, each naming the field (and column or
 * value): a required field without rule, a column the file does not have, two fields reading the same
 * whole column (list fields aside), a word mapped to a value the schema does not have, an invalid regular
 * expression, a split part 0, a mapping made for another source. Empty when the mapping can be applied.
 */
export function checkMapping(
  mapping: PlacesMapping,
  columns: string[],
  opts: { source?: string | undefined } = {},
): MappingProblem[] {
  const problems: MappingProblem[] = [];
  const present = new Set(columns);
  const wantedSource = opts.source?.trim();
  const ownSource = mapping.source?.trim();
  if (wantedSource && ownSource && wantedSource !== ownSource) {
    problems.push({ field: null, message: MESSAGES.otherSource(ownSource, wantedSource) });
  }
  const hasRule = (field: SchemaField) => {
    const rule = mapping.fields[field];
    return (rule !== undefined && rule.kind !== 'none') || (mapping.contains?.[field]?.length ?? 0) > 0;
  };
  // The id may be left out: the row number stands in for it (as the national transformer does).
  for (const field of REQUIRED_COLUMNS) {
    if (field !== 'id' && !hasRule(field))
      problems.push({ field, message: MESSAGES.requiredUnmapped(field) });
  }
  const checkColumn = (field: string, column: string) => {
    if (!present.has(column))
      problems.push({ field, message: MESSAGES.columnMissing(field, column, columns) });
  };

  const wholeColumnUsers = new Map<string, SchemaField[]>();
  for (const field of SCHEMA_FIELDS) {
    const rule = mapping.fields[field];
    if (rule === undefined) continue;
    for (const column of ruleColumns(rule)) checkColumn(field, column);
    if (rule.kind === 'split') {
      if (!Number.isInteger(rule.part) || rule.part === 0 || rule.part < -1)
        problems.push({ field, message: MESSAGES.splitPart(field, rule.part) });
      if (rule.separator === '') problems.push({ field, message: MESSAGES.emptySeparator(field) });
    } else if (rule.kind === 'pattern') {
      const compiled = compilePattern(rule.pattern);
      if (typeof compiled === 'string')
        problems.push({ field, message: MESSAGES.badPattern(field, rule.pattern, compiled) });
    } else if (rule.kind === 'join' && rule.columns.length === 0) {
      problems.push({ field, message: MESSAGES.joinWithoutColumns(field) });
    } else if (rule.kind === 'column' && !isListField(field) && !FREE_LIST_FIELDS.has(field)) {
      const users = wholeColumnUsers.get(rule.column) ?? [];
      users.push(field);
      wholeColumnUsers.set(rule.column, users);
    } else if (rule.kind === 'fixed') {
      const allowed = allowedValues(field);
      for (const value of allowed === null ? [] : rule.value.split('|').map((part) => part.trim())) {
        if (value !== '' && canonicalEnumValue(allowed ?? [], value) === null)
          problems.push({ field, message: MESSAGES.fixedNotInSchema(field, value, allowed ?? []) });
      }
    }
  }
  for (const [column, users] of wholeColumnUsers) {
    if (users.length > 1)
      problems.push({ field: users[1] ?? null, message: MESSAGES.sharedColumn(column, users) });
  }

  for (const [key, words] of Object.entries(mapping.values)) {
    const field = key as SchemaField;
    const allowed = allowedValues(field);
    if (allowed === null) {
      problems.push({ field, message: MESSAGES.valuesOnFreeField(field) });
      continue;
    }
    for (const [word, targets] of Object.entries(words ?? {})) {
      for (const target of targets) {
        if (canonicalEnumValue(allowed, target) === null)
          problems.push({ field, message: MESSAGES.valueNotInSchema(field, word, target, allowed) });
      }
    }
  }

  for (const [key, rules] of Object.entries(mapping.contains ?? {})) {
    const field = key as SchemaField;
    const allowed = allowedValues(field);
    if (allowed === null && field !== 'autres_formations_labels') {
      problems.push({ field, message: MESSAGES.containsOnScalarField(field) });
      continue;
    }
    for (const rule of rules ?? []) {
      for (const column of rule.columns ?? []) checkColumn(field, column);
      if (allowed !== null && canonicalEnumValue(allowed, rule.value) === null)
        problems.push({ field, message: MESSAGES.targetNotInSchema(field, rule.terms, rule.value, allowed) });
      if (
        rule.whenModalite !== undefined &&
        canonicalEnumValue(MODALITES_ACCOMPAGNEMENT, rule.whenModalite) === null
      )
        problems.push({
          field,
          message: MESSAGES.targetNotInSchema(
            'modalites_accompagnement',
            null,
            rule.whenModalite,
            MODALITES_ACCOMPAGNEMENT,
          ),
        });
    }
  }
  if (mapping.hours !== undefined) {
    for (const column of hoursColumns(mapping.hours)) checkColumn('horaires', column);
  }
  return problems;
}

// ---------------------------------------------------------------------------------------------------------
// Applying a mapping.
// ---------------------------------------------------------------------------------------------------------

/** A cell as text (numbers and lists of a JSON file included), null when empty. */
function cellText(value: unknown): string | null {
  return toText(value).text;
}

/** Characters that cannot be part of a coordinate ("POINT(1.9 47.9)"): dropped before a split, as the transformer does. */
const NOT_COORDINATE = /[^\d.\s,;|/-]+/g;

function applyRule(
  rule: ColumnRule,
  data: Record<string, unknown>,
  field: SchemaField,
  patterns: Map<string, RegExp | string>,
): unknown {
  switch (rule.kind) {
    case 'column':
      return data[rule.column];
    case 'join': {
      const parts: string[] = [];
      for (const column of rule.columns) {
        const text = cellText(data[column]);
        if (text !== null) parts.push(text);
      }
      return parts.length === 0 ? null : parts.join(rule.separator);
    }
    case 'split': {
      let text = cellText(data[rule.column]);
      if (text === null || rule.separator === '') return null;
      if (field === 'latitude' || field === 'longitude') text = text.replace(NOT_COORDINATE, '');
      const parts = text
        .split(rule.separator)
        .map((part) => part.trim())
        .filter((part) => part !== '');
      return (rule.part === -1 ? parts.at(-1) : parts[rule.part - 1]) ?? null;
    }
    case 'pattern': {
      const text = cellText(data[rule.column]);
      let compiled = patterns.get(rule.pattern);
      if (compiled === undefined) {
        compiled = compilePattern(rule.pattern);
        patterns.set(rule.pattern, compiled);
      }
      if (text === null || typeof compiled === 'string') return null;
      const match = compiled.exec(text.slice(0, PATTERN_CELL_CHARACTERS));
      return match === null ? null : (match[1] ?? match[0]);
    }
    case 'fixed':
      return rule.value;
    case 'none':
      return undefined;
  }
}

/** The words of a list cell (several columns, arrays of a JSON file), trimmed and distinct. */
function cellWords(value: unknown): string[] {
  const text = cellText(value);
  if (text === null) return [];
  const words: string[] = [];
  for (const part of text.split(WORD_SEPARATORS)) {
    const word = part.trim();
    if (word !== '' && !words.includes(word)) words.push(word);
  }
  return words;
}

/** The cells a list field's rule reads, as words. */
function ruleWords(
  rule: ColumnRule,
  data: Record<string, unknown>,
  patterns: Map<string, RegExp | string> = new Map(),
): string[] {
  if (rule.kind === 'fixed') return cellWords(rule.value);
  if (rule.kind === 'none') return [];
  if (rule.kind === 'join') return rule.columns.flatMap((column) => cellWords(data[column]));
  const value = applyRule(rule, data, 'services', patterns);
  return cellWords(value);
}

/** Per list field: the folded word → schema values, from `values`. */
type ValueLookups = Map<SchemaField, Map<string, string[]>>;

function valueLookups(mapping: PlacesMapping): ValueLookups {
  const lookups: ValueLookups = new Map();
  for (const [key, words] of Object.entries(mapping.values)) {
    const field = key as SchemaField;
    const allowed = allowedValues(field);
    const lookup = new Map<string, string[]>();
    for (const [word, targets] of Object.entries(words ?? {})) {
      const canonical = targets
        .map((target) => (allowed === null ? target : canonicalEnumValue(allowed, target)))
        .filter((target): target is string => target !== null);
      lookup.set(foldWord(word), canonical);
    }
    lookups.set(field, lookup);
  }
  return lookups;
}

/** The schema values a word gives: its mapping, or itself when it already is one; null when neither. */
function mapWord(field: EnumField, word: string, lookups: ValueLookups): string[] | null {
  const mapped = lookups.get(field)?.get(foldWord(word));
  if (mapped !== undefined) return mapped;
  const canonical = canonicalEnumValue(ENUM_FIELDS[field], word);
  return canonical === null ? null : [canonical];
}

/** Whether a cell matches a contains rule: folded substring of one term, none of the exceptions. */
function containsMatch(rule: ContainsRule, cell: string): boolean {
  const folded = foldWord(cell);
  if (rule.except.some((forbidden) => folded.includes(foldWord(forbidden)))) return false;
  if (rule.terms === null) return folded !== '';
  return rule.terms.some((term) => folded.includes(foldWord(term)));
}

function containsValues(
  rules: readonly ContainsRule[],
  data: Record<string, unknown>,
  modalites: string[],
): string[] {
  const values: string[] = [];
  for (const rule of rules) {
    if (rule.whenModalite !== undefined && !modalites.includes(rule.whenModalite)) continue;
    const hit =
      rule.columns === null ||
      rule.columns.some((column) => containsMatch(rule, cellText(data[column]) ?? ''));
    if (hit && !values.includes(rule.value)) values.push(rule.value);
  }
  return values;
}

/** The hours of a row, as the mapping gives them (OSM when the day columns could be read). */
function rowHours(hours: HoursMapping, data: Record<string, unknown>): string | null {
  let osm: string | null = null;
  const given = hours.osm === undefined ? null : cellText(data[hours.osm]);
  if (given !== null && isValidOpeningHours(given)) osm = given;
  let text: string | null = null;
  if (osm === null && hours.days !== undefined) {
    const parts: string[] = [];
    for (const day of OSM_DAYS) {
      const cells = (hours.days[day] ?? [])
        .map((column) => cellText(data[column]))
        .filter((cell): cell is string => cell !== null && !/^ferm[ée]e?s?$/i.test(cell));
      if (cells.length > 0) parts.push(`${FRENCH_DAY_NAMES[day]} ${cells.join(' et ')}`);
    }
    if (parts.length > 0) {
      text = parts.join(' ');
      osm = rewriteFrenchHours(text);
    }
  }
  if (osm === null && text === null && hours.text !== undefined) text = cellText(data[hours.text]);
  if (osm === null && text === null && given !== null) text = given;
  const parity = hours.weekParity === undefined ? null : cellText(data[hours.weekParity]);
  if (parity !== null) {
    const base = osm ?? (text === null ? null : rewriteFrenchHours(text));
    const folded = foldWord(parity);
    const weeks = /\bimpaire/.test(folded) ? 'week 1-53/2 ' : /\bpaire/.test(folded) ? 'week 2-52/2 ' : null;
    if (base !== null && weeks !== null && compileHours(`${weeks}${base}`) !== null) return `${weeks}${base}`;
  }
  return osm ?? text;
}

/** The fields of a record in the order they are computed: services last (its rules may read the modalités). */
const APPLY_ORDER: readonly SchemaField[] = [
  ...SCHEMA_FIELDS.filter((field) => field !== 'services'),
  'services',
];

interface UnmappedCount {
  field: SchemaField;
  word: string;
  count: number;
  rows: number[];
}

/**
 * Applies a mapping to a raw file: records keyed by schema field, ready for normalizePlaceRow. Each field
 * comes from its rule; list cells are split into words (`,` `;` `|` line breaks), each word mapped through
 * the field's value mapping (case, accents and spaces aside) or kept when it already is a schema value, and
 * the transformer's contains rules add theirs. A word with no mapping is left out and counted: one summary
 * issue per field and word (with its count and first rows), not one per row. Without an id rule, the row
 * number stands in for the id (one file-level warning says so).
 */
export function applyMapping(
  raw: RawFile,
  mapping: PlacesMapping,
): {
  records: ParsedRecord[];
  issues: ImportIssue[];
  unmapped: { field: SchemaField; word: string; count: number }[];
} {
  const lookups = valueLookups(mapping);
  const patterns = new Map<string, RegExp | string>();
  const unmapped = new Map<string, UnmappedCount>();
  const idRule = mapping.fields.id;
  const noId = idRule === undefined || idRule.kind === 'none';
  const records: ParsedRecord[] = [];
  for (const { row, data } of raw.records) {
    const out: Record<string, unknown> = {};
    for (const field of APPLY_ORDER) {
      const rule = mapping.fields[field];
      const rules = mapping.contains?.[field];
      if (isListField(field)) {
        const values: string[] = [];
        const add = (value: string) => {
          if (!values.includes(value)) values.push(value);
        };
        for (const word of rule === undefined ? [] : ruleWords(rule, data, patterns)) {
          const mapped = mapWord(field, word, lookups);
          if (mapped !== null) {
            for (const value of mapped) add(value);
            continue;
          }
          const key = `${field}\u0000${word}`;
          const count = unmapped.get(key) ?? { field, word, count: 0, rows: [] };
          count.count++;
          if (count.rows.length < 5) count.rows.push(row);
          unmapped.set(key, count);
        }
        if (rules !== undefined) {
          const modalites = field === 'services' ? cellWords(out.modalites_accompagnement) : [];
          for (const value of containsValues(rules, data, modalites)) add(value);
        }
        if (values.length > 0) out[field] = values.join('|');
        continue;
      }
      let value = rule === undefined ? undefined : applyRule(rule, data, field, patterns);
      if (field === 'autres_formations_labels' && rules !== undefined) {
        const extra = containsValues(rules, data, []);
        const words = [...cellWords(value), ...extra.filter((label) => !cellWords(value).includes(label))];
        value = words.length === 0 ? value : words.join('|');
      }
      if (value !== undefined && value !== null) out[field] = value;
    }
    if (mapping.hours !== undefined) {
      const hours = rowHours(mapping.hours, data);
      if (hours !== null) out.horaires = hours;
    }
    if (noId) out.id = String(row);
    records.push({ row, data: out });
  }
  const issues: ImportIssue[] = [];
  if (noId && raw.records.length > 0)
    issues.push({ row: null, id: null, field: 'id', value: null, message: MESSAGES.idFromRow() });
  const counts = [...unmapped.values()];
  for (const { field, word, count, rows } of counts) {
    issues.push({
      row: null,
      id: null,
      field,
      value: word,
      message: MESSAGES.wordUnmapped(field, word, count, rows),
    });
  }
  return {
    records,
    issues,
    unmapped: counts.map(({ field, word, count }) => ({ field, word, count })),
  };
}

/**
 * For the mapping page: the distinct words of each list field's mapped columns (its rule's, and those its
 * contains rules read), with how many rows hold them and the schema values they give today (null: none,
 * the word would be left out).
 */
/** Words of a list field shown for mapping, the most frequent first. */
export const MAX_CANDIDATE_WORDS = 200;

export function valueCandidates(
  raw: RawFile,
  mapping: PlacesMapping,
): {
  field: SchemaField;
  words: { word: string; count: number; mappedTo: string[] | null }[];
  more: number;
}[] {
  const lookups = valueLookups(mapping);
  const result: {
    field: SchemaField;
    words: { word: string; count: number; mappedTo: string[] | null }[];
    more: number;
  }[] = [];
  for (const field of LIST_FIELDS) {
    const rule = mapping.fields[field];
    const rules = mapping.contains?.[field] ?? [];
    if ((rule === undefined || rule.kind === 'none') && rules.length === 0) continue;
    const counts = new Map<string, number>();
    const containsColumns = [...new Set(rules.flatMap((contains) => contains.columns ?? []))];
    for (const { data } of raw.records) {
      const words = new Set(rule === undefined ? [] : ruleWords(rule, data));
      for (const column of containsColumns) for (const word of cellWords(data[column])) words.add(word);
      for (const word of words) counts.set(word, (counts.get(word) ?? 0) + 1);
    }
    const words = [...counts]
      .map(([word, count]) => {
        let mappedTo = mapWord(field, word, lookups);
        const byContains = rules.filter(
          (contains) => contains.columns !== null && containsMatch(contains, word),
        );
        if (byContains.length > 0)
          mappedTo = [...new Set([...(mappedTo ?? []), ...byContains.map((contains) => contains.value)])];
        return { word, count, mappedTo };
      })
      .sort((a, b) => b.count - a.count || a.word.localeCompare(b.word, 'fr'));
    // The page offers the most frequent words; the others go through a JSON mapping file.
    result.push({
      field,
      words: words.slice(0, MAX_CANDIDATE_WORDS),
      more: Math.max(0, words.length - MAX_CANDIDATE_WORDS),
    });
  }
  return result;
}
