import { type Kysely, sql } from 'kysely';
import type { Database } from '../db/database.ts';
import { foldedSql, likeEscaped } from '../db/fold.ts';

/**
 * SQL of the coordinator's list of structures (search, filters, sort, pages) and of editing a structure.
 * Reads its places' communes (never writes `place`), merged duplicates hidden.
 */
type Executor = Kysely<Database>;

const SHOWN = sql<boolean>`not exists (select 1 from place_merge_hidden h where h.id = place.id)`;

export type StructureSort = 'nom' | 'recent' | 'lieux' | 'membres';

export interface StructureListFilter {
  words: string[];
  pivotPrefix: string | null;
  kind: string | null;
  communeCode: string | null;
  withoutAdmin: boolean;
  /** Only structures with a pending join request, or among these ids (pending invitations). */
  pending: { ids: string[] } | null;
  sort: StructureSort;
  limit: number;
  offset: number;
}

export interface StructureListRow {
  id: string;
  pivot: string;
  nom: string;
  typologie: string[];
  created_at: Date;
  contact_email: string | null;
  contact_phone: string | null;
  members: number;
  admins: number;
  places: number;
  pending_requests: number;
}

function filtered(db: Executor, f: StructureListFilter) {
  const folded = foldedSql(sql.ref('structure.nom'));
  const admins = sql<number>`(select count(*)::int from membership m where m.structure_id = structure.id and m.role = 'structure_admin')`;
  const pendingRequests = sql<number>`(select count(*)::int from join_request j where j.structure_id = structure.id and j.status = 'pending')`;
  let query = db.selectFrom('structure');
  if (f.words.length > 0 || f.pivotPrefix)
    query = query.where((eb) =>
      eb.or([
        ...(f.words.length > 0
          ? [eb.and(f.words.map((w) => eb(folded, 'like', `%${likeEscaped(w)}%`)))]
          : []),
        ...(f.pivotPrefix ? [eb('structure.pivot', 'like', `${f.pivotPrefix}%`)] : []),
      ]),
    );
  if (f.kind) query = query.where(sql<boolean>`${f.kind} = any(structure.typologie)`);
  if (f.communeCode)
    query = query.where(
      sql<boolean>`exists (select 1 from place where place.structure_id = structure.id and place.code_insee = ${f.communeCode} and ${SHOWN})`,
    );
  if (f.withoutAdmin) query = query.where(sql<boolean>`${admins} = 0`);
  if (f.pending) {
    const ids = f.pending.ids;
    query = query.where((eb) =>
      eb.or([
        eb(pendingRequests, '>', 0),
        ...(ids.length > 0 ? [eb('structure.id', '=', sql<string>`any(${ids}::uuid[])`)] : []),
      ]),
    );
  }
  return { query, admins, pendingRequests };
}

/** One page of the structures matching the filter, with their counts, and how many match in all. */
export async function searchStructureList(
  db: Executor,
  f: StructureListFilter,
): Promise<{ rows: StructureListRow[]; total: number }> {
  const { query, admins, pendingRequests } = filtered(db, f);
  const members = sql<number>`(select count(*)::int from membership m where m.structure_id = structure.id)`;
  const places = sql<number>`(select count(*)::int from place where place.structure_id = structure.id and ${SHOWN})`;
  let page = query.select([
    'structure.id',
    'structure.pivot',
    'structure.nom',
    'structure.typologie',
    'structure.created_at',
    'structure.contact_email',
    'structure.contact_phone',
    members.as('members'),
    admins.as('admins'),
    places.as('places'),
    pendingRequests.as('pending_requests'),
  ]);
  if (f.sort === 'recent') page = page.orderBy('structure.created_at', 'desc');
  else if (f.sort === 'lieux') page = page.orderBy(places, 'desc');
  else if (f.sort === 'membres') page = page.orderBy(members, 'desc');
  page = page.orderBy(sql`lower(structure.nom)`).orderBy('structure.pivot');
  const rows = await page.limit(f.limit).offset(f.offset).execute();
  const total = await query.select((eb) => eb.fn.countAll<string>().as('n')).executeTakeFirstOrThrow();
  return {
    rows: rows.map((r) => ({
      ...r,
      members: Number(r.members),
      admins: Number(r.admins),
      places: Number(r.places),
      pending_requests: Number(r.pending_requests),
    })),
    total: Number(total.n),
  };
}

/** The communes where structures have places (code and name), by name: the commune filter's choices. */
export async function communesOfStructures(db: Executor): Promise<{ code: string; name: string }[]> {
  const rows = await db
    .selectFrom('place')
    .select(['place.code_insee', sql<string>`min(place.commune)`.as('name')])
    .where('place.structure_id', 'is not', null)
    .where('place.code_insee', 'is not', null)
    .where(SHOWN)
    .groupBy('place.code_insee')
    .execute();
  return rows
    .map((r) => ({ code: r.code_insee as string, name: r.name }))
    .sort((a, b) => a.name.localeCompare(b.name, 'fr') || a.code.localeCompare(b.code));
}

/** Structures without any administrator, and the pending join requests of the network (home page). */
export async function networkCounts(db: Executor): Promise<{ withoutAdmin: number; joinRequests: number }> {
  const row = await sql<{ withoutAdmin: number; joinRequests: number }>`select
      (select count(*)::int from structure s where not exists
        (select 1 from membership m where m.structure_id = s.id and m.role = 'structure_admin')) as "withoutAdmin",
      (select count(*)::int from join_request where status = 'pending') as "joinRequests"`.execute(db);
  return row.rows[0] ?? { withoutAdmin: 0, joinRequests: 0 };
}

/** Writes a structure's name, kinds, pivot and contact; false when the pivot is taken by another one. */
export async function updateStructureRow(
  db: Executor,
  id: string,
  values: {
    nom: string;
    typologie: string[];
    pivot: string;
    contact_email: string | null;
    contact_phone: string | null;
  },
): Promise<'updated' | 'pivot_taken' | 'missing'> {
  const taken = await db
    .selectFrom('structure')
    .select('id')
    .where('pivot', '=', values.pivot)
    .where('id', '!=', id)
    .executeTakeFirst();
  if (taken) return 'pivot_taken';
  const row = await db
    .updateTable('structure')
    .set({ ...values, updated_at: sql`now()` })
    .where('id', '=', id)
    .returning('id')
    .executeTakeFirst();
  return row ? 'updated' : 'missing';
}
