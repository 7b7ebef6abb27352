import { installationSecret } from '../accounts/accounts.service.ts';
import { type Actor, authorize, can } from '../accounts/policy.ts';
import type { Limits, NetworkContact } from '../config.ts';
import type { Db } from '../db/database.ts';
import { withinLimit } from '../limits/limits.service.ts';
import { enqueueMail } from '../mail/mail.service.ts';
import { findPlaceWithStructure, listPlaceClosures } from '../places/places.service.ts';
import { getPublicPlace } from '../places/public-places.service.ts';
import { DomainError } from '../shared/domain-error.ts';
import type { HomeBlock } from '../shared/home-block.ts';
import { isUuid } from '../shared/ids.ts';
import { formatPhone } from '../shared/phone.ts';
import type { PublicScope } from '../shared/territory.ts';
import { parisDay } from '../shared/working-days.ts';
import {
  countStructureMembers,
  networkCoordinatorAddresses,
  structureMemberAddresses,
  structureNames,
} from '../structures/structures.service.ts';
import {
  type CallbackRow,
  countOpenCallbacks,
  deleteCallbacksBefore,
  findCallback,
  findRecentOpenCallback,
  insertCallback,
  listCallbackRows,
  listLateNotReminded,
  markCallbackReminded,
  recordCallbackOutcome,
} from './callbacks.repository.ts';
import { dayWords } from './callbacks.strings.ts';
import {
  type CallbackForm,
  type CallbackIssue,
  type CallbackOutcome,
  type CallbackSlotPart,
  type CallbackState,
  checkCallbackForm,
  dueOn,
  newReference,
  type OfferedDay,
  OPEN_STATES,
  OUTCOMES,
  offeredDays,
  openingOf,
  phoneKey,
} from './callbacks.ts';

/**
 * "Être rappelé" (docs/decisions/0032-callbacks.md): a person without an account leaves a first name, a
 * number and a slot; the place's structure (or the network's coordinators when the place has no
 * structure with members) calls once and records how it went. Mails say only that a call-back waits.
 */

/** Whom a request goes to, and what the public pages say about it. */
export interface CallbackTarget {
  place: { id: string; name: string; phone: string | null } | null;
  /** The structure that calls (null: the network's coordinators). */
  structureId: string | null;
  /** "Médiathèque de Saran", "la coordination du réseau Maillage". */
  whoCalls: string;
  /** The number to call when nobody calls back: the place's, else the network's (null: none known). */
  callInstead: string | null;
  today: string;
  days: OfferedDay[];
}

export interface CallbackOptions {
  scope: PublicScope;
  networkName: string;
  networkContact: NetworkContact;
  now?: Date;
}

async function targetOf(
  db: Db,
  actor: Actor,
  placeId: string | null,
  opts: CallbackOptions,
): Promise<CallbackTarget> {
  const today = parisDay(opts.now ?? new Date());
  const network = `la coordination du réseau ${opts.networkName}`;
  const networkPhone = opts.networkContact.phone;
  if (placeId === null)
    return {
      place: null,
      structureId: null,
      whoCalls: network,
      callInstead: networkPhone,
      today,
      days: offeredDays(today, null),
    };
  const place = await getPublicPlace(db, actor, { placeId, scope: opts.scope });
  const found = await findPlaceWithStructure(db, place.id);
  const candidate = found?.structureId ?? null;
  const structureId = candidate && (await countStructureMembers(db, candidate)) > 0 ? candidate : null;
  const name = structureId ? (await structureNames(db, [structureId])).get(structureId) : undefined;
  const closures = (await listPlaceClosures(db, place.id, today)).map((c) => ({
    startsOn: c.starts_on,
    endsOn: c.ends_on,
  }));
  return {
    place: { id: place.id, name: place.nom, phone: place.telephone },
    structureId,
    whoCalls: name ?? network,
    callInstead: place.telephone ? formatPhone(place.telephone) : networkPhone,
    today,
    days: offeredDays(today, openingOf(place.horaires, place.codeInsee, place.codePostal, today), closures),
  };
}

/**
 * The call-back form of a place (or of the network, without a place): who will call, and the days and
 * half-days that may be chosen (the place's open ones when its hours are known, else working days,
 * from tomorrow to 14 days ahead). Anybody, without an account; an unknown place is `not_found`.
 */
export async function prepareCallback(
  db: Db,
  actor: Actor,
  input: { placeId: string | null },
  opts: CallbackOptions,
): Promise<CallbackTarget> {
  authorize(actor, 'prepareCallback');
  return targetOf(db, actor, input.placeId, opts);
}

/** What the person sees once the request is made. */
export interface CallbackConfirmation {
  reference: string;
  whoCalls: string;
  placeName: string | null;
  phone: string;
  slotDate: string | null;
  slotPart: CallbackSlotPart;
  /** The last day to be called before the network steps in. */
  dueOn: string;
  callInstead: string | null;
}

export type CallbackRequestResult =
  | { ok: true; confirmation: CallbackConfirmation; target: CallbackTarget }
  | { ok: false; reason: 'invalid'; issues: CallbackIssue[]; target: CallbackTarget }
  | {
      ok: false;
      reason: 'too_many_from_client' | 'too_many_for_phone';
      /** The configured limit reached, for the words. */
      max: number;
      target: CallbackTarget;
    };

const MAX_REFERENCE_DRAWS = 5;
/**
 * The same number asking again for the same place (or the network) within this time, while its request
 * is open, gets that request back: reloading the confirmation posts the form again, and must neither
 * store a second request, nor mail everyone again, nor count against the limits.
 */
const SAME_REQUEST_MINUTES = 30;
/** The longest place name a request keeps (migration 0021's check). */
const PLACE_NAME_MAX = 300;

/** The secret the phone numbers' limit keys are made with (the server reads it as the system). */
const phoneKeySecret = (db: Db) =>
  installationSecret(db, { kind: 'system' }, { name: 'callback-phone-keys' });

/**
 * Records a request to be called back once: the form is checked against the days offered (an
 * impossible slot is refused, naming the field and the value); the same number's open request for the
 * same place made in the last 30 minutes is answered again as it is (nothing stored, mailed or counted);
 * then the limits (per client address an hour, per phone number a day, from the configuration) are
 * counted; beyond them nothing is stored.
 * The request and a mail to each member of the structure (or to the coordinators) are written in one
 * transaction; the mail says only that a call-back waits, with the link to the list.
 */
export async function requestCallback(
  db: Db,
  actor: Actor,
  input: { placeId: string | null; form: CallbackForm },
  opts: CallbackOptions & { client: string; limits: Limits; publicUrl: string },
): Promise<CallbackRequestResult> {
  authorize(actor, 'requestCallback');
  const now = opts.now ?? new Date();
  const target = await targetOf(db, actor, input.placeId, { ...opts, now });
  const checked = checkCallbackForm(input.form, target.today, target.days);
  if (!checked.ok) return { ok: false, reason: 'invalid', issues: checked.issues, target };
  const v = checked.value;
  const due = dueOn(target.today, v.slotDate);
  const secret = await phoneKeySecret(db);
  // The limits are counted in the transaction that writes the request: a request that fails to be
  // written counts nothing (its counters roll back with it); one refused at a limit is counted.
  const row = await db.transaction().execute(async (trx) => {
    const tx = trx as unknown as Db;
    const earlier = await findRecentOpenCallback(tx, {
      phone: v.phone,
      placeId: target.place?.id ?? null,
      since: new Date(now.getTime() - SAME_REQUEST_MINUTES * 60_000),
    });
    if (earlier) return earlier;
    const perClient = { minutes: 60, now, max: opts.limits.callbacksPerAddressPerHour };
    if (!(await withinLimit(tx, `callback:client:${opts.client}`, perClient)))
      return 'too_many_from_client' as const;
    const perPhone = { minutes: 24 * 60, now, max: opts.limits.callbacksPerPhonePerDay };
    if (!(await withinLimit(tx, `callback:phone:${phoneKey(secret, v.phone)}`, perPhone)))
      return 'too_many_for_phone' as const;
    let inserted: CallbackRow | null = null;
    for (let i = 0; i < MAX_REFERENCE_DRAWS && !inserted; i++) {
      inserted = await insertCallback(tx, {
        reference: newReference(),
        place_id: target.place?.id ?? null,
        // Copied for the list and the mails; imported names are not capped, the column is (300).
        place_name: target.place ? [...target.place.name].slice(0, PLACE_NAME_MAX).join('') : null,
        structure_id: target.structureId,
        first_name: v.firstName,
        phone: v.phone,
        slot_date: v.slotDate,
        slot_part: v.slotPart,
        consent_at: now,
        created_at: now,
        due_on: due,
      });
    }
    if (!inserted) throw new Error('no free call-back reference after several draws');
    await mailRecipients(tx, inserted, opts.publicUrl, now, 'waiting');
    return inserted;
  });
  if (typeof row === 'string')
    return {
      ok: false,
      reason: row,
      max:
        row === 'too_many_for_phone'
          ? opts.limits.callbacksPerPhonePerDay
          : opts.limits.callbacksPerAddressPerHour,
      target,
    };
  return {
    ok: true,
    target,
    confirmation: {
      reference: row.reference,
      whoCalls: target.whoCalls,
      placeName: target.place?.name ?? null,
      phone: formatPhone(row.phone),
      slotDate: row.slot_date,
      slotPart: row.slot_part,
      dueOn: row.due_on,
      callInstead: target.callInstead,
    },
  };
}

/** Mails the people who call: the structure's members, or the coordinators. Never the name or number. */
async function mailRecipients(
  db: Db,
  row: CallbackRow,
  publicUrl: string,
  now: Date,
  kind: 'waiting' | 'reminder',
): Promise<number> {
  const to = row.structure_id
    ? await structureMemberAddresses(db, row.structure_id)
    : await networkCoordinatorAddresses(db);
  const where = row.place_name ? `pour le lieu « ${row.place_name} »` : 'depuis la page du réseau';
  const lines =
    kind === 'waiting'
      ? [
          'Bonjour,',
          '',
          `Une personne a demandé à être rappelée ${where} (référence ${row.reference}).`,
          `Merci de l'appeler au plus tard le ${dayWords(row.due_on)}.`,
        ]
      : [
          'Bonjour,',
          '',
          `Une personne attend toujours d'être rappelée ${where} (référence ${row.reference}).`,
          `Elle devait être appelée au plus tard le ${dayWords(row.due_on)}. La coordination du réseau le voit aussi.`,
        ];
  const text = [
    ...lines,
    '',
    `Son prénom, son numéro et le moment qui lui convient sont sur : ${publicUrl}/rappels`,
    '(connexion demandée).',
    '',
    'Pour protéger ses données, ce courriel ne contient ni son nom ni son numéro.',
  ].join('\n');
  for (const address of to)
    await enqueueMail(
      db,
      {
        to: address,
        kind: kind === 'waiting' ? 'callback_waiting' : 'callback_reminder',
        subject:
          kind === 'waiting'
            ? 'Une personne attend d’être rappelée'
            : 'Rappel : une personne attend toujours d’être rappelée',
        text,
      },
      now,
    );
  return to.length;
}

/** A request as the people who call see it. */
export interface Callback {
  id: string;
  reference: string;
  placeId: string | null;
  placeName: string | null;
  structureId: string | null;
  structureName: string | null;
  firstName: string;
  /** As people write it: 06 12 34 56 78. */
  phone: string;
  /** The tel: form: +33612345678. */
  phoneHref: string;
  slotDate: string | null;
  slotPart: CallbackSlotPart;
  state: CallbackState;
  attempts: number;
  createdAt: Date;
  dueOn: string;
  late: boolean;
  closedAt: Date | null;
}

function toCallback(row: CallbackRow, today: string, names: Map<string, string>): Callback {
  return {
    id: row.id,
    reference: row.reference,
    placeId: row.place_id,
    placeName: row.place_name,
    structureId: row.structure_id,
    structureName: row.structure_id ? (names.get(row.structure_id) ?? null) : null,
    firstName: row.first_name,
    phone: formatPhone(row.phone),
    phoneHref: `tel:${row.phone}`,
    slotDate: row.slot_date,
    slotPart: row.slot_part,
    state: row.state,
    attempts: row.attempts,
    createdAt: row.created_at,
    dueOn: row.due_on,
    late: OPEN_STATES.includes(row.state) && row.due_on < today,
    closedAt: row.closed_at,
  };
}

/** Closed requests stay on the list this many days (the team sees what was done). */
const CLOSED_SHOWN_DAYS = 7;

/**
 * The call-backs a person sees: those of their structures; for coordinators also the network's and the
 * late ones of every structure. Open ones first (late ones first among them), then those closed in the
 * last 7 days.
 */
export async function listCallbacks(
  db: Db,
  actor: Actor,
  opts: { now?: Date } = {},
): Promise<{ open: Callback[]; closed: Callback[] }> {
  authorize(actor, 'listCallbacks');
  const now = opts.now ?? new Date();
  const today = parisDay(now);
  const coordinator =
    actor.kind === 'system' || (actor.kind === 'person' && actor.networkRole === 'coordinator');
  const structureIds = actor.kind === 'person' ? actor.memberships.map((m) => m.structureId) : [];
  const rows = await listCallbackRows(db, {
    structureIds,
    coordinator,
    today,
    closedSince: new Date(now.getTime() - CLOSED_SHOWN_DAYS * 86_400_000),
  });
  const names = await structureNames(
    db,
    rows.flatMap((r) => (r.structure_id ? [r.structure_id] : [])),
  );
  const all = rows.map((r) => toCallback(r, today, names));
  const open = all
    .filter((c) => OPEN_STATES.includes(c.state))
    .sort((a, b) => Number(b.late) - Number(a.late) || a.createdAt.getTime() - b.createdAt.getTime());
  const closed = all
    .filter((c) => !OPEN_STATES.includes(c.state))
    .sort((a, b) => (b.closedAt?.getTime() ?? 0) - (a.closedAt?.getTime() ?? 0));
  return { open, closed };
}

/**
 * Records how a call went: "rappelé" and "pas joignable" close the request, "pas de réponse" keeps it
 * open to try again; each counts one attempt. Only the members of the structure concerned and the
 * coordinators (the network's requests: coordinators only); an unknown request is `not_found`, a closed
 * one a `conflict` (someone recorded it first).
 */
export async function markCallback(
  db: Db,
  actor: Actor,
  input: { id: string; outcome: string },
  opts: { now?: Date } = {},
): Promise<{ callback: Callback; outcome: CallbackOutcome }> {
  const id = input.id.toLowerCase();
  const row = isUuid(id) ? await findCallback(db, id) : undefined;
  if (!row) {
    authorize(actor, 'markCallback', {}); // nobody learns anything about an id they may not see
    throw new DomainError('not_found', 'Cette demande de rappel n’existe pas ou a été effacée.', { id });
  }
  authorize(actor, 'markCallback', row.structure_id ? { structureId: row.structure_id } : {});
  const outcome = OUTCOMES.find((o) => o === input.outcome);
  if (!outcome)
    throw new DomainError(
      'invalid_input',
      `Choisissez ce qui s’est passé : rappelé, pas de réponse, ou pas joignable (« ${input.outcome.slice(0, 40)} » n’est pas un choix).`,
      { field: 'issue', value: input.outcome.slice(0, 40) },
    );
  const now = opts.now ?? new Date();
  const updated = await recordCallbackOutcome(db, row.id, outcome, now);
  if (!updated)
    throw new DomainError('conflict', 'Cette demande de rappel est déjà close.', {
      id: row.id,
      state: row.state,
    });
  const names = await structureNames(db, updated.structure_id ? [updated.structure_id] : []);
  return { callback: toCallback(updated, parisDay(now), names), outcome };
}

/**
 * Reminds once the structure (or the coordinators, for the network's requests) of each request still
 * open after its last day; coordinators see the late ones on their home page too. The job runner only;
 * running it twice mails nothing more.
 */
export async function runCallbackReminders(
  db: Db,
  actor: Actor,
  input: { publicUrl: string; now: Date },
): Promise<{ reminded: number; mails: number }> {
  authorize(actor, 'runCallbackReminders');
  let reminded = 0;
  let mails = 0;
  for (const row of await listLateNotReminded(db, parisDay(input.now))) {
    await db.transaction().execute(async (trx) => {
      const tx = trx as unknown as Db;
      if (!(await markCallbackReminded(tx, row.id, input.now))) return;
      mails += await mailRecipients(tx, row, input.publicUrl, input.now, 'reminder');
      reminded++;
    });
  }
  return { reminded, mails };
}

/**
 * Deletes the requests made more than `days` days ago (RETENTION_CALLBACK_DAYS), whatever their state:
 * the first name and the number go with them. Part of the privacy purge (not a policy function: the
 * purge's own rule has decided).
 */
export async function purgeCallbacks(
  db: Db,
  input: { now: Date; days: number },
): Promise<{ callbacks: number }> {
  return {
    callbacks: await deleteCallbacksBefore(db, new Date(input.now.getTime() - input.days * 86_400_000)),
  };
}

const plural = (n: number, one: string, many: string) => `${n} ${n > 1 ? many : one}`;

/**
 * The home page's blocks: for each structure of the person, the people waiting for its call; for a
 * coordinator, the network's own requests and the structures' late ones.
 */
export async function homeBlocks(db: Db, actor: Actor, now: Date): Promise<HomeBlock[]> {
  if (actor.kind !== 'person' || !can(actor, 'listCallbacks')) return [];
  const today = parisDay(now);
  const counts = await countOpenCallbacks(db, today);
  const of = (structureId: string | null) =>
    counts.find((c) => c.structure_id === structureId) ?? { open: 0, late: 0 };
  const blocks: HomeBlock[] = [];
  const names = await structureNames(db, [
    ...actor.memberships.map((m) => m.structureId),
    ...counts.flatMap((c) => (c.structure_id && c.late > 0 ? [c.structure_id] : [])),
  ]);
  for (const m of actor.memberships) {
    const { open, late } = of(m.structureId);
    blocks.push({
      id: 'callbacks.to_call',
      audience: 'structure',
      structureName: names.get(m.structureId) ?? 'Ma structure',
      title: 'Personnes à rappeler',
      count: open,
      summary: `${plural(open, 'personne attend', 'personnes attendent')} votre appel${late ? `, dont ${late} en retard` : ''}.`,
      href: '/rappels',
      linkLabel: 'Voir les personnes à rappeler',
    });
  }
  if (actor.networkRole === 'coordinator') {
    const { open } = of(null);
    blocks.push({
      id: 'callbacks.network',
      audience: 'coordinator',
      title: 'Personnes à rappeler par le réseau',
      count: open,
      summary: `${plural(open, 'personne attend', 'personnes attendent')} un appel de la coordination.`,
      href: '/rappels',
      linkLabel: 'Voir les personnes à rappeler',
    });
    const late = counts.filter((c) => c.structure_id !== null && c.late > 0);
    const total = late.reduce((n, c) => n + c.late, 0);
    blocks.push({
      id: 'callbacks.late',
      audience: 'coordinator',
      title: 'Rappels en retard dans les structures',
      count: total,
      summary: `${plural(total, 'personne attend', 'personnes attendent')} depuis plus de 2 jours ouvrés l’appel d’une structure.`,
      href: '/rappels',
      linkLabel: 'Voir les rappels en retard',
      items: late.slice(0, 5).map((c) => ({
        label: names.get(c.structure_id as string) ?? 'Structure',
        detail: plural(c.late, 'rappel en retard', 'rappels en retard'),
      })),
    });
  }
  return blocks;
}
