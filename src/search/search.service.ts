import { type Actor, authorize } from '../accounts/policy.ts';
import type { CommuneOutline } from '../communes/basemap.tsx';
import { type CommuneSearch, searchCommunes } from '../communes/commune-search.ts';
import { communeOutlinesInBox, getReferencePoints } from '../communes/communes.service.ts';
import { type Commune, getCommune } from '../communes/communes.ts';
import type { Db } from '../db/database.ts';
import { listCurrentClosures, type Place } from '../places/places.service.ts';
import { publicDirectory, publicDirectoryVersion } from '../places/public-places.service.ts';
import { DomainError } from '../shared/domain-error.ts';
import { recordIndexReload } from '../shared/metrics.ts';
import { type PublicScope, scopeKey, WHOLE_DIRECTORY } from '../shared/territory.ts';
import { frameMap, type LatLon } from './map-frame.ts';
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

/** One index per database and public scope (in production, the configured one). */
const states = new WeakMap<Db, Map<string, IndexState>>();

async function loadIndex(db: Db, state: IndexState, scope: PublicScope): Promise<PlaceIndex> {
  state.loading ??= (async () => {
    const started = performance.now();
    try {
      const version = await publicDirectoryVersion(db);
      // Closures over before yesterday (UTC) are over everywhere; the index checks the rest by local date.
      const since = new Date(Date.now() - 86_400_000).toISOString().slice(0, 10);
      const closures = new Map<string, PlaceClosure[]>();
      for (const [id, list] of await listCurrentClosures(db, since))
        closures.set(
          id,
          list.map((c) => ({ startsOn: c.starts_on, endsOn: c.ends_on, reason: c.reason })),
        );
      // Only the places the public sees (docs/decisions/0025): the territory's border is reckoned here,
      // once per change of the directory, never per search.
      const { places } = await publicDirectory(db, scope, { version });
      const index = new PlaceIndex(places, closures);
      state.index = index;
      state.version = version;
      state.checkedAt = Date.now();
      recordIndexReload((performance.now() - started) / 1000);
      return index;
    } finally {
      state.loading = null;
    }
  })();
  return state.loading;
}

/**
 * The current index of a public scope (every place by default), reloaded when the directory or the
 * commune geometry changed since the last check.
 */
export async function currentIndex(db: Db, scope: PublicScope = WHOLE_DIRECTORY): Promise<PlaceIndex> {
  let byScope = states.get(db);
  if (!byScope) {
    byScope = new Map();
    states.set(db, byScope);
  }
  const key = scopeKey(scope);
  let state = byScope.get(key);
  if (!state) {
    state = { index: null, version: null, checkedAt: 0, loading: null };
    byScope.set(key, state);
  }
  if (!state.index) return loadIndex(db, state, scope);
  if (Date.now() - state.checkedAt >= REFRESH_MS) {
    state.checkedAt = Date.now();
    if ((await publicDirectoryVersion(db)) !== state.version) return loadIndex(db, state, scope);
  }
  return state.index;
}

/**
 * Resolves once the public index of a scope is loaded and current (loading it when it is not): the
 * readiness probe's check (docs/decisions/0046). Rejects when the database does not answer.
 */
export async function loadSearchIndex(db: Db, scope: PublicScope): Promise<void> {
  await currentIndex(db, scope);
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
      /** No result is ever farther than this from the person (docs/decisions/0025). */
      maxKm: number;
      /** The person's commune is outside the network's territory (the page says so). */
      outside: boolean;
    }
  | {
      kind: 'choose-commune';
      input: SearchInput;
      text: string;
      candidates: Commune[];
      /** How the candidates were found (commune-search.ts): "Quelle commune ?" or "Vouliez-vous dire … ?". */
      match: CommuneSearch['match'];
      /** A commune outside the territory whose position is unknown: no search from there, the network's phone. */
      outside: Commune | null;
    };

async function communeOrigin(db: Db, index: PlaceIndex, commune: Commune): Promise<SearchOrigin | null> {
  const [point] = await getReferencePoints(db, [commune.code]);
  if (point) return { label: commune.nom, lat: point.lat, lon: point.lon, commune };
  // No reference point loaded for this commune: the middle of its places, if it has any.
  const mid = index.centreOfCommune(commune.code);
  if (mid) return { label: commune.nom, ...mid, commune };
  return null;
}

function unknownPosition(commune: Commune): DomainError {
  return new DomainError(
    'not_found',
    `Nous ne connaissons pas encore la position de ${commune.nom}. Essayez une commune voisine ou appelez le réseau.`,
    { field: 'ou', value: commune.nom },
  );
}

/**
 * Finds places for a need near a place: nearest first, a page at a time. "Où ?" may be a commune name,
 * a postcode or an INSEE code; when it is ambiguous or misspelt the outcome lists communes to choose
 * from, the territory's first (docs/decisions/0034). A commune outside the territory whose position is
 * unknown is an outcome of its own, so that the page says so with the network's phone. Nothing matching is never a dead end: the nearest places come anyway, and when there are none
 * nearby the page gives the network's phone. With a public scope, only the places of the territory and
 * its margin, and none farther than its `searchMaxKm` from the person (docs/decisions/0025). Anybody
 * may search, signed in or not (docs/decisions/0023).
 */
export async function searchPlaces(
  db: Db,
  actor: Actor,
  input: SearchInput,
  options: { now?: Date; preferredCommunes?: ReadonlySet<string>; scope?: PublicScope } = {},
): Promise<SearchOutcome> {
  authorize(actor, 'searchPlaces');
  const scope = options.scope ?? WHOLE_DIRECTORY;
  const index = await currentIndex(db, scope);
  const now = options.now ?? new Date();
  const preferred = options.preferredCommunes;
  // Only a caller that names the territory (the pages) hears "outside the territory"; the API does not.
  const isOutside = (commune: Commune) => !!preferred && preferred.size > 0 && !preferred.has(commune.code);
  let origin: SearchOrigin | null = null;
  let commune: Commune | null = null;
  if (input.near) origin = { label: 'votre position', ...input.near, commune: null };
  else if (input.commune) {
    commune = getCommune(input.commune);
    if (!commune)
      throw new DomainError('not_found', `Aucune commune n'a le code ${input.commune}.`, {
        field: 'commune',
        value: input.commune,
      });
  } else if (input.where) {
    const found = searchCommunes(input.where, preferred);
    if (!found.exact)
      return {
        kind: 'choose-commune',
        input,
        text: input.where,
        candidates: found.candidates,
        match: found.match,
        outside: null,
      };
    commune = found.exact;
  }
  if (commune) {
    origin = await communeOrigin(db, index, commune);
    if (!origin && isOutside(commune))
      return {
        kind: 'choose-commune',
        input,
        text: input.where ?? commune.nom,
        candidates: [],
        match: 'none',
        outside: commune,
      };
    if (!origin) throw unknownPosition(commune);
  }
  const criteria = {
    need: input.need,
    service: input.service,
    origin: origin ? { lat: origin.lat, lon: origin.lon } : null,
    radiusKm: Math.min(input.radiusKm ?? Number.POSITIVE_INFINITY, scope.searchMaxKm),
    filters: input.filters,
    offset: input.offset,
    limit: input.limit,
  };
  const page = index.search(criteria, now);
  const nearestAnyway =
    page.hits.length === 0 && input.offset === 0
      ? index.search({ origin: criteria.origin, radiusKm: scope.searchMaxKm, offset: 0, limit: 5 }, now).hits
      : [];
  return {
    kind: 'results',
    input,
    origin,
    hits: page.hits,
    hasMore: page.hasMore,
    nearestAnyway,
    maxKm: scope.searchMaxKm,
    outside: commune !== null && isOutside(commune),
  };
}

/**
 * One place of the public directory from the index, with whether it is open now and its closures (the
 * same id as the pages and the API), or null when the index does not hold it (with a public scope: a
 * place outside the territory and its margin, docs/decisions/0025). Anybody may read it.
 */
export async function findIndexedPlace(
  db: Db,
  actor: Actor,
  input: { id: string },
  opts: { now?: Date; scope?: PublicScope } = {},
): Promise<{ place: Place; status: OpeningStatus; closures: PlaceClosure[] } | null> {
  authorize(actor, 'findIndexedPlace');
  const index = await currentIndex(db, opts.scope);
  const place = index.get(input.id);
  if (!place) return null;
  const now = opts.now ?? new Date();
  return {
    place,
    status: index.status(input.id, now) as OpeningStatus,
    closures: index.closures(input.id, now),
  };
}

/**
 * The communes drawn under a server-rendered map of these positions (results, referral sheet): the
 * outlines loaded for the box the map shows. Public data (IGN outlines, names): anyone may see them.
 */
export async function mapOutlines(
  db: Db,
  actor: Actor,
  positions: readonly LatLon[],
): Promise<CommuneOutline[]> {
  authorize(actor, 'mapOutlines');
  const frame = frameMap(positions);
  return frame ? communeOutlinesInBox(db, frame.bounds) : [];
}
