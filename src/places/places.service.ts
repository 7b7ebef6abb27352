import { type Actor, authorize } from '../accounts/policy.ts';
import { resolveTerritory } from '../communes/communes.ts';
import type { Db } from '../db/database.ts';
import { DomainError } from '../shared/domain-error.ts';
import { isUuid } from '../shared/ids.ts';
import type { PublicScope, Territory } from '../shared/territory.ts';
import type { ClosureValue } from './place-edit.ts';
import { isNationalSource } from './place-origin.ts';
import {
  countPlaces,
  deletePlacesBySource,
  directoryVersion,
  findPlaceById,
  findPlacesByWords,
  insertOnePlace,
  listClosuresFrom,
  listClosuresOf,
  listNationalSources,
  listPlaces,
  listPlacesOfStructures,
  listQualityPlaces,
  type PlaceInsert,
  type PlaceRow,
  qualityCounts,
  replaceClosuresFrom,
  setPlaceStructure,
  updatePlaceColumns,
  warningsByField,
} from './places.repository.ts';
import { type Place, type PlaceData, placeContentHash, placeToSchemaRow, type SchemaRow } from './places.ts';
import { serializePlacesCsv, serializePlacesJson } from './places-file.ts';
import { type OutsidePlace, publicDirectory, toPlace } from './public-places.service.ts';

/**
 * The directory of places, read: one place, the list by pages, the export in the national schema, the
 * data-quality view, the closures; and writing an approved change. Imports are in
 * places-import.service.ts, their history and the merges in places-history.service.ts.
 */

/** A stored place (defined in places.ts, so that pure modules can name it without a service). */
export type { Place };

/** A place as the repository writes it (imports and approved changes), with its content hash. */
export function toInsert(source: string, place: PlaceData, hash: string): PlaceInsert {
  return {
    source,
    source_id: place.sourceId,
    pivot: place.pivot,
    nom: place.nom,
    commune: place.commune,
    code_postal: place.codePostal,
    code_insee: place.codeInsee,
    adresse: place.adresse,
    complement_adresse: place.complementAdresse,
    latitude: place.latitude,
    longitude: place.longitude,
    position_approximate: place.positionApproximate,
    typologie: place.typologie,
    telephone: place.telephone,
    courriels: place.courriels,
    site_web: place.siteWeb,
    horaires: place.horaires,
    presentation_resume: place.presentationResume,
    presentation_detail: place.presentationDetail,
    itinerance: place.itinerance,
    structure_parente: place.structureParente,
    date_maj: place.dateMaj,
    services: place.services,
    publics_specifiquement_adresses: place.publicsSpecifiquementAdresses,
    prise_en_charge_specifique: place.priseEnChargeSpecifique,
    frais_a_charge: place.fraisACharge,
    dispositif_programmes_nationaux: place.dispositifProgrammesNationaux,
    formations_labels: place.formationsLabels,
    autres_formations_labels: place.autresFormationsLabels,
    modalites_acces: place.modalitesAcces,
    modalites_accompagnement: place.modalitesAccompagnement,
    fiche_acces_libre: place.ficheAccesLibre,
    prise_rdv: place.priseRdv,
    content_hash: hash,
  };
}

export interface DataQuality {
  total: number;
  withoutHours: { count: number; places: Place[] };
  approximate: { count: number; places: Place[] };
  stale: { count: number; places: Place[]; before: string };
  warningsByField: { field: string | null; warnings: number; imports: number }[];
  lastImports: number;
  /**
   * Places outside the territory (docs/decisions/0025): how many, how many of them the public does not
   * see (beyond the margin), the first ones (hidden first, farthest first). Null without a scope.
   */
  outside: {
    count: number;
    hidden: number;
    places: OutsidePlace[];
    territory: string;
    marginKm: number;
  } | null;
}

const QUALITY_LIST_LIMIT = 50;
const QUALITY_LAST_IMPORTS = 10;

/**
 * The coordinator's data-quality view: places without hours, with an approximate position, or whose
 * date_maj is missing or over 12 months old (merged duplicates hidden), and the warnings of the last
 * imports grouped by field.
 */
export async function getDataQuality(
  db: Db,
  now: Date = new Date(),
  scope: PublicScope | null = null,
): Promise<DataQuality> {
  const limit = new Date(now);
  limit.setUTCFullYear(limit.getUTCFullYear() - 1);
  const before = limit.toISOString().slice(0, 10);
  const [counts, withoutHours, approximate, stale, byField] = await Promise.all([
    qualityCounts(db, before),
    listQualityPlaces(db, 'without_hours', before, QUALITY_LIST_LIMIT),
    listQualityPlaces(db, 'approximate', before, QUALITY_LIST_LIMIT),
    listQualityPlaces(db, 'stale', before, QUALITY_LIST_LIMIT),
    warningsByField(db, QUALITY_LAST_IMPORTS),
  ]);
  const directory = scope ? await publicDirectory(db, scope) : null;
  return {
    total: counts.total,
    withoutHours: { count: counts.without_hours, places: withoutHours.map(toPlace) },
    approximate: { count: counts.approximate, places: approximate.map(toPlace) },
    stale: { count: counts.stale, places: stale.map(toPlace), before },
    warningsByField: byField,
    lastImports: QUALITY_LAST_IMPORTS,
    outside: directory
      ? {
          count: directory.outside.length,
          hidden: directory.outside.filter((o) => !o.kept).length,
          places: directory.outside.slice(0, QUALITY_LIST_LIMIT),
          territory: directory.shape.label,
          marginKm: directory.shape.marginKm,
        }
      : null,
  };
}

/** Ids of exported rows must be unique: a source id repeated by two sources is qualified by its source. */
function exportIds(places: Place[]): string[] {
  const seen = new Map<string, number>();
  for (const p of places) seen.set(p.sourceId, (seen.get(p.sourceId) ?? 0) + 1);
  return places.map((p) => ((seen.get(p.sourceId) ?? 0) > 1 ? `${p.source}:${p.sourceId}` : p.sourceId));
}

export type ExportFormat = 'csv' | 'csv-excel' | 'json';

async function placesOfTerritory(
  db: Db,
  territory: Territory | null,
  scope: PublicScope | null,
): Promise<Place[]> {
  let places: Place[];
  if (!territory) places = (await listPlaces(db)).map(toPlace);
  else {
    const resolved = resolveTerritory(territory);
    const rows = await listPlaces(db, {
      communeCodes: resolved.communes.map((c) => c.code),
      postcodes: [...new Set(resolved.communes.flatMap((c) => c.codesPostaux))],
    });
    places = rows.map(toPlace);
  }
  if (!scope) return places;
  const { shape } = await publicDirectory(db, scope);
  // The network publishes what it holds the truth of: never a place read back from a national system,
  // marked so when its file was imported (decision 0055), or named like a national producer (0054).
  const national = await listNationalSources(db);
  return places.filter((p) => shape.keeps(p) && !national.has(p.source) && !isNationalSource(p.source));
}

/** A place as an export writes it: its record (date_maj filled) and its id, unique in the file. */
export interface ExportedPlace {
  place: Place;
  exportId: string;
}

/** The places of an export and their ids, in the export's order (see exportPlaces). */
async function exportedPlaces(
  db: Db,
  territory: Territory | null,
  scope: PublicScope | null,
): Promise<ExportedPlace[]> {
  const places = await placesOfTerritory(db, territory, scope);
  const ids = exportIds(places);
  // date_maj is required by the schema: a record whose publisher gave none (or an absurd one) is exported
  // with the date our copy was last updated (docs/decisions/0005).
  return places.map((p, i) => ({
    place: { ...p, dateMaj: p.dateMaj ?? p.updatedAt.toISOString().slice(0, 10) },
    exportId: ids[i] ?? p.sourceId,
  }));
}

/**
 * Exports the directory (or one territory's part of it) exactly in the national schema v1.0.2: CSV
 * with the schema's field order and `|` inside multi-valued fields, or JSON; `csv-excel` is the same
 * CSV with `;` and a BOM for French Excel. Open data: anyone may download it. With a public scope (the
 * site's export), only the places the public sees whose record of truth is the network's: its territory
 * and its margin, not another region's file it imported (docs/decisions/0025), nor the places read back
 * from a national system (docs/decisions/0054); the command line exports everything.
 */
export async function exportPlaces(
  db: Db,
  actor: Actor,
  {
    format,
    territory = null,
    scope = null,
  }: { format: ExportFormat; territory?: Territory | null; scope?: PublicScope | null },
): Promise<string> {
  authorize(actor, 'exportPlaces');
  const rows: SchemaRow[] = (await exportedPlaces(db, territory, scope)).map(({ place, exportId }) =>
    placeToSchemaRow(place, exportId, place.source),
  );
  if (format === 'json') return serializePlacesJson(rows);
  return serializePlacesCsv(rows, { excel: format === 'csv-excel' });
}

/**
 * The places the network publishes (the publication files, docs/decisions/0054): exactly those of the
 * site's export (`exportPlaces` with the public scope), with the same ids, so that every file names a
 * place the same way. Open data: anyone may read them.
 */
export async function listExportedPlaces(
  db: Db,
  actor: Actor,
  { scope }: { scope: PublicScope },
): Promise<ExportedPlace[]> {
  authorize(actor, 'exportPlaces');
  return exportedPlaces(db, null, scope);
}

/**
 * Lists places by name, a page at a time: the public directory, open to anyone. With a public scope,
 * only the places of the territory and its margin (docs/decisions/0025).
 */
export async function listPlacesPage(
  db: Db,
  actor: Actor,
  page: { limit: number; offset: number; scope?: PublicScope },
): Promise<{ places: Place[]; total: number }> {
  authorize(actor, 'listPlacesPage');
  if (page.scope) {
    const { places } = await publicDirectory(db, page.scope);
    return { places: places.slice(page.offset, page.offset + page.limit), total: places.length };
  }
  const [rows, total] = await Promise.all([listPlaces(db, {}, page), countPlaces(db)]);
  return { places: rows.map(toPlace), total };
}

/** The stored row of a place by our stable id; an unknown or malformed id is `not_found`. */
async function findPlaceRow(db: Db, id: string): Promise<PlaceRow> {
  const row = isUuid(id) ? await findPlaceById(db, id.toLowerCase()) : undefined;
  if (!row) throw new DomainError('not_found', "Ce lieu n'existe pas ou a été retiré de l'annuaire.", { id });
  return row;
}

/** One place by our stable id, as its public sheet shows it to anyone; unknown or malformed: `not_found`. */
export async function getPlace(db: Db, actor: Actor, { placeId }: { placeId: string }): Promise<Place> {
  authorize(actor, 'getPlace');
  return toPlace(await findPlaceRow(db, placeId));
}

export const DEMO_SOURCE = 'demo';
/** The demonstration's second publisher, whose places show a merge applied and one proposed. */
export const DEMO_PARTNER_SOURCE = 'demo-cartographie';

/** Whether demonstration places are in the directory: every page says so, to anyone. */
export async function hasDemoPlaces(db: Db, actor: Actor): Promise<boolean> {
  authorize(actor, 'hasDemoPlaces');
  return (await countPlaces(db, { source: DEMO_SOURCE })) > 0;
}

/**
 * How many places the directory holds, as the public home page says: with a public scope, those of the
 * territory and its margin (docs/decisions/0025).
 */
export async function countAllPlaces(
  db: Db,
  actor: Actor,
  input: { scope?: PublicScope } = {},
): Promise<number> {
  authorize(actor, 'countAllPlaces');
  if (input.scope) return (await publicDirectory(db, input.scope)).places.length;
  return countPlaces(db);
}

/** Deletes every demonstration place, both publishers' (and structures left without a place). */
export async function removeDemoPlaces(db: Db): Promise<number> {
  return db
    .transaction()
    .execute(
      async (tx) =>
        (await deletePlacesBySource(tx, DEMO_SOURCE)) + (await deletePlacesBySource(tx, DEMO_PARTNER_SOURCE)),
    );
}

/** Every place, for in-memory indexes (search); the database stays the source of truth. */
export async function listAllPlaces(db: Db): Promise<Place[]> {
  return (await listPlaces(db)).map(toPlace);
}

/**
 * A cheap fingerprint of the whole directory (count and last change), so that each app server notices
 * changes made through another one and reloads its index.
 */
export async function placesVersion(db: Db): Promise<string> {
  return directoryVersion(db);
}

// --- Editing by structures: approved changes and temporary closures ---

/** A place's closures not over on `today` (its local date), soonest first. */
export async function listPlaceClosures(db: Db, placeId: string, today: string): Promise<ClosureValue[]> {
  return (await listClosuresOf(db, placeId, today)).map((c) => ({
    starts_on: c.starts_on,
    ends_on: c.ends_on,
    reason: c.reason,
  }));
}

/** Every closure not over on `fromDate`, by place (for the search index: "open now" and the pages). */
export async function listCurrentClosures(db: Db, fromDate: string): Promise<Map<string, ClosureValue[]>> {
  const byPlace = new Map<string, ClosureValue[]>();
  for (const c of await listClosuresFrom(db, fromDate)) {
    const list = byPlace.get(c.place_id) ?? [];
    list.push({ starts_on: c.starts_on, ends_on: c.ends_on, reason: c.reason });
    byPlace.set(c.place_id, list);
  }
  return byPlace;
}

/**
 * Replaces a place's closures not over on `today` and nothing else (the record's date stays): a
 * structure's closure that only reduces the offer is public at once, and the coordinator's revert puts
 * the previous closures back. The search index reloads (the directory's version counts closures).
 */
export async function replacePlaceClosures(
  db: Db,
  placeId: string,
  change: { closures: ClosureValue[]; today: string },
): Promise<void> {
  await replaceClosuresFrom(db, placeId, change.today, change.closures);
}

/** One place and the structure it belongs to (null when none), for the rules about who edits it. */
export async function getPlaceWithStructure(
  db: Db,
  id: string,
): Promise<{ place: Place; structureId: string | null }> {
  const row = await findPlaceRow(db, id);
  return { place: toPlace(row), structureId: row.structure_id };
}

/** The places of some structures, by name. */
export async function listStructuresPlaces(db: Db, structureIds: string[]): Promise<Place[]> {
  return (await listPlacesOfStructures(db, structureIds)).map(toPlace);
}

/**
 * Writes an approved change to a place (call it inside the moderation's transaction): the fields given,
 * date_maj = `today` (the structure has just checked its record), the content hash recomputed over the
 * whole record as imports compute it, and — when `closures` is given — the closures not over on
 * `today` replaced. The place's updated_at moves, so every server's search index reloads.
 */
export async function applyPlaceChange(
  db: Db,
  placeId: string,
  change: { patch: Partial<PlaceData>; closures: ClosureValue[] | null; today: string },
): Promise<Place> {
  const current = toPlace(await findPlaceRow(db, placeId));
  const next: PlaceData = { ...current, ...change.patch, dateMaj: change.today };
  const {
    source: _source,
    source_id: _sourceId,
    ...columns
  } = toInsert(current.source, next, placeContentHash(next));
  await updatePlaceColumns(db, current.id, columns);
  if (change.closures) await replaceClosuresFrom(db, current.id, change.today, change.closures);
  return toPlace(await findPlaceRow(db, current.id));
}

/** The source of places created in Maillage by a structure (their source_id is the proposal's id). */
export const MAILLAGE_SOURCE = 'maillage';

/**
 * Creates the place of an approved new-place proposal (call it inside the moderation's transaction):
 * source `maillage`, source_id = the proposal's id, the structure's place, dated `today`, its content
 * hash computed as imports compute it, and its closures. It is public at once: the search index reloads
 * when the directory's fingerprint (count and last change) moves.
 */
export async function createPlaceFromProposal(
  db: Db,
  input: {
    sourceId: string;
    structureId: string;
    data: Omit<PlaceData, 'sourceId' | 'dateMaj'>;
    closures: ClosureValue[];
    today: string;
  },
): Promise<Place> {
  const data: PlaceData = { ...input.data, sourceId: input.sourceId, dateMaj: input.today };
  const id = await insertOnePlace(db, {
    ...toInsert(MAILLAGE_SOURCE, data, placeContentHash(data)),
    structure_id: input.structureId,
  });
  if (input.closures.length > 0) await replaceClosuresFrom(db, id, input.today, input.closures);
  return toPlace(await findPlaceRow(db, id));
}

/** Makes a place belong to a structure (an approved attach request; call it inside the decision's transaction). */
export async function attachPlaceToStructure(db: Db, placeId: string, structureId: string): Promise<void> {
  await setPlaceStructure(db, placeId, structureId);
}

/** One place and its structure, or null when the id is unknown or malformed (no error: callers word it). */
export async function findPlaceWithStructure(
  db: Db,
  id: string,
): Promise<{ place: Place; structureId: string | null } | null> {
  const row = isUuid(id) ? await findPlaceById(db, id.toLowerCase()) : undefined;
  return row ? { place: toPlace(row), structureId: row.structure_id } : null;
}

/** Places whose name and commune contain every word typed (folded words), with their structure's id. */
export async function findPlacesByName(
  db: Db,
  words: string[],
  limit: number,
): Promise<{ place: Place; structureId: string | null }[]> {
  return (await findPlacesByWords(db, words, limit)).map((row) => ({
    place: toPlace(row),
    structureId: row.structure_id,
  }));
}
