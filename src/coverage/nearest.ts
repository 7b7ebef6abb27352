import { around, distance } from 'geokdbush';
import KDBush from 'kdbush';

/** The nearest place of each point on the sphere, through a k-d tree (kdbush + geokdbush). Pure. */

export function greatCircleKm(a: { lat: number; lon: number }, b: { lat: number; lon: number }): number {
  return distance(a.lon, a.lat, b.lon, b.lat);
}

export interface Point {
  lat: number;
  lon: number;
}

/** Told how far a long loop has gone (a progress bar on the command line). */
export type Progress = (done: number, total: number) => void;

export interface Nearest {
  /** Index in the places array, -1 when there is no place at all. */
  place: Int32Array;
  km: Float64Array;
}

export function indexPoints(points: readonly Point[]): KDBush {
  const index = new KDBush(Math.max(points.length, 1));
  for (const p of points) index.add(p.lon, p.lat);
  if (points.length === 0) index.add(0, 0);
  index.finish();
  return index;
}

/** The nearest place of each point, on the sphere, through a k-d tree (geokdbush). */
export function nearestPlaces(
  points: readonly Point[],
  places: readonly Point[],
  onProgress?: Progress,
): Nearest {
  const place = new Int32Array(points.length).fill(-1);
  const km = new Float64Array(points.length).fill(Number.POSITIVE_INFINITY);
  if (places.length === 0) return { place, km };
  const index = indexPoints(places);
  for (let i = 0; i < points.length; i++) {
    if (onProgress && i % 1024 === 0) onProgress(i, points.length);
    const p = points[i] as Point;
    const found = around(index, p.lon, p.lat, 1)[0];
    if (found === undefined) continue;
    const q = places[found] as Point;
    place[i] = found;
    km[i] = distance(p.lon, p.lat, q.lon, q.lat);
  }
  onProgress?.(points.length, points.length);
  return { place, km };
}

/** The same answer by looking at every place: the baseline of the benchmark and of the tests. */
export function bruteForceNearest(points: readonly Point[], places: readonly Point[]): Nearest {
  const place = new Int32Array(points.length).fill(-1);
  const km = new Float64Array(points.length).fill(Number.POSITIVE_INFINITY);
  for (let i = 0; i < points.length; i++) {
    const p = points[i] as Point;
    for (let j = 0; j < places.length; j++) {
      const q = places[j] as Point;
      const d = distance(p.lon, p.lat, q.lon, q.lat);
      if (d < (km[i] as number)) {
        km[i] = d;
        place[i] = j;
      }
    }
  }
  return { place, km };
}
