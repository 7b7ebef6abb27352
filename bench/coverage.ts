import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { getCommune } from '../src/communes/communes.ts';
import { type Geometry, interiorPoint } from '../src/communes/geometry.ts';
import {
  analyseCoverage,
  type CoverageCommuneInput,
  type CoveragePlaceInput,
} from '../src/coverage/coverage.ts';
import {
  buildCoveringProblem,
  coveredWeight,
  DEFAULT_SWAP_LIMITS,
  greedyCover,
  swapImprove,
} from '../src/coverage/covering.ts';
import { bruteForceNearest, nearestPlaces } from '../src/coverage/nearest.ts';
import { SERVICES } from '../src/places/places.ts';
import { seededRandom } from '../test/support/seeded-random.ts';

/**
 * The national coverage analysis in memory: 34,868 communes (reference points computed inside their
 * simplified outlines), 20,000 places spread in proportion to population (seeded), nearest place for
 * one service, population beyond 10 km, 100 proposals; and the nearest-place step by brute force in
 * the same run as the baseline. The analysis runs twice: the proposals must be identical (no clock
 * drives the search), and their hash is printed so that two runs of the bench can be compared too.
 * Targets: identical proposals, and the k-d tree's nearest place equal to brute force on every commune.
 * Logs on stderr; the last line of stdout is one JSON object.
 */
const PLACES = 20_000;
const SUGGESTIONS = 100;
const MAX_KM = 10;
const SERVICE = 'Aide aux démarches administratives';

const log = (text: string) => process.stderr.write(`${text}\n`);
const seconds = (ms: number) => Math.round(ms) / 1000;

const folder = path.resolve(
  process.env.MAILLAGE_REFERENCE_DATA ?? path.join(process.cwd(), '../shared/data'),
);
const file = path.join(folder, 'geo', 'communes-france-simplifiee.geojson');
if (!fs.existsSync(file)) {
  log(`Fichier de référence absent : ${file} (définissez MAILLAGE_REFERENCE_DATA).`);
  process.exit(1);
}

// --- Loading (not timed as part of the analysis: "data already loaded").
let started = performance.now();
const data = JSON.parse(fs.readFileSync(file, 'utf8')) as {
  features: { geometry: Geometry | null; properties: { code?: string; nom?: string; population?: number } }[];
};
const communes: CoverageCommuneInput[] = [];
for (const f of data.features) {
  const code = f.properties.code;
  if (!code || !f.geometry) continue;
  const point = interiorPoint(f.geometry);
  if (!point) continue;
  const official = getCommune(code);
  communes.push({
    code,
    nom: official?.nom ?? f.properties.nom ?? code,
    population: official?.population ?? f.properties.population ?? 0,
    lat: point.lat,
    lon: point.lon,
    epci: official?.epci ?? null,
    ...(official ? { departement: official.departement } : {}),
  });
}
const random = seededRandom(45_000);
const cumulative = new Float64Array(communes.length);
let sum = 0;
for (const [i, c] of communes.entries()) {
  sum += c.population;
  cumulative[i] = sum;
}
const pickCommune = (): CoverageCommuneInput => {
  const target = random() * sum;
  let lo = 0;
  let hi = cumulative.length - 1;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if ((cumulative[mid] as number) < target) lo = mid + 1;
    else hi = mid;
  }
  return communes[lo] as CoverageCommuneInput;
};
const places: CoveragePlaceInput[] = Array.from({ length: PLACES }, (_, i) => {
  const c = pickCommune();
  // Every place offers two to four services; the one analysed by about half of them.
  const services = SERVICES.filter((s) => (s === SERVICE ? random() < 0.5 : random() < 0.3));
  // Weekly open hours as the service computes them from opening_hours; a tenth unknown.
  const weeklyHours = random() < 0.1 ? null : ([12, 20, 24, 35, 42][Math.floor(random() * 5)] ?? 20);
  return { id: `bench-${i}`, nom: `Lieu ${i}`, lat: c.lat, lon: c.lon, services, weeklyHours };
});
log(
  `Chargé : ${communes.length} communes, ${places.length} lieux en ${seconds(performance.now() - started)} s`,
);

/** The whole national analysis, as the CLI runs it, timed. */
const national = (list: readonly CoverageCommuneInput[]) => {
  const t = performance.now();
  const result = analyseCoverage(list, places, {
    service: SERVICE,
    threshold: { kind: 'km', maxKm: MAX_KM },
    suggest: SUGGESTIONS,
    itinerant: 0,
  });
  return { analysis: result, ms: performance.now() - t };
};
const { analysis, ms: totalMs } = national(communes);
log(`Analyse nationale complète : ${seconds(totalMs)} s`);
log(
  `  ${analysis.placesCount} lieux proposent « ${SERVICE} » ; ${analysis.populationBeyond} habitants sur ${analysis.populationTotal} au-delà de ${MAX_KM} km`,
);
log(
  `  ${analysis.suggestions.length} propositions : ${analysis.coveredBeforeSwaps} habitants couverts après l'algorithme glouton, ${analysis.coveredAfterSwaps} après les échanges`,
);

log(
  `  regroupements : ${analysis.rollups.epci.length} EPCI, ${analysis.rollups.departements.length} départements`,
);
/** What the analysis proposes (sites, their gains, itinerant stops), as text to compare runs with. */
const proposalsOf = (a: typeof analysis) =>
  JSON.stringify({
    suggestions: a.suggestions,
    coveredBeforeSwaps: a.coveredBeforeSwaps,
    coveredAfterSwaps: a.coveredAfterSwaps,
    itinerant: a.itinerant,
  });
const proposals = proposalsOf(analysis);
const proposalsSha1 = createHash('sha1').update(proposals).digest('hex');

// --- The same with need weights (a fragility index between 0.5 and 2 for every commune).
const weightedCommunes = communes.map((c) => ({ ...c, weight: 0.5 + 1.5 * random() }));
const { analysis: weighted, ms: weightedMs } = national(weightedCommunes);
log(
  `Analyse nationale pondérée : ${seconds(weightedMs)} s (${weighted.coveredAfterSwaps} de besoin couvert)`,
);

// --- The same analysis again (the machine is in another state: JIT warm, other work going on).
const { analysis: again, ms: againMs } = national(communes);
const identical = proposalsOf(again) === proposals;
log(
  `Seconde analyse : ${seconds(againMs)} s ; propositions ${identical ? 'identiques' : 'DIFFÉRENTES'} (sha1 ${proposalsSha1.slice(0, 12)})`,
);
if (!identical) process.exitCode = 1;

// --- The steps one by one.
const offering = places.filter((p) => p.services.includes(SERVICE));
started = performance.now();
const nearest = nearestPlaces(communes, offering);
const nearestMs = performance.now() - started;
log(`Lieu le plus proche (k-d tree) : ${seconds(nearestMs)} s`);

started = performance.now();
const demand = communes
  .filter((_, i) => (nearest.km[i] as number) > MAX_KM)
  .map((c) => ({ lat: c.lat, lon: c.lon, weight: c.population }));
const problem = buildCoveringProblem(communes, demand, MAX_KM);
const greedy = greedyCover(problem, SUGGESTIONS);
const swapped = swapImprove(problem, greedy, DEFAULT_SWAP_LIMITS);
const suggestMs = performance.now() - started;
log(
  `Propositions (glouton paresseux + échanges) : ${seconds(suggestMs)} s, ${coveredWeight(problem, swapped)} habitants`,
);

log('Lieu le plus proche par force brute (peut prendre une minute)…');
started = performance.now();
const brute = bruteForceNearest(communes, offering);
const bruteMs = performance.now() - started;
let mismatches = 0;
for (let i = 0; i < communes.length; i++)
  if (Math.abs((brute.km[i] as number) - (nearest.km[i] as number)) > 1e-9) mismatches++;
const ratio = bruteMs / nearestMs;
log(`Force brute : ${seconds(bruteMs)} s ; rapport ${ratio.toFixed(1)} ; écarts de résultat : ${mismatches}`);
if (mismatches > 0) process.exitCode = 1;

const targets = { proposals_identical_across_runs: identical, nearest_matches_brute_force: mismatches === 0 };
const met = (ok: boolean) => (ok ? 'atteint' : 'NON ATTEINT');
log(`Objectif : mêmes propositions à chaque passage — ${met(targets.proposals_identical_across_runs)}`);
log(
  `Objectif : lieu le plus proche identique à la force brute sur chaque commune — ${met(targets.nearest_matches_brute_force)}`,
);

console.log(
  JSON.stringify({
    communes: communes.length,
    places: places.length,
    places_offering_service: offering.length,
    population_beyond: analysis.populationBeyond,
    suggestions: analysis.suggestions.length,
    covered_before_swaps: analysis.coveredBeforeSwaps,
    covered_after_swaps: analysis.coveredAfterSwaps,
    proposals_sha1: proposalsSha1,
    total_s: seconds(totalMs),
    second_total_s: seconds(againMs),
    weighted_total_s: seconds(weightedMs),
    rollups_epci: analysis.rollups.epci.length,
    rollups_departements: analysis.rollups.departements.length,
    nearest_s: seconds(nearestMs),
    suggest_s: seconds(suggestMs),
    brute_force_nearest_s: seconds(bruteMs),
    ratio_vs_brute_force: Math.round(ratio * 10) / 10,
    targets,
  }),
);
