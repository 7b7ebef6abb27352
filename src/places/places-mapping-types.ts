import type { SchemaField } from './schema-fields.ts';

/**
 * The shapes of a column mapping, apart from the engine (places-mapping.ts) and its JSON reading
 * (places-mapping-json.ts), which both use them without importing each other.
 */

export type ColumnRule =
  | { kind: 'column'; column: string }
  /** Several columns joined (empty cells skipped). */
  | { kind: 'join'; columns: string[]; separator: string }
  /** The 1-based part of a split column; part -1 = the last one. */
  | { kind: 'split'; column: string; separator: string; part: number }
  /** A JavaScript regular expression: its first capture group, or the whole match. */
  | { kind: 'pattern'; column: string; pattern: string }
  | { kind: 'fixed'; value: string }
  | { kind: 'none' };

/**
 * The transformer's way of filling a list field: a row whose `columns` contain one of `terms` (folded
 * substring, none of `except`) gets `value`. No terms: any non-empty cell gives it; no columns: every row.
 */
export interface ContainsRule {
  columns: string[] | null;
  terms: string[] | null;
  except: string[];
  value: string;
  /** `services` only: the rule applies only to places offering this modalité d'accompagnement. */
  whenModalite?: string | undefined;
}

export const OSM_DAYS = ['Mo', 'Tu', 'We', 'Th', 'Fr', 'Sa', 'Su'] as const;
export type OsmDay = (typeof OSM_DAYS)[number];

/**
 * Hours, from the first of these that gives something: a column already in OpenStreetMap's form, one
 * column (or several) per weekday ("9h-12h et 14h-17h", "09:00-12:00"), a free-text column ("du lundi au
 * vendredi de 9h à 12h", rewritten by the import). `weekParity` names a column saying "Semaine paire" or
 * "Semaine impaire" (places open one week in two).
 */
export interface HoursMapping {
  osm?: string | undefined;
  days?: Partial<Record<OsmDay, string[]>> | undefined;
  text?: string | undefined;
  weekParity?: string | undefined;
}

export interface PlacesMapping {
  version: 1;
  /** The import source it belongs to. */
  source?: string | undefined;
  fields: Partial<Record<SchemaField, ColumnRule>>;
  /**
   * For list fields (services, publics_specifiquement_adresses, typologie…): the file's words → schema
   * values (one word may give several values; [] = ignore).
   */
  values: Partial<Record<SchemaField, Record<string, string[]>>>;
  /** Hours given per weekday column, in OSM form or in free text (see HoursMapping). */
  hours?: HoursMapping | undefined;
  /** The transformer's "contains" rules of list fields, added to what `fields` and `values` give. */
  contains?: Partial<Record<SchemaField, ContainsRule[]>> | undefined;
}

export interface MappingProblem {
  /** The schema field (or mapping key) the problem is about; null for the mapping as a whole. */
  field: string | null;
  message: string;
}
