import type { Db } from '../db/database.ts';

/** Places with a position, the only ones a distance can be measured to. */
export async function listPlacesWithPosition(db: Db) {
  return db
    .selectFrom('place')
    .select(['id', 'nom', 'latitude', 'longitude', 'services', 'code_insee'])
    .where('latitude', 'is not', null)
    .where('longitude', 'is not', null)
    .orderBy('id')
    .execute();
}

export async function countPlaces(db: Db): Promise<number> {
  const row = await db
    .selectFrom('place')
    .select((eb) => eb.fn.countAll<string>().as('n'))
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

/**
 * Commune outlines for the map (read only). The table belongs to the communes domain, whose service
 * has no bulk reader of outlines yet: see docs/decisions/0006-coverage.md.
 */
export async function listCommuneOutlines(db: Db, codes: string[]) {
  if (codes.length === 0) return [];
  return db
    .selectFrom('commune_geometry')
    .select(['code', 'geometry'])
    .where('code', 'in', codes)
    .where('geometry', 'is not', null)
    .execute();
}
