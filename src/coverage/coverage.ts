import { parse } from 'csv-parse/sync';
import { around, distance } from 'geokdbush';
import KDBush from 'kdbush';
import { DomainError } from '../shared/domain-error.ts';

/**
 * The coverage domain, pure: who lives too far from help, and where to open next. Distances are
 * great-circle kilometres between a commune's reference point and a place; a travel time is that
 * distance × a detour factor ÷ the mode's speed (docs/decisions/0006-coverage.md).
 * No database, no HTTP, no process.env here.
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

export function greatCircleKm(a: { lat: number; lon: number }, b: { lat: number; lon: number }): number {
  return distance(a.lon, a.lat, b.lon, b.lat);
}

export interface Point {
  lat: number;
  lon: number;
}

/** Told how far a long loop has gone (a progress bar on the command line). */
export type Progress = (done: number, total: number) => void;

export interface Nearest {
  /** Index in the places array, -1 when there is no place at all. */
  place: Int32Array;
  km: Float64Array;
}

function indexPoints(points: readonly Point[]): KDBush {
  const index = new KDBush(Math.max(points.length, 1));
  for (const p of points) index.add(p.lon, p.lat);
  if (points.length === 0) index.add(0, 0);
  index.finish();
  return index;
}

/** The nearest place of each point, on the sphere, through a k-d tree (geokdbush). */
export function nearestPlaces(
  points: readonly Point[],
  places: readonly Point[],
  onProgress?: Progress,
): Nearest {
  const place = new Int32Array(points.length).fill(-1);
  const km = new Float64Array(points.length).fill(Number.POSITIVE_INFINITY);
  if (places.length === 0) return { place, km };
  const index = indexPoints(places);
  for (let i = 0; i < points.length; i++) {
    if (onProgress && i % 1024 === 0) onProgress(i, points.length);
    const p = points[i] as Point;
    const found = around(index, p.lon, p.lat, 1)[0];
    if (found === undefined) continue;
    const q = places[found] as Point;
    place[i] = found;
    km[i] = distance(p.lon, p.lat, q.lon, q.lat);
  }
  onProgress?.(points.length, points.length);
  return { place, km };
}

/** The same answer by looking at every place: the baseline of the benchmark and of the tests. */
export function bruteForceNearest(points: readonly Point[], places: readonly Point[]): Nearest {
  const place = new Int32Array(points.length).fill(-1);
  const km = new Float64Array(points.length).fill(Number.POSITIVE_INFINITY);
  for (let i = 0; i < points.length; i++) {
    const p = points[i] as Point;
    for (let j = 0; j < places.length; j++) {
      const q = places[j] as Point;
      const d = distance(p.lon, p.lat, q.lon, q.lat);
      if (d < (km[i] as number)) {
        km[i] = d;
        place[i] = j;
      }
    }
  }
  return { place, km };
}

// ---------------------------------------------------------------------------------------------------
// Maximal covering: choose N sites among candidates covering the most (uncovered) population.

/** Demand points with weights, and for each candidate the demand indices it would cover. */
export interface CoveringProblem {
  weights: Float64Array;
  covers: Int32Array[];
}

/**
 * Builds the covering problem: candidate c covers demand d when their great-circle distance is at most
 * `radius`. Queried from the demand side (usually the smaller set: only uncovered communes).
 */
export function buildCoveringProblem(
  candidates: readonly Point[],
  demand: readonly (Point & { weight: number })[],
  radius: number,
): CoveringProblem {
  const lists: number[][] = candidates.map(() => []);
  if (candidates.length > 0) {
    const index = indexPoints(candidates);
    for (let d = 0; d < demand.length; d++) {
      const p = demand[d] as Point;
      for (const c of around(index, p.lon, p.lat, Number.POSITIVE_INFINITY, radius)) lists[c]?.push(d);
    }
  }
  return {
    weights: Float64Array.from(demand.map((d) => d.weight)),
    covers: lists.map((l) => Int32Array.from(l)),
  };
}

/** A max-heap of (bound, candidate) for the lazy greedy. */
class MaxHeap {
  private keys: number[] = [];
  private values: number[] = [];
  get size(): number {
    return this.keys.length;
  }
  peekKey(): number {
    return this.keys[0] ?? Number.NEGATIVE_INFINITY;
  }
  push(key: number, value: number): void {
    const k = this.keys;
    const v = this.values;
    let i = k.length;
    k.push(key);
    v.push(value);
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if ((k[parent] as number) >= key) break;
      k[i] = k[parent] as number;
      v[i] = v[parent] as number;
      i = parent;
    }
    k[i] = key;
    v[i] = value;
  }
  pop(): { key: number; value: number } | undefined {
    const k = this.keys;
    const v = this.values;
    if (k.length === 0) return undefined;
    const top = { key: k[0] as number, value: v[0] as number };
    const lastKey = k.pop() as number;
    const lastValue = v.pop() as number;
    if (k.length > 0) {
      let i = 0;
      const n = k.length;
      for (;;) {
        const l = 2 * i + 1;
        if (l >= n) break;
        const r = l + 1;
        const child = r < n && (k[r] as number) > (k[l] as number) ? r : l;
        if ((k[child] as number) <= lastKey) break;
        k[i] = k[child] as number;
        v[i] = v[child] as number;
        i = child;
      }
      k[i] = lastKey;
      v[i] = lastValue;
    }
    return top;
  }
}

function gainOf(problem: CoveringProblem, count: Int32Array, candidate: number): number {
  let gain = 0;
  for (const d of problem.covers[candidate] as Int32Array)
    if (count[d] === 0) gain += problem.weights[d] as number;
  return gain;
}

function coverageCount(problem: CoveringProblem, chosen: readonly number[]): Int32Array {
  const count = new Int32Array(problem.weights.length);
  for (const c of chosen)
    for (const d of problem.covers[c] as Int32Array) count[d] = (count[d] as number) + 1;
  return count;
}

/** Total weight covered by a set of candidates. */
export function coveredWeight(problem: CoveringProblem, chosen: readonly number[]): number {
  const count = coverageCount(problem, chosen);
  let total = 0;
  for (let d = 0; d < count.length; d++) if ((count[d] as number) > 0) total += problem.weights[d] as number;
  return total;
}

/**
 * Greedy maximal covering with lazy evaluation: gains only shrink as sites are chosen (submodularity),
 * so a stale gain is an upper bound; a candidate whose fresh gain still tops the queue is the best.
 * Stops early when no candidate adds anything.
 */
export function greedyCover(problem: CoveringProblem, n: number): number[] {
  if (n <= 0) return [];
  const count = new Int32Array(problem.weights.length);
  const heap = new MaxHeap();
  for (let c = 0; c < problem.covers.length; c++) {
    const g = gainOf(problem, count, c);
    if (g > 0) heap.push(g, c);
  }
  const chosen: number[] = [];
  while (chosen.length < n && heap.size > 0) {
    const top = heap.pop() as { key: number; value: number };
    const fresh = gainOf(problem, count, top.value);
    if (fresh <= 0) continue;
    if (fresh >= heap.peekKey()) {
      chosen.push(top.value);
      for (const d of problem.covers[top.value] as Int32Array) count[d] = (count[d] as number) + 1;
    } else heap.push(fresh, top.value);
  }
  return chosen;
}

export interface SwapLimits {
  /** Passes over the chosen sites; each pass that improves nothing ends the search earlier. */
  maxPasses: number;
}

/**
 * The search stops after this many passes at most, and no clock stops it: the same input gives the same
 * proposals on a loaded machine as on an idle one. On the whole country (100 proposals within 10 km) it
 * settles in 2 passes, about 15 ms.
 */
export const DEFAULT_SWAP_LIMITS: SwapLimits = { maxPasses: 50 };

/**
 * Local search: replace one chosen site by a candidate outside the solution whenever it covers more,
 * until a pass improves nothing or `maxPasses` passes are done. Never worse than its input, and
 * deterministic: candidates are tried in a fixed order (most demand within reach first, then index), and
 * none is timed.
 */
export function swapImprove(
  problem: CoveringProblem,
  initial: readonly number[],
  limits: SwapLimits = DEFAULT_SWAP_LIMITS,
): number[] {
  const chosen = [...initial];
  const inSolution = new Uint8Array(problem.covers.length);
  for (const c of chosen) inSolution[c] = 1;
  const count = coverageCount(problem, chosen);
  const removedMark = new Uint8Array(problem.weights.length);
  // A candidate never gains more than the whole demand within its reach: scanned from the largest such
  // bound down, the scan for a slot stops as soon as the bound cannot beat the best swap found.
  const bound = new Float64Array(problem.covers.length);
  const order: number[] = [];
  for (let c = 0; c < problem.covers.length; c++) {
    let total = 0;
    for (const d of problem.covers[c] as Int32Array) total += problem.weights[d] as number;
    bound[c] = total;
    if (total > 0) order.push(c);
  }
  order.sort((a, b) => (bound[b] as number) - (bound[a] as number) || a - b);
  for (let pass = 0; pass < limits.maxPasses; pass++) {
    let improved = false;
    for (let slot = 0; slot < chosen.length; slot++) {
      const out = chosen[slot] as number;
      const outCover = problem.covers[out] as Int32Array;
      // What removing `out` loses: demand covered by it alone.
      let loss = 0;
      for (const d of outCover) {
        if (count[d] === 1) {
          loss += problem.weights[d] as number;
          removedMark[d] = 1;
        }
      }
      let best = -1;
      let bestGain = loss;
      for (const c of order) {
        if ((bound[c] as number) <= bestGain + 1e-9) break;
        if (inSolution[c]) continue;
        let gain = 0;
        for (const d of problem.covers[c] as Int32Array) {
          if (count[d] === 0 || removedMark[d] === 1) gain += problem.weights[d] as number;
        }
        if (gain > bestGain + 1e-9) {
          bestGain = gain;
          best = c;
        }
      }
      for (const d of outCover) removedMark[d] = 0;
      if (best >= 0) {
        for (const d of outCover) count[d] = (count[d] as number) - 1;
        for (const d of problem.covers[best] as Int32Array) count[d] = (count[d] as number) + 1;
        inSolution[out] = 0;
        inSolution[best] = 1;
        chosen[slot] = best;
        improved = true;
      }
    }
    if (!improved) break;
  }
  return chosen;
}

/** Orders chosen sites by marginal gain (largest first) and states what each adds. */
export function marginalGains(
  problem: CoveringProblem,
  chosen: readonly number[],
): { candidate: number; gain: number }[] {
  const count = new Int32Array(problem.weights.length);
  const left = [...chosen];
  const result: { candidate: number; gain: number }[] = [];
  while (left.length > 0) {
    let bestAt = 0;
    let bestGain = -1;
    for (let i = 0; i < left.length; i++) {
      const g = gainOf(problem, count, left[i] as number);
      if (g > bestGain) {
        bestGain = g;
        bestAt = i;
      }
    }
    const c = left.splice(bestAt, 1)[0] as number;
    for (const d of problem.covers[c] as Int32Array) count[d] = (count[d] as number) + 1;
    result.push({ candidate: c, gain: bestGain });
  }
  return result;
}

// ---------------------------------------------------------------------------------------------------
// The analysis of a territory.

export interface CoverageCommuneInput {
  code: string;
  nom: string;
  population: number;
  lat: number;
  lon: number;
  /** Need weight (e.g. a digital-fragility index): the need is population × weight. Absent: 1. */
  weight?: number;
  epci?: string | null;
  departement?: string;
}

export interface CoveragePlaceInput {
  id: string;
  nom: string;
  lat: number;
  lon: number;
  services: readonly string[];
  /** Open hours in the reference week; null when the hours are unknown or unreadable. */
  weeklyHours?: number | null;
}

/** A candidate site: a commune (its reference point) or a point from a list (mairie, library…). */
export interface CandidateSite {
  code: string | null;
  nom: string;
  lat: number;
  lon: number;
}

export interface CoverageOptions {
  /** Only places offering this service count; null: any place. */
  service: string | null;
  threshold: Threshold;
  /** Number of new sites to propose. */
  suggest: number;
  /** Number of stops of one itinerant service (one per half-day). */
  itinerant: number;
  swap?: SwapLimits;
  /** Where new sites may go; the communes themselves by default. */
  candidates?: readonly CandidateSite[];
  onProgress?: Progress;
}

export interface CommuneCoverage {
  code: string;
  nom: string;
  population: number;
  /** Population × need weight (the population when no weight applies). */
  need: number;
  weight: number | null;
  epci: string | null;
  departement: string | null;
  lat: number;
  lon: number;
  /** Great-circle km to the nearest place; null when no place offers the service. */
  nearestKm: number | null;
  roadKm: number | null;
  /** Estimated minutes with the threshold's mode (null for a km threshold). */
  travelMin: number | null;
  nearestPlaceId: string | null;
  nearestPlaceNom: string | null;
  beyond: boolean;
  /** Places offering the service within the threshold, and their weekly open hours summed. */
  placesWithinReach: number;
  weeklyHoursWithinReach: number;
  /** Places within reach whose hours are unknown (not counted in the hours). */
  placesWithinReachWithoutHours: number;
}

export interface SitePick {
  /** null for a candidate given by its coordinates. */
  code: string | null;
  nom: string;
  lat: number;
  lon: number;
  addedPopulation: number;
  /** The weighted need it brings within reach (= addedPopulation when not weighted). */
  addedNeed: number;
}

export interface RollUp {
  code: string;
  communes: number;
  populationTotal: number;
  populationBeyond: number;
  needTotal: number;
  needBeyond: number;
}

export interface CoverageAnalysis {
  service: string | null;
  threshold: Threshold;
  radiusKm: number;
  placesCount: number;
  /** Whether need weights were applied (at least one commune has one). */
  weighted: boolean;
  populationTotal: number;
  populationBeyond: number;
  needTotal: number;
  needBeyond: number;
  communes: CommuneCoverage[];
  candidatesCount: number;
  suggestions: SitePick[];
  /** Need brought within reach by the proposals, after greedy and after the swap phase. */
  coveredBeforeSwaps: number;
  coveredAfterSwaps: number;
  itinerant: { stops: (SitePick & { halfDay: number })[]; coveredPopulation: number; coveredNeed: number };
  rollups: { epci: RollUp[]; departements: RollUp[] };
}

const round = (x: number, digits = 2) => Math.round(x * 10 ** digits) / 10 ** digits;

/** Gains of sites taken in this order, measured with these weights (population or need). */
function gainsInOrder(problem: CoveringProblem, order: readonly number[], weights: Float64Array): number[] {
  const seen = new Uint8Array(weights.length);
  return order.map((c) => {
    let gain = 0;
    for (const d of problem.covers[c] as Int32Array)
      if (!seen[d]) {
        seen[d] = 1;
        gain += weights[d] as number;
      }
    return gain;
  });
}

/** Totals per EPCI or département, in the order of their codes. */
export function rollUp(rows: readonly CommuneCoverage[], key: 'epci' | 'departement'): RollUp[] {
  const groups = new Map<string, RollUp>();
  for (const r of rows) {
    const code = r[key];
    if (code === null) continue;
    let g = groups.get(code);
    if (!g) {
      g = { code, communes: 0, populationTotal: 0, populationBeyond: 0, needTotal: 0, needBeyond: 0 };
      groups.set(code, g);
    }
    g.communes++;
    g.populationTotal += r.population;
    g.needTotal += r.need;
    if (r.beyond) {
      g.populationBeyond += r.population;
      g.needBeyond += r.need;
    }
  }
  return [...groups.values()]
    .map((g) => ({ ...g, needTotal: round(g.needTotal), needBeyond: round(g.needBeyond) }))
    .sort((a, b) => a.code.localeCompare(b.code));
}

/**
 * Measures the coverage of communes by places and proposes new sites and itinerant stops. Places
 * outside the territory count (people cross borders); candidate sites are the communes given, or the
 * list in `options.candidates`. With need weights, the proposals cover the most weighted need.
 */
export function analyseCoverage(
  communes: readonly CoverageCommuneInput[],
  allPlaces: readonly CoveragePlaceInput[],
  options: CoverageOptions,
): CoverageAnalysis {
  const threshold = checkThreshold(options.threshold);
  const radius = radiusKm(threshold);
  const places =
    options.service === null
      ? allPlaces
      : allPlaces.filter((p) => p.services.includes(options.service as string));
  const weighted = communes.some((c) => c.weight !== undefined);
  const nearest = nearestPlaces(communes, places, options.onProgress);
  const placeIndex = places.length > 0 ? indexPoints(places) : null;
  const rows: CommuneCoverage[] = communes.map((c, i) => {
    const found = nearest.place[i] as number;
    const place = found >= 0 ? places[found] : undefined;
    const km = nearest.km[i] as number;
    let within = 0;
    let hours = 0;
    let withoutHours = 0;
    if (placeIndex)
      for (const j of around(placeIndex, c.lon, c.lat, Number.POSITIVE_INFINITY, radius)) {
        within++;
        const h = (places[j] as CoveragePlaceInput).weeklyHours;
        if (h === undefined || h === null) withoutHours++;
        else hours += h;
      }
    return {
      code: c.code,
      nom: c.nom,
      population: c.population,
      need: round(c.population * (c.weight ?? 1)),
      weight: c.weight ?? null,
      epci: c.epci ?? null,
      departement: c.departement ?? null,
      lat: c.lat,
      lon: c.lon,
      nearestKm: place ? round(km, 3) : null,
      roadKm: place ? round(roadKm(km), 3) : null,
      travelMin: place && threshold.kind === 'min' ? round(travelMinutes(km, threshold.mode), 1) : null,
      nearestPlaceId: place?.id ?? null,
      nearestPlaceNom: place?.nom ?? null,
      beyond: !place || km > radius,
      placesWithinReach: within,
      weeklyHoursWithinReach: round(hours, 1),
      placesWithinReachWithoutHours: withoutHours,
    };
  });
  const sum = (list: readonly CommuneCoverage[], f: (r: CommuneCoverage) => number) =>
    list.reduce((s, r) => s + f(r), 0);
  const uncovered = rows.filter((r) => r.beyond);
  const candidates: readonly CandidateSite[] = options.candidates ?? communes;

  const problem = buildCoveringProblem(
    candidates,
    uncovered.map((r) => ({ lat: r.lat, lon: r.lon, weight: r.need })),
    radius,
  );
  const population = Float64Array.from(uncovered.map((r) => r.population));
  const picks = (order: { candidate: number; gain: number }[]): SitePick[] => {
    const people = gainsInOrder(
      problem,
      order.map((o) => o.candidate),
      population,
    );
    return order.map((o, i) => {
      const c = candidates[o.candidate] as CandidateSite;
      return {
        code: c.code,
        nom: c.nom,
        lat: c.lat,
        lon: c.lon,
        addedPopulation: people[i] as number,
        addedNeed: round(o.gain),
      };
    });
  };
  const swapLimits = options.swap ?? DEFAULT_SWAP_LIMITS;
  const greedy = greedyCover(problem, Math.max(0, options.suggest));
  const coveredBeforeSwaps = round(coveredWeight(problem, greedy));
  const swapped = swapImprove(problem, greedy, swapLimits);
  const coveredAfterSwaps = round(coveredWeight(problem, swapped));
  const suggestions = picks(marginalGains(problem, swapped));

  // One vehicle, one stop per half-day: the same covering on the need fixed places leave out.
  const stops = picks(
    marginalGains(
      problem,
      swapImprove(problem, greedyCover(problem, Math.max(0, options.itinerant)), swapLimits),
    ),
  );
  return {
    service: options.service,
    threshold,
    radiusKm: round(radius, 3),
    placesCount: places.length,
    weighted,
    populationTotal: sum(rows, (r) => r.population),
    populationBeyond: sum(uncovered, (r) => r.population),
    needTotal: round(sum(rows, (r) => r.need)),
    needBeyond: round(sum(uncovered, (r) => r.need)),
    communes: rows,
    candidatesCount: candidates.length,
    suggestions,
    coveredBeforeSwaps,
    coveredAfterSwaps,
    itinerant: {
      stops: stops.map((s, i) => ({ ...s, halfDay: i + 1 })),
      coveredPopulation: stops.reduce((total, s) => total + s.addedPopulation, 0),
      coveredNeed: round(stops.reduce((total, s) => total + s.addedNeed, 0)),
    },
    rollups: { epci: rollUp(rows, 'epci'), departements: rollUp(rows, 'departement') },
  };
}

/** Names of EPCI and départements for the roll-ups (the communes domain knows them). */
export interface RollUpNames {
  epci(code: string): string | null;
  departement(code: string): string | null;
}

const noNames: RollUpNames = { epci: () => null, departement: () => null };

/**
 * The JSON shape (CLI, exports): snake_case keys (the CLI's and the exports' convention). `internal` adds the nearest
 * place's name (its id is always there: the CLI is run by whoever holds the database).
 */
export function coverageToJson(a: CoverageAnalysis, names: RollUpNames = noNames) {
  const site = (s: SitePick) => ({
    code: s.code,
    nom: s.nom,
    lat: s.lat,
    lon: s.lon,
    added_population: s.addedPopulation,
    added_need: s.addedNeed,
  });
  const rollup = (kind: keyof RollUpNames) => (r: RollUp) => ({
    code: r.code,
    nom: names[kind](r.code),
    communes: r.communes,
    population_total: r.populationTotal,
    population_beyond: r.populationBeyond,
    need_total: r.needTotal,
    need_beyond: r.needBeyond,
  });
  return {
    service: a.service,
    threshold:
      a.threshold.kind === 'km'
        ? { max_km: a.threshold.maxKm }
        : { max_min: a.threshold.maxMin, mode: a.threshold.mode },
    radius_km: a.radiusKm,
    detour_factor: DETOUR_FACTOR,
    places: a.placesCount,
    weighted: a.weighted,
    population_total: a.populationTotal,
    population_beyond: a.populationBeyond,
    need_total: a.needTotal,
    need_beyond: a.needBeyond,
    communes: a.communes.map((c) => ({
      code: c.code,
      nom: c.nom,
      population: c.population,
      weight: c.weight,
      need: c.need,
      epci: c.epci,
      departement: c.departement,
      lat: c.lat,
      lon: c.lon,
      nearest_km: c.nearestKm,
      road_km: c.roadKm,
      travel_min: c.travelMin,
      nearest_place_id: c.nearestPlaceId,
      nearest_place_nom: c.nearestPlaceNom,
      beyond: c.beyond,
      places_within_reach: c.placesWithinReach,
      weekly_hours_within_reach: c.weeklyHoursWithinReach,
      places_within_reach_without_hours: c.placesWithinReachWithoutHours,
    })),
    candidates: a.candidatesCount,
    suggestions: a.suggestions.map(site),
    covered_before_swaps: a.coveredBeforeSwaps,
    covered_after_swaps: a.coveredAfterSwaps,
    itinerant: {
      stops: a.itinerant.stops.map((s) => ({ half_day: s.halfDay, ...site(s) })),
      covered_population: a.itinerant.coveredPopulation,
      covered_need: a.itinerant.coveredNeed,
    },
    rollups: {
      epci: a.rollups.epci.map(rollup('epci')),
      departements: a.rollups.departements.map(rollup('departement')),
    },
  };
}

/** A GeoJSON geometry as stored for commune outlines (only the shape matters here). */
export interface OutlineGeometry {
  type: string;
  coordinates: unknown;
}

/**
 * The communes as a GeoJSON FeatureCollection (RFC 7946, lon/lat): the outline when one is imported,
 * the reference point otherwise, with the figures as properties. `internal` adds the nearest place's
 * id and name, which the public export leaves out.
 */
export function coverageToGeoJson(
  a: CoverageAnalysis,
  outlines: ReadonlyMap<string, OutlineGeometry>,
  options: { internal: boolean },
) {
  return {
    type: 'FeatureCollection' as const,
    features: a.communes.map((c) => ({
      type: 'Feature' as const,
      geometry: outlines.get(c.code) ?? { type: 'Point', coordinates: [c.lon, c.lat] },
      properties: {
        code: c.code,
        nom: c.nom,
        population: c.population,
        need: c.need,
        epci: c.epci,
        departement: c.departement,
        ref_lat: c.lat,
        ref_lon: c.lon,
        nearest_km: c.nearestKm,
        road_km: c.roadKm,
        travel_min: c.travelMin,
        beyond: c.beyond,
        places_within_reach: c.placesWithinReach,
        weekly_hours_within_reach: c.weeklyHoursWithinReach,
        suggestion_rank: (() => {
          const i = a.suggestions.findIndex((s) => s.code === c.code);
          return i >= 0 ? i + 1 : null;
        })(),
        ...(options.internal
          ? { nearest_place_id: c.nearestPlaceId, nearest_place_nom: c.nearestPlaceNom }
          : {}),
      },
    })),
  };
}

// ---------------------------------------------------------------------------------------------------
// CSV inputs: need weights and candidate sites.

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

/** A small seeded PRNG (mulberry32): reproducible instances for tests and benchmarks. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
