/**
 * Small planar geometry on lon/lat polygons (GeoJSON order), enough for reference points and for
 * checking that a point lies in its commune. Pure.
 */
export type Ring = [number, number][];
export type Polygon = Ring[];
export interface Geometry {
  type: 'Polygon' | 'MultiPolygon';
  coordinates: unknown;
}

export function polygonsOf(geometry: Geometry): Polygon[] {
  if (geometry.type === 'Polygon') return [geometry.coordinates as Polygon];
  return geometry.coordinates as Polygon[];
}

function ringArea(ring: Ring): number {
  let sum = 0;
  for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
    const a = ring[j];
    const b = ring[i];
    if (a && b) sum += a[0] * b[1] - b[0] * a[1];
  }
  return sum / 2;
}

function ringContains(ring: Ring, lon: number, lat: number): boolean {
  let inside = false;
  for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
    const a = ring[i];
    const b = ring[j];
    if (!a || !b) continue;
    if (a[1] > lat !== b[1] > lat && lon < ((b[0] - a[0]) * (lat - a[1])) / (b[1] - a[1]) + a[0])
      inside = !inside;
  }
  return inside;
}

export function polygonContains(polygon: Polygon, lon: number, lat: number): boolean {
  const [outer, ...holes] = polygon;
  if (!outer || !ringContains(outer, lon, lat)) return false;
  return !holes.some((h) => ringContains(h, lon, lat));
}

export function geometryContains(geometry: Geometry, lon: number, lat: number): boolean {
  return polygonsOf(geometry).some((p) => polygonContains(p, lon, lat));
}

/**
 * A point guaranteed inside the largest polygon: its area centroid when that lies inside, otherwise the
 * middle of the widest inside segment of a horizontal line through the centroid (or the bbox middle).
 */
export function interiorPoint(geometry: Geometry): { lon: number; lat: number } | null {
  const polygons = polygonsOf(geometry).filter((p) => (p[0]?.length ?? 0) >= 4);
  if (polygons.length === 0) return null;
  const largest = polygons.reduce((best, p) =>
    Math.abs(ringArea(p[0] ?? [])) > Math.abs(ringArea(best[0] ?? [])) ? p : best,
  );
  const outer = largest[0] ?? [];
  let cx = 0;
  let cy = 0;
  let area = 0;
  for (let i = 0, j = outer.length - 1; i < outer.length; j = i++) {
    const a = outer[j];
    const b = outer[i];
    if (!a || !b) continue;
    const f = a[0] * b[1] - b[0] * a[1];
    cx += (a[0] + b[0]) * f;
    cy += (a[1] + b[1]) * f;
    area += f;
  }
  if (area !== 0) {
    cx /= 3 * area;
    cy /= 3 * area;
    if (polygonContains(largest, cx, cy)) return { lon: cx, lat: cy };
  }
  const lats = outer.map((p) => p[1]);
  const candidates = [cy, (Math.min(...lats) + Math.max(...lats)) / 2].filter((v) => Number.isFinite(v));
  for (const lat of candidates) {
    const xs: number[] = [];
    for (const ring of largest) {
      for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
        const a = ring[i];
        const b = ring[j];
        if (!a || !b) continue;
        if (a[1] > lat !== b[1] > lat) xs.push(((b[0] - a[0]) * (lat - a[1])) / (b[1] - a[1]) + a[0]);
      }
    }
    xs.sort((x, y) => x - y);
    let best: { lon: number; width: number } | null = null;
    for (let k = 0; k + 1 < xs.length; k += 2) {
      const x0 = xs[k] as number;
      const x1 = xs[k + 1] as number;
      if (!best || x1 - x0 > best.width) best = { lon: (x0 + x1) / 2, width: x1 - x0 };
    }
    if (best && polygonContains(largest, best.lon, lat)) return { lon: best.lon, lat };
  }
  return null;
}
