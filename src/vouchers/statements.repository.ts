import { sql } from 'kysely';
import type { StatementPayee, VoucherStatementScope } from '../db/voucher-statement-rows.ts';
import type { Tx } from './vouchers.repository.ts';

/**
 * SQL of the monthly statements (decision 0045). Statements, their lines and payments are only inserted;
 * the database refuses any change but a statement's settled amount growing, and any deletion but a
 * demonstration programme's.
 */

/** Serialises the issuing of one programme's statements (two servers' jobs, a job and the CLI). */
export async function lockProgrammeStatements(db: Tx, programmeId: string): Promise<void> {
  await sql`select pg_advisory_xact_lock(hashtext(${`voucher_statement:${programmeId}`}))`.execute(db);
}

/** The latest month (first day) of the programme's funder statements, or null. */
export async function lastIssuedMonth(db: Tx, programmeId: string): Promise<string | null> {
  const r = await db
    .selectFrom('voucher_statement')
    .select((eb) => eb.fn.max('month').as('month'))
    .where('programme_id', '=', programmeId)
    .where('scope', '=', 'funder')
    .where('kind', '=', 'statement')
    .executeTakeFirst();
  return (r?.month as string | null | undefined) ?? null;
}

export interface CandidateLine {
  entry_id: number;
  kind: 'redemption' | 'redemption_cancellation';
  voucher_id: string;
  place_id: string;
  structure_id: string;
  amount_cents: number;
  recorded_at: Date;
}

/**
 * What the statements of a month take, for one programme: every redemption recorded before the month's
 * end (Europe/Paris) that no statement took yet and that was not cancelled before that end; and every
 * cancellation recorded before that end of a redemption an earlier statement took (a negative line). A
 * redemption recorded late (its transaction committed after the month's statements) falls into the next.
 */
export async function candidateLines(
  db: Tx,
  programmeId: string,
  endFirstDay: string,
): Promise<CandidateLine[]> {
  return (
    await sql<CandidateLine>`
      with bound as (select (${endFirstDay}::date::timestamp at time zone 'Europe/Paris') as t)
      select r.id as entry_id, 'redemption' as kind, r.voucher_id, r.place_id, r.structure_id,
        r.amount_cents, r.created_at as recorded_at
      from voucher_entry r, bound
      where r.programme_id = ${programmeId} and r.kind = 'redemption' and r.created_at < bound.t
        and not exists (select 1 from voucher_statement_line l where l.entry_id = r.id)
        and not exists (
          select 1 from voucher_entry c where c.cancels_entry_id = r.id and c.created_at < bound.t)
      union all
      select c.id, 'redemption_cancellation', c.voucher_id, l.place_id, r.structure_id,
        -l.amount_cents, c.created_at
      from voucher_entry c
      join voucher_statement_line l on l.entry_id = c.cancels_entry_id
      join voucher_entry r on r.id = c.cancels_entry_id, bound
      where c.programme_id = ${programmeId} and c.kind = 'redemption_cancellation' and c.created_at < bound.t
        and not exists (select 1 from voucher_statement_line l2 where l2.entry_id = c.id)
      order by entry_id`.execute(db)
  ).rows.map((r) => ({ ...r, entry_id: Number(r.entry_id), amount_cents: Number(r.amount_cents) }));
}

export async function insertStatement(
  db: Tx,
  row: {
    programme_id: string;
    scope: VoucherStatementScope;
    month: string;
    place_id: string | null;
    structure_id: string | null;
    payee: StatementPayee;
    total_cents: number;
    line_count: number;
    issued_at: Date;
  },
): Promise<string> {
  const r = await db
    .insertInto('voucher_statement')
    .values({ ...row, payee: JSON.stringify(row.payee) })
    .returning('id')
    .executeTakeFirstOrThrow();
  return r.id;
}

export async function insertStatementLines(
  db: Tx,
  statementId: string,
  programmeId: string,
  lines: readonly CandidateLine[],
): Promise<void> {
  for (let i = 0; i < lines.length; i += 2000)
    await db
      .insertInto('voucher_statement_line')
      .values(
        lines.slice(i, i + 2000).map((l) => ({
          statement_id: statementId,
          programme_id: programmeId,
          entry_id: l.entry_id,
          kind: l.kind,
          voucher_id: l.voucher_id,
          place_id: l.place_id,
          amount_cents: l.amount_cents,
          recorded_at: l.recorded_at,
        })),
      )
      .execute();
}

export interface StatementRow {
  id: string;
  programme_id: string;
  programme_name: string;
  funder_id: string;
  funder_name: string;
  is_demo: boolean;
  kind: 'statement' | 'credit_note';
  scope: VoucherStatementScope;
  month: string;
  place_id: string | null;
  structure_id: string | null;
  payee: StatementPayee;
  total_cents: number;
  line_count: number;
  settled_cents: number;
  issued_at: Date;
}

const statementQuery = (db: Tx) =>
  db
    .selectFrom('voucher_statement as s')
    .innerJoin('voucher_programme as p', 'p.id', 's.programme_id')
    .innerJoin('funder as f', 'f.id', 'p.funder_id')
    .select([
      's.id',
      's.programme_id',
      'p.name as programme_name',
      'p.funder_id',
      'f.name as funder_name',
      'p.is_demo',
      's.kind',
      's.scope',
      's.month',
      's.place_id',
      's.structure_id',
      's.payee',
      's.total_cents',
      's.line_count',
      's.settled_cents',
      's.issued_at',
    ]);

const numeric = (r: StatementRow): StatementRow => ({
  ...r,
  total_cents: Number(r.total_cents),
  settled_cents: Number(r.settled_cents),
});

export async function findStatement(db: Tx, id: string): Promise<StatementRow | undefined> {
  const r = await statementQuery(db).where('s.id', '=', id).executeTakeFirst();
  return r ? numeric(r as StatementRow) : undefined;
}

/** Locks a statement's row for the transaction: payments of one statement queue up. */
export async function lockStatement(
  db: Tx,
  id: string,
): Promise<{ total_cents: number; settled_cents: number }> {
  const r = await db
    .selectFrom('voucher_statement')
    .select(['total_cents', 'settled_cents'])
    .where('id', '=', id)
    .forUpdate()
    .executeTakeFirstOrThrow();
  return { total_cents: Number(r.total_cents), settled_cents: Number(r.settled_cents) };
}

/** Statements of a programme (newest month first, the funder's before its places'), or of structures. */
export async function listStatementRows(
  db: Tx,
  filter: { programmeId?: string; structureIds?: readonly string[]; month?: string },
): Promise<StatementRow[]> {
  if (filter.structureIds && filter.structureIds.length === 0) return [];
  let q = statementQuery(db)
    .orderBy('s.month', 'desc')
    .orderBy('s.scope', 'desc')
    .orderBy(sql`s.payee->>'placeName'`);
  if (filter.programmeId) q = q.where('s.programme_id', '=', filter.programmeId);
  if (filter.structureIds) q = q.where('s.structure_id', 'in', filter.structureIds);
  if (filter.month) q = q.where('s.month', '=', filter.month);
  return (await q.limit(500).execute()).map((r) => numeric(r as StatementRow));
}

export interface StatementLineRow {
  entry_id: number;
  kind: 'redemption' | 'redemption_cancellation' | 'expiry';
  code: string;
  place_id: string | null;
  amount_cents: number;
  recorded_at: Date;
}

export async function statementLines(db: Tx, statementId: string): Promise<StatementLineRow[]> {
  return (
    await db
      .selectFrom('voucher_statement_line as l')
      .innerJoin('voucher as v', 'v.id', 'l.voucher_id')
      .select(['l.entry_id', 'l.kind', 'v.code', 'l.place_id', 'l.amount_cents', 'l.recorded_at'])
      .where('l.statement_id', '=', statementId)
      .orderBy('l.recorded_at')
      .orderBy('l.entry_id')
      .execute()
  ).map((r) => ({ ...r, entry_id: Number(r.entry_id), amount_cents: Number(r.amount_cents) }));
}

export interface StatementPaymentRow {
  id: number;
  amount_cents: number;
  paid_on: string;
  reference: string;
  created_at: Date;
}

export async function statementPayments(db: Tx, statementId: string): Promise<StatementPaymentRow[]> {
  return (
    await db
      .selectFrom('voucher_statement_payment')
      .select(['id', 'amount_cents', 'paid_on', 'reference', 'created_at'])
      .where('statement_id', '=', statementId)
      .orderBy('id')
      .execute()
  ).map((r) => ({ ...r, id: Number(r.id), amount_cents: Number(r.amount_cents) }));
}

export async function insertStatementPayment(
  db: Tx,
  row: {
    statement_id: string;
    programme_id: string;
    funder_id: string;
    amount_cents: number;
    paid_on: string;
    reference: string;
    actor_id: string | null;
    created_at: Date;
  },
): Promise<number> {
  const r = await db
    .insertInto('voucher_statement_payment')
    .values(row)
    .returning('id')
    .executeTakeFirstOrThrow();
  return Number(r.id);
}

export async function addSettled(db: Tx, statementId: string, cents: number): Promise<void> {
  await db
    .updateTable('voucher_statement')
    .set((eb) => ({ settled_cents: eb('settled_cents', '+', cents) }))
    .where('id', '=', statementId)
    .execute();
}

// --- verification (`pass verify`) ---

/**
 * The first broken rule of a programme's statements, in English for the logs, or null: each statement's
 * total is the sum of its lines; settled ≤ owed and = the sum of its payments; each funder's statement is
 * the sum of the places' statements of its month; no voucher is counted twice (the net of its lines is
 * zero or one redemption's amount).
 */
export async function statementProblem(db: Tx, programmeId: string): Promise<string | null> {
  const totals = await sql<{ id: string; total_cents: number; sum: number; line_count: number; n: number }>`
    select s.id, s.total_cents, coalesce(sum(l.amount_cents), 0)::bigint as sum, s.line_count,
      count(l.id)::int as n
    from voucher_statement s left join voucher_statement_line l on l.statement_id = s.id
    where s.programme_id = ${programmeId} and s.scope = 'place'
    group by s.id
    having s.total_cents <> coalesce(sum(l.amount_cents), 0) or s.line_count <> count(l.id)
    limit 1`.execute(db);
  const t = totals.rows[0];
  if (t) return `statement ${t.id}: total ${t.total_cents} ≠ sum of its ${t.n} lines ${t.sum}`;
  const settled = await sql<{ id: string; total_cents: number; settled_cents: number; paid: number }>`
    select s.id, s.total_cents, s.settled_cents, coalesce(sum(p.amount_cents), 0)::bigint as paid
    from voucher_statement s left join voucher_statement_payment p on p.statement_id = s.id
    where s.programme_id = ${programmeId}
    group by s.id
    having s.settled_cents > greatest(s.total_cents, 0) or s.settled_cents <> coalesce(sum(p.amount_cents), 0)
    limit 1`.execute(db);
  const s = settled.rows[0];
  if (s)
    return `statement ${s.id}: settled ${s.settled_cents}, payments ${s.paid}, owed ${Math.max(0, Number(s.total_cents))}`;
  const funder = await sql<{ id: string; total_cents: number; sum: number }>`
    select f.id, f.total_cents, coalesce((select sum(x.total_cents) from voucher_statement x
      where x.programme_id = f.programme_id and x.kind = f.kind and x.month = f.month and x.scope = 'place'), 0)::bigint as sum
    from voucher_statement f
    where f.programme_id = ${programmeId} and f.scope = 'funder' and f.kind = 'statement'
      and f.total_cents <> coalesce((select sum(x.total_cents) from voucher_statement x
        where x.programme_id = f.programme_id and x.kind = f.kind and x.month = f.month and x.scope = 'place'), 0)
    limit 1`.execute(db);
  const f = funder.rows[0];
  if (f) return `funder statement ${f.id}: total ${f.total_cents} ≠ sum of the places' statements ${f.sum}`;
  const orphan = await sql<{ id: string; month: string }>`
    select x.id, x.month from voucher_statement x
    where x.programme_id = ${programmeId} and x.scope = 'place' and not exists (
      select 1 from voucher_statement f where f.programme_id = x.programme_id and f.scope = 'funder'
        and f.kind = x.kind and f.month = x.month)
    limit 1`.execute(db);
  const o = orphan.rows[0];
  if (o) return `statement ${o.id} of ${o.month} has no funder statement`;
  const twice = await sql<{ voucher_id: string; net: number }>`
    select l.voucher_id, sum(l.amount_cents)::bigint as net
    from voucher_statement_line l join voucher_programme p on p.id = l.programme_id
    where l.programme_id = ${programmeId} and l.kind <> 'expiry'
    group by l.voucher_id, p.face_value_cents
    having sum(l.amount_cents) not in (0, p.face_value_cents)
    limit 1`.execute(db);
  const v = twice.rows[0];
  if (v) return `voucher ${v.voucher_id} is counted ${v.net} cents net in the statements`;
  const foreign = await sql<{ entry_id: number }>`
    select l.entry_id from voucher_statement_line l join voucher_entry e on e.id = l.entry_id
    where l.programme_id = ${programmeId}
      and (e.programme_id <> l.programme_id or e.kind <> l.kind or e.voucher_id <> l.voucher_id
        or (l.kind = 'redemption' and (e.amount_cents <> l.amount_cents or e.place_id <> l.place_id))
        or (l.kind = 'expiry' and e.amount_cents <> l.amount_cents))
    limit 1`.execute(db);
  const e = foreign.rows[0];
  if (e) return `statement line of entry ${e.entry_id} does not match its entry`;
  return null;
}

/** Owed and settled over a programme's places' statements, for the report. */
export async function statementTotals(
  db: Tx,
  programmeId: string,
): Promise<{ statements: number; owed_cents: number; settled_cents: number }> {
  const r = await sql<{ statements: number; owed_cents: number; settled_cents: number }>`
    select count(*)::int as statements, coalesce(sum(greatest(total_cents, 0)), 0)::bigint as owed_cents,
      coalesce(sum(settled_cents), 0)::bigint as settled_cents
    from voucher_statement where programme_id = ${programmeId} and scope = 'place'`.execute(db);
  const row = r.rows[0];
  return {
    statements: Number(row?.statements ?? 0),
    owed_cents: Number(row?.owed_cents ?? 0),
    settled_cents: Number(row?.settled_cents ?? 0),
  };
}
