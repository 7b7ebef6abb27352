import { type Actor, actorId, actorLabel, authorize, can } from '../accounts/policy.ts';
import { recordAudit } from '../audit/audit.service.ts';
import { resolveTerritory } from '../communes/communes.ts';
import type { Db } from '../db/database.ts';
import { PUBLIC_VALUES } from '../search/vocabulary.ts';
import { DomainError } from '../shared/domain-error.ts';
import { isUuid } from '../shared/ids.ts';
import { formatTerritory, parseTerritory } from '../shared/territory.ts';
import { cleanLine } from '../shared/text.ts';
import { newVoucherCode } from './voucher-code.ts';
import {
  type BookletRow,
  bookletCounts,
  countBookletsInStock,
  deleteDemoProgrammes,
  type EmissionRow,
  findBooklet,
  findEntryByKey,
  findPlaceForQualification,
  findProgramme,
  findStructureName,
  funderExists,
  insertBooklets,
  insertEntry,
  insertPrescriber,
  insertProgramme,
  insertQualifiedPlace,
  insertVouchers,
  listBooklets,
  listEmissions,
  listFunderChoices,
  listPlaceChoices,
  listPrescribers,
  listProgrammeRows,
  listQualifiedPlaces,
  listStructureChoices,
  lockProgramme,
  maxBookletNumber,
  type ProgrammeRow,
  programmeTotals,
  type QualifiedPlaceRow,
  setProgrammeConfirmed,
  uniqueViolation,
} from './vouchers.repository.ts';
import {
  checkProgramme,
  euros,
  type FieldErrors,
  lastRecordingDay,
  MAX_BOOKLETS_PER_EMISSION,
  MESSAGES,
  type ProgrammeValues,
  parseEuros,
  requestKeyOf,
} from './vouchers.ts';

/**
 * The pass numérique (decision 0037): a coordinator sets up a funder's programme, the funder confirms
 * its budget and validity, the coordinator emits booklets of vouchers and records the funder's payment
 * for each emission, allocates booklets to prescribers, who hand them to residents. Redemption is in
 * redemptions.service.ts, the ledger's seal and verification in ledger.service.ts. Every fact is an
 * entry of the append-only ledger; every entry point calls `authorize` first.
 */

export type FormResult<T> = ({ ok: true } & T) | { ok: false; errors: FieldErrors };

export interface Programme {
  id: string;
  funderId: string;
  funderName: string;
  name: string;
  faceValueCents: number;
  bookletSize: number;
  validFrom: string;
  validUntil: string;
  graceDays: number;
  lastRecordingDay: string;
  perimeter: string;
  perimeterLabel: string;
  publics: string[];
  budgetCents: number;
  confirmedAt: Date | null;
  isDemo: boolean;
}

export const toProgramme = (row: ProgrammeRow): Programme => {
  const parsed = parseTerritory(row.perimeter);
  let perimeterLabel = row.perimeter;
  if (parsed.ok) {
    try {
      perimeterLabel = resolveTerritory(parsed.territory).label;
    } catch {
      // An unknown code keeps the grammar's text (the form checked it at creation).
    }
  }
  return {
    id: row.id,
    funderId: row.funder_id,
    funderName: row.funder_name,
    name: row.name,
    faceValueCents: row.face_value_cents,
    bookletSize: row.booklet_size,
    validFrom: row.valid_from,
    validUntil: row.valid_until,
    graceDays: row.grace_days,
    lastRecordingDay: lastRecordingDay(row.valid_until, row.grace_days),
    perimeter: row.perimeter,
    perimeterLabel,
    publics: row.publics,
    budgetCents: Number(row.budget_cents),
    confirmedAt: row.confirmed_at,
    isDemo: row.is_demo,
  };
};

export const nowOf = (opts: { now?: Date }) => opts.now ?? new Date();

export async function programmeOrThrow(db: Db, id: string): Promise<ProgrammeRow> {
  const row = isUuid(id) ? await findProgramme(db, id) : undefined;
  if (!row) throw new DomainError('not_found', MESSAGES.unknownProgramme, { programmeId: id });
  return row;
}

export async function bookletOrThrow(db: Db, id: string): Promise<BookletRow> {
  const row = isUuid(id) ? await findBooklet(db, id) : undefined;
  if (!row) throw new DomainError('not_found', MESSAGES.unknownBooklet, { bookletId: id });
  return row;
}

/**
 * Journals a fact of a programme. A demonstration programme's facts are not journaled: the journal is
 * append-only and would keep, after `demo remove`, lines about a programme that never existed (the
 * demonstration's orientations are not journaled either).
 */
export const audit = async (
  db: Db,
  actor: Actor,
  action: string,
  programme: { id: string; is_demo: boolean },
  details: Record<string, unknown>,
  at?: Date,
) => {
  if (programme.is_demo) return;
  await recordAudit(db, {
    actorId: actorId(actor),
    actorLabel: actorLabel(actor),
    action,
    subjectType: 'voucher_programme',
    subjectId: programme.id,
    details,
    ...(at ? { at } : {}),
  });
};

/** The funders a coordinator may choose for a new programme, and the publics of the national schema. */
export async function programmeFormChoices(
  db: Db,
  actor: Actor,
): Promise<{ funders: { id: string; name: string }[]; publics: readonly string[] }> {
  authorize(actor, 'programmeFormChoices');
  return { funders: await listFunderChoices(db), publics: PUBLIC_VALUES };
}

/**
 * Creates a programme for a funder organisation: face value, booklet size, validity and grace, the
 * perimeter where eligible residents live, target publics and budget. Nothing can be emitted until the
 * funder confirms budget and validity.
 */
export async function createProgramme(
  db: Db,
  actor: Actor,
  values: ProgrammeValues,
  opts: { isDemo?: boolean; now?: Date } = {},
): Promise<FormResult<{ programmeId: string }>> {
  authorize(actor, 'createProgramme');
  const checked = checkProgramme(values, PUBLIC_VALUES);
  if (!checked.ok) return checked;
  const f = checked.fields;
  const errors: FieldErrors = {};
  if (!isUuid(f.funderId) || !(await funderExists(db, f.funderId))) errors.funderId = MESSAGES.unknownFunder;
  try {
    resolveTerritory(f.perimeter);
  } catch (error) {
    errors.perimeter =
      error instanceof DomainError ? error.message : MESSAGES.perimeterUnknown(values.perimeter);
  }
  if (Object.keys(errors).length > 0) return { ok: false, errors };
  const programmeId = await db.transaction().execute(async (tx) => {
    const id = await insertProgramme(tx, {
      funder_id: f.funderId,
      name: f.name,
      face_value_cents: f.faceValueCents,
      booklet_size: f.bookletSize,
      valid_from: f.validFrom,
      valid_until: f.validUntil,
      grace_days: f.graceDays,
      perimeter: formatTerritory(f.perimeter),
      publics: f.publics,
      budget_cents: f.budgetCents,
      created_by: actorId(actor),
      is_demo: opts.isDemo ?? false,
    });
    await audit(
      tx,
      actor,
      'voucher.programme_created',
      { id, is_demo: opts.isDemo ?? false },
      { name: f.name, budgetCents: f.budgetCents },
    );
    return id;
  });
  return { ok: true, programmeId };
}

/** The programmes the actor may see: all for a coordinator, their funders' for a funder's people. */
export async function listProgrammes(db: Db, actor: Actor): Promise<Programme[]> {
  authorize(actor, 'listProgrammes');
  if (actor.kind === 'system' || (actor.kind === 'person' && actor.networkRole === 'coordinator'))
    return (await listProgrammeRows(db)).map(toProgramme);
  const funderIds = actor.kind === 'person' ? (actor.funderIds ?? []) : [];
  return (await listProgrammeRows(db, funderIds)).map(toProgramme);
}

export interface Emission {
  id: number;
  amountCents: number;
  at: Date;
  booklets: number;
  vouchers: number;
  firstNumber: number;
  lastNumber: number;
  payment: { id: number; reference: string; at: Date; amountCents: number } | null;
}

const toEmission = (r: EmissionRow): Emission => ({
  id: Number(r.id),
  amountCents: Number(r.amount_cents),
  at: r.created_at,
  booklets: r.booklets,
  vouchers: r.vouchers,
  firstNumber: r.first_number,
  lastNumber: r.last_number,
  payment:
    r.payment_id === null
      ? null
      : {
          id: Number(r.payment_id),
          reference: r.payment_reference ?? '',
          at: r.paid_at as Date,
          amountCents: Number(r.paid_cents ?? 0),
        },
});

export interface Booklet {
  id: string;
  programmeId: string;
  number: number;
  paid: boolean;
  allocatedTo: { id: string; name: string; at: Date } | null;
  distributedAt: Date | null;
  distribution: { ageBand: string | null; commune: string | null } | null;
  cancelledAt: Date | null;
  cancelReason: string | null;
  vouchers: number;
  redeemed: number;
}

export const toBooklet = (r: BookletRow): Booklet => ({
  id: r.id,
  programmeId: r.programme_id,
  number: r.number,
  paid: r.paid,
  allocatedTo:
    r.allocated_to === null
      ? null
      : { id: r.allocated_to, name: r.allocated_to_name ?? '', at: r.allocated_at as Date },
  distributedAt: r.distributed_at,
  distribution: r.distribution
    ? {
        ageBand: typeof r.distribution.ageBand === 'string' ? r.distribution.ageBand : null,
        commune: typeof r.distribution.communeName === 'string' ? r.distribution.communeName : null,
      }
    : null,
  cancelledAt: r.cancelled_at,
  cancelReason: r.cancellation && typeof r.cancellation.reason === 'string' ? r.cancellation.reason : null,
  vouchers: r.vouchers,
  redeemed: r.redeemed,
});

export interface ProgrammeView {
  programme: Programme;
  totals: {
    emittedCents: number;
    paidCents: number;
    redeemedCents: number;
    budgetLeftCents: number;
    booklets: number;
    bookletsInStock: number;
    allocated: number;
    distributed: number;
    cancelled: number;
  };
  emissions: Emission[];
  places: QualifiedPlaceRow[];
  prescribers: { structure_id: string; structure_name: string }[];
  booklets: Booklet[];
  bookletPage: { page: number; pages: number };
  /** What the actor may do on the page. */
  may: { manage: boolean; confirm: boolean };
  /** The coordinator's choices (places, structures); empty for a funder's people. */
  choices: {
    places: { id: string; name: string; commune: string }[];
    structures: { id: string; name: string }[];
  };
}

const BOOKLETS_PER_PAGE = 50;

/** A programme's page: terms, figures, emissions and payments, places, prescribers, a page of booklets. */
export async function viewProgramme(
  db: Db,
  actor: Actor,
  input: { programmeId: string; page?: number },
): Promise<ProgrammeView> {
  const row = await programmeOrThrow(db, input.programmeId);
  authorize(actor, 'viewProgramme', { funderId: row.funder_id });
  const programme = toProgramme(row);
  const [totals, counts, emissions, places, prescribers, inStock] = await Promise.all([
    programmeTotals(db, row.id),
    bookletCounts(db, row.id),
    listEmissions(db, row.id),
    listQualifiedPlaces(db, row.id),
    listPrescribers(db, row.id),
    countBookletsInStock(db, row.id),
  ]);
  const pages = Math.max(1, Math.ceil(counts.total / BOOKLETS_PER_PAGE));
  const page = Math.min(Math.max(1, Math.floor(input.page ?? 1) || 1), pages);
  const booklets = await listBooklets(db, {
    programmeId: row.id,
    limit: BOOKLETS_PER_PAGE,
    offset: (page - 1) * BOOKLETS_PER_PAGE,
  });
  const manage = can(actor, 'emitBooklets');
  return {
    programme,
    totals: {
      emittedCents: totals.emitted_cents,
      paidCents: totals.paid_cents,
      redeemedCents: totals.redeemed_cents,
      budgetLeftCents: programme.budgetCents - totals.emitted_cents,
      booklets: counts.total,
      bookletsInStock: inStock,
      allocated: counts.allocated,
      distributed: counts.distributed,
      cancelled: counts.cancelled,
    },
    emissions: emissions.map(toEmission),
    places,
    prescribers,
    booklets: booklets.map(toBooklet),
    bookletPage: { page, pages },
    may: {
      manage,
      confirm: programme.confirmedAt === null && can(actor, 'confirmProgramme', { funderId: row.funder_id }),
    },
    choices: manage
      ? { places: await listPlaceChoices(db), structures: await listStructureChoices(db) }
      : { places: [], structures: [] },
  };
}

/**
 * The funder's people confirm the budget and the validity (the coordinator cannot do it for them):
 * from then on these terms never change (the database refuses it) and booklets may be emitted.
 */
export async function confirmProgramme(
  db: Db,
  actor: Actor,
  input: { programmeId: string; confirmed: boolean },
  opts: { now?: Date } = {},
): Promise<FormResult<object>> {
  const row = await programmeOrThrow(db, input.programmeId);
  authorize(actor, 'confirmProgramme', { funderId: row.funder_id });
  if (row.confirmed_at) return { ok: false, errors: { confirmed: MESSAGES.alreadyConfirmed } };
  if (!input.confirmed) return { ok: false, errors: { confirmed: MESSAGES.confirmationRequired } };
  const now = nowOf(opts);
  await db.transaction().execute(async (tx) => {
    if (!(await setProgrammeConfirmed(tx, row.id, actorId(actor), now)))
      throw new DomainError('conflict', MESSAGES.alreadyConfirmed);
    await audit(tx, actor, 'voucher.programme_confirmed', row, {
      budgetCents: Number(row.budget_cents),
      validUntil: row.valid_until,
    });
  });
  return { ok: true };
}

/** Adds a directory place where vouchers are redeemed; its staff are those of the place's structure. */
export async function addQualifiedPlace(
  db: Db,
  actor: Actor,
  input: { programmeId: string; placeId: string },
): Promise<FormResult<object>> {
  authorize(actor, 'addQualifiedPlace');
  const row = await programmeOrThrow(db, input.programmeId);
  const placeId = cleanLine(input.placeId);
  if (placeId === '') return { ok: false, errors: { placeId: MESSAGES.placeRequired } };
  const place = isUuid(placeId) ? await findPlaceForQualification(db, placeId) : undefined;
  if (!place) return { ok: false, errors: { placeId: MESSAGES.unknownPlace } };
  if (!place.structure_id) return { ok: false, errors: { placeId: MESSAGES.placeWithoutStructure } };
  const structureId = place.structure_id;
  const added = await db.transaction().execute(async (tx) => {
    const inserted = await insertQualifiedPlace(tx, {
      programme_id: row.id,
      place_id: place.id,
      structure_id: structureId,
    });
    if (inserted)
      await audit(tx, actor, 'voucher.place_qualified', row, { placeId: place.id, name: place.nom });
    return inserted;
  });
  if (!added) return { ok: false, errors: { placeId: MESSAGES.placeAlreadyQualified } };
  return { ok: true };
}

/** Adds a prescriber: a structure whose members receive booklets and hand them to residents. */
export async function addPrescriber(
  db: Db,
  actor: Actor,
  input: { programmeId: string; structureId: string },
): Promise<FormResult<object>> {
  authorize(actor, 'addPrescriber');
  const row = await programmeOrThrow(db, input.programmeId);
  const structureId = cleanLine(input.structureId);
  if (structureId === '') return { ok: false, errors: { structureId: MESSAGES.structureRequired } };
  const name = isUuid(structureId) ? await findStructureName(db, structureId) : undefined;
  if (name === undefined) return { ok: false, errors: { structureId: MESSAGES.unknownStructure } };
  const added = await db.transaction().execute(async (tx) => {
    const inserted = await insertPrescriber(tx, row.id, structureId);
    if (inserted) await audit(tx, actor, 'voucher.prescriber_added', row, { structureId, name });
    return inserted;
  });
  if (!added) return { ok: false, errors: { structureId: MESSAGES.prescriberAlready } };
  return { ok: true };
}

export const parseCount = (text: string, max: number): number | null => {
  const t = cleanLine(text);
  if (!/^\d{1,7}$/.test(t)) return null;
  const n = Number(t);
  return n >= 1 && n <= max ? n : null;
};

/**
 * Emits booklets of a confirmed programme: each voucher gets an unguessable code (voucher-code.ts). The
 * emission's face value must fit what is left of the budget. The vouchers are not activated until the
 * funder's payment for this emission is recorded. One emission at a time per programme (row lock).
 * The form's request key is stored on the emission entry: the same key again (a double click, a refresh)
 * gets the first emission back and writes nothing, for the ledger keeps every emission's budget forever.
 */
export async function emitBooklets(
  db: Db,
  actor: Actor,
  input: { programmeId: string; booklets: string; idempotencyKey?: string },
  opts: { now?: Date; random?: (n: number) => Uint8Array } = {},
): Promise<FormResult<{ emissionId: number; booklets: number; vouchers: number }>> {
  authorize(actor, 'emitBooklets');
  const row = await programmeOrThrow(db, input.programmeId);
  let key = requestKeyOf(input.idempotencyKey);
  const replayed = async (tx: Db) => {
    const first = key === null ? undefined : await findEntryByKey(tx, key);
    if (!first) return undefined;
    // A key already used by another kind of request is not this one's: this request is not replayed.
    if (first.kind !== 'emission' || first.programme_id !== row.id) {
      key = null;
      return undefined;
    }
    const d = first.details as { booklets?: number; vouchers?: number };
    return {
      ok: true as const,
      emissionId: Number(first.id),
      booklets: d.booklets ?? 0,
      vouchers: d.vouchers ?? 0,
    };
  };
  const earlier = await replayed(db);
  if (earlier) return earlier;
  const count = parseCount(input.booklets, MAX_BOOKLETS_PER_EMISSION);
  if (count === null) return { ok: false, errors: { booklets: MESSAGES.bookletsInvalid(input.booklets) } };
  if (!row.confirmed_at) return { ok: false, errors: { booklets: MESSAGES.notConfirmed } };
  const vouchers = count * row.booklet_size;
  const amount = vouchers * row.face_value_cents;
  try {
    return await db.transaction().execute(async (tx) => {
      await lockProgramme(tx, row.id);
      // The same request, a moment ago, may have held the lock: its answer, not a second emission.
      const before = await replayed(tx);
      if (before) return before;
      const totals = await programmeTotals(tx, row.id);
      const left = Number(row.budget_cents) - totals.emitted_cents;
      if (amount > left)
        return { ok: false as const, errors: { booklets: MESSAGES.overBudget(euros(amount), euros(left)) } };
      const first = (await maxBookletNumber(tx, row.id)) + 1;
      const entry = await insertEntry(tx, {
        programme_id: row.id,
        kind: 'emission',
        amount_cents: amount,
        actor_id: actorId(actor),
        idempotency_key: key,
        details: { booklets: count, vouchers, firstNumber: first, lastNumber: first + count - 1 },
        ...(opts.now ? { created_at: opts.now } : {}),
      });
      const booklets = await insertBooklets(
        tx,
        Array.from({ length: count }, (_, i) => ({
          programme_id: row.id,
          emission_entry_id: entry.id,
          number: first + i,
        })),
      );
      const codes = new Set<string>();
      const rows = booklets.flatMap((b) =>
        Array.from({ length: row.booklet_size }, (_, i) => {
          let code = newVoucherCode(opts.random);
          while (codes.has(code)) code = newVoucherCode(opts.random);
          codes.add(code);
          return { programme_id: row.id, booklet_id: b.id, position: i + 1, code };
        }),
      );
      // A collision with an existing code (about 2^-40 for the bench's 100,000) fails the whole emission,
      // which the coordinator simply runs again: nothing partial is written.
      await insertVouchers(tx, rows);
      await audit(tx, actor, 'voucher.emitted', row, {
        emissionId: entry.id,
        booklets: count,
        amountCents: amount,
      });
      return { ok: true as const, emissionId: entry.id, booklets: count, vouchers };
    });
  } catch (error) {
    // Two identical requests at once: the one that lost the race gets the winner's answer.
    if (key !== null && uniqueViolation(error) === 'voucher_entry_idempotency_key') {
      const first = await replayed(db);
      if (first) return first;
    }
    throw error;
  }
}

/**
 * Records the funder's payment for one emission, with its reference (a mandate, a transfer), never
 * reused in the programme. The amount must be the emission's whole face value. From then on, the
 * emission's vouchers are activated: they may be redeemed once handed to a person.
 */
export async function recordPayment(
  db: Db,
  actor: Actor,
  input: { programmeId: string; emissionId: string; amount: string; reference: string },
  opts: { now?: Date } = {},
): Promise<FormResult<{ paymentId: number }>> {
  authorize(actor, 'recordPayment');
  const row = await programmeOrThrow(db, input.programmeId);
  const errors: FieldErrors = {};
  const emissions = await listEmissions(db, row.id);
  const emission = emissions.find((e) => String(e.id) === cleanLine(input.emissionId));
  if (cleanLine(input.emissionId) === '') errors.emissionId = MESSAGES.emissionRequired;
  else if (!emission) errors.emissionId = MESSAGES.unknownEmission;
  else if (emission.payment_id !== null) errors.emissionId = MESSAGES.emissionAlreadyPaid;
  const amount = parseEuros(input.amount);
  if (amount === null) errors.amount = MESSAGES.paymentAmountInvalid(input.amount);
  else if (emission && amount !== Number(emission.amount_cents))
    errors.amount = MESSAGES.paymentAmountMismatch(euros(amount), euros(Number(emission.amount_cents)));
  const reference = cleanLine(input.reference);
  if (reference === '') errors.reference = MESSAGES.referenceRequired;
  else if ([...reference].length > 100) errors.reference = MESSAGES.referenceTooLong;
  if (Object.keys(errors).length > 0 || !emission || amount === null) return { ok: false, errors };
  try {
    const paymentId = await db.transaction().execute(async (tx) => {
      const entry = await insertEntry(tx, {
        programme_id: row.id,
        kind: 'payment',
        amount_cents: amount,
        reference,
        pays_entry_id: Number(emission.id),
        actor_id: actorId(actor),
        ...(opts.now ? { created_at: opts.now } : {}),
      });
      await audit(tx, actor, 'voucher.payment_recorded', row, {
        emissionId: Number(emission.id),
        amountCents: amount,
        reference,
      });
      return entry.id;
    });
    return { ok: true, paymentId };
  } catch (error) {
    const index = uniqueViolation(error);
    if (index === 'voucher_entry_payment_reference_key')
      return { ok: false, errors: { reference: MESSAGES.referenceReused(reference) } };
    if (index === 'voucher_entry_payment_key')
      return { ok: false, errors: { emissionId: MESSAGES.emissionAlreadyPaid } };
    throw error;
  }
}

/**
 * Deletes the demonstration programmes with their whole ledger (`demo remove`): the only ledger rows the
 * database lets anyone delete are those of a programme flagged as a demonstration (migration 0022), so a
 * real programme can never go this way. One transaction: all or nothing.
 */
export async function removeDemoVouchers(db: Db, actor: Actor): Promise<number> {
  authorize(actor, 'removeDemoVouchers');
  return db.transaction().execute((tx) => deleteDemoProgrammes(tx));
}
