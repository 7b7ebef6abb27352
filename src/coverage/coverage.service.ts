import { getReferencePoints } from '../communes/communes.service.ts';
import { resolveTerritory } from '../communes/communes.ts';
import type { Geometry } from '../communes/geometry.ts';
import type { Db } from '../db/database.ts';
import { SERVICES } from '../places/places.ts';
import { DomainError } from '../shared/domain-error.ts';
import type { Territory } from '../shared/territory.ts';
import { countPlaces, listCommuneOutlines, listPlacesWithPosition } from './coverage.repository.ts';
import {
  analyseCoverage,
  type CoverageAnalysis,
  type CoverageCommuneInput,
  type SwapLimits,
  type Threshold,
} from './coverage.ts';

export interface CoverageRequest {
  territory: Territory;
  /** One of the national SERVICES, or null for any place. */
  service: string | null;
  threshold: Threshold;
  suggest: number;
  itinerant: number;
  swap?: SwapLimits;
  /** Also read commune outlines (for the map). */
  withOutlines?: boolean;
}

export interface TerritoryCoverage {
  label: string;
  analysis: CoverageAnalysis;
  /** Communes of the territory without a reference point: not measured, listed rather than dropped. */
  missingReferencePoints: { code: string; nom: string; population: number }[];
  /** Outlines by commune code, when asked and imported (`cli geo import`). */
  outlines: Map<string, Geometry>;
}

export const MAX_SITES = 500;

function checkCount(value: number, field: string, label: string): number {
  if (!Number.isInteger(value) || value < 0 || value > MAX_SITES)
    throw new DomainError(
      'invalid_input',
      `Le nombre de ${label} doit être un entier entre 0 et ${MAX_SITES} (reçu : ${value}).`,
      { field, value },
    );
  return value;
}

/**
 * Coverage of a territory: for each of its communes (population from the official list, position from
 * its reference point), the distance to the nearest place offering the service — places outside the
 * territory count, people cross borders —, the population beyond the threshold, proposals of new
 * sites among the territory's communes and the stops of one itinerant service. Communes without a
 * reference point are listed apart. An unknown service, or a directory without any place, is refused.
 */
export async function analyseTerritoryCoverage(db: Db, request: CoverageRequest): Promise<TerritoryCoverage> {
  if (request.service !== null && !SERVICES.includes(request.service))
    throw new DomainError(
      'invalid_input',
      `Le service « ${request.service} » n'existe pas. Services possibles : ${SERVICES.join(' ; ')}.`,
      { field: 'service', value: request.service },
    );
  checkCount(request.suggest, 'suggest', 'lieux à proposer');
  checkCount(request.itinerant, 'itinerant', "arrêts d'itinérance");
  const resolved = resolveTerritory(request.territory);
  if ((await countPlaces(db)) === 0)
    throw new DomainError(
      'not_found',
      "Aucun lieu n'est enregistré : importez l'annuaire (places import) avant d'analyser la couverture.",
    );
  const rows = await listPlacesWithPosition(db);
  if (rows.length === 0)
    throw new DomainError(
      'not_found',
      "Aucun lieu n'a de coordonnées : la distance aux lieux ne peut pas être mesurée.",
    );
  const codes = resolved.communes.map((c) => c.code);
  const points = new Map((await getReferencePoints(db, codes)).map((p) => [p.code, p]));
  const communes: CoverageCommuneInput[] = [];
  const missingReferencePoints: TerritoryCoverage['missingReferencePoints'] = [];
  for (const c of resolved.communes) {
    const p = points.get(c.code);
    if (p) communes.push({ code: c.code, nom: c.nom, population: c.population, lat: p.lat, lon: p.lon });
    else missingReferencePoints.push({ code: c.code, nom: c.nom, population: c.population });
  }
  if (communes.length === 0)
    throw new DomainError(
      'not_found',
      `Aucune commune de ${resolved.label} n'a de point de référence : importez les contours des communes (geo import).`,
      { missing: missingReferencePoints.length },
    );
  const analysis = analyseCoverage(
    communes,
    rows.map((r) => ({
      id: r.id,
      nom: r.nom,
      lat: r.latitude as number,
      lon: r.longitude as number,
      services: r.services,
    })),
    {
      service: request.service,
      threshold: request.threshold,
      suggest: request.suggest,
      itinerant: request.itinerant,
      ...(request.swap ? { swap: request.swap } : {}),
    },
  );
  const outlines = new Map<string, Geometry>();
  if (request.withOutlines) {
    for (const o of await listCommuneOutlines(
      db,
      communes.map((c) => c.code),
    )) {
      const g = (typeof o.geometry === 'string' ? JSON.parse(o.geometry) : o.geometry) as Geometry | null;
      if (g && (g.type === 'Polygon' || g.type === 'MultiPolygon')) outlines.set(o.code, g);
    }
  }
  return { label: resolved.label, analysis, missingReferencePoints, outlines };
}
