import type { Db } from '../db/database.ts';

/** Places with a position, the only ones a distance can be measured to. */
export async function listPlacesWithPosition(db: Db) {
  return db
    .selectFrom('place')
    .select(['id', 'nom', 'latitude', 'longitude', 'services', 'code_insee', 'code_postal', 'horaires'])
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

/** Need weights of these communes (all of them when `codes` is absent). */
export async function listCoverageWeights(db: Db, codes?: string[]) {
  if (codes && codes.length === 0) return [];
  let query = db.selectFrom('coverage_weight').select(['code', 'weight']);
  if (codes) query = query.where('code', 'in', codes);
  return query.execute();
}

export async function countCoverageWeights(db: Db): Promise<number> {
  const row = await db
    .selectFrom('coverage_weight')
    .select((eb) => eb.fn.countAll<string>().as('n'))
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

/** Inserts or replaces weights by commune code, in batches. */
export async function upsertCoverageWeights(
  db: Db,
  rows: readonly { code: string; weight: number }[],
  importedAt: Date,
): Promise<void> {
  for (let i = 0; i < rows.length; i += 1000) {
    const batch = rows.slice(i, i + 1000).map((r) => ({ ...r, imported_at: importedAt }));
    await db
      .insertInto('coverage_weight')
      .values(batch)
      .onConflict((oc) =>
        oc.column('code').doUpdateSet((eb) => ({
          weight: eb.ref('excluded.weight'),
          imported_at: eb.ref('excluded.imported_at'),
        })),
      )
      .execute();
  }
}
