import { type Kysely, sql } from 'kysely';
import type { Database } from '../db/database.ts';

/**
 * SQL of the open data (decision 0053): accompaniments summed by commune of the place and month, and by
 * year and theme. An accompaniment as La Coop counts it: an individual record is one, a workshop counts
 * its anonymous participants and its identified beneficiaries.
 */

const ACCOMPANIMENTS = sql<number>`case when a.kind = 'individuel' then 1
  else coalesce(p.total, 0) + (select count(*) from activity_beneficiary_link l where l.activity_id = a.id)::int end`;

export async function countAccompanimentsByCommuneMonth(
  db: Kysely<Database>,
  before: string,
): Promise<{ commune_code: string | null; month: string; accompaniments: number }[]> {
  const r = await sql<{ commune_code: string | null; month: string; accompaniments: string | number }>`
    select a.commune_code, to_char(a.date, 'YYYY-MM') as month, sum(${ACCOMPANIMENTS}) as accompaniments
    from activity a left join activity_participants p on p.activity_id = a.id
    where a.date < ${before}
    group by 1, 2`.execute(db);
  return r.rows.map((row) => ({ ...row, accompaniments: Number(row.accompaniments) }));
}

export async function countAccompanimentsByYearTheme(
  db: Kysely<Database>,
  before: string,
): Promise<{ year: string; theme: string; accompaniments: number }[]> {
  const r = await sql<{ year: string; theme: string; accompaniments: string | number }>`
    select to_char(a.date, 'YYYY') as year, t.theme, sum(${ACCOMPANIMENTS}) as accompaniments
    from activity a left join activity_participants p on p.activity_id = a.id
    cross join lateral unnest(a.themes) as t(theme)
    where a.date < ${before}
    group by 1, 2`.execute(db);
  return r.rows.map((row) => ({ ...row, accompaniments: Number(row.accompaniments) }));
}
