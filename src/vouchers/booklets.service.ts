import { type Actor, actorId, authorize, can } from '../accounts/policy.ts';
import { resolveTerritory } from '../communes/communes.ts';
import type { Db } from '../db/database.ts';
import { frenchDate, localToday } from '../places/place-dates.ts';
import { DomainError } from '../shared/domain-error.ts';
import { isUuid } from '../shared/ids.ts';
import { parseTerritory } from '../shared/territory.ts';
import { cleanLine } from '../shared/text.ts';
import { CLOSING_MESSAGES, closingCalendar, distributionOpen } from './closing.ts';
import {
  type BookletRow,
  bookletsInStock,
  countBookletsInStock,
  findBooklet,
  findEntryByKey,
  findProgramme,
  insertEntries,
  insertEntry,
  listBooklets,
  listEmissions,
  listPrescribers,
  listVouchersOfBooklets,
  type ProgrammeRow,
  uniqueViolation,
} from './vouchers.repository.ts';
import {
  audit,
  type Booklet,
  bookletOrThrow,
  type FormResult,
  nowOf,
  type Programme,
  parseCount,
  programmeOrThrow,
  toBooklet,
  toProgramme,
} from './vouchers.service.ts';
import {
  AGE_BANDS,
  type AgeBand,
  type FieldErrors,
  MAX_BOOKLETS_PER_EMISSION,
  MESSAGES,
  requestKeyOf,
} from './vouchers.ts';

/**
 * Booklets of the pass numérique (decision 0037): allocated by the coordinators to prescribers, handed
 * by a prescriber to a person (never named), cancelled when lost or stolen, printed by those who hold
 * them. Every fact is an entry of the append-only ledger.
 */

/**
 * Allocates booklets in stock to a prescriber of the programme: either named booklets or the next
 * `count` in number order. A booklet is allocated once (the database refuses a second allocation).
 * The form's request key is stored on the request's first allocation entry, with the booklets the
 * request allocated: the same key again (a double click) gets those booklets back and writes nothing.
 */
export async function allocateBooklets(
  db: Db,
  actor: Actor,
  input: {
    programmeId: string;
    structureId: string;
    count?: string;
    bookletIds?: readonly string[];
    idempotencyKey?: string;
  },
  opts: { now?: Date } = {},
): Promise<FormResult<{ booklets: { id: string; number: number }[] }>> {
  authorize(actor, 'allocateBooklets');
  const row = await programmeOrThrow(db, input.programmeId);
  let key = requestKeyOf(input.idempotencyKey);
  const replayed = async () => {
    const first = key === null ? undefined : await findEntryByKey(db, key);
    if (!first) return undefined;
    // A key already used by another kind of request is not this one's: this request is not replayed.
    if (first.kind !== 'allocation' || first.programme_id !== row.id) {
      key = null;
      return undefined;
    }
    const booklets = (first.details.requestBooklets ?? []) as { id: string; number: number }[];
    return { ok: true as const, booklets };
  };
  const earlier = await replayed();
  if (earlier) return earlier;
  const prescribers = await listPrescribers(db, row.id);
  const prescriber = prescribers.find((p) => p.structure_id === cleanLine(input.structureId));
  if (cleanLine(input.structureId) === '')
    return { ok: false, errors: { structureId: MESSAGES.structureRequired } };
  if (!prescriber) return { ok: false, errors: { structureId: MESSAGES.bookletNotPrescriber } };
  const ids = input.bookletIds ?? [];
  const count = ids.length > 0 ? ids.length : parseCount(input.count ?? '', MAX_BOOKLETS_PER_EMISSION);
  if (count === null)
    return { ok: false, errors: { count: MESSAGES.bookletsToAllocateInvalid(input.count ?? '') } };
  try {
    return await db.transaction().execute(async (tx) => {
      let chosen: { id: string; number: number }[];
      if (ids.length > 0) {
        chosen = [];
        for (const id of ids) {
          const b = isUuid(id) ? await findBooklet(tx, id) : undefined;
          if (!b || b.programme_id !== row.id)
            return { ok: false as const, errors: { bookletIds: MESSAGES.unknownBooklet } };
          if (b.cancelled_at)
            return {
              ok: false as const,
              errors: { bookletIds: MESSAGES.bookletCancelled(frenchDate(localToday(b.cancelled_at))) },
            };
          if (b.allocated_to)
            return {
              ok: false as const,
              errors: { bookletIds: MESSAGES.bookletAlreadyAllocated(b.allocated_to_name ?? '') },
            };
          chosen.push({ id: b.id, number: b.number });
        }
      } else {
        chosen = await bookletsInStock(tx, row.id, count);
        if (chosen.length < count) {
          const left = await countBookletsInStock(tx, row.id);
          return { ok: false as const, errors: { count: MESSAGES.notEnoughInStock(count, left) } };
        }
      }
      await insertEntries(
        tx,
        chosen.map((b, i) => ({
          programme_id: row.id,
          kind: 'allocation' as const,
          booklet_id: b.id,
          structure_id: prescriber.structure_id,
          actor_id: actorId(actor),
          // The first entry answers a retry of this request: its key and all the booklets it allocated.
          ...(i === 0 ? { idempotency_key: key } : {}),
          details: {
            number: b.number,
            structureName: prescriber.structure_name,
            ...(i === 0 && key !== null ? { requestBooklets: chosen } : {}),
          },
          ...(opts.now ? { created_at: opts.now } : {}),
        })),
      );
      await audit(tx, actor, 'voucher.booklets_allocated', row, {
        structureId: prescriber.structure_id,
        numbers: chosen.map((b) => b.number),
      });
      return { ok: true as const, booklets: chosen };
    });
  } catch (error) {
    // Two identical requests at once: the one that lost the race (on the key, or on the same booklets)
    // gets the winner's answer.
    const index = uniqueViolation(error);
    if (
      key !== null &&
      (index === 'voucher_entry_idempotency_key' || index === 'voucher_entry_allocation_key')
    ) {
      const first = await replayed();
      if (first) return first;
    }
    if (index === 'voucher_entry_allocation_key')
      return {
        ok: false,
        errors: { bookletIds: MESSAGES.bookletAlreadyAllocated(prescriber.structure_name) },
      };
    throw error;
  }
}

/** The booklets allocated to the actor's structures (a prescriber's list), or one programme's for others. */
export async function listMyBooklets(db: Db, actor: Actor): Promise<(Booklet & { programmeName: string })[]> {
  authorize(actor, 'listMyBooklets');
  const structureIds = actor.kind === 'person' ? actor.memberships.map((m) => m.structureId) : [];
  const rows = await listBooklets(db, { structureIds, limit: 500, offset: 0 });
  return rows.map((r) => ({ ...toBooklet(r), programmeName: r.programme_name }));
}

export interface BookletView {
  booklet: Booklet;
  programme: Programme;
  vouchers: { position: number; code: string }[];
  may: { distribute: boolean; cancel: boolean; print: boolean };
  /** Why the booklet can no longer be handed out (the last days of validity), or null. */
  distributionClosed: string | null;
}

/** A booklet's page: its programme, its vouchers' codes (for those who hold it) and what may be done. */
export async function getBooklet(
  db: Db,
  actor: Actor,
  input: { bookletId: string },
  opts: { now?: Date } = {},
): Promise<BookletView> {
  const b = await bookletOrThrow(db, input.bookletId);
  const scope = b.allocated_to ? { structureId: b.allocated_to } : {};
  authorize(actor, 'getBooklet', scope);
  const programme = toProgramme((await findProgramme(db, b.programme_id)) as ProgrammeRow);
  const vouchers = (await listVouchersOfBooklets(db, [b.id])).map((v) => ({
    position: v.position,
    code: v.code,
  }));
  const calendar = closingCalendar(programme.validUntil, programme.graceDays);
  const closed = !distributionOpen(programme.validUntil, localToday(opts.now ?? new Date()));
  const open = !b.cancelled_at && !b.distributed_at && !closed;
  return {
    distributionClosed: closed
      ? CLOSING_MESSAGES.distributionClosed(calendar.distributionStop, calendar.end)
      : null,
    booklet: toBooklet(b),
    programme,
    vouchers,
    may: {
      distribute:
        open && b.allocated_to !== null && can(actor, 'distributeBooklet', { structureId: b.allocated_to }),
      cancel: !b.cancelled_at && can(actor, 'cancelBooklet', scope),
      print: can(actor, 'printBooklets', scope),
    },
  };
}

export interface DistributionValues {
  declared: boolean;
  ageBand: string;
  commune: string;
}

/**
 * Hands a booklet to a person: the date and the prescriber are recorded, with the prescriber's
 * declaration that the person lives in the programme's perimeter (required), and optionally an age band
 * and a commune of residence — never a name. The commune, when given, must be inside the perimeter.
 */
export async function distributeBooklet(
  db: Db,
  actor: Actor,
  input: { bookletId: string } & DistributionValues,
  opts: { now?: Date; resolveCommune: (text: string) => { code: string; name: string } | null },
): Promise<FormResult<{ bookletId: string }>> {
  const b = await bookletOrThrow(db, input.bookletId);
  // Authorised first: whoever may not hand it out learns nothing of where the booklet stands.
  authorize(actor, 'distributeBooklet', { structureId: b.allocated_to ?? '' });
  if (!b.allocated_to) throw new DomainError('conflict', MESSAGES.bookletNotAllocated);
  const row = (await findProgramme(db, b.programme_id)) as ProgrammeRow;
  const now = nowOf(opts);
  const errors: FieldErrors = {};
  if (b.cancelled_at) errors.booklet = MESSAGES.bookletCancelled(frenchDate(localToday(b.cancelled_at)));
  else if (b.distributed_at)
    errors.booklet = MESSAGES.bookletAlreadyDistributed(frenchDate(localToday(b.distributed_at)));
  // After the last day of help the vouchers pay for, a booklet handed out would pay for nothing.
  else if (localToday(now) > row.valid_until)
    errors.booklet = MESSAGES.bookletExpired(frenchDate(row.valid_until));
  // Nor in the last days of validity (decision 0050): the person would have no time to use it.
  else if (!distributionOpen(row.valid_until, localToday(now)))
    errors.booklet = CLOSING_MESSAGES.distributionClosed(
      closingCalendar(row.valid_until, row.grace_days).distributionStop,
      row.valid_until,
    );
  // Nor is a booklet handed out before the funder paid for it: its places would refuse every voucher.
  else if (!b.paid) errors.booklet = MESSAGES.bookletNotPaid;
  if (!input.declared) errors.declared = MESSAGES.declarationRequired;
  const ageBand = cleanLine(input.ageBand);
  if (ageBand !== '' && !AGE_BANDS.includes(ageBand as AgeBand)) errors.ageBand = MESSAGES.ageBandUnknown;
  const communeText = cleanLine(input.commune);
  let commune: { code: string; name: string } | null = null;
  if (communeText !== '') {
    commune = opts.resolveCommune(communeText);
    if (!commune) errors.commune = MESSAGES.communeUnknown(communeText);
    else {
      const parsed = parseTerritory(row.perimeter);
      const inside =
        parsed.ok && resolveTerritory(parsed.territory).communes.some((c) => c.code === commune?.code);
      if (!inside) errors.commune = MESSAGES.communeOutsidePerimeter(commune.name);
    }
  }
  if (Object.keys(errors).length > 0) return { ok: false, errors };
  try {
    await db.transaction().execute(async (tx) => {
      await insertEntry(tx, {
        programme_id: row.id,
        kind: 'distribution',
        booklet_id: b.id,
        structure_id: b.allocated_to,
        actor_id: actorId(actor),
        details: {
          number: b.number,
          declaredInPerimeter: true,
          ageBand: ageBand === '' ? 'non_communique' : ageBand,
          ...(commune ? { communeCode: commune.code, communeName: commune.name } : {}),
        },
        created_at: now,
      });
    });
  } catch (error) {
    if (uniqueViolation(error) === 'voucher_entry_distribution_key')
      return {
        ok: false,
        errors: { booklet: MESSAGES.bookletAlreadyDistributed(frenchDate(localToday(now))) },
      };
    throw error;
  }
  return { ok: true, bookletId: b.id };
}

/**
 * Cancels a lost or stolen booklet (its prescriber or the coordinator; a booklet still in stock, the
 * coordinator only): its vouchers not yet redeemed can never be redeemed. Redemptions made before stay
 * owed to their places.
 */
export async function cancelBooklet(
  db: Db,
  actor: Actor,
  input: { bookletId: string; reason: string },
  opts: { now?: Date } = {},
): Promise<FormResult<object>> {
  const b = await bookletOrThrow(db, input.bookletId);
  authorize(actor, 'cancelBooklet', b.allocated_to ? { structureId: b.allocated_to } : {});
  if (b.cancelled_at)
    return {
      ok: false,
      errors: { reason: MESSAGES.bookletAlreadyCancelled(frenchDate(localToday(b.cancelled_at))) },
    };
  const reason = cleanLine(input.reason);
  if (reason === '') return { ok: false, errors: { reason: MESSAGES.reasonRequired } };
  if ([...reason].length > 300) return { ok: false, errors: { reason: MESSAGES.reasonTooLong } };
  const programme = await programmeOrThrow(db, b.programme_id);
  try {
    await db.transaction().execute(async (tx) => {
      await insertEntry(tx, {
        programme_id: b.programme_id,
        kind: 'booklet_cancellation',
        booklet_id: b.id,
        structure_id: b.allocated_to,
        actor_id: actorId(actor),
        details: { number: b.number, reason },
        ...(opts.now ? { created_at: opts.now } : {}),
      });
      await audit(tx, actor, 'voucher.booklet_cancelled', programme, {
        bookletId: b.id,
        number: b.number,
        reason,
      });
    });
  } catch (error) {
    if (uniqueViolation(error) === 'voucher_entry_booklet_cancellation_key')
      return {
        ok: false,
        errors: { reason: MESSAGES.bookletAlreadyCancelled(frenchDate(localToday(nowOf(opts)))) },
      };
    throw error;
  }
  return { ok: true };
}

export interface PrintableBooklet {
  programme: Programme;
  booklets: { id: string; number: number; vouchers: { position: number; code: string }[] }[];
}

/**
 * Booklet pages to print: one emission's booklets (the coordinator), or one booklet (its prescriber or
 * the coordinator). The codes are the vouchers' only secret: nobody else sees them.
 */
export async function printBooklets(
  db: Db,
  actor: Actor,
  input: { programmeId: string; emissionId?: string; bookletId?: string },
): Promise<PrintableBooklet> {
  const row = await programmeOrThrow(db, input.programmeId);
  let booklets: BookletRow[];
  if (input.bookletId !== undefined) {
    const b = await bookletOrThrow(db, input.bookletId);
    if (b.programme_id !== row.id) throw new DomainError('not_found', MESSAGES.unknownBooklet);
    authorize(actor, 'printBooklets', b.allocated_to ? { structureId: b.allocated_to } : {});
    booklets = [b];
  } else {
    authorize(actor, 'printBooklets');
    const emission = (await listEmissions(db, row.id)).find((e) => String(e.id) === input.emissionId);
    if (!emission) throw new DomainError('not_found', MESSAGES.unknownEmission);
    booklets = await listBooklets(db, {
      programmeId: row.id,
      limit: emission.booklets,
      offset: emission.first_number - 1,
    });
  }
  const vouchers = await listVouchersOfBooklets(
    db,
    booklets.map((b) => b.id),
  );
  await audit(db, actor, 'voucher.booklets_printed', row, { numbers: booklets.map((b) => b.number) });
  return {
    programme: toProgramme(row),
    booklets: booklets.map((b) => ({
      id: b.id,
      number: b.number,
      vouchers: vouchers
        .filter((v) => v.booklet_id === b.id)
        .map((v) => ({ position: v.position, code: v.code })),
    })),
  };
}
