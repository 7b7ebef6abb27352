import { type Kysely, sql, type Transaction } from 'kysely';
import type { Database } from '../db/database.ts';

/**
 * SQL of the annual evaluation report and of the /espace blocks (decision 0056): what the statistics'
 * repository does not read — the first record's day, the places of a perimeter with their kinds, the
 * structures without a record in a month. Reads `place` and `structure`, read only.
 */

type Executor = Kysely<Database> | Transaction<Database>;

/** The day of the first activity record of the network (null when there is none). */
export async function firstActivityDay(db: Executor): Promise<string | null> {
  const row = await db
    .selectFrom('activity')
    .select(sql<string | null>`min(date)::text`.as('first'))
    .executeTakeFirst();
  return row?.first ?? null;
}

export interface PlaceKindRow {
  id: string;
  nom: string;
  commune: string;
  typologie: string[];
}

/** The places attached to some structures (null: to any structure of the network), by name. */
export async function placesOfPerimeter(
  db: Executor,
  structureIds: readonly string[] | null,
): Promise<PlaceKindRow[]> {
  let q = db
    .selectFrom('place')
    .select(['id', 'nom', 'commune', 'typologie'])
    .where('structure_id', 'is not', null)
    .orderBy(sql`lower(nom)`);
  if (structureIds !== null) {
    if (structureIds.length === 0) return [];
    q = q.where('structure_id', 'in', [...structureIds]);
  }
  return (await q.limit(5000).execute()).map((r) => ({
    id: r.id,
    nom: r.nom,
    commune: r.commune,
    typologie: (r.typologie as unknown as string[] | null) ?? [],
  }));
}

/** Records per structure between two days (both included), every structure listed (0 when none). */
export async function recordsPerStructure(
  db: Executor,
  from: string,
  to: string,
): Promise<{ id: string; name: string; records: number }[]> {
  const rows = await db
    .selectFrom('structure as s')
    .leftJoin('activity as a', (j) =>
      j.onRef('a.structure_id', '=', 's.id').on('a.date', '>=', from).on('a.date', '<=', to),
    )
    .select(['s.id', 's.nom', sql<number>`count(a.id)::int`.as('records')])
    .groupBy(['s.id', 's.nom'])
    .orderBy(sql`lower(s.nom)`)
    .execute();
  return rows.map((r) => ({ id: r.id, name: r.nom, records: r.records }));
}
