-- The agenda's workshops and their registrations (decision 0041): a structure's workshop, its dates
-- (one or a series, each with its own status so one date can be cancelled), and the people registered
-- to one date, without an account. Seats are counted under a row lock on the date (see the decision):
-- the database checks the shapes, the lock keeps the count right.
-- Forward-only: never edit an applied migration, add a new file.

create table workshop (
  id uuid primary key default gen_random_uuid(),
  structure_id uuid not null references structure (id) on delete cascade,
  title text not null check (char_length(title) between 1 and 150),
  description text not null default '' check (char_length(description) <= 5000),
  -- The everyday needs of the search (src/search/needs.ts, slugs checked by the application: the list
  -- lives in code) and the activity themes of La Coop (src/activities/vocabulary.ts): at least one.
  needs text[] not null default '{}' check (cardinality(needs) <= 20),
  themes text[] not null default '{}' check (
    themes <@ array[
      'diagnostic_numerique', 'prendre_en_main_du_materiel', 'maintenance_de_materiel',
      'gere_ses_contenus_numeriques', 'navigation_sur_internet', 'email', 'bureautique', 'reseaux_sociaux',
      'sante', 'banque_et_achats_en_ligne', 'entrepreneuriat', 'insertion_professionnelle',
      'securite_numerique', 'parentalite', 'scolarite_et_numerique', 'creer_avec_le_numerique',
      'culture_numerique', 'intelligence_artificielle', 'aide_aux_demarches_administratives',
      'papiers_elections_citoyennete', 'famille_scolarite', 'social_sante', 'travail_formation',
      'logement', 'transports_mobilite', 'argent_impots', 'justice', 'etrangers_europe',
      'loisirs_sports_culture', 'associations']::text[]),
  -- La Coop's workshop levels (null: every level).
  level text check (level in ('debutant', 'intermediaire', 'avance')),
  -- At a place of the directory (its name and commune copied: the agenda still says where if the place
  -- goes), or online with an http(s) link.
  mode text not null check (mode in ('place', 'online')),
  place_id uuid references place (id) on delete set null,
  place_name text check (place_name is null or char_length(place_name) between 1 and 300),
  commune_code text check (commune_code is null or commune_code ~ '^([013-9][0-9]|2[AB1-9])[0-9]{3}$'),
  online_url text check (
    online_url is null or (char_length(online_url) <= 2000 and online_url ~* '^https?://[^\s/?#]+')),
  -- Who it is for, and how the place and the workshop are accessible (plain words).
  audience text not null default '' check (char_length(audience) <= 500),
  accessibility text not null default '' check (char_length(accessibility) <= 1000),
  capacity integer not null check (capacity between 1 and 10000),
  -- Free unless said otherwise, in euro cents.
  price_cents integer not null default 0 check (price_cents between 0 and 1000000),
  status text not null default 'confirmed' check (status in ('tentative', 'confirmed', 'cancelled')),
  -- iCal's SEQUENCE (RFC 5545 §3.8.7.4): raised at every change people's calendars must follow.
  sequence integer not null default 0 check (sequence between 0 and 1000000),
  created_by uuid references person (id) on delete set null,
  is_demo boolean not null default false,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  constraint workshop_where check (
    case mode
      when 'place' then place_name is not null and online_url is null
      else online_url is not null and place_id is null and place_name is null and commune_code is null
    end),
  constraint workshop_topics check (cardinality(needs) + cardinality(themes) >= 1)
);
create index workshop_structure_idx on workshop (structure_id, created_at desc);
create index workshop_place_idx on workshop (place_id) where place_id is not null;
create index workshop_commune_idx on workshop (commune_code) where commune_code is not null;

-- One date of a workshop (a one-off workshop has one; a series several). Its own status cancels one
-- date of a series; its own sequence adds to the workshop's in its iCal event (one UID per date).
create table workshop_occurrence (
  id uuid primary key default gen_random_uuid(),
  workshop_id uuid not null references workshop (id) on delete cascade,
  starts_at timestamptz not null,
  ends_at timestamptz not null,
  status text not null default 'scheduled' check (status in ('scheduled', 'cancelled')),
  sequence integer not null default 0 check (sequence between 0 and 1000000),
  -- When the registrations' personal data was purged (RETENTION_REGISTRATION_DAYS after the end).
  purged_at timestamptz,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  constraint workshop_occurrence_times check (ends_at > starts_at)
);
create index workshop_occurrence_workshop_idx on workshop_occurrence (workshop_id, starts_at);
create index workshop_occurrence_starts_idx on workshop_occurrence (starts_at);
create index workshop_occurrence_purge_idx on workshop_occurrence (ends_at) where purged_at is null;

-- A person registered to one date: a first name and a phone number or an e-mail address, or nothing
-- but a first name when a mediator registers someone. Personal fields are blanked at the purge; the row
-- and its state stay, so the counts are kept.
create table workshop_registration (
  id uuid primary key default gen_random_uuid(),
  occurrence_id uuid not null references workshop_occurrence (id) on delete cascade,
  first_name text check (first_name is null or char_length(first_name) between 1 and 60),
  -- The national schema's form (+33…), and the address as its key (trimmed, lowercased).
  phone text check (phone is null or char_length(phone) between 8 and 16),
  email text check (email is null or (char_length(email) between 3 and 254 and email = lower(email))),
  -- The mediator who registered the person (null: the person did, or the account is gone).
  registered_by uuid references person (id) on delete set null,
  by_mediator boolean not null default false,
  state text not null default 'registered' check (
    state in ('registered', 'waiting', 'cancelled', 'attended', 'absent')),
  -- The order of the waiting list (the lowest is promoted first); only while waiting.
  waiting_position integer check (waiting_position is null or waiting_position >= 1),
  -- SHA-256 of the cancellation link's token: the token is the secret, only its hash is kept.
  cancel_token_hash text unique check (cancel_token_hash is null or cancel_token_hash ~ '^[0-9a-f]{64}$'),
  promoted_at timestamptz,
  reminded_at timestamptz,
  cancelled_at timestamptz,
  cancelled_by text check (cancelled_by in ('person', 'structure')),
  attendance_at timestamptz,
  purged_at timestamptz,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  constraint workshop_registration_waiting check ((state = 'waiting') = (waiting_position is not null)),
  constraint workshop_registration_cancelled check ((state = 'cancelled') = (cancelled_at is not null)),
  constraint workshop_registration_person check (
    purged_at is not null or (first_name is not null and (by_mediator or phone is not null or email is not null))),
  constraint workshop_registration_purged check (
    purged_at is null or (first_name is null and phone is null and email is null and cancel_token_hash is null))
);
create index workshop_registration_occurrence_idx on workshop_registration (occurrence_id, state, created_at);
-- One live registration per phone number and per e-mail address on one date (the duplicates' guard,
-- race included); a cancelled one does not count.
create unique index workshop_registration_phone_key on workshop_registration (occurrence_id, phone)
  where phone is not null and state <> 'cancelled';
create unique index workshop_registration_email_key on workshop_registration (occurrence_id, email)
  where email is not null and state <> 'cancelled';
create unique index workshop_registration_waiting_key on workshop_registration (occurrence_id, waiting_position)
  where state = 'waiting';

-- The activity records' workshop (0023 left the column without its key, waiting for this table).
alter table activity add constraint activity_workshop_fkey
  foreign key (workshop_id) references workshop (id) on delete set null;
