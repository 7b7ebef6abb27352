import { type Insertable, type Selectable, sql, type Transaction } from 'kysely';
import type { Database, Db, PlaceTable } from '../db/database.ts';

/** All SQL about places, structures and imports. Returns rows; the service maps them. */
export type PlaceRow = Selectable<PlaceTable>;
export type PlaceInsert = Insertable<PlaceTable>;
type Executor = Db | Transaction<Database>;

const UNKNOWN_PIVOT = '00000000000000';
const CHUNK = 500;

export interface ExistingIdentity {
  id: string;
  source: string;
  source_id: string;
  content_hash: string;
  date_maj: string | null;
}

export async function findByIdentities(
  db: Executor,
  identities: { source: string; sourceId: string }[],
): Promise<ExistingIdentity[]> {
  const found: ExistingIdentity[] = [];
  for (let i = 0; i < identities.length; i += CHUNK) {
    const chunk = identities.slice(i, i + CHUNK);
    const rows = await db
      .selectFrom('place')
      .select(['id', 'source', 'source_id', 'content_hash', 'date_maj'])
      .where(
        sql<boolean>`(source, source_id) in (select * from unnest(${chunk.map((c) => c.source)}::text[], ${chunk.map((c) => c.sourceId)}::text[]))`,
      )
      .execute();
    found.push(...rows);
  }
  return found;
}

/** Inserts new places and overwrites changed ones, keyed by (source, source_id). */
export async function upsertPlaces(db: Executor, rows: PlaceInsert[]): Promise<void> {
  for (let i = 0; i < rows.length; i += CHUNK) {
    const chunk = rows.slice(i, i + CHUNK);
    await db
      .insertInto('place')
      .values(chunk)
      .onConflict((oc) =>
        oc.columns(['source', 'source_id']).doUpdateSet((eb) => {
          const set: Record<string, unknown> = { updated_at: sql`now()` };
          for (const column of Object.keys(chunk[0] ?? {})) {
            if (column === 'source' || column === 'source_id') continue;
            set[column] = eb.ref(`excluded.${column}` as 'excluded.nom');
          }
          return set;
        }),
      )
      .execute();
  }
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
  let query = db.selectFrom('place').selectAll();
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
  let query = db.selectFrom('place').select((eb) => eb.fn.countAll<number>().as('n'));
  if (filter.source !== undefined) query = query.where('source', '=', filter.source);
  const row = await query.executeTakeFirstOrThrow();
  return Number(row.n);
}

export async function findPlaceById(db: Executor, id: string): Promise<PlaceRow | undefined> {
  return db.selectFrom('place').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function deletePlacesBySource(db: Executor, source: string): Promise<number> {
  const result = await db.deleteFrom('place').where('source', '=', source).executeTakeFirst();
  await sql`delete from structure s where not exists (select 1 from place p where p.structure_id = s.id)`.execute(
    db,
  );
  return Number(result.numDeletedRows);
}

/** Count and latest change of the place table: changes whenever a place is added, changed or deleted. */
export async function directoryVersion(db: Executor): Promise<string> {
  const row = await sql<{
    n: number;
    last: string | null;
  }>`select count(*)::int as n, max(updated_at)::text as last from place`.execute(db);
  const r = row.rows[0];
  return `${r?.n ?? 0}:${r?.last ?? ''}`;
}
