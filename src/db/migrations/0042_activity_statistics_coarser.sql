-- Coarser activity sums (decision 0052, addendum "coarser sums"): the monthly sums of migration 0036 cross
-- structure × place × kind × value and hold about as many rows as records, so a network page over a year
-- read as much as the records. The same triggers now also keep:
--   activity_stats_structure_month: per structure and month, without the place (structure, funder, the
--     network narrowed to a structure); the place breakdown is the dimension 'place' of the 'total' rows;
--   activity_stats_network_month / activity_stats_network_day: the whole network per month and per day
--     (the days of a period's first and last months), with 'structure' and 'place' as two more dimensions
--     of the 'total' rows;
--   activity_stats_people_day: the identified people linked per day, structure, kind and place (a
--     distinct count does not add up: the pages count distinct people over these rows, about as many as
--     the links, without reading the records).
-- activity_stats_month stays for the place filter. A GIN index on activity.themes serves the theme filter,
-- which still reads the records. Forward-only: never edit an applied migration, add a new file.

-- No record written while the sums are rebuilt below (an old server still serving during `db migrate`
-- would write through the old trigger between the rebuild's read and its truncate, and be lost).
lock table activity, activity_beneficiary_link in share mode;

create table activity_stats_structure_month (
  structure_id uuid not null,
  month date not null check (extract(day from month) = 1),
  kind text not null,
  dim text not null,
  key text not null,
  records integer not null default 0,
  accompaniments integer not null default 0,
  primary key (structure_id, month, kind, dim, key)
);

create table activity_stats_network_month (
  month date not null check (extract(day from month) = 1),
  kind text not null,
  dim text not null,
  key text not null,
  records integer not null default 0,
  accompaniments integer not null default 0,
  primary key (month, kind, dim, key)
);

create table activity_stats_network_day (
  day date not null,
  kind text not null,
  dim text not null,
  key text not null,
  records integer not null default 0,
  accompaniments integer not null default 0,
  primary key (day, kind, dim, key)
);

create table activity_stats_people_day (
  day date not null,
  structure_id uuid not null,
  kind text not null,
  place_key text not null,
  beneficiary_id uuid not null,
  links integer not null default 0,
  primary key (day, structure_id, kind, place_key, beneficiary_id)
);
create index activity_stats_people_day_structure_idx on activity_stats_people_day (structure_id, day);

create index activity_themes_gin_idx on activity using gin (themes);

-- Adds (sign 1) or takes away (sign -1) one record's rows in every sum table; rows that fall to zero go.
create or replace function activity_stats_apply(p_id uuid, p_sign integer) returns void
language plpgsql as $$
declare
  v_structure uuid;
  v_day date;
  v_month date;
begin
  if p_id is null then
    return;
  end if;
  -- The network's rows are shared by every structure: writers take their turn (one lock held until
  -- commit) instead of locking those rows in whatever order their statements produce, which could
  -- deadlock two imports on PostgreSQL.
  perform pg_advisory_xact_lock(hashtext('activity_stats'));
  select a.structure_id, a.date into v_structure, v_day from activity a where a.id = p_id;
  if not found then
    return;
  end if;
  v_month := date_trunc('month', v_day)::date;
  with r as materialized (
    select * from activity_stats_rows(p_id)
  ),
  -- The structure's rows: the place becomes a dimension of the 'total' rows.
  e as materialized (
    select r.kind, r.dim, r.key, r.records, r.accompaniments from r
    union all
    select r.kind, 'place', r.place_key, r.records, r.accompaniments from r
    where r.dim = 'total' and r.place_key <> ''
  ),
  -- The network's rows: the structure too.
  n as materialized (
    select e.kind, e.dim, e.key, e.records, e.accompaniments from e
    union all
    select r.kind, 'structure', v_structure::text, r.records, r.accompaniments from r where r.dim = 'total'
  ),
  m as (
    insert into activity_stats_month as s
      (structure_id, month, kind, place_key, dim, key, records, accompaniments)
    select r.structure_id, r.month, r.kind, r.place_key, r.dim, r.key, sum(r.records) * p_sign,
      sum(r.accompaniments) * p_sign
    from r group by r.structure_id, r.month, r.kind, r.place_key, r.dim, r.key
    on conflict (structure_id, month, kind, place_key, dim, key) do update
      set records = s.records + excluded.records, accompaniments = s.accompaniments + excluded.accompaniments
  ),
  st as (
    insert into activity_stats_structure_month as s (structure_id, month, kind, dim, key, records, accompaniments)
    select v_structure, v_month, e.kind, e.dim, e.key, sum(e.records) * p_sign, sum(e.accompaniments) * p_sign
    from e group by e.kind, e.dim, e.key
    on conflict (structure_id, month, kind, dim, key) do update
      set records = s.records + excluded.records, accompaniments = s.accompaniments + excluded.accompaniments
  ),
  nm as (
    insert into activity_stats_network_month as s (month, kind, dim, key, records, accompaniments)
    select v_month, n.kind, n.dim, n.key, sum(n.records) * p_sign, sum(n.accompaniments) * p_sign
    from n group by n.kind, n.dim, n.key
    on conflict (month, kind, dim, key) do update
      set records = s.records + excluded.records, accompaniments = s.accompaniments + excluded.accompaniments
  )
  insert into activity_stats_network_day as s (day, kind, dim, key, records, accompaniments)
  select v_day, n.kind, n.dim, n.key, sum(n.records) * p_sign, sum(n.accompaniments) * p_sign
  from n group by n.kind, n.dim, n.key
  on conflict (day, kind, dim, key) do update
    set records = s.records + excluded.records, accompaniments = s.accompaniments + excluded.accompaniments;

  insert into activity_stats_people_day as s (day, structure_id, kind, place_key, beneficiary_id, links)
  select v_day, v_structure, a.kind, coalesce(a.place_id::text, ''), k.beneficiary_id, count(*) * p_sign
  from activity a join activity_beneficiary_link k on k.activity_id = a.id
  where a.id = p_id
  group by a.kind, coalesce(a.place_id::text, ''), k.beneficiary_id
  on conflict (day, structure_id, kind, place_key, beneficiary_id) do update set links = s.links + excluded.links;

  if p_sign < 0 then
    delete from activity_stats_month s
    where s.structure_id = v_structure and s.month = v_month and s.records = 0 and s.accompaniments = 0;
    delete from activity_stats_structure_month s
    where s.structure_id = v_structure and s.month = v_month and s.records = 0 and s.accompaniments = 0;
    delete from activity_stats_network_month s
    where s.month = v_month and s.records = 0 and s.accompaniments = 0;
    delete from activity_stats_network_day s
    where s.day = v_day and s.records = 0 and s.accompaniments = 0;
    delete from activity_stats_people_day s
    where s.day = v_day and s.structure_id = v_structure and s.links = 0;
  end if;
end
$$;

-- The records already there: every sum table rebuilt in one pass over the records (one
-- activity_stats_rows call each), by structure and month (the rows as they are) and by day for the
-- network (each 'total' row also as 'structure' and 'place'; the sums filtered on the original rows
-- serve the first grouping).
create temp table activity_stats_backfill as
select grouping(a.date) as by_month, r.structure_id, r.month, a.date as day, r.kind, r.place_key,
  case when grouping(a.date) = 1 then r.dim else x.dim end as dim,
  case when grouping(a.date) = 1 then r.key else x.key end as key,
  case when grouping(a.date) = 1 then sum(r.records) filter (where x.original) else sum(r.records) end::int
    as records,
  case when grouping(a.date) = 1 then sum(r.accompaniments) filter (where x.original)
    else sum(r.accompaniments) end::int as accompaniments
from activity a cross join lateral activity_stats_rows(a.id) r
cross join lateral (
  select r.dim, r.key, true
  union all select 'structure', r.structure_id::text, false where r.dim = 'total'
  union all select 'place', r.place_key, false where r.dim = 'total' and r.place_key <> ''
) as x(dim, key, original)
group by grouping sets ((r.structure_id, r.month, r.kind, r.place_key, r.dim, r.key), (a.date, r.kind, x.dim, x.key));
truncate activity_stats_month, activity_stats_structure_month, activity_stats_network_month,
  activity_stats_network_day, activity_stats_people_day;
insert into activity_stats_month (structure_id, month, kind, place_key, dim, key, records, accompaniments)
select structure_id, month, kind, place_key, dim, key, records, accompaniments
from activity_stats_backfill where by_month = 1;
insert into activity_stats_structure_month (structure_id, month, kind, dim, key, records, accompaniments)
select structure_id, month, kind, dim, key, sum(records), sum(accompaniments) from (
  select structure_id, month, kind, dim, key, records, accompaniments from activity_stats_month
  union all
  select structure_id, month, kind, 'place', place_key, records, accompaniments from activity_stats_month
  where dim = 'total' and place_key <> ''
) x group by 1, 2, 3, 4, 5;
insert into activity_stats_network_month (month, kind, dim, key, records, accompaniments)
select month, kind, dim, key, sum(records), sum(accompaniments) from (
  select month, kind, dim, key, records, accompaniments from activity_stats_structure_month
  union all
  select month, kind, 'structure', structure_id::text, records, accompaniments from activity_stats_structure_month
  where dim = 'total'
) x group by 1, 2, 3, 4;
insert into activity_stats_network_day (day, kind, dim, key, records, accompaniments)
select day, kind, dim, key, records, accompaniments from activity_stats_backfill where by_month = 0;
insert into activity_stats_people_day (day, structure_id, kind, place_key, beneficiary_id, links)
select a.date, a.structure_id, a.kind, coalesce(a.place_id::text, ''), k.beneficiary_id,
  count(*)::int
from activity a join activity_beneficiary_link k on k.activity_id = a.id
group by 1, 2, 3, 4, 5;
drop table activity_stats_backfill;
