import { type Selectable, sql } from 'kysely';
import type { Database, Db, PlaceChangeTable } from '../db/database.ts';

/**
 * SQL of the coordinator's queue: the decisions on proposed place changes (place_change) and on public
 * error reports (error_report). Proposals themselves are written by the places domain.
 */
export type ChangeRow = Selectable<PlaceChangeTable>;
export type ReportRow = Selectable<Database['error_report']>;

export interface QueuedChangeRow {
  id: string;
  place_id: string;
  place_nom: string;
  place_commune: string;
  structure_nom: string | null;
  proposed_by_label: string;
  proposed_at: Date;
  base: unknown;
  proposed: unknown;
}

/**
 * Pending changes, oldest first, with their place and structure names. New places proposed by structures
 * have no place yet: they are listed apart (place-requests.repository.ts).
 */
export async function listPendingChanges(db: Db, limit: number): Promise<QueuedChangeRow[]> {
  return db
    .selectFrom('place_change as c')
    .innerJoin('place as p', 'p.id', 'c.place_id')
    .leftJoin('structure as s', 's.id', 'c.structure_id')
    .select([
      'c.id',
      'c.place_id',
      'p.nom as place_nom',
      'p.commune as place_commune',
      's.nom as structure_nom',
      'c.proposed_by_label',
      'c.proposed_at',
      'c.base',
      'c.proposed',
    ])
    .where('c.status', '=', 'pending')
    .where('c.kind', '=', 'edit')
    .orderBy('c.proposed_at')
    .orderBy('c.id')
    .limit(limit)
    .$narrowType<{ place_id: string }>()
    .execute();
}

export interface QueuedReportRow {
  id: string;
  place_id: string;
  place_nom: string;
  place_commune: string;
  message: string;
  contact: string | null;
  created_at: Date;
}

/** Error reports not yet handled, oldest first, with their place's name. */
export async function listNewReports(db: Db, limit: number): Promise<QueuedReportRow[]> {
  return db
    .selectFrom('error_report as r')
    .innerJoin('place as p', 'p.id', 'r.place_id')
    .select([
      'r.id',
      'r.place_id',
      'p.nom as place_nom',
      'p.commune as place_commune',
      'r.message',
      'r.contact',
      'r.created_at',
    ])
    .where('r.status', '=', 'new')
    .orderBy('r.created_at')
    .orderBy('r.id')
    .limit(limit)
    .execute();
}

export async function countQueue(db: Db): Promise<{ changes: number; reports: number }> {
  const row = await sql<{ changes: number; reports: number }>`select
      (select count(*)::int from place_change where status = 'pending' and kind = 'edit') as changes,
      (select count(*)::int from error_report where status = 'new') as reports`.execute(db);
  return row.rows[0] ?? { changes: 0, reports: 0 };
}

export async function findChange(db: Db, id: string): Promise<ChangeRow | undefined> {
  return db.selectFrom('place_change').selectAll().where('id', '=', id).executeTakeFirst();
}

/** Records the decision on a pending change; false when it was no longer pending (decided meanwhile). */
export async function decideChange(
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
    .updateTable('place_change')
    .set(decision)
    .where('id', '=', id)
    .where('status', '=', 'pending')
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

export async function findReport(db: Db, id: string): Promise<ReportRow | undefined> {
  return db.selectFrom('error_report').selectAll().where('id', '=', id).executeTakeFirst();
}

/** Records the decision on a new report; false when it was already handled. */
export async function decideReport(
  db: Db,
  id: string,
  decision: {
    status: 'done' | 'rejected';
    decided_by: string | null;
    decided_at: Date;
    decision_message: string | null;
  },
): Promise<boolean> {
  const result = await db
    .updateTable('error_report')
    .set(decision)
    .where('id', '=', id)
    .where('status', '=', 'new')
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}
