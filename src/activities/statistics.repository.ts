import { type Kysely, type RawBuilder, sql, type Transaction } from 'kysely';
import type { Database } from '../db/database.ts';

/**
 * SQL of the activity statistics (decision 0052). One scan of the records in scope (a materialised CTE
 * that the index on (structure_id, date) or on date narrows), each record carrying its accompaniments:
 * its identified people (links) and its anonymous participants — none for an individual record that
 * names its person, as the Coop creates an anonymous beneficiary only when no followed one is given.
 * Reads `place` (name, INSEE code) and `structure` (name) for the labels and the place's commune.
 */

type Executor = Kysely<Database> | Transaction<Database>;

/** Which records: the network, some structures (all their days), or fundings (a structure's days). */
export type StatisticsScope =
  | { kind: 'network' }
  | { kind: 'structures'; ids: readonly string[] }
  | { kind: 'fundings'; fundings: readonly { structureId: string; from: string; to: string | null }[] };

export interface StatisticsFilter {
  from: string;
  to: string;
  kind: 'individuel' | 'collectif' | null;
  theme: string | null;
  structureId: string | null;
  placeId: string | null;
}

/** Days of some structures (null: every structure), both ends included. */
export interface Segment {
  ids: readonly string[] | null;
  from: string;
  to: string;
}

/** The scope within the period, as segments of days (a funding's days meet the period's). */
export function segmentsOf(scope: StatisticsScope, from: string, to: string): Segment[] {
  if (scope.kind === 'network') return [{ ids: null, from, to }];
  if (scope.kind === 'structures') return scope.ids.length === 0 ? [] : [{ ids: scope.ids, from, to }];
  return scope.fundings
    .map((f) => ({
      ids: [f.structureId],
      from: f.from > from ? f.from : from,
      to: f.to !== null && f.to < to ? f.to : to,
    }))
    .filter((g) => g.from <= g.to);
}

function segmentsCondition(segments: readonly Segment[], column = sql`a.date`): RawBuilder<unknown> {
  if (segments.length === 0) return sql`false`;
  return sql`(${sql.join(
    segments.map(
      (g) =>
        sql`(${column} between ${g.from}::date and ${g.to}::date${
          g.ids === null
            ? sql``
            : g.ids.length === 0
              ? sql` and false`
              : sql` and a.structure_id in (${sql.join(g.ids.map((id) => sql`${id}::uuid`))})`
        })`,
    ),
    sql` or `,
  )})`;
}

function filterCondition(f: StatisticsFilter): RawBuilder<unknown> {
  return sql`${f.kind === null ? sql`` : sql`and a.kind = ${f.kind}`}
      ${f.theme === null ? sql`` : sql`and a.themes @> array[${f.theme}]::text[]`}
      ${f.structureId === null ? sql`` : sql`and a.structure_id = ${f.structureId}::uuid`}
      ${f.placeId === null ? sql`` : sql`and a.place_id = ${f.placeId}::uuid`}`;
}

function scoped(segments: readonly Segment[], f: StatisticsFilter): RawBuilder<unknown> {
  return sql`s as materialized (
    select a.id, a.kind, a.date, a.duration_minutes, a.place_kind, a.place_id, a.structure_id, a.themes,
      a.equipment, a.autonomy, a.oriented, a.redirection, a.beneficiary_commune_code, a.voucher_entry_id,
      a.workshop_id, coalesce(pl.code_insee, a.commune_code) as commune,
      coalesce(l.n, 0) as identified, coalesce(l.first, 0) as identified_first,
      case when a.kind = 'individuel' and coalesce(l.n, 0) > 0 then 0 else coalesce(p.total, 0) end as anonymous,
      case when a.kind = 'individuel' and coalesce(l.n, 0) > 0 then 0
        else coalesce(p.total - p.already_accompanied, 0) end as anonymous_first,
      p.gender_masculin, p.gender_feminin, p.gender_non_communique,
      p.age_moins_de_douze, p.age_douze_dix_huit, p.age_dix_huit_vingt_quatre, p.age_vingt_cinq_trente_neuf,
      p.age_quarante_cinquante_neuf, p.age_soixante_soixante_neuf, p.age_soixante_dix_plus,
      p.age_non_communique, p.status_scolarise, p.status_sans_emploi, p.status_en_emploi, p.status_retraite,
      p.status_non_communique
    from activity a
    left join activity_participants p on p.activity_id = a.id
    left join place pl on pl.id = a.place_id
    left join lateral (
      select count(*)::int as n, count(*) filter (where k.first_time)::int as first
      from activity_beneficiary_link k where k.activity_id = a.id
    ) l on true
    where ${segmentsCondition(segments)}
      ${filterCondition(f)}
  )`;
}

export interface TotalsRow {
  activities: number;
  individuel: number;
  collectif: number;
  accompaniments: number;
  accompaniments_individuel: number;
  accompaniments_collectif: number;
  anonymous: number;
  first_time: number;
  vouchers: number;
  workshops: number;
  people: number;
}

export interface BreakdownRow {
  dim: string;
  key: string | null;
  n: number;
}

export interface IdentifiedRow {
  gender: string;
  age_band: string;
  social_status: string;
  commune_code: string | null;
  n: number;
}

export interface AnonymousRow {
  commune: string | null;
  n: number;
  gender_masculin: number;
  gender_feminin: number;
  gender_non_communique: number;
  age_moins_de_douze: number;
  age_douze_dix_huit: number;
  age_dix_huit_vingt_quatre: number;
  age_vingt_cinq_trente_neuf: number;
  age_quarante_cinquante_neuf: number;
  age_soixante_soixante_neuf: number;
  age_soixante_dix_plus: number;
  age_non_communique: number;
  status_scolarise: number;
  status_sans_emploi: number;
  status_en_emploi: number;
  status_retraite: number;
  status_non_communique: number;
}

export interface StatisticsRows {
  totals: TotalsRow;
  breakdowns: BreakdownRow[];
  identified: IdentifiedRow[];
  anonymous: AnonymousRow[];
}

const ANONYMOUS_COLUMNS = [
  'gender_masculin',
  'gender_feminin',
  'gender_non_communique',
  'age_moins_de_douze',
  'age_douze_dix_huit',
  'age_dix_huit_vingt_quatre',
  'age_vingt_cinq_trente_neuf',
  'age_quarante_cinquante_neuf',
  'age_soixante_soixante_neuf',
  'age_soixante_dix_plus',
  'age_non_communique',
  'status_scolarise',
  'status_sans_emploi',
  'status_en_emploi',
  'status_retraite',
  'status_non_communique',
] as const;

/**
 * Every figure of a statistics page in one statement (one scan of the scope): totals, accompaniments by
 * category (a row per dimension and value), identified people by attribute, anonymous participants by
 * commune of residence and attribute. Run in a read-only snapshot so the parts agree.
 */
export async function statisticsRows(
  db: Executor,
  segments: readonly Segment[],
  filter: StatisticsFilter,
): Promise<StatisticsRows> {
  const anonSums = sql.join(
    ANONYMOUS_COLUMNS.map((c) => sql`coalesce(sum(${sql.ref(`s.${c}`)}), 0)::int as ${sql.ref(c)}`),
  );
  const r = await sql<{ part: string; payload: unknown }>`
    with ${scoped(segments, filter)},
    people as (select distinct k.beneficiary_id from s join activity_beneficiary_link k on k.activity_id = s.id)
    select 'totals' as part, to_jsonb(t) as payload from (
      select count(*)::int as activities,
        count(*) filter (where kind = 'individuel')::int as individuel,
        count(*) filter (where kind = 'collectif')::int as collectif,
        coalesce(sum(identified + anonymous), 0)::int as accompaniments,
        coalesce(sum(identified + anonymous) filter (where kind = 'individuel'), 0)::int as accompaniments_individuel,
        coalesce(sum(identified + anonymous) filter (where kind = 'collectif'), 0)::int as accompaniments_collectif,
        coalesce(sum(anonymous), 0)::int as anonymous,
        coalesce(sum(identified_first + anonymous_first), 0)::int as first_time,
        count(*) filter (where voucher_entry_id is not null)::int as vouchers,
        count(*) filter (where workshop_id is not null)::int as workshops,
        (select count(*) from people)::int as people
      from s) t
    union all
    select 'breakdown', to_jsonb(b) from (
      select d.dim, d.key, sum(s.identified + s.anonymous)::int as n
      from s cross join lateral (values
        ('kind', s.kind),
        ('duration', case when s.duration_minutes < 30 then '30' when s.duration_minutes < 60 then '60'
          when s.duration_minutes < 120 then '120' else 'more' end),
        ('place_kind', s.place_kind),
        ('autonomy', case when s.kind = 'individuel' then coalesce(s.autonomy, 'non_communique') end),
        ('orientation', case when s.kind = 'individuel' then
          case s.oriented when true then 'oui' when false then 'non' else 'non_communique' end end),
        ('redirection', s.redirection),
        ('structure', s.structure_id::text),
        ('place', s.place_id::text),
        ('commune', coalesce(s.commune, '')),
        ('month', to_char(s.date, 'YYYY-MM'))
      ) as d(dim, key)
      where d.key is not null
      group by d.dim, d.key
      union all
      select 'theme', t.v, sum(s.identified + s.anonymous)::int from s cross join unnest(s.themes) as t(v) group by t.v
      union all
      select 'equipment', e.v, sum(s.identified + s.anonymous)::int from s cross join unnest(s.equipment) as e(v)
      group by e.v
    ) b
    union all
    select 'identified', to_jsonb(i) from (
      select b.gender, b.age_band, b.social_status, b.commune_code, count(*)::int as n
      from people join activity_beneficiary b on b.id = people.beneficiary_id
      group by 1, 2, 3, 4
    ) i
    union all
    select 'anonymous', to_jsonb(x) from (
      select s.beneficiary_commune_code as commune, sum(s.anonymous)::int as n, ${anonSums}
      from s where s.anonymous > 0 group by 1
    ) x`.execute(db);
  const out: StatisticsRows = { totals: emptyTotals(), breakdowns: [], identified: [], anonymous: [] };
  for (const row of r.rows) {
    if (row.part === 'totals') out.totals = row.payload as TotalsRow;
    else if (row.part === 'breakdown') out.breakdowns.push(row.payload as BreakdownRow);
    else if (row.part === 'identified') out.identified.push(row.payload as IdentifiedRow);
    else out.anonymous.push(row.payload as AnonymousRow);
  }
  return out;
}

export function emptyTotals(): TotalsRow {
  return {
    activities: 0,
    individuel: 0,
    collectif: 0,
    accompaniments: 0,
    accompaniments_individuel: 0,
    accompaniments_collectif: 0,
    anonymous: 0,
    first_time: 0,
    vouchers: 0,
    workshops: 0,
    people: 0,
  };
}

/**
 * The identified people of the records in scope, each once, by attribute: read from the links (the
 * identified people are few), each link's record checked by its primary key.
 */
export async function identifiedRows(
  db: Executor,
  segments: readonly Segment[],
  filter: StatisticsFilter,
): Promise<IdentifiedRow[]> {
  const r = await sql<IdentifiedRow>`
    with people as (
      select distinct k.beneficiary_id from activity_beneficiary_link k join activity a on a.id = k.activity_id
      where ${segmentsCondition(segments)} ${filterCondition(filter)}
    )
    select b.gender, b.age_band, b.social_status, b.commune_code, count(*)::int as n
    from people join activity_beneficiary b on b.id = people.beneficiary_id
    group by 1, 2, 3, 4`.execute(db);
  return r.rows;
}

/**
 * A row of the sums kept by the triggers (migrations 0036, 0042, 0046): a dimension's value for a kind.
 * 'total' rows carry their month ('YYYY-MM'); 'structure' and 'place' are the totals by structure and by
 * place of activity.
 */
export interface SumRow {
  kind: string;
  dim: string;
  key: string;
  month: string;
  records: number;
  accompaniments: number;
}

type SumFilter = Omit<StatisticsFilter, 'theme'>;

const kindCondition = (f: SumFilter) => (f.kind === null ? sql`` : sql`and a.kind = ${f.kind}`);

/**
 * The sums of whole months (each segment's days are whole months), from the coarsest table that answers:
 * the network's when the perimeter is every structure, a place's rows (migration 0036's table, one
 * structure's primary-key prefix) under the place filter, the structures' otherwise.
 */
export async function monthSumRows(
  db: Executor,
  segments: readonly Segment[],
  filter: SumFilter,
): Promise<SumRow[]> {
  if (segments.length === 0) return [];
  const where = segmentsCondition(segments, sql`a.month`);
  const month = sql`case when a.dim = 'total' then to_char(a.month, 'YYYY-MM') else '' end`;
  let r: { rows: SumRow[] };
  if (filter.placeId !== null)
    r = await sql<SumRow>`
      select a.kind, x.dim, x.key, x.month, sum(a.records)::int as records, sum(a.accompaniments)::int as accompaniments
      from activity_stats_month a cross join lateral (values
        (a.dim, a.key, ${month}),
        (case when a.dim = 'total' then 'structure' end, a.structure_id::text, ''),
        (case when a.dim = 'total' and a.place_key <> '' then 'place' end, a.place_key, '')
      ) as x(dim, key, month)
      where ${where} and x.dim is not null and a.place_key = ${filter.placeId} ${kindCondition(filter)}
        ${filter.structureId === null ? sql`` : sql`and a.structure_id = ${filter.structureId}::uuid`}
      group by 1, 2, 3, 4`.execute(db);
  else if (segments.every((g) => g.ids === null) && filter.structureId === null)
    r = await sql<SumRow>`
      select a.kind, a.dim, a.key, ${month} as month, sum(a.records)::int as records,
        sum(a.accompaniments)::int as accompaniments
      from activity_stats_network_month a
      where ${where} ${kindCondition(filter)}
      group by 1, 2, 3, 4`.execute(db);
  else
    r = await sql<SumRow>`
      select a.kind, x.dim, x.key, x.month, sum(a.records)::int as records, sum(a.accompaniments)::int as accompaniments
      from activity_stats_structure_month a cross join lateral (values
        (a.dim, a.key, ${month}),
        (case when a.dim = 'total' then 'structure' end, a.structure_id::text, '')
      ) as x(dim, key, month)
      where ${where} and x.dim is not null ${kindCondition(filter)}
        ${filter.structureId === null ? sql`` : sql`and a.structure_id = ${filter.structureId}::uuid`}
      group by 1, 2, 3, 4`.execute(db);
  return r.rows;
}

/**
 * The sums of some days (the first and last months of a period): the network's daily sums when the
 * segments are every structure, the structures' daily sums (migration 0046, the primary key's prefix)
 * otherwise, with 'structure' as a dimension of the totals as in the network's rows. Not for the place
 * filter (those days are read from the place's records).
 */
export async function daySumRows(
  db: Executor,
  segments: readonly Segment[],
  filter: SumFilter,
): Promise<SumRow[]> {
  // The daily sums do not keep the place: a caller must read a place's days from its records.
  if (filter.placeId !== null) throw new Error('daySumRows has no place filter: read the records');
  if (segments.length === 0) return [];
  const month = sql`case when a.dim = 'total' then to_char(a.day, 'YYYY-MM') else '' end`;
  if (segments.every((g) => g.ids === null) && filter.structureId === null) {
    const r = await sql<SumRow>`
      select a.kind, a.dim, a.key, ${month} as month,
        sum(a.records)::int as records, sum(a.accompaniments)::int as accompaniments
      from activity_stats_network_day a
      where ${segmentsCondition(segments, sql`a.day`)} ${kindCondition(filter)}
      group by 1, 2, 3, 4`.execute(db);
    return r.rows;
  }
  const r = await sql<SumRow>`
    select a.kind, x.dim, x.key, x.month, sum(a.records)::int as records, sum(a.accompaniments)::int as accompaniments
    from activity_stats_structure_day a cross join lateral (values
      (a.dim, a.key, ${month}),
      (case when a.dim = 'total' then 'structure' end, a.structure_id::text, '')
    ) as x(dim, key, month)
    where ${segmentsCondition(segments, sql`a.day`)} and x.dim is not null ${kindCondition(filter)}
      ${filter.structureId === null ? sql`` : sql`and a.structure_id = ${filter.structureId}::uuid`}
    group by 1, 2, 3, 4`.execute(db);
  return r.rows;
}

/**
 * The identified people of some days, each once, by attribute: from the people kept per day (migration
 * 0042), without reading the records.
 */
export async function peopleRows(
  db: Executor,
  segments: readonly Segment[],
  filter: SumFilter,
): Promise<IdentifiedRow[]> {
  const r = await sql<IdentifiedRow>`
    with people as (
      select distinct a.beneficiary_id from activity_stats_people_day a
      where ${segmentsCondition(segments, sql`a.day`)} ${kindCondition(filter)}
        ${filter.structureId === null ? sql`` : sql`and a.structure_id = ${filter.structureId}::uuid`}
        ${filter.placeId === null ? sql`` : sql`and a.place_key = ${filter.placeId}`}
    )
    select b.gender, b.age_band, b.social_status, b.commune_code, count(*)::int as n
    from people join activity_beneficiary b on b.id = people.beneficiary_id
    group by 1, 2, 3, 4`.execute(db);
  return r.rows;
}

/** Names of structures and places by id (for the labels of the breakdowns). */
export async function namesOf(
  db: Executor,
  structureIds: readonly string[],
  placeIds: readonly string[],
): Promise<{ structures: Map<string, string>; places: Map<string, string> }> {
  const structures = new Map<string, string>();
  const places = new Map<string, string>();
  if (structureIds.length > 0)
    for (const r of await db
      .selectFrom('structure')
      .select(['id', 'nom'])
      .where('id', 'in', [...structureIds])
      .execute())
      structures.set(r.id, r.nom);
  if (placeIds.length > 0)
    for (const r of await db
      .selectFrom('place')
      .select(['id', 'nom'])
      .where('id', 'in', [...placeIds])
      .execute())
      places.set(r.id, r.nom);
  return { structures, places };
}

/** The structures to choose from (coordinator: all of them; a funder: those it funds), by name. */
export async function structureChoices(
  db: Executor,
  ids: readonly string[] | null,
): Promise<{ id: string; name: string }[]> {
  let q = db.selectFrom('structure').select(['id', 'nom']).orderBy(sql`lower(nom)`);
  if (ids !== null) {
    if (ids.length === 0) return [];
    q = q.where('id', 'in', [...ids]);
  }
  return (await q.limit(2000).execute()).map((r) => ({ id: r.id, name: r.nom }));
}

/** The places of some structures (the place filter), by name. */
export async function placeChoices(
  db: Executor,
  structureIds: readonly string[] | null,
): Promise<{ id: string; name: string; structureId: string }[]> {
  let q = db
    .selectFrom('place')
    .select(['id', 'nom', 'structure_id'])
    .where('structure_id', 'is not', null)
    .orderBy(sql`lower(nom)`);
  if (structureIds !== null) {
    if (structureIds.length === 0) return [];
    q = q.where('structure_id', 'in', [...structureIds]);
  }
  return (await q.limit(2000).execute()).map((r) => ({
    id: r.id,
    name: r.nom,
    structureId: r.structure_id as string,
  }));
}
