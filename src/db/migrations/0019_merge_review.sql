-- Merges reviewed on the web: a merge found below the confidence threshold (MERGE_REVIEW_BELOW) is only
-- proposed (`pending`): both records stay two places until a coordinator confirms it. Every merge can be
-- confirmed (reviewed) or separated, and who did it is kept. Forward-only: never edit an applied
-- migration, add a new file.

-- A pending link reserves the pair like an applied one (an import never proposes it twice, and the
-- unique index on the merged record still holds), but hides nothing until it is confirmed. A pending
-- link refused (« Séparer ») keeps pending = true with unmerged_at set: it was never applied.
alter table place_link add column pending boolean not null default false;
alter table place_link add column reviewed_at timestamptz;
-- A person id without a foreign key (deleting an account never rewrites a decision), and how the page
-- named them when they decided.
alter table place_link add column reviewed_by uuid;
alter table place_link add column reviewed_by_label text
  check (reviewed_by_label is null or char_length(reviewed_by_label) <= 200);

-- The review page's first list: links neither separated nor reviewed, the pending ones first.
create index place_link_to_review_idx on place_link (pending desc, score, created_at)
  where unmerged_at is null and reviewed_at is null;

-- Same view as migration 0010, pending links left out: they hide nothing until confirmed.
create or replace view place_merge_hidden as
with member as (
  select canonical_id as root, canonical_id as id, true as is_canonical
    from place_link where unmerged_at is null and not pending
  union
  select canonical_id, merged_id, false
    from place_link where unmerged_at is null and not pending
),
ranked as (
  select m.id,
         row_number() over (
           partition by m.root
           order by p.date_maj desc nulls last, m.is_canonical desc, m.id
         ) as rank
    from member m join place p on p.id = m.id
)
select id from ranked where rank > 1;
