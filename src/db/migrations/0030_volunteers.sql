-- Volunteers (decision 0044): structures publish missions at a place of the directory, people sign up as
-- volunteers (an account with the network role `volunteer`), the coordinator validates both, and
-- proposals match one volunteer to one mission. Skills and half-days are fixed lists
-- (src/volunteers/volunteers.ts). Forward-only: never edit an applied migration.

-- A volunteer's account is a person with the network role `volunteer`.
alter table person drop constraint person_network_role_check;
alter table person add constraint person_network_role_check
  check (network_role in ('coordinator', 'funder', 'volunteer'));

-- A volunteer's profile: gone with their account (deleting the account deletes it all).
create table volunteer (
  person_id uuid primary key references person (id) on delete cascade,
  phone text check (phone is null or char_length(phone) between 6 and 30),
  skills text[] not null check (
    cardinality(skills) <= 8
    and skills <@ array['accueil', 'demarches', 'prise_en_main', 'ateliers', 'reparation',
      'communication', 'langues', 'logistique']::text[]),
  -- Half-days of the week: at least one (`lun_matin` … `dim_apres_midi`).
  availability text[] not null check (cardinality(availability) between 1 and 14),
  -- INSEE codes of the communes where the volunteer can go: 1 to 10.
  communes text[] not null check (cardinality(communes) between 1 and 10),
  charter_version text not null check (char_length(charter_version) between 1 and 20),
  charter_accepted_at timestamptz not null,
  state text not null default 'pending' check (state in ('pending', 'validated')),
  validated_at timestamptz,
  is_demo boolean not null default false,
  created_at timestamptz not null default now()
);
create index volunteer_pending_idx on volunteer (created_at) where state = 'pending';

-- A mission: published by a structure's staff at one of the directory's places, validated by the
-- coordinator, full when its seats are taken, closed by the structure or the coordinator.
create table mission (
  id uuid primary key default gen_random_uuid(),
  structure_id uuid not null references structure (id) on delete cascade,
  place_id uuid not null references place (id) on delete cascade,
  author_id uuid references person (id) on delete set null,
  title text not null check (char_length(title) between 1 and 120),
  description text not null check (char_length(description) between 1 and 3000),
  starts_on date not null,
  ends_on date not null,
  -- Recurring half-days, when the mission has a weekly slot (none: dates to arrange).
  slots text[] not null default '{}' check (cardinality(slots) <= 14),
  skills text[] not null check (
    cardinality(skills) between 1 and 8
    and skills <@ array['accueil', 'demarches', 'prise_en_main', 'ateliers', 'reparation',
      'communication', 'langues', 'logistique']::text[]),
  commitment text not null check (commitment in ('one_off', 'weekly')),
  hours_per_week smallint check (hours_per_week is null or hours_per_week between 1 and 35),
  audience text not null check (audience in ('tous', 'seniors', 'jeunes', 'familles',
    'demandeurs_emploi', 'handicap', 'allophones')),
  seats smallint not null check (seats between 1 and 50),
  state text not null default 'draft' check (state in ('draft', 'validated', 'full', 'closed')),
  validated_at timestamptz,
  is_demo boolean not null default false,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  check (ends_on >= starts_on),
  check ((commitment = 'weekly') = (hours_per_week is not null))
);
create index mission_state_idx on mission (state, starts_on);
create index mission_structure_idx on mission (structure_id);

-- One volunteer and one mission: proposed by the structure or asked by the volunteer, answered by the
-- other side. Accepted takes a seat; accepted when the mission is full waits in line (waiting_since),
-- promoted in that order when a seat frees.
create table mission_match (
  id uuid primary key default gen_random_uuid(),
  mission_id uuid not null references mission (id) on delete cascade,
  volunteer_id uuid not null references volunteer (person_id) on delete cascade,
  origin text not null check (origin in ('structure', 'volunteer')),
  state text not null default 'proposed'
    check (state in ('proposed', 'accepted', 'waiting', 'declined', 'withdrawn')),
  waiting_since timestamptz,
  created_at timestamptz not null default now(),
  answered_at timestamptz,
  unique (mission_id, volunteer_id),
  check ((state = 'waiting') = (waiting_since is not null))
);
create index mission_match_volunteer_idx on mission_match (volunteer_id);
create index mission_match_waiting_idx on mission_match (mission_id, waiting_since) where state = 'waiting';
