import { type Geometry, geometryContains, polygonsOf, type Ring } from './geometry.ts';

/**
 * Where a place stands against the network's territory (docs/decisions/0025): inside (its commune is one
 * of the territory's, or its position lies in one of their outlines), or outside at some distance from the
 * border. A place outside but within the margin is kept: a place just across the border still helps. Pure.
 */

export interface TerritoryCommune {
  code: string;
  /** Reference point, when loaded (commune_geometry). */
  point: { lat: number; lon: number } | null;
  /** Outline (GeoJSON Polygon or MultiPolygon), when loaded. */
  outline: Geometry | null;
}

export interface PlacePosition {
  codeInsee: string | null;
  codePostal: string;
  latitude: number | null;
  longitude: number | null;
}

export type Placement =
  | { inside: true }
  /**
   * `km`: distance to the border (to the outline of the nearest commune of the territory, or to its
   * reference point when no outline is loaded); null when it cannot be known (no position, or nothing of
   * the territory is loaded). `kept`: within the margin.
   */
  | { inside: false; km: number | null; kept: boolean };

const KM_PER_DEGREE_LAT = 110.574;
const KM_PER_DEGREE_LON_AT_EQUATOR = 111.32;
const RAD = Math.PI / 180;
const EARTH_RADIUS_KM = 6371;

function haversineKm(lat1: number, lon1: number, lat2: number, lon2: number): number {
  const dLat = (lat2 - lat1) * RAD;
  const dLon = (lon2 - lon1) * RAD;
  const h = Math.sin(dLat / 2) ** 2 + Math.cos(lat1 * RAD) * Math.cos(lat2 * RAD) * Math.sin(dLon / 2) ** 2;
  return 2 * EARTH_RADIUS_KM * Math.asin(Math.sqrt(h));
}

interface Outline {
  geometry: Geometry;
  rings: Ring[];
  /** Bounding box: west, south, east, north (degrees). */
  box: [number, number, number, number];
}

function outlineOf(geometry: Geometry): Outline | null {
  const rings = polygonsOf(geometry).flat();
  let w = Number.POSITIVE_INFINITY;
  let s = Number.POSITIVE_INFINITY;
  let e = Number.NEGATIVE_INFINITY;
  let n = Number.NEGATIVE_INFINITY;
  for (const ring of rings)
    for (const [lon, lat] of ring) {
      if (lon < w) w = lon;
      if (lon > e) e = lon;
      if (lat < s) s = lat;
      if (lat > n) n = lat;
    }
  return Number.isFinite(w) ? { geometry, rings, box: [w, s, e, n] } : null;
}

/**
 * Kilometres from a point to the nearest edge of some rings, on a plane tangent at the point
 * (equirectangular): within a few tens of kilometres, off by well under one per cent.
 */
function distanceToRingsKm(rings: Ring[], lat: number, lon: number): number {
  const kx = KM_PER_DEGREE_LON_AT_EQUATOR * Math.cos(lat * RAD);
  const ky = KM_PER_DEGREE_LAT;
  let best = Number.POSITIVE_INFINITY;
  for (const ring of rings) {
    for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
      const a = ring[j];
      const b = ring[i];
      if (!a || !b) continue;
      const ax = (a[0] - lon) * kx;
      const ay = (a[1] - lat) * ky;
      const bx = (b[0] - lon) * kx;
      const by = (b[1] - lat) * ky;
      const dx = bx - ax;
      const dy = by - ay;
      const len = dx * dx + dy * dy;
      const t = len === 0 ? 0 : Math.max(0, Math.min(1, -(ax * dx + ay * dy) / len));
      const px = ax + t * dx;
      const py = ay + t * dy;
      const d = px * px + py * py;
      if (d < best) best = d;
    }
  }
  return Math.sqrt(best);
}

export class TerritoryShape {
  /** Whether the territory is the whole country: then every place is inside. */
  readonly whole: boolean;
  /** The territory's French name ("Orléans Métropole"). */
  readonly label: string;
  readonly marginKm: number;
  readonly #codes: ReadonlySet<string>;
  readonly #postcodes: ReadonlySet<string>;
  readonly #outlines: Outline[];
  /** Reference points of the communes without an outline. */
  readonly #points: { lat: number; lon: number }[];
  /** Reference points of every commune (for the distance of a far place, in messages). */
  readonly #allPoints: { lat: number; lon: number }[];
  /** The degrees of latitude and (at worst) of longitude that the margin spans. */
  readonly #marginLat: number;

  constructor(input: {
    whole: boolean;
    label: string;
    marginKm: number;
    communes: readonly TerritoryCommune[];
    postcodes?: Iterable<string>;
  }) {
    this.whole = input.whole;
    this.label = input.label;
    this.marginKm = input.marginKm;
    this.#codes = new Set(input.communes.map((c) => c.code));
    this.#postcodes = new Set(input.postcodes ?? []);
    this.#outlines = [];
    this.#points = [];
    this.#allPoints = [];
    for (const c of input.communes) {
      const outline = c.outline ? outlineOf(c.outline) : null;
      if (outline) this.#outlines.push(outline);
      else if (c.point) this.#points.push(c.point);
      if (c.point) this.#allPoints.push(c.point);
    }
    this.#marginLat = input.marginKm / KM_PER_DEGREE_LAT;
  }

  /** Where a place stands: inside the territory, or outside at some distance from its border. */
  placement(place: PlacePosition): Placement {
    if (this.whole) return { inside: true };
    if (place.codeInsee !== null ? this.#codes.has(place.codeInsee) : this.#postcodes.has(place.codePostal))
      return { inside: true };
    const { latitude: lat, longitude: lon } = place;
    if (lat === null || lon === null) return { inside: false, km: null, kept: false };
    const { km, kept } = this.#distanceKm(lat, lon);
    return { inside: false, km, kept };
  }

  /** Whether the public sees this place: inside, or outside within the margin. */
  keeps(place: PlacePosition): boolean {
    const p = this.placement(place);
    return p.inside || p.kept;
  }

  /**
   * Distance to the border: exact to the outlines near enough to matter (those whose box, widened by the
   * margin, holds the point), to the reference points of communes without an outline; beyond the margin,
   * an estimate from the nearest reference point (only messages use it).
   */
  #distanceKm(lat: number, lon: number): { km: number | null; kept: boolean } {
    const dLat = this.#marginLat;
    const dLon = dLat / Math.max(0.01, Math.cos(lat * RAD));
    let best = Number.POSITIVE_INFINITY;
    for (const o of this.#outlines) {
      const [w, s, e, n] = o.box;
      if (lon < w - dLon || lon > e + dLon || lat < s - dLat || lat > n + dLat) continue;
      if (geometryContains(o.geometry, lon, lat)) return { km: 0, kept: true };
      best = Math.min(best, distanceToRingsKm(o.rings, lat, lon));
    }
    for (const p of this.#points) best = Math.min(best, haversineKm(lat, lon, p.lat, p.lon));
    if (best <= this.marginKm) return { km: best, kept: true };
    let far = best;
    for (const p of this.#allPoints) far = Math.min(far, haversineKm(lat, lon, p.lat, p.lon));
    return { km: Number.isFinite(far) ? Math.max(far, this.marginKm) : null, kept: false };
  }
}
