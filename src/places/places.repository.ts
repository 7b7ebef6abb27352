import { type Insertable, type Selectable, sql, type Transaction } from 'kysely';
import type { Database, Db, PlaceTable } from '../db/database.ts';
import { foldedSql, likeEscaped } from '../db/fold.ts';
import type { MatchCandidateRow } from './places-match.ts';

/** All SQL about places, structures and imports. Returns rows; the service maps them. */
export type PlaceRow = Selectable<PlaceTable>;
export type PlaceInsert = Insertable<PlaceTable>;
type Executor = Db | Transaction<Database>;

const UNKNOWN_PIVOT = '00000000000000';
const CHUNK = 500;
/** Rows per set-based statement (arrays or one JSON parameter: no parameter-count limit). */
const BULK_CHUNK = 5000;
const COLUMN_NAME = /^[a-z_][a-z0-9_]*$/;

export interface ExistingIdentity {
  id: string;
  source: string;
  source_id: string;
  content_hash: string;
  date_maj: string | null;
  /** What tells whether a row with this identity still describes the same place. */
  nom: string;
  commune: string;
  latitude: number | null;
  longitude: number | null;
  position_approximate: boolean;
}

export async function findByIdentities(
  db: Executor,
  identities: { source: string; sourceId: string }[],
): Promise<ExistingIdentity[]> {
  const found: ExistingIdentity[] = [];
  for (let i = 0; i < identities.length; i += BULK_CHUNK) {
    const chunk = identities.slice(i, i + BULK_CHUNK);
    const rows = await db
      .selectFrom('place')
      .select([
        'id',
        'source',
        'source_id',
        'content_hash',
        'date_maj',
        'nom',
        'commune',
        'latitude',
        'longitude',
        'position_approximate',
      ])
      .where(
        sql<boolean>`(source, source_id) in (select * from unnest(${chunk.map((c) => c.source)}::text[], ${chunk.map((c) => c.sourceId)}::text[]))`,
      )
      .execute();
    found.push(...rows);
  }
  return found;
}

/** SQL types of the place columns that are not `text` (migrations 0001): the unnest arrays' types. */
const PLACE_COLUMN_TYPES: Readonly<Record<string, string>> = {
  latitude: 'float8',
  longitude: 'float8',
  position_approximate: 'bool',
  date_maj: 'date',
  structure_id: 'uuid',
};

const ARRAY_SPECIAL = /[\\"]/;
/**
 * Elements PostgreSQL would not read back as written unless quoted: empty, NULL, with array syntax, with
 * whitespace at either end (trimmed) or whitespace other than spaces inside. Spaces inside are kept as they
 * are ({Aide aux démarches,Loisirs} holds two texts), so most texts go unquoted.
 */
const NEEDS_QUOTES = /^$|^null$|^\s|\s$|[{},"\\\t\n\r\v\f]/i;

/** One element of an array literal, quoted only when needed: a, b c, " d", "e\"f". */
function arrayElement(text: string): string {
  if (!NEEDS_QUOTES.test(text)) return text;
  return ARRAY_SPECIAL.test(text) ? `"${text.replace(/[\\"]/g, '\\$&')}"` : `"${text}"`;
}

/** A text[] literal ({a,b c,"{d}"}): array columns travel as one literal per row, cast back in SQL. */
function arrayLiteral(items: readonly string[]): string {
  if (items.length === 0) return '{}';
  if (items.length === 1) return `{${arrayElement(items[0] as string)}}`;
  return `{${items.map(arrayElement).join(',')}}`;
}

/**
 * One column of a chunk as one array literal parameter ({a,NULL,b c,"{x,y z}"}), written here
 * rather than by the driver (which quotes and escapes every element, and builds the text piece by piece):
 * the database reads the same values, and PGlite passes a string through as it is.
 */
function columnParameter(rows: readonly PlaceInsert[], column: keyof PlaceInsert): string {
  const elements = new Array<string>(rows.length);
  for (let index = 0; index < rows.length; index++) {
    const value = (rows[index] as PlaceInsert)[column];
    if (value === null || value === undefined) elements[index] = 'NULL';
    else if (typeof value === 'string') elements[index] = arrayElement(value);
    // Numbers and booleans never need quotes (and an empty list is the most common list).
    else if (typeof value === 'number' || typeof value === 'boolean') elements[index] = String(value);
    else if (Array.isArray(value))
      elements[index] = value.length === 0 ? '"{}"' : arrayElement(arrayLiteral(value as string[]));
    else if (value instanceof Date) elements[index] = arrayElement(value.toISOString());
    else elements[index] = arrayElement(String(value));
  }
  return `{${elements.join(',')}}`;
}

/** Rows of one upsert statement with their columns already written as array parameters. */
export interface PreparedPlaceRows {
  readonly rows: readonly PlaceInsert[];
  readonly columns: readonly (keyof PlaceInsert)[];
  readonly parameters: readonly string[];
}

/**
 * Writes the array parameters of up to 5,000 rows, the costly part of an upsert on the application's
 * side: an import prepares a batch while the database is still writing the previous one.
 */
export function preparePlaceRows(rows: readonly PlaceInsert[]): PreparedPlaceRows {
  if (rows.length > BULK_CHUNK) throw new Error(`at most ${BULK_CHUNK} rows per statement`);
  const columns = Object.keys(rows[0] ?? {}) as (keyof PlaceInsert)[];
  if (columns.some((column) => !COLUMN_NAME.test(column))) throw new Error('unexpected column name');
  return { rows, columns, parameters: columns.map((column) => columnParameter(rows, column)) };
}

/**
 * Inserts new places and overwrites changed ones, keyed by (source, source_id); returns their ids.
 * Set-based: one statement per 5,000 rows, each column sent as one array parameter expanded by unnest
 * (a VALUES list of rows × columns parameters is slow to build, send and plan; json_populate_recordset
 * measured 4 times slower to decode). Array columns (typologie, services…) go as text[] literals, one
 * per row, cast back to text[]. With `importId`, the places inserted (not those overwritten) are recorded
 * as the import's in the same statement. The rows of one call share their keys (one mapping function).
 * `rows` may be prepared beforehand (preparePlaceRows): then they are written by one statement.
 */
export async function upsertPlaces(
  db: Executor,
  rows: PlaceInsert[] | PreparedPlaceRows,
  importId?: string,
): Promise<{ id: string; source: string; source_id: string }[]> {
  const written: { id: string; source: string; source_id: string }[] = [];
  if (!Array.isArray(rows)) {
    written.push(...(await upsertStatement(db, rows as PreparedPlaceRows, importId)));
    return written;
  }
  for (let i = 0; i < rows.length; i += BULK_CHUNK) {
    written.push(...(await upsertStatement(db, preparePlaceRows(rows.slice(i, i + BULK_CHUNK)), importId)));
  }
  return written;
}

async function upsertStatement(
  db: Executor,
  prepared: PreparedPlaceRows,
  importId: string | undefined,
): Promise<{ id: string; source: string; source_id: string }[]> {
  const { rows, columns, parameters } = prepared;
  if (rows.length === 0) return [];
  const list = sql.raw(columns.join(', '));
  const selected = sql.raw(
    columns
      .map((column) => (Array.isArray(rows[0]?.[column]) ? `u.${column}::text[]` : `u.${column}`))
      .join(', '),
  );
  const updates = sql.raw(
    [
      'updated_at = now()',
      ...columns
        .filter((column) => column !== 'source' && column !== 'source_id')
        .map((column) => `${column} = excluded.${column}`),
    ].join(', '),
  );
  const arrays = sql.join(
    columns.map(
      (column, index) => sql`${parameters[index]}::${sql.raw(PLACE_COLUMN_TYPES[column] ?? 'text')}[]`,
    ),
  );
  // xmax = 0 tells a row this statement inserted from one it updated (ON CONFLICT DO UPDATE).
  const record =
    importId === undefined
      ? sql``
      : sql`, recorded as (insert into place_import_change (import_id, place_id, action, previous)
          select ${importId}::uuid, id, 'inserted', null from written where inserted)`;
  const result = await sql<{ id: string; source: string; source_id: string }>`
    with written as (
      insert into place (${list})
      select ${selected} from unnest(${arrays}) as u(${list})
      on conflict (source, source_id) do update set ${updates}
      returning id, source, source_id, xmax = 0 as inserted
    )${record}
    select id, source, source_id from written`.execute(db);
  return result.rows;
}

/** Creates missing structures from places' pivots and links places to them. */
export async function linkStructures(db: Executor): Promise<void> {
  await sql`insert into structure (pivot, nom)
    select distinct on (pivot) pivot, nom from place
    where structure_id is null and pivot <> ${UNKNOWN_PIVOT}
    order by pivot, created_at
    on conflict (pivot) do nothing`.execute(db);
  await sql`update place set structure_id = structure.id from structure
    where place.structure_id is null and place.pivot = structure.pivot`.execute(db);
}

/** Keeps the whole current row of places an import is about to overwrite (undo restores it exactly). */
export async function snapshotPlaces(db: Executor, importId: string, placeIds: string[]): Promise<void> {
  if (placeIds.length === 0) return;
  await sql`insert into place_import_change (import_id, place_id, action, previous)
    select ${importId}::uuid, p.id, 'updated', to_jsonb(p) from place p where p.id = any(${placeIds}::uuid[])`.execute(
    db,
  );
}

export async function recordInsertedPlaces(
  db: Executor,
  importId: string,
  placeIds: string[],
): Promise<void> {
  if (placeIds.length === 0) return;
  await sql`insert into place_import_change (import_id, place_id, action, previous)
    select ${importId}::uuid, id, 'inserted', null from unnest(${placeIds}::uuid[]) as id`.execute(db);
}

export async function finishImportRecord(
  db: Executor,
  importId: string,
  record: { counts: Record<string, number>; report: unknown },
): Promise<void> {
  await db
    .updateTable('place_import')
    .set({ counts: JSON.stringify(record.counts), report: JSON.stringify(record.report) })
    .where('id', '=', importId)
    .execute();
}

export type ImportRow = Selectable<Database['place_import']>;
export type ImportSummaryRow = Omit<ImportRow, 'report'>;

export async function listImports(db: Executor, limit = 200): Promise<ImportSummaryRow[]> {
  return db
    .selectFrom('place_import')
    .select([
      'id',
      'seq',
      'started_at',
      'actor',
      'file_name',
      'file_sha256',
      'source',
      'dry_run',
      'counts',
      'undone_at',
    ])
    .orderBy('seq', 'desc')
    .limit(limit)
    .execute();
}

export async function findImport(db: Executor, id: string): Promise<ImportRow | undefined> {
  return db.selectFrom('place_import').selectAll().where('id', '=', id).executeTakeFirst();
}

/** Later imports, not undone, that changed or merged some of the places an import changed. */
export async function findLaterImportsTouching(
  db: Executor,
  importId: string,
): Promise<{ id: string; seq: number; started_at: Date; places: number }[]> {
  const result = await sql<{ id: string; seq: number; started_at: Date; places: number }>`
    with mine as (select place_id from place_import_change where import_id = ${importId}),
    me as (select seq from place_import where id = ${importId}),
    touched as (
      select c.import_id, c.place_id from place_import_change c join mine using (place_id)
      union
      select l.import_id, m.place_id from place_link l join mine m
        on m.place_id in (l.canonical_id, l.merged_id)
      where l.unmerged_at is null and l.import_id is not null
    )
    select i.id, i.seq, i.started_at, count(distinct t.place_id)::int as places
    from touched t join place_import i on i.id = t.import_id
    where i.seq > (select seq from me) and i.undone_at is null
    group by i.id, i.seq, i.started_at order by i.seq desc`.execute(db);
  return result.rows;
}

/** Puts back every place an import changed as it was before, deletes those it added and its merges. */
export async function revertImport(
  db: Executor,
  importId: string,
): Promise<{ restored: number; deleted: number }> {
  const columns = await sql<{ column_name: string }>`select column_name from information_schema.columns
    where table_schema = current_schema() and table_name = 'place' and column_name <> 'id'
    order by ordinal_position`.execute(db);
  const names = columns.rows.map((r) => r.column_name);
  if (names.some((name) => !/^[a-z_][a-z0-9_]*$/.test(name))) throw new Error('unexpected column name');
  const target = sql.raw(names.join(', '));
  const source = sql.raw(names.map((name) => `r.${name}`).join(', '));
  await db.deleteFrom('place_link').where('import_id', '=', importId).execute();
  const restored = await sql`update place set (${target}) =
      (select ${source} from jsonb_populate_record(null::place, c.previous) r)
    from place_import_change c
    where c.import_id = ${importId} and c.action = 'updated' and place.id = c.place_id`.execute(db);
  const holders = await sql<{ structure_id: string }>`select distinct structure_id from place
    where structure_id is not null and id in
    (select place_id from place_import_change where import_id = ${importId} and action = 'inserted')`.execute(
    db,
  );
  const deleted = await sql`delete from place where id in
    (select place_id from place_import_change where import_id = ${importId} and action = 'inserted')`.execute(
    db,
  );
  await deleteStructuresLeftEmpty(
    db,
    holders.rows.map((r) => r.structure_id),
  );
  await db.updateTable('place_import').set({ undone_at: sql`now()` }).where('id', '=', importId).execute();
  return { restored: Number(restored.numAffectedRows ?? 0), deleted: Number(deleted.numAffectedRows ?? 0) };
}

/** Places of the given communes (by INSEE code, or by postcode when the code is unknown). */
export async function listMatchCandidates(
  db: Executor,
  communeCodes: string[],
  postcodes: string[],
): Promise<MatchCandidateRow[]> {
  if (communeCodes.length === 0 && postcodes.length === 0) return [];
  return db
    .selectFrom('place')
    .select([
      'id',
      'source',
      'source_id',
      'nom',
      'adresse',
      'commune',
      'code_postal',
      'code_insee',
      // A position put at the commune's point is not a place's own: matching must not find two
      // such places "close" (decision 0058).
      sql<number | null>`case when position_approximate then null else latitude end`.as('latitude'),
      sql<number | null>`case when position_approximate then null else longitude end`.as('longitude'),
      'date_maj',
      'pivot',
    ])
    .where((eb) =>
      eb.or([
        eb('code_insee', '=', sql<string>`any(${communeCodes}::text[])`),
        eb.and([
          eb('code_insee', 'is', null),
          eb('code_postal', '=', sql<string>`any(${postcodes}::text[])`),
        ]),
      ]),
    )
    .execute();
}

export type LinkRow = Selectable<Database['place_link']>;

/** Links (active or unmerged) touching any of the places (the ids sent once, however many). */
export async function listLinksOf(db: Executor, placeIds: string[]): Promise<LinkRow[]> {
  if (placeIds.length === 0) return [];
  return db
    .with('ids', () => sql<{ id: string }>`(select unnest(${placeIds}::uuid[]) as id)`)
    .selectFrom('place_link')
    .selectAll('place_link')
    .where((eb) =>
      eb.or([
        eb('canonical_id', 'in', eb.selectFrom('ids').select('id')),
        eb('merged_id', 'in', eb.selectFrom('ids').select('id')),
      ]),
    )
    .execute();
}

export async function insertLinks(
  db: Executor,
  links: {
    canonical_id: string;
    merged_id: string;
    score: number;
    import_id: string | null;
    pending?: boolean;
  }[],
): Promise<void> {
  for (let i = 0; i < links.length; i += CHUNK) {
    await db
      .insertInto('place_link')
      .values(links.slice(i, i + CHUNK))
      .execute();
  }
}

export async function findLink(db: Executor, id: string): Promise<LinkRow | undefined> {
  return db.selectFrom('place_link').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function findActiveLinkOfMerged(db: Executor, placeId: string): Promise<LinkRow | undefined> {
  return db
    .selectFrom('place_link')
    .selectAll()
    .where('merged_id', '=', placeId)
    .where('unmerged_at', 'is', null)
    .executeTakeFirst();
}

/** Separates a merge (or refuses a proposed one), with who did it; false when it was already separated. */
export async function markUnmerged(
  db: Executor,
  linkId: string,
  reviewer: { id: string | null; label: string },
): Promise<boolean> {
  const result = await db
    .updateTable('place_link')
    .set({
      unmerged_at: sql`now()`,
      reviewed_at: sql`now()`,
      reviewed_by: reviewer.id,
      reviewed_by_label: reviewer.label.slice(0, 200),
    })
    .where('id', '=', linkId)
    .where('unmerged_at', 'is', null)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

export async function listActiveLinks(
  db: Executor,
): Promise<
  (LinkRow & { canonical_nom: string; merged_nom: string; canonical_source: string; merged_source: string })[]
> {
  return db
    .selectFrom('place_link as l')
    .innerJoin('place as c', 'c.id', 'l.canonical_id')
    .innerJoin('place as m', 'm.id', 'l.merged_id')
    .selectAll('l')
    .select([
      'c.nom as canonical_nom',
      'm.nom as merged_nom',
      'c.source as canonical_source',
      'm.source as merged_source',
    ])
    .where('l.unmerged_at', 'is', null)
    .orderBy('l.created_at')
    .execute();
}

export interface QualityCounts {
  total: number;
  without_hours: number;
  approximate: number;
  stale: number;
}

/**
 * Places shown: of the records merged as one place, only the freshest (view `place_merge_hidden`,
 * migration 0010) is listed, searched and exported.
 */
const SHOWN = sql<boolean>`not exists (select 1 from place_merge_hidden h where h.id = place.id)`;

/** Figures of the data-quality page: places shown (merged ones hidden), by kind of gap. */
export async function qualityCounts(db: Executor, staleBefore: string): Promise<QualityCounts> {
  const row = await sql<QualityCounts>`select count(*)::int as total,
      count(*) filter (where horaires is null)::int as without_hours,
      count(*) filter (where position_approximate)::int as approximate,
      count(*) filter (where date_maj is null or date_maj < ${staleBefore}::date)::int as stale
    from place where ${SHOWN}`.execute(db);
  return row.rows[0] ?? { total: 0, without_hours: 0, approximate: 0, stale: 0 };
}

export async function listQualityPlaces(
  db: Executor,
  kind: 'without_hours' | 'approximate' | 'stale',
  staleBefore: string,
  limit: number,
): Promise<PlaceRow[]> {
  let query = db.selectFrom('place').selectAll().where(SHOWN);
  if (kind === 'without_hours') query = query.where('horaires', 'is', null);
  else if (kind === 'approximate') query = query.where('position_approximate', '=', true);
  else
    query = query.where((eb) =>
      eb.or([eb('date_maj', 'is', null), eb('date_maj', '<', sql<string>`${staleBefore}::date`)]),
    );
  return query.orderBy(sql`lower(nom)`).orderBy('source').orderBy('source_id').limit(limit).execute();
}

/** Warnings of the last imports (not undone, not dry runs), counted by field. */
export async function warningsByField(
  db: Executor,
  lastImports: number,
): Promise<{ field: string | null; warnings: number; imports: number }[]> {
  const result = await sql<{ field: string | null; warnings: number; imports: number }>`
    with recent as (select id, report from place_import where not dry_run and undone_at is null
      order by seq desc limit ${lastImports})
    select w->>'field' as field, count(*)::int as warnings, count(distinct recent.id)::int as imports
    from recent, jsonb_array_elements(recent.report->'warnings') w
    group by 1 order by 2 desc, 1`.execute(db);
  return result.rows;
}

export async function insertImportRecord(
  db: Executor,
  record: {
    actor: string;
    fileName: string | null;
    fileSha256: string | null;
    source: string | null;
    dryRun: boolean;
    counts: Record<string, number>;
    report: unknown;
  },
): Promise<string> {
  const row = await db
    .insertInto('place_import')
    .values({
      actor: record.actor,
      file_name: record.fileName,
      file_sha256: record.fileSha256,
      source: record.source,
      dry_run: record.dryRun,
      counts: JSON.stringify(record.counts),
      report: JSON.stringify(record.report),
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

export interface PlaceFilter {
  communeCodes?: string[];
  postcodes?: string[];
  source?: string;
}

export async function listPlaces(
  db: Executor,
  filter: PlaceFilter = {},
  page?: { limit: number; offset: number },
): Promise<PlaceRow[]> {
  let query = db.selectFrom('place').selectAll().where(SHOWN);
  if (filter.communeCodes) {
    const codes = filter.communeCodes;
    const postcodes = filter.postcodes ?? [];
    query = query.where((eb) =>
      eb.or([
        eb('code_insee', '=', sql<string>`any(${codes}::text[])`),
        eb.and([
          eb('code_insee', 'is', null),
          eb('code_postal', '=', sql<string>`any(${postcodes}::text[])`),
        ]),
      ]),
    );
  }
  if (filter.source !== undefined) query = query.where('source', '=', filter.source);
  query = query.orderBy(sql`lower(nom)`).orderBy('source').orderBy('source_id');
  if (page) query = query.limit(page.limit).offset(page.offset);
  return query.execute();
}

export async function countPlaces(db: Executor, filter: { source?: string } = {}): Promise<number> {
  let query = db
    .selectFrom('place')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where(SHOWN);
  if (filter.source !== undefined) query = query.where('source', '=', filter.source);
  const row = await query.executeTakeFirstOrThrow();
  return Number(row.n);
}

export async function findPlaceById(db: Executor, id: string): Promise<PlaceRow | undefined> {
  return db.selectFrom('place').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function deletePlacesBySource(db: Executor, source: string): Promise<number> {
  const holders = await db
    .selectFrom('place')
    .select('structure_id')
    .distinct()
    .where('source', '=', source)
    .where('structure_id', 'is not', null)
    .execute();
  const result = await db.deleteFrom('place').where('source', '=', source).executeTakeFirst();
  await deleteStructuresLeftEmpty(
    db,
    holders.flatMap((r) => (r.structure_id ? [r.structure_id] : [])),
  );
  return Number(result.numDeletedRows);
}

/**
 * Structures that held only the places just deleted, and nobody: they go with them (an import created
 * them). A structure made by hand that has no place yet, or one with members, stays: undoing an import
 * or removing the demonstration never deletes a structure somebody works in.
 */
async function deleteStructuresLeftEmpty(db: Executor, structureIds: readonly string[]): Promise<void> {
  if (structureIds.length === 0) return;
  await sql`delete from structure s
    where s.id in (${sql.join(structureIds.map((id) => sql`${id}::uuid`))})
      and not exists (select 1 from place p where p.structure_id = s.id)
      and not exists (select 1 from membership m where m.structure_id = s.id)`.execute(db);
}

/** Count and latest change of the place table: changes whenever a place is added, changed or deleted. */
export async function directoryVersion(db: Executor): Promise<string> {
  const row = await sql<{
    n: number;
    last: string | null;
    links: string | null;
    closures: string | null;
  }>`select count(*)::int as n, max(updated_at)::text as last,
      (select count(*)::text || ':' || coalesce(max(greatest(created_at, coalesce(unmerged_at, created_at),
         coalesce(reviewed_at, created_at)))::text, '')
       from place_link) as links,
      (select count(*)::text || ':' || coalesce(max(created_at)::text, '') from place_closure) as closures
    from place`.execute(db);
  const r = row.rows[0];
  // Merges, unmerges and confirmed proposals change what is shown without touching a place row; so do
  // temporary closures.
  return `${r?.n ?? 0}:${r?.last ?? ''}:${r?.links ?? ''}:${r?.closures ?? ''}`;
}

// --- Editing by structures: approved changes and temporary closures ---

export type ClosureRow = Selectable<Database['place_closure']>;

/** Closures of a place not over on `fromDate` ('YYYY-MM-DD'), soonest first. */
export async function listClosuresOf(db: Executor, placeId: string, fromDate: string): Promise<ClosureRow[]> {
  return db
    .selectFrom('place_closure')
    .selectAll()
    .where('place_id', '=', placeId)
    .where('ends_on', '>=', fromDate)
    .orderBy('starts_on')
    .orderBy('ends_on')
    .execute();
}

/** Every closure not over on `fromDate`, for the search index. */
export async function listClosuresFrom(db: Executor, fromDate: string): Promise<ClosureRow[]> {
  return db
    .selectFrom('place_closure')
    .selectAll()
    .where('ends_on', '>=', fromDate)
    .orderBy('place_id')
    .orderBy('starts_on')
    .execute();
}

/** Replaces a place's closures not over on `fromDate` (older ones stay, as history). */
export async function replaceClosuresFrom(
  db: Executor,
  placeId: string,
  fromDate: string,
  closures: { starts_on: string; ends_on: string; reason: string | null }[],
): Promise<void> {
  await db
    .deleteFrom('place_closure')
    .where('place_id', '=', placeId)
    .where('ends_on', '>=', fromDate)
    .execute();
  if (closures.length === 0) return;
  await db
    .insertInto('place_closure')
    .values(closures.map((c) => ({ place_id: placeId, ...c })))
    .execute();
}

/** Writes some columns of one place (and its updated_at, which the search index watches). */
export async function updatePlaceColumns(
  db: Executor,
  id: string,
  columns: Partial<Omit<PlaceInsert, 'id' | 'source' | 'source_id'>>,
): Promise<void> {
  await db
    .updateTable('place')
    .set({ ...columns, updated_at: sql`now()` })
    .where('id', '=', id)
    .execute();
}

/** Places of some structures, by name (merged duplicates hidden). */
export async function listPlacesOfStructures(db: Executor, structureIds: string[]): Promise<PlaceRow[]> {
  if (structureIds.length === 0) return [];
  return db
    .selectFrom('place')
    .selectAll()
    .where(SHOWN)
    .where('structure_id', 'in', structureIds)
    .orderBy(sql`lower(nom)`)
    .orderBy('source')
    .orderBy('source_id')
    .execute();
}

/** Inserts one place (a new place proposed by a structure, once approved); returns its id. */
export async function insertOnePlace(db: Executor, place: PlaceInsert): Promise<string> {
  const row = await db.insertInto('place').values(place).returning('id').executeTakeFirstOrThrow();
  return row.id;
}

/** Makes a place belong to a structure (an approved attach request); its public data does not change. */
export async function setPlaceStructure(db: Executor, placeId: string, structureId: string): Promise<void> {
  await db
    .updateTable('place')
    .set({ structure_id: structureId, updated_at: sql`now()` })
    .where('id', '=', placeId)
    .execute();
}

/**
 * Places whose name or commune contains every word given (folded by `foldForSearch`: the stored text is
 * folded the same way), merged duplicates hidden, by name; at most `limit`.
 */
export async function findPlacesByWords(db: Executor, words: string[], limit: number): Promise<PlaceRow[]> {
  if (words.length === 0) return [];
  const haystack = foldedSql(sql`place.nom || ' ' || place.commune`);
  return db
    .selectFrom('place')
    .selectAll()
    .where(SHOWN)
    .where((eb) => eb.and(words.map((w) => eb(haystack, 'like', `%${likeEscaped(w)}%`))))
    .orderBy(sql`lower(nom)`)
    .orderBy('commune')
    .limit(limit)
    .execute();
}

/** The sources marked as read back from a national system (decision 0055). */
export async function listNationalSources(db: Executor): Promise<Set<string>> {
  const rows = await db.selectFrom('national_place_source').select('source').execute();
  return new Set(rows.map((row) => row.source));
}

/** Marks sources as read back from a national system (kept as first marked). */
export async function markNationalSources(
  db: Executor,
  sources: readonly string[],
  layout: 'national' | 'data-inclusion',
): Promise<void> {
  if (sources.length === 0) return;
  await db
    .insertInto('national_place_source')
    .values(sources.map((source) => ({ source, layout })))
    .onConflict((oc) => oc.column('source').doNothing())
    .execute();
}

/** Among these sources, those the network holds: places stored under them, and no national mark. */
export async function listLocalSources(db: Executor, sources: readonly string[]): Promise<Set<string>> {
  if (sources.length === 0) return new Set();
  const rows = await db
    .selectFrom('place')
    .select('source')
    .distinct()
    .where('source', 'in', [...sources])
    .where(({ not, exists, selectFrom }) =>
      not(
        exists(
          selectFrom('national_place_source')
            .select('source')
            .whereRef('national_place_source.source', '=', 'place.source'),
        ),
      ),
    )
    .execute();
  return new Set(rows.map((row) => row.source));
}

/** Among these source ids, those stored under any source. */
export async function listStoredSourceIds(db: Executor, sourceIds: readonly string[]): Promise<Set<string>> {
  const found = new Set<string>();
  for (let i = 0; i < sourceIds.length; i += 5000) {
    const rows = await db
      .selectFrom('place')
      .select('source_id')
      .where('source_id', 'in', sourceIds.slice(i, i + 5000))
      .execute();
    for (const row of rows) found.add(row.source_id);
  }
  return found;
}
