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
export function nearestPlaces(points: readonly Point[], places: readonly Point[]): Nearest {
  const place = new Int32Array(points.length).fill(-1);
  const km = new Float64Array(points.length).fill(Number.POSITIVE_INFINITY);
  if (places.length === 0) return { place, km };
  const index = indexPoints(places);
  for (let i = 0; i < points.length; i++) {
    const p = points[i] as Point;
    const found = around(index, p.lon, p.lat, 1)[0];
    if (found === undefined) continue;
    const q = places[found] as Point;
    place[i] = found;
    km[i] = distance(p.lon, p.lat, q.lon, q.lat);
  }
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
  maxIterations: number;
  maxMs: number;
}

export const DEFAULT_SWAP_LIMITS: SwapLimits = { maxIterations: 50, maxMs: 500 };

/**
 * Local search: replace one chosen site by a candidate outside the solution whenever it covers more,
 * until no swap improves or the limits (passes, milliseconds) are reached. Never worse than its input.
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
  const deadline = performance.now() + limits.maxMs;
  const removedMark = new Uint8Array(problem.weights.length);
  for (let pass = 0; pass < limits.maxIterations; pass++) {
    let improved = false;
    for (let slot = 0; slot < chosen.length; slot++) {
      if (performance.now() > deadline) return chosen;
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
      for (let c = 0; c < problem.covers.length; c++) {
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
}

export interface CoveragePlaceInput {
  id: string;
  nom: string;
  lat: number;
  lon: number;
  services: readonly string[];
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
}

export interface CommuneCoverage {
  code: string;
  nom: string;
  population: number;
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
}

export interface SitePick {
  code: string;
  nom: string;
  lat: number;
  lon: number;
  addedPopulation: number;
}

export interface CoverageAnalysis {
  service: string | null;
  threshold: Threshold;
  radiusKm: number;
  placesCount: number;
  populationTotal: number;
  populationBeyond: number;
  communes: CommuneCoverage[];
  suggestions: SitePick[];
  /** Population brought within reach by the proposals, after greedy and after the swap phase. */
  coveredBeforeSwaps: number;
  coveredAfterSwaps: number;
  itinerant: { stops: (SitePick & { halfDay: number })[]; coveredPopulation: number };
}

const round = (x: number, digits = 2) => Math.round(x * 10 ** digits) / 10 ** digits;

/**
 * Measures the coverage of communes by places and proposes new sites and itinerant stops. Places
 * outside the territory count (people cross borders); candidate sites are the communes given.
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
  const nearest = nearestPlaces(communes, places);
  const rows: CommuneCoverage[] = communes.map((c, i) => {
    const placeIndex = nearest.place[i] as number;
    const place = placeIndex >= 0 ? places[placeIndex] : undefined;
    const km = nearest.km[i] as number;
    return {
      code: c.code,
      nom: c.nom,
      population: c.population,
      lat: c.lat,
      lon: c.lon,
      nearestKm: place ? round(km, 3) : null,
      roadKm: place ? round(roadKm(km), 3) : null,
      travelMin: place && threshold.kind === 'min' ? round(travelMinutes(km, threshold.mode), 1) : null,
      nearestPlaceId: place?.id ?? null,
      nearestPlaceNom: place?.nom ?? null,
      beyond: !place || km > radius,
    };
  });
  const populationTotal = rows.reduce((s, r) => s + r.population, 0);
  const uncovered = rows.filter((r) => r.beyond);
  const populationBeyond = uncovered.reduce((s, r) => s + r.population, 0);

  const problem = buildCoveringProblem(
    communes,
    uncovered.map((r) => ({ lat: r.lat, lon: r.lon, weight: r.population })),
    radius,
  );
  const pick = (candidate: number, gain: number): SitePick => {
    const c = communes[candidate] as CoverageCommuneInput;
    return { code: c.code, nom: c.nom, lat: c.lat, lon: c.lon, addedPopulation: gain };
  };
  const greedy = greedyCover(problem, Math.max(0, options.suggest));
  const coveredBeforeSwaps = coveredWeight(problem, greedy);
  const swapped = swapImprove(problem, greedy, options.swap ?? DEFAULT_SWAP_LIMITS);
  const coveredAfterSwaps = coveredWeight(problem, swapped);
  const suggestions = marginalGains(problem, swapped).map((g) => pick(g.candidate, g.gain));

  // One vehicle, one stop per half-day: the same covering on the population fixed places leave out.
  const stopsChosen = greedyCover(problem, Math.max(0, options.itinerant));
  const stops = marginalGains(
    problem,
    swapImprove(problem, stopsChosen, options.swap ?? DEFAULT_SWAP_LIMITS),
  );
  return {
    service: options.service,
    threshold,
    radiusKm: round(radius, 3),
    placesCount: places.length,
    populationTotal,
    populationBeyond,
    communes: rows,
    suggestions,
    coveredBeforeSwaps,
    coveredAfterSwaps,
    itinerant: {
      stops: stops.map((s, i) => ({ ...pick(s.candidate, s.gain), halfDay: i + 1 })),
      coveredPopulation: stops.reduce((sum, s) => sum + s.gain, 0),
    },
  };
}

/** The public JSON shape (CLI, exports): snake_case keys, as the issue specifies. */
export function coverageToJson(a: CoverageAnalysis) {
  const site = (s: SitePick) => ({
    code: s.code,
    nom: s.nom,
    lat: s.lat,
    lon: s.lon,
    added_population: s.addedPopulation,
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
    population_total: a.populationTotal,
    population_beyond: a.populationBeyond,
    communes: a.communes.map((c) => ({
      code: c.code,
      nom: c.nom,
      population: c.population,
      lat: c.lat,
      lon: c.lon,
      nearest_km: c.nearestKm,
      road_km: c.roadKm,
      travel_min: c.travelMin,
      nearest_place_id: c.nearestPlaceId,
      beyond: c.beyond,
    })),
    suggestions: a.suggestions.map(site),
    covered_before_swaps: a.coveredBeforeSwaps,
    covered_after_swaps: a.coveredAfterSwaps,
    itinerant: {
      stops: a.itinerant.stops.map((s) => ({ half_day: s.halfDay, ...site(s) })),
      covered_population: a.itinerant.coveredPopulation,
    },
  };
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
