-- "Être rappelé" (decision 0032): a person without an account asks a place's structure, or the network,
-- to phone them back once. Only what the call needs is kept: a first name, a number, a slot. The rows
-- are deleted RETENTION_CALLBACK_DAYS after the request (privacy purge).
-- Forward-only: never edit an applied migration, add a new file.

create table callback_request (
  id uuid primary key default gen_random_uuid(),
  -- Shown to the person to quote on the phone; it opens nothing.
  reference text not null unique check (reference ~ '^[A-Z0-9]{6}$'),
  -- The place asked about (none: asked from the network's page); its name is copied for the list.
  place_id uuid references place (id) on delete set null,
  place_name text check (place_name is null or char_length(place_name) <= 300),
  -- Who calls: the place's structure, or the network's coordinators when null.
  structure_id uuid references structure (id) on delete set null,
  first_name text not null check (char_length(first_name) between 1 and 40),
  phone text not null check (char_length(phone) between 8 and 16),
  -- The day asked for (null: the first possible) and the half-day.
  slot_date date,
  slot_part text not null check (slot_part in ('morning', 'afternoon', 'any')),
  state text not null default 'to_call' check (state in ('to_call', 'retry', 'done', 'unreachable')),
  attempts integer not null default 0 check (attempts between 0 and 1000),
  consent_at timestamptz not null,
  created_at timestamptz not null default now(),
  -- Not done by the end of this day (2 working days after the request or the slot): reminded once.
  due_on date not null,
  reminded_at timestamptz,
  closed_at timestamptz
);
create index callback_request_structure_idx on callback_request (structure_id, state, created_at);
create index callback_request_open_idx on callback_request (due_on) where state in ('to_call', 'retry');
create index callback_request_created_idx on callback_request (created_at);
