import { around } from 'geokdbush';
import {
  buildCoveringProblem,
  type CoveringProblem,
  coveredWeight,
  DEFAULT_SWAP_LIMITS,
  greedyCover,
  marginalGains,
  type SwapLimits,
  swapImprove,
} from './covering.ts';
import { indexPoints, nearestPlaces, type Progress } from './nearest.ts';
import { checkThreshold, radiusKm, roadKm, type Threshold, travelMinutes } from './reach.ts';

/**
 * The coverage domain, pure: who lives too far from help, and where to open next. The analysis of a
 * territory stands here; what "within reach" means is reach.ts, the nearest place nearest.ts, the
 * choice of new sites covering.ts, the exports coverage-export.ts and the CSV inputs coverage-csv.ts.
 * No database, no HTTP, no process.env here.
 */

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
