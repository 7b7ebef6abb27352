import type { Insertable } from 'kysely';
import { type Actor, authorize } from '../accounts/policy.ts';
import type { CommuneGeometryTable, Db } from '../db/database.ts';
import { DomainError } from '../shared/domain-error.ts';
import type { PublicScope } from '../shared/territory.ts';
import type { CommuneOutline } from './basemap.tsx';
import {
  geometryVersion,
  listCommuneGeometries,
  listOutlinesInBox,
  listReferencePoints,
  upsertCommuneGeometries,
} from './communes.repository.ts';
import { getCommune, resolveTerritory } from './communes.ts';
import { type Geometry, interiorPoint } from './geometry.ts';
import { TerritoryShape } from './territory-shape.ts';

export interface GeoIssue {
  row: number | null;
  id: string | null;
  field: string | null;
  value: string | null;
  message: string;
}

export interface GeoImportReport {
  read: number;
  imported: number;
  rejected: number;
  methods: Record<'centre' | 'centre_geoapi' | 'interior_point', number>;
  warnings: GeoIssue[];
  errors: GeoIssue[];
}

type Method = 'centre' | 'centre_geoapi' | 'interior_point';

/** A `centre` property may be a GeoJSON Point or a [lon, lat] pair. */
function readPoint(value: unknown): { lon: number; lat: number } | null {
  const pair = Array.isArray(value)
    ? value
    : value && typeof value === 'object' && Array.isArray((value as { coordinates?: unknown }).coordinates)
      ? (value as { coordinates: unknown[] }).coordinates
      : null;
  if (!pair || pair.length < 2) return null;
  const lon = Number(pair[0]);
  const lat = Number(pair[1]);
  if (!Number.isFinite(lon) || !Number.isFinite(lat) || Math.abs(lat) > 90 || Math.abs(lon) > 180)
    return null;
  return { lon, lat };
}

const CODE_KEYS = ['code', 'code_insee', 'insee', 'INSEE_COM', 'codgeo'];

/**
 * Loads commune outlines and one reference point per commune from a GeoJSON FeatureCollection. The
 * reference point is the feature's `centre` (or `centre_geoapi`) property when present, otherwise a point
 * inside the polygon computed by us; the method is recorded. A feature without a usable code or
 * geometry is reported and skipped; the others are loaded. The command line only (`geo import`).
 */
export async function importCommuneGeometry(
  db: Db,
  actor: Actor,
  input: { bytes: Uint8Array; fileName: string },
): Promise<GeoImportReport> {
  authorize(actor, 'importCommuneGeometry');
  const { bytes, fileName } = input;
  let data: unknown;
  try {
    data = JSON.parse(new TextDecoder('utf-8').decode(bytes));
  } catch (error) {
    throw new DomainError(
      'invalid_file',
      `Le fichier « ${fileName} » n'est pas un GeoJSON lisible : ${(error as Error).message}`,
    );
  }
  const features = (data as { type?: string; features?: unknown })?.features;
  if ((data as { type?: string })?.type !== 'FeatureCollection' || !Array.isArray(features)) {
    throw new DomainError(
      'invalid_file',
      `Le fichier « ${fileName} » doit être une FeatureCollection GeoJSON de communes.`,
    );
  }
  const report: GeoImportReport = {
    read: features.length,
    imported: 0,
    rejected: 0,
    methods: { centre: 0, centre_geoapi: 0, interior_point: 0 },
    warnings: [],
    errors: [],
  };
  const rows: Insertable<CommuneGeometryTable>[] = [];
  const seen = new Set<string>();
  for (const [index, feature] of features.entries()) {
    const row = index + 1;
    const props = ((feature as { properties?: unknown })?.properties ?? {}) as Record<string, unknown>;
    const codeKey = CODE_KEYS.find((k) => props[k] !== undefined && props[k] !== null);
    const code = codeKey ? String(props[codeKey]).trim().toUpperCase() : '';
    const reject = (field: string, value: string | null, message: string) => {
      report.errors.push({ row, id: code || null, field, value, message });
      report.rejected++;
    };
    if (!/^(?:\d{5}|2[AB]\d{3})$/.test(code)) {
      reject('code', code || null, `Élément ${row} : code INSEE de commune absent ou invalide.`);
      continue;
    }
    if (seen.has(code)) {
      reject('code', code, `Élément ${row} : la commune ${code} apparaît déjà plus haut dans le fichier.`);
      continue;
    }
    seen.add(code);
    if (!getCommune(code)) {
      report.warnings.push({
        row,
        id: code,
        field: 'code',
        value: code,
        message: `La commune ${code} n'existe pas dans le code officiel géographique actuel : chargée quand même.`,
      });
    }
    const geometry = (feature as { geometry?: Geometry | null })?.geometry ?? null;
    const hasOutline = geometry !== null && (geometry.type === 'Polygon' || geometry.type === 'MultiPolygon');
    let method: Method | null = null;
    let point = readPoint(props.centre);
    if (point) method = 'centre';
    else {
      point = readPoint(props.centre_geoapi);
      if (point) method = 'centre_geoapi';
    }
    if (!point && hasOutline) {
      point = interiorPoint(geometry);
      if (point) method = 'interior_point';
    }
    if (!point || !method) {
      reject('geometry', null, `La commune ${code} n'a ni point de référence ni contour exploitable.`);
      continue;
    }
    report.methods[method]++;
    rows.push({
      code,
      ref_lat: Math.round(point.lat * 1e6) / 1e6,
      ref_lon: Math.round(point.lon * 1e6) / 1e6,
      ref_method: method,
      geometry: hasOutline ? JSON.stringify(geometry) : null,
      source_file: fileName,
      imported_at: new Date(),
    });
  }
  await db.transaction().execute(async (tx) => {
    report.imported = await upsertCommuneGeometries(tx, rows, { keepExisting: false });
  });
  return report;
}

/** Writes reference points that do not exist yet (the demonstration data's own points). */
export async function ensureReferencePoints(
  db: Db,
  points: ReadonlyArray<{ code: string; lat: number; lon: number; geometry?: Geometry | null }>,
): Promise<number> {
  return upsertCommuneGeometries(
    db,
    points.map((p) => ({
      code: p.code,
      ref_lat: p.lat,
      ref_lon: p.lon,
      ref_method: 'demo' as const,
      geometry: p.geometry ? JSON.stringify(p.geometry) : null,
      source_file: null,
    })),
    { keepExisting: true },
  );
}

export async function getReferencePoints(db: Db, codes?: string[]) {
  const rows = await listReferencePoints(db, codes);
  return rows.map((r) => ({ code: r.code, lat: r.ref_lat, lon: r.ref_lon, method: r.ref_method }));
}

/**
 * The territory of a public scope with its border: the outlines and reference points loaded for its
 * communes (commune_geometry), so that a place's distance to the border can be told
 * (docs/decisions/0025). The whole country needs none.
 */
export async function loadTerritoryShape(db: Db, scope: PublicScope): Promise<TerritoryShape> {
  const resolved = resolveTerritory(scope.territory);
  if (scope.territory.kind === 'fr')
    return new TerritoryShape({ whole: true, label: resolved.label, marginKm: scope.marginKm, communes: [] });
  const codes = resolved.communes.map((c) => c.code);
  const rows = new Map<string, Awaited<ReturnType<typeof listCommuneGeometries>>[number]>();
  for (let i = 0; i < codes.length; i += 5000)
    for (const row of await listCommuneGeometries(db, codes.slice(i, i + 5000))) rows.set(row.code, row);
  return new TerritoryShape({
    whole: false,
    label: resolved.label,
    marginKm: scope.marginKm,
    postcodes: resolved.communes.flatMap((c) => c.codesPostaux),
    communes: codes.map((code) => {
      const row = rows.get(code);
      const geometry = row ? readGeometry(row.geometry) : null;
      return { code, point: row ? { lat: row.ref_lat, lon: row.ref_lon } : null, outline: geometry };
    }),
  });
}

/** An outline as stored (jsonb: an object, or its text on some drivers); anything else is none. */
function readGeometry(value: unknown): Geometry | null {
  const g = typeof value === 'string' ? (JSON.parse(value) as unknown) : value;
  const type = (g as { type?: unknown } | null)?.type;
  return type === 'Polygon' || type === 'MultiPolygon' ? (g as Geometry) : null;
}

/** Changes whenever commune geometry is imported (for caches built on it). */
export async function communeGeometryVersion(db: Db): Promise<string> {
  return geometryVersion(db);
}

/** How far beyond a map's frame a commune's reference point may stand and its outline still show. */
const OUTLINE_MARGIN_DEG = 0.25;

/**
 * The outlines loaded with `geo import` (or seeded by the demonstration) of the communes that may show
 * in a map's lon/lat box, with their names and populations for the labels. None when no outline is
 * loaded: the map is then drawn without them.
 */
export async function communeOutlinesInBox(
  db: Db,
  box: { minLat: number; maxLat: number; minLon: number; maxLon: number },
): Promise<CommuneOutline[]> {
  const rows = await listOutlinesInBox(db, {
    minLat: box.minLat - OUTLINE_MARGIN_DEG,
    maxLat: box.maxLat + OUTLINE_MARGIN_DEG,
    minLon: box.minLon - OUTLINE_MARGIN_DEG * 1.5,
    maxLon: box.maxLon + OUTLINE_MARGIN_DEG * 1.5,
  });
  return rows.flatMap((r) => {
    const geometry = readGeometry(r.geometry);
    if (!geometry) return [];
    const commune = getCommune(r.code);
    return [{ code: r.code, nom: commune?.nom ?? r.code, population: commune?.population ?? 0, geometry }];
  });
}
