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
  closures_applied_at: Date | null;
}

/** Pending changes, oldest first, with their place and structure names. */
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
      'c.closures_applied_at',
    ])
    .where('c.status', '=', 'pending')
    .orderBy('c.proposed_at')
    .orderBy('c.id')
    .limit(limit)
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

export async function countQueue(
  db: Db,
): Promise<{ changes: number; reports: number; forwarded: number; closuresPublic: number }> {
  const row = await sql<{
    changes: number;
    reports: number;
    forwarded: number;
    closures_public: number;
  }>`select
      (select count(*)::int from place_change where status = 'pending') as changes,
      (select count(*)::int from place_change where status = 'pending' and closures_applied_at is not null)
        as closures_public,
      (select count(*)::int from error_report where status = 'new') as reports,
      (select count(*)::int from error_report where status = 'forwarded') as forwarded`.execute(db);
  const r = row.rows[0];
  return {
    changes: r?.changes ?? 0,
    reports: r?.reports ?? 0,
    forwarded: r?.forwarded ?? 0,
    closuresPublic: r?.closures_public ?? 0,
  };
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

/**
 * Records the decision on a report still open (new, or forwarded and not answered yet); false when it
 * was already handled.
 */
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
    .where('status', 'in', ['new', 'forwarded'])
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

/** Forwards a new report to a structure; false when it was no longer new. */
export async function forwardReport(
  db: Db,
  id: string,
  forward: { forwarded_to: string; forwarded_by: string | null; forwarded_at: Date },
): Promise<boolean> {
  const result = await db
    .updateTable('error_report')
    .set({ ...forward, status: 'forwarded' })
    .where('id', '=', id)
    .where('status', '=', 'new')
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

/** The structure's answer to a report forwarded to it; false when it was no longer waiting for it. */
export async function answerReport(
  db: Db,
  id: string,
  structureId: string,
  answer: {
    status: 'done' | 'rejected';
    decided_by: string | null;
    decided_at: Date;
    decision_message: string;
  },
): Promise<boolean> {
  const result = await db
    .updateTable('error_report')
    .set(answer)
    .where('id', '=', id)
    .where('status', '=', 'forwarded')
    .where('forwarded_to', '=', structureId)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

export async function markReporterNotified(db: Db, id: string, at: Date): Promise<void> {
  await db.updateTable('error_report').set({ reporter_notified_at: at }).where('id', '=', id).execute();
}

export interface ForwardedReportRow {
  id: string;
  place_id: string;
  place_nom: string;
  place_commune: string;
  structure_id: string;
  structure_nom: string;
  message: string;
  status: 'new' | 'forwarded' | 'done' | 'rejected';
  created_at: Date;
  forwarded_at: Date | null;
  decided_at: Date | null;
  decision_message: string | null;
}

function forwardedReports(db: Db) {
  return db
    .selectFrom('error_report as r')
    .innerJoin('place as p', 'p.id', 'r.place_id')
    .innerJoin('structure as s', 's.id', 'r.forwarded_to')
    .select([
      'r.id',
      'r.place_id',
      'p.nom as place_nom',
      'p.commune as place_commune',
      's.id as structure_id',
      's.nom as structure_nom',
      'r.message',
      'r.status',
      'r.created_at',
      'r.forwarded_at',
      'r.decided_at',
      'r.decision_message',
    ]);
}

/** Reports forwarded to these structures: those waiting (oldest first), then the latest answered. */
export async function listForwardedTo(
  db: Db,
  structureIds: readonly string[],
  answeredLimit: number,
): Promise<ForwardedReportRow[]> {
  if (structureIds.length === 0) return [];
  const ids = [...structureIds];
  const [waiting, answered] = await Promise.all([
    forwardedReports(db)
      .where('r.forwarded_to', 'in', ids)
      .where('r.status', '=', 'forwarded')
      .orderBy('r.forwarded_at')
      .orderBy('r.id')
      .execute(),
    forwardedReports(db)
      .where('r.forwarded_to', 'in', ids)
      .where('r.status', 'in', ['done', 'rejected'])
      .orderBy('r.decided_at', 'desc')
      .orderBy('r.id')
      .limit(answeredLimit)
      .execute(),
  ]);
  return [...waiting, ...answered];
}

/** Every forwarded report still waiting for its structure's answer, oldest first (the coordinator's view). */
export async function listForwardedWaiting(db: Db, limit: number): Promise<ForwardedReportRow[]> {
  return forwardedReports(db)
    .where('r.status', '=', 'forwarded')
    .orderBy('r.forwarded_at')
    .orderBy('r.id')
    .limit(limit)
    .execute();
}

export async function findForwardedReport(db: Db, id: string): Promise<ForwardedReportRow | undefined> {
  return forwardedReports(db).where('r.id', '=', id).executeTakeFirst();
}

/** How many forwarded reports wait for each of these structures' answer. */
export async function countForwardedTo(
  db: Db,
  structureIds: readonly string[],
): Promise<Map<string, { name: string; count: number }>> {
  const out = new Map<string, { name: string; count: number }>();
  if (structureIds.length === 0) return out;
  const rows = await db
    .selectFrom('structure as s')
    .leftJoin('error_report as r', (join) =>
      join.onRef('r.forwarded_to', '=', 's.id').on('r.status', '=', 'forwarded'),
    )
    .select(['s.id', 's.nom', (eb) => eb.fn.count<string>('r.id').as('n')])
    .where('s.id', 'in', [...structureIds])
    .groupBy(['s.id', 's.nom'])
    .orderBy('s.nom')
    .execute();
  for (const r of rows) out.set(r.id, { name: r.nom, count: Number(r.n) });
  return out;
}

/** The name of a structure (the forwarding's confirmation names it). */
export async function structureName(db: Db, id: string): Promise<string | null> {
  const row = await db.selectFrom('structure').select('nom').where('id', '=', id).executeTakeFirst();
  return row?.nom ?? null;
}
