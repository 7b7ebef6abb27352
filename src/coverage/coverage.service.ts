import type { Actor } from '../accounts/policy.ts';
import { authorize } from '../accounts/policy.ts';
import { getReferencePoints } from '../communes/communes.service.ts';
import { getCommune, resolveTerritory } from '../communes/communes.ts';
import type { Geometry } from '../communes/geometry.ts';
import type { Db } from '../db/database.ts';
import { SERVICES } from '../places/places.ts';
import { compileOpeningHours, regionOf } from '../search/opening.ts';
import { DomainError } from '../shared/domain-error.ts';
import type { Territory } from '../shared/territory.ts';
import {
  countPlaces,
  listCommuneOutlines,
  listCoverageWeights,
  listPlacesWithPosition,
  upsertCoverageWeights,
} from './coverage.repository.ts';
import {
  analyseCoverage,
  type CandidateSite,
  type CoverageAnalysis,
  type CoverageCommuneInput,
} from './coverage.ts';
import { type CandidateRow, type CsvIssue, parseWeightsCsv } from './coverage-csv.ts';
import type { RollUpNames } from './coverage-export.ts';
import type { SwapLimits } from './covering.ts';
import type { Progress } from './nearest.ts';
import type { Threshold } from './reach.ts';

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
  /** Candidate sites read from a CSV (parseCandidatesCsv); the territory's communes otherwise. */
  candidates?: readonly CandidateRow[];
  onProgress?: Progress;
}

export interface TerritoryCoverage {
  label: string;
  analysis: CoverageAnalysis;
  /** Communes of the territory without a reference point: not measured, listed rather than dropped. */
  missingReferencePoints: { code: string; nom: string; population: number }[];
  /** Outlines by commune code, when asked and imported (`cli geo import`). */
  outlines: Map<string, Geometry>;
  /** Candidate rows that could not be used (unknown code, commune without reference point). */
  candidateIssues: CsvIssue[];
  /** Names of the EPCI and départements of the roll-ups. */
  names: RollUpNames;
}

/**
 * A fixed reference week (Monday 13 to Sunday 19 January 2025, no public holiday in France) over which
 * weekly open hours are counted: the same figure whatever the day the analysis runs.
 */
const REFERENCE_WEEK_START = new Date(2025, 0, 13);
const REFERENCE_WEEK_END = new Date(2025, 0, 20);
const weeklyHoursCache = new Map<string, number | null>();

/** Open hours of a place in the reference week, where the place is; null when unknown or unreadable. */
export function weeklyOpenHours(
  horaires: string | null,
  codeInsee: string | null,
  codePostal: string | null,
) {
  if (!horaires || horaires.trim() === '') return null;
  const region = regionOf(codeInsee, codePostal);
  const key = `${region.state}\u0000${horaires}`;
  let hours = weeklyHoursCache.get(key);
  if (hours === undefined) {
    const oh = compileOpeningHours(horaires, region);
    hours = null;
    if (oh) {
      try {
        let ms = 0;
        for (const [from, to] of oh.getOpenIntervals(REFERENCE_WEEK_START, REFERENCE_WEEK_END))
          ms += to.getTime() - from.getTime();
        hours = Math.round((ms / 3_600_000) * 10) / 10;
      } catch {
        hours = null;
      }
    }
    if (weeklyHoursCache.size > 100_000) weeklyHoursCache.clear();
    weeklyHoursCache.set(key, hours);
  }
  return hours;
}

const labels = new Map<string, string | null>();
function labelOf(territory: { kind: 'epci' | 'dep'; code: string }): string | null {
  const key = `${territory.kind}:${territory.code}`;
  let label = labels.get(key);
  if (label === undefined) {
    try {
      label = resolveTerritory(territory).label;
    } catch {
      label = null;
    }
    labels.set(key, label);
  }
  return label;
}

const rollUpNames: RollUpNames = {
  epci: (code) => labelOf({ kind: 'epci', code }),
  departement: (code) => labelOf({ kind: 'dep', code }),
};

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
 * Anybody may ask: the figures are public, the nearest places' names are only shown to coordinators
 * (`analyseNetworkCoverage`).
 */
export async function analyseTerritoryCoverage(
  db: Db,
  actor: Actor,
  request: CoverageRequest,
): Promise<TerritoryCoverage> {
  authorize(actor, 'analyseTerritoryCoverage');
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
  const weights = new Map(
    (await listCoverageWeights(db, request.territory.kind === 'fr' ? undefined : codes)).map((w) => [
      w.code,
      w.weight,
    ]),
  );
  const communes: CoverageCommuneInput[] = [];
  const missingReferencePoints: TerritoryCoverage['missingReferencePoints'] = [];
  for (const c of resolved.communes) {
    const p = points.get(c.code);
    const weight = weights.get(c.code);
    if (p)
      communes.push({
        code: c.code,
        nom: c.nom,
        population: c.population,
        lat: p.lat,
        lon: p.lon,
        epci: c.epci,
        departement: c.departement,
        ...(weight === undefined ? {} : { weight }),
      });
    else missingReferencePoints.push({ code: c.code, nom: c.nom, population: c.population });
  }
  if (communes.length === 0)
    throw new DomainError(
      'not_found',
      `Aucune commune de ${resolved.label} n'a de point de référence : importez les contours des communes (geo import).`,
      { missing: missingReferencePoints.length },
    );
  // When some communes carry a weight, the others count with weight 1 (their population alone).
  if (weights.size > 0) for (const c of communes) c.weight ??= 1;
  const { candidates, issues: candidateIssues } = request.candidates
    ? await resolveCandidates(db, request.candidates)
    : { candidates: undefined, issues: [] };
  const analysis = analyseCoverage(
    communes,
    rows.map((r) => ({
      id: r.id,
      nom: r.nom,
      lat: r.latitude as number,
      lon: r.longitude as number,
      services: r.services,
      weeklyHours: weeklyOpenHours(r.horaires, r.code_insee, r.code_postal),
    })),
    {
      service: request.service,
      threshold: request.threshold,
      suggest: request.suggest,
      itinerant: request.itinerant,
      ...(request.swap ? { swap: request.swap } : {}),
      ...(candidates ? { candidates } : {}),
      ...(request.onProgress ? { onProgress: request.onProgress } : {}),
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
  return {
    label: resolved.label,
    analysis,
    missingReferencePoints,
    outlines,
    candidateIssues,
    names: rollUpNames,
  };
}

/** Candidate rows to sites: a code must be a commune with a reference point; bad rows are reported. */
async function resolveCandidates(
  db: Db,
  rows: readonly CandidateRow[],
): Promise<{ candidates: CandidateSite[]; issues: CsvIssue[] }> {
  const codes = rows.flatMap((r) => (r.kind === 'code' ? [r.code] : []));
  const points = new Map((await getReferencePoints(db, codes)).map((p) => [p.code, p]));
  const candidates: CandidateSite[] = [];
  const issues: CsvIssue[] = [];
  for (const r of rows) {
    if (r.kind === 'point') {
      candidates.push({ code: null, nom: r.nom, lat: r.lat, lon: r.lon });
      continue;
    }
    const commune = getCommune(r.code);
    const p = points.get(r.code);
    if (!commune)
      issues.push({
        row: r.row,
        field: 'code',
        value: r.code,
        message: `Aucune commune n'a le code « ${r.code} ».`,
      });
    else if (!p)
      issues.push({
        row: r.row,
        field: 'code',
        value: r.code,
        message: `La commune ${commune.nom} n'a pas de point de référence : importez les contours (geo import).`,
      });
    else candidates.push({ code: r.code, nom: commune.nom, lat: p.lat, lon: p.lon });
  }
  if (candidates.length === 0)
    throw new DomainError(
      'invalid_input',
      'Aucun site candidat utilisable dans le fichier : vérifiez les codes INSEE ou les coordonnées.',
      { issues: issues.slice(0, 20) },
    );
  return { candidates, issues };
}

/**
 * The coverage with internal data (nearest place names and ids), for the network's coordinators and
 * the command line only: the public page shows figures, not the directory's internal identifiers.
 */
export async function analyseNetworkCoverage(
  db: Db,
  actor: Actor,
  request: CoverageRequest,
): Promise<TerritoryCoverage> {
  authorize(actor, 'analyseNetworkCoverage');
  return analyseTerritoryCoverage(db, actor, request);
}

/**
 * Imports need weights per commune (e.g. a digital-fragility index) from a CSV `code,weight` (or `;`).
 * Known communes are inserted or replace their previous weight; unknown codes and bad numbers are
 * skipped and reported with their line. From then on, analyses weigh population by these weights.
 */
export async function importCoverageWeights(
  db: Db,
  actor: Actor,
  input: { text: string },
  opts: { now?: Date } = {},
): Promise<{ imported: number; issues: CsvIssue[] }> {
  authorize(actor, 'importCoverageWeights');
  const { weights, issues } = parseWeightsCsv(input.text, (code) => getCommune(code) !== null);
  if (weights.length > 0) await upsertCoverageWeights(db, weights, opts.now ?? new Date());
  return { imported: weights.length, issues };
}
