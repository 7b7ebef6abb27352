import { type Selectable, sql } from 'kysely';
import type { Db, PlaceAttachRequestTable, PlaceChangeTable } from '../db/database.ts';

/**
 * SQL of the coordinator's decisions on what structures ask beyond their own places (migration 0015):
 * new places (place_change of kind `new_place`) and attach requests (place_attach_request). The places
 * domain writes the requests and applies the approvals; the queue shows them with the names of their
 * place and structure.
 */
export type NewPlaceChangeRow = Selectable<PlaceChangeTable> & { structure_nom: string | null };
export type AttachRow = Selectable<PlaceAttachRequestTable> & {
  structure_nom: string;
  place_nom: string;
  place_commune: string;
  place_structure_id: string | null;
};

/** Pending new places, oldest first, with their structure's name. */
export async function listPendingNewPlaces(db: Db, limit: number): Promise<NewPlaceChangeRow[]> {
  return db
    .selectFrom('place_change as c')
    .leftJoin('structure as s', 's.id', 'c.structure_id')
    .selectAll('c')
    .select('s.nom as structure_nom')
    .where('c.kind', '=', 'new_place')
    .where('c.status', '=', 'pending')
    .orderBy('c.proposed_at')
    .orderBy('c.id')
    .limit(limit)
    .execute();
}

function attachRows(db: Db) {
  return db
    .selectFrom('place_attach_request as r')
    .innerJoin('structure as s', 's.id', 'r.structure_id')
    .innerJoin('place as p', 'p.id', 'r.place_id')
    .selectAll('r')
    .select([
      's.nom as structure_nom',
      'p.nom as place_nom',
      'p.commune as place_commune',
      'p.structure_id as place_structure_id',
    ]);
}

/** Pending attach requests, oldest first, with the place's and the structure's names. */
export async function listPendingAttachRequests(db: Db, limit: number): Promise<AttachRow[]> {
  return attachRows(db)
    .where('r.status', '=', 'pending')
    .orderBy('r.created_at')
    .orderBy('r.id')
    .limit(limit)
    .execute();
}

export async function countPlaceRequests(db: Db): Promise<{ newPlaces: number; attachRequests: number }> {
  const row = await sql<{ newPlaces: number; attachRequests: number }>`select
      (select count(*)::int from place_change where status = 'pending' and kind = 'new_place') as "newPlaces",
      (select count(*)::int from place_attach_request where status = 'pending') as "attachRequests"`.execute(
    db,
  );
  return row.rows[0] ?? { newPlaces: 0, attachRequests: 0 };
}

export async function findNewPlace(db: Db, id: string): Promise<NewPlaceChangeRow | undefined> {
  return db
    .selectFrom('place_change as c')
    .leftJoin('structure as s', 's.id', 'c.structure_id')
    .selectAll('c')
    .select('s.nom as structure_nom')
    .where('c.id', '=', id)
    .where('c.kind', '=', 'new_place')
    .executeTakeFirst();
}

/** Records the decision on a pending new place (and the place created); false when already decided. */
export async function decideNewPlaceRow(
  db: Db,
  id: string,
  decision: {
    status: 'approved' | 'rejected';
    place_id: string | null;
    decided_by: string | null;
    decided_at: Date;
    decision_message: string | null;
  },
): Promise<boolean> {
  const result = await db
    .updateTable('place_change')
    .set(decision)
    .where('id', '=', id)
    .where('kind', '=', 'new_place')
    .where('status', '=', 'pending')
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

export async function findAttachRequest(db: Db, id: string): Promise<AttachRow | undefined> {
  return attachRows(db).where('r.id', '=', id).executeTakeFirst();
}

/** Records the decision on a pending attach request; false when it was already decided. */
export async function decideAttachRow(
  db: Db,
  id: string,
  decision: {
    status: 'approved' | 'rejected';
    decided_by: string | null;
    decided_at: Date;
    decision_message: string | null;
  },
): Promise<boolean> {
  const result = await db
    .updateTable('place_attach_request')
    .set(decision)
    .where('id', '=', id)
    .where('status', '=', 'pending')
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}
