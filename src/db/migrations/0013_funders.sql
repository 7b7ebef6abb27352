-- Funders as organisations (decision 0024): a funder (a département, a CAF, a foundation…) with its
-- SIREN and contact, the accounts attached to it, and which structures it funds from when to when.
-- Forward-only: never edit an applied migration, add a new file.

create table funder (
  id uuid primary key default gen_random_uuid(),
  name text not null check (char_length(name) between 1 and 200),
  -- 9 digits, Luhn-checked by the application (shared/siren.ts); optional, never two funders with one.
  siren text check (siren is null or siren ~ '^[0-9]{9}$'),
  contact_email text check (contact_email is null or char_length(contact_email) <= 254),
  -- The national schema's international form (+33238000000), as every phone number of the product.
  contact_phone text check (contact_phone is null or char_length(contact_phone) <= 20),
  is_demo boolean not null default false,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);
create unique index funder_siren_key on funder (siren) where siren is not null;

-- A person's account attached to a funder: they see that funder's page and figures, nothing personal.
create table funder_member (
  funder_id uuid not null references funder (id) on delete cascade,
  person_id uuid not null references person (id) on delete cascade,
  created_at timestamptz not null default now(),
  primary key (funder_id, person_id)
);
create index funder_member_person_idx on funder_member (person_id);

-- A funder funds a structure from a day (included) to an optional day (included; none: still funded).
create table funding (
  id uuid primary key default gen_random_uuid(),
  funder_id uuid not null references funder (id) on delete cascade,
  structure_id uuid not null references structure (id) on delete cascade,
  starts_on date not null,
  ends_on date,
  created_at timestamptz not null default now(),
  constraint funding_order check (ends_on is null or ends_on >= starts_on)
);
create index funding_funder_idx on funding (funder_id, starts_on);
create index funding_structure_idx on funding (structure_id);

-- An invitation may attach the person to a funder once accepted, as it may grant a structure's role.
alter table one_time_token add column funder_id uuid references funder (id) on delete cascade;
