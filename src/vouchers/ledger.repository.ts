import { sql } from 'kysely';
import type { Tx } from './vouchers.repository.ts';

/**
 * SQL of the ledger's seal and verification (decision 0037): read-only except for seals, which are only
 * ever inserted.
 */

// --- verification and sealing ---

/** An entry as the seal hashes it: every column, in text forms that do not depend on the session. */
export interface EntryForHash {
  id: number;
  programme_id: string;
  kind: string;
  booklet_id: string | null;
  voucher_id: string | null;
  structure_id: string | null;
  place_id: string | null;
  amount_cents: number | null;
  reference: string | null;
  pays_entry_id: number | null;
  cancels_entry_id: number | null;
  previous_redemption_id: number | null;
  idempotency_key: string | null;
  actor_id: string | null;
  details: string;
  created_at: string;
}

const entryForHashSelect = sql`
  select e.id, e.programme_id, e.kind, e.booklet_id, e.voucher_id, e.structure_id, e.place_id, e.amount_cents,
    e.reference, e.pays_entry_id, e.cancels_entry_id, e.previous_redemption_id, e.idempotency_key, e.actor_id,
    e.details::text as details,
    to_char(e.created_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') as created_at
  from voucher_entry e`;

/**
 * Programmes with entries not sealed yet, among entries above `aboveId` (0: all). A full scan reads the
 * whole ledger; the frequent pass looks only near the end of the sealed chain (decision 0037).
 */
export async function programmesWithUnsealedEntries(db: Tx, aboveId = 0): Promise<string[]> {
  const r = await sql<{ programme_id: string }>`
    select distinct e.programme_id from voucher_entry e
    where e.id > ${aboveId} and not exists (select 1 from voucher_seal s where s.entry_id = e.id)`.execute(
    db,
  );
  return r.rows.map((x) => x.programme_id);
}

/** The highest entry id sealed so far (0: none). */
export async function highestSealedEntry(db: Tx): Promise<number> {
  const r = await sql<{ max: number | null }>`select max(entry_id) as max from voucher_seal`.execute(db);
  return Number(r.rows[0]?.max ?? 0);
}

/** Takes the programme's sealing lock for the transaction; false when another sealer holds it. */
export async function trySealLock(db: Tx, programmeId: string): Promise<boolean> {
  const r = await sql<{ locked: boolean }>`
    select pg_try_advisory_xact_lock(hashtext(${`voucher_seal:${programmeId}`})) as locked`.execute(db);
  return r.rows[0]?.locked === true;
}

export async function lastSeal(
  db: Tx,
  programmeId: string,
): Promise<{ position: number; hash: string } | undefined> {
  return db
    .selectFrom('voucher_seal')
    .select(['position', 'hash'])
    .where('programme_id', '=', programmeId)
    .orderBy('position', 'desc')
    .limit(1)
    .executeTakeFirst();
}

export async function unsealedEntries(db: Tx, programmeId: string, limit: number): Promise<EntryForHash[]> {
  return (
    await sql<EntryForHash>`${entryForHashSelect}
      where e.programme_id = ${programmeId}
        and not exists (select 1 from voucher_seal s where s.entry_id = e.id)
      order by e.id limit ${limit}`.execute(db)
  ).rows;
}

export async function insertSeals(
  db: Tx,
  rows: readonly {
    programme_id: string;
    position: number;
    entry_id: number;
    previous_hash: string;
    hash: string;
  }[],
): Promise<void> {
  if (rows.length === 0) return;
  for (let i = 0; i < rows.length; i += 2000)
    await db
      .insertInto('voucher_seal')
      .values(rows.slice(i, i + 2000))
      .execute();
}

export async function allProgrammeIds(db: Tx): Promise<string[]> {
  return (await db.selectFrom('voucher_programme').select('id').orderBy('created_at').execute()).map(
    (r) => r.id,
  );
}

/** Entries of a programme with their seal (null when not sealed yet), in seal order then id order. */
export async function entriesWithSeals(
  db: Tx,
  programmeId: string,
  afterId: number,
  limit: number,
): Promise<
  (EntryForHash & {
    position: number | null;
    previous_hash: string | null;
    hash: string | null;
    age_seconds: number;
  })[]
> {
  return (
    await sql<
      EntryForHash & {
        position: number | null;
        previous_hash: string | null;
        hash: string | null;
        age_seconds: number;
      }
    >`
      select x.*, s.position, s.previous_hash, s.hash,
        extract(epoch from (now() - e2.created_at))::float8 as age_seconds
      from (${entryForHashSelect} where e.programme_id = ${programmeId} and e.id > ${afterId}
        order by e.id limit ${limit}) x
      join voucher_entry e2 on e2.id = x.id
      left join voucher_seal s on s.entry_id = x.id
      order by x.id`.execute(db)
  ).rows;
}

export async function sealsOf(
  db: Tx,
  programmeId: string,
): Promise<{ position: number; entry_id: number; previous_hash: string; hash: string }[]> {
  return db
    .selectFrom('voucher_seal')
    .select(['position', 'entry_id', 'previous_hash', 'hash'])
    .where('programme_id', '=', programmeId)
    .orderBy('position')
    .execute();
}

/** Voucher counts for the invariants: every voucher of a programme with the facts that make its state. */
export async function voucherFactsOfProgramme(
  db: Tx,
  programmeId: string,
): Promise<
  {
    voucher_id: string;
    paid: boolean;
    allocated: boolean;
    distributed: boolean;
    booklet_cancelled: boolean;
    live_redemptions: number;
    redemptions: number;
    face_value_cents: number;
    expired: boolean;
  }[]
> {
  return (
    await sql<{
      voucher_id: string;
      paid: boolean;
      allocated: boolean;
      distributed: boolean;
      booklet_cancelled: boolean;
      live_redemptions: number;
      redemptions: number;
      face_value_cents: number;
      expired: boolean;
    }>`
      with bk as (
        select b.id,
          exists (select 1 from voucher_entry pay where pay.kind = 'payment' and pay.pays_entry_id = b.emission_entry_id) as paid,
          bool_or(e.kind = 'allocation') as allocated,
          bool_or(e.kind = 'distribution') as distributed,
          bool_or(e.kind = 'booklet_cancellation') as booklet_cancelled
        from voucher_booklet b
        left join voucher_entry e on e.booklet_id = b.id and e.kind in ('allocation', 'distribution', 'booklet_cancellation')
        where b.programme_id = ${programmeId}
        group by b.id, b.emission_entry_id
      ), rd as (
        select r.voucher_id, count(*)::int as redemptions,
          count(*) filter (where not exists (select 1 from voucher_entry c where c.cancels_entry_id = r.id))::int as live
        from voucher_entry r where r.programme_id = ${programmeId} and r.kind = 'redemption'
        group by r.voucher_id
      )
      select v.id as voucher_id, bk.paid, coalesce(bk.allocated, false) as allocated,
        coalesce(bk.distributed, false) as distributed, coalesce(bk.booklet_cancelled, false) as booklet_cancelled,
        coalesce(rd.live, 0) as live_redemptions, coalesce(rd.redemptions, 0) as redemptions, p.face_value_cents,
        exists (select 1 from voucher_entry x where x.voucher_id = v.id and x.kind = 'expiry') as expired
      from voucher v join bk on bk.id = v.booklet_id
      join voucher_programme p on p.id = v.programme_id
      left join rd on rd.voucher_id = v.id
      where v.programme_id = ${programmeId}`.execute(db)
  ).rows;
}

/**
 * The first redemption recorded before its emission's payment or its booklet's hand-over (must be none:
 * the service reads both before inserting, and identity values grow with time of insertion).
 */
export async function redemptionBeforeItsFacts(db: Tx, programmeId: string): Promise<number | null> {
  const r = await sql<{ id: number }>`
    select r.id from voucher_entry r
    join voucher_booklet b on b.id = r.booklet_id
    left join voucher_entry pay on pay.kind = 'payment' and pay.pays_entry_id = b.emission_entry_id
    left join voucher_entry d on d.kind = 'distribution' and d.booklet_id = r.booklet_id
    where r.programme_id = ${programmeId} and r.kind = 'redemption'
      and (pay.id is null or pay.id > r.id or d.id is null or d.id > r.id)
    order by r.id limit 1`.execute(db);
  return r.rows[0] ? Number(r.rows[0].id) : null;
}

/** Redemptions recorded after the programme's last recording day (must be none). */
export async function lateRedemptions(db: Tx, programmeId: string): Promise<number[]> {
  return (
    await sql<{ id: number }>`
      select e.id from voucher_entry e join voucher_programme p on p.id = e.programme_id
      where e.programme_id = ${programmeId} and e.kind = 'redemption'
        and (e.created_at at time zone 'Europe/Paris')::date > p.valid_until + p.grace_days
      order by e.id limit 5`.execute(db)
  ).rows.map((r) => r.id);
}
