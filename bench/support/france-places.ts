import fs from 'node:fs';
import path from 'node:path';
import { getCommune } from '../../src/communes/communes.ts';
import { type Geometry, interiorPoint } from '../../src/communes/geometry.ts';
import { seededRandom } from '../../test/support/seeded-random.ts';

/**
 * Synthetic places for benchmarks: `count` places spread over France's communes in proportion to their
 * population, placed at (a jitter around) each commune's interior point, with a seeded PRNG so that
 * every run measures the same data. Rows are national-schema v1 records.
 */
export function referenceFolder(): string {
  const folder = path.resolve(process.env.MAILLAGE_REFERENCE_DATA ?? '../shared/data');
  if (!fs.existsSync(path.join(folder, 'geo', 'communes-france-simplifiee.geojson'))) {
    throw new Error(`Reference data not found in ${folder}: set MAILLAGE_REFERENCE_DATA`);
  }
  return folder;
}

export interface CommunePoint {
  code: string;
  nom: string;
  population: number;
  lat: number;
  lon: number;
}

export function loadFranceCommunes(): CommunePoint[] {
  const file = path.join(referenceFolder(), 'geo', 'communes-france-simplifiee.geojson');
  const geo = JSON.parse(fs.readFileSync(file, 'utf8')) as {
    features: { properties: { code: string; nom: string; population?: number }; geometry: Geometry | null }[];
  };
  const out: CommunePoint[] = [];
  for (const f of geo.features) {
    if (!f.geometry) continue;
    const p = interiorPoint(f.geometry);
    if (!p) continue;
    out.push({
      code: f.properties.code,
      nom: f.properties.nom,
      population: f.properties.population ?? 0,
      lat: p.lat,
      lon: p.lon,
    });
  }
  return out;
}

const SERVICES = [
  'Aide aux démarches administratives',
  'Maîtrise des outils numériques du quotidien',
  'Insertion professionnelle via le numérique',
  'Utilisation sécurisée du numérique',
  'Accès internet et matériel informatique',
  'Loisirs et créations numériques',
];
const HOURS = [
  'Mo-Fr 09:00-12:00,14:00-17:00',
  'Tu-Sa 10:00-18:00',
  'Mo,We,Fr 09:00-12:00; PH off',
  'Tu-Fr 14:00-18:00; Sa 10:00-12:00',
  '',
];

export function generatePlaces(communes: CommunePoint[], count: number, seed = 42): Record<string, string>[] {
  const random = seededRandom(seed);
  const total = communes.reduce((s, c) => s + Math.max(c.population, 1), 0);
  const cumulative: number[] = [];
  let acc = 0;
  for (const c of communes) {
    acc += Math.max(c.population, 1);
    cumulative.push(acc);
  }
  const pick = (): CommunePoint => {
    const r = random() * total;
    let lo = 0;
    let hi = cumulative.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if ((cumulative[mid] ?? 0) < r) lo = mid + 1;
      else hi = mid;
    }
    return communes[lo] as CommunePoint;
  };
  const rows: Record<string, string>[] = [];
  for (let i = 0; i < count; i++) {
    const c = pick();
    const postcode = getCommune(c.code)?.codesPostaux[0] ?? '75001';
    const services = SERVICES.filter(() => random() < 0.4);
    rows.push({
      id: `bench-${i}`,
      pivot: '00000000000000',
      nom: `Lieu ${i} de ${c.nom}`,
      commune: c.nom,
      code_postal: postcode,
      code_insee: c.code,
      adresse: `${1 + Math.floor(random() * 99)} rue de la Mairie`,
      latitude: (c.lat + (random() - 0.5) * 0.01).toFixed(5),
      longitude: (c.lon + (random() - 0.5) * 0.01).toFixed(5),
      horaires: HOURS[Math.floor(random() * HOURS.length)] ?? '',
      services: (services.length ? services : [SERVICES[0] as string]).join('|'),
      frais_a_charge: random() < 0.7 ? 'Gratuit' : 'Payant',
      date_maj: '2026-01-15',
      source: 'bench',
    });
  }
  return rows;
}
