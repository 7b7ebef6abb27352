-- Activity records (decision 0038): what mediators did, in the vocabulary of La Coop de la médiation
-- numérique, stored with the Coop's own values (`@map` of its Prisma enums) so that its exports come in
-- and go out without translation. Anonymous by default: counts, never a person. A new value of the Coop
-- is a new migration widening the checks below, and the vocabulary of src/activities/activities.ts.
-- Forward-only: never edit an applied migration, add a new file.

-- One accompaniment (individuel) or one workshop (collectif) of a structure's staff.
create table activity (
  id uuid primary key default gen_random_uuid(),
  structure_id uuid not null references structure (id) on delete cascade,
  -- The mediator who recorded it; the record outlives their account (statistics stay).
  author_id uuid references person (id) on delete set null,
  kind text not null check (kind in ('individuel', 'collectif')),
  -- No record before the Conseiller numérique programme began (the Coop's rule), none in the future
  -- (checked by the application: the database does not know the user's today).
  date date not null check (date >= '2020-11-17'),
  -- At most 23 h 59, as the Coop's form.
  duration_minutes integer not null check (duration_minutes between 1 and 1439),
  place_kind text not null check (place_kind in ('lieu_activite', 'domicile', 'a_distance', 'autre')),
  -- One of the structure's places (its name copied, so an imported record without a Maillage place, or
  -- a place removed later, still says where).
  place_id uuid references place (id) on delete set null,
  place_name text check (place_name is null or char_length(place_name) between 1 and 300),
  -- Where it happened: INSEE code (COG) and postcode, required at home or elsewhere.
  commune_code text check (commune_code is null or commune_code ~ '^([013-9][0-9]|2[AB1-9])[0-9]{3}$'),
  postal_code text check (postal_code is null or postal_code ~ '^[0-9]{5}$'),
  themes text[] not null check (
    cardinality(themes) >= 1
    and themes <@ array[
      'diagnostic_numerique', 'prendre_en_main_du_materiel', 'maintenance_de_materiel',
      'gere_ses_contenus_numeriques', 'navigation_sur_internet', 'email', 'bureautique', 'reseaux_sociaux',
      'sante', 'banque_et_achats_en_ligne', 'entrepreneuriat', 'insertion_professionnelle',
      'securite_numerique', 'parentalite', 'scolarite_et_numerique', 'creer_avec_le_numerique',
      'culture_numerique', 'intelligence_artificielle', 'aide_aux_demarches_administratives',
      'papiers_elections_citoyennete', 'famille_scolarite', 'social_sante', 'travail_formation',
      'logement', 'transports_mobilite', 'argent_impots', 'justice', 'etrangers_europe',
      'loisirs_sports_culture', 'associations']::text[]),
  equipment text[] not null default '{}' check (
    equipment <@ array['ordinateur', 'telephone', 'tablette', 'autre', 'aucun']::text[]),
  -- Individual only.
  autonomy text check (autonomy in ('entierement_accompagne', 'partiellement_autonome', 'autonome')),
  oriented boolean,
  redirection text check (redirection in (
    'administration', 'mediation_numerique', 'operateur_ou_organisme_en_charge', 'aide_sociale',
    'insertion_professionnelle', 'aide_aux_demarches_administratives', 'autre')),
  -- "Nom de la démarche administrative": only with "aide aux démarches administratives".
  procedure_details text check (procedure_details is null or char_length(procedure_details) between 1 and 1000),
  -- The anonymous beneficiary's commune of residence (individual only).
  beneficiary_commune_code text check (
    beneficiary_commune_code is null or beneficiary_commune_code ~ '^([013-9][0-9]|2[AB1-9])[0-9]{3}$'),
  -- Collective only.
  workshop_title text check (workshop_title is null or char_length(workshop_title) between 1 and 200),
  workshop_level text check (workshop_level in ('debutant', 'intermediaire', 'avance')),
  -- Where Maillage goes further than the Coop: the orientation that brought the person, the pass
  -- numérique voucher redeemed (its ledger entry, kept by id as the ledger keeps ids), the workshop of
  -- the agenda (its table comes later: no foreign key yet).
  orientation_id uuid references orientation (id) on delete set null,
  voucher_entry_id bigint,
  workshop_id uuid,
  -- Where the record comes from: typed in Maillage, or imported from a Coop export (its "ID CRA").
  source text not null default 'maillage' check (source in ('maillage', 'coop_import')),
  external_id text check (external_id is null or char_length(external_id) between 1 and 100),
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  constraint activity_place check (
    case place_kind
      when 'lieu_activite' then place_id is not null or place_name is not null
      when 'domicile' then commune_code is not null
      when 'autre' then commune_code is not null
      else true
    end),
  constraint activity_administrative_themes check (
    not (themes && array[
      'papiers_elections_citoyennete', 'famille_scolarite', 'social_sante', 'travail_formation',
      'logement', 'transports_mobilite', 'argent_impots', 'justice', 'etrangers_europe',
      'loisirs_sports_culture', 'associations']::text[])
    or 'aide_aux_demarches_administratives' = any (themes)),
  constraint activity_procedure check (
    procedure_details is null or 'aide_aux_demarches_administratives' = any (themes)),
  constraint activity_kind_fields check (
    case kind
      when 'individuel' then workshop_title is null and workshop_level is null and workshop_id is null
      else autonomy is null and oriented is null and redirection is null
        and beneficiary_commune_code is null and orientation_id is null and voucher_entry_id is null
    end),
  constraint activity_redirection check (redirection is null or oriented is true),
  constraint activity_source check ((source = 'coop_import') = (external_id is not null))
);
create index activity_structure_date_idx on activity (structure_id, date desc, created_at desc);
create index activity_author_idx on activity (author_id, created_at desc);
create index activity_date_idx on activity (date);
create index activity_orientation_idx on activity (orientation_id) where orientation_id is not null;
-- Importing the same export twice adds nothing: one record per Coop activity, network-wide.
create unique index activity_external_key on activity (source, external_id) where external_id is not null;
-- A voucher's redemption is recorded as one accompaniment at most.
create unique index activity_voucher_entry_key on activity (voucher_entry_id) where voucher_entry_id is not null;

-- The anonymous beneficiaries of a record: counts, as the Coop's anonymous participants. An individual
-- record without an identified beneficiary has one row of total 1. Each breakdown adds up to the total
-- ("non communiqué" included), so statistics never meet a count that does not.
create table activity_participants (
  activity_id uuid primary key references activity (id) on delete cascade,
  total integer not null check (total between 0 and 10000),
  already_accompanied integer not null default 0,
  gender_masculin integer not null default 0 check (gender_masculin >= 0),
  gender_feminin integer not null default 0 check (gender_feminin >= 0),
  gender_non_communique integer not null default 0 check (gender_non_communique >= 0),
  age_moins_de_douze integer not null default 0 check (age_moins_de_douze >= 0),
  age_douze_dix_huit integer not null default 0 check (age_douze_dix_huit >= 0),
  age_dix_huit_vingt_quatre integer not null default 0 check (age_dix_huit_vingt_quatre >= 0),
  age_vingt_cinq_trente_neuf integer not null default 0 check (age_vingt_cinq_trente_neuf >= 0),
  age_quarante_cinquante_neuf integer not null default 0 check (age_quarante_cinquante_neuf >= 0),
  age_soixante_soixante_neuf integer not null default 0 check (age_soixante_soixante_neuf >= 0),
  age_soixante_dix_plus integer not null default 0 check (age_soixante_dix_plus >= 0),
  age_non_communique integer not null default 0 check (age_non_communique >= 0),
  status_scolarise integer not null default 0 check (status_scolarise >= 0),
  status_sans_emploi integer not null default 0 check (status_sans_emploi >= 0),
  status_en_emploi integer not null default 0 check (status_en_emploi >= 0),
  status_retraite integer not null default 0 check (status_retraite >= 0),
  status_non_communique integer not null default 0 check (status_non_communique >= 0),
  constraint activity_participants_already check (already_accompanied between 0 and total),
  constraint activity_participants_gender check (
    gender_masculin + gender_feminin + gender_non_communique = total),
  constraint activity_participants_age check (
    age_moins_de_douze + age_douze_dix_huit + age_dix_huit_vingt_quatre + age_vingt_cinq_trente_neuf
    + age_quarante_cinquante_neuf + age_soixante_soixante_neuf + age_soixante_dix_plus
    + age_non_communique = total),
  constraint activity_participants_status check (
    status_scolarise + status_sans_emploi + status_en_emploi + status_retraite + status_non_communique = total)
);

-- Identified beneficiaries: only when a follow-up needs it (several accompaniments of one person), kept
-- by the structure that follows them, with the least that the follow-up needs, and erased at
-- `retain_until` (the last accompaniment + the retention period) by the privacy purge.
create table activity_beneficiary (
  id uuid primary key default gen_random_uuid(),
  structure_id uuid not null references structure (id) on delete cascade,
  first_name text not null check (char_length(first_name) between 1 and 60),
  last_name text check (last_name is null or char_length(last_name) between 1 and 60),
  phone text check (phone is null or char_length(phone) between 8 and 16),
  email text check (email is null or char_length(email) between 3 and 254),
  gender text not null default 'non_communique' check (gender in ('masculin', 'feminin', 'non_communique')),
  age_band text not null default 'non_communique' check (age_band in (
    'moins_de_douze', 'douze_dix_huit', 'dix_huit_vingt_quatre', 'vingt_cinq_trente_neuf',
    'quarante_cinquante_neuf', 'soixante_soixante_neuf', 'soixante_dix_plus', 'non_communique')),
  social_status text not null default 'non_communique' check (social_status in (
    'scolarise', 'sans_emploi', 'en_emploi', 'retraite', 'non_communique')),
  commune_code text check (commune_code is null or commune_code ~ '^([013-9][0-9]|2[AB1-9])[0-9]{3}$'),
  -- Why the follow-up needs a name, as the person agreed to it.
  consent_at timestamptz not null,
  created_by uuid references person (id) on delete set null,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  retain_until date not null
);
create index activity_beneficiary_structure_idx on activity_beneficiary (structure_id, last_name, first_name);
create index activity_beneficiary_retention_idx on activity_beneficiary (retain_until);

-- Which identified beneficiaries a record accompanied (the Coop's "accompagnement"), and whether it was
-- their first time.
create table activity_beneficiary_link (
  activity_id uuid not null references activity (id) on delete cascade,
  beneficiary_id uuid not null references activity_beneficiary (id) on delete cascade,
  first_time boolean not null default false,
  primary key (activity_id, beneficiary_id)
);
create index activity_beneficiary_link_beneficiary_idx on activity_beneficiary_link (beneficiary_id);

-- The Coop's coordination activities (animation, événement, partenariat), recorded by the network's
-- coordinators: a sibling table, as in the Coop, because they belong to the network, not a structure,
-- and share almost no field with accompaniments.
create table coordination_activity (
  id uuid primary key default gen_random_uuid(),
  kind text not null check (kind in ('animation', 'evenement', 'partenariat')),
  author_id uuid references person (id) on delete set null,
  date date not null check (date >= '2020-11-17'),
  -- Animation only (required there).
  duration_minutes integer check (duration_minutes between 1 and 1439),
  name text check (name is null or char_length(name) between 1 and 200),
  territorial_level text check (territorial_level in (
    'communal', 'intercommunal', 'departemental', 'regional', 'national')),
  -- Animation.
  mediators_count integer check (mediators_count between 0 and 100000),
  structures_count integer check (structures_count between 0 and 100000),
  other_actors_count integer check (other_actors_count between 0 and 100000),
  animation_type text check (animation_type in (
    'assemblee', 'comite', 'groupe_de_travail', 'echange', 'reunion_coordination', 'webinaire', 'autre')),
  animation_type_other text check (animation_type_other is null or char_length(animation_type_other) between 1 and 200),
  initiative text check (initiative in ('initiative', 'demande')),
  animation_themes text[] not null default '{}' check (
    animation_themes <@ array['partage', 'reseau', 'soutien', 'professionnel', 'rh', 'autre']::text[]),
  animation_theme_other text check (animation_theme_other is null or char_length(animation_theme_other) between 1 and 200),
  -- Événement (`nec_local`: the network's local day of digital inclusion).
  participants integer check (participants between 0 and 100000),
  event_type text check (event_type in ('grand_public', 'national', 'inclusion_numerique', 'nec_local', 'autre')),
  event_type_other text check (event_type_other is null or char_length(event_type_other) between 1 and 200),
  organisers text[] not null default '{}' check (
    organisers <@ array['ma_structure', 'commune', 'epci', 'departement', 'region', 'association',
      'entreprise', 'hub', 'etat', 'groupement', 'autre']::text[]),
  organiser_other text check (organiser_other is null or char_length(organiser_other) between 1 and 200),
  -- Partenariat: natures, and the partner structures [{ "name": …, "type": …, "typeOther": … }].
  partnership_natures text[] not null default '{}' check (
    partnership_natures <@ array['parcours_usager', 'subvention', 'coordination_departementale', 'rdv_elu',
      'autre']::text[]),
  partnership_nature_other text check (
    partnership_nature_other is null or char_length(partnership_nature_other) between 1 and 200),
  partner_structures jsonb not null default '[]' check (jsonb_typeof(partner_structures) = 'array'),
  -- The agenda's network day it records (filled when the agenda lands: no foreign key yet).
  agenda_event_id uuid,
  source text not null default 'maillage' check (source in ('maillage', 'coop_import')),
  external_id text check (external_id is null or char_length(external_id) between 1 and 100),
  is_demo boolean not null default false,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  constraint coordination_activity_shape check (
    case kind
      when 'animation' then duration_minutes is not null and animation_type is not null
        and participants is null and event_type is null and cardinality(organisers) = 0
        and cardinality(partnership_natures) = 0
      when 'evenement' then participants is not null and event_type is not null
        and cardinality(organisers) >= 1 and duration_minutes is null and animation_type is null
        and cardinality(animation_themes) = 0 and cardinality(partnership_natures) = 0
      when 'partenariat' then cardinality(partnership_natures) >= 1
        and jsonb_array_length(partner_structures) >= 1 and duration_minutes is null
        and animation_type is null and participants is null and event_type is null
        and cardinality(organisers) = 0 and cardinality(animation_themes) = 0
    end),
  constraint coordination_activity_source check ((source = 'coop_import') = (external_id is not null))
);
create index coordination_activity_date_idx on coordination_activity (date desc, created_at desc);
create unique index coordination_activity_external_key on coordination_activity (source, external_id)
  where external_id is not null;
