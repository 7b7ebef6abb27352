import { spreadsheetCsv } from '../shared/spreadsheet.ts';
import { needsCleaning } from '../shared/text.ts';
import { VALUE_KEYS } from './place-edit.ts';
import { SCHEMA_LABELS } from './place-edit-diff.ts';

/**
 * The directory's sources one by one (docs/decisions/0059), pure: which fields an accepted edit changed,
 * a conflict's fields, and the corrections' CSV for a source's maintainers. No database, no HTTP.
 */

/** A change of one field, as a source's maintainers read it: French name, value before and after. */
export interface FieldChange {
  field: string;
  label: string;
  before: string;
  after: string;
}

/** A stored value in words: lists joined by " ; ", yes/no for flags, nothing for none. */
export function valueText(value: unknown): string {
  if (value === null || value === undefined) return '';
  if (Array.isArray(value)) return value.map((v) => String(v)).join(' ; ');
  if (typeof value === 'boolean') return value ? 'oui' : 'non';
  return String(value);
}

const asRecord = (value: unknown): Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : {};

/**
 * The fields an accepted edit changed: those whose proposed value differs from the value the proposal
 * started from, in the schema's order. Closures are left out: they are the network's own news, not a
 * correction of the source's record. A confirmation without change gives none.
 */
export function editedFields(base: unknown, proposed: unknown): FieldChange[] {
  const from = asRecord(base);
  const to = asRecord(proposed);
  const changes: FieldChange[] = [];
  for (const key of VALUE_KEYS) {
    if (key === 'closures' || !(key in to)) continue;
    if (JSON.stringify(from[key] ?? null) === JSON.stringify(to[key] ?? null)) continue;
    changes.push({
      field: key,
      label: SCHEMA_LABELS[key],
      before: valueText(from[key]),
      after: valueText(to[key]),
    });
  }
  return changes;
}

const compact = (value: string) => value.replace(/\s+/g, '');

/** The fields on which two records of one place disagree, both giving a value: phone, hours. */
export function conflictingFields(
  a: { telephone: string | null; horaires: string | null },
  b: { telephone: string | null; horaires: string | null },
): ('telephone' | 'horaires')[] {
  const fields: ('telephone' | 'horaires')[] = [];
  for (const field of ['telephone', 'horaires'] as const) {
    const x = a[field];
    const y = b[field];
    if (x !== null && y !== null && compact(x) !== compact(y)) fields.push(field);
  }
  return fields;
}

/** One line of a source's corrections: an error report, or one field of an accepted edit. */
export interface CorrectionLine {
  kind: 'report' | 'edit';
  /** The error report's or the accepted edit's id (an edit gives one line per field). */
  recordId: string;
  date: Date;
  placeId: string;
  placeName: string;
  commune: string;
  source: string;
  sourceId: string;
  /** For an edit: the field changed, its value before and after. For a report: none. */
  change: FieldChange | null;
  /** For a report: what the person wrote about the place, and where the network stands with it. */
  message: string | null;
  status: string;
}

export const CORRECTION_KINDS: Readonly<Record<CorrectionLine['kind'], string>> = {
  report: "Signalement d'erreur",
  edit: 'Modification validée',
};

/** French column names of the corrections' CSV, in order. */
export const CORRECTION_COLUMNS = [
  'source',
  'identifiant_dans_la_source',
  'fiche_maillage',
  'lieu',
  'commune',
  'date',
  'nature',
  'champ',
  'ancienne_valeur',
  'nouvelle_valeur',
  'message_du_signalement',
  'etat',
] as const;

/**
 * A source's corrections as a spreadsheet CSV (semicolons, BOM, formulas made inert): one line per error
 * report and per field of an accepted edit, with the source's own id of the place so that its maintainers
 * find it. Nothing about who reported or edited.
 */
export function correctionsCsv(lines: readonly CorrectionLine[], placeUrl: (id: string) => string): string {
  return spreadsheetCsv([
    [...CORRECTION_COLUMNS],
    ...lines.map((line) => [
      line.source,
      line.sourceId,
      placeUrl(line.placeId),
      line.placeName,
      line.commune,
      line.date.toISOString().slice(0, 10),
      CORRECTION_KINDS[line.kind],
      line.change?.label ?? '',
      line.change?.before ?? '',
      line.change?.after ?? '',
      line.message ?? '',
      line.status,
    ]),
  ]);
}

/** A file name for a source's corrections: its name folded to letters, digits and dashes. */
export function correctionsFileName(source: string, day: string): string {
  const folded = source
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 60);
  return `corrections-${folded || 'source'}-${day}.csv`;
}

/**
 * Whether a source name typed in an address can be one of the directory's: 1 to 500 characters, no
 * control character, no broken Unicode (the request's cleaning left a replacement character).
 */
export function isPlausibleSource(value: string | undefined): value is string {
  if (value === undefined || value.length === 0 || value.length > 500) return false;
  return !needsCleaning(value) && !value.includes('\uFFFD');
}
