-- Imports from the web (decision 0031): a file uploaded by a coordinator is kept in the database with its
-- hash, so that any app server can check it (dry run) and import exactly that file on confirmation; the
-- job runner of any server does the work in the background and writes its progress here. Files are
-- deleted 24 hours after their upload (the import history keeps the name and the hash).
-- Forward-only: never edit an applied migration, add a new file.

create table place_import_upload (
  id uuid primary key default gen_random_uuid(),
  file_name text not null check (char_length(file_name) between 1 and 255),
  sha256 text not null check (sha256 ~ '^[0-9a-f]{64}$'),
  content bytea not null,
  size_bytes integer not null check (size_bytes > 0),
  -- The identity source the rows get (null: the rows' own `source`, or the file's name).
  source text check (source is null or char_length(source) between 1 and 200),
  -- Two imports of one source never run at once: the second waits for the first.
  source_key text not null check (char_length(source_key) between 1 and 255),
  -- The column mapping of a file not on the national schema (null: the file is read as it is).
  mapping jsonb,
  uploaded_by uuid references person (id) on delete set null,
  -- Who confirmed the import (authorised then): the background import is recorded in their name.
  confirmed_by uuid references person (id) on delete set null,
  uploaded_at timestamptz not null default now(),
  expires_at timestamptz not null,
  state text not null check (state in (
    'needs_mapping', 'preview_queued', 'previewing', 'previewed', 'queued', 'running', 'done', 'failed'
  )),
  progress_done integer not null default 0,
  progress_total integer not null default 0,
  -- The dry run's report (counts, issues grouped by field, places outside the territory, merges).
  preview jsonb,
  import_id uuid references place_import (id) on delete set null,
  error text,
  heartbeat_at timestamptz,
  updated_at timestamptz not null default now()
);
create index place_import_upload_waiting_idx on place_import_upload (updated_at)
  where state in ('preview_queued', 'queued');
create index place_import_upload_expires_idx on place_import_upload (expires_at);
-- At most one dry run or import at work per source, whichever server runs it: a dry run writes (then
-- rolls back) the same rows as an import of its source, and would wait on its locks.
create unique index place_import_upload_running_source_key on place_import_upload (source_key)
  where state in ('previewing', 'running');

-- The column mapping last used for a source, offered again at its next import.
create table place_import_mapping (
  source_key text primary key check (char_length(source_key) between 1 and 255),
  mapping jsonb not null,
  updated_by uuid references person (id) on delete set null,
  updated_at timestamptz not null default now()
);
