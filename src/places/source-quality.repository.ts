import { sql } from 'kysely';
import type { Db } from '../db/database.ts';

/**
 * SQL of the directory's sources seen one by one (docs/decisions/0059): what each source's last imports
 * did, the merged places whose records disagree on hours or phone, and the corrections made here to
 * places of another source (error reports, accepted edits). Everything is read from what imports,
 * merges and moderation already record: no table of its own.
 */

/** Each source with its records, those shown, and whether it was read from a national system. */
export interface SourceRow {
  source: string;
  places: number;
  hidden: number;
  national_layout: 'national' | 'data-inclusion' | null;
}

export async function listSources(db: Db): Promise<SourceRow[]> {
  const result = await sql<SourceRow>`
    with hidden as materialized (select id from place_merge_hidden)
    select p.source, count(*)::int as places, count(h.id)::int as hidden, n.layout as national_layout
      from place p
      left join hidden h on h.id = p.id
      left join national_place_source n on n.source = p.source
     group by p.source, n.layout
     order by lower(p.source), p.source`.execute(db);
  return result.rows;
}

/** What one import did to the places of one source (an import may carry several sources). */
export interface SourceImportRow {
  import_id: string;
  seq: number;
  started_at: Date;
  file_name: string | null;
  source: string;
  new_places: number;
  updated: number;
  merged: number;
  outside_skipped: number;
}

/**
 * Per import (the last `lastImports` ones neither dry runs nor undone) and per source: places new,
 * updated, merged with another source's record by this import (a link it made, not only proposed), and
 * rows skipped outside the territory. Skipped rows are the report's warnings tagged with their source;
 * an import named with one source (--source) gives it all its skipped rows.
 */
export async function listRecentSourceImports(db: Db, lastImports: number): Promise<SourceImportRow[]> {
  const result = await sql<SourceImportRow>`
    with recent as (
      select id, seq, started_at, file_name, source, counts, report from place_import
       where not dry_run and undone_at is null order by seq desc limit ${lastImports}
    ),
    linked as (
      select l.import_id, l.canonical_id as place_id
        from place_link l join recent r on r.id = l.import_id where not l.pending
      union
      select l.import_id, l.merged_id
        from place_link l join recent r on r.id = l.import_id where not l.pending
    ),
    changed as (
      select c.import_id, p.source,
             count(*) filter (where c.action = 'inserted' and k.place_id is null)::int as new_places,
             count(*) filter (where c.action = 'updated' and k.place_id is null)::int as updated,
             count(k.place_id)::int as merged
        from recent r
        join place_import_change c on c.import_id = r.id
        join place p on p.id = c.place_id
        left join linked k on k.import_id = c.import_id and k.place_id = c.place_id
       group by c.import_id, p.source
    ),
    skipped as (
      select r.id as import_id, w->>'source' as source, count(*)::int as outside_skipped
        from recent r, jsonb_array_elements(r.report->'warnings') w
       where r.source is null and w->>'source' is not null
       group by 1, 2
      union all
      select r.id, r.source, coalesce((r.counts->>'outsideSkipped')::int, 0)
        from recent r where r.source is not null
    ),
    pairs as (
      select import_id, source from changed
      union
      select import_id, source from skipped where outside_skipped > 0
      union
      select id, source from recent where source is not null
    )
    select r.id as import_id, r.seq::int as seq, r.started_at, r.file_name, pr.source,
           coalesce(c.new_places, 0) as new_places, coalesce(c.updated, 0) as updated,
           coalesce(c.merged, 0) as merged, coalesce(s.outside_skipped, 0) as outside_skipped
      from pairs pr
      join recent r on r.id = pr.import_id
      left join changed c on c.import_id = pr.import_id and c.source = pr.source
      left join skipped s on s.import_id = pr.import_id and s.source = pr.source
     order by r.seq desc, pr.source`.execute(db);
  return result.rows;
}

/** Two merged records of one place (canonical and merged), and the record the directory shows for it. */
export interface ConflictRow {
  link_id: string;
  a_id: string;
  a_nom: string;
  a_source: string;
  a_source_id: string;
  a_telephone: string | null;
  a_horaires: string | null;
  b_id: string;
  b_nom: string;
  b_source: string;
  b_source_id: string;
  b_telephone: string | null;
  b_horaires: string | null;
  shown_id: string;
  shown_nom: string;
  shown_source: string;
}

/**
 * Merges in force (confirmed, not separated) whose two records both give a phone, or both give hours,
 * and not the same ones (spaces aside), with the record shown for the place (decision 0010's rule:
 * the freshest of the group).
 */
export async function listConflicts(db: Db): Promise<ConflictRow[]> {
  const result = await sql<ConflictRow>`
    with link as (
      select id, canonical_id, merged_id from place_link where unmerged_at is null and not pending
    ),
    member as (
      select canonical_id as root, canonical_id as id from link
      union
      select canonical_id, merged_id from link
    ),
    -- The view is read once, not once per member.
    hidden as materialized (select id from place_merge_hidden),
    shown as (
      select m.root, m.id from member m left join hidden h on h.id = m.id where h.id is null
    )
    select l.id as link_id,
           a.id as a_id, a.nom as a_nom, a.source as a_source, a.source_id as a_source_id,
           a.telephone as a_telephone, a.horaires as a_horaires,
           b.id as b_id, b.nom as b_nom, b.source as b_source, b.source_id as b_source_id,
           b.telephone as b_telephone, b.horaires as b_horaires,
           sp.id as shown_id, sp.nom as shown_nom, sp.source as shown_source
      from link l
      join place a on a.id = l.canonical_id
      join place b on b.id = l.merged_id
      join shown s on s.root = l.canonical_id
      join place sp on sp.id = s.id
     where (a.telephone is not null and b.telephone is not null
            and regexp_replace(a.telephone, '\\s', '', 'g') <> regexp_replace(b.telephone, '\\s', '', 'g'))
        or (a.horaires is not null and b.horaires is not null
            and regexp_replace(a.horaires, '\\s', '', 'g') <> regexp_replace(b.horaires, '\\s', '', 'g'))
     order by lower(sp.nom), sp.id, l.id`.execute(db);
  return result.rows;
}

/** A place of a source other than the site's own, as the corrections name it. */
interface CorrectedPlace {
  place_id: string;
  nom: string;
  commune: string;
  source: string;
  source_id: string;
}

export interface ReportCorrectionRow extends CorrectedPlace {
  id: string;
  created_at: Date;
  status: 'new' | 'forwarded' | 'done' | 'rejected';
  message: string;
}

/**
 * Error reports not rejected on places of other sources than `ownSource` (one source, or all), oldest
 * first. Neither the reporter's contact nor who decided is read: they never leave.
 */
export async function listReportCorrections(
  db: Db,
  ownSource: string,
  source: string | null,
): Promise<ReportCorrectionRow[]> {
  let query = db
    .selectFrom('error_report as r')
    .innerJoin('place as p', 'p.id', 'r.place_id')
    .select([
      'r.id',
      'r.created_at',
      'r.status',
      'r.message',
      'p.id as place_id',
      'p.nom',
      'p.commune',
      'p.source',
      'p.source_id',
    ])
    .where('r.status', '<>', 'rejected')
    .where('p.source', '<>', ownSource);
  if (source !== null) query = query.where('p.source', '=', source);
  return query.orderBy('r.created_at').orderBy('r.id').execute();
}

export interface EditCorrectionRow extends CorrectedPlace {
  id: string;
  proposed_at: Date;
  decided_at: Date | null;
  base: unknown;
  proposed: unknown;
}

/**
 * Accepted edits of places of other sources than `ownSource` (one source, or all), oldest first: the
 * values the proposal started from and those it proposed. Who proposed and who decided are not read.
 */
export async function listEditCorrections(
  db: Db,
  ownSource: string,
  source: string | null,
): Promise<EditCorrectionRow[]> {
  let query = db
    .selectFrom('place_change as c')
    .innerJoin('place as p', 'p.id', 'c.place_id')
    .select([
      'c.id',
      'c.proposed_at',
      'c.decided_at',
      'c.base',
      'c.proposed',
      'p.id as place_id',
      'p.nom',
      'p.commune',
      'p.source',
      'p.source_id',
    ])
    .where('c.kind', '=', 'edit')
    .where('c.status', '=', 'approved')
    .where('p.source', '<>', ownSource);
  if (source !== null) query = query.where('p.source', '=', source);
  return query.orderBy('c.decided_at').orderBy('c.id').execute();
}

/** Whether some place of the directory comes from this source. */
export async function sourceExists(db: Db, source: string): Promise<boolean> {
  const row = await db
    .selectFrom('place')
    .select('id')
    .where('source', '=', source)
    .limit(1)
    .executeTakeFirst();
  return row !== undefined;
}
