import { type Selectable, sql } from 'kysely';
import type { Db, PlaceChangeTable } from '../db/database.ts';

/** SQL of the changes structures propose to their places (table place_change, migration 0006). */
export type PlaceChangeRow = Selectable<PlaceChangeTable>;

export async function findPendingChangeOfPlace(db: Db, placeId: string): Promise<PlaceChangeRow | undefined> {
  return db
    .selectFrom('place_change')
    .selectAll()
    .where('place_id', '=', placeId)
    .where('status', '=', 'pending')
    .orderBy('proposed_at', 'desc')
    .executeTakeFirst();
}

/** Marks the place's pending changes superseded (a newer proposal replaces them); returns how many. */
export async function supersedePendingChanges(db: Db, placeId: string, at: Date): Promise<number> {
  const result = await db
    .updateTable('place_change')
    .set({ status: 'superseded', decided_at: at })
    .where('place_id', '=', placeId)
    .where('status', '=', 'pending')
    .executeTakeFirst();
  return Number(result.numUpdatedRows);
}

export async function insertPlaceChange(
  db: Db,
  change: {
    place_id: string;
    structure_id: string | null;
    proposed_by: string | null;
    proposed_by_label: string;
    proposed_at: Date;
    base: unknown;
    proposed: unknown;
    status?: 'pending' | 'approved';
    decided_by?: string | null;
    decided_at?: Date | null;
    decision_message?: string | null;
    closures_applied_at?: Date | null;
  },
): Promise<string> {
  const row = await db
    .insertInto('place_change')
    .values({
      ...change,
      base: JSON.stringify(change.base),
      proposed: JSON.stringify(change.proposed),
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

/** Which of these places have a change waiting for the coordinator. */
export async function placesWithPendingChange(db: Db, placeIds: string[]): Promise<Set<string>> {
  if (placeIds.length === 0) return new Set();
  const rows = await db
    .selectFrom('place_change')
    .select('place_id')
    .where('status', '=', 'pending')
    .where('place_id', '=', sql<string>`any(${placeIds}::uuid[])`)
    .execute();
  return new Set(rows.map((r) => r.place_id));
}
