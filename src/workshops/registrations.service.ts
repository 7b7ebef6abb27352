import { createHmac } from 'node:crypto';
import { installationSecret } from '../accounts/accounts.service.ts';
import { type Actor, authorize } from '../accounts/policy.ts';
import { findActivityIdByWorkshopDay } from '../activities/activities.repository.ts';
import type { Limits } from '../config.ts';
import type { Db } from '../db/database.ts';
import { withinLimit } from '../limits/limits.service.ts';
import { enqueueMail } from '../mail/mail.service.ts';
import { DomainError } from '../shared/domain-error.ts';
import { isUuid } from '../shared/ids.ts';
import { formatPhone } from '../shared/phone.ts';
import { addCalendarDays, parisDay } from '../shared/working-days.ts';
import {
  fillFreedSeats,
  hashCancelToken,
  isCancelToken,
  mailChange,
  mailRegistered,
  newCancelToken,
  seated,
} from './seats.service.ts';
import {
  cancelRegistrationRow,
  countRegistrations,
  findLiveDuplicate,
  findOccurrence,
  findRegistration,
  findRegistrationByTokenHash,
  findWorkshop,
  insertRegistration,
  listRegistrationsOfOccurrence,
  listToRemind,
  lockOccurrence,
  markReminded,
  type OccurrenceRow,
  purgeRegistrationsBefore,
  type RegistrationRow,
  refusedBy,
  type SeatCounts,
  setAttendance,
  type WorkshopRow,
} from './workshops.repository.ts';
import {
  checkRegistration,
  dateWords,
  type FieldErrors,
  MESSAGES,
  parisInstant,
  type RegistrationInput,
  type RegistrationState,
} from './workshops.ts';

/**
 * Registrations to the agenda's workshops (decision 0041): anybody registers to a date without an
 * account (a first name and a phone number or an e-mail address), or a mediator registers someone (no
 * contact needed). A full date puts the person on its waiting list; a cancellation (by the link, or the
 * structure removing someone) promotes the first waiting person, who is told. Every change of a date's
 * seats takes the date's row lock first, so no date is ever overbooked. A structure's staff see their
 * workshops' registrations and take attendance; nobody else sees a registered person.
 */

export type RegisterResult =
  | {
      ok: true;
      registrationId: string;
      state: 'registered' | 'waiting';
      /** Rank on the waiting list (1: next), null when registered. */
      position: number | null;
      /** The cancellation link's secret: shown once, mailed once, only its hash is kept. */
      token: string;
      workshopTitle: string;
      startsAt: Date;
    }
  | { ok: false; errors: FieldErrors };

export interface RegisterOptions {
  now?: Date;
  publicUrl: string;
}

const DAY_MINUTES = 24 * 60;

/** The limiter's key of a contact (never the contact itself in the counters' table). */
async function contactKey(db: Db, contact: string): Promise<string> {
  const secret = await installationSecret(db, { kind: 'system' }, { name: 'workshop-contact-keys' });
  return createHmac('sha256', secret).update(`workshop-contact:${contact}`).digest('hex').slice(0, 32);
}

async function loadDate(
  db: Db,
  occurrenceId: string,
): Promise<{ occurrence: OccurrenceRow; workshop: WorkshopRow }> {
  const o = isUuid(occurrenceId) ? await findOccurrence(db, occurrenceId.toLowerCase()) : undefined;
  const w = o ? await findWorkshop(db, o.workshop_id) : undefined;
  if (!o || !w) throw new DomainError('not_found', MESSAGES.unknownDate, { id: occurrenceId });
  return { occurrence: o, workshop: w };
}

/** Why a date takes no registration now (cancelled, past), or null. */
function closedReason(o: OccurrenceRow, w: WorkshopRow, now: Date): string | null {
  if (w.status === 'cancelled') return MESSAGES.workshopCancelled;
  if (o.status === 'cancelled') return MESSAGES.dateCancelled;
  if (o.starts_at <= now) return MESSAGES.datePast;
  return null;
}

/**
 * The registration itself, in one transaction under the date's lock: the date still open, no live
 * registration of the same phone number or address, the limits (public registrations only), then a
 * seat if one is free, else the waiting list's next position; the confirmation mail goes with it.
 */
async function register(
  db: Db,
  input: { occurrenceId: string; form: RegistrationInput; byMediator: string | null },
  opts: RegisterOptions & { client?: string; limits?: Limits },
): Promise<RegisterResult> {
  const now = opts.now ?? new Date();
  const checked = checkRegistration(input.form, { contactOptional: input.byMediator !== null });
  const { occurrence } = await loadDate(db, input.occurrenceId);
  if (!checked.ok) return checked;
  const v = checked.value;
  const keys = await Promise.all(
    [v.phone, v.email].filter((c): c is string => c !== null).map((c) => contactKey(db, c)),
  );
  const { token, hash } = newCancelToken();
  try {
    return await db.transaction().execute(async (trx): Promise<RegisterResult> => {
      const tx = trx as unknown as Db;
      const o = await lockOccurrence(tx, occurrence.id);
      const w = o ? await findWorkshop(tx, o.workshop_id) : undefined;
      if (!o || !w) throw new DomainError('not_found', MESSAGES.unknownDate);
      const closed = closedReason(o, w, now);
      if (closed) return { ok: false, errors: { date: closed } };
      const duplicate = await findLiveDuplicate(tx, o.id, v);
      if (duplicate)
        return v.phone !== null && duplicate.phone === v.phone
          ? { ok: false, errors: { phone: MESSAGES.duplicatePhone } }
          : { ok: false, errors: { email: MESSAGES.duplicateEmail } };
      if (opts.client !== undefined && opts.limits) {
        const perClient = { minutes: 60, now, max: opts.limits.registrationsPerAddressPerHour };
        if (!(await withinLimit(tx, `workshop:client:${opts.client}`, perClient)))
          return { ok: false, errors: { form: MESSAGES.tooManyFromClient(perClient.max) } };
        const perContact = { minutes: DAY_MINUTES, now, max: opts.limits.registrationsPerContactPerWorkshop };
        for (const key of keys)
          if (!(await withinLimit(tx, `workshop:contact:${o.id}:${key}`, perContact)))
            return { ok: false, errors: { form: MESSAGES.tooManyForContact } };
      }
      const counts = await countRegistrations(tx, o.id);
      const full = seated(counts) >= w.capacity;
      const row = await insertRegistration(tx, {
        occurrence_id: o.id,
        first_name: v.firstName,
        phone: v.phone,
        email: v.email,
        registered_by: input.byMediator,
        by_mediator: input.byMediator !== null,
        state: full ? 'waiting' : 'registered',
        waiting_position: full ? counts.lastPosition + 1 : null,
        cancel_token_hash: hash,
        // created_at: the database's clock, which orders the registrations of one date.
        updated_at: now,
      });
      const position = full ? counts.waiting + 1 : null;
      await mailRegistered(tx, {
        registration: row,
        token,
        position,
        occurrence: o,
        workshop: w,
        now,
        publicUrl: opts.publicUrl,
      });
      return {
        ok: true,
        registrationId: row.id,
        state: full ? 'waiting' : 'registered',
        position,
        token,
        workshopTitle: w.title,
        startsAt: o.starts_at,
      };
    });
  } catch (error) {
    // The unique indexes are the last guard against a duplicate (the lock makes this rare).
    const refused = refusedBy(error);
    if (refused?.constraint === 'workshop_registration_phone_key')
      return { ok: false, errors: { phone: MESSAGES.duplicatePhone } };
    if (refused?.constraint === 'workshop_registration_email_key')
      return { ok: false, errors: { email: MESSAGES.duplicateEmail } };
    throw error;
  }
}

/**
 * Registers oneself to a workshop's date, without an account: a first name and a phone number or an
 * e-mail address. A full date gives a place on the waiting list; a cancelled or past date, a live
 * registration of the same number or address, and the limits (LIMIT_REGISTRATIONS_PER_ADDRESS_PER_HOUR
 * per client address, LIMIT_REGISTRATIONS_PER_CONTACT_PER_WORKSHOP per contact and date a day) are
 * refused with French messages, nothing written. Anybody.
 */
export async function registerForWorkshop(
  db: Db,
  actor: Actor,
  input: { occurrenceId: string; form: RegistrationInput },
  opts: RegisterOptions & { client: string; limits: Limits },
): Promise<RegisterResult> {
  authorize(actor, 'registerForWorkshop');
  return register(db, { ...input, byMediator: null }, opts);
}

/**
 * A mediator registers someone to a workshop's date: a first name, the contact optional (the person
 * may have neither phone nor address). Any member of a structure, or a coordinator; the same seats,
 * waiting list and duplicates' rule as anybody.
 */
export async function registerOnBehalf(
  db: Db,
  actor: Actor,
  input: { occurrenceId: string; form: RegistrationInput },
  opts: RegisterOptions,
): Promise<RegisterResult> {
  authorize(actor, 'registerOnBehalf');
  return register(db, { ...input, byMediator: actor.kind === 'person' ? actor.personId : null }, opts);
}

/** What a cancellation link opens: whose registration, to what, in which state. */
export interface RegistrationByLink {
  firstName: string;
  workshopTitle: string;
  startsAt: Date;
  state: RegistrationState;
  /** Rank on the waiting list (1: next), null otherwise. */
  position: number | null;
}

async function byToken(db: Db, token: string): Promise<RegistrationRow> {
  const row = isCancelToken(token)
    ? await findRegistrationByTokenHash(db, hashCancelToken(token))
    : undefined;
  if (!row) throw new DomainError('not_found', MESSAGES.deadLink);
  return row;
}

/** Rank on the waiting list: how many wait before, plus one. */
async function rankOf(db: Db, r: RegistrationRow): Promise<number | null> {
  if (r.state !== 'waiting' || r.waiting_position === null) return null;
  const rows = await listRegistrationsOfOccurrence(db, r.occurrence_id);
  return (
    rows.filter((x) => x.state === 'waiting' && (x.waiting_position ?? 0) < (r.waiting_position ?? 0))
      .length + 1
  );
}

/** What a cancellation link is about, before the person confirms. Anybody holding the link. */
export async function describeRegistrationByToken(
  db: Db,
  actor: Actor,
  input: { token: string },
): Promise<RegistrationByLink> {
  authorize(actor, 'describeRegistrationByToken');
  const r = await byToken(db, input.token);
  const { occurrence, workshop } = await loadDate(db, r.occurrence_id);
  return {
    firstName: r.first_name ?? '',
    workshopTitle: workshop.title,
    startsAt: occurrence.starts_at,
    state: r.state,
    position: await rankOf(db, r),
  };
}

/**
 * Cancels a live registration and fills the seat it frees from the waiting list, under the date's
 * lock. The caller has authorised.
 */
async function cancelLive(
  db: Db,
  registrationId: string,
  by: 'person' | 'structure',
  opts: { now: Date; publicUrl: string },
): Promise<{ cancelled: RegistrationRow; promoted: RegistrationRow[] }> {
  return db.transaction().execute(async (trx) => {
    const tx = trx as unknown as Db;
    const first = await findRegistration(tx, registrationId);
    if (!first) throw new DomainError('not_found', MESSAGES.unknownRegistration);
    const o = await lockOccurrence(tx, first.occurrence_id);
    const w = o ? await findWorkshop(tx, o.workshop_id) : undefined;
    if (!o || !w) throw new DomainError('not_found', MESSAGES.unknownDate);
    if (by === 'person' && o.starts_at <= opts.now)
      throw new DomainError('conflict', MESSAGES.alreadyStarted);
    const cancelled = await cancelRegistrationRow(tx, registrationId, by, opts.now);
    if (!cancelled) throw new DomainError('conflict', MESSAGES.alreadyCancelled);
    const promoted = await fillFreedSeats(tx, {
      occurrence: o,
      workshop: w,
      now: opts.now,
      publicUrl: opts.publicUrl,
    });
    if (by === 'structure')
      await mailChange(tx, {
        registrations: [first],
        occurrences: new Map([[o.id, o]]),
        workshop: w,
        kind: 'removed',
        now: opts.now,
      });
    return { cancelled, promoted };
  });
}

/**
 * Cancels one's registration by the mailed (or shown) link: the token is the secret. A seat freed goes
 * to the first person waiting, who is told. A dead link (already cancelled, unknown) is `not_found`; a
 * started date is a `conflict`. Anybody holding the link.
 */
export async function cancelRegistrationByToken(
  db: Db,
  actor: Actor,
  input: { token: string },
  opts: { now?: Date; publicUrl: string },
): Promise<{ workshopTitle: string; startsAt: Date; promoted: number }> {
  authorize(actor, 'cancelRegistrationByToken');
  const r = await byToken(db, input.token);
  if (r.state !== 'registered' && r.state !== 'waiting')
    throw new DomainError('not_found', MESSAGES.deadLink);
  const { occurrence, workshop } = await loadDate(db, r.occurrence_id);
  const { promoted } = await cancelLive(db, r.id, 'person', {
    now: opts.now ?? new Date(),
    publicUrl: opts.publicUrl,
  });
  return { workshopTitle: workshop.title, startsAt: occurrence.starts_at, promoted: promoted.length };
}

/** A registration as the structure's staff see it. */
export interface RegistrationView {
  id: string;
  firstName: string | null;
  /** As people write it (06 12 34 56 78). */
  phone: string | null;
  email: string | null;
  byMediator: boolean;
  state: RegistrationState;
  /** Rank on the waiting list (1: next), null otherwise. */
  position: number | null;
  createdAt: Date;
  promotedAt: Date | null;
  purged: boolean;
}

/** A date's registrations, authorised for `fn` on the workshop's structure. */
async function dateFor(
  db: Db,
  actor: Actor,
  fn: 'listRegistrations' | 'recordAttendance',
  occurrenceId: string,
): Promise<{ occurrence: OccurrenceRow; workshop: WorkshopRow }> {
  const o = isUuid(occurrenceId) ? await findOccurrence(db, occurrenceId.toLowerCase()) : undefined;
  const w = o ? await findWorkshop(db, o.workshop_id) : undefined;
  if (!o || !w) {
    authorize(actor, fn, {}); // nobody learns anything about an id they may not see
    throw new DomainError('not_found', MESSAGES.unknownDate, { id: occurrenceId });
  }
  authorize(actor, fn, { structureId: w.structure_id });
  return { occurrence: o, workshop: w };
}

function toRegistrationViews(rows: readonly RegistrationRow[]): RegistrationView[] {
  let rank = 0;
  return rows.map((r) => ({
    id: r.id,
    firstName: r.first_name,
    phone: r.phone ? formatPhone(r.phone) : null,
    email: r.email,
    byMediator: r.by_mediator,
    state: r.state,
    position: r.state === 'waiting' ? ++rank : null,
    createdAt: r.created_at,
    promotedAt: r.promoted_at,
    purged: r.purged_at !== null,
  }));
}

/**
 * A date's registrations and counts: seated people first, then the waiting list in order, then the
 * cancelled ones. The workshop's structure's own staff only (not a coordinator, not another structure).
 */
export async function listRegistrations(
  db: Db,
  actor: Actor,
  input: { occurrenceId: string },
  opts: { now?: Date } = {},
): Promise<{
  workshopId: string;
  structureId: string;
  title: string;
  startsAt: Date;
  capacity: number;
  /** Over (its end passed) and not cancelled: the date may be recorded in the activities. */
  over: boolean;
  /** The structure's activity record of this date (the workshop on its day), once written. */
  activityId: string | null;
  counts: SeatCounts;
  registrations: RegistrationView[];
}> {
  const { occurrence, workshop } = await dateFor(db, actor, 'listRegistrations', input.occurrenceId);
  const cancelled = occurrence.status === 'cancelled' || workshop.status === 'cancelled';
  return {
    workshopId: workshop.id,
    structureId: workshop.structure_id,
    title: workshop.title,
    startsAt: occurrence.starts_at,
    capacity: workshop.capacity,
    over: !cancelled && occurrence.ends_at <= (opts.now ?? new Date()),
    activityId: (await findActivityIdByWorkshopDay(db, workshop.id, parisDay(occurrence.starts_at))) ?? null,
    counts: await countRegistrations(db, occurrence.id),
    registrations: toRegistrationViews(await listRegistrationsOfOccurrence(db, occurrence.id)),
  };
}

/**
 * The structure removes a registration (registered or waiting): the seat freed goes to the first
 * person waiting, who is told; the removed person is told if they gave an address. The workshop's
 * structure's own staff only.
 */
export async function removeRegistration(
  db: Db,
  actor: Actor,
  input: { registrationId: string },
  opts: { now?: Date; publicUrl: string },
): Promise<{ promoted: number }> {
  const r = isUuid(input.registrationId)
    ? await findRegistration(db, input.registrationId.toLowerCase())
    : undefined;
  const date = r ? await findOccurrence(db, r.occurrence_id) : undefined;
  const w = date ? await findWorkshop(db, date.workshop_id) : undefined;
  if (!r || !w) {
    authorize(actor, 'removeRegistration', {});
    throw new DomainError('not_found', MESSAGES.unknownRegistration, { id: input.registrationId });
  }
  authorize(actor, 'removeRegistration', { structureId: w.structure_id });
  const { promoted } = await cancelLive(db, r.id, 'structure', {
    now: opts.now ?? new Date(),
    publicUrl: opts.publicUrl,
  });
  return { promoted: promoted.length };
}

/**
 * The facilitator takes attendance on the day (or after): each seated person present or absent, in
 * one transaction (one wrong line writes nothing). The workshop's structure's own staff only.
 */
export async function recordAttendance(
  db: Db,
  actor: Actor,
  input: { occurrenceId: string; marks: Readonly<Record<string, string>> },
  opts: { now?: Date } = {},
): Promise<FormResult<{ counts: SeatCounts }>> {
  const { occurrence } = await dateFor(db, actor, 'recordAttendance', input.occurrenceId);
  const now = opts.now ?? new Date();
  if (parisDay(now) < parisDay(occurrence.starts_at))
    return { ok: false, errors: { form: MESSAGES.attendanceTooEarly } };
  const marks: [string, 'attended' | 'absent'][] = [];
  for (const [id, mark] of Object.entries(input.marks ?? {})) {
    const state =
      mark === 'present' || mark === 'attended' ? 'attended' : mark === 'absent' ? 'absent' : null;
    if (state === null) return { ok: false, errors: { [`marks.${id}`]: MESSAGES.attendanceUnknown } };
    marks.push([id.toLowerCase(), state]);
  }
  return db
    .transaction()
    .execute(async (trx) => {
      const tx = trx as unknown as Db;
      await lockOccurrence(tx, occurrence.id);
      for (const [id, state] of marks) {
        const row = isUuid(id) ? await findRegistration(tx, id) : undefined;
        if (!row || row.occurrence_id !== occurrence.id)
          throw new DomainError('not_found', MESSAGES.unknownRegistration, { id });
        if (!(await setAttendance(tx, id, state, now))) {
          // Roll back what this call wrote: one wrong line writes nothing.
          throw new AttendanceRefused(id);
        }
      }
      return { ok: true as const, counts: await countRegistrations(tx, occurrence.id) };
    })
    .catch((error) => {
      if (error instanceof AttendanceRefused)
        return { ok: false as const, errors: { [`marks.${error.id}`]: MESSAGES.attendanceNotSeated } };
      throw error;
    });
}

export type FormResult<T> = ({ ok: true } & T) | { ok: false; errors: FieldErrors };

class AttendanceRefused extends Error {
  constructor(readonly id: string) {
    super('not seated');
  }
}

/**
 * Mails once, the day before, each person registered (not waiting) with an address to a date that
 * goes on. The job runner only; running it again mails nothing more.
 */
export async function runWorkshopReminders(
  db: Db,
  actor: Actor,
  input: { now: Date; publicUrl: string },
): Promise<{ reminded: number }> {
  authorize(actor, 'runWorkshopReminders');
  const tomorrow = addCalendarDays(parisDay(input.now), 1);
  const from = parisInstant(`${tomorrow}T00:00`) as Date;
  const to = parisInstant(`${addCalendarDays(tomorrow, 1)}T00:00`) as Date;
  let reminded = 0;
  for (const r of await listToRemind(db, { from, to })) {
    const w = await findWorkshop(db, r.workshop_id);
    if (!w || !r.email) continue;
    await db.transaction().execute(async (trx) => {
      const tx = trx as unknown as Db;
      if (!(await markReminded(tx, r.id, input.now))) return;
      await enqueueMail(
        tx,
        {
          to: r.email as string,
          kind: 'workshop_reminder',
          subject: `Rappel : ${w.title}, demain`,
          text: [
            `Bonjour ${r.first_name ?? ''},`,
            '',
            `Rappel : vous êtes inscrit à l’atelier « ${w.title} » demain, le ${dateWords(r.starts_at)},`,
            w.mode === 'online' ? `en ligne : ${w.online_url}` : `à ${w.place_name}.`,
            '',
            'Si vous ne pouvez pas venir, annulez avec le lien reçu lors de votre inscription :',
            'la place ira à une personne de la liste d’attente.',
          ].join('\n'),
        },
        input.now,
      );
      reminded++;
    });
  }
  return { reminded };
}

/**
 * Blanks the personal fields (first name, number, address, link) of the registrations of dates ended
 * more than `days` days ago (RETENTION_REGISTRATION_DAYS); the rows and their states stay, so the
 * counts stay. Part of the privacy purge (not a policy function: the purge's own rule has decided).
 */
export async function purgeWorkshopRegistrations(
  db: Db,
  input: { now: Date; days: number },
): Promise<{ workshopRegistrations: number }> {
  const before = new Date(input.now.getTime() - input.days * 86_400_000);
  const { registrations } = await db
    .transaction()
    .execute((trx) => purgeRegistrationsBefore(trx as unknown as Db, before, input.now));
  return { workshopRegistrations: registrations };
}
