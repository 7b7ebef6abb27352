import { type Point, simplifyLine } from '../communes/basemap.tsx';
import type { Geometry, Polygon, Ring } from '../communes/geometry.ts';

/**
 * The simplified outlines of the demonstration's 22 communes, derived from IGN's ADMIN EXPRESS (through
 * the reference file communes-orleans-metropole.geojson) by `demo outlines`, and committed in
 * demo-outlines.json: an explicit exception to "no third-party data committed", under the Licence
 * Ouverte 2.0, whose attribution travels in the file's header, the README and on every map
 * (docs/decisions/0033-maps-outlines-and-labels.md). Pure.
 */
export const DEMO_OUTLINES_HEADER = {
  source: 'IGN – ADMIN EXPRESS (communes), via communes-orleans-metropole.geojson',
  licence: 'Licence Ouverte 2.0 (Etalab) — https://www.etalab.gouv.fr/licence-ouverte-open-licence/',
  attribution: 'Contours des communes : IGN – ADMIN EXPRESS, Licence Ouverte 2.0',
  generator: 'npm run -s cli -- demo outlines (src/demo/demo-outlines.ts)',
} as const;

/** Douglas–Peucker tolerance, in degrees of latitude (about 33 m: finer than a pixel of a town's map). */
export const DEMO_TOLERANCE_DEG = 0.0003;

export interface DemoOutlines {
  source: string;
  licence: string;
  attribution: string;
  generator: string;
  tolerance_deg: number;
  communes: { code: string; nom: string; geometry: Geometry }[];
}

const round5 = (v: number) => Math.round(v * 1e5) / 1e5;

/** A ring simplified on a plane where a degree of longitude is shortened by cos(latitude). */
function simplifyRing(ring: Ring, tolerance: number): Ring | null {
  const lat0 = ring.reduce((a, p) => a + p[1], 0) / Math.max(1, ring.length);
  const cos = Math.cos((lat0 * Math.PI) / 180);
  const planar: Point[] = ring.map(([lon, lat]) => [lon * cos, lat]);
  const kept = simplifyLine(planar, tolerance).map(
    ([x, y]) => [round5(x / cos), round5(y)] as [number, number],
  );
  const closed = kept.filter((p, i) => i === 0 || p[0] !== kept[i - 1]?.[0] || p[1] !== kept[i - 1]?.[1]);
  return closed.length >= 4 ? closed : null;
}

function simplifyPolygon(polygon: Polygon, tolerance: number): Polygon | null {
  const outer = polygon[0] ? simplifyRing(polygon[0], tolerance) : null;
  if (!outer) return null;
  const holes = polygon.slice(1).map((h) => simplifyRing(h, tolerance));
  return [outer, ...holes.filter((h): h is Ring => h !== null)];
}

/**
 * The committed file's content from the reference FeatureCollection: each commune's code, name and
 * outline simplified to `tolerance` degrees, coordinates rounded to 5 decimals (about a metre), sorted
 * by code so that the file only changes when the data does.
 */
export function buildDemoOutlines(collection: unknown, tolerance = DEMO_TOLERANCE_DEG): DemoOutlines {
  const features = (collection as { features?: unknown })?.features;
  if (!Array.isArray(features)) throw new Error('not a GeoJSON FeatureCollection');
  const communes = features.flatMap((f) => {
    const props = (f as { properties?: Record<string, unknown> }).properties ?? {};
    const geometry = (f as { geometry?: Geometry }).geometry;
    const code = String(props.code ?? '');
    if (!/^\d[\dAB]\d{3}$/.test(code) || !geometry) return [];
    let out: Geometry | null = null;
    if (geometry.type === 'Polygon') {
      const p = simplifyPolygon(geometry.coordinates as Polygon, tolerance);
      out = p ? { type: 'Polygon', coordinates: p } : null;
    } else if (geometry.type === 'MultiPolygon') {
      const ps = (geometry.coordinates as Polygon[])
        .map((p) => simplifyPolygon(p, tolerance))
        .filter((p): p is Polygon => p !== null);
      out = ps.length ? { type: 'MultiPolygon', coordinates: ps } : null;
    }
    return out ? [{ code, nom: String(props.nom ?? code), geometry: out }] : [];
  });
  communes.sort((a, b) => a.code.localeCompare(b.code));
  return { ...DEMO_OUTLINES_HEADER, tolerance_deg: tolerance, communes };
}

/** The file as written: the header fields, then one commune a line (readable diffs, small). */
export function serializeDemoOutlines(outlines: DemoOutlines): string {
  const { communes, ...header } = outlines;
  const head = Object.entries(header)
    .map(([k, v]) => `  ${JSON.stringify(k)}: ${JSON.stringify(v)},`)
    .join('\n');
  const lines = communes.map((c) => `    ${JSON.stringify(c)}`).join(',\n');
  return `{\n${head}\n  "communes": [\n${lines}\n  ]\n}\n`;
}
