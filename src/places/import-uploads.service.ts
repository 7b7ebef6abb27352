import { createHash } from 'node:crypto';
import path from 'node:path';
import { personDisplayNames } from '../accounts/accounts.service.ts';
import { type Actor, actorId, actorLabel, authorize } from '../accounts/policy.ts';
import { recordAudit } from '../audit/audit.service.ts';
import type { Db, ImportUploadState } from '../db/database.ts';
import { wakeJobRunner } from '../jobs/job-queue.service.ts';
import { DomainError } from '../shared/domain-error.ts';
import { isUuid } from '../shared/ids.ts';
import type { PublicScope } from '../shared/territory.ts';
import { mappingProblemsError } from './import-mapping-form.ts';
import { previewOf, type UploadPreview } from './import-preview.ts';
import {
  beatUpload,
  claimWaitingUpload,
  deleteExpiredUploads,
  deleteUpload,
  findSavedMapping,
  findUpload,
  insertUpload,
  listOpenUploads,
  moveUpload,
  readUploadContent,
  readUploadServices,
  requeueStaleUploads,
  saveMapping,
  type UploadRow,
  writeUploadCounts,
  writeUploadProgress,
} from './import-uploads.repository.ts';
import {
  dataInclusionKind,
  looksLikeDataInclusion,
  type PlacesLayout,
  readDataInclusionFiles,
} from './places-data-inclusion.ts';
import { notOnSchemaError } from './places-file.ts';
import { type ImportSummary, listPlaceImports } from './places-history.service.ts';
import { importPlacesFile } from './places-import.service.ts';
import {
  checkLayout,
  checkMapping,
  type PlacesMapping,
  parseMappingJson,
  type RawFile,
  readRawPlacesFile,
  suggestMapping,
  valueCandidates,
} from './places-mapping.ts';

/**
 * Imports from the web (docs/decisions/0031). A coordinator uploads a file: it is kept in the database
 * with its hash for 24 hours, checked by a dry run in the background, shown, and imported only when the
 * coordinator confirms — exactly that file, whichever app server takes the confirmation. A file not on
 * the national schema first gets a column mapping (the one last used for its source is offered again).
 * The job runner of any server does the dry runs and the imports, one import per source at a time.
 */

/** An upload is kept this long after it was sent, then deleted (the import history keeps name and hash). */
export const UPLOAD_KEPT_HOURS = 24;
const HEARTBEAT_MS = 30_000;
/** A dry run or an import silent this long is taken for the work of a stopped server, and started again. */
const STALE_MINUTES = 10;

const MESSAGES = {
  notFound: "Ce fichier déposé n'existe pas, ou il a été supprimé (les fichiers sont gardés 24 heures).",
  expired:
    'Ce fichier a été déposé il y a plus de 24 heures : il a été supprimé. Déposez-le de nouveau pour l’importer.',
  altered:
    "Le fichier enregistré ne correspond plus à celui qui a été vérifié (empreinte différente) : rien n'a été importé. Déposez-le de nouveau.",
  notPreviewed: (state: string) =>
    `Ce fichier ne peut pas être importé maintenant : ${state}. Attendez la fin de la vérification.`,
  alreadyConfirmed: 'Cet import a déjà été confirmé : il est en cours ou terminé.',
  noFile: 'Choisissez un fichier CSV ou JSON à importer.',
  sourceTooLong: 'Le nom de la source ne doit pas dépasser 200 caractères.',
  cannotMap:
    'La correspondance ne peut pas changer maintenant : le fichier est en cours de vérification, ou son import est déjà confirmé. Attendez la fin de la vérification.',
  changedSincePreview:
    'La correspondance ou la vérification a changé depuis que cette page a été affichée : relisez le nouveau résultat, puis confirmez.',
  cannotCancel: 'Cet import est en cours : il ne peut plus être abandonné.',
  failed:
    "L'import n'a pas pu se terminer ; rien n'a été enregistré. Réessayez ou contactez l'équipe technique.",
  takenElsewhere: "Cet import a été repris par un autre serveur : rien n'a été enregistré ici.",
  servicesAlone: (name: string) =>
    `Fichier des structures : il manque. data·inclusion publie ses structures et ses services dans deux fichiers ; « ${name} » a été donné comme fichier des services, mais les services seuls ne donnent aucun lieu. Choisissez aussi le fichier des structures.`,
  servicesAreStructures: (name: string) =>
    `Fichier des services : « ${name} » contient des services data·inclusion (d'après son contenu) ; il a été donné comme premier fichier, à la place des structures. Donnez le fichier des structures en premier, et celui-ci comme fichier des services.`,
  servicesNotDataInclusion:
    "Fichier des services : il ne va qu'avec les structures data·inclusion, pas avec l'export de la cartographie nationale ni avec une correspondance des colonnes.",
  layoutWithMapping:
    'Correspondance des colonnes : un fichier de la cartographie nationale ou de data·inclusion a déjà sa forme ; ne donnez pas de correspondance avec lui.',
  noMappingForLayout:
    "Ce fichier vient d'un système national (cartographie nationale ou data·inclusion) : il se lit tel quel, sans correspondance des colonnes.",
} as const;

/** How the upload page names a layout. */
export const LAYOUT_LABELS: Readonly<Record<PlacesLayout, string>> = {
  national: 'export de la cartographie nationale des lieux',
  'data-inclusion': 'structures et services data·inclusion',
};

export const STATE_LABELS: Readonly<Record<ImportUploadState, string>> = {
  needs_mapping: 'correspondance des colonnes à faire',
  preview_queued: 'vérification en attente',
  previewing: 'vérification en cours',
  previewed: 'vérifié, en attente de votre confirmation',
  queued: 'import en attente',
  running: 'import en cours',
  done: 'importé',
  failed: 'échec',
};

export interface ImportUpload {
  id: string;
  fileName: string;
  sha256: string;
  sizeBytes: number;
  source: string | null;
  sourceKey: string;
  mapping: PlacesMapping | null;
  uploadedBy: string | null;
  uploadedAt: Date;
  expiresAt: Date;
  state: ImportUploadState;
  stateLabel: string;
  progress: { done: number; total: number };
  preview: UploadPreview | null;
  importId: string | null;
  error: string | null;
  /** Another import of the same source is running (this one waits for it). */
  waitingFor: boolean;
  /** What a confirmation sends back: the upload as the page showed it. */
  version: string;
  /** A national system's layout (decision 0055), chosen or detected; null: the network's own file. */
  layout: PlacesLayout | null;
  /** data·inclusion's services file uploaded with the structures, and its hash. */
  services: { fileName: string; sha256: string } | null;
}

function toUpload(row: UploadRow): ImportUpload {
  return {
    id: row.id,
    fileName: row.file_name,
    sha256: row.sha256,
    sizeBytes: row.size_bytes,
    source: row.source,
    sourceKey: row.source_key,
    mapping: (row.mapping as PlacesMapping | null) ?? null,
    uploadedBy: row.uploaded_by,
    uploadedAt: row.uploaded_at,
    expiresAt: row.expires_at,
    state: row.state,
    stateLabel: STATE_LABELS[row.state],
    progress: { done: row.progress_done, total: row.progress_total },
    preview: (row.preview as UploadPreview | null) ?? null,
    importId: row.import_id,
    error: row.error,
    waitingFor: false,
    version: uploadVersion(row),
    layout: row.layout,
    services:
      row.services_file_name === null || row.services_sha256 === null
        ? null
        : { fileName: row.services_file_name, sha256: row.services_sha256 },
  };
}

/** The version of an upload a page shows (its last change): a confirmation must name it. */
function uploadVersion(row: { updated_at: Date }): string {
  return String(new Date(row.updated_at).getTime());
}

function sha256Of(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

/** The identity source an upload's rows get: the one chosen, else the file's name without extension. */
function sourceKeyOf(source: string | null, fileName: string): string {
  return source ?? (path.basename(fileName).replace(/\.[^.]*$/, '') || 'import');
}

function personOf(actor: Actor): string | null {
  return actor.kind === 'person' ? actor.personId : null;
}

async function loadUpload(db: Db, id: string, now: Date): Promise<UploadRow> {
  const row = isUuid(id) ? await findUpload(db, id.toLowerCase()) : undefined;
  if (!row) throw new DomainError('not_found', MESSAGES.notFound, { id });
  if (row.expires_at <= now && !['queued', 'running', 'done'].includes(row.state))
    throw new DomainError('conflict', MESSAGES.expired, { id, expiredAt: row.expires_at });
  return row;
}

/**
 * Receives a file to import (CSV or JSON, the command line's limits) and keeps it for 24 hours with its
 * hash. The file is read at once, so that what makes it unreadable (empty, binary, broken JSON…) is said
 * now and nothing is kept. A file on the national schema goes to its dry run; a file in another layout
 * goes to its dry run with the mapping given, or the one last saved for its source, or else waits for a
 * mapping. A national system's file (decision 0055) has its layout, chosen or detected as the command
 * line detects it: data·inclusion's structures come with their services file in the same upload (kept
 * with them), both read at once — two files swapped, a cut JSON, another version of the schema are
 * refused now; the national map's export must be on the national schema. Coordinators only.
 */
export async function uploadPlacesFile(
  db: Db,
  actor: Actor,
  input: {
    file: { name: string; bytes: Uint8Array } | null;
    source: string | null;
    mapping: PlacesMapping | null;
    /** data·inclusion's services file, with its structures (`file`). */
    services?: { name: string; bytes: Uint8Array } | null | undefined;
    /** The layout the coordinator chose; absent: detected (decision 0055). */
    layout?: PlacesLayout | null | undefined;
  },
  now: Date = new Date(),
): Promise<{ id: string; state: ImportUploadState }> {
  authorize(actor, 'uploadPlacesFile');
  const servicesFile = input.services && input.services.name !== '' ? input.services : null;
  if (input.file === null || input.file.name === '') {
    if (servicesFile)
      throw new DomainError('invalid_input', MESSAGES.servicesAlone(path.basename(servicesFile.name)), {
        field: 'fichier',
      });
    throw new DomainError('invalid_input', MESSAGES.noFile, { field: 'fichier' });
  }
  const bytes = input.file.bytes;
  const source = input.source?.trim() || null;
  if (source !== null && source.length > 200)
    throw new DomainError('invalid_input', MESSAGES.sourceTooLong, { field: 'source' });
  const fileName = path.basename(input.file.name).slice(0, 255) || 'fichier';
  const chosen = input.layout ?? null;
  if (servicesFile && (chosen === 'national' || input.mapping !== null))
    throw new DomainError('invalid_input', MESSAGES.servicesNotDataInclusion, { field: 'services' });
  if (chosen !== null && input.mapping !== null)
    throw new DomainError('invalid_input', MESSAGES.layoutWithMapping, { field: 'correspondance' });
  // Detected as the command line detects it: never for a file with a mapping.
  const layout: PlacesLayout | null =
    chosen ??
    (input.mapping === null && (servicesFile !== null || looksLikeDataInclusion(bytes))
      ? 'data-inclusion'
      : null);
  if (layout === 'data-inclusion')
    return uploadDataInclusion(db, actor, { bytes, fileName, source, services: servicesFile }, now);
  const raw = readRawPlacesFile(bytes, fileName);
  if (layout === 'national' && !checkLayout(raw.columns).onSchema)
    throw notOnSchemaError(fileName, raw.columns);
  const sourceKey = sourceKeyOf(source, fileName);
  let mapping = input.mapping;
  if (mapping === null && layout === null && !checkLayout(raw.columns).onSchema) {
    const saved = await findSavedMapping(db, sourceKey);
    if (saved) {
      const parsed = parseMappingJson(saved.mapping);
      if (parsed.ok && checkMapping(parsed.mapping, raw.columns, { source: sourceKey }).length === 0)
        mapping = parsed.mapping;
    }
  }
  if (mapping !== null) {
    const problems = checkMapping(mapping, raw.columns, { source: sourceKey });
    if (problems.length > 0) throw mappingProblemsError(problems);
  }
  const state: ImportUploadState =
    mapping === null && !checkLayout(raw.columns).onSchema ? 'needs_mapping' : 'preview_queued';
  return keepUpload(
    db,
    actor,
    { bytes, fileName, source, sourceKey, mapping, state, layout, services: null },
    now,
  );
}

/**
 * data·inclusion's structures and services, uploaded together: both read now, as the import will read
 * them (so what refuses the whole import is said before anything is kept), then kept for their dry run.
 */
async function uploadDataInclusion(
  db: Db,
  actor: Actor,
  input: {
    bytes: Uint8Array;
    fileName: string;
    source: string | null;
    services: { name: string; bytes: Uint8Array } | null;
  },
  now: Date,
): Promise<{ id: string; state: ImportUploadState }> {
  const { bytes, fileName, source } = input;
  // Only the services file was given, as the first one: say so by name, rather than read services as places.
  if (input.services === null && dataInclusionKind(bytes) === 'services')
    throw new DomainError('invalid_file', MESSAGES.servicesAreStructures(fileName), {
      field: 'fichier',
      fileName,
    });
  const services = input.services
    ? {
        fileName: path.basename(input.services.name).slice(0, 255) || 'services',
        bytes: input.services.bytes,
      }
    : null;
  readDataInclusionFiles({ bytes, fileName }, services);
  return keepUpload(
    db,
    actor,
    {
      bytes,
      fileName,
      source,
      sourceKey: sourceKeyOf(source, fileName),
      mapping: null,
      state: 'preview_queued',
      layout: 'data-inclusion',
      services: services && {
        file_name: services.fileName,
        sha256: sha256Of(services.bytes),
        content: services.bytes,
      },
    },
    now,
  );
}

/** Keeps an upload read and checked, records it in the journal, and wakes the runner for its dry run. */
async function keepUpload(
  db: Db,
  actor: Actor,
  u: {
    bytes: Uint8Array;
    fileName: string;
    source: string | null;
    sourceKey: string;
    mapping: PlacesMapping | null;
    state: ImportUploadState;
    layout: PlacesLayout | null;
    services: { file_name: string; sha256: string; content: Uint8Array } | null;
  },
  now: Date,
): Promise<{ id: string; state: ImportUploadState }> {
  const id = await insertUpload(db, {
    file_name: u.fileName,
    sha256: sha256Of(u.bytes),
    content: u.bytes,
    source: u.source,
    source_key: u.sourceKey,
    mapping: u.mapping,
    uploaded_by: personOf(actor),
    uploaded_at: now,
    expires_at: new Date(now.getTime() + UPLOAD_KEPT_HOURS * 3600_000),
    state: u.state,
    layout: u.layout,
    services: u.services,
  });
  await recordAudit(db, {
    actorId: actorId(actor),
    actorLabel: actorLabel(actor),
    action: 'place_import.uploaded',
    subjectType: 'place_import_upload',
    subjectId: id,
    details: {
      fileName: u.fileName,
      bytes: u.bytes.byteLength,
      source: u.sourceKey,
      ...(u.layout ? { layout: u.layout } : {}),
      ...(u.services
        ? { servicesFileName: u.services.file_name, servicesBytes: u.services.content.byteLength }
        : {}),
    },
  });
  if (u.state === 'preview_queued') wakeJobRunner();
  return { id, state: u.state };
}

export interface MappingView {
  upload: ImportUpload;
  columns: string[];
  /** Required schema columns the file lacks (the whole-file message). */
  missing: string[];
  /** The mapping shown: the upload's, else the source's saved one, else one guessed from the columns. */
  mapping: PlacesMapping;
  /** Where the mapping shown comes from. */
  origin: 'upload' | 'saved' | 'suggested';
  values: ReturnType<typeof valueCandidates>;
  /** The first rows of the file, for the coordinator to recognise the columns. */
  sample: Record<string, string>[];
}

async function rawOf(db: Db, row: UploadRow): Promise<RawFile> {
  const content = await readUploadContent(db, row.id);
  if (!content) throw new DomainError('not_found', MESSAGES.notFound, { id: row.id });
  return readRawPlacesFile(content, row.file_name);
}

function sampleOf(raw: RawFile): Record<string, string>[] {
  return raw.records.slice(0, 3).map((record) => {
    const out: Record<string, string> = {};
    for (const column of raw.columns) {
      const value = record.data[column];
      out[column] =
        value === undefined || value === null
          ? ''
          : (typeof value === 'string' ? value : JSON.stringify(value)).slice(0, 80);
    }
    return out;
  });
}

/** One upload as its page shows it: state, progress, the dry run's report. Coordinators only. */
export async function viewImportUpload(
  db: Db,
  actor: Actor,
  { id }: { id: string },
  now: Date = new Date(),
): Promise<ImportUpload> {
  authorize(actor, 'viewImportUpload');
  const row = await loadUpload(db, id, now);
  const upload = toUpload(row);
  if (row.state === 'queued') {
    const open = await listOpenUploads(db, now);
    upload.waitingFor = open.some(
      (u) => (u.state === 'running' || u.state === 'previewing') && u.source_key === row.source_key,
    );
  }
  return upload;
}

/**
 * The mapping step of an upload: the file's columns and first rows, the mapping to edit (the upload's,
 * else the one saved for its source, else one guessed from the column names), and the words of its
 * list columns with their counts. With `draft`, the words are those of that mapping (the page shows
 * them again after the coordinator changed the columns). Coordinators only.
 */
export async function viewUploadMapping(
  db: Db,
  actor: Actor,
  { id, draft }: { id: string; draft?: PlacesMapping | undefined },
  now: Date = new Date(),
): Promise<MappingView> {
  authorize(actor, 'viewUploadMapping');
  const row = await loadUpload(db, id, now);
  if (row.layout !== null) throw new DomainError('conflict', MESSAGES.noMappingForLayout, { id });
  const raw = await rawOf(db, row);
  let mapping: PlacesMapping;
  let origin: MappingView['origin'];
  const own = row.mapping === null ? null : parseMappingJson(row.mapping);
  const saved = own?.ok ? undefined : await findSavedMapping(db, row.source_key);
  const savedParsed = saved ? parseMappingJson(saved.mapping) : null;
  if (draft) {
    mapping = draft;
    origin = 'upload';
  } else if (own?.ok) {
    mapping = own.mapping;
    origin = 'upload';
  } else if (savedParsed?.ok) {
    mapping = savedParsed.mapping;
    origin = 'saved';
  } else {
    mapping = suggestMapping(raw.columns);
    origin = 'suggested';
  }
  return {
    upload: toUpload(row),
    columns: raw.columns,
    missing: checkLayout(raw.columns).missing,
    mapping,
    origin,
    values: valueCandidates(raw, mapping),
    sample: sampleOf(raw),
  };
}

/**
 * Gives an upload its column mapping and sends it to its dry run. The mapping is checked against the
 * file (every problem named by field), and refused whole if any: nothing changes. An upload already
 * confirmed keeps its mapping. Coordinators only.
 */
export async function mapImportUpload(
  db: Db,
  actor: Actor,
  { id, mapping }: { id: string; mapping: PlacesMapping },
  now: Date = new Date(),
): Promise<void> {
  authorize(actor, 'mapImportUpload');
  const row = await loadUpload(db, id, now);
  if (row.layout !== null) throw new DomainError('conflict', MESSAGES.noMappingForLayout, { id });
  const raw = await rawOf(db, row);
  const problems = checkMapping(mapping, raw.columns, { source: row.source_key });
  if (problems.length > 0) throw mappingProblemsError(problems);
  const moved = await moveUpload(
    db,
    row.id,
    ['needs_mapping', 'preview_queued', 'previewed', 'failed'],
    { state: 'preview_queued', mapping, preview: null, error: null },
    now,
  );
  if (!moved) throw new DomainError('conflict', MESSAGES.cannotMap, { id, state: row.state });
  wakeJobRunner();
}

/**
 * Confirms an upload checked by its dry run: the import is queued and runs in the background. Only the
 * file that was checked is imported: the page sends back its hash, and the stored content must still
 * have it. The mapping used is saved for the source's next import. An upload past its 24 hours is
 * refused. Coordinators only.
 */
export async function confirmImportUpload(
  db: Db,
  actor: Actor,
  {
    id,
    sha256,
    version,
    servicesSha256,
  }: { id: string; sha256: string; version: string; servicesSha256?: string | undefined },
  now: Date = new Date(),
): Promise<void> {
  authorize(actor, 'confirmImportUpload');
  const row = await loadUpload(db, id, now);
  if (['queued', 'running', 'done'].includes(row.state))
    throw new DomainError('conflict', MESSAGES.alreadyConfirmed, { id });
  if (row.state !== 'previewed')
    throw new DomainError('conflict', MESSAGES.notPreviewed(STATE_LABELS[row.state]), { id });
  const content = await readUploadContent(db, row.id);
  if (!content || sha256 !== row.sha256 || sha256Of(content) !== row.sha256)
    throw new DomainError('conflict', MESSAGES.altered, { id });
  if (row.services_sha256 !== null) {
    const services = await readUploadServices(db, row.id);
    if (!services || servicesSha256 !== row.services_sha256 || sha256Of(services) !== row.services_sha256)
      throw new DomainError('conflict', MESSAGES.altered, { id });
  }
  // The page shows one dry run of one mapping: confirming it imports that, not what changed since.
  if (version !== uploadVersion(row)) throw new DomainError('conflict', MESSAGES.changedSincePreview, { id });
  await db.transaction().execute(async (trx) => {
    const tx = trx as unknown as Db;
    const moved = await moveUpload(
      tx,
      row.id,
      ['previewed'],
      {
        state: 'queued',
        confirmed_by: personOf(actor),
        // A confirmed import is kept until it has run (it may wait for another import of its source).
        expires_at: new Date(now.getTime() + UPLOAD_KEPT_HOURS * 3600_000),
      },
      now,
      row.updated_at,
    );
    if (!moved) throw new DomainError('conflict', MESSAGES.changedSincePreview, { id });
    if (row.mapping !== null)
      await saveMapping(tx, {
        source_key: row.source_key,
        mapping: row.mapping,
        updated_by: personOf(actor),
        updated_at: now,
      });
  });
  wakeJobRunner();
}

/** Abandons an upload not yet imported: the file is deleted at once. Coordinators only. */
export async function cancelImportUpload(
  db: Db,
  actor: Actor,
  { id }: { id: string },
  now: Date = new Date(),
): Promise<void> {
  authorize(actor, 'cancelImportUpload');
  const row = await loadUpload(db, id, now);
  const deleted = await deleteUpload(db, row.id, ['needs_mapping', 'preview_queued', 'previewed', 'failed']);
  if (!deleted) throw new DomainError('conflict', MESSAGES.cannotCancel, { id, state: row.state });
}

/** The uploads not yet imported nor abandoned (the imports page lists them). Coordinators only. */
export async function listOpenImportUploads(
  db: Db,
  actor: Actor,
  now: Date = new Date(),
): Promise<ImportUpload[]> {
  authorize(actor, 'viewImportUpload');
  const rows = await listOpenUploads(db, now);
  const running = new Set(
    rows.filter((r) => r.state === 'running' || r.state === 'previewing').map((r) => r.source_key),
  );
  return rows.map((r) => ({ ...toUpload(r), waitingFor: r.state === 'queued' && running.has(r.source_key) }));
}

export interface ImportsOverview {
  imports: (ImportSummary & { byName: string; undoable: boolean })[];
  open: ImportUpload[];
}

/** Who an import's history line names: a person by their name (while their account exists). */
function importerName(actor: string, names: Map<string, string>): string {
  const personId = /^personne (.+)$/.exec(actor)?.[1];
  if (personId === undefined) return actor === 'ligne de commande' ? 'Ligne de commande' : actor;
  return names.get(personId) ?? 'Compte supprimé';
}

/**
 * The imports page: every import, most recent first, with who did it (by name), its counts and whether
 * it may still be undone; and the uploads not yet imported. Coordinators only.
 */
export async function viewImportsOverview(
  db: Db,
  actor: Actor,
  now: Date = new Date(),
): Promise<ImportsOverview> {
  authorize(actor, 'viewImportsOverview');
  const [imports, open] = await Promise.all([
    listPlaceImports(db, actor),
    listOpenImportUploads(db, actor, now),
  ]);
  const ids = imports.flatMap((i) => /^personne (.+)$/.exec(i.actor)?.[1] ?? []);
  const names = await personDisplayNames(db, actor, ids);
  return {
    imports: imports.map((i) => ({
      ...i,
      byName: importerName(i.actor, names),
      undoable: !i.dryRun && i.undoneAt === null,
    })),
    open,
  };
}

/** Uploads this process is working on (never taken for those of a stopped server). */
const working = new Set<string>();

/**
 * The runner's work on uploads: takes the waiting ones one at a time (a dry run, or an import whose
 * source has none running) and does it, writing its progress as it goes; returns how many it did.
 * Dry runs and imports run as the command line's would (the same service, the same report), for the
 * coordinator who confirmed them. A failure is recorded on the upload with nothing written. The system only (the job runner of any server).
 */
export async function runImportUploads(
  db: Db,
  actor: Actor,
  opts: {
    now: Date;
    scope: PublicScope;
    mergeReviewBelow: number;
    /** NETWORK_NAME: the network's own places coming back in a national file are recognised by it. */
    networkName?: string | undefined;
    max?: number;
    clock?: () => Date;
  },
): Promise<number> {
  authorize(actor, 'runImportUploads');
  const clock = opts.clock ?? (() => new Date());
  await requeueStaleUploads(
    db,
    new Date(opts.now.getTime() - STALE_MINUTES * 60_000),
    [...working],
    opts.now,
  );
  let done = 0;
  for (let i = 0; i < (opts.max ?? 10); i++) {
    let row: UploadRow | undefined;
    try {
      row = await claimWaitingUpload(db, clock());
    } catch (error) {
      // Another server took the same source at the same instant (unique running source): next turn.
      if (/place_import_upload_running_source_key/.test(String(error))) break;
      throw error;
    }
    if (!row) break;
    working.add(row.id);
    const id = row.id;
    // A sign of life every half minute while the work runs (reading, merging, committing included), so
    // that no other server takes it for the work of a stopped one.
    const beat = setInterval(() => {
      void beatUpload(db, id, clock()).catch(() => undefined);
    }, HEARTBEAT_MS);
    beat.unref();
    try {
      await runOneUpload(db, row, opts, clock);
    } finally {
      clearInterval(beat);
      working.delete(row.id);
    }
    done++;
  }
  return done;
}

/**
 * Who the background work acts for: the coordinator who confirmed the import (who sent the file, for
 * its dry run), authorised when they did; the history and the journal name them.
 */
function actingCoordinator(row: UploadRow, dryRun: boolean): Actor {
  // Never someone else: a confirmer whose account is gone leaves the import to the system.
  const personId = dryRun ? row.uploaded_by : row.confirmed_by;
  return personId === null
    ? { kind: 'system' }
    : { kind: 'person', personId, networkRole: 'coordinator', memberships: [] };
}

async function runOneUpload(
  db: Db,
  row: UploadRow,
  opts: { scope: PublicScope; mergeReviewBelow: number; networkName?: string | undefined },
  clock: () => Date,
): Promise<void> {
  const dryRun = row.state === 'previewing';
  let lastWrite = 0;
  // Progress is written outside the import's transaction (another connection on PostgreSQL), at most
  // once a second; on the embedded database it waits for the transaction, which is harmless.
  const onProgress = (done: number, total: number) => {
    const at = clock();
    if (at.getTime() - lastWrite < 1000 && done !== total) return;
    lastWrite = at.getTime();
    void writeUploadProgress(db, row.id, { done, total }, at).catch(() => undefined);
  };
  try {
    const content = await readUploadContent(db, row.id);
    if (!content || sha256Of(content) !== row.sha256) throw new DomainError('conflict', MESSAGES.altered);
    const services = row.services_sha256 === null ? null : await readUploadServices(db, row.id);
    if (services && sha256Of(services) !== row.services_sha256)
      throw new DomainError('conflict', MESSAGES.altered);
    const mapping = row.mapping === null ? null : parseMappingJson(row.mapping);
    if (mapping && !mapping.ok) throw mappingProblemsError(mapping.problems);
    let marked = false;
    const report = await importPlacesFile(db, actingCoordinator(row, dryRun), content, {
      fileName: row.file_name,
      source: row.source ?? undefined,
      dryRun,
      onProgress,
      scope: opts.scope,
      mergeReviewBelow: opts.mergeReviewBelow,
      networkName: opts.networkName,
      ...(mapping?.ok ? { mapping: mapping.mapping } : {}),
      // As the command line's `--layout` and `--services`: the same reading, the same report.
      ...(row.layout ? { layout: row.layout } : {}),
      ...(services && row.services_file_name
        ? { services: { bytes: services, fileName: row.services_file_name } }
        : {}),
      // The upload is marked imported in the import's own transaction: both commit, or neither (a
      // server stopping in between never leaves an import done twice, or "failed" when it was made).
      beforeCommit: async (tx, importId) => {
        marked = await moveUpload(
          tx,
          row.id,
          ['running'],
          { state: 'done', import_id: importId, progress_done: 0, heartbeat_at: null },
          clock(),
        );
        if (!marked) throw new DomainError('conflict', MESSAGES.takenElsewhere, { id: row.id });
      },
    });
    if (dryRun)
      await moveUpload(
        db,
        row.id,
        ['previewing'],
        { state: 'previewed', preview: previewOf(report), progress_done: report.read, heartbeat_at: null },
        clock(),
      );
    else if (marked) await writeUploadCounts(db, row.id, { done: report.read, total: report.read });
  } catch (error) {
    const message =
      error instanceof DomainError ? error.message : `${MESSAGES.failed} (${String(error).slice(0, 200)})`;
    await moveUpload(
      db,
      row.id,
      [dryRun ? 'previewing' : 'running'],
      { state: 'failed', error: message, heartbeat_at: null },
      clock(),
    );
  }
}

/** Deletes the uploads past their 24 hours (the periodic purge). The system only. */
export async function purgeImportUploads(db: Db, actor: Actor, now: Date): Promise<number> {
  authorize(actor, 'purgeImportUploads');
  return deleteExpiredUploads(db, now);
}
