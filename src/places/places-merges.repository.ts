import { type Selectable, sql } from 'kysely';
import type { Database, Db } from '../db/database.ts';

/**
 * The merges as coordinators review them on /fusions: each link of place_link with both records side by
 * side. Only this file and places.repository.ts write SQL about merges.
 */

type Executor = Db;

/** Which merges a list shows: not yet reviewed (pending first), reviewed, or separated. */
export type MergeListState = 'to_review' | 'reviewed' | 'separated';

/** What the review page shows of each record of a merge. */
export interface MergedRecordRow {
  id: string;
  source: string;
  source_id: string;
  nom: string;
  adresse: string;
  complement_adresse: string | null;
  code_postal: string;
  commune: string;
  latitude: number | null;
  longitude: number | null;
  typologie: string[];
  telephone: string | null;
  site_web: string[];
  services: string[];
  date_maj: string | null;
  /** The schema's pivot: the matcher reads it (a valid SIRET is evidence, docs/decisions/0058). */
  pivot: string;
  /** Hidden behind the other records of its merged place (view place_merge_hidden). */
  hidden: boolean;
}

export type MergeLinkRow = Selectable<Database['place_link']> & {
  canonical: MergedRecordRow;
  merged: MergedRecordRow;
};

const RECORD_COLUMNS = [
  'id',
  'source',
  'source_id',
  'nom',
  'adresse',
  'complement_adresse',
  'code_postal',
  'commune',
  'latitude',
  'longitude',
  'typologie',
  'telephone',
  'site_web',
  'services',
  'date_maj',
  'pivot',
] as const;

/** A record as json, with whether the public sees it: one statement reads a whole page of merges. */
function recordJson(alias: 'c' | 'm') {
  const fields = RECORD_COLUMNS.map((column) => sql`${sql.lit(column)}, ${sql.ref(`${alias}.${column}`)}`);
  return sql<MergedRecordRow>`json_build_object(${sql.join(fields)}, 'hidden',
    exists (select 1 from place_merge_hidden h where h.id = ${sql.ref(`${alias}.id`)}))`;
}

function mergeLinks(db: Executor) {
  return db
    .selectFrom('place_link as l')
    .innerJoin('place as c', 'c.id', 'l.canonical_id')
    .innerJoin('place as m', 'm.id', 'l.merged_id')
    .selectAll('l')
    .select([recordJson('c').as('canonical'), recordJson('m').as('merged')]);
}

/**
 * A page of merges in a state: to review (neither reviewed nor separated) pending first then the
 * least similar; reviewed and separated ones, the latest decision first.
 */
export async function listMergeLinks(
  db: Executor,
  state: MergeListState,
  page: { limit: number; offset: number },
): Promise<MergeLinkRow[]> {
  let query = mergeLinks(db);
  if (state === 'to_review')
    query = query
      .where('l.unmerged_at', 'is', null)
      .where('l.reviewed_at', 'is', null)
      .orderBy('l.pending', 'desc')
      .orderBy('l.score')
      .orderBy('l.created_at');
  else if (state === 'reviewed')
    query = query
      .where('l.unmerged_at', 'is', null)
      .where('l.reviewed_at', 'is not', null)
      .orderBy('l.reviewed_at', 'desc');
  else query = query.where('l.unmerged_at', 'is not', null).orderBy('l.unmerged_at', 'desc');
  return (await query.orderBy('l.id').limit(page.limit).offset(page.offset).execute()) as MergeLinkRow[];
}

export async function findMergeLink(db: Executor, id: string): Promise<MergeLinkRow | undefined> {
  return (await mergeLinks(db).where('l.id', '=', id).executeTakeFirst()) as MergeLinkRow | undefined;
}

/** How many merges in each state; `pending` (proposed, not applied) is part of `to_review`. */
export async function countMergeLinks(
  db: Executor,
): Promise<{ to_review: number; pending: number; reviewed: number; separated: number }> {
  const row = await db
    .selectFrom('place_link')
    .select([
      sql<number>`count(*) filter (where unmerged_at is null and reviewed_at is null)::int`.as('to_review'),
      sql<number>`count(*) filter (where unmerged_at is null and reviewed_at is null and pending)::int`.as(
        'pending',
      ),
      sql<number>`count(*) filter (where unmerged_at is null and reviewed_at is not null)::int`.as(
        'reviewed',
      ),
      sql<number>`count(*) filter (where unmerged_at is not null)::int`.as('separated'),
    ])
    .executeTakeFirst();
  return {
    to_review: row?.to_review ?? 0,
    pending: row?.pending ?? 0,
    reviewed: row?.reviewed ?? 0,
    separated: row?.separated ?? 0,
  };
}

/**
 * Confirms a merge neither separated nor reviewed yet: applied from now on (a pending one starts hiding
 * its older record), with who confirmed it. False when it was separated or reviewed meanwhile.
 */
export async function confirmLink(
  db: Executor,
  id: string,
  reviewer: { id: string | null; label: string },
): Promise<boolean> {
  const result = await db
    .updateTable('place_link')
    .set({
      pending: false,
      reviewed_at: sql`now()`,
      reviewed_by: reviewer.id,
      reviewed_by_label: reviewer.label.slice(0, 200),
    })
    .where('id', '=', id)
    .where('unmerged_at', 'is', null)
    .where('reviewed_at', 'is', null)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}
