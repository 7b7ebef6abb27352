import {
  type CommuneResolution,
  checkCommuneCode,
  postcodeDepartementMismatch,
  resolveCommune,
} from '../communes/commune-resolution.ts';

export { postcodeDepartementMismatch };

import { MESSAGES } from './places-row-messages.ts';

/**
 * Where an imported row is: its INSEE code checked or derived from postcode and commune, and whether a
 * position falls in France (to catch latitude and longitude written the other way round).
 */

/**
 * The INSEE code of the row: derived silently from postcode and commune when absent and certain; an
 * arrondissement code of Paris, Lyon or Marseille replaced by its commune's; a code that disagrees with
 * postcode and commune kept and warned about; an ambiguous or impossible derivation warned about.
 */
function checkOrDeriveCommuneCode(
  given: string | null,
  codePostal: string,
  commune: string,
  warn: (value: string | null, message: string) => void,
): string | null {
  const derive = (resolution: CommuneResolution): string | null => {
    switch (resolution.status) {
      case 'found':
        return resolution.code;
      case 'postcode-only':
        warn(commune, MESSAGES.communeNotOfPostcode(commune, codePostal, resolution.nom, resolution.code));
        return resolution.code;
      case 'name-only':
        warn(codePostal, MESSAGES.postcodeNotOfCommune(codePostal, resolution.nom, resolution.code));
        return resolution.code;
      case 'ambiguous':
        warn(commune, MESSAGES.communeAmbiguous(commune, codePostal, resolution.candidates));
        return null;
      case 'impossible':
        warn(commune, MESSAGES.communeNotFound(commune, codePostal));
        return null;
    }
  };
  if (given === null) return derive(resolveCommune(codePostal, commune));
  const check = checkCommuneCode(given, codePostal, commune);
  switch (check.status) {
    case 'consistent':
      return given;
    case 'arrondissement':
      warn(given, MESSAGES.inseeArrondissement(given, check.nom, check.code));
      return check.code;
    case 'unknown': {
      const derived = check.resolution.status === 'found' ? check.resolution.code : null;
      warn(given, MESSAGES.inseeUnknown(given, derived));
      return derived ?? given;
    }
    case 'mismatch':
      warn(given, MESSAGES.inseeMismatch(given, check.nom, codePostal, commune));
      return given;
  }
}

interface CommuneCodeOutcome {
  code: string | null;
  warnings: readonly { value: string | null; message: string }[];
}
const communeCodeOutcomes = new Map<string, CommuneCodeOutcome>();
const COMMUNE_CODE_MEMO_LIMIT = 50_000;

/**
 * checkOrDeriveCommuneCode, memoised: its answer depends only on the three values (the commune list is
 * static), and a file repeats the same communes on many rows.
 */
export function communeCodeOf(given: string | null, codePostal: string, commune: string): CommuneCodeOutcome {
  const key = `${given ?? ''}\u0000${codePostal}\u0000${commune}`;
  let outcome = communeCodeOutcomes.get(key);
  if (outcome === undefined) {
    const warnings: { value: string | null; message: string }[] = [];
    const code = checkOrDeriveCommuneCode(given, codePostal, commune, (value, message) =>
      warnings.push({ value, message }),
    );
    outcome = { code, warnings };
    // A bounded memo: an import of many distinct communes must not grow memory forever.
    if (communeCodeOutcomes.size >= COMMUNE_CODE_MEMO_LIMIT) communeCodeOutcomes.clear();
    communeCodeOutcomes.set(key, outcome);
  }
  return outcome;
}

/**
 * France's territories as [south, north, west, east] boxes (degrees, WGS 84), a little wider than the
 * land: metropolitan France with Corsica, then the overseas departments and collectivities.
 */
const FRANCE_BOXES: readonly (readonly [number, number, number, number])[] = [
  [41.2, 51.2, -5.3, 9.7],
  [15.8, 16.6, -61.9, -60.9], // Guadeloupe
  [14.3, 15.0, -61.3, -60.7], // Martinique
  [2.1, 5.9, -54.7, -51.5], // Guyane
  [-21.5, -20.8, 55.1, 55.9], // La Réunion
  [-13.1, -12.5, 44.9, 45.4], // Mayotte
  [46.7, 47.2, -56.5, -56.1], // Saint-Pierre-et-Miquelon
  [17.8, 18.2, -63.2, -62.7], // Saint-Martin, Saint-Barthélemy
  [-14.4, -13.1, -178.3, -176.1], // Wallis-et-Futuna
  [-28.0, -7.8, -154.8, -134.4], // Polynésie française
  [-22.9, -19.5, 163.5, 168.2], // Nouvelle-Calédonie
];

/** Whether a position falls in one of France's territories (roughly: boxes, not outlines). */
export function isInFrance(latitude: number, longitude: number): boolean {
  return FRANCE_BOXES.some(
    ([south, north, west, east]) =>
      latitude >= south && latitude <= north && longitude >= west && longitude <= east,
  );
}

/** The swapped position when the written one is outside France and the swapped one inside, else null. */
export function swapIfOnlyFranceWhenSwapped(
  latitude: number,
  longitude: number,
): { latitude: number; longitude: number } | null {
  if (isInFrance(latitude, longitude) || !isInFrance(longitude, latitude)) return null;
  return { latitude: longitude, longitude: latitude };
}
