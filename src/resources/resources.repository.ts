import { sql } from 'kysely';
import type { Db } from '../db/database.ts';
import { likeEscaped } from '../db/fold.ts';

/** SQL of the resource bank (tables resource, resource_file, resource_collection…, migration 0028). */

export interface ResourceRow {
  id: string;
  structure_id: string;
  author_id: string | null;
  title: string;
  summary: string;
  kind: 'tutorial' | 'guide' | 'video' | 'file' | 'link';
  themes: string[];
  licence: 'etalab_2_0' | 'cc_by_sa_4_0' | 'cc_by_nc_sa_4_0' | 'no_licence';
  audience: 'professionals' | 'everyone' | 'trainers';
  is_public: boolean;
  url: string | null;
  created_at: Date;
  updated_at: Date;
  file_name: string | null;
  content_type: string | null;
  size_bytes: number | null;
  sha256: string | null;
}

const query = (db: Db) =>
  db
    .selectFrom('resource')
    .leftJoin('resource_file', 'resource_file.resource_id', 'resource.id')
    .select([
      'resource.id',
      'resource.structure_id',
      'resource.author_id',
      'resource.title',
      'resource.summary',
      'resource.kind',
      'resource.themes',
      'resource.licence',
      'resource.audience',
      'resource.is_public',
      'resource.url',
      'resource.created_at',
      'resource.updated_at',
      'resource_file.file_name',
      'resource_file.content_type',
      'resource_file.size_bytes',
      'resource_file.sha256',
    ]);

export interface ResourceValuesRow {
  structure_id: string;
  author_id: string | null;
  title: string;
  summary: string;
  kind: ResourceRow['kind'];
  themes: string[];
  licence: ResourceRow['licence'];
  audience: ResourceRow['audience'];
  is_public: boolean;
  url: string | null;
  search_text: string;
  is_demo?: boolean;
  created_at?: Date;
  updated_at?: Date;
}

export interface FileValues {
  file_name: string;
  content_type: string;
  size_bytes: number;
  sha256: string;
  bytes: Uint8Array;
}

/** Writes a resource and its file (if any) in the caller's transaction. */
export async function insertResource(
  db: Db,
  values: ResourceValuesRow,
  file: FileValues | null,
): Promise<string> {
  const { id } = await db.insertInto('resource').values(values).returning('id').executeTakeFirstOrThrow();
  if (file)
    await db
      .insertInto('resource_file')
      .values({ resource_id: id, ...file })
      .execute();
  return id;
}

export async function findResource(db: Db, id: string): Promise<ResourceRow | undefined> {
  return query(db).where('resource.id', '=', id).executeTakeFirst();
}

/** Resources whose folded text holds every word, of these themes (any), public only when asked. */
export async function searchResources(
  db: Db,
  filter: { words: string[]; theme: string | null; publicOnly: boolean; limit: number; ids?: string[] },
): Promise<ResourceRow[]> {
  let q = query(db);
  for (const word of filter.words)
    q = q.where(sql<boolean>`resource.search_text like ${`%${likeEscaped(word)}%`}`);
  if (filter.theme) q = q.where(sql<boolean>`${filter.theme} = any(resource.themes)`);
  if (filter.publicOnly) q = q.where('resource.is_public', '=', true);
  if (filter.ids) {
    if (filter.ids.length === 0) return [];
    q = q.where('resource.id', 'in', filter.ids);
  }
  return q.orderBy('resource.created_at', 'desc').orderBy('resource.id').limit(filter.limit).execute();
}

export async function countResources(
  db: Db,
  filter: { words: string[]; theme: string | null; publicOnly: boolean },
) {
  let q = db.selectFrom('resource').select((eb) => eb.fn.countAll<string>().as('n'));
  for (const word of filter.words)
    q = q.where(sql<boolean>`resource.search_text like ${`%${likeEscaped(word)}%`}`);
  if (filter.theme) q = q.where(sql<boolean>`${filter.theme} = any(resource.themes)`);
  if (filter.publicOnly) q = q.where('resource.is_public', '=', true);
  return Number((await q.executeTakeFirstOrThrow()).n);
}

export async function readResourceFile(
  db: Db,
  id: string,
): Promise<
  | { file_name: string; content_type: string; size_bytes: number; sha256: string; bytes: Uint8Array }
  | undefined
> {
  return db
    .selectFrom('resource_file')
    .select(['file_name', 'content_type', 'size_bytes', 'sha256', 'bytes'])
    .where('resource_id', '=', id)
    .executeTakeFirst();
}

export async function updateResourceRow(
  db: Db,
  id: string,
  values: Omit<ResourceValuesRow, 'structure_id' | 'author_id' | 'created_at'> & { updated_at: Date },
): Promise<boolean> {
  const r = await db.updateTable('resource').set(values).where('id', '=', id).executeTakeFirst();
  return Number(r.numUpdatedRows) > 0;
}

/**
 * Replaces a file resource's file in place (the caller's transaction): the row's bytes are overwritten,
 * so the old ones are gone once PostgreSQL reclaims the row (no copy kept). False when it has no file.
 */
export async function replaceFileRow(db: Db, id: string, file: FileValues, now: Date): Promise<boolean> {
  const r = await db.updateTable('resource_file').set(file).where('resource_id', '=', id).executeTakeFirst();
  if (Number(r.numUpdatedRows) === 0) return false;
  await db.updateTable('resource').set({ updated_at: now }).where('id', '=', id).execute();
  return true;
}

export async function deleteResourceRow(db: Db, id: string): Promise<boolean> {
  const r = await db.deleteFrom('resource').where('id', '=', id).executeTakeFirst();
  return Number(r.numDeletedRows) > 0;
}

// --- reports ---

export interface ReportRow {
  id: string;
  resource_id: string;
  reporter_id: string | null;
  reason: 'outdated' | 'errors';
  text: string;
  state: 'open' | 'closed';
  created_at: Date;
  closed_at: Date | null;
  answer: string | null;
  title: string;
  structure_id: string;
}

export async function insertReport(
  db: Db,
  values: {
    resource_id: string;
    reporter_id: string | null;
    reason: 'outdated' | 'errors';
    text: string;
    created_at?: Date;
  },
): Promise<string> {
  return (await db.insertInto('resource_report').values(values).returning('id').executeTakeFirstOrThrow()).id;
}

const reports = (db: Db) =>
  db
    .selectFrom('resource_report')
    .innerJoin('resource', 'resource.id', 'resource_report.resource_id')
    .select([
      'resource_report.id',
      'resource_report.resource_id',
      'resource_report.reporter_id',
      'resource_report.reason',
      'resource_report.text',
      'resource_report.state',
      'resource_report.created_at',
      'resource_report.closed_at',
      'resource_report.answer',
      'resource.title',
      'resource.structure_id',
    ]);

export async function findReport(db: Db, id: string): Promise<ReportRow | undefined> {
  return reports(db).where('resource_report.id', '=', id).executeTakeFirst();
}

/** Open reports of these structures' resources (all structures when null), oldest first. */
export async function listOpenReports(db: Db, structureIds: string[] | null): Promise<ReportRow[]> {
  let q = reports(db).where('resource_report.state', '=', 'open');
  if (structureIds) {
    if (structureIds.length === 0) return [];
    q = q.where('resource.structure_id', 'in', structureIds);
  }
  return q.orderBy('resource_report.created_at').orderBy('resource_report.id').limit(500).execute();
}

/** Open reports per structure, for the home page. */
export async function countOpenReports(
  db: Db,
  structureIds: string[],
): Promise<{ structure_id: string; n: number }[]> {
  if (structureIds.length === 0) return [];
  const rows = await db
    .selectFrom('resource_report')
    .innerJoin('resource', 'resource.id', 'resource_report.resource_id')
    .select(['resource.structure_id', (eb) => eb.fn.countAll<string>().as('n')])
    .where('resource_report.state', '=', 'open')
    .where('resource.structure_id', 'in', structureIds)
    .groupBy('resource.structure_id')
    .execute();
  return rows.map((r) => ({ structure_id: r.structure_id, n: Number(r.n) }));
}

/** Open reports of the whole network, for the coordinators' home page. */
export async function countAllOpenReports(db: Db): Promise<number> {
  const row = await db
    .selectFrom('resource_report')
    .select((eb) => eb.fn.countAll<string>().as('n'))
    .where('state', '=', 'open')
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

/** A resource's latest closed reports with their answers, newest first. */
export async function listClosedReports(db: Db, resourceId: string, limit: number): Promise<ReportRow[]> {
  return reports(db)
    .where('resource_report.resource_id', '=', resourceId)
    .where('resource_report.state', '=', 'closed')
    .orderBy('resource_report.closed_at', 'desc')
    .orderBy('resource_report.id')
    .limit(limit)
    .execute();
}

/** Closes an open report with the structure's answer; false when it was closed already. */
export async function closeReport(
  db: Db,
  id: string,
  values: { now: Date; answer: string | null; closedBy: string | null },
): Promise<boolean> {
  const r = await db
    .updateTable('resource_report')
    .set({ state: 'closed', closed_at: values.now, answer: values.answer, closed_by: values.closedBy })
    .where('id', '=', id)
    .where('state', '=', 'open')
    .executeTakeFirst();
  return Number(r.numUpdatedRows) > 0;
}

// --- collections ---

export interface CollectionRow {
  id: string;
  structure_id: string;
  name: string;
  created_at: Date;
  count: number;
}

export async function insertCollection(
  db: Db,
  values: { structure_id: string; name: string; is_demo?: boolean },
): Promise<string> {
  return (await db.insertInto('resource_collection').values(values).returning('id').executeTakeFirstOrThrow())
    .id;
}

const collections = (db: Db) =>
  db.selectFrom('resource_collection').select([
    'resource_collection.id',
    'resource_collection.structure_id',
    'resource_collection.name',
    'resource_collection.created_at',
    (eb) =>
      eb
        .selectFrom('resource_collection_item')
        .select((e) => e.fn.countAll<string>().as('n'))
        .whereRef('resource_collection_item.collection_id', '=', 'resource_collection.id')
        .as('count'),
  ]);

const toCollection = (r: {
  id: string;
  structure_id: string;
  name: string;
  created_at: Date;
  count: string | null;
}) => ({
  ...r,
  count: Number(r.count ?? 0),
});

export async function listCollectionRows(db: Db): Promise<CollectionRow[]> {
  return (await collections(db).orderBy('resource_collection.name').limit(500).execute()).map(toCollection);
}

export async function findCollection(db: Db, id: string): Promise<CollectionRow | undefined> {
  const row = await collections(db).where('resource_collection.id', '=', id).executeTakeFirst();
  return row ? toCollection(row) : undefined;
}

/** The collection's resource ids in order. */
export async function collectionItems(db: Db, collectionId: string): Promise<string[]> {
  const rows = await db
    .selectFrom('resource_collection_item')
    .select('resource_id')
    .where('collection_id', '=', collectionId)
    .orderBy('position')
    .orderBy('resource_id')
    .execute();
  return rows.map((r) => r.resource_id);
}

/** The collections holding a resource. */
export async function collectionsOf(db: Db, resourceId: string): Promise<{ id: string; name: string }[]> {
  return db
    .selectFrom('resource_collection_item')
    .innerJoin('resource_collection', 'resource_collection.id', 'resource_collection_item.collection_id')
    .select(['resource_collection.id', 'resource_collection.name'])
    .where('resource_collection_item.resource_id', '=', resourceId)
    .orderBy('resource_collection.name')
    .execute();
}

/** Writes the collection's order: the ids given, positions 0…n−1 (others removed). */
export async function writeCollectionItems(db: Db, collectionId: string, ids: string[]): Promise<void> {
  await db.deleteFrom('resource_collection_item').where('collection_id', '=', collectionId).execute();
  if (ids.length)
    await db
      .insertInto('resource_collection_item')
      .values(ids.map((resource_id, position) => ({ collection_id: collectionId, resource_id, position })))
      .execute();
}

export async function renameCollectionRow(db: Db, id: string, name: string): Promise<boolean> {
  const r = await db.updateTable('resource_collection').set({ name }).where('id', '=', id).executeTakeFirst();
  return Number(r.numUpdatedRows) > 0;
}

/** Deletes a collection and its list (the resources stay). */
export async function deleteCollectionRow(db: Db, id: string): Promise<boolean> {
  const r = await db.deleteFrom('resource_collection').where('id', '=', id).executeTakeFirst();
  return Number(r.numDeletedRows) > 0;
}

/** Locks the collection's row for the caller's transaction (two clicks reorder one after the other). */
/** Locks a collection's row until the transaction ends; false when it is gone (deleted meanwhile). */
export async function lockCollection(db: Db, id: string): Promise<boolean> {
  const row = await db
    .selectFrom('resource_collection')
    .select('id')
    .where('id', '=', id)
    .forUpdate()
    .executeTakeFirst();
  return row !== undefined;
}

// --- demonstration ---

export async function deleteDemoResources(db: Db): Promise<number> {
  await db.deleteFrom('resource_collection').where('is_demo', '=', true).execute();
  const r = await db.deleteFrom('resource').where('is_demo', '=', true).executeTakeFirst();
  return Number(r.numDeletedRows);
}

export async function countDemoResources(db: Db): Promise<number> {
  const row = await db
    .selectFrom('resource')
    .select((eb) => eb.fn.countAll<string>().as('n'))
    .where('is_demo', '=', true)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}
