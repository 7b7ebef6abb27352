-- The same place published by several sources is one place (issue 3 §4): a canonical record and the
-- records merged into it. The record shown for it is the freshest one — latest date_maj, then the
-- canonical record, then the smallest id — so that a merged record that is updated later with a newer
-- date takes over, and an import undone gives the previous one back, without rewriting any link.
-- Every other member of the group is hidden from the directory, the search and the exports.
create view place_merge_hidden as
with member as (
  select canonical_id as root, canonical_id as id, true as is_canonical
    from place_link where unmerged_at is null
  union
  select canonical_id, merged_id, false
    from place_link where unmerged_at is null
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
