import type { ColumnType, Generated } from 'kysely';

/**
 * Row types of the activity records' tables (migration 0023, decision 0038), beside database.ts which
 * names them in `Database` (one file would pass 800 lines). Keep them in step with the SQL.
 */
type Timestamp = ColumnType<Date, Date | string | undefined, Date | string>;
type TextArray = ColumnType<string[], string[] | undefined, string[]>;

/** An accompaniment or a workshop, in La Coop's values (0023, decision 0038). */
export interface ActivityTable {
  id: Generated<string>;
  structure_id: string;
  author_id: string | null;
  kind: 'individuel' | 'collectif';
  /** 'YYYY-MM-DD'. */
  date: ColumnType<string, string, string>;
  duration_minutes: number;
  place_kind: 'lieu_activite' | 'domicile' | 'a_distance' | 'autre';
  place_id: string | null;
  place_name: string | null;
  commune_code: string | null;
  postal_code: string | null;
  themes: ColumnType<string[], string[], string[]>;
  equipment: TextArray;
  autonomy: 'entierement_accompagne' | 'partiellement_autonome' | 'autonome' | null;
  oriented: boolean | null;
  redirection:
    | 'administration'
    | 'mediation_numerique'
    | 'operateur_ou_organisme_en_charge'
    | 'aide_sociale'
    | 'insertion_professionnelle'
    | 'aide_aux_demarches_administratives'
    | 'autre'
    | null;
  procedure_details: string | null;
  beneficiary_commune_code: string | null;
  workshop_title: string | null;
  workshop_level: 'debutant' | 'intermediaire' | 'avance' | null;
  orientation_id: string | null;
  /** A pass numérique ledger entry (voucher_entry.id, bigint read as a number); no foreign key. */
  voucher_entry_id: number | null;
  workshop_id: string | null;
  source: ColumnType<'maillage' | 'coop_import', 'maillage' | 'coop_import' | undefined, never>;
  external_id: ColumnType<string | null, string | null | undefined, never>;
  created_at: Timestamp;
  updated_at: Timestamp;
  /** The demonstration's records (0024), deleted by `demo remove`. */
  is_demo: ColumnType<boolean, boolean | undefined, never>;
}

type Count = ColumnType<number, number | undefined, number>;
type AgeBandValue =
  | 'moins_de_douze'
  | 'douze_dix_huit'
  | 'dix_huit_vingt_quatre'
  | 'vingt_cinq_trente_neuf'
  | 'quarante_cinquante_neuf'
  | 'soixante_soixante_neuf'
  | 'soixante_dix_plus'
  | 'non_communique';

/** A record's anonymous beneficiaries, counted; every breakdown adds up to `total` (0023). */
export interface ActivityParticipantsTable {
  activity_id: string;
  total: number;
  already_accompanied: Count;
  gender_masculin: Count;
  gender_feminin: Count;
  gender_non_communique: Count;
  age_moins_de_douze: Count;
  age_douze_dix_huit: Count;
  age_dix_huit_vingt_quatre: Count;
  age_vingt_cinq_trente_neuf: Count;
  age_quarante_cinquante_neuf: Count;
  age_soixante_soixante_neuf: Count;
  age_soixante_dix_plus: Count;
  age_non_communique: Count;
  status_scolarise: Count;
  status_sans_emploi: Count;
  status_en_emploi: Count;
  status_retraite: Count;
  status_non_communique: Count;
}

/** An identified beneficiary, kept for a follow-up until `retain_until` (0023). */
export interface ActivityBeneficiaryTable {
  id: Generated<string>;
  structure_id: string;
  first_name: string;
  last_name: string | null;
  phone: string | null;
  email: string | null;
  gender: ColumnType<
    'masculin' | 'feminin' | 'non_communique',
    'masculin' | 'feminin' | 'non_communique' | undefined,
    'masculin' | 'feminin' | 'non_communique'
  >;
  age_band: ColumnType<AgeBandValue, AgeBandValue | undefined, AgeBandValue>;
  social_status: ColumnType<
    'scolarise' | 'sans_emploi' | 'en_emploi' | 'retraite' | 'non_communique',
    'scolarise' | 'sans_emploi' | 'en_emploi' | 'retraite' | 'non_communique' | undefined,
    'scolarise' | 'sans_emploi' | 'en_emploi' | 'retraite' | 'non_communique'
  >;
  commune_code: string | null;
  consent_at: ColumnType<Date, Date | string, Date | string>;
  created_by: string | null;
  created_at: Timestamp;
  updated_at: Timestamp;
  /** 'YYYY-MM-DD': erased by the privacy purge after this day. */
  retain_until: ColumnType<string, string, string>;
}

export interface ActivityBeneficiaryLinkTable {
  activity_id: string;
  beneficiary_id: string;
  first_time: ColumnType<boolean, boolean | undefined, boolean>;
}

/**
 * A record's contribution to the statistics, summed by structure, month, kind and place (0036, decision
 * 0052), kept by triggers: written by the database only.
 */
export interface ActivityStatsMonthTable {
  structure_id: string;
  /** First day of the month, 'YYYY-MM-DD'. */
  month: ColumnType<string, string, string>;
  kind: string;
  place_key: string;
  dim: string;
  key: string;
  records: number;
  accompaniments: number;
}

/** Sums per structure and month without the place (0042); 'place' is a dimension of the totals. */
export interface ActivityStatsStructureMonthTable {
  structure_id: string;
  month: ColumnType<string, string, string>;
  kind: string;
  dim: string;
  key: string;
  records: number;
  accompaniments: number;
}

/** Network-wide sums per month (0042); 'structure' and 'place' are dimensions of the totals. */
export interface ActivityStatsNetworkMonthTable {
  month: ColumnType<string, string, string>;
  kind: string;
  dim: string;
  key: string;
  records: number;
  accompaniments: number;
}

/** Network-wide sums per day (0042), for the first and last months of a period. */
export interface ActivityStatsNetworkDayTable {
  day: ColumnType<string, string, string>;
  kind: string;
  dim: string;
  key: string;
  records: number;
  accompaniments: number;
}

/** Sums per structure and day (0046), for a structure's or a funder's first and last months. */
export interface ActivityStatsStructureDayTable {
  structure_id: string;
  day: ColumnType<string, string, string>;
  kind: string;
  dim: string;
  key: string;
  records: number;
  accompaniments: number;
}

/** Identified people linked per day, structure, kind and place (0042): distinct counts read them. */
export interface ActivityStatsPeopleDayTable {
  day: ColumnType<string, string, string>;
  structure_id: string;
  kind: string;
  place_key: string;
  beneficiary_id: string;
  links: number;
}

/** Records noted by a statement's row triggers, summed again at its end (0036); the database's own. */
export interface ActivityStatsPendingTable {
  txid: number;
  activity_id: string;
}

/** A network coordinator's animation, event or partnership, in La Coop's values (0023). */
export interface CoordinationActivityTable {
  id: Generated<string>;
  kind: 'animation' | 'evenement' | 'partenariat';
  author_id: string | null;
  /** 'YYYY-MM-DD'. */
  date: ColumnType<string, string, string>;
  duration_minutes: number | null;
  name: string | null;
  territorial_level: 'communal' | 'intercommunal' | 'departemental' | 'regional' | 'national' | null;
  mediators_count: number | null;
  structures_count: number | null;
  other_actors_count: number | null;
  animation_type:
    | 'assemblee'
    | 'comite'
    | 'groupe_de_travail'
    | 'echange'
    | 'reunion_coordination'
    | 'webinaire'
    | 'autre'
    | null;
  animation_type_other: string | null;
  initiative: 'initiative' | 'demande' | null;
  animation_themes: TextArray;
  animation_theme_other: string | null;
  participants: number | null;
  event_type: 'grand_public' | 'national' | 'inclusion_numerique' | 'nec_local' | 'autre' | null;
  event_type_other: string | null;
  organisers: TextArray;
  organiser_other: string | null;
  partnership_natures: TextArray;
  partnership_nature_other: string | null;
  /** [{ name, type, typeOther }]: a JSON array (unknown here, read by the repository). */
  partner_structures: ColumnType<unknown, string | undefined, string>;
  agenda_event_id: string | null;
  source: ColumnType<'maillage' | 'coop_import', 'maillage' | 'coop_import' | undefined, never>;
  external_id: ColumnType<string | null, string | null | undefined, never>;
  is_demo: ColumnType<boolean, boolean | undefined, boolean>;
  created_at: Timestamp;
  updated_at: Timestamp;
}

/** A structure's API token (0024, decision 0040): only the secret's SHA-256 is kept. */
export interface ApiTokenTable {
  id: Generated<string>;
  structure_id: string;
  name: string;
  secret_hash: string;
  prefix: string;
  scope: ColumnType<'activites:lecture', 'activites:lecture' | undefined, never>;
  created_by: string | null;
  created_at: Timestamp;
  expires_at: ColumnType<Date, Date | string, never>;
  revoked_at: ColumnType<Date | null, Date | null | undefined, Date | null>;
  revoked_by: string | null;
  last_used_at: ColumnType<Date | null, Date | null | undefined, Date | null>;
}

/** A read-only link to a funder's statistics (migration 0040, decision 0056): only the secret's hash. */
export interface FunderStatisticsLinkTable {
  id: Generated<string>;
  funder_id: string;
  name: string;
  secret_hash: string;
  prefix: string;
  created_by: string | null;
  created_at: Timestamp;
  expires_at: ColumnType<Date, Date | string, never>;
  revoked_at: ColumnType<Date | null, Date | null | undefined, Date | null>;
  revoked_by: string | null;
  last_opened_at: ColumnType<Date | null, Date | null | undefined, Date | null>;
}
