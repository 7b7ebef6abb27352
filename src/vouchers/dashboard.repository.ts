import { type RawBuilder, sql } from 'kysely';
import type { Tx } from './vouchers.repository.ts';

/**
 * SQL of the pass numérique's dashboards (decision 0051): counts and sums of the ledger's facts and of
 * the statements, grouped by month (Europe/Paris), commune of residence, place, prescriber or need. Every
 * query returns aggregates only: never a voucher's code, never a booklet, never one person's facts.
 * A redemption counts while it stands (no cancellation names it): `left join … x.cancels_entry_id`.
 */

/** Which facts a query reads: some programmes, optionally only some structures' booklets or places. */
export interface DashboardScope {
  programmeIds: readonly string[];
  /** Prescribers' booklets (allocated to them) or places' redemptions (their structure). */
  structureIds?: readonly string[];
}

export interface Range {
  start: Date;
  end: Date;
}

const MONTH = (column: RawBuilder<unknown>) =>
  sql<string>`to_char(${column} at time zone 'Europe/Paris', 'YYYY-MM')`;

const inList = (ids: readonly string[]) => sql.join(ids.map((id) => sql`${id}`));

const programmesOf = (alias: string, scope: DashboardScope) =>
  sql`${sql.ref(`${alias}.programme_id`)} in (${inList(scope.programmeIds)})`;

const during = (column: string, range: Range) =>
  sql`${sql.ref(column)} >= ${range.start} and ${sql.ref(column)} < ${range.end}`;

export interface FlowMonthRow {
  month: string;
  emitted: number;
  emitted_cents: number;
  paid: number;
  paid_cents: number;
  allocated: number;
  distributed: number;
  redeemed: number;
  redeemed_cents: number;
  /** Vouchers expired at the end of validity (decision 0050), in the month the expiry was written. */
  expired: number;
}

/**
 * The ledger's flows by month: vouchers emitted, paid for by the funder, allocated to prescribers (in
 * booklets), handed to people, redeemed (still standing), with their amounts.
 */
export async function flowsByMonth(db: Tx, scope: DashboardScope, range: Range): Promise<FlowMonthRow[]> {
  if (scope.programmeIds.length === 0) return [];
  const r = await sql<FlowMonthRow>`
    select ${MONTH(sql`e.created_at`)} as month,
      coalesce(sum(e.amount_cents / p.face_value_cents) filter (where e.kind = 'emission'), 0)::int as emitted,
      coalesce(sum(e.amount_cents) filter (where e.kind = 'emission'), 0)::bigint as emitted_cents,
      coalesce(sum(e.amount_cents / p.face_value_cents) filter (where e.kind = 'payment'), 0)::int as paid,
      coalesce(sum(e.amount_cents) filter (where e.kind = 'payment'), 0)::bigint as paid_cents,
      coalesce(sum(p.booklet_size) filter (where e.kind = 'allocation'), 0)::int as allocated,
      coalesce(sum(p.booklet_size) filter (where e.kind = 'distribution'), 0)::int as distributed,
      count(*) filter (where e.kind = 'redemption' and x.id is null)::int as redeemed,
      coalesce(sum(e.amount_cents) filter (where e.kind = 'redemption' and x.id is null), 0)::bigint
        as redeemed_cents,
      count(*) filter (where e.kind = 'expiry')::int as expired
    from voucher_entry e
    join voucher_programme p on p.id = e.programme_id
    left join voucher_entry x on x.cancels_entry_id = e.id
    where ${programmesOf('e', scope)} and ${during('e.created_at', range)}
      and e.kind in ('emission', 'payment', 'allocation', 'distribution', 'redemption', 'expiry')
    group by 1 order by 1`.execute(db);
  return r.rows.map((row) => ({
    ...row,
    emitted_cents: Number(row.emitted_cents),
    paid_cents: Number(row.paid_cents),
    redeemed_cents: Number(row.redeemed_cents),
  }));
}

export interface BookletMonthRow {
  month: string;
  received: number;
  distributed: number;
  started: number;
  fully_used: number;
}

/**
 * Booklets by month: allocated (received by a prescriber), handed to a person, started (the month of
 * their first redemption still standing) and fully used (the month of the redemption that used their
 * last voucher). With `structureIds`, only the booklets allocated to those prescribers.
 */
export async function bookletsByMonth(
  db: Tx,
  scope: DashboardScope,
  range: Range,
): Promise<BookletMonthRow[]> {
  if (scope.programmeIds.length === 0 || scope.structureIds?.length === 0) return [];
  const mine = scope.structureIds
    ? sql`and exists (select 1 from voucher_entry a where a.booklet_id = b.booklet_id and a.kind = 'allocation'
        and a.structure_id in (${inList(scope.structureIds)}))`
    : sql``;
  const r = await sql<BookletMonthRow>`
    with hands as (
      select e.booklet_id, e.kind, e.created_at from voucher_entry e
      where ${programmesOf('e', scope)} and e.kind in ('allocation', 'distribution')
    ),
    used as (
      select r.booklet_id, min(r.created_at) as first_at, max(r.created_at) as last_at, count(*) as n,
        max(p.booklet_size) as size
      from voucher_entry r
      join voucher_programme p on p.id = r.programme_id
      left join voucher_entry x on x.cancels_entry_id = r.id
      where ${programmesOf('r', scope)} and r.kind = 'redemption' and x.id is null
      group by r.booklet_id
    ),
    facts as (
      select b.booklet_id, case when b.kind = 'allocation' then 'received' else 'distributed' end as what,
        b.created_at as at from hands b where true ${mine}
      union all
      select b.booklet_id, 'started', b.first_at from used b where true ${mine}
      union all
      select b.booklet_id, 'fully_used', b.last_at from used b where b.n >= b.size ${mine}
    )
    select ${MONTH(sql`at`)} as month,
      count(*) filter (where what = 'received')::int as received,
      count(*) filter (where what = 'distributed')::int as distributed,
      count(*) filter (where what = 'started')::int as started,
      count(*) filter (where what = 'fully_used')::int as fully_used
    from facts where ${during('at', range)}
    group by 1 order by 1`.execute(db);
  return r.rows;
}

export interface StatementMonthRow {
  month: string;
  statements: number;
  paid_statements: number;
  owed_cents: number;
  settled_cents: number;
}

/**
 * The places' monthly statements (kind `statement`) of the months from `fromMonth` to `toMonth` ('YYYY-MM'):
 * how many, how many paid in full, what is owed (a negative total owes nothing) and what was settled.
 */
export async function statementsByMonth(
  db: Tx,
  scope: DashboardScope,
  fromMonth: string,
  toMonth: string,
): Promise<StatementMonthRow[]> {
  if (scope.programmeIds.length === 0 || scope.structureIds?.length === 0) return [];
  const mine = scope.structureIds ? sql`and s.structure_id in (${inList(scope.structureIds)})` : sql``;
  const r = await sql<StatementMonthRow>`
    select to_char(s.month, 'YYYY-MM') as month, count(*)::int as statements,
      count(*) filter (where s.settled_cents >= greatest(s.total_cents, 0))::int as paid_statements,
      coalesce(sum(greatest(s.total_cents, 0)), 0)::bigint as owed_cents,
      coalesce(sum(s.settled_cents), 0)::bigint as settled_cents
    from voucher_statement s
    where ${programmesOf('s', scope)} and s.scope = 'place' and s.kind = 'statement'
      and s.month >= ${`${fromMonth}-01`}::date and s.month <= ${`${toMonth}-01`}::date ${mine}
    group by 1 order by 1`.execute(db);
  return r.rows.map((row) => ({
    ...row,
    owed_cents: Number(row.owed_cents),
    settled_cents: Number(row.settled_cents),
  }));
}

export interface CommuneRow {
  code: string;
  name: string;
  booklets: number;
  vouchers: number;
  redeemed: number;
}

/**
 * By commune of residence as the prescriber recorded it at hand-over (optional: '' when not given):
 * booklets and vouchers handed out in the period, and vouchers of those communes' booklets redeemed in
 * the period. Only the commune is read from the hand-over, never anything else.
 */
export async function byCommune(db: Tx, scope: DashboardScope, range: Range): Promise<CommuneRow[]> {
  if (scope.programmeIds.length === 0) return [];
  const r = await sql<CommuneRow>`
    with handed as (
      select coalesce(d.details->>'communeCode', '') as code, coalesce(d.details->>'communeName', '') as name,
        count(*)::int as booklets, sum(p.booklet_size)::int as vouchers
      from voucher_entry d join voucher_programme p on p.id = d.programme_id
      where ${programmesOf('d', scope)} and d.kind = 'distribution' and ${during('d.created_at', range)}
      group by 1, 2
    ),
    redeemed as (
      select coalesce(d.details->>'communeCode', '') as code, coalesce(d.details->>'communeName', '') as name,
        count(*)::int as redeemed
      from voucher_entry r
      left join voucher_entry x on x.cancels_entry_id = r.id
      join voucher_entry d on d.booklet_id = r.booklet_id and d.kind = 'distribution'
      where ${programmesOf('r', scope)} and r.kind = 'redemption' and x.id is null
        and ${during('r.created_at', range)}
      group by 1, 2
    )
    select coalesce(h.code, x.code) as code, coalesce(h.name, x.name) as name,
      coalesce(h.booklets, 0)::int as booklets, coalesce(h.vouchers, 0)::int as vouchers,
      coalesce(x.redeemed, 0)::int as redeemed
    from handed h full join redeemed x on x.code = h.code and x.name = h.name
    order by 4 desc, 5 desc, 2`.execute(db);
  return r.rows;
}

export interface PlaceRow {
  place_id: string;
  name: string;
  redeemed: number;
  redeemed_cents: number;
}

/** Redemptions still standing in the period, by place (its name as recorded at redemption). */
export async function byPlace(db: Tx, scope: DashboardScope, range: Range): Promise<PlaceRow[]> {
  if (scope.programmeIds.length === 0 || scope.structureIds?.length === 0) return [];
  const mine = scope.structureIds ? sql`and r.structure_id in (${inList(scope.structureIds)})` : sql``;
  const r = await sql<PlaceRow>`
    select r.place_id, max(r.details->>'placeName') as name, count(*)::int as redeemed,
      sum(r.amount_cents)::bigint as redeemed_cents
    from voucher_entry r left join voucher_entry x on x.cancels_entry_id = r.id
    where ${programmesOf('r', scope)} and r.kind = 'redemption' and x.id is null
      and ${during('r.created_at', range)} ${mine}
    group by r.place_id order by 3 desc, 2`.execute(db);
  return r.rows.map((row) => ({ ...row, redeemed_cents: Number(row.redeemed_cents) }));
}

export interface PlaceMonthRow {
  month: string;
  redeemed: number;
  redeemed_cents: number;
}

/** Redemptions still standing at some structures' places, by month. */
export async function placeRedemptionsByMonth(
  db: Tx,
  scope: DashboardScope & { structureIds: readonly string[] },
  range: Range,
): Promise<PlaceMonthRow[]> {
  if (scope.programmeIds.length === 0 || scope.structureIds.length === 0) return [];
  const r = await sql<PlaceMonthRow>`
    select ${MONTH(sql`r.created_at`)} as month, count(*)::int as redeemed,
      sum(r.amount_cents)::bigint as redeemed_cents
    from voucher_entry r left join voucher_entry x on x.cancels_entry_id = r.id
    where ${programmesOf('r', scope)} and r.kind = 'redemption' and x.id is null
      and ${during('r.created_at', range)} and r.structure_id in (${inList(scope.structureIds)})
    group by 1 order by 1`.execute(db);
  return r.rows.map((row) => ({ ...row, redeemed_cents: Number(row.redeemed_cents) }));
}

export interface PrescriberRow {
  structure_id: string;
  name: string;
  allocated: number;
  distributed: number;
}

/** Booklets allocated to and handed out by each prescriber in the period (its name as at allocation). */
export async function byPrescriber(db: Tx, scope: DashboardScope, range: Range): Promise<PrescriberRow[]> {
  if (scope.programmeIds.length === 0) return [];
  const r = await sql<PrescriberRow>`
    select e.structure_id, max(a.details->>'structureName') as name,
      count(*) filter (where e.kind = 'allocation')::int as allocated,
      count(*) filter (where e.kind = 'distribution')::int as distributed
    from voucher_entry e
    join voucher_entry a on a.booklet_id = e.booklet_id and a.kind = 'allocation'
    where ${programmesOf('e', scope)} and e.kind in ('allocation', 'distribution')
      and ${during('e.created_at', range)}
    group by e.structure_id order by 4 desc, 3 desc, 2`.execute(db);
  return r.rows;
}

/**
 * What the vouchers paid for: the needs the place ticked at redemption (one redemption may name several),
 * counted over the redemptions still standing in the period.
 */
export async function byNeed(
  db: Tx,
  scope: DashboardScope,
  range: Range,
): Promise<{ need: string; n: number }[]> {
  if (scope.programmeIds.length === 0) return [];
  const r = await sql<{ need: string; n: number }>`
    select need, count(*)::int as n
    from voucher_entry r
    left join voucher_entry x on x.cancels_entry_id = r.id
    cross join lateral jsonb_array_elements_text(
      case when jsonb_typeof(r.details->'needs') = 'array' then r.details->'needs' else '[]'::jsonb end
    ) as need
    where ${programmesOf('r', scope)} and r.kind = 'redemption' and x.id is null
      and ${during('r.created_at', range)}
    group by 1 order by 2 desc, 1`.execute(db);
  return r.rows;
}

export interface HandOutRow {
  programme_id: string;
  programme_name: string;
  valid_until: string;
  booklets: number;
}

/** Booklets allocated to some prescribers and not yet handed out nor cancelled, by programme. */
export async function bookletsToHandOutByProgramme(
  db: Tx,
  structureIds: readonly string[],
): Promise<HandOutRow[]> {
  if (structureIds.length === 0) return [];
  const r = await sql<HandOutRow>`
    select p.id as programme_id, p.name as programme_name, to_char(p.valid_until, 'YYYY-MM-DD') as valid_until,
      count(*)::int as booklets
    from voucher_entry a join voucher_programme p on p.id = a.programme_id
    where a.kind = 'allocation' and a.structure_id in (${inList(structureIds)})
      and not exists (select 1 from voucher_entry e where e.booklet_id = a.booklet_id
        and e.kind in ('distribution', 'booklet_cancellation'))
    group by p.id, p.name, p.valid_until order by p.valid_until, p.name`.execute(db);
  return r.rows;
}

export interface UnpaidStatementRow {
  id: string;
  programme_name: string;
  month: string;
  place_name: string;
  remaining_cents: number;
}

/**
 * Places' statements issued and not paid in full (oldest month first), of some funders' programmes, or
 * of every programme (`funderIds` null): with their total count.
 */
export async function unpaidStatements(
  db: Tx,
  funderIds: readonly string[] | null,
  limit: number,
): Promise<{ total: number; rows: UnpaidStatementRow[] }> {
  if (funderIds?.length === 0) return { total: 0, rows: [] };
  const funders = funderIds ? sql`and p.funder_id in (${inList(funderIds)})` : sql``;
  const where = sql`s.scope = 'place' and s.kind = 'statement'
    and s.settled_cents < greatest(s.total_cents, 0) ${funders}`;
  const rows = await sql<UnpaidStatementRow>`
    select s.id, p.name as programme_name, to_char(s.month, 'YYYY-MM') as month,
      coalesce(s.payee->>'placeName', '') as place_name,
      (greatest(s.total_cents, 0) - s.settled_cents)::bigint as remaining_cents
    from voucher_statement s join voucher_programme p on p.id = s.programme_id
    where ${where} order by s.month, place_name limit ${limit}`.execute(db);
  const total = await sql<{ n: number }>`
    select count(*)::int as n from voucher_statement s join voucher_programme p on p.id = s.programme_id
    where ${where}`.execute(db);
  return {
    total: total.rows[0]?.n ?? 0,
    rows: rows.rows.map((row) => ({ ...row, remaining_cents: Number(row.remaining_cents) })),
  };
}

export interface CreditNoteRow {
  id: string;
  programme_id: string;
  programme_name: string;
  total_cents: number;
  issued_at: Date;
}

/**
 * Credit notes (end of validity, decision 0050) drawn up since `since`, newest first, of some funders'
 * programmes or of every programme (`funderIds` null).
 */
export async function recentCreditNotes(
  db: Tx,
  funderIds: readonly string[] | null,
  since: Date,
): Promise<CreditNoteRow[]> {
  if (funderIds?.length === 0) return [];
  const funders = funderIds ? sql`and p.funder_id in (${inList(funderIds)})` : sql``;
  const r = await sql<CreditNoteRow>`
    select s.id, p.id as programme_id, p.name as programme_name, s.total_cents::bigint as total_cents, s.issued_at
    from voucher_statement s join voucher_programme p on p.id = s.programme_id
    where s.kind = 'credit_note' and s.issued_at >= ${since} ${funders}
    order by s.issued_at desc limit 5`.execute(db);
  return r.rows.map((row) => ({ ...row, total_cents: Number(row.total_cents) }));
}

/** Redemptions still standing at some structures' places that no statement took yet: count and sum. */
export async function redemptionsAwaitingStatement(
  db: Tx,
  structureIds: readonly string[],
): Promise<{ n: number; cents: number }> {
  if (structureIds.length === 0) return { n: 0, cents: 0 };
  const r = await sql<{ n: number; cents: number }>`
    select count(*)::int as n, coalesce(sum(r.amount_cents), 0)::bigint as cents
    from voucher_entry r left join voucher_entry x on x.cancels_entry_id = r.id
    where r.kind = 'redemption' and x.id is null and r.structure_id in (${inList(structureIds)})
      and not exists (select 1 from voucher_statement_line l where l.entry_id = r.id)`.execute(db);
  return { n: r.rows[0]?.n ?? 0, cents: Number(r.rows[0]?.cents ?? 0) };
}

/** The programmes some structures take part in as prescribers, or through a qualified place. */
export async function programmesOfStructures(
  db: Tx,
  structureIds: readonly string[],
  as: 'prescriber' | 'place',
): Promise<string[]> {
  if (structureIds.length === 0) return [];
  const r =
    as === 'prescriber'
      ? await sql<{ id: string }>`select distinct programme_id as id from voucher_programme_prescriber
          where structure_id in (${inList(structureIds)})`.execute(db)
      : await sql<{ id: string }>`select distinct programme_id as id from voucher_programme_place
          where structure_id in (${inList(structureIds)})`.execute(db);
  return r.rows.map((row) => row.id);
}
