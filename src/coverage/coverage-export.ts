import type { CoverageAnalysis, RollUp, SitePick } from './coverage.ts';
import { DETOUR_FACTOR } from './reach.ts';

/** The analysis as JSON (command line, exports) and as GeoJSON (map, download). Pure. */

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
