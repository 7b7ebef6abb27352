import { sql } from 'kysely';
import type { Tx } from './vouchers.repository.ts';

/**
 * SQL of the end of validity (decision 0050): expiries are ledger entries (append-only), the credit note
 * is a statement of kind 'credit_note' whose lines name them (decision 0045's tables).
 */

export interface CalendarProgrammeRow {
  id: string;
  name: string;
  valid_until: string;
  grace_days: number;
  is_demo: boolean;
  distribution_closed_notice_at: Date | null;
  credit_note_id: string | null;
}

/** Confirmed programmes whose distribution stop has come (`stopBefore`: today + the stop's days). */
export async function programmesOnCalendar(db: Tx, untilAtMost: string): Promise<CalendarProgrammeRow[]> {
  return (
    await sql<CalendarProgrammeRow>`
      select p.id, p.name, to_char(p.valid_until, 'YYYY-MM-DD') as valid_until, p.grace_days, p.is_demo,
        p.distribution_closed_notice_at,
        (select s.id from voucher_statement s where s.programme_id = p.id and s.kind = 'credit_note') as credit_note_id
      from voucher_programme p
      where p.confirmed_at is not null and p.valid_until <= ${untilAtMost}::date
      order by p.valid_until, p.id`.execute(db)
  ).rows;
}

/** Marks the prescribers told, once: true for the one caller that marked it. */
export async function markDistributionNotice(db: Tx, programmeId: string, at: Date): Promise<boolean> {
  const r = await db
    .updateTable('voucher_programme')
    .set({ distribution_closed_notice_at: at })
    .where('id', '=', programmeId)
    .where('distribution_closed_notice_at', 'is', null)
    .returning('id')
    .executeTakeFirst();
  return r !== undefined;
}

/** A programme's prescribers and how many of the booklets confided to each were neither handed out nor cancelled. */
export async function prescribersWithBookletsLeft(
  db: Tx,
  programmeId: string,
): Promise<{ structure_id: string; not_handed_out: number }[]> {
  return (
    await sql<{ structure_id: string; not_handed_out: number }>`
      select pr.structure_id, count(a.id)::int as not_handed_out
      from voucher_programme_prescriber pr
      left join voucher_entry a on a.programme_id = pr.programme_id and a.kind = 'allocation'
        and a.structure_id = pr.structure_id
        and not exists (select 1 from voucher_entry x where x.booklet_id = a.booklet_id
          and x.kind in ('distribution', 'booklet_cancellation'))
      where pr.programme_id = ${programmeId}
      group by pr.structure_id
      order by pr.structure_id`.execute(db)
  ).rows.map((r) => ({ ...r, not_handed_out: Number(r.not_handed_out) }));
}

/**
 * The programme's expiry lock: exclusive here, shared by every redemption (the database's trigger), so
 * an expiry is written while no redemption of the programme is in flight.
 */
export async function lockProgrammeExpiry(db: Tx, programmeId: string): Promise<void> {
  await sql`select pg_advisory_xact_lock(hashtext(${`voucher_expiry:${programmeId}`}))`.execute(db);
}

export async function findCreditNote(
  db: Tx,
  programmeId: string,
): Promise<{ id: string; issued_at: Date; total_cents: number; line_count: number } | undefined> {
  const r = await db
    .selectFrom('voucher_statement')
    .select(['id', 'issued_at', 'total_cents', 'line_count'])
    .where('programme_id', '=', programmeId)
    .where('kind', '=', 'credit_note')
    .executeTakeFirst();
  return r ? { ...r, total_cents: Number(r.total_cents), line_count: Number(r.line_count) } : undefined;
}

/**
 * Writes one expiry entry for every voucher of the programme without a redemption not cancelled and not
 * expired yet, at the face value; returns how many.
 */
export async function insertExpiries(
  db: Tx,
  programmeId: string,
  at: Date,
  lastRecordingDay: string,
): Promise<number> {
  const r = await sql<{ n: number }>`
    with inserted as (
      insert into voucher_entry (programme_id, kind, voucher_id, amount_cents, details, created_at)
      select v.programme_id, 'expiry', v.id, p.face_value_cents,
        jsonb_build_object('lastRecordingDay', ${lastRecordingDay}::text), ${at}::timestamptz
      from voucher v
      join voucher_programme p on p.id = v.programme_id
      join voucher_booklet b on b.id = v.booklet_id
      where v.programme_id = ${programmeId}
        and not exists (select 1 from voucher_entry r where r.voucher_id = v.id and r.kind = 'redemption'
          and not exists (select 1 from voucher_entry c where c.cancels_entry_id = r.id))
        and not exists (select 1 from voucher_entry x where x.voucher_id = v.id and x.kind = 'expiry')
      order by b.number, v.position
      returning id)
    select count(*)::int as n from inserted`.execute(db);
  return Number(r.rows[0]?.n ?? 0);
}

export interface ExpiryLine {
  entry_id: number;
  voucher_id: string;
  amount_cents: number;
  recorded_at: Date;
}

/** The expiries a credit note covers: of vouchers whose emission the funder paid, not on a line yet. */
export async function creditNoteCandidates(db: Tx, programmeId: string): Promise<ExpiryLine[]> {
  return (
    await sql<ExpiryLine>`
      select e.id as entry_id, e.voucher_id, e.amount_cents, e.created_at as recorded_at
      from voucher_entry e
      join voucher v on v.id = e.voucher_id
      join voucher_booklet b on b.id = v.booklet_id
      where e.programme_id = ${programmeId} and e.kind = 'expiry'
        and exists (select 1 from voucher_entry pay where pay.kind = 'payment' and pay.pays_entry_id = b.emission_entry_id)
        and not exists (select 1 from voucher_statement_line l where l.entry_id = e.id)
      order by e.id`.execute(db)
  ).rows.map((r) => ({ ...r, entry_id: Number(r.entry_id), amount_cents: Number(r.amount_cents) }));
}

export async function insertCreditNote(
  db: Tx,
  row: {
    programme_id: string;
    month: string;
    funderName: string;
    total_cents: number;
    lines: readonly ExpiryLine[];
    issued_at: Date;
  },
): Promise<string> {
  const { id } = await db
    .insertInto('voucher_statement')
    .values({
      programme_id: row.programme_id,
      kind: 'credit_note',
      scope: 'funder',
      month: row.month,
      place_id: null,
      structure_id: null,
      payee: JSON.stringify({ funderName: row.funderName }),
      total_cents: row.total_cents,
      line_count: row.lines.length,
      issued_at: row.issued_at,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  for (let i = 0; i < row.lines.length; i += 2000)
    await db
      .insertInto('voucher_statement_line')
      .values(
        row.lines.slice(i, i + 2000).map((l) => ({
          statement_id: id,
          programme_id: row.programme_id,
          entry_id: l.entry_id,
          kind: 'expiry' as const,
          voucher_id: l.voucher_id,
          place_id: null,
          amount_cents: l.amount_cents,
          recorded_at: l.recorded_at,
        })),
      )
      .execute();
  return id;
}

export interface ClosingFactsRow {
  emitted: number;
  paid: number;
  allocated: number;
  distributed: number;
  cancelled: number;
  started_booklets: number;
  booklets: number;
  redeemed: number;
  expired: number;
  expired_not_distributed: number;
  expired_distributed: number;
  expired_cancelled: number;
  expired_unpaid: number;
  paid_cents: number;
}

/**
 * The figures of a programme's end: booklets emitted, handed to a prescriber, to a person, cancelled,
 * started (at least one voucher redeemed); vouchers redeemed (not cancelled) and expired, the expired
 * ones by how far their booklet went; what the funder paid.
 */
export async function closingFacts(db: Tx, programmeId: string): Promise<ClosingFactsRow> {
  const r = await sql<ClosingFactsRow>`
    with bk as (
      select b.id,
        exists (select 1 from voucher_entry pay where pay.kind = 'payment' and pay.pays_entry_id = b.emission_entry_id) as paid,
        exists (select 1 from voucher_entry e where e.booklet_id = b.id and e.kind = 'allocation') as allocated,
        exists (select 1 from voucher_entry e where e.booklet_id = b.id and e.kind = 'distribution') as distributed,
        exists (select 1 from voucher_entry e where e.booklet_id = b.id and e.kind = 'booklet_cancellation') as cancelled
      from voucher_booklet b where b.programme_id = ${programmeId}
    ), vs as (
      select v.id, v.booklet_id,
        exists (select 1 from voucher_entry r where r.voucher_id = v.id and r.kind = 'redemption'
          and not exists (select 1 from voucher_entry c where c.cancels_entry_id = r.id)) as redeemed,
        exists (select 1 from voucher_entry x where x.voucher_id = v.id and x.kind = 'expiry') as expired
      from voucher v where v.programme_id = ${programmeId}
    )
    select
      (select count(*) from vs)::int as emitted,
      (select count(*) from bk)::int as booklets,
      (select count(*) from bk where paid)::int as paid,
      (select count(*) from bk where allocated)::int as allocated,
      (select count(*) from bk where distributed)::int as distributed,
      (select count(*) from bk where cancelled)::int as cancelled,
      (select count(distinct vs.booklet_id) from vs where vs.redeemed)::int as started_booklets,
      (select count(*) from vs where redeemed)::int as redeemed,
      (select count(*) from vs where expired)::int as expired,
      (select count(*) from vs join bk on bk.id = vs.booklet_id where vs.expired and not bk.cancelled and not bk.distributed)::int as expired_not_distributed,
      (select count(*) from vs join bk on bk.id = vs.booklet_id where vs.expired and not bk.cancelled and bk.distributed)::int as expired_distributed,
      (select count(*) from vs join bk on bk.id = vs.booklet_id where vs.expired and bk.cancelled)::int as expired_cancelled,
      (select count(*) from vs join bk on bk.id = vs.booklet_id where vs.expired and not bk.paid)::int as expired_unpaid,
      coalesce((select sum(amount_cents) from voucher_entry where programme_id = ${programmeId} and kind = 'payment'), 0)::bigint as paid_cents`.execute(
    db,
  );
  const row = r.rows[0] as ClosingFactsRow;
  return Object.fromEntries(
    Object.entries(row).map(([k, v]) => [k, Number(v)]),
  ) as unknown as ClosingFactsRow;
}

/** Per place: its redemptions not cancelled, and its statements' totals and payments. */
export async function closingPlaces(
  db: Tx,
  programmeId: string,
): Promise<
  {
    place_id: string;
    structure_id: string;
    place_name: string;
    redeemed: number;
    redeemed_cents: number;
    statements_cents: number;
    settled_cents: number;
  }[]
> {
  return (
    await sql<{
      place_id: string;
      structure_id: string;
      place_name: string;
      redeemed: number;
      redeemed_cents: number;
      statements_cents: number;
      settled_cents: number;
    }>`
      with live as (
        select r.place_id, r.structure_id, r.amount_cents, r.details->>'placeName' as place_name, r.id
        from voucher_entry r
        where r.programme_id = ${programmeId} and r.kind = 'redemption'
          and not exists (select 1 from voucher_entry c where c.cancels_entry_id = r.id)
      ), places as (
        select place_id from live
        union select place_id from voucher_statement where programme_id = ${programmeId} and scope = 'place'
      )
      select pl.place_id,
        coalesce((select l.structure_id from live l where l.place_id = pl.place_id order by l.id desc limit 1),
          (select s.structure_id from voucher_statement s where s.programme_id = ${programmeId}
            and s.place_id = pl.place_id order by s.month desc limit 1)) as structure_id,
        coalesce((select l.place_name from live l where l.place_id = pl.place_id order by l.id desc limit 1), '') as place_name,
        (select count(*) from live l where l.place_id = pl.place_id)::int as redeemed,
        coalesce((select sum(l.amount_cents) from live l where l.place_id = pl.place_id), 0)::bigint as redeemed_cents,
        coalesce((select sum(s.total_cents) from voucher_statement s where s.programme_id = ${programmeId}
          and s.scope = 'place' and s.kind = 'statement' and s.place_id = pl.place_id), 0)::bigint as statements_cents,
        coalesce((select sum(s.settled_cents) from voucher_statement s where s.programme_id = ${programmeId}
          and s.scope = 'place' and s.kind = 'statement' and s.place_id = pl.place_id), 0)::bigint as settled_cents
      from places pl
      order by place_name, pl.place_id`.execute(db)
  ).rows.map((r) => ({
    ...r,
    redeemed: Number(r.redeemed),
    redeemed_cents: Number(r.redeemed_cents),
    statements_cents: Number(r.statements_cents),
    settled_cents: Number(r.settled_cents),
  }));
}

// --- verification (`pass verify`) ---

/**
 * The first broken rule of a programme's credit note, in English, or null: its total is the sum of its
 * lines and each line is one expiry at the programme's face value; it covers every expiry of a paid
 * emission; no voucher is both redeemed (not cancelled) and expired.
 */
export async function creditNoteProblem(db: Tx, programmeId: string): Promise<string | null> {
  const both = await sql<{ voucher_id: string }>`
    select x.voucher_id from voucher_entry x
    where x.programme_id = ${programmeId} and x.kind = 'expiry' and exists (
      select 1 from voucher_entry r where r.voucher_id = x.voucher_id and r.kind = 'redemption'
        and not exists (select 1 from voucher_entry c where c.cancels_entry_id = r.id))
    limit 1`.execute(db);
  if (both.rows[0]) return `voucher ${both.rows[0].voucher_id} is both redeemed and expired`;
  const notes = await sql<{
    id: string;
    total_cents: number;
    line_count: number;
    sum: number;
    n: number;
    bad: number;
  }>`
    select s.id, s.total_cents, s.line_count, coalesce(sum(l.amount_cents), 0)::bigint as sum,
      count(l.id)::int as n,
      count(l.id) filter (where l.kind <> 'expiry' or l.amount_cents <> p.face_value_cents)::int as bad
    from voucher_statement s
    join voucher_programme p on p.id = s.programme_id
    left join voucher_statement_line l on l.statement_id = s.id
    where s.programme_id = ${programmeId} and s.kind = 'credit_note'
    group by s.id`.execute(db);
  for (const n of notes.rows) {
    if (Number(n.bad) > 0)
      return `credit note ${n.id} has ${n.bad} lines that are not an expiry at face value`;
    if (Number(n.total_cents) !== Number(n.sum) || Number(n.line_count) !== Number(n.n))
      return `credit note ${n.id}: total ${n.total_cents} ≠ face value of the ${n.n} vouchers it covers ${n.sum}`;
  }
  if (notes.rows.length > 0) {
    const uncovered = await sql<{ id: number }>`
      select e.id from voucher_entry e
      join voucher v on v.id = e.voucher_id join voucher_booklet b on b.id = v.booklet_id
      where e.programme_id = ${programmeId} and e.kind = 'expiry'
        and exists (select 1 from voucher_entry pay where pay.kind = 'payment' and pay.pays_entry_id = b.emission_entry_id)
        and not exists (select 1 from voucher_statement_line l where l.entry_id = e.id)
      limit 1`.execute(db);
    if (uncovered.rows[0]) return `expiry ${uncovered.rows[0].id} of a paid voucher is on no credit note`;
  }
  const stray = await sql<{ entry_id: number }>`
    select l.entry_id from voucher_statement_line l join voucher_statement s on s.id = l.statement_id
    where l.programme_id = ${programmeId} and (l.kind = 'expiry') <> (s.kind = 'credit_note')
    limit 1`.execute(db);
  if (stray.rows[0])
    return `statement line of entry ${stray.rows[0].entry_id} is on the wrong kind of statement`;
  return null;
}

/** The first expiry recorded (Paris day) on or before the last recording day, or null (must be none). */
export async function expiryBeforeItsDay(db: Tx, programmeId: string): Promise<number | null> {
  const r = await sql<{ id: number }>`
    select e.id from voucher_entry e join voucher_programme p on p.id = e.programme_id
    where e.programme_id = ${programmeId} and e.kind = 'expiry'
      and (e.created_at at time zone 'Europe/Paris')::date <= p.valid_until + p.grace_days
    order by e.id limit 1`.execute(db);
  return r.rows[0] ? Number(r.rows[0].id) : null;
}

export async function countExpiries(db: Tx, programmeId: string): Promise<number> {
  const r = await db
    .selectFrom('voucher_entry')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('programme_id', '=', programmeId)
    .where('kind', '=', 'expiry')
    .executeTakeFirst();
  return Number(r?.n ?? 0);
}
