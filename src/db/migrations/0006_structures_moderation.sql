-- Structures' members, place editing, moderation and freshness (issue 5 §3–§4).
-- Forward-only: never edit an applied migration, add a new file.

-- A person asks to join a structure; the structure's administrator (or a coordinator) decides. A person
-- without an account is created without a password and receives an invitation once accepted.
create table join_request (
  id uuid primary key default gen_random_uuid(),
  person_id uuid not null references person (id) on delete cascade,
  structure_id uuid not null references structure (id) on delete cascade,
  message text check (message is null or char_length(message) <= 1000),
  status text not null default 'pending' check (status in ('pending', 'accepted', 'refused')),
  created_at timestamptz not null default now(),
  decided_at timestamptz,
  -- A person id without a foreign key: deleting an account never rewrites a decision.
  decided_by uuid
);
create unique index join_request_one_pending on join_request (person_id, structure_id)
  where status = 'pending';
create index join_request_structure_idx on join_request (structure_id, status);

-- Temporary closures ("fermé du 1er au 15 août"), both days included, in the place's local dates. Only
-- approved closures live here: a proposal carries its closures inside place_change.proposed.
create table place_closure (
  id uuid primary key default gen_random_uuid(),
  place_id uuid not null references place (id) on delete cascade,
  starts_on date not null,
  ends_on date not null,
  reason text check (reason is null or char_length(reason) <= 200),
  created_at timestamptz not null default now(),
  constraint place_closure_order check (ends_on >= starts_on)
);
create index place_closure_place_idx on place_closure (place_id, ends_on);

-- The private contact professionals use to refer someone: visible to signed-in members only, never in
-- a public page, the API or an export. Not public data, so not moderated.
create table place_private_contact (
  place_id uuid primary key references place (id) on delete cascade,
  direct_phone text check (direct_phone is null or char_length(direct_phone) <= 30),
  referral_email text check (referral_email is null or referral_email like '%_@_%'),
  accepts_orientations text not null default 'unknown'
    check (accepts_orientations in ('yes', 'no', 'unknown')),
  orientation_instructions text
    check (orientation_instructions is null or char_length(orientation_instructions) <= 1000),
  updated_at timestamptz not null default now(),
  updated_by uuid
);

-- A change to a place's public data, waiting for the coordinator. `base` holds the public values when
-- the change was proposed (the left side of the diff), `proposed` the values asked for (national-schema
-- fields by their schema names, plus `closures`). Nothing here is public until approved.
create table place_change (
  id uuid primary key default gen_random_uuid(),
  place_id uuid not null references place (id) on delete cascade,
  structure_id uuid references structure (id) on delete set null,
  proposed_by uuid,
  proposed_by_label text not null,
  proposed_at timestamptz not null default now(),
  base jsonb not null,
  proposed jsonb not null,
  status text not null default 'pending'
    check (status in ('pending', 'approved', 'rejected', 'superseded')),
  decided_by uuid,
  decided_at timestamptz,
  decision_message text check (decision_message is null or char_length(decision_message) <= 2000)
);
create index place_change_queue_idx on place_change (status, proposed_at);
create index place_change_place_idx on place_change (place_id, status);

-- Public error reports join the same queue; the decision and its message are kept.
alter table error_report add column decided_at timestamptz;
alter table error_report add column decided_by uuid;
alter table error_report add column decision_message text
  check (decision_message is null or char_length(decision_message) <= 2000);

-- Freshness reminders sent to a structure about its places not updated for 12 months (one at a time,
-- so a structure is not reminded every day).
create table freshness_reminder (
  id uuid primary key default gen_random_uuid(),
  structure_id uuid not null references structure (id) on delete cascade,
  place_ids uuid[] not null,
  sent_at timestamptz not null default now()
);
create index freshness_reminder_structure_idx on freshness_reminder (structure_id, sent_at);
