import type { ColumnType, Generated, GeneratedAlways, JSONColumnType } from 'kysely';

/**
 * Row types of the pass numérique's monthly statements (migration 0032, decision 0045), beside
 * database.ts which names them in `Database`. Keep them in step with the SQL.
 */
type Issued = ColumnType<Date, Date | string | undefined, never>;

export type VoucherStatementKind = 'statement' | 'credit_note';
export type VoucherStatementScope = 'place' | 'funder';

/** Who a place's statement is paid to, copied when it is issued (no bank details). */
export interface StatementPayee {
  structureName?: string;
  siret?: string | null;
  publicBody?: boolean;
  placeName?: string;
  commune?: string;
  funderName?: string;
}

export interface VoucherStatementTable {
  id: Generated<string>;
  programme_id: string;
  kind: ColumnType<VoucherStatementKind, VoucherStatementKind | undefined, never>;
  scope: ColumnType<VoucherStatementScope, VoucherStatementScope, never>;
  /** The month's first day ('YYYY-MM-01'). */
  month: ColumnType<string, string, never>;
  place_id: ColumnType<string | null, string | null | undefined, never>;
  structure_id: ColumnType<string | null, string | null | undefined, never>;
  payee: JSONColumnType<StatementPayee, string, never>;
  total_cents: ColumnType<number, number, never>;
  line_count: ColumnType<number, number, never>;
  /** Only ever grows, by a payment (the database refuses any other change). */
  settled_cents: ColumnType<number, number | undefined, number>;
  issued_at: Issued;
}

export interface VoucherStatementLineTable {
  id: GeneratedAlways<number>;
  statement_id: string;
  programme_id: string;
  entry_id: number;
  /** 'expiry': a credit note's line (migration 0033, decision 0050), without a place. */
  kind: 'redemption' | 'redemption_cancellation' | 'expiry';
  voucher_id: string;
  place_id: string | null;
  amount_cents: number;
  recorded_at: ColumnType<Date, Date | string, never>;
}

export interface VoucherStatementPaymentTable {
  id: GeneratedAlways<number>;
  statement_id: string;
  programme_id: string;
  funder_id: string;
  amount_cents: number;
  paid_on: ColumnType<string, string, never>;
  reference: string;
  actor_id: string | null;
  created_at: Issued;
}
