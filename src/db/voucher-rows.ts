import type { ColumnType, Generated, GeneratedAlways, JSONColumnType } from 'kysely';

/**
 * Row types of the pass numérique's ledger (migrations 0022, 0033; decisions 0037, 0050), beside
 * database.ts which names them in `Database`. Keep them in step with the SQL.
 */
type Timestamp = ColumnType<Date, Date | string | undefined, Date | string>;
type NullableTimestamp = ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;
type TextArray = ColumnType<string[], string[] | undefined, string[]>;
/** A funder's pass numérique programme (0022, decision 0037). */
export interface VoucherProgrammeTable {
  id: Generated<string>;
  funder_id: string;
  name: string;
  face_value_cents: number;
  booklet_size: number;
  /** 'YYYY-MM-DD'. */
  valid_from: ColumnType<string, string, string>;
  valid_until: ColumnType<string, string, string>;
  grace_days: ColumnType<number, number | undefined, number>;
  perimeter: string;
  publics: TextArray;
  /** bigint, read as a number by the driver (create-db.ts). */
  budget_cents: number;
  confirmed_at: NullableTimestamp;
  confirmed_by: ColumnType<string | null, string | null | undefined, string | null>;
  created_by: ColumnType<string | null, string | null | undefined, string | null>;
  is_demo: ColumnType<boolean, boolean | undefined, boolean>;
  created_at: Timestamp;
  updated_at: Timestamp;
  /** When the prescribers were told distribution is closed (0033, decision 0050): once. */
  distribution_closed_notice_at: NullableTimestamp;
}

export interface VoucherProgrammePlaceTable {
  programme_id: string;
  place_id: string;
  structure_id: string;
  created_at: Timestamp;
}

export interface VoucherProgrammePrescriberTable {
  programme_id: string;
  structure_id: string;
  created_at: Timestamp;
}

export type VoucherEntryKind =
  | 'emission'
  | 'payment'
  | 'allocation'
  | 'distribution'
  | 'booklet_cancellation'
  | 'redemption'
  | 'redemption_cancellation'
  /** A voucher unused after the grace period (0033, decision 0050). */
  | 'expiry';

/** The append-only ledger of the pass numérique (0022): one fact per row, never changed. */
export interface VoucherEntryTable {
  /** bigint identity, read as a number by the driver (create-db.ts); safe below 2^53. */
  id: GeneratedAlways<number>;
  programme_id: string;
  kind: VoucherEntryKind;
  booklet_id: string | null;
  voucher_id: string | null;
  structure_id: string | null;
  place_id: string | null;
  amount_cents: ColumnType<number | null, number | null | undefined, never>;
  reference: string | null;
  pays_entry_id: number | null;
  cancels_entry_id: number | null;
  /** 'redemption' when the entry cancels one (generated: the foreign key compares kinds). */
  cancels_kind: GeneratedAlways<string | null>;
  previous_redemption_id: number | null;
  idempotency_key: string | null;
  actor_id: string | null;
  details: JSONColumnType<Record<string, unknown>, string | undefined, never>;
  created_at: ColumnType<Date, Date | string | undefined, never>;
}

export interface VoucherBookletTable {
  id: Generated<string>;
  programme_id: string;
  emission_entry_id: number;
  number: number;
  created_at: ColumnType<Date, Date | string | undefined, never>;
}

export interface VoucherTable {
  id: Generated<string>;
  programme_id: string;
  booklet_id: string;
  position: number;
  code: string;
}

export interface VoucherSealTable {
  programme_id: string;
  position: number;
  entry_id: number;
  previous_hash: string;
  hash: string;
  sealed_at: ColumnType<Date, Date | string | undefined, never>;
}
