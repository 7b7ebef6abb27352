import { type Actor, authorize } from '../accounts/policy.ts';
import { searchCommunes } from '../communes/commune-search.ts';
import { getReferencePoints } from '../communes/communes.service.ts';
import { type Commune, getCommune } from '../communes/communes.ts';
import type { Db } from '../db/database.ts';
import { listAllPlaces, listCurrentClosures, type Place, placesVersion } from '../places/places.service.ts';
import { DomainError } from '../shared/domain-error.ts';
import type { OpeningStatus } from './opening.ts';
import { type PlaceClosure, PlaceIndex, type SearchHit } from './search.ts';
import type { SearchInput } from './search-query.ts';

/**
 * The public search over an in-memory index of the directory. The database stays the source of truth:
 * each app server checks the directory's version at most every REFRESH_MS on the next request and
 * reloads its index when another server (or the CLI) changed it, so changes reach every server within
 * a few seconds, whatever happened to any connection in between.
 */
export const REFRESH_MS = 2_000;

interface IndexState {
  index: PlaceIndex | null;
  version: string | null;
  checkedAt: number;
  loading: Promise<PlaceIndex> | null;
}

const states = new WeakMap<Db, IndexState>();

async function loadIndex(db: Db, state: IndexState): Promise<PlaceIndex> {
  state.loading ??= (async () => {
    try {
      const version = await placesVersion(db);
      // Closures over before yesterday (UTC) are over everywhere; the index checks the rest by local date.
      const since = new Date(Date.now() - 86_400_000).toISOString().slice(0, 10);
      const closures = new Map<string, PlaceClosure[]>();
      for (const [id, list] of await listCurrentClosures(db, since))
        closures.set(
          id,
          list.map((c) => ({ startsOn: c.starts_on, endsOn: c.ends_on, reason: c.reason })),
        );
      const index = new PlaceIndex(await listAllPlaces(db), closures);
      state.index = index;
      state.version = version;
      state.checkedAt = Date.now();
      return index;
    } finally {
      state.loading = null;
    }
  })();
  return state.loading;
}

/** The current index, reloaded when the directory changed since the last check. */
export async function currentIndex(db: Db): Promise<PlaceIndex> {
  let state = states.get(db);
  if (!state) {
    state = { index: null, version: null, checkedAt: 0, loading: null };
    states.set(db, state);
  }
  if (!state.index) return loadIndex(db, state);
  if (Date.now() - state.checkedAt >= REFRESH_MS) {
    state.checkedAt = Date.now();
    if ((await placesVersion(db)) !== state.version) return loadIndex(db, state);
  }
  return state.index;
}

export interface SearchOrigin {
  label: string;
  lat: number;
  lon: number;
  commune: Commune | null;
}

export type SearchOutcome =
  | {
      kind: 'results';
      input: SearchInput;
      origin: SearchOrigin | null;
      hits: SearchHit[];
      hasMore: boolean;
      /** When nothing matched: the nearest places anyway (without need nor filters). */
      nearestAnyway: SearchHit[];
    }
  | { kind: 'choose-commune'; input: SearchInput; text: string; candidates: Commune[] };

async function communeOrigin(db: Db, index: PlaceIndex, commune: Commune): Promise<SearchOrigin> {
  const [point] = await getReferencePoints(db, [commune.code]);
  if (point) return { label: commune.nom, lat: point.lat, lon: point.lon, commune };
  // No reference point loaded for this commune: the middle of its places, if it has any.
  const mid = index.centreOfCommune(commune.code);
  if (mid) return { label: commune.nom, ...mid, commune };
  throw new DomainError(
    'not_found',
    `Nous ne connaissons pas encore la position de ${commune.nom}. Essayez une commune voisine ou appelez le réseau.`,
    { field: 'ou', value: commune.nom },
  );
}

/**
 * Finds places for a need near a place: nearest first, a page at a time. "Où ?" may be a commune name,
 * a postcode or an INSEE code; when it is ambiguous or misspelt the outcome lists communes to choose
 * from. Nothing matching is never a dead end: the nearest places come anyway. Anybody may search, signed
 * in or not (docs/decisions/0023).
 */
export async function searchPlaces(
  db: Db,
  actor: Actor,
  input: SearchInput,
  options: { now?: Date; preferredCommunes?: ReadonlySet<string> } = {},
): Promise<SearchOutcome> {
  authorize(actor, 'searchPlaces');
  const index = await currentIndex(db);
  const now = options.now ?? new Date();
  let origin: SearchOrigin | null = null;
  if (input.near) origin = { label: 'votre position', ...input.near, commune: null };
  else if (input.commune) {
    const commune = getCommune(input.commune);
    if (!commune)
      throw new DomainError('not_found', `Aucune commune n'a le code ${input.commune}.`, {
        field: 'commune',
        value: input.commune,
      });
    origin = await communeOrigin(db, index, commune);
  } else if (input.where) {
    const found = searchCommunes(input.where, options.preferredCommunes);
    if (!found.exact)
      return { kind: 'choose-commune', input, text: input.where, candidates: found.candidates };
    origin = await communeOrigin(db, index, found.exact);
  }
  const criteria = {
    need: input.need,
    service: input.service,
    origin: origin ? { lat: origin.lat, lon: origin.lon } : null,
    radiusKm: input.radiusKm,
    filters: input.filters,
    offset: input.offset,
    limit: input.limit,
  };
  const page = index.search(criteria, now);
  const nearestAnyway =
    page.hits.length === 0 && input.offset === 0
      ? index.search({ origin: criteria.origin, offset: 0, limit: 5 }, now).hits
      : [];
  return { kind: 'results', input, origin, hits: page.hits, hasMore: page.hasMore, nearestAnyway };
}

/**
 * One place of the public directory from the index, with whether it is open now and its closures (the
 * same id as the pages and the API), or null when the index does not hold it. Anybody may read it.
 */
export async function findIndexedPlace(
  db: Db,
  actor: Actor,
  input: { id: string },
  opts: { now?: Date } = {},
): Promise<{ place: Place; status: OpeningStatus; closures: PlaceClosure[] } | null> {
  authorize(actor, 'findIndexedPlace');
  const index = await currentIndex(db);
  const place = index.get(input.id);
  if (!place) return null;
  const now = opts.now ?? new Date();
  return {
    place,
    status: index.status(input.id, now) as OpeningStatus,
    closures: index.closures(input.id, now),
  };
}
