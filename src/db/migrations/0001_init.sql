-- Maillage: first schema. Forward-only: never edit an applied migration, add a new file.

-- Organisations that run places, identified by their SIRET/RNA ("pivot" in the national schema).
create table structure (
  id uuid primary key default gen_random_uuid(),
  pivot text not null unique,
  nom text not null,
  typologie text[] not null default '{}',
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);

-- Places of digital help, one row per (source, source_id): the national schema v1.0.2 fields, plus
-- our stable id (used by pages and the API) and whether the position is only approximate.
create table place (
  id uuid primary key default gen_random_uuid(),
  source text not null,
  source_id text not null,
  structure_id uuid references structure (id) on delete set null,
  pivot text not null,
  nom text not null,
  commune text not null,
  code_postal text not null,
  code_insee text,
  adresse text not null,
  complement_adresse text,
  latitude double precision,
  longitude double precision,
  position_approximate boolean not null default false,
  typologie text[] not null default '{}',
  telephone text,
  courriels text[] not null default '{}',
  site_web text[] not null default '{}',
  horaires text,
  presentation_resume text,
  presentation_detail text,
  itinerance text[] not null default '{}',
  structure_parente text,
  date_maj date,
  services text[] not null default '{}',
  publics_specifiquement_adresses text[] not null default '{}',
  prise_en_charge_specifique text[] not null default '{}',
  frais_a_charge text[] not null default '{}',
  dispositif_programmes_nationaux text[] not null default '{}',
  formations_labels text[] not null default '{}',
  autres_formations_labels text[] not null default '{}',
  modalites_acces text[] not null default '{}',
  modalites_accompagnement text[] not null default '{}',
  fiche_acces_libre text,
  prise_rdv text,
  content_hash text not null,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  constraint place_identity unique (source, source_id),
  constraint place_latitude check (latitude is null or latitude between -90 and 90),
  constraint place_longitude check (longitude is null or longitude between -180 and 180)
);
create index place_code_insee_idx on place (code_insee);
create index place_nom_idx on place (lower(nom));
create index place_structure_idx on place (structure_id);

-- Commune outlines and reference points loaded by `geo import` (names, populations and EPCI
-- membership come from @etalab/decoupage-administratif, not from this table).
create table commune_geometry (
  code text primary key,
  ref_lat double precision not null check (ref_lat between -90 and 90),
  ref_lon double precision not null check (ref_lon between -180 and 180),
  ref_method text not null check (ref_method in ('centre', 'centre_geoapi', 'interior_point', 'demo')),
  geometry jsonb,
  source_file text,
  imported_at timestamptz not null default now()
);

-- Every import of places, with its full report.
create table place_import (
  id uuid primary key default gen_random_uuid(),
  started_at timestamptz not null default now(),
  actor text not null,
  file_name text,
  file_sha256 text,
  source text,
  dry_run boolean not null default false,
  counts jsonb not null,
  report jsonb not null
);

-- Small key/value facts about this installation (e.g. when the demonstration data was seeded, so that
-- removing it is final).
create table app_setting (
  key text primary key,
  value jsonb not null,
  updated_at timestamptz not null default now()
);
