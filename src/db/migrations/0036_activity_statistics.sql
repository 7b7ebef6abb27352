-- Activity statistics (decision 0052): each record's contribution to the figures, summed by structure,
-- month, kind and place, kept by triggers at every insert, update and delete of a record, its anonymous
-- counts or its links to identified people, so that a statistics page sums a few rows per structure and
-- month instead of scanning every record. The pages read the first and last months of a period, when
-- not whole, from the records themselves. Forward-only: never edit an applied migration, add a new file.

create table activity_stats_month (
  -- No foreign key: a structure removed takes its records by cascade, and their triggers take their
  -- sums away (a cascade here could run first and leave the records' triggers a missing structure).
  structure_id uuid not null,
  month date not null check (extract(day from month) = 1),
  kind text not null,
  -- The place of activity's id as text, '' when the record has none.
  place_key text not null,
  -- What the row counts: a dimension of the figures and one of its values ('' when it has none).
  dim text not null,
  key text not null,
  records integer not null default 0,
  accompaniments integer not null default 0,
  primary key (structure_id, month, kind, place_key, dim, key)
);
create index activity_stats_month_month_idx on activity_stats_month (month, structure_id);

-- One record's rows (the same definitions as the statistics repository): an individual record naming
-- its person counts that person and no anonymous participant, as the Coop stores it.
create function activity_stats_rows(p_id uuid)
returns table (structure_id uuid, month date, kind text, place_key text, dim text, key text, records integer,
  accompaniments integer)
language sql stable as $$
  with r as (
    select a.*, coalesce(pl.code_insee, a.commune_code) as commune,
      (select count(*) from activity_beneficiary_link k where k.activity_id = a.id)::int as identified,
      (select count(*) from activity_beneficiary_link k where k.activity_id = a.id and k.first_time)::int
        as identified_first,
      p.total, p.already_accompanied,
      p.gender_masculin, p.gender_feminin, p.gender_non_communique,
      p.age_moins_de_douze, p.age_douze_dix_huit, p.age_dix_huit_vingt_quatre, p.age_vingt_cinq_trente_neuf,
      p.age_quarante_cinquante_neuf, p.age_soixante_soixante_neuf, p.age_soixante_dix_plus,
      p.age_non_communique, p.status_scolarise, p.status_sans_emploi, p.status_en_emploi, p.status_retraite,
      p.status_non_communique
    from activity a
    left join activity_participants p on p.activity_id = a.id
    left join place pl on pl.id = a.place_id
    where a.id = p_id
  ),
  w as (
    select r.*,
      case when r.kind = 'individuel' and r.identified > 0 then 0 else coalesce(r.total, 0) end as anonymous
    from r
  )
  select w.structure_id, date_trunc('month', w.date)::date, w.kind, coalesce(w.place_id::text, ''), d.dim,
    d.key, d.records, d.accompaniments
  from w cross join lateral (
    select v.dim, v.key, 1 as records, w.identified + w.anonymous as accompaniments
    from (values
      ('total', ''),
      ('duration', case when w.duration_minutes < 30 then '30' when w.duration_minutes < 60 then '60'
        when w.duration_minutes < 120 then '120' else 'more' end),
      ('place_kind', w.place_kind),
      ('autonomy', case when w.kind = 'individuel' then coalesce(w.autonomy, 'non_communique') end),
      ('orientation', case when w.kind = 'individuel' then
        case w.oriented when true then 'oui' when false then 'non' else 'non_communique' end end),
      ('redirection', w.redirection),
      ('commune', coalesce(w.commune, '')),
      ('voucher', case when w.voucher_entry_id is not null then '' end),
      ('workshop', case when w.workshop_id is not null then '' end)
    ) as v(dim, key)
    where v.key is not null
    union all
    select 'theme', t.v, 1, w.identified + w.anonymous from unnest(w.themes) as t(v)
    union all
    select 'equipment', e.v, 1, w.identified + w.anonymous from unnest(w.equipment) as e(v)
    union all
    select v.dim, v.key, 0, v.n
    from (values
      ('anonymous', '', w.anonymous),
      ('first_time', '', w.identified_first
        + case when w.anonymous > 0 then w.anonymous - w.already_accompanied else 0 end),
      ('residence', coalesce(w.beneficiary_commune_code, ''), w.anonymous),
      ('gender', 'masculin', w.gender_masculin), ('gender', 'feminin', w.gender_feminin),
      ('gender', 'non_communique', w.gender_non_communique),
      ('age', 'moins_de_douze', w.age_moins_de_douze), ('age', 'douze_dix_huit', w.age_douze_dix_huit),
      ('age', 'dix_huit_vingt_quatre', w.age_dix_huit_vingt_quatre),
      ('age', 'vingt_cinq_trente_neuf', w.age_vingt_cinq_trente_neuf),
      ('age', 'quarante_cinquante_neuf', w.age_quarante_cinquante_neuf),
      ('age', 'soixante_soixante_neuf', w.age_soixante_soixante_neuf),
      ('age', 'soixante_dix_plus', w.age_soixante_dix_plus), ('age', 'non_communique', w.age_non_communique),
      ('status', 'scolarise', w.status_scolarise), ('status', 'sans_emploi', w.status_sans_emploi),
      ('status', 'en_emploi', w.status_en_emploi), ('status', 'retraite', w.status_retraite),
      ('status', 'non_communique', w.status_non_communique)
    ) as v(dim, key, n)
    -- Anonymous participants' attributes only when they count (not behind a named person).
    where v.n > 0 and (w.anonymous > 0 or v.dim = 'first_time')
  ) as d
$$;

-- Adds (sign 1) or takes away (sign -1) one record's rows; rows that fall to zero go.
create function activity_stats_apply(p_id uuid, p_sign integer) returns void
language plpgsql as $$
begin
  if p_id is null then
    return;
  end if;
  insert into activity_stats_month as s
    (structure_id, month, kind, place_key, dim, key, records, accompaniments)
  select structure_id, month, kind, place_key, dim, key, sum(records) * p_sign, sum(accompaniments) * p_sign
  from activity_stats_rows(p_id)
  group by structure_id, month, kind, place_key, dim, key
  on conflict (structure_id, month, kind, place_key, dim, key) do update
    set records = s.records + excluded.records, accompaniments = s.accompaniments + excluded.accompaniments;
  if p_sign < 0 then
    delete from activity_stats_month s
    using (select distinct structure_id, month, kind, place_key from activity_stats_rows(p_id)) x
    where s.structure_id = x.structure_id and s.month = x.month and s.kind = x.kind
      and s.place_key = x.place_key and s.records = 0 and s.accompaniments = 0;
  end if;
end
$$;

-- Before a record (or its counts, or a link) first changes in a statement, its rows as they were go and
-- it is noted; after the statement, the rows of every noted record as they are come. Noting makes a
-- statement that touches one record several times (two links deleted at once: row triggers after a
-- statement all run at its end) take its rows away once and add them once. Inserts, updates, deletes
-- and cascades stay exact; concurrent transactions note under their own transaction id.
create table activity_stats_pending (
  txid bigint not null,
  activity_id uuid not null,
  primary key (txid, activity_id)
);

create function activity_stats_note(p_id uuid) returns void
language plpgsql as $$
begin
  if p_id is null then
    return;
  end if;
  insert into activity_stats_pending (txid, activity_id) values (txid_current(), p_id)
    on conflict do nothing;
  if found then
    perform activity_stats_apply(p_id, -1);
  end if;
end
$$;

create function activity_stats_before() returns trigger
language plpgsql as $$
begin
  if tg_table_name = 'activity' then
    if tg_op = 'INSERT' then perform activity_stats_note(new.id); else perform activity_stats_note(old.id); end if;
  else
    if tg_op <> 'INSERT' then perform activity_stats_note(old.activity_id); end if;
    if tg_op <> 'DELETE' then perform activity_stats_note(new.activity_id); end if;
  end if;
  if tg_op = 'DELETE' then return old; end if;
  return new;
end
$$;

create function activity_stats_after() returns trigger
language plpgsql as $$
declare
  noted uuid;
begin
  for noted in
    delete from activity_stats_pending where txid = txid_current() returning activity_id
  loop
    perform activity_stats_apply(noted, 1);
  end loop;
  return null;
end
$$;

create trigger activity_stats_before before insert or update or delete on activity
  for each row execute function activity_stats_before();
create trigger activity_stats_after after insert or update or delete on activity
  for each statement execute function activity_stats_after();
create trigger activity_stats_before before insert or update or delete on activity_participants
  for each row execute function activity_stats_before();
create trigger activity_stats_after after insert or update or delete on activity_participants
  for each statement execute function activity_stats_after();
create trigger activity_stats_before before insert or update or delete on activity_beneficiary_link
  for each row execute function activity_stats_before();
create trigger activity_stats_after after insert or update or delete on activity_beneficiary_link
  for each statement execute function activity_stats_after();

-- The records already there.
insert into activity_stats_month (structure_id, month, kind, place_key, dim, key, records, accompaniments)
select r.structure_id, r.month, r.kind, r.place_key, r.dim, r.key, sum(r.records), sum(r.accompaniments)
from activity a cross join lateral activity_stats_rows(a.id) r
group by 1, 2, 3, 4, 5, 6;
