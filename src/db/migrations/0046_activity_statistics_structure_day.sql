-- Per-structure daily sums (decision 0052, addendum "structure days"): a structure's or a funder's page
-- read the days of its period's first and last months from the records (a big structure has ~2,100
-- records a month, a funder's fifteen structures ~7,000, scattered over the table): 150 to 640 ms on a
-- million records, the slowest part of the pages. The same triggers now also keep
--   activity_stats_structure_day: per structure and day, the rows of activity_stats_structure_month
--     (the place is the dimension 'place' of the 'total' rows),
-- which those days read instead. Forward-only: never edit an applied migration, add a new file.

-- No record written while the sums are built below (see 0042).
lock table activity, activity_beneficiary_link in share mode;

create table activity_stats_structure_day (
  structure_id uuid not null,
  day date not null,
  kind text not null,
  dim text not null,
  key text not null,
  records integer not null default 0,
  accompaniments integer not null default 0,
  primary key (structure_id, day, kind, dim, key)
);

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
  sd as (
    insert into activity_stats_structure_day as s (structure_id, day, kind, dim, key, records, accompaniments)
    select v_structure, v_day, e.kind, e.dim, e.key, sum(e.records) * p_sign, sum(e.accompaniments) * p_sign
    from e group by e.kind, e.dim, e.key
    on conflict (structure_id, day, kind, dim, key) do update
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
    delete from activity_stats_structure_day s
    where s.structure_id = v_structure and s.day = v_day and s.records = 0 and s.accompaniments = 0;
    delete from activity_stats_network_month s
    where s.month = v_month and s.records = 0 and s.accompaniments = 0;
    delete from activity_stats_network_day s
    where s.day = v_day and s.records = 0 and s.accompaniments = 0;
    delete from activity_stats_people_day s
    where s.day = v_day and s.structure_id = v_structure and s.links = 0;
  end if;
end
$$;

-- The records already there: one activity_stats_rows call each, by structure and day (the table emptied
-- first, so that these statements also rebuild it: bench:stats and the reference test run them again).
truncate activity_stats_structure_day;
insert into activity_stats_structure_day (structure_id, day, kind, dim, key, records, accompaniments)
select a.structure_id, a.date, r.kind, x.dim, x.key, sum(r.records)::int, sum(r.accompaniments)::int
from activity a cross join lateral activity_stats_rows(a.id) r
cross join lateral (
  select r.dim, r.key
  union all select 'place', r.place_key where r.dim = 'total' and r.place_key <> ''
) as x(dim, key)
group by 1, 2, 3, 4, 5;
