import { foldForSearch } from '../shared/text.ts';

/**
 * Where a place's record of truth is (docs/decisions/0054). Sources read from a national file are marked
 * when imported (table national_place_source, decision 0055); this name list still covers the places
 * imported before that marker, or through a plain national-schema file. The national
 * systems' own producers are recognised by name, so that a place read back from the national map or
 * data·inclusion is never published again as if the network owned it (the national teams would count
 * it twice). Pure data and one rule, read by the export and the publication files.
 */

/**
 * Producers whose records come from a national system (the national map's and data·inclusion's own
 * sources, as they name themselves in their files), folded: lowercase, no accents, words joined by `-`.
 */
export const NATIONAL_SOURCES: readonly string[] = Object.freeze([
  'cartographie-nationale',
  'data-inclusion',
  'dora',
  'la-coop',
  'coop-mediation-numerique',
  'conseiller-numerique',
  'conseillers-numeriques',
  'france-services',
  'aidants-connect',
  'soliguide',
  'emplois-de-linclusion',
  'france-travail',
  'mes-aides',
  'action-logement',
]);

/** A source name folded as NATIONAL_SOURCES lists them. */
export function foldSourceName(source: string): string {
  // The middle dot of "data·inclusion" is a diacritic to Unicode: a separator here.
  return foldForSearch(source.replace(/[·.]/g, ' '))
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '');
}

const NATIONAL = new Set(NATIONAL_SOURCES);

/** Whether a place of this source was read back from a national system (so it is never republished). */
export function isNationalSource(source: string): boolean {
  return NATIONAL.has(foldSourceName(source));
}
