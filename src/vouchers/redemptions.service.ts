import { type Actor, actorId, authorize, can } from '../accounts/policy.ts';
import { DEFAULT_LIMITS, type Limits } from '../config.ts';
import type { Db } from '../db/database.ts';
import { countEvent, readCounts } from '../limits/limits.service.ts';
import { frenchDate, localToday, parseDateInput } from '../places/place-dates.ts';
import { NEEDS } from '../search/needs.ts';
import { DomainError } from '../shared/domain-error.ts';
import type { HomeBlock } from '../shared/home-block.ts';
import { isUuid } from '../shared/ids.ts';
import { cleanLine } from '../shared/text.ts';
import { readVoucherCode } from './voucher-code.ts';
import {
  checkViolation,
  countNetworkRedemptionsSince,
  findRedemption,
  findRedemptionByKey,
  findVoucherFacts,
  insertEntry,
  listRedemptionRows,
  type QualifiedPlaceRow,
  qualifiedPlaceRows,
  qualifiedPlacesOfStructures,
  type RedemptionRow,
  uniqueViolation,
  type VoucherFactsRow,
} from './vouchers.repository.ts';
import { audit, programmeOrThrow } from './vouchers.service.ts';
import {
  type FieldErrors,
  lastRecordingDay,
  MESSAGES,
  OWN_CANCELLATION_HOURS,
  requestKeyOf,
  type VoucherState,
  voucherState,
} from './vouchers.ts';

/**
 * Redemption of vouchers by qualified places (decision 0037). A place's staff type (or scan) a code; the
 * page says what the voucher is; they redeem it for the help given. Redemption is one INSERT that the
 * database accepts at most once per voucher (unique indexes), so two places racing for one voucher get
 * one success and one "already redeemed". A retried request with the same key gets the first answer.
 * Unknown codes and wrong check characters count as guesses, limited per account and per place; many
 * across the network alert the coordinators.
 */

/** The config's limits (LIMIT_PASS_GUESSES_*, ALERT_PASS_GUESSES_PER_HOUR). */
export type GuessLimits = Pick<
  Limits,
  'passGuessesPerAccountPerHour' | 'passGuessesPerPlacePerDay' | 'passGuessAlertPerHour'
>;

const NETWORK_GUESSES = 'pass-guess:network';
const accountKey = (personId: string) => `pass-guess:person:${personId}`;
const placeKey = (placeId: string) => `pass-guess:place:${placeId}`;

export interface RedemptionOptions {
  now?: Date;
  limits?: GuessLimits;
}

/** The places where the actor may redeem: the qualified places of their structures, one line per place. */
export async function myRedemptionPlaces(db: Db, actor: Actor): Promise<QualifiedPlaceRow[]> {
  authorize(actor, 'myRedemptionPlaces');
  const structureIds = actor.kind === 'person' ? actor.memberships.map((m) => m.structureId) : [];
  const rows = await qualifiedPlacesOfStructures(db, structureIds);
  return [...new Map(rows.map((r) => [r.place_id, r])).values()];
}

async function placeFor(db: Db, placeId: string, actor: Actor, fn: 'redeemVoucher' | 'describeVoucher') {
  const id = cleanLine(placeId);
  const rows = isUuid(id) ? await qualifiedPlaceRows(db, id) : [];
  const first = rows[0];
  if (!first) {
    authorize(actor, fn, { structureId: '' });
    throw new DomainError('forbidden', MESSAGES.notYourPlace, { placeId: id });
  }
  authorize(actor, fn, { structureId: first.structure_id });
  return { place: first, programmes: new Set(rows.map((r) => r.programme_id)) };
}

export type Refusal =
  | 'code'
  | 'too_many_guesses'
  | 'unknown'
  | 'check'
  | 'already_redeemed'
  | 'expired'
  | 'not_yet_valid'
  | 'not_paid'
  | 'not_distributed'
  | 'cancelled'
  | 'not_for_this_place'
  | 'form';

export interface VoucherDescription {
  code: string;
  programmeName: string;
  faceValueCents: number;
  bookletNumber: number;
  state: VoucherState;
  lastRecordingDay: string;
}

export type Lookup =
  | { ok: true; voucher: VoucherDescription }
  | { ok: false; refusal: Refusal; errors: FieldErrors; voucher?: VoucherDescription };

const describe = (f: VoucherFactsRow, today: string): VoucherDescription => {
  const last = lastRecordingDay(f.valid_until, f.grace_days);
  return {
    code: f.code,
    programmeName: f.programme_name,
    faceValueCents: f.face_value_cents,
    bookletNumber: f.booklet_number,
    lastRecordingDay: last,
    state: voucherState(
      {
        paid: f.paid,
        allocated: f.allocated_to !== null,
        distributed: f.distributed_at !== null,
        bookletCancelled: f.cancelled_at !== null,
        redeemed: f.last_redemption_id !== null && f.last_redemption_cancelled === false,
        lastRecordingDay: last,
      },
      today,
    ),
  };
};

/** Why this voucher cannot be redeemed at this place today, or null when it can. */
function refusalOf(
  f: VoucherFactsRow,
  programmes: ReadonlySet<string>,
  today: string,
): { refusal: Refusal; message: string } | null {
  // A place outside the voucher's programme learns nothing more about it than that.
  if (!programmes.has(f.programme_id))
    return { refusal: 'not_for_this_place', message: MESSAGES.notForThisPlace(f.programme_name) };
  if (f.last_redemption_id !== null && f.last_redemption_cancelled === false)
    return {
      refusal: 'already_redeemed',
      message: MESSAGES.alreadyRedeemed(
        frenchDate(localToday(f.last_redemption_at as Date)),
        f.last_redemption_place ?? '',
      ),
    };
  if (f.cancelled_at)
    return {
      refusal: 'cancelled',
      message: MESSAGES.voucherCancelled(frenchDate(localToday(f.cancelled_at))),
    };
  const last = lastRecordingDay(f.valid_until, f.grace_days);
  if (today > last) return { refusal: 'expired', message: MESSAGES.voucherExpired(frenchDate(last)) };
  if (today < f.valid_from)
    return { refusal: 'not_yet_valid', message: MESSAGES.voucherNotYetValid(frenchDate(f.valid_from)) };
  if (!f.paid) return { refusal: 'not_paid', message: MESSAGES.voucherNotPaid };
  if (!f.distributed_at) return { refusal: 'not_distributed', message: MESSAGES.voucherNotDistributed };
  return null;
}

/**
 * Keys this process knows to be over their guessing limit, and until when it trusts that without asking
 * the database again. Every guess is counted in the shared counters, whose answer says when a key goes
 * over; a redemption that guesses nothing reads no counter (the hot path stays at its few queries). A
 * key pushed over its limit by another server is learnt at this server's next guess for it: across n
 * servers, at most n - 1 more guesses than the limit (decision 0037).
 */
const overLimit = new Map<string, number>();
const OVER_LIMIT_RECHECK_MS = 60_000;

async function overAnyLimit(
  db: Db,
  watched: readonly { key: string; minutes: number; max: number }[],
  now: Date,
): Promise<boolean> {
  const known = watched.filter((w) => overLimit.has(w.key));
  if (known.length === 0) return false;
  if (known.some((w) => (overLimit.get(w.key) ?? 0) > now.getTime())) return true;
  // The trust has lapsed: ask the shared counters once, and forget the keys whose window has ended.
  const counts = await readCounts(db, known, now);
  let over = false;
  known.forEach((w, i) => {
    if ((counts[i] ?? 0) >= w.max) {
      overLimit.set(w.key, now.getTime() + OVER_LIMIT_RECHECK_MS);
      over = true;
    } else overLimit.delete(w.key);
  });
  return over;
}

/**
 * Reads a typed code for a place: checks its form and check character before any lookup, applies the
 * guessing limits (unknown codes and wrong check characters count), then finds the voucher.
 */
async function lookUp(
  db: Db,
  actor: Actor,
  placeId: string,
  typed: string,
  opts: RedemptionOptions,
): Promise<{ facts: VoucherFactsRow } | { refusal: Refusal; errors: FieldErrors }> {
  const now = opts.now ?? new Date();
  const limits = opts.limits ?? DEFAULT_LIMITS;
  const personKey = actor.kind === 'person' ? accountKey(actor.personId) : null;
  const watched = [
    ...(personKey ? [{ key: personKey, minutes: 60, max: limits.passGuessesPerAccountPerHour }] : []),
    { key: placeKey(placeId), minutes: 24 * 60, max: limits.passGuessesPerPlacePerDay },
  ];
  if (await overAnyLimit(db, watched, now))
    return { refusal: 'too_many_guesses', errors: { code: MESSAGES.tooManyGuesses } };
  const guess = async () => {
    for (const w of watched) {
      const count = await countEvent(db, w.key, { minutes: w.minutes, now });
      if (count >= w.max) overLimit.set(w.key, now.getTime() + OVER_LIMIT_RECHECK_MS);
    }
    await countEvent(db, NETWORK_GUESSES, { minutes: 60, now });
  };
  const reading = readVoucherCode(typed);
  if (!reading.ok) {
    if (reading.reason === 'check') {
      await guess();
      return { refusal: 'check', errors: { code: MESSAGES.codeCheck } };
    }
    const message =
      reading.reason === 'missing'
        ? MESSAGES.codeMissing
        : reading.reason === 'length'
          ? MESSAGES.codeLength(reading.length)
          : MESSAGES.codeCharacter(reading.character, reading.position);
    return { refusal: 'code', errors: { code: message } };
  }
  const facts = await findVoucherFacts(db, reading.code);
  if (!facts) {
    await guess();
    return { refusal: 'unknown', errors: { code: MESSAGES.unknownCode } };
  }
  return { facts };
}

/** What a typed code is, before redeeming it: the programme, the value, and whether this place may take it. */
export async function describeVoucher(
  db: Db,
  actor: Actor,
  input: { placeId: string; code: string },
  opts: RedemptionOptions = {},
): Promise<Lookup> {
  const { place, programmes } = await placeFor(db, input.placeId, actor, 'describeVoucher');
  const found = await lookUp(db, actor, place.place_id, input.code, opts);
  if ('refusal' in found) return { ok: false, ...found };
  const today = localToday(opts.now ?? new Date());
  const voucher = describe(found.facts, today);
  const refusal = refusalOf(found.facts, programmes, today);
  if (refusal) return { ok: false, refusal: refusal.refusal, errors: { code: refusal.message }, voucher };
  return { ok: true, voucher };
}

export interface Redemption {
  id: number;
  code: string;
  programmeName: string;
  amountCents: number;
  placeId: string;
  /** The structure of the place (the activity record of the help given is that structure's). */
  structureId: string;
  placeName: string;
  needs: string[];
  servedOn: string;
  at: Date;
  cancelledAt: Date | null;
  cancelReason: string | null;
  /** The place may still undo it itself (within 24 hours, not cancelled). */
  cancellableByPlace: boolean;
}

const toRedemption = (r: RedemptionRow, now: Date): Redemption => ({
  id: Number(r.id),
  code: r.code,
  programmeName: r.programme_name,
  amountCents: Number(r.amount_cents),
  placeId: r.place_id,
  structureId: r.structure_id,
  placeName: typeof r.details.placeName === 'string' ? r.details.placeName : '',
  needs: Array.isArray(r.details.needs) ? (r.details.needs as string[]) : [],
  servedOn: typeof r.details.servedOn === 'string' ? r.details.servedOn : localToday(r.created_at),
  at: r.created_at,
  cancelledAt: r.cancelled_at,
  cancelReason: r.cancellation && typeof r.cancellation.reason === 'string' ? r.cancellation.reason : null,
  cancellableByPlace:
    r.cancelled_at === null && now.getTime() - r.created_at.getTime() < OWN_CANCELLATION_HOURS * 3_600_000,
});

export interface RedeemInput {
  placeId: string;
  code: string;
  needs: readonly string[];
  servedOn: string;
  idempotencyKey: string;
}

export type RedeemResult =
  | { ok: true; redemption: Redemption; replayed: boolean }
  | { ok: false; refusal: Refusal; errors: FieldErrors; voucher?: VoucherDescription };

/**
 * Redeems a voucher at a qualified place for the help given (the everyday needs it paid for): atomic
 * (one INSERT the database accepts at most once per voucher) and idempotent (the same key returns the
 * first answer). Refused, with a French reason: unknown code, a wrong check character, already redeemed
 * (when and where), expired, not paid, not handed to a person, not for this place.
 */
export async function redeemVoucher(
  db: Db,
  actor: Actor,
  input: RedeemInput,
  opts: RedemptionOptions = {},
): Promise<RedeemResult> {
  const { place, programmes } = await placeFor(db, input.placeId, actor, 'redeemVoucher');
  const now = opts.now ?? new Date();
  const today = localToday(now);
  const validKey = requestKeyOf(cleanLine(input.idempotencyKey));
  // A retried request (same key) gets the first answer. The key is looked up only when this request is
  // about to be refused: a first request, the usual case, costs no lookup; had the key redeemed another
  // voucher, the INSERT's unique index on keys sends it to the same replay below.
  const refuse = async (refused: RedeemResult & { ok: false }, mayBeRetry = true): Promise<RedeemResult> => {
    if (!validKey || !mayBeRetry) return refused;
    const first = await findRedemptionByKey(db, validKey);
    return first ? replay(first, place.place_id, input.code, now) : refused;
  };
  const errors: FieldErrors = {};
  const needs = [...new Set(input.needs.map(cleanLine).filter((n) => n !== ''))];
  if (needs.length === 0) errors.needs = MESSAGES.needsRequired;
  const unknownNeed = needs.find((n) => !NEEDS.some((x) => x.slug === n));
  if (unknownNeed !== undefined) errors.needs = MESSAGES.needUnknown(unknownNeed);
  const servedText = cleanLine(input.servedOn);
  const servedOn = servedText === '' ? today : parseDateInput(servedText);
  if (servedOn === null) errors.servedOn = MESSAGES.servedOnInvalid(servedText);
  else if (servedOn > today) errors.servedOn = MESSAGES.servedOnFuture;
  const found = await lookUp(db, actor, place.place_id, input.code, opts);
  if ('refusal' in found)
    return refuse({ ok: false, refusal: found.refusal, errors: { ...errors, ...found.errors } });
  const f = found.facts;
  const voucher = describe(f, today);
  const refusal = refusalOf(f, programmes, today);
  if (refusal)
    return refuse(
      { ok: false, refusal: refusal.refusal, errors: { ...errors, code: refusal.message }, voucher },
      // Already redeemed under another key: not a retry of this request (the usual refusal, no lookup).
      refusal.refusal !== 'already_redeemed' || f.last_redemption_key === validKey,
    );
  if (servedOn !== null && !errors.servedOn && servedOn > f.valid_until)
    errors.servedOn = MESSAGES.servedAfterValidity(frenchDate(f.valid_until));
  // Help given before the programme began is not what the funder paid for.
  else if (servedOn !== null && servedOn < f.valid_from)
    errors.servedOn = MESSAGES.servedBeforeValidity(frenchDate(f.valid_from));
  if (Object.keys(errors).length > 0) return refuse({ ok: false, refusal: 'form', errors, voucher });
  try {
    const entry = await insertEntry(db, {
      programme_id: f.programme_id,
      kind: 'redemption',
      voucher_id: f.voucher_id,
      booklet_id: f.booklet_id,
      place_id: place.place_id,
      structure_id: place.structure_id,
      amount_cents: f.face_value_cents,
      previous_redemption_id:
        f.last_redemption_id !== null && f.last_redemption_cancelled ? f.last_redemption_id : null,
      idempotency_key: validKey,
      actor_id: actorId(actor),
      details: { placeName: place.place_name, needs, servedOn, code: f.code },
      created_at: now,
    });
    return {
      ok: true,
      replayed: false,
      redemption: {
        id: Number(entry.id),
        code: f.code,
        programmeName: f.programme_name,
        amountCents: f.face_value_cents,
        placeId: place.place_id,
        structureId: place.structure_id,
        placeName: place.place_name,
        needs,
        servedOn: servedOn as string,
        at: entry.created_at,
        cancelledAt: null,
        cancelReason: null,
        cancellableByPlace: true,
      },
    };
  } catch (error) {
    // The programme's expiry was written between the read and this insert (the database refuses it).
    if (checkViolation(error) === 'voucher_entry_expired')
      return {
        ok: false,
        refusal: 'expired',
        errors: { code: MESSAGES.voucherExpired(frenchDate(lastRecordingDay(f.valid_until, f.grace_days))) },
        voucher,
      };
    const index = uniqueViolation(error);
    // Whichever index refused it, a request whose key already redeemed is a retry (a double click: the
    // database checks the voucher's index before the key's): it gets its first answer.
    if (index !== null && validKey) {
      const first = await findRedemptionByKey(db, validKey);
      if (first) return replay(first, place.place_id, input.code, now);
    }
    if (index === 'voucher_entry_first_redemption_key' || index === 'voucher_entry_next_redemption_key') {
      const again = await findVoucherFacts(db, f.code);
      const message =
        again?.last_redemption_at && again.last_redemption_cancelled === false
          ? MESSAGES.alreadyRedeemed(
              frenchDate(localToday(again.last_redemption_at)),
              again.last_redemption_place ?? '',
            )
          : MESSAGES.alreadyRedeemed(frenchDate(today), '');
      return { ok: false, refusal: 'already_redeemed', errors: { code: message }, voucher };
    }
    throw error;
  }
}

/** The first answer to a retried request: only to the structure that made it, and for the same code. */
function replay(first: RedemptionRow, placeId: string, typed: string, now: Date): RedeemResult {
  const reading = readVoucherCode(typed);
  // The same request sent again: same place, same voucher. Anything else under that key is refused, and
  // so is a redemption cancelled since (its success page must never be shown again).
  if (first.place_id !== placeId || !reading.ok || reading.code !== first.code)
    return { ok: false, refusal: 'form', errors: { code: MESSAGES.keyReusedForOtherVoucher } };
  if (first.cancelled_at)
    return {
      ok: false,
      refusal: 'form',
      errors: { code: MESSAGES.replayOfCancelled(frenchDate(localToday(first.cancelled_at))) },
    };
  return { ok: true, replayed: true, redemption: toRedemption(first, now) };
}

/** The redemptions of the actor's structures' places (a coordinator: the network's), newest first. */
export async function listRedemptions(
  db: Db,
  actor: Actor,
  input: { page?: number } = {},
  opts: { now?: Date } = {},
): Promise<Redemption[]> {
  authorize(actor, 'listRedemptions');
  const coordinator =
    actor.kind === 'system' || (actor.kind === 'person' && actor.networkRole === 'coordinator');
  const structureIds = coordinator
    ? undefined
    : actor.kind === 'person'
      ? actor.memberships.map((m) => m.structureId)
      : [];
  const asked = Math.floor(input.page ?? 1);
  const page = Number.isSafeInteger(asked) ? Math.min(Math.max(1, asked), 100_000) : 1;
  const rows = await listRedemptionRows(db, {
    ...(structureIds ? { structureIds } : {}),
    limit: 100,
    offset: (page - 1) * 100,
  });
  const now = opts.now ?? new Date();
  return rows.map((r) => toRedemption(r, now));
}

/**
 * Cancels a redemption with a compensating entry: the place's own staff within 24 hours (a mistake);
 * later, only a coordinator, with a reason. The voucher may then be redeemed again.
 */
export async function cancelRedemption(
  db: Db,
  actor: Actor,
  input: { redemptionId: string; reason: string },
  opts: { now?: Date } = {},
): Promise<{ ok: true } | { ok: false; errors: FieldErrors }> {
  const id = /^\d{1,15}$/.test(cleanLine(input.redemptionId)) ? Number(cleanLine(input.redemptionId)) : null;
  const r = id === null ? undefined : await findRedemption(db, id);
  if (!r) throw new DomainError('not_found', MESSAGES.unknownRedemption);
  authorize(actor, 'cancelRedemption', { structureId: r.structure_id });
  const now = opts.now ?? new Date();
  const coordinator =
    actor.kind === 'system' || (actor.kind === 'person' && actor.networkRole === 'coordinator');
  const member = actor.kind === 'person' && actor.memberships.some((m) => m.structureId === r.structure_id);
  if (r.cancelled_at) return { ok: false, errors: { reason: MESSAGES.redemptionAlreadyCancelled } };
  const recent = now.getTime() - r.created_at.getTime() < OWN_CANCELLATION_HOURS * 3_600_000;
  const reason = cleanLine(input.reason);
  if (!(member && recent) && !coordinator)
    return { ok: false, errors: { reason: MESSAGES.cancellationTooLate } };
  if (reason === '' && !(member && recent)) return { ok: false, errors: { reason: MESSAGES.reasonRequired } };
  if ([...reason].length > 300) return { ok: false, errors: { reason: MESSAGES.reasonTooLong } };
  const programme = await programmeOrThrow(db, r.programme_id);
  try {
    await db.transaction().execute(async (tx) => {
      await insertEntry(tx, {
        programme_id: r.programme_id,
        kind: 'redemption_cancellation',
        voucher_id: r.voucher_id,
        booklet_id: r.booklet_id,
        place_id: r.place_id,
        structure_id: r.structure_id,
        amount_cents: Number(r.amount_cents),
        cancels_entry_id: Number(r.id),
        actor_id: actorId(actor),
        details: { reason: reason === '' ? 'erreur de saisie' : reason, byCoordinator: !(member && recent) },
        created_at: now,
      });
      await audit(tx, actor, 'voucher.redemption_cancelled', programme, {
        redemptionId: Number(r.id),
        reason,
      });
    });
  } catch (error) {
    if (uniqueViolation(error) === 'voucher_entry_cancels_entry_id_key')
      return { ok: false, errors: { reason: MESSAGES.redemptionAlreadyCancelled } };
    throw error;
  }
  return { ok: true };
}

/** The coordinators' alarm: more unknown codes across the network in the last hour than the threshold. */
export async function homeBlocks(
  db: Db,
  actor: Actor,
  opts: { now?: Date; alertPerHour?: number } = {},
): Promise<HomeBlock[]> {
  if (actor.kind !== 'person') return [];
  const now = opts.now ?? new Date();
  const blocks: HomeBlock[] = [];
  if (actor.networkRole === 'coordinator') {
    const threshold = opts.alertPerHour ?? DEFAULT_LIMITS.passGuessAlertPerHour;
    const [guesses = 0] = await readCounts(db, [{ key: NETWORK_GUESSES, minutes: 60 }], now);
    if (guesses > threshold)
      blocks.push({
        id: 'vouchers.guessing_alert',
        audience: 'coordinator',
        title: 'Alerte : codes de chèques inconnus',
        count: guesses,
        summary: `${guesses} codes de chèques inconnus ou mal recopiés ont été tapés dans la dernière heure, plus que le seuil de ${threshold}. Quelqu'un essaie peut-être de deviner des codes.`,
        href: '/pass/encaissements',
        linkLabel: 'Voir les encaissements',
      });
    const lastDay = await countNetworkRedemptionsSince(db, new Date(now.getTime() - 86_400_000));
    blocks.push({
      id: 'vouchers.redemptions',
      audience: 'coordinator',
      title: 'Pass numérique',
      count: lastDay,
      summary: `${lastDay} chèque${lastDay > 1 ? 's' : ''} encaissé${lastDay > 1 ? 's' : ''} ces dernières 24 heures.`,
      href: '/pass',
      linkLabel: 'Voir les programmes',
      kind: 'figures',
    });
  }
  if (actor.memberships.length > 0 && can(actor, 'myRedemptionPlaces')) {
    const places = await qualifiedPlacesOfStructures(
      db,
      actor.memberships.map((m) => m.structureId),
    );
    if (places.length > 0)
      blocks.push({
        id: 'vouchers.redeem',
        audience: 'structure',
        title: 'Encaisser un chèque pass numérique',
        count: places.length,
        summary: `${places.length} lieu${places.length > 1 ? 'x' : ''} de votre structure accepte${places.length > 1 ? 'nt' : ''} les chèques pass numérique.`,
        href: '/pass/encaisser',
        linkLabel: 'Encaisser un chèque',
        kind: 'figures',
      });
  }
  return blocks;
}
