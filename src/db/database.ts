import type { ColumnType, Generated, GeneratedAlways, JSONColumnType, Kysely } from 'kysely';
import type {
  ActivityBeneficiaryLinkTable,
  ActivityBeneficiaryTable,
  ActivityParticipantsTable,
  ActivityStatsMonthTable,
  ActivityStatsNetworkDayTable,
  ActivityStatsNetworkMonthTable,
  ActivityStatsPendingTable,
  ActivityStatsPeopleDayTable,
  ActivityStatsStructureDayTable,
  ActivityStatsStructureMonthTable,
  ActivityTable,
  ApiTokenTable,
  CoordinationActivityTable,
  FunderStatisticsLinkTable,
} from './activity-rows.ts';
import type { NetworkEventTable, NetworkSessionTable, NetworkTrackTable } from './network-day-rows.ts';
import type { PublicationFileTable, PublicationRunTable } from './publication-rows.ts';
import type {
  ResourceCollectionItemTable,
  ResourceCollectionTable,
  ResourceFileTable,
  ResourceReportTable,
  ResourceTable,
} from './resource-rows.ts';
import type { MissionMatchTable, MissionTable, VolunteerTable } from './volunteer-rows.ts';
import type {
  VoucherBookletTable,
  VoucherEntryTable,
  VoucherProgrammePlaceTable,
  VoucherProgrammePrescriberTable,
  VoucherProgrammeTable,
  VoucherSealTable,
  VoucherTable,
} from './voucher-rows.ts';
import type {
  VoucherStatementLineTable,
  VoucherStatementPaymentTable,
  VoucherStatementTable,
} from './voucher-statement-rows.ts';
import type { WorkshopOccurrenceTable, WorkshopRegistrationTable, WorkshopTable } from './workshop-rows.ts';

/**
 * Row types of every table, beside the SQL that creates them (migrations/*.sql). Keep the two in step.
 * db/ imports no domain: domains map these rows to their own types.
 */
type Timestamp = ColumnType<Date, Date | string | undefined, Date | string>;
type TextArray = ColumnType<string[], string[] | undefined, string[]>;

export interface StructureTable {
  id: Generated<string>;
  pivot: string;
  nom: string;
  typologie: TextArray;
  created_at: Timestamp;
  updated_at: Timestamp;
  /** Who to write to or call about the structure (0015). */
  contact_email: ColumnType<string | null, string | null | undefined, string | null>;
  contact_phone: ColumnType<string | null, string | null | undefined, string | null>;
}

export interface PlaceTable {
  id: Generated<string>;
  source: string;
  source_id: string;
  structure_id: string | null;
  pivot: string;
  nom: string;
  commune: string;
  code_postal: string;
  code_insee: string | null;
  adresse: string;
  complement_adresse: string | null;
  latitude: number | null;
  longitude: number | null;
  position_approximate: ColumnType<boolean, boolean | undefined, boolean>;
  typologie: TextArray;
  telephone: string | null;
  courriels: TextArray;
  site_web: TextArray;
  horaires: string | null;
  presentation_resume: string | null;
  presentation_detail: string | null;
  itinerance: TextArray;
  structure_parente: string | null;
  /** 'YYYY-MM-DD' (the date parser is set to keep the text). */
  date_maj: string | null;
  services: TextArray;
  publics_specifiquement_adresses: TextArray;
  prise_en_charge_specifique: TextArray;
  frais_a_charge: TextArray;
  dispositif_programmes_nationaux: TextArray;
  formations_labels: TextArray;
  autres_formations_labels: TextArray;
  modalites_acces: TextArray;
  modalites_accompagnement: TextArray;
  fiche_acces_libre: string | null;
  prise_rdv: string | null;
  content_hash: string;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export interface CommuneGeometryTable {
  code: string;
  ref_lat: number;
  ref_lon: number;
  ref_method: 'centre' | 'centre_geoapi' | 'interior_point' | 'demo';
  geometry: ColumnType<unknown, string | null | undefined, string | null>;
  source_file: string | null;
  imported_at: Timestamp;
}

export interface PlaceImportTable {
  id: Generated<string>;
  started_at: Timestamp;
  actor: string;
  file_name: string | null;
  file_sha256: string | null;
  source: string | null;
  dry_run: ColumnType<boolean, boolean | undefined, boolean>;
  counts: JSONColumnType<Record<string, number>>;
  report: ColumnType<unknown, string, string>;
  /** Order of the imports (0002): `generated always as identity`, so never given by an insert. */
  seq: GeneratedAlways<number>;
  undone_at: ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;
}

export type ImportUploadState =
  | 'needs_mapping'
  | 'preview_queued'
  | 'previewing'
  | 'previewed'
  | 'queued'
  | 'running'
  | 'done'
  | 'failed';

/** A file uploaded for import from the web, kept 24 hours (0018). */
export interface PlaceImportUploadTable {
  id: Generated<string>;
  file_name: string;
  sha256: string;
  content: Uint8Array;
  size_bytes: number;
  source: string | null;
  source_key: string;
  mapping: ColumnType<unknown, string | null | undefined, string | null>;
  uploaded_by: string | null;
  confirmed_by: ColumnType<string | null, string | null | undefined, string | null>;
  uploaded_at: Timestamp;
  /** No default in SQL: the upload says when it expires. */
  expires_at: ColumnType<Date, Date | string, Date | string>;
  state: ImportUploadState;
  progress_done: ColumnType<number, number | undefined, number>;
  progress_total: ColumnType<number, number | undefined, number>;
  preview: ColumnType<unknown, string | null | undefined, string | null>;
  import_id: string | null;
  error: string | null;
  heartbeat_at: NullableTimestamp;
  updated_at: Timestamp;
  /** The national system's layout, chosen or detected (0045); null: the network's own or a mapped file. */
  layout: ColumnType<
    'national' | 'data-inclusion' | null,
    'national' | 'data-inclusion' | null | undefined,
    'national' | 'data-inclusion' | null
  >;
  /** data·inclusion's services file, uploaded with its structures (0045). */
  services_file_name: ColumnType<string | null, string | null | undefined, string | null>;
  services_sha256: ColumnType<string | null, string | null | undefined, string | null>;
  services_content: ColumnType<Uint8Array | null, Uint8Array | null | undefined, Uint8Array | null>;
}

/** The column mapping last used for a source (0018). */
export interface PlaceImportMappingTable {
  source_key: string;
  mapping: ColumnType<unknown, string, string>;
  updated_by: string | null;
  updated_at: Timestamp;
}

export interface PlaceImportChangeTable {
  import_id: string;
  place_id: string;
  action: 'inserted' | 'updated';
  /** The whole place row before the import (to_jsonb), null for an inserted place. */
  previous: ColumnType<unknown, string | null, string | null>;
}

export interface PlaceLinkTable {
  id: Generated<string>;
  canonical_id: string;
  merged_id: string;
  score: number;
  import_id: string | null;
  created_at: Timestamp;
  unmerged_at: ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;
  /** Proposed below the confidence threshold, not applied until confirmed (0019). */
  pending: ColumnType<boolean, boolean | undefined, boolean>;
  reviewed_at: ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;
  reviewed_by: ColumnType<string | null, string | null | undefined, string | null>;
  reviewed_by_label: ColumnType<string | null, string | null | undefined, string | null>;
}

export interface SchemaMigrationTable {
  name: string;
  checksum: string;
  applied_at: Timestamp;
}

export interface AppSettingTable {
  key: string;
  value: ColumnType<unknown, string, string>;
  updated_at: Timestamp;
}

// Accounts, sessions, audit log, mail outbox and jobs (migration 0003).
type NullableTimestamp = ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;

export interface PersonTable {
  id: Generated<string>;
  /** Lowercased. */
  email: string;
  display_name: string;
  password_hash: string | null;
  network_role: 'coordinator' | 'funder' | 'volunteer' | null;
  totp_secret: string | null;
  totp_enabled: ColumnType<boolean, boolean | undefined, boolean>;
  totp_last_step: number | null;
  recovery_code_hashes: TextArray;
  is_demo: ColumnType<boolean, boolean | undefined, boolean>;
  created_at: Timestamp;
  last_sign_in_at: NullableTimestamp;
  /** When the account was warned that it would be deleted for inactivity (migration 0009). */
  inactivity_warned_at: NullableTimestamp;
  /** The second factor's guard (migration 0011). */
  second_factor_failures: ColumnType<number, number | undefined, number>;
  second_factor_locked_until: NullableTimestamp;
  second_factor_locks: ColumnType<Date[], Date[] | undefined, Date[]>;
  second_factor_blocked_at: NullableTimestamp;
}

export interface MembershipTable {
  person_id: string;
  structure_id: string;
  role: 'structure_admin' | 'staff';
  created_at: Timestamp;
}

export interface SessionTable {
  /** SHA-256 (hex) of the cookie's token. */
  id: string;
  person_id: string;
  stage: 'second_factor' | 'totp_enrolment' | 'full';
  created_at: Timestamp;
  last_seen_at: Timestamp;
  expires_at: ColumnType<Date, Date | string, Date | string>;
}

export interface OneTimeTokenTable {
  id: Generated<string>;
  token_hash: string;
  purpose: 'invitation' | 'password_reset' | 'sign_in_link';
  person_id: string;
  structure_id: string | null;
  role: 'structure_admin' | 'staff' | null;
  created_at: Timestamp;
  expires_at: ColumnType<Date, Date | string, Date | string>;
  used_at: NullableTimestamp;
  /** An invitation that attaches the person to a funder once accepted (0013). */
  funder_id: ColumnType<string | null, string | null | undefined, string | null>;
}

export interface RateLimitTable {
  key: string;
  window_started_at: ColumnType<Date, Date | string, Date | string>;
  count: number;
}

export interface AppSecretTable {
  name: string;
  value: string;
  created_at: Timestamp;
}

export interface AuditLogTable {
  id: GeneratedAlways<number>;
  at: Timestamp;
  actor_id: string | null;
  actor_label: string;
  action: string;
  subject_type: string | null;
  subject_id: string | null;
  details: ColumnType<unknown, string | undefined, string>;
}

export interface MailOutboxTable {
  id: Generated<string>;
  to_address: string;
  subject: string;
  text_body: string;
  html_body: string | null;
  kind: ColumnType<string, string | undefined, string>;
  status: ColumnType<'pending' | 'sent' | 'failed', 'pending' | 'sent' | 'failed' | undefined>;
  attempts: ColumnType<number, number | undefined, number>;
  next_attempt_at: Timestamp;
  last_error: string | null;
  created_at: Timestamp;
  sent_at: NullableTimestamp;
}

export interface QueuedJobTable {
  id: GeneratedAlways<number>;
  name: string;
  payload: JSONColumnType<Record<string, unknown>>;
  created_at: Timestamp;
  run_after: Timestamp;
  attempts: ColumnType<number, number | undefined, number>;
  last_error: string | null;
  failed_at: NullableTimestamp;
}

/** Figures of use per day and kind (0012): no personal data. */
export interface UsageCountTable {
  day: string;
  kind: string;
  count: ColumnType<number, number, number>;
}

export interface JobStateTable {
  name: string;
  last_run_at: NullableTimestamp;
  next_run_at: ColumnType<Date, Date | string, Date | string>;
  last_error: string | null;
}

// Error reports from a place's public page (migration 0004).
export interface ErrorReportTable {
  id: Generated<string>;
  place_id: string;
  /** 1 to 2000 characters. */
  message: string;
  /** Optional phone or email, 200 characters at most. */
  contact: string | null;
  created_at: Timestamp;
  status: ColumnType<ErrorReportStatus, ErrorReportStatus | undefined>;
  decided_at: NullableTimestamp;
  decided_by: string | null;
  decision_message: string | null;
  /** The structure the coordinator forwarded the report to (migration 0017). */
  forwarded_to: string | null;
  forwarded_at: NullableTimestamp;
  forwarded_by: string | null;
  /** When the reporter was mailed that the report was resolved (they left an e-mail address). */
  reporter_notified_at: NullableTimestamp;
}

export type ErrorReportStatus = 'new' | 'forwarded' | 'done' | 'rejected';

// Need weights per commune for the coverage analysis (migration 0005).
export interface CoverageWeightTable {
  /** INSEE code of a commune. */
  code: string;
  /** ≥ 0 (1000 at most): the commune's need is its population × this weight. */
  weight: number;
  imported_at: Timestamp;
}

// Migration 0006: join requests, closures, private contacts, moderation, freshness.
export interface JoinRequestTable {
  id: Generated<string>;
  person_id: string;
  structure_id: string;
  message: string | null;
  status: ColumnType<'pending' | 'accepted' | 'refused', 'pending' | 'accepted' | 'refused' | undefined>;
  created_at: Timestamp;
  decided_at: NullableTimestamp;
  decided_by: string | null;
}

export interface PlaceClosureTable {
  id: Generated<string>;
  place_id: string;
  /** 'YYYY-MM-DD', both days included, the place's local dates. */
  starts_on: ColumnType<string, string, string>;
  ends_on: ColumnType<string, string, string>;
  reason: string | null;
  created_at: Timestamp;
}

export interface PlacePrivateContactTable {
  place_id: string;
  direct_phone: string | null;
  referral_email: string | null;
  accepts_orientations: ColumnType<'yes' | 'no' | 'unknown', 'yes' | 'no' | 'unknown' | undefined>;
  orientation_instructions: string | null;
  updated_at: Timestamp;
  updated_by: string | null;
}

export type PlaceChangeStatus = 'pending' | 'approved' | 'rejected' | 'superseded';
export interface PlaceChangeTable {
  id: Generated<string>;
  /** Null for a new place proposed by a structure, until it is approved (0015). */
  place_id: string | null;
  /** 'edit' of an existing place, or a 'new_place' (0015). */
  kind: ColumnType<'edit' | 'new_place', 'edit' | 'new_place' | undefined>;
  structure_id: string | null;
  proposed_by: string | null;
  proposed_by_label: string;
  proposed_at: Timestamp;
  base: ColumnType<unknown, string, string>;
  proposed: ColumnType<unknown, string, string>;
  status: ColumnType<PlaceChangeStatus, PlaceChangeStatus | undefined>;
  decided_by: string | null;
  decided_at: NullableTimestamp;
  decision_message: string | null;
  /** When the proposal's closures were made public at once (they only reduce the offer, migration 0017). */
  closures_applied_at: NullableTimestamp;
}

/** A structure asks to attach a place of the directory; the coordinator decides (0015). */
export interface PlaceAttachRequestTable {
  id: Generated<string>;
  place_id: string;
  structure_id: string;
  requested_by: string | null;
  requested_by_label: string;
  message: string | null;
  status: ColumnType<'pending' | 'approved' | 'rejected', 'pending' | 'approved' | 'rejected' | undefined>;
  created_at: Timestamp;
  decided_by: string | null;
  decided_at: NullableTimestamp;
  decision_message: string | null;
}

export interface FreshnessReminderTable {
  id: Generated<string>;
  structure_id: string;
  place_ids: ColumnType<string[], string[], string[]>;
  sent_at: Timestamp;
}

// --- diagnostic tables (migration 0007): add row types below this line ---
export interface DiagnosticVersionTable {
  version: number;
  /** The JSON document exactly as uploaded (200,000 characters at most). */
  document: string;
  sha256: string;
  title: string;
  question_count: number;
  created_at: Timestamp;
  created_by: string | null;
  created_by_label: string;
  activated_at: NullableTimestamp;
  activated_by: string | null;
}

// --- referrals tables (migration 0008): add row types below this line ---

export interface ParcoursTable {
  id: Generated<string>;
  created_at: Timestamp;
}

export type OrientationState =
  | 'sent'
  | 'accepted'
  | 'refused'
  | 'expired'
  | 'came'
  | 'did_not_come'
  | 'redirected';

export interface OrientationTable {
  id: Generated<string>;
  parcours_id: string;
  previous_id: string | null;
  sender_structure_id: string | null;
  sender_structure_name: string;
  sender_person_id: string | null;
  sender_name: string;
  sender_email: string | null;
  sender_contact: string;
  place_id: string | null;
  place_name: string;
  receiver_structure_id: string | null;
  delivery: 'inbox' | 'email' | 'sheet';
  referral_email: string | null;
  needs: ColumnType<string[], string[], string[]>;
  urgency: 'normal' | 'soon' | 'urgent';
  contact_preference: 'phone' | 'sms' | 'email' | 'via_sender' | 'self';
  person_name: string | null;
  person_phone: string | null;
  person_email: string | null;
  message: string | null;
  diagnostic: ColumnType<unknown, string | null | undefined, string | null>;
  consent_version: string;
  consent_text: string;
  consent_at: ColumnType<Date, Date | string, Date | string>;
  consent_by: string | null;
  consent_diagnostic: ColumnType<boolean, boolean | undefined, boolean>;
  state: ColumnType<OrientationState, OrientationState | undefined, OrientationState>;
  refusal_reason: string | null;
  state_message: string | null;
  sent_at: ColumnType<Date, Date | string, Date | string>;
  answered_at: NullableTimestamp;
  closed_at: NullableTimestamp;
  reminded_at: NullableTimestamp;
  personal_data_erased_at: NullableTimestamp;
  erased_reason: 'retention' | 'request' | null;
  /** 'YYYY-MM-DD' (the date parser is set to keep the text). */
  appointment_date: string | null;
  /** 'HH:MM'. */
  appointment_time: string | null;
  appointment_with: string | null;
}

export interface OrientationEventTable {
  id: GeneratedAlways<number>;
  orientation_id: string;
  at: ColumnType<Date, Date | string, Date | string>;
  from_state: OrientationState | null;
  to_state: OrientationState;
  actor_kind: 'person' | 'link' | 'system';
  actor_id: string | null;
  actor_label: string;
  reason: string | null;
}

export interface OrientationLinkTable {
  id: string;
  orientation_id: string;
  purpose: 'answer' | 'close';
  token_hash: string;
  created_at: ColumnType<Date, Date | string, Date | string>;
  expires_at: ColumnType<Date, Date | string, Date | string>;
  used_at: NullableTimestamp;
}

/** The records of merged places that are not shown (view, migration 0010); read-only. */
export interface PlaceMergeHiddenView {
  id: ColumnType<string, never, never>;
}

/** A funder organisation (0013): a département, a CAF, a foundation… */
export interface FunderTable {
  id: Generated<string>;
  name: string;
  /** 9 digits, Luhn-checked by shared/siren.ts; unique when given. */
  siren: string | null;
  contact_email: string | null;
  /** International form (+33238000000). */
  contact_phone: string | null;
  is_demo: ColumnType<boolean, boolean | undefined, boolean>;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export interface FunderMemberTable {
  funder_id: string;
  person_id: string;
  created_at: Timestamp;
}

export interface FundingTable {
  id: Generated<string>;
  funder_id: string;
  structure_id: string;
  /** 'YYYY-MM-DD', both days included; no end: still funded. */
  starts_on: ColumnType<string, string, string>;
  ends_on: ColumnType<string | null, string | null | undefined, string | null>;
  created_at: Timestamp;
}

/** A coordinator's message to the members of the network (0020, decision 0030). */
export interface NetworkMessageTable {
  id: Generated<string>;
  sent_by: string | null;
  sent_by_name: string;
  sent_at: Timestamp;
  subject: string;
  body: string;
  audience: JSONColumnType<Record<string, unknown>>;
  audience_text: string;
  recipient_count: number;
  excluded_count: ColumnType<number, number | undefined, number>;
  form_token: string;
  recipients_purged_at: NullableTimestamp;
  delivered_count: ColumnType<number | null, number | null | undefined, number | null>;
  failed_count: ColumnType<number | null, number | null | undefined, number | null>;
}

/** Who received a network message, until the retention period ends (0020). */
export interface NetworkMessageRecipientTable {
  message_id: string;
  person_id: string;
  mail_id: string;
}

/** A person's request to be phoned back once (0021, decision 0032). */
export interface CallbackRequestTable {
  id: Generated<string>;
  reference: string;
  place_id: string | null;
  place_name: string | null;
  /** null: the network's coordinators call. */
  structure_id: string | null;
  first_name: string;
  /** The national schema's form, +33…. */
  phone: string;
  /** 'YYYY-MM-DD', or null for the first possible day. */
  slot_date: ColumnType<string | null, string | null, string | null>;
  slot_part: CallbackSlotPart;
  state: ColumnType<CallbackState, CallbackState | undefined, CallbackState>;
  attempts: ColumnType<number, number | undefined, number>;
  consent_at: ColumnType<Date, Date | string, Date | string>;
  created_at: Timestamp;
  due_on: ColumnType<string, string, string>;
  reminded_at: NullableTimestamp;
  closed_at: NullableTimestamp;
}

export type CallbackSlotPart = 'morning' | 'afternoon' | 'any';
export type CallbackState = 'to_call' | 'retry' | 'done' | 'unreachable';

export interface Database {
  app_setting: AppSettingTable;
  structure: StructureTable;
  place: PlaceTable;
  commune_geometry: CommuneGeometryTable;
  place_import: PlaceImportTable;
  place_import_change: PlaceImportChangeTable;
  place_import_upload: PlaceImportUploadTable;
  place_import_mapping: PlaceImportMappingTable;
  place_link: PlaceLinkTable;
  error_report: ErrorReportTable;
  schema_migration: SchemaMigrationTable;
  person: PersonTable;
  membership: MembershipTable;
  session: SessionTable;
  one_time_token: OneTimeTokenTable;
  rate_limit: RateLimitTable;
  app_secret: AppSecretTable;
  audit_log: AuditLogTable;
  mail_outbox: MailOutboxTable;
  job_state: JobStateTable;
  queued_job: QueuedJobTable;
  usage_count: UsageCountTable;
  coverage_weight: CoverageWeightTable;
  join_request: JoinRequestTable;
  place_closure: PlaceClosureTable;
  place_private_contact: PlacePrivateContactTable;
  place_change: PlaceChangeTable;
  freshness_reminder: FreshnessReminderTable;
  place_attach_request: PlaceAttachRequestTable;
  // diagnostic tables (0007)
  diagnostic_version: DiagnosticVersionTable;
  // referrals tables (0008)
  parcours: ParcoursTable;
  orientation: OrientationTable;
  orientation_event: OrientationEventTable;
  orientation_link: OrientationLinkTable;
  // funders (0013)
  funder: FunderTable;
  funder_member: FunderMemberTable;
  funding: FundingTable;
  // network messages (0020)
  network_message: NetworkMessageTable;
  network_message_recipient: NetworkMessageRecipientTable;
  // call-backs (0021)
  callback_request: CallbackRequestTable;
  // pass numérique (0022)
  voucher_programme: VoucherProgrammeTable;
  voucher_programme_place: VoucherProgrammePlaceTable;
  voucher_programme_prescriber: VoucherProgrammePrescriberTable;
  voucher_entry: VoucherEntryTable;
  voucher_booklet: VoucherBookletTable;
  voucher: VoucherTable;
  voucher_seal: VoucherSealTable;
  // the pass numérique's monthly statements (0032)
  voucher_statement: VoucherStatementTable;
  voucher_statement_line: VoucherStatementLineTable;
  voucher_statement_payment: VoucherStatementPaymentTable;
  // activity records (0023)
  activity: ActivityTable;
  activity_participants: ActivityParticipantsTable;
  activity_beneficiary: ActivityBeneficiaryTable;
  activity_beneficiary_link: ActivityBeneficiaryLinkTable;
  coordination_activity: CoordinationActivityTable;
  // the statistics' monthly sums, kept by triggers (0036)
  activity_stats_month: ActivityStatsMonthTable;
  funder_statistics_link: FunderStatisticsLinkTable;
  activity_stats_pending: ActivityStatsPendingTable;
  // coarser activity sums (0042)
  activity_stats_structure_month: ActivityStatsStructureMonthTable;
  activity_stats_network_month: ActivityStatsNetworkMonthTable;
  activity_stats_network_day: ActivityStatsNetworkDayTable;
  activity_stats_structure_day: ActivityStatsStructureDayTable;
  activity_stats_people_day: ActivityStatsPeopleDayTable;
  // the agenda's workshops (0025)
  workshop: WorkshopTable;
  workshop_occurrence: WorkshopOccurrenceTable;
  workshop_registration: WorkshopRegistrationTable;
  // the network's days (0029)
  network_event: NetworkEventTable;
  network_track: NetworkTrackTable;
  network_session: NetworkSessionTable;
  // API tokens of a structure (0024)
  api_token: ApiTokenTable;
  // resource bank (0028)
  resource: ResourceTable;
  resource_file: ResourceFileTable;
  resource_collection: ResourceCollectionTable;
  resource_collection_item: ResourceCollectionItemTable;
  resource_report: ResourceReportTable;
  // volunteers (0030)
  volunteer: VolunteerTable;
  mission: MissionTable;
  mission_match: MissionMatchTable;
  // publication files (0038)
  publication_file: PublicationFileTable;
  publication_run: PublicationRunTable;
  // origin of places read back from national systems (0039)
  national_place_source: NationalPlaceSourceTable;
  // views
  place_merge_hidden: PlaceMergeHiddenView;
}

/** A source whose places were read back from a national system (0039, decision 0055). */
export interface NationalPlaceSourceTable {
  source: string;
  layout: 'national' | 'data-inclusion';
  marked_at: Timestamp;
}

export type Db = Kysely<Database>;
