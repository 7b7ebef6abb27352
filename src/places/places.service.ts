import { createHash } from 'node:crypto';
import path from 'node:path';
import { getReferencePoints } from '../communes/communes.service.ts';
import { resolveTerritory } from '../communes/communes.ts';
import type { Db } from '../db/database.ts';
import { DomainError } from '../shared/domain-error.ts';
import { isUuid } from '../shared/ids.ts';
import type { Territory } from '../shared/territory.ts';
import type { ClosureValue } from './place-edit.ts';
import {
  countPlaces,
  deletePlacesBySource,
  directoryVersion,
  type ExistingIdentity,
  findActiveLinkOfMerged,
  findByIdentities,
  findImport,
  findLaterImportsTouching,
  findLink,
  findPlaceById,
  finishImportRecord,
  type ImportSummaryRow,
  insertImportRecord,
  insertLinks,
  type LinkRow,
  linkStructures,
  listActiveLinks,
  listClosuresFrom,
  listClosuresOf,
  listImports,
  listLinksOf,
  listMatchCandidates,
  listPlaces,
  listPlacesOfStructures,
  listQualityPlaces,
  type MatchCandidateRow,
  markUnmerged,
  type PlaceInsert,
  type PlaceRow,
  preparePlaceRows,
  qualityCounts,
  replaceClosuresFrom,
  revertImport,
  snapshotPlaces,
  updatePlaceColumns,
  upsertPlaces,
  warningsByField,
} from './places.repository.ts';
import {
  type ImportIssue,
  type Place,
  type PlaceData,
  placeContentHash,
  placeToSchemaRow,
  type SchemaRow,
} from './places.ts';
import {
  type ParsedRecord,
  parsePlacesFile,
  serializeImportReportCsv,
  serializePlacesCsv,
  serializePlacesJson,
} from './places-file.ts';
import {
  compareIfMayMatch,
  distanceMeters,
  type MatchInput,
  type MatchKey,
  matchKey,
} from './places-match.ts';
import { normalizePlaceRow } from './places-row.ts';

/** A stored place (defined in places.ts, so that pure modules can name it without a service). */
export type { Place };

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

/** The user-facing messages of imports, undo and merges, in one place. */
const MESSAGES = {
  changedWithoutNewDate: (date: string | null) =>
    `Lieu modifié sans nouvelle date de mise à jour (date_maj ${date ?? 'absente'}) : modifié sans nouvelle date, les nouvelles valeurs sont enregistrées.`,
  olderThanStored: (date: string | null, stored: string) =>
    `Ce lieu est déjà enregistré avec une date de mise à jour plus récente (${stored}) que celle du fichier (${date ?? 'absente'}) : la version enregistrée est gardée.`,
  lookAlike: (otherId: string, score: number) =>
    `Ressemble au lieu « ${otherId} » de la même source (similarité ${Math.round(score * 100)} %) : les deux sont gardés séparément, vérifiez qu'il ne s'agit pas d'un doublon.`,
  mergedWith: (otherSource: string, otherId: string, score: number) =>
    `Même lieu que « ${otherId} » publié par « ${otherSource} » (similarité ${Math.round(score * 100)} %) : les deux fiches sont gardées et fusionnées en un seul lieu (annulable par « places unmerge »).`,
  importNotFound: "Cet import n'existe pas.",
  dryRunUndo: "Cet import était un essai (--dry-run) : il n'a rien enregistré, il n'y a rien à annuler.",
  alreadyUndone: (when: Date) => `Cet import a déjà été annulé le ${when.toISOString().slice(0, 10)}.`,
  laterImports: (later: { id: string; started_at: Date; places: number }[]) =>
    `Des imports plus récents ont modifié les mêmes lieux : annulez-les d'abord, du plus récent au plus ancien (${later
      .map(
        (l) =>
          `${l.id} du ${new Date(l.started_at).toISOString().slice(0, 16).replace('T', ' ')}, ${l.places} lieu${l.places > 1 ? 'x' : ''}`,
      )
      .join(' ; ')}).`,
  positionFar: (latitude: number, longitude: number, km: number, commune: string, code: string) =>
    `La position ${latitude}, ${longitude} est à ${km} km de la commune ${commune} (${code}), plus que les ${MAX_DISTANCE_FROM_COMMUNE_KM} km admis : elle est remplacée par le point de référence de la commune, et le lieu est marqué « position approximative ».`,
  positionMissing: (commune: string, code: string) =>
    `Le lieu n'a pas de position : le point de référence de la commune ${commune} (${code}) est utilisé, et le lieu est marqué « position approximative ». Il apparaît ainsi dans la recherche autour d'une commune.`,
  linkNotFound: 'Aucune fusion en cours ne correspond à cet identifiant (fusion ou lieu fusionné).',
} as const;

/** Thrown at the end of a dry run's transaction to roll it back. */
class DryRunRollback extends Error {}

/** Farther than this from its commune's reference point, a position is taken for a mistake. */
export const MAX_DISTANCE_FROM_COMMUNE_KM = 20;
const REFERENCE_POINTS_CHUNK = 5000;
/**
 * Rows read, checked and written per batch. A batch's rows are written by one statement, and the next batch
 * is read (normalised, hashed) while the database writes the previous one: on PostgreSQL the two run at the
 * same time (docs/decisions/0016).
 */
const IMPORT_BATCH = 5000;

/** One turn of the event loop: lets the driver send a statement just started before synchronous work. */
const nextTurn = () => new Promise<void>((resolve) => setImmediate(resolve));

/**
 * A position over 20 km from the reference point of its commune (commune_geometry) is a mistake (a wrong
 * geocoding, another town's coordinates): it is replaced by that point, flagged approximate, and warned
 * about with the value written. A place without any position gets that point too (flagged approximate,
 * warned about), so that a search around its commune finds it. Places of communes without a stored
 * reference point are left as they are. Returns the entries whose position changed.
 */
async function replaceFarPositions(
  db: Db,
  entries: AcceptedEntry[],
  warnings: ImportIssue[],
): Promise<AcceptedEntry[]> {
  const moved: AcceptedEntry[] = [];
  const located = entries.filter((e) => e.place.codeInsee !== null);
  const codes = [...new Set(located.map((e) => e.place.codeInsee as string))];
  const points = new Map<string, { lat: number; lon: number }>();
  for (let i = 0; i < codes.length; i += REFERENCE_POINTS_CHUNK) {
    for (const p of await getReferencePoints(db, codes.slice(i, i + REFERENCE_POINTS_CHUNK)))
      points.set(p.code, p);
  }
  if (points.size === 0) return moved;
  for (const entry of located) {
    const place = entry.place;
    const point = points.get(place.codeInsee ?? '');
    if (!point) continue;
    if (place.latitude === null || place.longitude === null) {
      warnings.push({
        row: entry.row,
        id: place.sourceId,
        field: 'latitude',
        value: '',
        message: MESSAGES.positionMissing(place.commune, place.codeInsee ?? ''),
      });
      place.latitude = point.lat;
      place.longitude = point.lon;
      place.positionApproximate = true;
      moved.push(entry);
      continue;
    }
    const km = distanceMeters(place.latitude, place.longitude, point.lat, point.lon) / 1000;
    if (km <= MAX_DISTANCE_FROM_COMMUNE_KM) continue;
    warnings.push({
      row: entry.row,
      id: place.sourceId,
      field: 'latitude',
      value: `${place.latitude} ; ${place.longitude}`,
      message: MESSAGES.positionFar(
        place.latitude,
        place.longitude,
        Math.round(km),
        place.commune,
        place.codeInsee ?? '',
      ),
    });
    place.latitude = point.lat;
    place.longitude = point.lon;
    place.positionApproximate = true;
    moved.push(entry);
  }
  return moved;
}

interface AcceptedEntry {
  row: number;
  source: string;
  place: PlaceData;
  hash: string;
}

/** A place this import writes: its row, its id once written, and whether it overwrote a stored record. */
interface Touched {
  entry: AcceptedEntry;
  /**
   * Its id in the duplicate pass, which runs while the last batch is being written: the id of the stored
   * record it overwrites, or a provisional one (never a uuid) until the write returns the new id.
   */
  handle: string;
  id: string;
  wasUpdate: boolean;
  /** Its key for the duplicate pass, computed while the database writes the batch. */
  key: MatchKey;
}

type Judgement = 'insert' | 'update' | 'unchanged' | 'older';

/**
 * What a row does to the stored record of the same identity: identical → nothing;
 * changed with a newer date → update; changed with the same date (or none) → update, warned; changed
 * with an older date than the stored one → the stored one is kept, warned.
 */
function judge(
  entry: AcceptedEntry,
  stored: ExistingIdentity | undefined,
  warn: (message: string) => void,
): Judgement {
  if (!stored) return 'insert';
  if (stored.content_hash === entry.hash) return 'unchanged';
  const incoming = entry.place.dateMaj;
  if (stored.date_maj !== null && (incoming === null || incoming < stored.date_maj)) {
    warn(MESSAGES.olderThanStored(incoming, stored.date_maj));
    return 'older';
  }
  if (incoming === stored.date_maj) warn(MESSAGES.changedWithoutNewDate(incoming));
  return 'update';
}

/**
 * Judges each row of a batch against the stored record of the same identity (counts and date warnings
 * updated): the rows to write, the stored id each overwrites (null for a new place), and those ids.
 */
function judgeBatch(
  batch: AcceptedEntry[],
  existing: ExistingIdentity[],
  counts: ImportCounts,
  dateWarnings: ImportIssue[],
): { changedEntries: AcceptedEntry[]; storedIds: (string | null)[]; overwrittenNow: string[] } {
  const known = new Map(existing.map((e) => [`${e.source}\u0000${e.source_id}`, e]));
  const changedEntries: AcceptedEntry[] = [];
  const storedIds: (string | null)[] = [];
  const overwrittenNow: string[] = [];
  for (const entry of batch) {
    const stored = known.get(`${entry.source}\u0000${entry.place.sourceId}`);
    const judgement = judge(entry, stored, (message) =>
      dateWarnings.push({
        row: entry.row,
        id: entry.place.sourceId,
        field: 'date_maj',
        value: entry.place.dateMaj,
        message,
      }),
    );
    if (judgement === 'unchanged' || judgement === 'older') {
      counts.unchanged++;
      continue;
    }
    if (judgement === 'insert') counts.imported++;
    else {
      counts.updated++;
      if (stored) overwrittenNow.push(stored.id);
    }
    changedEntries.push(entry);
    storedIds.push(judgement === 'update' && stored ? stored.id : null);
  }
  return { changedEntries, storedIds, overwrittenNow };
}

/** The ids a write returned, given to its places (in the order sent; by identity if ever not). */
function assignIds(written: Touched[], rows: { id: string; source: string; source_id: string }[]): void {
  const inOrder =
    rows.length === written.length &&
    written.every(
      (t, index) =>
        rows[index]?.source === t.entry.source && rows[index]?.source_id === t.entry.place.sourceId,
    );
  if (inOrder) {
    written.forEach((t, index) => {
      t.id = rows[index]?.id ?? '';
    });
    return;
  }
  const idOf = new Map(rows.map((w) => [`${w.source}\u0000${w.source_id}`, w.id]));
  for (const t of written) t.id = idOf.get(`${t.entry.source}\u0000${t.entry.place.sourceId}`) ?? '';
}

/**
 * Imports already parsed records (the demonstration data goes through here, like any file). Counts add
 * up: imported + updated + unchanged + merged + rejected = read (a row kept older than the stored
 * record counts as unchanged; a new or changed row merged with another source's record counts as
 * merged). Every place written is recorded with its previous row, so that the import can be undone.
 *
 * Rows go by batches of 5,000 (normalise, hash, compare with the stored records, write), all in one
 * transaction; the report is the same as if each step had run over the whole file: its warnings are
 * gathered by step and put together in the order of the steps.
 */
export async function importPlaceRecords(
  db: Db,
  records: ParsedRecord[],
  fileIssues: ImportIssue[],
  options: ImportOptions & { sha256?: string },
): Promise<ImportReport> {
  const errors: ImportIssue[] = [];
  const steps = {
    file: [] as ImportIssue[],
    rows: [] as ImportIssue[],
    positions: [] as ImportIssue[],
    dates: [] as ImportIssue[],
    duplicates: [] as ImportIssue[],
  };
  const allWarnings = (): ImportIssue[] => [
    ...steps.file,
    ...steps.rows,
    ...steps.positions,
    ...steps.dates,
    ...steps.duplicates,
  ];
  // A record the parser could not read (e.g. a JSON element that is not an object) is a rejected row.
  const unreadableRows = new Set<number>();
  for (const issue of fileIssues) {
    if (issue.row === null) steps.file.push(issue);
    else {
      errors.push(issue);
      unreadableRows.add(issue.row);
    }
  }
  const fallbackSource = sourceFromFileName(options.fileName);
  const counts: ImportCounts = {
    read: records.length + unreadableRows.size,
    imported: 0,
    updated: 0,
    unchanged: 0,
    merged: 0,
    rejected: unreadableRows.size,
  };
  const dryRun = options.dryRun ?? false;
  const record = {
    actor: options.actor,
    fileName: options.fileName,
    fileSha256: options.sha256 ?? null,
    source: options.source ?? null,
    dryRun,
  };
  const accepted = new Set<string>();
  let done = 0;
  /** Normalises and hashes the records of one batch; rejected rows and repeated ids go to `errors`. */
  const readBatch = (start: number, end: number): AcceptedEntry[] => {
    const batch: AcceptedEntry[] = [];
    for (let index = start; index < end; index++) {
      const record = records[index] as ParsedRecord;
      const normalized = normalizePlaceRow(record.data, record.row);
      steps.rows.push(...normalized.warnings);
      done++;
      if (done % 1000 === 0) options.onProgress?.(done, records.length);
      if (!normalized.place) {
        errors.push(...normalized.errors);
        counts.rejected++;
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
        counts.rejected++;
        continue;
      }
      accepted.add(key);
      batch.push({
        row: record.row,
        source,
        place: normalized.place,
        hash: placeContentHash(normalized.place),
      });
    }
    return batch;
  };

  // A dry run does everything a real import does (so merges are counted too), then rolls it all back
  // and keeps only the record of the attempt.
  const run = async (tx: Db): Promise<string | null> => {
    const importId = await insertImportRecord(tx, { ...record, counts: {}, report: {} });
    const neighbours = new StoredNeighbours();
    const touched: Touched[] = [];
    const overwritten: string[] = [];
    // Links touching the stored places of the communes concerned, read before the last write (see below).
    let links: LinkRow[] | null = null;
    // The write of the previous batch: awaited before the next statement, so that its error (if any) is
    // the one reported, not the "transaction aborted" of the statements after it.
    let writing: Promise<void> = Promise.resolve();
    let writePending = false;
    // Whether the previous batch was written whole, as read (positions kept): then so is probably this one.
    let writtenAsRead = true;
    for (let start = 0; start < records.length; start += IMPORT_BATCH) {
      const end = Math.min(records.length, start + IMPORT_BATCH);
      const batch = readBatch(start, end);
      if (end === records.length) options.onProgress?.(records.length, records.length);
      // While the database writes the previous batch, this batch's statement is prepared on the guess
      // that it too will be written whole and as read (a first import); the guess is checked below.
      const ahead =
        writePending && writtenAsRead && batch.length > 0
          ? preparePlaceRows(batch.map((entry) => toInsert(entry.source, entry.place, entry.hash)))
          : null;
      await writing;
      writePending = false;
      // A position replaced by the commune's point changes the record: its hash is computed again.
      const moved = await replaceFarPositions(tx, batch, steps.positions);
      for (const entry of moved) entry.hash = placeContentHash(entry.place);
      const existing = await findByIdentities(
        tx,
        batch.map((e) => ({ source: e.source, sourceId: e.place.sourceId })),
      );
      const { changedEntries, storedIds, overwrittenNow } = judgeBatch(batch, existing, counts, steps.dates);
      writtenAsRead = moved.length === 0 && changedEntries.length === batch.length;
      if (changedEntries.length === 0) continue;
      // What the duplicate pass needs of the stored places is read before this batch overwrites any.
      await neighbours.read(tx, changedEntries);
      await snapshotPlaces(tx, importId, overwrittenNow);
      overwritten.push(...overwrittenNow);
      const rows =
        ahead !== null && writtenAsRead
          ? ahead
          : changedEntries.map((entry) => toInsert(entry.source, entry.place, entry.hash));
      // Links cannot change while places are written: those of the duplicate pass are read before the
      // last write, so that the pass runs while the database writes.
      if (end === records.length) links = await listLinksOf(tx, linkedCandidates(neighbours, overwritten));
      // Places inserted (not overwritten) are recorded for undo by the same statement.
      const write = upsertPlaces(tx, rows, importId);
      writePending = true;
      // Handled here so that a failure is not reported as unhandled while the next batch is read; it is
      // thrown where `writing` is awaited.
      write.catch(() => undefined);
      await nextTurn();
      // The database is writing: meanwhile, the keys the duplicate pass will compare.
      const written = changedEntries.map((entry, index): Touched => {
        const storedId = storedIds[index] ?? null;
        return {
          entry,
          handle: storedId ?? `\u0000${touched.length + index}`,
          id: '',
          wasUpdate: false,
          key: matchKey(storedMatchInput(entry)),
        };
      });
      touched.push(...written);
      writing = write.then((rows) => assignIds(written, rows));
      writing.catch(() => undefined);
    }
    if (records.length === 0) options.onProgress?.(0, 0);
    // The duplicate pass (no database) runs while the last batch is written.
    if (links === null && touched.length > 0) {
      await writing;
      links = await listLinksOf(tx, linkedCandidates(neighbours, overwritten));
    }
    const duplicates = findDuplicates(
      touched,
      neighbours,
      new Set(overwritten),
      links ?? [],
      steps.duplicates,
    );
    await writing;
    const overwrittenSet = new Set(overwritten);
    await linkStructures(tx);
    const idOfHandle = new Map(touched.map((t) => [t.handle, t.id]));
    const idOf = (handle: string) => idOfHandle.get(handle) ?? handle;
    await insertLinks(
      tx,
      duplicates.links.map((link) => ({
        canonical_id: idOf(link.canonical),
        merged_id: idOf(link.merged),
        score: link.score,
        import_id: importId,
      })),
    );
    for (const t of touched) {
      t.wasUpdate = overwrittenSet.has(t.id);
      if (!duplicates.merged.has(t.handle)) continue;
      if (t.wasUpdate) counts.updated--;
      else counts.imported--;
      counts.merged++;
    }
    if (dryRun) throw new DryRunRollback();
    await finishImportRecord(tx, importId, {
      counts: { ...counts },
      report: { warnings: allWarnings(), errors },
    });
    return importId;
  };
  let importId: string | null;
  try {
    importId = await db.transaction().execute((tx) => run(tx as unknown as Db));
  } catch (error) {
    if (!(error instanceof DryRunRollback)) throw error;
    importId = await insertImportRecord(db, {
      ...record,
      counts: { ...counts },
      report: { warnings: allWarnings(), errors },
    });
  }
  return { ...counts, importId, dryRun, warnings: allWarnings(), errors };
}

/** The commune a place is compared within: its INSEE code, else postcode and name. */
function communeKey(place: { code_insee: string | null; code_postal: string; commune: string }): string {
  return place.code_insee ?? `${place.code_postal}:${place.commune.toLowerCase()}`;
}

/**
 * The places already stored in the communes of the rows an import writes, read batch by batch before the
 * batch is written (each commune once): the duplicate pass compares the written rows, taken from memory,
 * with these, so that it does not read back thousands of rows it has just written.
 */
class StoredNeighbours {
  readonly rows = new Map<string, MatchCandidateRow>();
  readonly #codes = new Set<string>();
  readonly #postcodes = new Set<string>();

  async read(tx: Db, entries: AcceptedEntry[]): Promise<void> {
    const codes = new Set<string>();
    const postcodes = new Set<string>();
    for (const { place } of entries) {
      if (place.codeInsee !== null) {
        if (!this.#codes.has(place.codeInsee)) codes.add(place.codeInsee);
      } else if (!this.#postcodes.has(place.codePostal)) postcodes.add(place.codePostal);
    }
    if (codes.size === 0 && postcodes.size === 0) return;
    for (const code of codes) this.#codes.add(code);
    for (const postcode of postcodes) this.#postcodes.add(postcode);
    for (const row of await listMatchCandidates(tx, [...codes], [...postcodes])) this.rows.set(row.id, row);
  }
}

const SURROGATE = /[\uD800-\uDFFF]/;

/** A text as the database gives it back (UTF-8 has no lone surrogate: drivers send U+FFFD instead). */
function asStored(text: string): string {
  return SURROGATE.test(text) ? Buffer.from(text, 'utf8').toString('utf8') : text;
}

/** What matchKey reads of a written place, as the database gives it back. */
function storedMatchInput({ place }: AcceptedEntry): MatchInput {
  return {
    nom: asStored(place.nom),
    adresse: asStored(place.adresse),
    latitude: place.latitude,
    longitude: place.longitude,
  };
}

/** A written place as listMatchCandidates would read it back (its id: its handle, see Touched). */
function candidateRow({ entry, handle }: Touched): MatchCandidateRow {
  const place = entry.place;
  return {
    id: handle,
    source: asStored(entry.source),
    source_id: asStored(place.sourceId),
    nom: asStored(place.nom),
    adresse: asStored(place.adresse),
    commune: asStored(place.commune),
    code_postal: place.codePostal,
    code_insee: place.codeInsee,
    latitude: place.latitude,
    longitude: place.longitude,
    date_maj: place.dateMaj,
  };
}

/** A place of the duplicate pass, with its comparison key computed when first needed. */
class Candidate {
  readonly row: MatchCandidateRow;
  /** The places of its commune (itself included). */
  group: CommuneGroup | null = null;
  #key: MatchKey | null;

  constructor(row: MatchCandidateRow, key: MatchKey | null = null) {
    this.row = row;
    this.#key = key;
  }

  get key(): MatchKey {
    this.#key ??= matchKey(this.row);
    return this.#key;
  }
}

/** The places of one commune, in order, and the lists of those a house number may match. */
class CommuneGroup {
  readonly members: Candidate[];
  readonly #byNumber = new Map<string, Candidate[]>();

  constructor(first: Candidate) {
    this.members = [first];
  }

  /**
   * Distinct house numbers refute a match (see mayMatch): a place with a number is compared only with
   * the places of its commune that have the same number or none, in the commune's order.
   */
  comparable(number: string | null): Candidate[] {
    if (number === null) return this.members;
    let list = this.#byNumber.get(number);
    if (!list) {
      list = this.members.filter((c) => c.key.number === null || c.key.number === number);
      this.#byNumber.set(number, list);
    }
    return list;
  }
}

/** The places whose links the duplicate pass needs: those read, and those the import overwrites. */
function linkedCandidates(neighbours: StoredNeighbours, overwritten: string[]): string[] {
  return [...new Set([...neighbours.rows.keys(), ...overwritten])];
}

/**
 * Cross-source duplicates: each place this import wrote is compared with the places of
 * its commune. The same place published by another source is merged (one link, canonical = the record
 * with the freshest date_maj; both records stay stored); a look-alike of the same source is only warned.
 * A pair once unmerged is never merged again. Returns the links to add and the written places that got
 * one, by handle (see Touched). The places of a commune are the stored ones read before writing
 * (`neighbours`, less those this import overwrote) followed by the written ones, in the order they were
 * written; `links` are the links touching them (links can touch only places stored before the import).
 */
function findDuplicates(
  touched: Touched[],
  neighbours: StoredNeighbours,
  overwritten: Set<string>,
  links: LinkRow[],
  warnings: ImportIssue[],
): { links: { canonical: string; merged: string; score: number }[]; merged: Set<string> } {
  const mergedNow = new Set<string>();
  const newLinks: { canonical: string; merged: string; score: number }[] = [];
  if (touched.length === 0) return { links: newLinks, merged: mergedNow };
  const touchedIds = new Set(touched.map((t) => t.handle));
  const candidates: Candidate[] = [];
  for (const row of neighbours.rows.values())
    if (!overwritten.has(row.id)) candidates.push(new Candidate(row));
  const firstTouched = candidates.length;
  for (const t of touched) candidates.push(new Candidate(candidateRow(t), t.key));
  const byCommune = new Map<string, CommuneGroup>();
  for (const c of candidates) {
    const key = communeKey(c.row);
    let group = byCommune.get(key);
    if (group) group.members.push(c);
    else {
      group = new CommuneGroup(c);
      byCommune.set(key, group);
    }
    c.group = group;
  }
  // Needed only for the sources of merged clusters: made on the first merge.
  let byIdMap: Map<string, Candidate> | null = null;
  const byId = () => {
    byIdMap ??= new Map(candidates.map((c) => [c.row.id, c]));
    return byIdMap;
  };
  const canonicalOf = new Map<string, string>();
  const members = new Map<string, Set<string>>();
  const unmerged = new Set<string>();
  const pairKey = (a: string, b: string) => (a < b ? `${a}|${b}` : `${b}|${a}`);
  const join = (canonical: string, merged: string) => {
    canonicalOf.set(merged, canonical);
    const set = members.get(canonical) ?? new Set([canonical]);
    set.add(merged);
    members.set(canonical, set);
  };
  for (const link of links) {
    if (link.unmerged_at === null) join(link.canonical_id, link.merged_id);
    else unmerged.add(pairKey(link.canonical_id, link.merged_id));
  }
  const clusterOf = (id: string) => members.get(canonicalOf.get(id) ?? id) ?? new Set([id]);
  const sourcesOf = (cluster: Set<string>) => new Set([...cluster].map((id) => byId().get(id)?.row.source));
  const warnedPairs = new Set<string>();
  for (const [index, { entry, handle: id }] of touched.entries()) {
    // The written places' candidates follow the stored ones, in the same order.
    const selfCandidate = candidates[firstTouched + index] as Candidate;
    const self = selfCandidate.row;
    const group = selfCandidate.group as CommuneGroup;
    // Alone in its commune: nothing to compare (and no key to compute).
    if (group.members.length === 1) continue;
    const selfKey = selfCandidate.key;
    let best: { other: MatchCandidateRow; score: number } | null = null;
    for (const candidate of group.comparable(selfKey.number)) {
      const other = candidate.row;
      if (other.id === id) continue;
      const result = compareIfMayMatch(selfKey, candidate.key);
      if (result === null || !result.match) continue;
      if (other.source === self.source) {
        const pair = pairKey(id, other.id);
        if (!warnedPairs.has(pair)) {
          warnedPairs.add(pair);
          warnings.push({
            row: entry.row,
            id: entry.place.sourceId,
            field: 'nom',
            value: entry.place.nom,
            message: MESSAGES.lookAlike(other.source_id, result.score),
          });
        }
        continue;
      }
      if (unmerged.has(pairKey(id, other.id))) continue;
      if (!best || result.score > best.score) best = { other, score: result.score };
    }
    if (!best) continue;
    const mine = clusterOf(id);
    const theirs = clusterOf(best.other.id);
    if (mine === theirs || mine.has(best.other.id)) continue;
    const mineSources = sourcesOf(mine);
    if ([...sourcesOf(theirs)].some((source) => mineSources.has(source))) continue;
    if (mine.size > 1 && theirs.size > 1) continue;
    let canonical: string;
    let merged: string;
    if (mine.size > 1) {
      canonical = canonicalOf.get(id) ?? id;
      merged = best.other.id;
    } else if (theirs.size > 1) {
      canonical = canonicalOf.get(best.other.id) ?? best.other.id;
      merged = id;
    } else {
      // Freshest date_maj wins; on a tie, the record stored first stays canonical.
      const a = self;
      const b = best.other;
      const aFresher = (a.date_maj ?? '') > (b.date_maj ?? '');
      [canonical, merged] = aFresher ? [a.id, b.id] : [b.id, a.id];
    }
    join(canonical, merged);
    newLinks.push({ canonical, merged, score: best.score });
    mergedNow.add(id);
    if (touchedIds.has(best.other.id)) mergedNow.add(best.other.id);
    warnings.push({
      row: entry.row,
      id: entry.place.sourceId,
      field: 'id',
      value: entry.place.sourceId,
      message: MESSAGES.mergedWith(best.other.source, best.other.source_id, best.score),
    });
  }
  return { links: newLinks, merged: mergedNow };
}

export interface ImportSummary {
  id: string;
  seq: number;
  startedAt: Date;
  actor: string;
  fileName: string | null;
  fileSha256: string | null;
  source: string | null;
  dryRun: boolean;
  undoneAt: Date | null;
  counts: Record<string, number>;
}

function toImportSummary(row: ImportSummaryRow): ImportSummary {
  return {
    id: row.id,
    seq: row.seq,
    startedAt: row.started_at,
    actor: row.actor,
    fileName: row.file_name,
    fileSha256: row.file_sha256,
    source: row.source,
    dryRun: row.dry_run,
    undoneAt: row.undone_at,
    counts: row.counts,
  };
}

/** The imports, most recent first. */
export async function listPlaceImports(db: Db): Promise<ImportSummary[]> {
  return (await listImports(db)).map(toImportSummary);
}

export interface ImportDetail extends ImportSummary {
  warnings: ImportIssue[];
  errors: ImportIssue[];
}

/** One import with its full report (rejected rows and warnings). */
export async function getPlaceImport(db: Db, id: string): Promise<ImportDetail> {
  const row = isUuid(id) ? await findImport(db, id.toLowerCase()) : undefined;
  if (!row) throw new DomainError('not_found', MESSAGES.importNotFound, { id });
  const report = (row.report ?? {}) as { warnings?: ImportIssue[]; errors?: ImportIssue[] };
  return { ...toImportSummary(row), warnings: report.warnings ?? [], errors: report.errors ?? [] };
}

/** An import report as CSV (one line per rejected row field or warning), for spreadsheets. */
export async function importReportCsv(db: Db, id: string): Promise<string> {
  const detail = await getPlaceImport(db, id);
  return serializeImportReportCsv([
    ...detail.errors.map((issue) => ({ kind: 'refus' as const, issue })),
    ...detail.warnings.map((issue) => ({ kind: 'avertissement' as const, issue })),
  ]);
}

/**
 * Undoes an import: every place it changed gets back its exact previous row, places it added are
 * deleted, merges it made are removed. Imports are undone from the most recent: when a later import
 * (not undone) changed or merged some of the same places, the undo is refused and names it.
 */
export async function undoPlaceImport(db: Db, id: string): Promise<{ restored: number; deleted: number }> {
  const detail = await getPlaceImport(db, id);
  if (detail.dryRun) throw new DomainError('conflict', MESSAGES.dryRunUndo, { id });
  if (detail.undoneAt) throw new DomainError('conflict', MESSAGES.alreadyUndone(detail.undoneAt), { id });
  return db.transaction().execute(async (trx) => {
    const tx = trx as unknown as Db;
    const later = await findLaterImportsTouching(tx, detail.id);
    if (later.length > 0) throw new DomainError('conflict', MESSAGES.laterImports(later), { id, later });
    return revertImport(tx, detail.id);
  });
}

export interface PlaceMerge {
  id: string;
  canonicalId: string;
  mergedId: string;
  canonical: string;
  merged: string;
  score: number;
  importId: string | null;
  createdAt: Date;
}

/** Merges in force (the same place published by two sources). */
export async function listPlaceMerges(db: Db): Promise<PlaceMerge[]> {
  return (await listActiveLinks(db)).map((l) => ({
    id: l.id,
    canonicalId: l.canonical_id,
    mergedId: l.merged_id,
    canonical: `${l.canonical_nom} (${l.canonical_source})`,
    merged: `${l.merged_nom} (${l.merged_source})`,
    score: l.score,
    importId: l.import_id,
    createdAt: l.created_at,
  }));
}

/**
 * Undoes a merge (by the merge's id or the merged place's id): both records show again as two places,
 * and later imports will not merge this pair again. Place rows are not touched.
 */
export async function unmergePlace(db: Db, id: string): Promise<{ canonicalId: string; mergedId: string }> {
  if (!isUuid(id)) throw new DomainError('not_found', MESSAGES.linkNotFound, { id });
  const key = id.toLowerCase();
  return db.transaction().execute(async (trx) => {
    const tx = trx as unknown as Db;
    const byLink = await findLink(tx, key);
    const link = byLink && byLink.unmerged_at === null ? byLink : await findActiveLinkOfMerged(tx, key);
    if (!link) throw new DomainError('not_found', MESSAGES.linkNotFound, { id });
    await markUnmerged(tx, link.id);
    return { canonicalId: link.canonical_id, mergedId: link.merged_id };
  });
}

export interface DataQuality {
  total: number;
  withoutHours: { count: number; places: Place[] };
  approximate: { count: number; places: Place[] };
  stale: { count: number; places: Place[]; before: string };
  warningsByField: { field: string | null; warnings: number; imports: number }[];
  lastImports: number;
}

const QUALITY_LIST_LIMIT = 50;
const QUALITY_LAST_IMPORTS = 10;

/**
 * The coordinator's data-quality view: places without hours, with an approximate position, or whose
 * date_maj is missing or over 12 months old (merged duplicates hidden), and the warnings of the last
 * imports grouped by field.
 */
export async function getDataQuality(db: Db, now: Date = new Date()): Promise<DataQuality> {
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
  return {
    total: counts.total,
    withoutHours: { count: counts.without_hours, places: withoutHours.map(toPlace) },
    approximate: { count: counts.approximate, places: approximate.map(toPlace) },
    stale: { count: counts.stale, places: stale.map(toPlace), before },
    warningsByField: byField,
    lastImports: QUALITY_LAST_IMPORTS,
  };
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

/** One place by our stable id; an unknown or malformed id is `not_found`. */
export async function getPlace(db: Db, id: string): Promise<Place> {
  const row = isUuid(id) ? await findPlaceById(db, id.toLowerCase()) : undefined;
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

/** One place and the structure it belongs to (null when none), for the rules about who edits it. */
export async function getPlaceWithStructure(
  db: Db,
  id: string,
): Promise<{ place: Place; structureId: string | null }> {
  const row = isUuid(id) ? await findPlaceById(db, id.toLowerCase()) : undefined;
  if (!row) throw new DomainError('not_found', "Ce lieu n'existe pas ou a été retiré de l'annuaire.", { id });
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
  const current = await getPlace(db, placeId);
  const next: PlaceData = { ...current, ...change.patch, dateMaj: change.today };
  const {
    source: _source,
    source_id: _sourceId,
    ...columns
  } = toInsert(current.source, next, placeContentHash(next));
  await updatePlaceColumns(db, current.id, columns);
  if (change.closures) await replaceClosuresFrom(db, current.id, change.today, change.closures);
  return getPlace(db, current.id);
}
