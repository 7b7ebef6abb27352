import type { Insertable, Selectable, Transaction } from 'kysely';
import type { CommuneGeometryTable, Database, Db } from '../db/database.ts';

export type CommuneGeometryRow = Selectable<CommuneGeometryTable>;
type Executor = Db | Transaction<Database>;

/** Writes reference points (and outlines); `keepExisting` leaves communes already known untouched. */
export async function upsertCommuneGeometries(
  db: Executor,
  rows: Insertable<CommuneGeometryTable>[],
  options: { keepExisting: boolean },
): Promise<number> {
  let written = 0;
  for (let i = 0; i < rows.length; i += 200) {
    const chunk = rows.slice(i, i + 200);
    const result = await db
      .insertInto('commune_geometry')
      .values(chunk)
      .onConflict((oc) =>
        options.keepExisting
          ? oc.column('code').doNothing()
          : oc.column('code').doUpdateSet((eb) => ({
              ref_lat: eb.ref('excluded.ref_lat'),
              ref_lon: eb.ref('excluded.ref_lon'),
              ref_method: eb.ref('excluded.ref_method'),
              geometry: eb.ref('excluded.geometry'),
              source_file: eb.ref('excluded.source_file'),
              imported_at: eb.ref('excluded.imported_at'),
            })),
      )
      .executeTakeFirst();
    written += Number(result.numInsertedOrUpdatedRows ?? 0);
  }
  return written;
}

export async function listReferencePoints(
  db: Executor,
  codes?: string[],
): Promise<Pick<CommuneGeometryRow, 'code' | 'ref_lat' | 'ref_lon' | 'ref_method'>[]> {
  let query = db.selectFrom('commune_geometry').select(['code', 'ref_lat', 'ref_lon', 'ref_method']);
  if (codes) query = query.where('code', 'in', codes.length ? codes : ['']);
  return query.orderBy('code').execute();
}

export async function findCommuneGeometry(
  db: Executor,
  code: string,
): Promise<CommuneGeometryRow | undefined> {
  return db.selectFrom('commune_geometry').selectAll().where('code', '=', code).executeTakeFirst();
}

/** Reference points and outlines of some communes (the territory's, for its border). */
export async function listCommuneGeometries(
  db: Executor,
  codes: string[],
): Promise<Pick<CommuneGeometryRow, 'code' | 'ref_lat' | 'ref_lon' | 'geometry'>[]> {
  if (codes.length === 0) return [];
  return db
    .selectFrom('commune_geometry')
    .select(['code', 'ref_lat', 'ref_lon', 'geometry'])
    .where('code', 'in', codes)
    .execute();
}

/** A cheap fingerprint of the loaded geometry (count and last import): caches built on it reload. */
export async function geometryVersion(db: Executor): Promise<string> {
  const row = await db
    .selectFrom('commune_geometry')
    .select((eb) => [eb.fn.countAll<string>().as('n'), eb.fn.max('imported_at').as('last')])
    .executeTakeFirstOrThrow();
  const last = row.last as unknown;
  return `${row.n}|${last instanceof Date ? last.toISOString() : String(last ?? '')}`;
}

/** Outlines of the communes whose reference point lies in a lon/lat box (the caller adds a margin). */
export async function listOutlinesInBox(
  db: Executor,
  box: { minLat: number; maxLat: number; minLon: number; maxLon: number },
): Promise<Pick<CommuneGeometryRow, 'code' | 'geometry'>[]> {
  return db
    .selectFrom('commune_geometry')
    .select(['code', 'geometry'])
    .where('geometry', 'is not', null)
    .where('ref_lat', '>=', box.minLat)
    .where('ref_lat', '<=', box.maxLat)
    .where('ref_lon', '>=', box.minLon)
    .where('ref_lon', '<=', box.maxLon)
    .orderBy('code')
    .limit(2000)
    .execute();
}
