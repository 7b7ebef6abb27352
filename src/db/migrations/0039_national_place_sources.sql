-- Where a source's record of truth is (decision 0055): a source whose places were read back from a
-- national system (data·inclusion's files, the national map's export) is marked here when imported, so
-- that the publication files and the site's export never publish its places again as the network's own.
-- A place's origin is its source's: identity is (source, source_id), and one source is one producer.
-- Forward-only: never edit an applied migration, add a new file.

create table national_place_source (
  source text primary key check (char_length(source) between 1 and 500),
  -- The layout the source was read in: the national map's export or data·inclusion's files.
  layout text not null check (layout in ('national', 'data-inclusion')),
  marked_at timestamptz not null default now()
);
