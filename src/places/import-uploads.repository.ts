import { type Selectable, sql, type Transaction } from 'kysely';
import type { Database, Db, ImportUploadState, PlaceImportUploadTable } from '../db/database.ts';

/** All SQL about files uploaded for import from the web and the mappings kept per source. */
type Executor = Db | Transaction<Database>;

/** An upload without its contents (pages and the worker read the contents only when they need them). */
export type UploadRow = Omit<Selectable<PlaceImportUploadTable>, 'content' | 'services_content'>;

const UPLOAD_COLUMNS = [
  'id',
  'file_name',
  'sha256',
  'size_bytes',
  'source',
  'source_key',
  'mapping',
  'uploaded_by',
  'confirmed_by',
  'uploaded_at',
  'expires_at',
  'state',
  'progress_done',
  'progress_total',
  'preview',
  'import_id',
  'error',
  'heartbeat_at',
  'updated_at',
  'layout',
  'services_file_name',
  'services_sha256',
] as const;

export async function insertUpload(
  db: Executor,
  row: {
    file_name: string;
    sha256: string;
    content: Uint8Array;
    source: string | null;
    source_key: string;
    mapping: unknown;
    uploaded_by: string | null;
    uploaded_at: Date;
    expires_at: Date;
    state: ImportUploadState;
    layout: 'national' | 'data-inclusion' | null;
    /** data·inclusion's services file, kept with its structures. */
    services: { file_name: string; sha256: string; content: Uint8Array } | null;
  },
): Promise<string> {
  const { services, ...rest } = row;
  // node-postgres sends a Buffer as bytea; PGlite takes any Uint8Array.
  const bytea = (bytes: Uint8Array) => Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const inserted = await db
    .insertInto('place_import_upload')
    .values({
      ...rest,
      services_file_name: services?.file_name ?? null,
      services_sha256: services?.sha256 ?? null,
      services_content: services ? bytea(services.content) : null,
      content: bytea(row.content),
      size_bytes: row.content.byteLength,
      mapping: row.mapping === null ? null : JSON.stringify(row.mapping),
      updated_at: row.uploaded_at,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return inserted.id;
}

export async function findUpload(db: Executor, id: string): Promise<UploadRow | undefined> {
  return db.selectFrom('place_import_upload').select(UPLOAD_COLUMNS).where('id', '=', id).executeTakeFirst();
}

export async function readUploadContent(db: Executor, id: string): Promise<Uint8Array | undefined> {
  const row = await db
    .selectFrom('place_import_upload')
    .select('content')
    .where('id', '=', id)
    .executeTakeFirst();
  return row?.content;
}

/** The services file kept with an upload of data·inclusion's structures, if any. */
export async function readUploadServices(db: Executor, id: string): Promise<Uint8Array | null> {
  const row = await db
    .selectFrom('place_import_upload')
    .select('services_content')
    .where('id', '=', id)
    .executeTakeFirst();
  return row?.services_content ?? null;
}

/**
 * Changes an upload's state (and other columns) only if it is in one of `from`: two servers, or two
 * clicks, never both move the same upload. Returns whether it moved.
 */
export async function moveUpload(
  db: Executor,
  id: string,
  from: readonly ImportUploadState[],
  patch: {
    state: ImportUploadState;
    mapping?: unknown;
    preview?: unknown;
    import_id?: string | null;
    confirmed_by?: string | null;
    error?: string | null;
    progress_done?: number;
    progress_total?: number;
    heartbeat_at?: Date | null;
    expires_at?: Date;
  },
  now: Date,
  /** Moves it only if it has not changed since this time (the version a page showed). */
  unchangedSince?: Date,
): Promise<boolean> {
  const { mapping, preview, ...rest } = patch;
  const result = await db
    .updateTable('place_import_upload')
    .set({
      ...rest,
      ...(mapping === undefined ? {} : { mapping: mapping === null ? null : JSON.stringify(mapping) }),
      ...(preview === undefined ? {} : { preview: preview === null ? null : JSON.stringify(preview) }),
      updated_at: now,
    })
    .where('id', '=', id)
    .where('state', 'in', [...from])
    .$if(unchangedSince !== undefined, (q) => q.where('updated_at', '=', unchangedSince as Date))
    .executeTakeFirst();
  return Number(result.numUpdatedRows) > 0;
}

/** Says the work on an upload is alive (the runner of the server doing it, every half minute). */
export async function beatUpload(db: Executor, id: string, now: Date): Promise<void> {
  await db
    .updateTable('place_import_upload')
    .set({ heartbeat_at: now })
    .where('id', '=', id)
    .where('state', 'in', ['previewing', 'running'])
    .execute();
}

/**
 * Takes the oldest waiting upload for this server: a dry run or an import whose source has none at work
 * (the unique index on sources at work settles a race between two servers: the loser's update fails and
 * it tries again at its next turn). Locked with SKIP LOCKED so that two servers never
 * take the same one.
 */
export async function claimWaitingUpload(db: Executor, now: Date): Promise<UploadRow | undefined> {
  const claimed = await sql<{ id: string }>`
    update place_import_upload u
    set state = case u.state when 'preview_queued' then 'previewing' else 'running' end,
        progress_done = 0, progress_total = 0, heartbeat_at = ${now}, updated_at = ${now}
    where u.id = (
      select w.id from place_import_upload w
      where w.state in ('preview_queued', 'queued')
        -- A confirmed import is kept until it has run, whatever its age; a dry run, 24 hours.
        and (w.state = 'queued' or w.expires_at > ${now})
        and not exists (
          select 1 from place_import_upload r
          where r.state in ('previewing', 'running') and r.source_key = w.source_key)
      order by w.updated_at, w.id
      limit 1
      for update skip locked
    )
    returning u.id`.execute(db);
  const id = claimed.rows[0]?.id;
  return id === undefined ? undefined : findUpload(db, id);
}

/** The progress of a running upload (a finished one is never changed back). */
export async function writeUploadProgress(
  db: Executor,
  id: string,
  progress: { done: number; total: number },
  now: Date,
): Promise<void> {
  await db
    .updateTable('place_import_upload')
    .set({ progress_done: progress.done, progress_total: progress.total, heartbeat_at: now })
    .where('id', '=', id)
    .where('state', 'in', ['previewing', 'running'])
    .execute();
}

/** The rows an upload's import read, once it is done (the page says how many). */
export async function writeUploadCounts(
  db: Executor,
  id: string,
  progress: { done: number; total: number },
): Promise<void> {
  await db
    .updateTable('place_import_upload')
    .set({ progress_done: progress.done, progress_total: progress.total })
    .where('id', '=', id)
    .execute();
}

/**
 * Puts back in the queue the uploads whose server stopped while working on them (no sign of life since
 * `staleBefore`): their transaction was rolled back with the connection, so they start again from
 * the beginning. `exceptIds` are those this server is working on.
 */
export async function requeueStaleUploads(
  db: Executor,
  staleBefore: Date,
  exceptIds: readonly string[],
  now: Date,
): Promise<number> {
  let query = db
    .updateTable('place_import_upload')
    .set({
      state: sql`case state when 'previewing' then 'preview_queued' else 'queued' end`,
      updated_at: now,
    })
    .where('state', 'in', ['previewing', 'running'])
    .where((eb) => eb.or([eb('heartbeat_at', 'is', null), eb('heartbeat_at', '<', staleBefore)]));
  if (exceptIds.length > 0) query = query.where('id', 'not in', [...exceptIds]);
  const result = await query.executeTakeFirst();
  return Number(result.numUpdatedRows);
}

/** Uploads past their 24 hours, except those confirmed and not yet imported, or at work. */
export async function deleteExpiredUploads(db: Executor, now: Date): Promise<number> {
  const result = await db
    .deleteFrom('place_import_upload')
    .where('expires_at', '<=', now)
    .where('state', 'not in', ['previewing', 'queued', 'running'])
    .executeTakeFirst();
  return Number(result.numDeletedRows);
}

export async function deleteUpload(
  db: Executor,
  id: string,
  from: readonly ImportUploadState[],
): Promise<boolean> {
  const result = await db
    .deleteFrom('place_import_upload')
    .where('id', '=', id)
    .where('state', 'in', [...from])
    .executeTakeFirst();
  return Number(result.numDeletedRows) > 0;
}

/** Uploads not yet imported nor abandoned, most recent first (the imports page shows them). */
export async function listOpenUploads(db: Executor, now: Date): Promise<UploadRow[]> {
  return db
    .selectFrom('place_import_upload')
    .select(UPLOAD_COLUMNS)
    .where('expires_at', '>', now)
    .where('state', '<>', 'done')
    .orderBy('uploaded_at', 'desc')
    .limit(50)
    .execute();
}

/** The upload still open for this import (to link the history to the upload's page), if any. */
export async function findUploadsOfImports(
  db: Executor,
  importIds: readonly string[],
): Promise<{ id: string; import_id: string }[]> {
  if (importIds.length === 0) return [];
  const rows = await db
    .selectFrom('place_import_upload')
    .select(['id', 'import_id'])
    .where('import_id', 'in', [...importIds])
    .execute();
  return rows.flatMap((r) => (r.import_id === null ? [] : [{ id: r.id, import_id: r.import_id }]));
}

export async function findSavedMapping(
  db: Executor,
  sourceKey: string,
): Promise<{ mapping: unknown; updated_at: Date } | undefined> {
  return db
    .selectFrom('place_import_mapping')
    .select(['mapping', 'updated_at'])
    .where('source_key', '=', sourceKey)
    .executeTakeFirst();
}

export async function saveMapping(
  db: Executor,
  row: { source_key: string; mapping: unknown; updated_by: string | null; updated_at: Date },
): Promise<void> {
  const values = { ...row, mapping: JSON.stringify(row.mapping) };
  await db
    .insertInto('place_import_mapping')
    .values(values)
    .onConflict((oc) =>
      oc.column('source_key').doUpdateSet({
        mapping: values.mapping,
        updated_by: values.updated_by,
        updated_at: values.updated_at,
      }),
    )
    .execute();
}
