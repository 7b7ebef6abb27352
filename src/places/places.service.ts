import { createHash } from 'node:crypto';
import path from 'node:path';
import { resolveTerritory } from '../communes/communes.ts';
import type { Db } from '../db/database.ts';
import { DomainError } from '../shared/domain-error.ts';
import type { Territory } from '../shared/territory.ts';
import {
  countPlaces,
  deletePlacesBySource,
  directoryVersion,
  findByIdentities,
  findPlaceById,
  insertImportRecord,
  linkStructures,
  listPlaces,
  type PlaceInsert,
  type PlaceRow,
  upsertPlaces,
} from './places.repository.ts';
import {
  type ImportIssue,
  normalizePlaceRow,
  type PlaceData,
  placeContentHash,
  placeToSchemaRow,
  type SchemaRow,
} from './places.ts';
import {
  type ParsedRecord,
  parsePlacesFile,
  serializePlacesCsv,
  serializePlacesJson,
} from './places-file.ts';

/** A stored place: one source record plus our stable id. */
export interface Place extends PlaceData {
  id: string;
  source: string;
  updatedAt: Date;
}

export interface ImportCounts {
  read: number;
  imported: number;
  updated: number;
  unchanged: number;
  merged: number;
  rejected: number;
}

export interface ImportReport extends ImportCounts {
  importId: string | null;
  dryRun: boolean;
  warnings: ImportIssue[];
  errors: ImportIssue[];
}

export interface ImportOptions {
  fileName: string;
  /** Overrides the rows' own `source` (identity is (source, id)). */
  source?: string | undefined;
  dryRun?: boolean | undefined;
  /** Who imports: "cli", "server (démonstration)", later a user id. */
  actor: string;
  onProgress?: ((done: number, total: number) => void) | undefined;
}

function toInsert(source: string, place: PlaceData, hash: string): PlaceInsert {
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

function toPlace(row: PlaceRow): Place {
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

/** The identity source of a file without --source nor a `source` column: its name without extension. */
function sourceFromFileName(fileName: string): string {
  return path.basename(fileName).replace(/\.[^.]*$/, '') || 'import';
}

/**
 * Imports a file of places (CSV or JSON, national schema v1). A bad row never aborts the file: it is
 * rejected with one error per failing field, everything else is kept (with warnings). Identity is
 * (source, id): re-importing the same file changes nothing. File-level failures (empty, binary,
 * unreadable) throw `invalid_file`.
 */
export async function importPlacesFile(
  db: Db,
  bytes: Uint8Array,
  options: ImportOptions,
): Promise<ImportReport> {
  const parsed = parsePlacesFile(bytes, options.fileName);
  const sha256 = createHash('sha256').update(bytes).digest('hex');
  return importPlaceRecords(db, parsed.records, parsed.fileIssues, { ...options, sha256 });
}

/**
 * Imports already parsed records (the demonstration data goes through here, like any file). Counts add
 * up: imported + updated + unchanged + merged + rejected = read.
 */
export async function importPlaceRecords(
  db: Db,
  records: ParsedRecord[],
  fileIssues: ImportIssue[],
  options: ImportOptions & { sha256?: string },
): Promise<ImportReport> {
  const warnings: ImportIssue[] = [];
  const errors: ImportIssue[] = [];
  // A record the parser could not read (e.g. a JSON element that is not an object) is a rejected row.
  const unreadableRows = new Set<number>();
  for (const issue of fileIssues) {
    if (issue.row === null) warnings.push(issue);
    else {
      errors.push(issue);
      unreadableRows.add(issue.row);
    }
  }
  const fallbackSource = sourceFromFileName(options.fileName);
  const accepted = new Map<string, { source: string; place: PlaceData; hash: string }>();
  let rejected = unreadableRows.size;
  let done = 0;
  for (const record of records) {
    const normalized = normalizePlaceRow(record.data, record.row);
    warnings.push(...normalized.warnings);
    done++;
    if (done % 1000 === 0) options.onProgress?.(done, records.length);
    if (!normalized.place) {
      errors.push(...normalized.errors);
      rejected++;
      continue;
    }
    const source = options.source ?? normalized.source ?? fallbackSource;
    const key = `${source}\u0000${normalized.place.sourceId}`;
    if (accepted.has(key)) {
      errors.push({
        row: record.row,
        id: normalized.place.sourceId,
        field: 'id',
        value: normalized.place.sourceId,
        message: `L'identifiant « ${normalized.place.sourceId} » est déjà utilisé par une ligne précédente du fichier : ligne refusée.`,
      });
      rejected++;
      continue;
    }
    accepted.set(key, { source, place: normalized.place, hash: placeContentHash(normalized.place) });
  }
  options.onProgress?.(records.length, records.length);

  const counts: ImportCounts = {
    read: records.length + unreadableRows.size,
    imported: 0,
    updated: 0,
    unchanged: 0,
    merged: 0,
    rejected,
  };
  const entries = [...accepted.values()];
  const run = async (tx: Db): Promise<string | null> => {
    const existing = await findByIdentities(
      tx,
      entries.map((e) => ({ source: e.source, sourceId: e.place.sourceId })),
    );
    const known = new Map(existing.map((e) => [`${e.source}\u0000${e.source_id}`, e]));
    const changed: PlaceInsert[] = [];
    for (const entry of entries) {
      const before = known.get(`${entry.source}\u0000${entry.place.sourceId}`);
      if (!before) {
        counts.imported++;
        changed.push(toInsert(entry.source, entry.place, entry.hash));
      } else if (before.content_hash === entry.hash) {
        counts.unchanged++;
      } else {
        counts.updated++;
        changed.push(toInsert(entry.source, entry.place, entry.hash));
      }
    }
    if (!options.dryRun) {
      await upsertPlaces(tx, changed);
      await linkStructures(tx);
    }
    return insertImportRecord(tx, {
      actor: options.actor,
      fileName: options.fileName,
      fileSha256: options.sha256 ?? null,
      source: options.source ?? null,
      dryRun: options.dryRun ?? false,
      counts: { ...counts },
      report: { warnings, errors },
    });
  };
  const importId = await db.transaction().execute((tx) => run(tx as unknown as Db));
  return { ...counts, importId, dryRun: options.dryRun ?? false, warnings, errors };
}

/** Ids of exported rows must be unique: a source id repeated by two sources is qualified by its source. */
function exportIds(places: Place[]): string[] {
  const seen = new Map<string, number>();
  for (const p of places) seen.set(p.sourceId, (seen.get(p.sourceId) ?? 0) + 1);
  return places.map((p) => ((seen.get(p.sourceId) ?? 0) > 1 ? `${p.source}:${p.sourceId}` : p.sourceId));
}

export type ExportFormat = 'csv' | 'csv-excel' | 'json';

async function placesOfTerritory(db: Db, territory: Territory | null): Promise<Place[]> {
  if (!territory) return (await listPlaces(db)).map(toPlace);
  const resolved = resolveTerritory(territory);
  const rows = await listPlaces(db, {
    communeCodes: resolved.communes.map((c) => c.code),
    postcodes: [...new Set(resolved.communes.flatMap((c) => c.codesPostaux))],
  });
  return rows.map(toPlace);
}

/**
 * Exports the directory (or one territory's part of it) exactly in the national schema v1.0.2: CSV
 * with the schema's field order and `|` inside multi-valued fields, or JSON; `csv-excel` is the same
 * CSV with `;` and a BOM for French Excel.
 */
export async function exportPlaces(
  db: Db,
  format: ExportFormat,
  territory: Territory | null = null,
): Promise<string> {
  const places = await placesOfTerritory(db, territory);
  const ids = exportIds(places);
  // date_maj is required by the schema: a record whose publisher gave none (or an absurd one) is exported
  // with the date our copy was last updated (docs/decisions/0005).
  const rows: SchemaRow[] = places.map((p, i) =>
    placeToSchemaRow(
      { ...p, dateMaj: p.dateMaj ?? p.updatedAt.toISOString().slice(0, 10) },
      ids[i] ?? p.sourceId,
      p.source,
    ),
  );
  if (format === 'json') return serializePlacesJson(rows);
  return serializePlacesCsv(rows, { excel: format === 'csv-excel' });
}

/** Lists places by name, a page at a time. */
export async function listPlacesPage(
  db: Db,
  page: { limit: number; offset: number },
): Promise<{ places: Place[]; total: number }> {
  const [rows, total] = await Promise.all([listPlaces(db, {}, page), countPlaces(db)]);
  return { places: rows.map(toPlace), total };
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** One place by our stable id; an unknown or malformed id is `not_found`. */
export async function getPlace(db: Db, id: string): Promise<Place> {
  const row = UUID.test(id) ? await findPlaceById(db, id.toLowerCase()) : undefined;
  if (!row) throw new DomainError('not_found', "Ce lieu n'existe pas ou a été retiré de l'annuaire.", { id });
  return toPlace(row);
}

export const DEMO_SOURCE = 'demo';

export async function hasDemoPlaces(db: Db): Promise<boolean> {
  return (await countPlaces(db, { source: DEMO_SOURCE })) > 0;
}

export async function countAllPlaces(db: Db): Promise<number> {
  return countPlaces(db);
}

/** Deletes every demonstration place (and structures left without a place). */
export async function removeDemoPlaces(db: Db): Promise<number> {
  return db.transaction().execute((tx) => deletePlacesBySource(tx, DEMO_SOURCE));
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
