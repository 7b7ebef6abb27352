-- Import history (issue 3): what each import changed, so that it can be undone, and merges of the same
-- place published by two sources. Forward-only: never edit an applied migration, add a new file.

-- Imports in the order they ran (started_at can tie within one clock tick), and when one was undone.
alter table place_import add column seq bigint generated always as identity;
alter table place_import add column undone_at timestamptz;
create unique index place_import_seq_idx on place_import (seq);

-- One row per place an import inserted or updated. `previous` is the whole place row before the import
-- (to_jsonb of the row, every column), null for an inserted place: undoing restores it exactly.
create table place_import_change (
  import_id uuid not null references place_import (id) on delete cascade,
  place_id uuid not null,
  action text not null check (action in ('inserted', 'updated')),
  previous jsonb,
  primary key (import_id, place_id),
  constraint place_import_change_previous check ((action = 'inserted') = (previous is null))
);
create index place_import_change_place_idx on place_import_change (place_id);

-- The same place published by two sources: both source records stay stored, the merged one is hidden
-- behind the canonical one (pages, exports). A link is never deleted by `places unmerge`: it is marked
-- unmerged, so that later imports do not merge the pair again.
create table place_link (
  id uuid primary key default gen_random_uuid(),
  canonical_id uuid not null references place (id) on delete cascade,
  merged_id uuid not null references place (id) on delete cascade,
  score double precision not null check (score >= 0 and score <= 1),
  import_id uuid references place_import (id) on delete set null,
  created_at timestamptz not null default now(),
  unmerged_at timestamptz,
  constraint place_link_distinct check (canonical_id <> merged_id)
);
-- A place is merged into at most one canonical place at a time.
create unique index place_link_active_merged_idx on place_link (merged_id) where unmerged_at is null;
create index place_link_canonical_idx on place_link (canonical_id);
create index place_link_import_idx on place_link (import_id);
