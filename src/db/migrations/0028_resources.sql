-- The resource bank (decision 0042): tutorials, guides, videos, files and links shared by the network's
-- structures. Files are stored in the database (bytea): every app server serves them, backups hold them.
-- Themes, licences and report reasons use La Base du numérique d'intérêt général's values where it has
-- them (src/resources/resources.ts keeps the mapping). Forward-only: never edit an applied migration.

create table resource (
  id uuid primary key default gen_random_uuid(),
  -- The structure that shares it (its members edit it; reports reach them); gone with the structure.
  structure_id uuid not null references structure (id) on delete cascade,
  -- Who shared it; the resource outlives their account.
  author_id uuid references person (id) on delete set null,
  title text not null check (char_length(title) between 1 and 200),
  summary text not null check (char_length(summary) between 1 and 2000),
  kind text not null check (kind in ('tutorial', 'guide', 'video', 'file', 'link')),
  -- Maillage's themes (src/resources/resources.ts RESOURCE_THEMES, each mapped to La Base's).
  themes text[] not null check (
    cardinality(themes) between 1 and 5
    and themes <@ array[
      'demarches', 'prise_en_main', 'internet', 'communication', 'securite', 'donnees', 'sante',
      'emploi', 'parentalite', 'diagnostic', 'materiel', 'sobriete', 'accessibilite', 'mobilite',
      'intelligence_artificielle', 'medias', 'citoyennete', 'loisirs']::text[]),
  -- La Base's licence values.
  licence text not null check (licence in ('etalab_2_0', 'cc_by_sa_4_0', 'cc_by_nc_sa_4_0', 'no_licence')),
  audience text not null check (audience in ('professionals', 'everyone', 'trainers')),
  -- Public: shown to everybody; otherwise to the network's members only.
  is_public boolean not null default false,
  -- A link (http or https only); null when the resource is a file (resource_file).
  url text check (url is null or (char_length(url) <= 2000 and url ~ '^https?://')),
  -- Title and summary folded for the search (accents off, lowercase: shared/text.ts foldForSearch).
  search_text text not null,
  is_demo boolean not null default false,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);
create index resource_structure_idx on resource (structure_id, created_at);
create index resource_created_idx on resource (created_at);

-- A resource's file: at most one, its bytes in the row (TOAST keeps them out of the table's pages).
create table resource_file (
  resource_id uuid primary key references resource (id) on delete cascade,
  file_name text not null check (char_length(file_name) between 1 and 200),
  -- The type served, from Maillage's own list (never the one the browser sent).
  content_type text not null check (char_length(content_type) between 3 and 120),
  size_bytes integer not null check (size_bytes between 1 and 1073741824),
  sha256 text not null check (sha256 ~ '^[0-9a-f]{64}$'),
  bytes bytea not null
);

-- A structure's collections: named, ordered lists of resources.
create table resource_collection (
  id uuid primary key default gen_random_uuid(),
  structure_id uuid not null references structure (id) on delete cascade,
  name text not null check (char_length(name) between 1 and 120),
  is_demo boolean not null default false,
  created_at timestamptz not null default now()
);
create index resource_collection_structure_idx on resource_collection (structure_id);

create table resource_collection_item (
  collection_id uuid not null references resource_collection (id) on delete cascade,
  resource_id uuid not null references resource (id) on delete cascade,
  position integer not null check (position between 0 and 100000),
  primary key (collection_id, resource_id)
);
create index resource_collection_item_resource_idx on resource_collection_item (resource_id);

-- "Obsolète / erreur": a signed-in member's report, shown to the sharing structure until closed.
create table resource_report (
  id uuid primary key default gen_random_uuid(),
  resource_id uuid not null references resource (id) on delete cascade,
  reporter_id uuid references person (id) on delete set null,
  reason text not null check (reason in ('outdated', 'errors')),
  text text not null check (char_length(text) between 1 and 1000),
  state text not null default 'open' check (state in ('open', 'closed')),
  created_at timestamptz not null default now(),
  closed_at timestamptz
);
create index resource_report_open_idx on resource_report (resource_id) where state = 'open';
