import { DomainError } from '../shared/domain-error.ts';

/**
 * What "within reach" means for the coverage: a great-circle distance, or a travel time estimated as
 * that distance × a detour factor ÷ the mode's speed (docs/decisions/0006-coverage.md), and the options
 * of an analysis as people type them. Pure.
 */

/** Roads are longer than straight lines: a usual rule of thumb for France is 1.2 to 1.4. */
export const DETOUR_FACTOR = 1.3;
export const SPEEDS_KMH = { walk: 4.5, car: 50 } as const;
export type Mode = keyof typeof SPEEDS_KMH;
export const MODES = Object.keys(SPEEDS_KMH) as Mode[];

/** Beyond these, a threshold is a typing mistake rather than a question. */
export const MAX_KM = 500;
export const MAX_MIN = 600;

export type Threshold = { kind: 'km'; maxKm: number } | { kind: 'min'; maxMin: number; mode: Mode };

export const DEFAULT_THRESHOLD: Threshold = { kind: 'km', maxKm: 10 };

/** Checks a threshold; a negative, zero or absurd value is a clear French error. */
export function checkThreshold(threshold: Threshold): Threshold {
  if (threshold.kind === 'km') {
    if (!Number.isFinite(threshold.maxKm) || threshold.maxKm <= 0 || threshold.maxKm > MAX_KM)
      throw new DomainError(
        'invalid_input',
        `La distance maximale doit être un nombre de kilomètres entre 0 et ${MAX_KM} (reçu : ${threshold.maxKm}).`,
        { field: 'max_km', value: threshold.maxKm },
      );
  } else {
    if (!Number.isFinite(threshold.maxMin) || threshold.maxMin <= 0 || threshold.maxMin > MAX_MIN)
      throw new DomainError(
        'invalid_input',
        `Le temps de trajet maximal doit être un nombre de minutes entre 0 et ${MAX_MIN} (reçu : ${threshold.maxMin}).`,
        { field: 'max_min', value: threshold.maxMin },
      );
    if (!MODES.includes(threshold.mode))
      throw new DomainError('invalid_input', 'Le mode de déplacement doit être « car » ou « walk ».', {
        field: 'mode',
        value: threshold.mode,
      });
  }
  return threshold;
}

export interface RawCoverageOptions {
  service?: string | undefined;
  maxKm?: string | undefined;
  maxMin?: string | undefined;
  mode?: string | undefined;
  suggest?: string | undefined;
  itinerant?: string | undefined;
}

function parseNumber(text: string, field: string, label: string): number {
  const value = Number(text.trim().replace(',', '.'));
  if (text.trim() === '' || !Number.isFinite(value))
    throw new DomainError('invalid_input', `${label} doit être un nombre (reçu : « ${text} »).`, {
      field,
      value: text,
    });
  return value;
}

/**
 * Reads the options of an analysis as typed (CLI, form): one threshold at most — a distance or a travel
 * time with its mode —, 10 km by default. Errors are French and name the option.
 */
export function parseCoverageOptions(raw: RawCoverageOptions): {
  service: string | null;
  threshold: Threshold;
  suggest: number;
  itinerant: number;
} {
  const blank = (v: string | undefined) => v === undefined || v.trim() === '';
  if (!blank(raw.maxKm) && !blank(raw.maxMin))
    throw new DomainError(
      'invalid_input',
      'Choisissez une distance maximale (--max-km) ou un temps de trajet maximal (--max-min), pas les deux.',
    );
  if (!blank(raw.mode) && blank(raw.maxMin))
    throw new DomainError(
      'invalid_input',
      'Le mode de déplacement (--mode) accompagne un temps (--max-min).',
    );
  let threshold: Threshold = DEFAULT_THRESHOLD;
  if (!blank(raw.maxKm))
    threshold = { kind: 'km', maxKm: parseNumber(raw.maxKm as string, 'max_km', 'La distance maximale') };
  else if (!blank(raw.maxMin)) {
    const mode = (raw.mode ?? 'car').trim();
    if (!(MODES as string[]).includes(mode))
      throw new DomainError(
        'invalid_input',
        `Le mode « ${mode} » n'existe pas : car (voiture) ou walk (à pied).`,
        {
          field: 'mode',
          value: mode,
        },
      );
    threshold = {
      kind: 'min',
      maxMin: parseNumber(raw.maxMin as string, 'max_min', 'Le temps de trajet maximal'),
      mode: mode as Mode,
    };
  }
  const count = (v: string | undefined, field: string, label: string) =>
    blank(v) ? 0 : parseNumber(v as string, field, label);
  return {
    service: blank(raw.service) ? null : (raw.service as string).trim(),
    threshold: checkThreshold(threshold),
    suggest: count(raw.suggest, 'suggest', 'Le nombre de lieux à proposer'),
    itinerant: count(raw.itinerant, 'itinerant', "Le nombre d'arrêts"),
  };
}

/** The road distance estimated from a great-circle one. */
export function roadKm(greatCircleKm: number): number {
  return greatCircleKm * DETOUR_FACTOR;
}

/** Minutes of travel for a great-circle distance, by road or on foot. */
export function travelMinutes(greatCircleKm: number, mode: Mode): number {
  return (roadKm(greatCircleKm) / SPEEDS_KMH[mode]) * 60;
}

/** The great-circle radius (km) equivalent to a threshold: a place is within reach when nearer. */
export function radiusKm(threshold: Threshold): number {
  if (threshold.kind === 'km') return threshold.maxKm;
  return ((threshold.maxMin / 60) * SPEEDS_KMH[threshold.mode]) / DETOUR_FACTOR;
}
