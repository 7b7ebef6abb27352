/**
 * The maths of the server-rendered results map, pure: an equirectangular projection of the positions
 * into the SVG's box, exact enough at a town's scale, and a round length for the scale bar.
 */
export const MAP_WIDTH = 600;
export const MAP_HEIGHT = 400;
const MARGIN = 28;

const SCALES = [50, 100, 200, 500, 1000, 2000, 5000, 10_000, 20_000, 50_000, 100_000, 200_000, 500_000];

export interface LatLon {
  lat: number;
  lon: number;
}

export interface MapFrame {
  /** Where a position stands in the SVG, to a tenth of a pixel. */
  project(lat: number, lon: number): { x: number; y: number };
  /** The scale bar: a round length in metres, and how many pixels it takes. */
  scaleM: number;
  scalePx: number;
  /** The lon/lat box the frame shows (to fetch the communes' outlines that fall in it). */
  bounds: { minLat: number; maxLat: number; minLon: number; maxLon: number };
}

/**
 * The frame that shows every position (room kept at the bottom for the scale bar), or null when there
 * is none. Positions closer than ~200 m are shown as if that far apart, so the map never zooms to a
 * street corner.
 */
export function frameMap(positions: readonly LatLon[]): MapFrame | null {
  if (positions.length === 0) return null;
  const lat0 = positions.reduce((a, p) => a + p.lat, 0) / positions.length;
  const cos = Math.cos((lat0 * Math.PI) / 180);
  const xs = positions.map((p) => p.lon * cos);
  const ys = positions.map((p) => p.lat);
  const minX = Math.min(...xs);
  const maxX = Math.max(...xs);
  const minY = Math.min(...ys);
  const maxY = Math.max(...ys);
  const spanX = Math.max(maxX - minX, 0.002);
  const spanY = Math.max(maxY - minY, 0.002);
  const k = Math.min((MAP_WIDTH - 2 * MARGIN) / spanX, (MAP_HEIGHT - 2 * MARGIN - 30) / spanY); // px per degree of latitude
  const cx = (minX + maxX) / 2;
  const cy = (minY + maxY) / 2;
  const metresPerPx = 111_320 / k;
  const scaleM = [...SCALES].reverse().find((m) => m / metresPerPx <= 160) ?? 50;
  return {
    project: (lat, lon) => ({
      x: Math.round((MAP_WIDTH / 2 + (lon * cos - cx) * k) * 10) / 10,
      y: Math.round((MAP_HEIGHT / 2 - 15 - (lat - cy) * k) * 10) / 10,
    }),
    scaleM,
    scalePx: Math.round(scaleM / metresPerPx),
    bounds: {
      minLon: (cx - MAP_WIDTH / 2 / k) / cos,
      maxLon: (cx + MAP_WIDTH / 2 / k) / cos,
      minLat: cy - (MAP_HEIGHT / 2 + 15) / k,
      maxLat: cy + (MAP_HEIGHT / 2 - 15) / k,
    },
  };
}
