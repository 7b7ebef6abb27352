import { type Actor, authorize } from '../accounts/policy.ts';
import { communeGeometryVersion, loadTerritoryShape } from '../communes/communes.service.ts';
import type { TerritoryShape } from '../communes/territory-shape.ts';
import type { Db } from '../db/database.ts';
import { DomainError } from '../shared/domain-error.ts';
import { isUuid } from '../shared/ids.ts';
import { type PublicScope, scopeKey } from '../shared/territory.ts';
import { directoryVersion, findPlaceById, listPlaces, type PlaceRow } from './places.repository.ts';
import type { Place } from './places.ts';

/**
 * The part of the directory the public sees (docs/decisions/0025): the places of the territory and those
 * within its margin, computed once per change of the directory or of the commune geometry, never per
 * request. Coverage and the coordinators' tools still see every place.
 */

/** Directory changes reach every server within this delay (as the search index, search.service.ts). */
const REFRESH_MS = 2_000;

export interface OutsidePlace {
  place: Place;
  /** Kilometres to the territory's border; null when unknown (no position, no geometry loaded). */
  km: number | null;
  /** Whether the public still sees it (within the margin). */
  kept: boolean;
}

export interface PublicDirectory {
  version: string;
  shape: TerritoryShape;
  /** The places the public sees, by name. */
  places: Place[];
  /** Places outside the territory, the hidden ones first, then by distance (farthest first). */
  outside: OutsidePlace[];
}

interface CacheEntry {
  directory: PublicDirectory | null;
  checkedAt: number;
  /** The build under way, and the version it is for (callers asking for the same one share it). */
  loading: { version: string; promise: Promise<PublicDirectory> } | null;
}

/** A stored row as the domain's place. */
export function toPlace(row: PlaceRow): Place {
  return {
    id: row.id,
    source: row.source,
    updatedAt: row.updated_at,
    sourceId: row.source_id,
    pivot: row.pivot,
    nom: row.nom,
    commune: row.commune,
    codePostal: row.code_postal,
    codeInsee: row.code_insee,
    adresse: row.adresse,
    complementAdresse: row.complement_adresse,
    latitude: row.latitude,
    longitude: row.longitude,
    positionApproximate: row.position_approximate,
    typologie: row.typologie,
    telephone: row.telephone,
    courriels: row.courriels,
    siteWeb: row.site_web,
    horaires: row.horaires,
    presentationResume: row.presentation_resume,
    presentationDetail: row.presentation_detail,
    itinerance: row.itinerance,
    structureParente: row.structure_parente,
    dateMaj: row.date_maj,
    services: row.services,
    publicsSpecifiquementAdresses: row.publics_specifiquement_adresses,
    priseEnChargeSpecifique: row.prise_en_charge_specifique,
    fraisACharge: row.frais_a_charge,
    dispositifProgrammesNationaux: row.dispositif_programmes_nationaux,
    formationsLabels: row.formations_labels,
    autresFormationsLabels: row.autres_formations_labels,
    modalitesAcces: row.modalites_acces,
    modalitesAccompagnement: row.modalites_accompagnement,
    ficheAccesLibre: row.fiche_acces_libre,
    priseRdv: row.prise_rdv,
  };
}

const caches = new WeakMap<Db, Map<string, CacheEntry>>();

/**
 * The version of what the public directory is built on: the places (count, last change, merges,
 * closures) and the commune geometry (the border).
 */
export async function publicDirectoryVersion(db: Db): Promise<string> {
  const [places, geometry] = await Promise.all([directoryVersion(db), communeGeometryVersion(db)]);
  return `${places}#${geometry}`;
}

async function build(db: Db, scope: PublicScope, version: string): Promise<PublicDirectory> {
  const [rows, shape] = await Promise.all([listPlaces(db), loadTerritoryShape(db, scope)]);
  const places: Place[] = [];
  const outside: OutsidePlace[] = [];
  for (const row of rows) {
    const place = toPlace(row);
    const at = shape.placement(place);
    if (at.inside) places.push(place);
    else {
      outside.push({ place, km: at.km, kept: at.kept });
      if (at.kept) places.push(place);
    }
  }
  outside.sort((a, b) =>
    a.kept !== b.kept
      ? a.kept
        ? 1
        : -1
      : (b.km ?? Number.POSITIVE_INFINITY) - (a.km ?? Number.POSITIVE_INFINITY),
  );
  return { version, shape, places, outside };
}

/**
 * The public directory of a scope. With `version` (the caller has just read it), it is built for that
 * version unless already so; without, the version is checked at most every REFRESH_MS.
 */
export async function publicDirectory(
  db: Db,
  scope: PublicScope,
  opts: { version?: string } = {},
): Promise<PublicDirectory> {
  let byScope = caches.get(db);
  if (!byScope) {
    byScope = new Map();
    caches.set(db, byScope);
  }
  const key = scopeKey(scope);
  let entry = byScope.get(key);
  if (!entry) {
    entry = { directory: null, checkedAt: 0, loading: null };
    byScope.set(key, entry);
  }
  const current = entry.directory;
  if (current && opts.version === current.version) return current;
  if (current && opts.version === undefined && Date.now() - entry.checkedAt < REFRESH_MS) return current;
  const version = opts.version ?? (await publicDirectoryVersion(db));
  entry.checkedAt = Date.now();
  if (current && current.version === version) return current;
  const state = entry;
  if (state.loading?.version !== version) {
    const loading = {
      version,
      promise: build(db, scope, version).finally(() => {
        if (state.loading === loading) state.loading = null;
      }),
    };
    state.loading = loading;
  }
  const built = await state.loading.promise;
  state.directory = built;
  return built;
}

/**
 * One place as its public page shows it: unknown or malformed id is `not_found`, and so is a place
 * outside the territory and its margin (docs/decisions/0025: a link to it from elsewhere leads nowhere
 * public). Anybody may read it.
 */
export async function getPublicPlace(
  db: Db,
  actor: Actor,
  input: { placeId: string; scope: PublicScope },
): Promise<Place> {
  authorize(actor, 'getPublicPlace');
  const id = input.placeId.toLowerCase();
  const row = isUuid(id) ? await findPlaceById(db, id) : undefined;
  if (!row) throw new DomainError('not_found', "Ce lieu n'existe pas ou a été retiré de l'annuaire.", { id });
  const place = toPlace(row);
  const { shape } = await publicDirectory(db, input.scope);
  if (!shape.keeps(place))
    throw new DomainError(
      'not_found',
      `Ce lieu est hors du territoire de ce réseau (${shape.label}) : il n'est pas affiché ici.`,
      { id },
    );
  return place;
}
