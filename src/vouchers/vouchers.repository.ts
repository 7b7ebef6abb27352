import { type Kysely, sql, type Transaction } from 'kysely';
import type { Database, Db } from '../db/database.ts';
import type { VoucherEntryKind } from '../db/voucher-rows.ts';
import { DomainError } from '../shared/domain-error.ts';
import { MESSAGES } from './vouchers.ts';

/**
 * SQL of the pass numérique (decision 0037). The ledger tables (`voucher_entry`, `voucher_booklet`,
 * `voucher`, `voucher_seal`) are only ever inserted into: the database refuses UPDATE and DELETE, except
 * DELETE of a demonstration programme's rows. Places and structures are read for their names and
 * positions (FOREIGN_TABLES in the architecture test, decision 0037).
 */

export type Tx = Kysely<Database> | Transaction<Database>;

export interface ProgrammeRow {
  id: string;
  funder_id: string;
  funder_name: string;
  name: string;
  face_value_cents: number;
  booklet_size: number;
  valid_from: string;
  valid_until: string;
  grace_days: number;
  perimeter: string;
  publics: string[];
  budget_cents: number;
  confirmed_at: Date | null;
  confirmed_by: string | null;
  is_demo: boolean;
  created_at: Date;
}

const programmeColumns = [
  'voucher_programme.id',
  'voucher_programme.funder_id',
  'funder.name as funder_name',
  'voucher_programme.name',
  'voucher_programme.face_value_cents',
  'voucher_programme.booklet_size',
  'voucher_programme.valid_from',
  'voucher_programme.valid_until',
  'voucher_programme.grace_days',
  'voucher_programme.perimeter',
  'voucher_programme.publics',
  'voucher_programme.budget_cents',
  'voucher_programme.confirmed_at',
  'voucher_programme.confirmed_by',
  'voucher_programme.is_demo',
  'voucher_programme.created_at',
] as const;

export async function insertProgramme(
  db: Tx,
  row: {
    funder_id: string;
    name: string;
    face_value_cents: number;
    booklet_size: number;
    valid_from: string;
    valid_until: string;
    grace_days: number;
    perimeter: string;
    publics: string[];
    budget_cents: number;
    created_by: string | null;
    is_demo?: boolean;
  },
): Promise<string> {
  const r = await db.insertInto('voucher_programme').values(row).returning('id').executeTakeFirstOrThrow();
  return r.id;
}

export async function findProgramme(db: Tx, id: string): Promise<ProgrammeRow | undefined> {
  return db
    .selectFrom('voucher_programme')
    .innerJoin('funder', 'funder.id', 'voucher_programme.funder_id')
    .select(programmeColumns)
    .where('voucher_programme.id', '=', id)
    .executeTakeFirst();
}

/** Locks the programme's row for the transaction: emissions and payments of one programme queue up. */
export async function lockProgramme(db: Tx, id: string): Promise<void> {
  await db.selectFrom('voucher_programme').select('id').where('id', '=', id).forUpdate().execute();
}

/** Programmes, newest first; `funderIds` limits them to those funders' (undefined: all). */
export async function listProgrammeRows(db: Tx, funderIds?: readonly string[]): Promise<ProgrammeRow[]> {
  if (funderIds && funderIds.length === 0) return [];
  let q = db
    .selectFrom('voucher_programme')
    .innerJoin('funder', 'funder.id', 'voucher_programme.funder_id')
    .select(programmeColumns)
    .orderBy('voucher_programme.created_at', 'desc');
  if (funderIds) q = q.where('voucher_programme.funder_id', 'in', funderIds);
  return q.execute();
}

export async function setProgrammeConfirmed(
  db: Tx,
  id: string,
  by: string | null,
  at: Date,
): Promise<boolean> {
  const r = await db
    .updateTable('voucher_programme')
    .set({ confirmed_at: at, confirmed_by: by, updated_at: at })
    .where('id', '=', id)
    .where('confirmed_at', 'is', null)
    .executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}

export async function funderExists(db: Tx, id: string): Promise<{ name: string } | undefined> {
  return db.selectFrom('funder').select('name').where('id', '=', id).executeTakeFirst();
}

export async function listFunderChoices(db: Tx): Promise<{ id: string; name: string }[]> {
  return db.selectFrom('funder').select(['id', 'name']).orderBy('name').execute();
}

// --- qualified places and prescribers ---

export interface QualifiedPlaceRow {
  programme_id: string;
  place_id: string;
  place_name: string;
  commune: string;
  code_insee: string | null;
  latitude: number | null;
  longitude: number | null;
  adresse: string;
  code_postal: string;
  telephone: string | null;
  horaires: string | null;
  structure_id: string;
  structure_name: string;
}

const qualifiedPlaceQuery = (db: Tx) =>
  db
    .selectFrom('voucher_programme_place as q')
    .innerJoin('place', 'place.id', 'q.place_id')
    .innerJoin('structure', 'structure.id', 'q.structure_id')
    .select([
      'q.programme_id',
      'q.place_id',
      'place.nom as place_name',
      'place.commune',
      'place.code_insee',
      'place.latitude',
      'place.longitude',
      'place.adresse',
      'place.code_postal',
      'place.telephone',
      'place.horaires',
      'q.structure_id',
      'structure.nom as structure_name',
    ]);

export async function listQualifiedPlaces(db: Tx, programmeId: string): Promise<QualifiedPlaceRow[]> {
  return qualifiedPlaceQuery(db).where('q.programme_id', '=', programmeId).orderBy('place.nom').execute();
}

/** The qualified places of some structures, in every programme. */
export async function qualifiedPlacesOfStructures(
  db: Tx,
  structureIds: readonly string[],
): Promise<QualifiedPlaceRow[]> {
  if (structureIds.length === 0) return [];
  return qualifiedPlaceQuery(db).where('q.structure_id', 'in', structureIds).orderBy('place.nom').execute();
}

export async function qualifiedPlaceRows(db: Tx, placeId: string): Promise<QualifiedPlaceRow[]> {
  return qualifiedPlaceQuery(db).where('q.place_id', '=', placeId).execute();
}

export async function findPlaceForQualification(
  db: Tx,
  placeId: string,
): Promise<{ id: string; nom: string; structure_id: string | null } | undefined> {
  return db
    .selectFrom('place')
    .select(['id', 'nom', 'structure_id'])
    .where('id', '=', placeId)
    .executeTakeFirst();
}

export async function insertQualifiedPlace(
  db: Tx,
  row: { programme_id: string; place_id: string; structure_id: string },
): Promise<boolean> {
  const r = await db
    .insertInto('voucher_programme_place')
    .values(row)
    .onConflict((oc) => oc.doNothing())
    .returning('programme_id')
    .executeTakeFirst();
  return r !== undefined;
}

export async function deleteQualifiedPlace(db: Tx, programmeId: string, placeId: string): Promise<boolean> {
  const r = await db
    .deleteFrom('voucher_programme_place')
    .where('programme_id', '=', programmeId)
    .where('place_id', '=', placeId)
    .executeTakeFirst();
  return Number(r.numDeletedRows) === 1;
}

export async function listPrescribers(
  db: Tx,
  programmeId: string,
): Promise<{ structure_id: string; structure_name: string }[]> {
  return db
    .selectFrom('voucher_programme_prescriber as p')
    .innerJoin('structure', 'structure.id', 'p.structure_id')
    .select(['p.structure_id', 'structure.nom as structure_name'])
    .where('p.programme_id', '=', programmeId)
    .orderBy('structure.nom')
    .execute();
}

export async function findStructureName(db: Tx, id: string): Promise<string | undefined> {
  return (await db.selectFrom('structure').select('nom').where('id', '=', id).executeTakeFirst())?.nom;
}

export async function insertPrescriber(db: Tx, programmeId: string, structureId: string): Promise<boolean> {
  const r = await db
    .insertInto('voucher_programme_prescriber')
    .values({ programme_id: programmeId, structure_id: structureId })
    .onConflict((oc) => oc.doNothing())
    .returning('programme_id')
    .executeTakeFirst();
  return r !== undefined;
}

/** What a statement names of its payee: the place, and its structure's name, pivot and typologies. */
export async function payeeFacts(
  db: Tx,
  placeIds: readonly string[],
  structureIds: readonly string[],
): Promise<{
  places: Map<string, { nom: string; commune: string }>;
  structures: Map<string, { nom: string; pivot: string; typologie: string[] }>;
}> {
  const places =
    placeIds.length === 0
      ? []
      : await db.selectFrom('place').select(['id', 'nom', 'commune']).where('id', 'in', placeIds).execute();
  const structures =
    structureIds.length === 0
      ? []
      : await db
          .selectFrom('structure')
          .select(['id', 'nom', 'pivot', 'typologie'])
          .where('id', 'in', structureIds)
          .execute();
  return {
    places: new Map(places.map((p) => [p.id, { nom: p.nom, commune: p.commune }])),
    structures: new Map(
      structures.map((x) => [x.id, { nom: x.nom, pivot: x.pivot, typologie: x.typologie }]),
    ),
  };
}

/** Places and structures to choose from on the programme page (names only). */
export async function listPlaceChoices(db: Tx): Promise<{ id: string; name: string; commune: string }[]> {
  return db
    .selectFrom('place')
    .select(['id', 'nom as name', 'commune'])
    .where('structure_id', 'is not', null)
    .orderBy('nom')
    .limit(2000)
    .execute();
}

export async function listStructureChoices(db: Tx): Promise<{ id: string; name: string }[]> {
  return db.selectFrom('structure').select(['id', 'nom as name']).orderBy('nom').limit(2000).execute();
}

// --- the ledger ---

export interface NewEntry {
  programme_id: string;
  kind: VoucherEntryKind;
  booklet_id?: string | null;
  voucher_id?: string | null;
  structure_id?: string | null;
  place_id?: string | null;
  amount_cents?: number | null;
  reference?: string | null;
  pays_entry_id?: number | null;
  cancels_entry_id?: number | null;
  previous_redemption_id?: number | null;
  idempotency_key?: string | null;
  actor_id: string | null;
  details?: Record<string, unknown>;
  created_at?: Date;
}

export async function insertEntry(db: Tx, entry: NewEntry): Promise<{ id: number; created_at: Date }> {
  const { details, ...rest } = entry;
  return db
    .insertInto('voucher_entry')
    .values({ ...rest, details: JSON.stringify(details ?? {}) })
    .returning(['id', 'created_at'])
    .executeTakeFirstOrThrow()
    .catch(closedProgramme);
}

/**
 * The database refuses any entry of a programme whose credit note exists (migration 0041): a conflict
 * said in French, whichever page or command wrote it.
 */
function closedProgramme(error: unknown): never {
  if (checkViolation(error) === 'voucher_programme_closed')
    throw new DomainError('conflict', MESSAGES.programmeClosed);
  throw error;
}

/** Inserts many entries of one kind in one statement (allocations of several booklets). */
export async function insertEntries(db: Tx, entries: readonly NewEntry[]): Promise<void> {
  if (entries.length === 0) return;
  await db
    .insertInto('voucher_entry')
    .values(entries.map(({ details, ...rest }) => ({ ...rest, details: JSON.stringify(details ?? {}) })))
    .execute()
    .catch(closedProgramme);
}

/** The ledger entry a request key was stored on (an emission, the first allocation of a request). */
export async function findEntryByKey(db: Tx, key: string) {
  return db
    .selectFrom('voucher_entry')
    .select(['id', 'kind', 'programme_id', 'details'])
    .where('idempotency_key', '=', key)
    .executeTakeFirst();
}

export async function maxBookletNumber(db: Tx, programmeId: string): Promise<number> {
  const r = await db
    .selectFrom('voucher_booklet')
    .select((eb) => eb.fn.max('number').as('max'))
    .where('programme_id', '=', programmeId)
    .executeTakeFirst();
  return Number(r?.max ?? 0);
}

export async function insertBooklets(
  db: Tx,
  rows: readonly { programme_id: string; emission_entry_id: number; number: number }[],
): Promise<{ id: string; number: number }[]> {
  const out: { id: string; number: number }[] = [];
  for (let i = 0; i < rows.length; i += 2000) {
    out.push(
      ...(await db
        .insertInto('voucher_booklet')
        .values(rows.slice(i, i + 2000))
        .returning(['id', 'number'])
        .execute()),
    );
  }
  return out;
}

/** Inserts vouchers; false when a code collided with an existing one (the caller draws again). */
export async function insertVouchers(
  db: Tx,
  rows: readonly { programme_id: string; booklet_id: string; position: number; code: string }[],
): Promise<void> {
  for (let i = 0; i < rows.length; i += 5000) {
    await db
      .insertInto('voucher')
      .values(rows.slice(i, i + 5000))
      .execute();
  }
}

export interface EmissionRow {
  id: number;
  amount_cents: number;
  created_at: Date;
  booklets: number;
  vouchers: number;
  first_number: number;
  last_number: number;
  payment_id: number | null;
  payment_reference: string | null;
  paid_at: Date | null;
  paid_cents: number | null;
}

export async function listEmissions(db: Tx, programmeId: string): Promise<EmissionRow[]> {
  const rows = await sql<EmissionRow>`
    select e.id, e.amount_cents, e.created_at,
      (e.details->>'booklets')::int as booklets, (e.details->>'vouchers')::int as vouchers,
      (e.details->>'firstNumber')::int as first_number, (e.details->>'lastNumber')::int as last_number,
      p.id as payment_id, p.reference as payment_reference, p.created_at as paid_at, p.amount_cents as paid_cents
    from voucher_entry e
    left join voucher_entry p on p.kind = 'payment' and p.pays_entry_id = e.id
    where e.programme_id = ${programmeId} and e.kind = 'emission'
    order by e.id`.execute(db);
  return rows.rows;
}

export interface ProgrammeTotals {
  emitted_cents: number;
  paid_cents: number;
  redeemed_cents: number;
}

export async function programmeTotals(db: Tx, programmeId: string): Promise<ProgrammeTotals> {
  const r = await sql<ProgrammeTotals>`
    select
      coalesce(sum(amount_cents) filter (where kind = 'emission'), 0)::bigint as emitted_cents,
      coalesce(sum(amount_cents) filter (where kind = 'payment'), 0)::bigint as paid_cents,
      coalesce(sum(amount_cents) filter (where kind = 'redemption'), 0)::bigint
        - coalesce(sum(amount_cents) filter (where kind = 'redemption_cancellation'), 0)::bigint as redeemed_cents
    from voucher_entry where programme_id = ${programmeId}`.execute(db);
  const row = r.rows[0];
  return {
    emitted_cents: Number(row?.emitted_cents ?? 0),
    paid_cents: Number(row?.paid_cents ?? 0),
    redeemed_cents: Number(row?.redeemed_cents ?? 0),
  };
}

export interface BookletRow {
  id: string;
  programme_id: string;
  programme_name: string;
  number: number;
  emission_entry_id: number;
  paid: boolean;
  allocated_to: string | null;
  allocated_to_name: string | null;
  allocated_at: Date | null;
  distributed_at: Date | null;
  distribution: Record<string, unknown> | null;
  cancelled_at: Date | null;
  cancellation: Record<string, unknown> | null;
  vouchers: number;
  redeemed: number;
}

const bookletSelect = sql`
  select b.id, b.programme_id, (select p.name from voucher_programme p where p.id = b.programme_id) as programme_name,
    b.number, b.emission_entry_id,
    exists (select 1 from voucher_entry pay where pay.kind = 'payment' and pay.pays_entry_id = b.emission_entry_id) as paid,
    a.structure_id as allocated_to, s.nom as allocated_to_name, a.created_at as allocated_at,
    d.created_at as distributed_at, d.details as distribution,
    c.created_at as cancelled_at, c.details as cancellation,
    (select count(*) from voucher v where v.booklet_id = b.id)::int as vouchers,
    (select count(*) from voucher_entry r where r.booklet_id = b.id and r.kind = 'redemption'
       and not exists (select 1 from voucher_entry x where x.cancels_entry_id = r.id))::int as redeemed
  from voucher_booklet b
  left join voucher_entry a on a.booklet_id = b.id and a.kind = 'allocation'
  left join structure s on s.id = a.structure_id
  left join voucher_entry d on d.booklet_id = b.id and d.kind = 'distribution'
  left join voucher_entry c on c.booklet_id = b.id and c.kind = 'booklet_cancellation'`;

export async function findBooklet(db: Tx, id: string): Promise<BookletRow | undefined> {
  return (await sql<BookletRow>`${bookletSelect} where b.id = ${id}`.execute(db)).rows[0];
}

/** Booklets of a programme (a page of them), or those allocated to some structures. */
export async function listBooklets(
  db: Tx,
  filter: { programmeId?: string; structureIds?: readonly string[]; limit: number; offset: number },
): Promise<BookletRow[]> {
  const conditions = [];
  if (filter.programmeId) conditions.push(sql`b.programme_id = ${filter.programmeId}`);
  if (filter.structureIds) {
    if (filter.structureIds.length === 0) return [];
    conditions.push(sql`a.structure_id in (${sql.join(filter.structureIds)})`);
  }
  const where = conditions.length ? sql`where ${sql.join(conditions, sql` and `)}` : sql``;
  // A prescriber's list spans programmes: by the programme's name (then its id, for two of one name).
  return (
    await sql<BookletRow>`${bookletSelect} ${where} order by programme_name, b.programme_id, b.number
      limit ${filter.limit} offset ${filter.offset}`.execute(db)
  ).rows;
}

/** Counts of booklets by stage in a programme. */
export async function bookletCounts(
  db: Tx,
  programmeId: string,
): Promise<{ total: number; allocated: number; distributed: number; cancelled: number }> {
  const r = await sql<{ total: number; allocated: number; distributed: number; cancelled: number }>`
    select (select count(*) from voucher_booklet where programme_id = ${programmeId})::int as total,
      count(*) filter (where kind = 'allocation')::int as allocated,
      count(*) filter (where kind = 'distribution')::int as distributed,
      count(*) filter (where kind = 'booklet_cancellation')::int as cancelled
    from voucher_entry where programme_id = ${programmeId}`.execute(db);
  return r.rows[0] ?? { total: 0, allocated: 0, distributed: 0, cancelled: 0 };
}

/** The first `count` booklets of a programme still in stock (paid or not, never allocated nor cancelled). */
export async function bookletsInStock(
  db: Tx,
  programmeId: string,
  count: number,
): Promise<{ id: string; number: number }[]> {
  return (
    await sql<{ id: string; number: number }>`
      select b.id, b.number from voucher_booklet b
      where b.programme_id = ${programmeId}
        and not exists (select 1 from voucher_entry e where e.booklet_id = b.id
          and e.kind in ('allocation', 'booklet_cancellation'))
      order by b.number limit ${count} for update of b`.execute(db)
  ).rows;
}

export async function countBookletsInStock(db: Tx, programmeId: string): Promise<number> {
  const r = await sql<{ n: number }>`
    select count(*)::int as n from voucher_booklet b where b.programme_id = ${programmeId}
      and not exists (select 1 from voucher_entry e where e.booklet_id = b.id
        and e.kind in ('allocation', 'booklet_cancellation'))`.execute(db);
  return r.rows[0]?.n ?? 0;
}

export async function listVouchersOfBooklets(
  db: Tx,
  bookletIds: readonly string[],
): Promise<{ booklet_id: string; position: number; code: string }[]> {
  if (bookletIds.length === 0) return [];
  return db
    .selectFrom('voucher')
    .select(['booklet_id', 'position', 'code'])
    .where('booklet_id', 'in', bookletIds)
    .orderBy('booklet_id')
    .orderBy('position')
    .execute();
}

export interface VoucherFactsRow {
  voucher_id: string;
  code: string;
  position: number;
  booklet_id: string;
  booklet_number: number;
  programme_id: string;
  programme_name: string;
  face_value_cents: number;
  valid_from: string;
  valid_until: string;
  grace_days: number;
  paid: boolean;
  allocated_to: string | null;
  distributed_at: Date | null;
  cancelled_at: Date | null;
  last_redemption_id: number | null;
  last_redemption_at: Date | null;
  last_redemption_place: string | null;
  /** The request key of the last redemption: a retried request is recognised without a lookup by key. */
  last_redemption_key: string | null;
  last_redemption_cancelled: boolean | null;
}

/** One voucher and what the ledger says of it, by its code (one query). */
export async function findVoucherFacts(db: Tx, code: string): Promise<VoucherFactsRow | undefined> {
  const r = await sql<VoucherFactsRow>`
    select v.id as voucher_id, v.code, v.position, v.booklet_id, b.number as booklet_number, v.programme_id,
      p.name as programme_name, p.face_value_cents, p.valid_from, p.valid_until, p.grace_days,
      exists (select 1 from voucher_entry pay where pay.kind = 'payment' and pay.pays_entry_id = b.emission_entry_id) as paid,
      (select a.structure_id from voucher_entry a where a.booklet_id = v.booklet_id and a.kind = 'allocation') as allocated_to,
      (select d.created_at from voucher_entry d where d.booklet_id = v.booklet_id and d.kind = 'distribution') as distributed_at,
      (select c.created_at from voucher_entry c where c.booklet_id = v.booklet_id and c.kind = 'booklet_cancellation') as cancelled_at,
      r.id as last_redemption_id, r.created_at as last_redemption_at, r.details->>'placeName' as last_redemption_place,
      r.idempotency_key as last_redemption_key,
      exists (select 1 from voucher_entry x where x.cancels_entry_id = r.id) as last_redemption_cancelled
    from voucher v
    join voucher_booklet b on b.id = v.booklet_id
    join voucher_programme p on p.id = v.programme_id
    left join lateral (
      select e.id, e.created_at, e.details, e.idempotency_key from voucher_entry e
      where e.voucher_id = v.id and e.kind = 'redemption' order by e.id desc limit 1
    ) r on true
    where v.code = ${code}`.execute(db);
  return r.rows[0];
}

export interface RedemptionRow {
  id: number;
  programme_id: string;
  programme_name: string;
  voucher_id: string;
  code: string;
  booklet_id: string;
  place_id: string;
  structure_id: string;
  amount_cents: number;
  idempotency_key: string | null;
  details: Record<string, unknown>;
  created_at: Date;
  cancelled_at: Date | null;
  cancellation: Record<string, unknown> | null;
}

const redemptionSelect = sql`
  select r.id, r.programme_id, p.name as programme_name, r.voucher_id, v.code, r.booklet_id, r.place_id,
    r.structure_id, r.amount_cents, r.idempotency_key, r.details, r.created_at,
    c.created_at as cancelled_at, c.details as cancellation
  from voucher_entry r
  join voucher v on v.id = r.voucher_id
  join voucher_programme p on p.id = r.programme_id
  left join voucher_entry c on c.cancels_entry_id = r.id
  where r.kind = 'redemption'`;

export async function findRedemption(db: Tx, id: number): Promise<RedemptionRow | undefined> {
  return (await sql<RedemptionRow>`${redemptionSelect} and r.id = ${id}`.execute(db)).rows[0];
}

export async function findRedemptionByKey(db: Tx, key: string): Promise<RedemptionRow | undefined> {
  return (await sql<RedemptionRow>`${redemptionSelect} and r.idempotency_key = ${key}`.execute(db)).rows[0];
}

/** Redemptions at some structures' places (undefined: the whole network), newest first. */
export async function listRedemptionRows(
  db: Tx,
  filter: { structureIds?: readonly string[]; programmeId?: string; limit: number; offset: number },
): Promise<RedemptionRow[]> {
  const conditions = [];
  if (filter.structureIds) {
    if (filter.structureIds.length === 0) return [];
    conditions.push(sql`r.structure_id in (${sql.join(filter.structureIds)})`);
  }
  if (filter.programmeId) conditions.push(sql`r.programme_id = ${filter.programmeId}`);
  const more = conditions.length ? sql` and ${sql.join(conditions, sql` and `)}` : sql``;
  return (
    await sql<RedemptionRow>`${redemptionSelect}${more} order by r.id desc
      limit ${filter.limit} offset ${filter.offset}`.execute(db)
  ).rows;
}

/** Whether the error is the database refusing a second row under one of the named unique indexes. */
export function uniqueViolation(error: unknown): string | null {
  const e = error as { code?: unknown; constraint?: unknown } | null;
  if (e?.code !== '23505') return null;
  return typeof e.constraint === 'string' ? e.constraint : 'unknown';
}

/** The name of the CHECK (or trigger-raised check) that refused an insert, or null. */
export function checkViolation(error: unknown): string | null {
  const e = error as { code?: unknown; constraint?: unknown } | null;
  if (e?.code !== '23514') return null;
  return typeof e.constraint === 'string' ? e.constraint : 'unknown';
}

// --- demonstration data ---

export async function deleteDemoProgrammes(db: Tx): Promise<number> {
  const ids = (
    await db.selectFrom('voucher_programme').select('id').where('is_demo', '=', true).execute()
  ).map((r) => r.id);
  if (ids.length === 0) return 0;
  // The statements first (decision 0045): their lines name ledger entries.
  await db.deleteFrom('voucher_statement_payment').where('programme_id', 'in', ids).execute();
  await db.deleteFrom('voucher_statement_line').where('programme_id', 'in', ids).execute();
  await db.deleteFrom('voucher_statement').where('programme_id', 'in', ids).execute();
  await db.deleteFrom('voucher_seal').where('programme_id', 'in', ids).execute();
  await db.deleteFrom('voucher').where('programme_id', 'in', ids).execute();
  await db.deleteFrom('voucher_booklet').where('programme_id', 'in', ids).execute();
  await db.deleteFrom('voucher_entry').where('programme_id', 'in', ids).execute();
  await db.deleteFrom('voucher_programme').where('id', 'in', ids).execute();
  return ids.length;
}

export async function countNetworkRedemptionsSince(db: Tx, since: Date): Promise<number> {
  const r = await db
    .selectFrom('voucher_entry')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('kind', '=', 'redemption')
    .where('created_at', '>=', since)
    .executeTakeFirst();
  return Number(r?.n ?? 0);
}

export type { Db };
