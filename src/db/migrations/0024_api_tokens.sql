-- API tokens of a structure (decision 0040): a structure's administrators give their own tools (a
-- spreadsheet, a dashboard, the structure's information system) read access to the structure's activity
-- records through `GET /api/v1/activites`. The secret is shown once at creation; only its SHA-256 is
-- kept (32 random bytes: a hash without salt nor stretching is enough for a secret nobody chose).
-- Forward-only: never edit an applied migration, add a new file.

create table api_token (
  id uuid primary key default gen_random_uuid(),
  -- A removed structure takes its tokens with it.
  structure_id uuid not null references structure (id) on delete cascade,
  name text not null check (char_length(name) between 1 and 100),
  -- SHA-256 of the secret, hex: the only way to find a token from what a caller sends.
  secret_hash text not null unique check (secret_hash ~ '^[0-9a-f]{64}$'),
  -- The first characters of the secret, shown in the list so that a person recognises a token.
  prefix text not null check (char_length(prefix) between 4 and 20),
  -- The scopes a token may hold, as a list (written `= any (array[…])` so that PostgreSQL keeps it a list
  -- while it has one value): today, reading the structure's activity records.
  scope text not null default 'activites:lecture' check (scope = any (array['activites:lecture'])),
  -- Who created it (the token outlives the account: its uses stay audited).
  created_by uuid references person (id) on delete set null,
  created_at timestamptz not null default now(),
  -- Required: at most a year after its creation (checked by the application, which knows its today).
  expires_at timestamptz not null,
  revoked_at timestamptz,
  revoked_by uuid references person (id) on delete set null,
  last_used_at timestamptz,
  constraint api_token_expiry check (expires_at > created_at and expires_at <= created_at + interval '367 days')
);
create index api_token_structure_idx on api_token (structure_id, created_at desc);

-- The demonstration's activity records (a year of them for the demo structures) are flagged, so that
-- `demo remove` deletes them and nothing else, as the demonstration's coordination activities already are.
alter table activity add column is_demo boolean not null default false;
create index activity_demo_idx on activity (is_demo) where is_demo;
