import { type Selectable, sql } from 'kysely';
import type { Db, PlaceAttachRequestTable, PlaceChangeTable } from '../db/database.ts';

/**
 * SQL of what a structure asks about places beyond its own (migration 0015): new places it proposes
 * (place_change of kind `new_place`, without a place until approved) and requests to attach a place of
 * the directory (place_attach_request). Decisions are moderation's (moderation/place-requests.repository.ts).
 */
export type AttachRequestRow = Selectable<PlaceAttachRequestTable>;
export type NewPlaceRow = Selectable<PlaceChangeTable>;

export async function insertNewPlaceProposal(
  db: Db,
  row: {
    structure_id: string;
    proposed_by: string | null;
    proposed_by_label: string;
    proposed_at: Date;
    base: unknown;
    proposed: unknown;
  },
): Promise<string> {
  const inserted = await db
    .insertInto('place_change')
    .values({
      ...row,
      place_id: null,
      kind: 'new_place',
      base: JSON.stringify(row.base),
      proposed: JSON.stringify(row.proposed),
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return inserted.id;
}

/** A structure's new places waiting for the coordinator, oldest first. */
export async function pendingNewPlacesOf(db: Db, structureIds: string[]): Promise<NewPlaceRow[]> {
  if (structureIds.length === 0) return [];
  return db
    .selectFrom('place_change')
    .selectAll()
    .where('kind', '=', 'new_place')
    .where('status', '=', 'pending')
    .where('structure_id', 'in', structureIds)
    .orderBy('proposed_at')
    .execute();
}

/** Inserts a pending attach request; undefined when one is already pending for this place and structure. */
export async function insertAttachRequest(
  db: Db,
  row: {
    place_id: string;
    structure_id: string;
    requested_by: string | null;
    requested_by_label: string;
    message: string | null;
    created_at: Date;
  },
): Promise<string | undefined> {
  const inserted = await db
    .insertInto('place_attach_request')
    .values(row)
    .onConflict((oc) => oc.columns(['place_id', 'structure_id']).where('status', '=', 'pending').doNothing())
    .returning('id')
    .executeTakeFirst();
  return inserted?.id;
}

export async function findPendingAttachRequest(
  db: Db,
  placeId: string,
  structureId: string,
): Promise<AttachRequestRow | undefined> {
  return db
    .selectFrom('place_attach_request')
    .selectAll()
    .where('place_id', '=', placeId)
    .where('structure_id', '=', structureId)
    .where('status', '=', 'pending')
    .executeTakeFirst();
}

/** A structure's attach requests waiting for the coordinator, oldest first, with the place's name. */
export async function pendingAttachRequestsOf(
  db: Db,
  structureIds: string[],
): Promise<(AttachRequestRow & { place_nom: string; place_commune: string })[]> {
  if (structureIds.length === 0) return [];
  return db
    .selectFrom('place_attach_request as r')
    .innerJoin('place as p', 'p.id', 'r.place_id')
    .selectAll('r')
    .select(['p.nom as place_nom', 'p.commune as place_commune'])
    .where('r.status', '=', 'pending')
    .where('r.structure_id', 'in', structureIds)
    .orderBy('r.created_at')
    .execute();
}

/** Which of these places have an attach request waiting (any structure). */
export async function placesWithPendingAttach(db: Db, placeIds: string[]): Promise<Set<string>> {
  if (placeIds.length === 0) return new Set();
  const rows = await db
    .selectFrom('place_attach_request')
    .select('place_id')
    .where('status', '=', 'pending')
    .where('place_id', '=', sql<string>`any(${placeIds}::uuid[])`)
    .execute();
  return new Set(rows.map((r) => r.place_id));
}
