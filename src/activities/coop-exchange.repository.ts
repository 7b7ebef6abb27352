import type { Kysely, Transaction } from 'kysely';
import type { Database } from '../db/database.ts';
import type { ActivityRow, ParticipantsRow } from './activities.repository.ts';

/** SQL of the exchange with La Coop (decision 0039): which records an export already holds, and the export's rows. */

type Executor = Kysely<Database> | Transaction<Database>;

/** Imported records among Coop ids ("ID CRA"), with the structure that imported each. */
export async function findImportedIds(
  db: Executor,
  externalIds: readonly string[],
): Promise<{ external_id: string; structure_id: string }[]> {
  if (externalIds.length === 0) return [];
  const rows = await db
    .selectFrom('activity')
    .select(['external_id', 'structure_id'])
    .where('source', '=', 'coop_import')
    .where('external_id', 'in', [...externalIds])
    .execute();
  return rows.map((r) => ({ external_id: r.external_id as string, structure_id: r.structure_id }));
}

/** Maillage's own records among ids (an export of Maillage's imported back), with their structure. */
export async function findOwnIds(
  db: Executor,
  ids: readonly string[],
): Promise<{ id: string; structure_id: string }[]> {
  if (ids.length === 0) return [];
  return db
    .selectFrom('activity')
    .select(['id', 'structure_id'])
    .where('id', 'in', [...ids])
    .execute();
}

export type ExportRow = ActivityRow & { participants: Omit<ParticipantsRow, 'activity_id'> | null };

/** A structure's records between two days (included, when given), oldest first, with their counts. */
export async function listForExport(
  db: Executor,
  structureId: string,
  range: { from: string | null; to: string | null; limit: number },
): Promise<ExportRow[]> {
  let q = db.selectFrom('activity').selectAll().where('structure_id', '=', structureId);
  if (range.from) q = q.where('date', '>=', range.from);
  if (range.to) q = q.where('date', '<=', range.to);
  const rows = await q.orderBy('date').orderBy('created_at').orderBy('id').limit(range.limit).execute();
  if (rows.length === 0) return [];
  const counts = new Map<string, ParticipantsRow>();
  const ids = rows.map((r) => r.id);
  for (let i = 0; i < ids.length; i += 1000) {
    const chunk = await db
      .selectFrom('activity_participants')
      .selectAll()
      .where('activity_id', 'in', ids.slice(i, i + 1000))
      .execute();
    for (const c of chunk) counts.set(c.activity_id, c);
  }
  return rows.map((r) => {
    const c = counts.get(r.id);
    if (!c) return { ...r, participants: null };
    const { activity_id: _, ...participants } = c;
    return { ...r, participants };
  });
}

/** How many records a structure has, and how many of them came from La Coop. */
export async function countRecords(
  db: Executor,
  structureId: string,
): Promise<{ all: number; imported: number }> {
  const r = await db
    .selectFrom('activity')
    .select((eb) => [eb.fn.countAll<number>().as('all'), eb.fn.count<number>('external_id').as('imported')])
    .where('structure_id', '=', structureId)
    .executeTakeFirstOrThrow();
  return { all: Number(r.all), imported: Number(r.imported) };
}
