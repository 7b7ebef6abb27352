import { createHash } from 'node:crypto';
import path from 'node:path';
import { type Actor, actorId, actorLabel, authorize } from '../accounts/policy.ts';
import { recordAudit } from '../audit/audit.service.ts';
import { getReferencePoints, loadTerritoryShape } from '../communes/communes.service.ts';
import type { TerritoryShape } from '../communes/territory-shape.ts';
import type { Db } from '../db/database.ts';
import { DomainError } from '../shared/domain-error.ts';
import type { PublicScope } from '../shared/territory.ts';
import {
  findByIdentities,
  finishImportRecord,
  insertImportRecord,
  insertLinks,
  type LinkRow,
  linkStructures,
  listLinksOf,
  listLocalSources,
  listMatchCandidates,
  listStoredSourceIds,
  markNationalSources,
  type PreparedPlaceRows,
  preparePlaceRows,
  snapshotPlaces,
  upsertPlaces,
} from './places.repository.ts';
import { toInsert } from './places.service.ts';
import { type ImportCounts, type ImportIssue, placeContentHash } from './places.ts';

export type { ImportCounts };

import {
  looksLikeDataInclusion,
  type PlacesLayout,
  readDataInclusionFiles,
} from './places-data-inclusion.ts';
import { type AcceptedEntry, findDuplicates, storedMatchInput, type Touched } from './places-duplicates.ts';
import {
  missingRequiredColumns,
  notOnSchemaError,
  type ParsedRecord,
  parsePlacesFile,
} from './places-file.ts';
import { judgeBatch } from './places-judge.service.ts';
import {
  applyMapping,
  checkMapping,
  type MappingProblem,
  type PlacesMapping,
  readRawPlacesFile,
} from './places-mapping.ts';
import { distanceMeters, type MatchCandidateRow, matchKey } from './places-match.ts';
import { recogniseOwn, skipOutside } from './places-national-import.ts';
import { normalizePlaceRow } from './places-row.ts';

/**
 * Importing places: a file of the national schema (CSV or JSON), or records already parsed (the
 * demonstration), normalised row by row, positions checked against their commune, compared with the
 * stored records, written by batches, then merged with the same places of other sources. Every place
 * written is recorded with its previous row, so that the import can be undone (places-history.service.ts).
 */

export interface ImportReport extends ImportCounts {
  importId: string | null;
  dryRun: boolean;
  warnings: ImportIssue[];
  errors: ImportIssue[];
  /** Among the warnings: the places outside the territory, and the merges with other sources' places. */
  outside: ImportIssue[];
  merges: ImportIssue[];
}

export interface ImportOptions {
  fileName: string;
  /** Overrides the rows' own `source` (identity is (source, id)). */
  source?: string | undefined;
  dryRun?: boolean | undefined;
  onProgress?: ((done: number, total: number) => void) | undefined;
  /** The network's territory: places outside it are imported with a warning (docs/decisions/0025). */
  scope?: PublicScope | undefined;
  /** For a file in another layout: which columns give which schema fields (docs/decisions/0028). */
  mapping?: PlacesMapping | undefined;
  /**
   * A merge scored below this is only proposed, for a coordinator to confirm on /fusions
   * (MERGE_REVIEW_BELOW, docs/decisions/0029); absent: 0, every merge applied.
   */
  mergeReviewBelow?: number | undefined;
  /**
   * Runs in the import's own transaction just before it commits (not for a dry run): a web upload marks
   * itself imported there, so that the import and that mark commit together or not at all.
   */
  beforeCommit?: ((tx: Db, importId: string) => Promise<void>) | undefined;
  /** The file's layout (decision 0055): the national map's export, or data·inclusion's (detected when absent). */
  layout?: PlacesLayout | undefined;
  /** data·inclusion's services file, read with its structures. */
  services?: { bytes: Uint8Array; fileName: string } | undefined;
  /** The network's name (NETWORK_NAME): its producer id in data·inclusion's files names its own places. */
  networkName?: string | undefined;
}

/** What the file-reading step hands to importPlaceRecords for a national system's file. */
interface NationalReading {
  /** The layout, when the file comes from a national system. */
  national?: PlacesLayout | undefined;
  /** Warnings of the reading (values without a national equivalent, services without a structure). */
  readWarnings?: ImportIssue[] | undefined;
}

/** The identity source of a file without --source nor a `source` column: its name without extension. */
function sourceFromFileName(fileName: string): string {
  return path.basename(fileName).replace(/\.[^.]*$/, '') || 'import';
}

/**
 * Who imported, as the import history names them: the command line (and the server's own demonstration
 * seeding), or a person by their account's id (an address would outlive the account in the history).
 */
function importedBy(actor: Actor): string {
  return actor.kind === 'person' ? `personne ${actor.personId}` : 'ligne de commande';
}

/** A mapping that cannot be applied to the file: every problem, one per line, in one error. */
function mappingError(problems: MappingProblem[]): DomainError {
  const lines = problems.map((problem) => `- ${problem.message}`).join('\n');
  return new DomainError(
    'invalid_input',
    `La correspondance des colonnes ne peut pas être appliquée à ce fichier :\n${lines}`,
    { problems },
  );
}

/**
 * Imports a file of places; the network's coordinators (and the command line) do. The file follows the
 * national schema v1 (CSV or JSON), or any layout with a column mapping (`options.mapping`, checked
 * against the file's columns first: a mapping that cannot apply throws `invalid_input` listing its
 * problems, and nothing is written). A bad row never aborts the file: it is rejected with one error per
 * failing field, everything else is kept (with warnings). Identity is (source, id): re-importing the same
 * file changes nothing. File-level failures (empty, binary, unreadable, a layout that is not the schema's
 * and no mapping) throw `invalid_file`.
 */
export async function importPlacesFile(
  db: Db,
  actor: Actor,
  bytes: Uint8Array,
  options: ImportOptions,
): Promise<ImportReport> {
  authorize(actor, 'importPlacesFile');
  const sha256 = createHash('sha256').update(bytes).digest('hex');
  const layout =
    options.layout ??
    (options.mapping === undefined && (options.services !== undefined || looksLikeDataInclusion(bytes))
      ? 'data-inclusion'
      : undefined);
  if (layout === 'data-inclusion') {
    const read = readDataInclusionFiles({ bytes, fileName: options.fileName }, options.services ?? null);
    return importPlaceRecords(db, actor, read.records, read.fileIssues, {
      ...options,
      sha256,
      national: 'data-inclusion',
      readWarnings: read.warnings,
    });
  }
  if (options.mapping !== undefined) {
    const raw = readRawPlacesFile(bytes, options.fileName);
    const problems = checkMapping(options.mapping, raw.columns, { source: options.source });
    if (problems.length > 0) throw mappingError(problems);
    const mapped = applyMapping(raw, options.mapping);
    return importPlaceRecords(db, actor, mapped.records, [...raw.fileIssues, ...mapped.issues], {
      ...options,
      sha256,
    });
  }
  const parsed = parsePlacesFile(bytes, options.fileName);
  // A file lacking a required column would see every row refused: one message says why, and what to do.
  if (parsed.records.length > 0 && missingRequiredColumns(parsed.columns).length > 0) {
    throw notOnSchemaError(options.fileName, parsed.columns);
  }
  return importPlaceRecords(db, actor, parsed.records, parsed.fileIssues, {
    ...options,
    sha256,
    national: layout,
  });
}

/** The user-facing messages of imports, in one place. */
const MESSAGES = {
  positionFar: (latitude: number, longitude: number, km: number, commune: string, code: string) =>
    `La position ${latitude}, ${longitude} est à ${km} km de la commune ${commune} (${code}), plus que les ${MAX_DISTANCE_FROM_COMMUNE_KM} km admis : elle est remplacée par le point de référence de la commune, et le lieu est marqué « position approximative ».`,
  outsideShown: (territory: string, commune: string, km: number, margin: number) =>
    `Lieu hors du territoire (${territory}) : ${commune} est à ${km} km de sa limite. Il est affiché au public, car à moins de ${margin} km.`,
  outsideHidden: (territory: string, commune: string, km: number | null, margin: number) =>
    `Lieu hors du territoire (${territory}) : ${commune} ${km === null ? 'est à une distance inconnue de sa limite (lieu sans position, ou communes du territoire sans contour ni point de référence : commande geo import)' : `est à environ ${km} km de sa limite, plus que les ${margin} km admis`}. Le lieu est importé mais n'est pas affiché au public (recherche, annuaire, API, diagnostic) ; il est listé sur la page « Qualité des données ».`,
  positionMissing: (commune: string, code: string) =>
    `Le lieu n'a pas de position : le point de référence de la commune ${commune} (${code}) est utilisé, et le lieu est marqué « position approximative ». Il apparaît ainsi dans la recherche autour d'une commune.`,
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

/**
 * Places outside the network's territory are imported, with a warning naming the row and the commune,
 * and whether the public sees them (within the margin of the border) or not (docs/decisions/0025).
 */
function warnOutside(shape: TerritoryShape, entries: AcceptedEntry[], warnings: ImportIssue[]): void {
  if (shape.whole) return;
  for (const entry of entries) {
    const place = entry.place;
    const at = shape.placement(place);
    if (at.inside) continue;
    const commune = `${place.commune} (${place.codeInsee ?? place.codePostal})`;
    const km = at.km === null ? null : Math.round(at.km);
    warnings.push({
      row: entry.row,
      id: place.sourceId,
      field: 'commune',
      value: commune,
      message:
        at.kept && km !== null
          ? MESSAGES.outsideShown(shape.label, commune, km, shape.marginKm)
          : MESSAGES.outsideHidden(shape.label, commune, km, shape.marginKm),
    });
  }
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
 * Imports already parsed records (the demonstration data goes through here, like any file), under the
 * rule of importPlacesFile. Counts add
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
  actor: Actor,
  records: ParsedRecord[],
  fileIssues: ImportIssue[],
  options: ImportOptions & NationalReading & { sha256?: string },
): Promise<ImportReport> {
  authorize(actor, 'importPlacesFile');
  let own: Awaited<ReturnType<typeof recogniseOwn>> | null = null;
  if (options.national !== undefined) {
    const fallback = sourceFromFileName(options.fileName);
    own = await recogniseOwn(
      {
        localSources: (sources) => listLocalSources(db, sources),
        storedIds: (ids) => listStoredSourceIds(db, ids),
      },
      records,
      (record) =>
        options.source ??
        (typeof record.data.source === 'string' && record.data.source.trim() !== ''
          ? record.data.source.trim()
          : fallback),
      options.networkName,
    );
  }
  const run = new PlaceImport(own?.kept ?? records, fileIssues, {
    ...options,
    readWarnings: [...(options.readWarnings ?? []), ...(own?.warnings ?? [])],
  });
  if (own) {
    run.counts.read += own.recognised.length;
    run.counts.recognised = own.recognised.length;
  }
  const dryRun = options.dryRun ?? false;
  // data·inclusion's two files: the history and the journal name both.
  const fileName = options.services
    ? `${options.fileName} + ${path.basename(options.services.fileName)}`
    : options.fileName;
  const record = {
    actor: importedBy(actor),
    fileName,
    fileSha256: options.sha256 ?? null,
    source: options.source ?? null,
    dryRun,
  };
  let importId: string | null;
  try {
    // A dry run does everything a real import does (so merges are counted too), then rolls it all back
    // and keeps only the record of the attempt.
    importId = await db.transaction().execute(async (trx) => {
      const tx = trx as unknown as Db;
      const id = await insertImportRecord(tx, { ...record, counts: {}, report: {} });
      await run.writeBatches(tx, id);
      // The sources of a national system's file are marked, so that their places are never published.
      if (own && options.national) await markNationalSources(tx, own.nationalSources, options.national);
      const duplicates = await run.duplicatePass(tx);
      await run.linkDuplicates(tx, id, duplicates);
      if (dryRun) throw new DryRunRollback();
      await finishImportRecord(tx, id, run.summary());
      // What the caller records with the import commits with it, or nothing does.
      await options.beforeCommit?.(tx, id);
      await recordImport(tx, actor, id, fileName, run.counts, false);
      return id;
    });
  } catch (error) {
    if (!(error instanceof DryRunRollback)) throw error;
    importId = await insertImportRecord(db, { ...record, ...run.summary() });
    await recordImport(db, actor, importId, fileName, run.counts, true);
  }
  return {
    ...run.counts,
    importId,
    dryRun,
    warnings: run.warnings(),
    errors: run.errors,
    outside: run.steps.territory,
    merges: run.steps.duplicates,
  };
}

/** The journal's entry of an import (a dry run too): who, which file, and its counts. */
async function recordImport(
  db: Db,
  actor: Actor,
  importId: string,
  fileName: string,
  counts: ImportCounts,
  dryRun: boolean,
): Promise<void> {
  await recordAudit(db, {
    actorId: actorId(actor),
    actorLabel: actorLabel(actor),
    action: dryRun ? 'place_import.dry_run' : 'place_import.completed',
    subjectType: 'place_import',
    subjectId: importId,
    details: { fileName: path.basename(fileName), ...counts },
  });
}

/** The warnings of an import, gathered by step: the report gives them in the order of the steps. */
interface ImportSteps {
  file: ImportIssue[];
  rows: ImportIssue[];
  positions: ImportIssue[];
  territory: ImportIssue[];
  dates: ImportIssue[];
  duplicates: ImportIssue[];
}

/** The duplicate pass's answer: the links to add and the written places that got one, by handle. */
type Duplicates = ReturnType<typeof findDuplicates>;

/**
 * One import as it goes, step by step: each batch of rows read (readBatch), checked against its commune
 * and the stored records (compareBatch) and written while the next one is read (writeBatch); then the
 * duplicate pass while the last batch is written (duplicatePass), and the merges it found (linkDuplicates).
 * Counts and issues gather here.
 */
class PlaceImport {
  readonly counts: ImportCounts;
  readonly errors: ImportIssue[] = [];
  readonly steps: ImportSteps = {
    file: [],
    rows: [],
    positions: [],
    territory: [],
    dates: [],
    duplicates: [],
  };
  /** The territory's border, read once per import (none without a scope). */
  #shape: TerritoryShape | null = null;
  readonly #records: ParsedRecord[];
  readonly #options: ImportOptions & NationalReading;
  readonly #fallbackSource: string;
  /** Identities (source, id) of the rows accepted so far: a repeated id is refused. */
  readonly #accepted = new Set<string>();
  #done = 0;
  readonly #neighbours = new StoredNeighbours();
  readonly #touched: Touched[] = [];
  readonly #overwritten: string[] = [];
  /** Links touching the stored places of the communes concerned, read before the last write (see writeBatch). */
  #links: LinkRow[] | null = null;
  /**
   * The write of the previous batch: awaited before the next statement, so that its error (if any) is
   * the one reported, not the "transaction aborted" of the statements after it.
   */
  #writing: Promise<void> = Promise.resolve();
  #writePending = false;
  /** Whether the previous batch was written whole, as read (positions kept): then so is probably this one. */
  #writtenAsRead = true;

  constructor(records: ParsedRecord[], fileIssues: ImportIssue[], options: ImportOptions & NationalReading) {
    this.#records = records;
    this.#options = options;
    this.#fallbackSource = sourceFromFileName(options.fileName);
    // A record the parser could not read (e.g. a JSON element that is not an object) is a rejected row.
    const unreadableRows = new Set<number>();
    this.steps.file.push(...(options.readWarnings ?? []));
    for (const issue of fileIssues) {
      if (issue.row === null) this.steps.file.push(issue);
      else {
        this.errors.push(issue);
        unreadableRows.add(issue.row);
      }
    }
    this.counts = {
      read: records.length + unreadableRows.size,
      imported: 0,
      updated: 0,
      unchanged: 0,
      merged: 0,
      rejected: unreadableRows.size,
      toReview: 0,
      outsideSkipped: 0,
      recognised: 0,
    };
  }

  warnings(): ImportIssue[] {
    const { file, rows, positions, territory, dates, duplicates } = this.steps;
    return [...file, ...rows, ...positions, ...territory, ...dates, ...duplicates];
  }

  /** Counts and report as the import record keeps them. */
  summary(): { counts: Record<string, number>; report: { warnings: ImportIssue[]; errors: ImportIssue[] } } {
    return { counts: { ...this.counts }, report: { warnings: this.warnings(), errors: this.errors } };
  }

  /** Every batch read, checked and written; the last write is left running (see duplicatePass). */
  async writeBatches(tx: Db, importId: string): Promise<void> {
    const records = this.#records;
    for (let start = 0; start < records.length; start += IMPORT_BATCH) {
      const end = Math.min(records.length, start + IMPORT_BATCH);
      const batch = this.#readBatch(start, end);
      if (end === records.length) this.#options.onProgress?.(records.length, records.length);
      // While the database writes the previous batch, this batch's statement is prepared on the guess
      // that it too will be written whole and as read (a first import); the guess is checked below.
      const ahead =
        this.#writePending && this.#writtenAsRead && batch.length > 0
          ? preparePlaceRows(batch.map((entry) => toInsert(entry.source, entry.place, entry.hash)))
          : null;
      await this.#writing;
      this.#writePending = false;
      const judged = await this.#compareBatch(tx, batch);
      if (judged.changedEntries.length === 0) continue;
      await this.#writeBatch(tx, importId, judged, ahead, end === records.length);
    }
    if (records.length === 0) this.#options.onProgress?.(0, 0);
  }

  /** Normalises and hashes the records of one batch; rejected rows and repeated ids go to `errors`. */
  #readBatch(start: number, end: number): AcceptedEntry[] {
    const records = this.#records;
    const options = this.#options;
    const batch: AcceptedEntry[] = [];
    for (let index = start; index < end; index++) {
      const record = records[index] as ParsedRecord;
      const normalized = normalizePlaceRow(record.data, record.row);
      this.steps.rows.push(...normalized.warnings);
      this.#done++;
      if (this.#done % 1000 === 0) options.onProgress?.(this.#done, records.length);
      if (!normalized.place) {
        this.errors.push(...normalized.errors);
        this.counts.rejected++;
        continue;
      }
      const source = options.source ?? normalized.source ?? this.#fallbackSource;
      const key = `${source}\u0000${normalized.place.sourceId}`;
      if (this.#accepted.has(key)) {
        this.errors.push({
          row: record.row,
          id: normalized.place.sourceId,
          field: 'id',
          value: normalized.place.sourceId,
          message: `L'identifiant « ${normalized.place.sourceId} » est déjà utilisé par une ligne précédente du fichier : ligne refusée.`,
        });
        this.counts.rejected++;
        continue;
      }
      this.#accepted.add(key);
      batch.push({
        row: record.row,
        source,
        place: normalized.place,
        hash: placeContentHash(normalized.place),
      });
    }
    return batch;
  }

  /** Positions checked against their commune, then each row judged against the stored record. */
  async #compareBatch(tx: Db, read: AcceptedEntry[]): Promise<ReturnType<typeof judgeBatch>> {
    // A position replaced by the commune's point changes the record: its hash is computed again.
    const moved = await replaceFarPositions(tx, read, this.steps.positions);
    for (const entry of moved) entry.hash = placeContentHash(entry.place);
    const scope = this.#options.scope;
    let batch = read;
    if (scope) {
      this.#shape ??= await loadTerritoryShape(tx, scope);
      // A national system's places beyond the margin are not the network's to hold (decision 0055).
      if (this.#options.national !== undefined)
        batch = skipOutside(this.#shape, read, this.counts, this.steps.territory);
      warnOutside(this.#shape, batch, this.steps.territory);
    }
    const existing = await findByIdentities(
      tx,
      batch.map((e) => ({ source: e.source, sourceId: e.place.sourceId })),
    );
    const judged = judgeBatch(batch, existing, this.counts, this.steps.dates, this.errors);
    this.#writtenAsRead = moved.length === 0 && judged.changedEntries.length === read.length;
    return judged;
  }

  /**
   * Starts writing the new and changed rows of a batch, their previous rows kept for undo; the write is
   * left running while the next batch is read.
   */
  async #writeBatch(
    tx: Db,
    importId: string,
    { changedEntries, storedIds, overwrittenNow }: ReturnType<typeof judgeBatch>,
    ahead: PreparedPlaceRows | null,
    last: boolean,
  ): Promise<void> {
    // What the duplicate pass needs of the stored places is read before this batch overwrites any.
    await this.#neighbours.read(tx, changedEntries);
    await snapshotPlaces(tx, importId, overwrittenNow);
    this.#overwritten.push(...overwrittenNow);
    const rows =
      ahead !== null && this.#writtenAsRead
        ? ahead
        : changedEntries.map((entry) => toInsert(entry.source, entry.place, entry.hash));
    // Links cannot change while places are written: those of the duplicate pass are read before the
    // last write, so that the pass runs while the database writes.
    if (last) this.#links = await listLinksOf(tx, linkedCandidates(this.#neighbours, this.#overwritten));
    // Places inserted (not overwritten) are recorded for undo by the same statement.
    const write = upsertPlaces(tx, rows, importId);
    this.#writePending = true;
    // Handled here so that a failure is not reported as unhandled while the next batch is read; it is
    // thrown where `writing` is awaited.
    write.catch(() => undefined);
    await nextTurn();
    // The database is writing: meanwhile, the keys the duplicate pass will compare.
    const touched = this.#touched;
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
    this.#writing = write.then((rows) => assignIds(written, rows));
    this.#writing.catch(() => undefined);
  }

  /** The duplicate pass (no database), run while the last batch is written. */
  async duplicatePass(tx: Db): Promise<Duplicates> {
    if (this.#links === null && this.#touched.length > 0) {
      await this.#writing;
      this.#links = await listLinksOf(tx, linkedCandidates(this.#neighbours, this.#overwritten));
    }
    return findDuplicates(
      this.#touched,
      this.#neighbours.rows,
      new Set(this.#overwritten),
      this.#links ?? [],
      this.steps.duplicates,
      this.#options.mergeReviewBelow,
    );
  }

  /**
   * Once the last batch is written: the structures named by the places linked, the merges recorded, and
   * the places merged counted as merged rather than imported or updated.
   */
  async linkDuplicates(tx: Db, importId: string, duplicates: Duplicates): Promise<void> {
    await this.#writing;
    const overwrittenSet = new Set(this.#overwritten);
    await linkStructures(tx);
    const idOfHandle = new Map(this.#touched.map((t) => [t.handle, t.id]));
    const idOf = (handle: string) => idOfHandle.get(handle) ?? handle;
    await insertLinks(
      tx,
      duplicates.links.map((link) => ({
        canonical_id: idOf(link.canonical),
        merged_id: idOf(link.merged),
        score: link.score,
        import_id: importId,
        pending: link.pending,
      })),
    );
    this.counts.toReview = duplicates.links.filter((link) => link.pending).length;
    for (const t of this.#touched) {
      t.wasUpdate = overwrittenSet.has(t.id);
      if (!duplicates.merged.has(t.handle)) continue;
      if (t.wasUpdate) this.counts.updated--;
      else this.counts.imported--;
      this.counts.merged++;
    }
  }
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

/** The places whose links the duplicate pass needs: those read, and those the import overwrites. */
function linkedCandidates(neighbours: StoredNeighbours, overwritten: string[]): string[] {
  return [...new Set([...neighbours.rows.keys(), ...overwritten])];
}
