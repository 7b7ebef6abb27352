import type { PlaceData } from './places.ts';

/**
 * Editing a place by its structure's members, pure: the values a proposal carries (the national schema's
 * fields by their schema names, plus temporary closures), read from a place, written back as a patch, and
 * merged on approval. The form is in place-edit-form.ts, the grid of hours in hours-grid.ts, the
 * comparison for the coordinator in place-edit-diff.ts, dates in place-dates.ts. No database, no HTTP.
 */

/** A temporary closure, both days included, in the place's local dates ('YYYY-MM-DD'). */
export interface ClosureValue {
  starts_on: string;
  ends_on: string;
  reason: string | null;
}

/** A place's public values as a proposal stores them: schema names, plus our position flag and closures. */
export interface PlaceValues {
  nom: string;
  pivot: string;
  commune: string;
  code_postal: string;
  code_insee: string | null;
  adresse: string;
  complement_adresse: string | null;
  latitude: number | null;
  longitude: number | null;
  /** Not a schema field: the position is the commune's reference point, not the place's own. */
  position_approximate: boolean;
  typologie: string[];
  telephone: string | null;
  courriels: string[];
  site_web: string[];
  horaires: string | null;
  presentation_resume: string | null;
  presentation_detail: string | null;
  itinerance: string[];
  structure_parente: string | null;
  services: string[];
  publics_specifiquement_adresses: string[];
  prise_en_charge_specifique: string[];
  frais_a_charge: string[];
  dispositif_programmes_nationaux: string[];
  formations_labels: string[];
  autres_formations_labels: string[];
  modalites_acces: string[];
  modalites_accompagnement: string[];
  fiche_acces_libre: string | null;
  prise_rdv: string | null;
  closures: ClosureValue[];
}

export type ValueKey = keyof PlaceValues;

/** PlaceData key of each schema-named value (closures live in their own table). */
const DATA_KEYS = {
  nom: 'nom',
  pivot: 'pivot',
  commune: 'commune',
  code_postal: 'codePostal',
  code_insee: 'codeInsee',
  adresse: 'adresse',
  complement_adresse: 'complementAdresse',
  latitude: 'latitude',
  longitude: 'longitude',
  position_approximate: 'positionApproximate',
  typologie: 'typologie',
  telephone: 'telephone',
  courriels: 'courriels',
  site_web: 'siteWeb',
  horaires: 'horaires',
  presentation_resume: 'presentationResume',
  presentation_detail: 'presentationDetail',
  itinerance: 'itinerance',
  structure_parente: 'structureParente',
  services: 'services',
  publics_specifiquement_adresses: 'publicsSpecifiquementAdresses',
  prise_en_charge_specifique: 'priseEnChargeSpecifique',
  frais_a_charge: 'fraisACharge',
  dispositif_programmes_nationaux: 'dispositifProgrammesNationaux',
  formations_labels: 'formationsLabels',
  autres_formations_labels: 'autresFormationsLabels',
  modalites_acces: 'modalitesAcces',
  modalites_accompagnement: 'modalitesAccompagnement',
  fiche_acces_libre: 'ficheAccesLibre',
  prise_rdv: 'priseRdv',
} as const satisfies Record<Exclude<ValueKey, 'closures'>, keyof PlaceData>;

export const VALUE_KEYS = [
  ...(Object.keys(DATA_KEYS) as Exclude<ValueKey, 'closures'>[]),
  'closures',
] as const;

/** A place's current values (and its closures still running or to come) in the proposal's shape. */
export function valuesOfPlace(place: PlaceData, closures: readonly ClosureValue[]): PlaceValues {
  const values = Object.fromEntries(
    Object.entries(DATA_KEYS).map(([key, dataKey]) => {
      const value = place[dataKey];
      return [key, Array.isArray(value) ? [...value] : value];
    }),
  ) as unknown as Omit<PlaceValues, 'closures'>;
  return { ...values, closures: sortClosures(closures) };
}

/** The PlaceData fields to write for some values (closures excluded: they have their own table). */
export function placeDataPatch(values: Partial<PlaceValues>): Partial<PlaceData> {
  const patch: Record<string, unknown> = {};
  for (const [key, dataKey] of Object.entries(DATA_KEYS)) {
    if (key in values) patch[dataKey] = values[key as keyof typeof DATA_KEYS];
  }
  return patch as Partial<PlaceData>;
}

/**
 * Reads a stored proposal (JSON) back, tolerating keys added or removed since: a missing key takes the
 * fallback's value, so that an old proposal never breaks the moderation page.
 */
export function readStoredValues(stored: unknown, fallback: PlaceValues): PlaceValues {
  const source = (typeof stored === 'object' && stored !== null ? stored : {}) as Record<string, unknown>;
  const out = { ...fallback } as Record<string, unknown>;
  for (const key of VALUE_KEYS) if (key in source) out[key] = source[key];
  const closures = Array.isArray(out.closures) ? (out.closures as ClosureValue[]) : [];
  return { ...(out as unknown as PlaceValues), closures: sortClosures(closures) };
}

export function sortClosures(closures: readonly ClosureValue[]): ClosureValue[] {
  return [...closures]
    .map((c) => ({ starts_on: c.starts_on, ends_on: c.ends_on, reason: c.reason ?? null }))
    .sort((a, b) => a.starts_on.localeCompare(b.starts_on) || a.ends_on.localeCompare(b.ends_on));
}

function same(a: unknown, b: unknown): boolean {
  return JSON.stringify(a ?? null) === JSON.stringify(b ?? null);
}

/** The keys whose value differs between two versions. */
export function changedKeys(from: PlaceValues, to: PlaceValues): ValueKey[] {
  return VALUE_KEYS.filter((key) => !same(from[key], to[key]));
}

/**
 * What approving gives: the current public values with only the fields the proposer changed (compared
 * with the values they started from) replaced, so that a change made meanwhile to another field (an
 * import, another approved proposal) is not undone.
 */
export function mergeProposal(current: PlaceValues, base: PlaceValues, proposed: PlaceValues): PlaceValues {
  const merged = { ...current } as Record<string, unknown>;
  for (const key of changedKeys(base, proposed)) merged[key] = proposed[key];
  return merged as unknown as PlaceValues;
}

/** Closures that are not over on `today` (running or to come), soonest first. */
export function currentClosures(closures: readonly ClosureValue[], today: string): ClosureValue[] {
  return sortClosures(closures).filter((c) => c.ends_on >= today);
}

// Dates of closures, as the search pages name them (they read them through this module).
export { formatClosurePeriod, localToday } from './place-dates.ts';

/** Days since 1970-01-01 of a 'YYYY-MM-DD' date (closures are whole local days). */
const dayNumber = (iso: string) =>
  Math.round(Date.UTC(+iso.slice(0, 4), +iso.slice(5, 7) - 1, +iso.slice(8, 10)) / 86_400_000);

/**
 * Whether proposed closures only reduce the offer: they differ from the current ones, and every day
 * closed from `today` on stays closed (closures added or lengthened, a reason reworded). Such a change is
 * public at once, so that residents are not sent to a closed door; shortening or removing a closure opens
 * days again and waits for the coordinator like any other field.
 */
export function closuresOnlyReduceOffer(
  current: readonly ClosureValue[],
  proposed: readonly ClosureValue[],
  today: string,
): boolean {
  const before = currentClosures(current, today);
  const after = currentClosures(proposed, today);
  if (JSON.stringify(before) === JSON.stringify(after)) return false;
  // The proposed closed days as disjoint runs [from, to], adjacent closures joined.
  const runs: [number, number][] = [];
  for (const c of after) {
    const from = dayNumber(c.starts_on);
    const to = dayNumber(c.ends_on);
    const last = runs.at(-1);
    if (last && from <= last[1] + 1) last[1] = Math.max(last[1], to);
    else runs.push([from, to]);
  }
  const first = dayNumber(today);
  return before.every((c) => {
    const from = Math.max(dayNumber(c.starts_on), first);
    const to = dayNumber(c.ends_on);
    return runs.some(([a, b]) => a <= from && to <= b);
  });
}
