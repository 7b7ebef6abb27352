import { around } from 'geokdbush';
import KDBush from 'kdbush';
import type { Place } from '../places/places.ts';
import type { Need } from './needs.ts';
import { compileOpeningHours, type OpeningStatus, regionOf, Schedule, wallClock } from './opening.ts';

/** A temporary closure of a place (both days included, its local dates), with its public reason. */
export interface PlaceClosure {
  startsOn: string;
  endsOn: string;
  reason: string | null;
}

/**
 * The in-memory search index: every place with its position in a k-d tree on the sphere, its hours
 * compiled once, and the filters of the public search. Pure: the service keeps it fresh.
 */
export interface SearchFilters {
  openNow?: boolean;
  saturday?: boolean;
  free?: boolean;
  publics?: string[];
  /** Values of `prise_en_charge_specifique` (handicaps, languages, illiteracy). */
  support?: string[];
  accompaniment?: string[];
}

export interface SearchCriteria {
  need?: Need | null;
  /** One of the 9 national services (instead of, or with, a need). */
  service?: string | null;
  origin?: { lat: number; lon: number } | null;
  radiusKm?: number | null;
  /** Only places of these communes (INSEE codes). */
  communeCodes?: string[] | null;
  filters?: SearchFilters;
  offset: number;
  limit: number;
}

export interface SearchHit extends OpeningStatus {
  place: Place;
  /** Great-circle distance from the origin in metres; null without an origin or a position. */
  distanceM: number | null;
  itinerant: boolean;
  /** Temporary closures running or to come, soonest first. */
  closures: PlaceClosure[];
}

export interface SearchPage {
  hits: SearchHit[];
  /** Whether more results follow this page. */
  hasMore: boolean;
}

interface Entry {
  place: Place;
  schedule: Schedule;
  services: Set<string>;
  closures: PlaceClosure[];
}

/** The wall clock's date as 'YYYY-MM-DD'. */
function wallDate(wall: Date): string {
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${wall.getFullYear()}-${pad(wall.getMonth() + 1)}-${pad(wall.getDate())}`;
}

function closuresFrom(e: Entry, wall: Date): PlaceClosure[] {
  if (e.closures.length === 0) return e.closures;
  const today = wallDate(wall);
  return e.closures.filter((c) => c.endsOn >= today);
}

const RAD = Math.PI / 180;
const EARTH_RADIUS_KM = 6371;

/**
 * Great-circle kilometres, the very arithmetic of geokdbush's distance() (haversine, R = 6,371 km), so
 * the very same numbers, with the cosine of both latitudes given: the place's is computed once per index
 * and the origin's once per search. Measured under bench:search, computing it again for each of the 21
 * places of an answer was a fifth of the search.
 */
function haversineKm(
  lon1: number,
  lat1: number,
  cosLat1: number,
  lon2: number,
  lat2: number,
  cosLat2: number,
) {
  const sinHalfDLon = Math.sin(((lon1 - lon2) * RAD) / 2);
  const sinHalfDLat = Math.sin(((lat1 - lat2) * RAD) / 2);
  const h = cosLat1 * cosLat2 * (sinHalfDLon * sinHalfDLon) + sinHalfDLat * sinHalfDLat;
  return 2 * EARTH_RADIUS_KM * Math.asin(Math.sqrt(h));
}

/** Great-circle kilometres between two positions (the search's own arithmetic, for one pair). */
export function straightLineKm(a: { lat: number; lon: number }, b: { lat: number; lon: number }): number {
  return haversineKm(a.lon, a.lat, Math.cos(a.lat * RAD), b.lon, b.lat, Math.cos(b.lat * RAD));
}

/** Wall clocks of one instant, computed once per time zone (Intl formatting is slow). */
function wallClocks(now: Date): (timeZone: string) => Date {
  const cache = new Map<string, Date>();
  return (timeZone) => {
    let wall = cache.get(timeZone);
    if (!wall) {
      wall = wallClock(now, timeZone);
      cache.set(timeZone, wall);
    }
    return wall;
  };
}

export class PlaceIndex {
  readonly size: number;
  readonly #entries: Entry[];
  readonly #byId: Map<string, Entry>;
  /** Entries with a position, in k-d tree order. */
  readonly #located: Entry[];
  /** Their longitude, latitude and cosine of latitude, by the same index. */
  readonly #lon: Float64Array;
  readonly #lat: Float64Array;
  readonly #cosLat: Float64Array;
  /** Which located places offer a service or answer a need (by `service:` or `need:` key), built on demand. */
  readonly #masks = new Map<string, Uint8Array>();
  readonly #tree: KDBush | null;
  readonly #byName: Entry[];

  /** `closures`: temporary closures by place id (approved ones, not over), used by "open now". */
  constructor(places: readonly Place[], closures: ReadonlyMap<string, readonly PlaceClosure[]> = new Map()) {
    this.#entries = places.map((place) => {
      const region = regionOf(place.codeInsee, place.codePostal);
      const own = [...(closures.get(place.id) ?? [])].sort((a, b) => a.startsOn.localeCompare(b.startsOn));
      return {
        place,
        schedule: new Schedule(
          place.horaires ? compileOpeningHours(place.horaires, region) : null,
          region.timeZone,
          own,
        ),
        services: new Set(place.services),
        closures: own,
      };
    });
    this.size = this.#entries.length;
    this.#byId = new Map(this.#entries.map((e) => [e.place.id, e]));
    this.#located = this.#entries.filter((e) => e.place.latitude !== null && e.place.longitude !== null);
    this.#lon = Float64Array.from(this.#located, (e) => e.place.longitude as number);
    this.#lat = Float64Array.from(this.#located, (e) => e.place.latitude as number);
    this.#cosLat = this.#lat.map((lat) => Math.cos(lat * RAD));
    if (this.#located.length > 0) {
      // Small leaves: the k-nearest walk tests every point of each leaf it opens against the filters.
      const tree = new KDBush(this.#located.length, 16);
      for (const e of this.#located) tree.add(e.place.longitude as number, e.place.latitude as number);
      tree.finish();
      this.#tree = tree;
    } else this.#tree = null;
    const collator = new Intl.Collator('fr', { sensitivity: 'base' });
    this.#byName = [...this.#entries].sort((a, b) => collator.compare(a.place.nom, b.place.nom));
  }

  get(id: string): Place | null {
    return this.#byId.get(id)?.place ?? null;
  }

  /** The mean position of a commune's places (when the commune has no reference point). */
  centreOfCommune(code: string): { lat: number; lon: number } | null {
    let lat = 0;
    let lon = 0;
    let n = 0;
    for (const e of this.#located) {
      if (e.place.codeInsee !== code) continue;
      lat += e.place.latitude as number;
      lon += e.place.longitude as number;
      n++;
    }
    return n ? { lat: lat / n, lon: lon / n } : null;
  }

  status(id: string, now: Date): OpeningStatus | null {
    const e = this.#byId.get(id);
    return e ? e.schedule.status(wallClock(now, e.schedule.timeZone)) : null;
  }

  /** A place's temporary closures running or to come where it is, soonest first. */
  closures(id: string, now: Date): PlaceClosure[] {
    const e = this.#byId.get(id);
    return e ? closuresFrom(e, wallClock(now, e.schedule.timeZone)) : [];
  }

  /** Places matching the criteria: nearest first with an origin, by name otherwise. */
  search(criteria: SearchCriteria, now: Date): SearchPage {
    const wall = wallClocks(now);
    const wanted = criteria.offset + criteria.limit + 1;
    let ordered: { entry: Entry; distanceM: number | null }[];
    if (criteria.origin && this.#tree) {
      const { lat, lon } = criteria.origin;
      const mask = this.#maskFor(criteria);
      // The service and the need are in the mask: each candidate is checked only for other filters.
      const keep = this.#hasOtherFilters(criteria) ? this.#matcher(criteria, wall) : null;
      const ids = around(
        this.#tree,
        lon,
        lat,
        wanted,
        criteria.radiusKm ?? Number.POSITIVE_INFINITY,
        (i: number) => (mask === null || mask[i] === 1) && (keep === null || keep(this.#located[i] as Entry)),
      ) as number[];
      const cosLat = Math.cos(lat * RAD);
      const lons = this.#lon;
      const lats = this.#lat;
      const cosLats = this.#cosLat;
      ordered = ids.map((i) => ({
        entry: this.#located[i] as Entry,
        distanceM: Math.round(
          haversineKm(lon, lat, cosLat, lons[i] as number, lats[i] as number, cosLats[i] as number) * 1000,
        ),
      }));
    } else {
      ordered = [];
      const keep = this.#matcher(criteria, wall);
      for (const entry of this.#byName) {
        if (criteria.origin) break; // an origin but no located place: nothing can be "near"
        if (keep(entry)) ordered.push({ entry, distanceM: null });
        if (ordered.length >= wanted) break;
      }
    }
    const page = ordered.slice(criteria.offset, criteria.offset + criteria.limit);
    return {
      hasMore: ordered.length > criteria.offset + criteria.limit,
      hits: page.map(({ entry, distanceM }): SearchHit => {
        const wallNow = wall(entry.schedule.timeZone);
        // Fields copied one by one: a spread of the status costs more than the rest of the hit.
        const status = entry.schedule.status(wallNow);
        return {
          place: entry.place,
          distanceM,
          itinerant: entry.place.itinerance.includes('Itinérant'),
          closures: closuresFrom(entry, wallNow),
          openNow: status.openNow,
          today: status.today,
          nextOpening: status.nextOpening,
          saturday: status.saturday,
          next: status.next ?? null,
          closesAt: status.closesAt ?? null,
        };
      }),
    };
  }

  /**
   * The located places that pass the service and need filters, as one byte per place, computed once per
   * service or need for this index (the common filters of the public search and the API).
   */
  #maskFor(criteria: SearchCriteria): Uint8Array | null {
    const service = criteria.service ?? null;
    const need = criteria.need ?? null;
    if (!service && !need) return null;
    const key = `${service ?? ''}\u0000${need?.slug ?? ''}`;
    let mask = this.#masks.get(key);
    if (!mask) {
      const only = this.#matcher({ service, need, offset: 0, limit: 0 }, () => new Date(0));
      mask = new Uint8Array(this.#located.length);
      this.#located.forEach((e, i) => {
        if (only(e)) (mask as Uint8Array)[i] = 1;
      });
      this.#masks.set(key, mask);
    }
    return mask;
  }

  /** Whether filters other than the service and the need apply (then each candidate is checked). */
  #hasOtherFilters(criteria: SearchCriteria): boolean {
    if (criteria.communeCodes) return true;
    const f = criteria.filters ?? {};
    return Object.values(f).some((v) => (Array.isArray(v) ? v.length > 0 : Boolean(v)));
  }

  #matcher(criteria: SearchCriteria, wall: (timeZone: string) => Date): (e: Entry) => boolean {
    const f = criteria.filters ?? {};
    const need = criteria.need ?? null;
    const service = criteria.service ?? null;
    const communes = criteria.communeCodes ? new Set(criteria.communeCodes) : null;
    const includesAll = (values: string[], wanted?: string[]) =>
      !wanted?.length || wanted.every((w) => values.includes(w));
    return (e) => {
      const p = e.place;
      if (service && !e.services.has(service)) return false;
      if (need) {
        const byService = need.services.some((s) => e.services.has(s));
        const byProgramme =
          need.programmes?.some((d) => p.dispositifProgrammesNationaux.includes(d)) ?? false;
        const byKind = need.typologies?.some((t) => p.typologie.includes(t)) ?? false;
        if (!byService && !byProgramme && !byKind) return false;
      }
      if (communes && !(p.codeInsee && communes.has(p.codeInsee))) return false;
      if (f.free && !p.fraisACharge.some((v) => v === 'Gratuit' || v === 'Gratuit sous condition'))
        return false;
      if (!includesAll(p.publicsSpecifiquementAdresses, f.publics)) return false;
      if (!includesAll(p.priseEnChargeSpecifique, f.support)) return false;
      if (!includesAll(p.modalitesAccompagnement, f.accompaniment)) return false;
      if (f.openNow && e.schedule.openAt(wall(e.schedule.timeZone)) !== true) return false;
      if (f.saturday && e.schedule.status(wall(e.schedule.timeZone)).saturday !== true) return false;
      return true;
    };
  }
}
