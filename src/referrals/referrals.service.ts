import { createHash, randomUUID } from 'node:crypto';
import { installationSecret } from '../accounts/accounts.service.ts';
import { type Actor, actorId, can, type PolicyFunction } from '../accounts/policy.ts';
import { recordAudit } from '../audit/audit.service.ts';
import type { Db, OrientationState } from '../db/database.ts';
import { enqueueMail } from '../mail/mail.service.ts';
import { getPlaceWithStructure } from '../places/places.service.ts';
import { getReferralContact, type ReferralContact } from '../places/private-contacts.service.ts';
import { DomainError } from '../shared/domain-error.ts';
import { isUuid } from '../shared/ids.ts';
import type { PublicScope } from '../shared/territory.ts';
import { countStructureMembers } from '../structures/structures.service.ts';
import {
  deleteParcours,
  findOrientation,
  insertEvent,
  insertLink,
  insertOrientation,
  insertParcours,
  moveOrientation,
  type OrientationRow,
} from './referrals.repository.ts';
import {
  type Appointment,
  addDays,
  CONSENT_VERSION,
  type ContactPreference,
  consentText,
  type Delivery,
  deliveryFor,
  describeAppointment,
  FINAL_STATES,
  formatDate,
  type LinkPurpose,
  needLabel,
  type OrientationAction,
  type OrientationNaming,
  OUTCOMES,
  orientationMailHeader,
  orientationTitle,
  REFUSAL_LABELS,
  type RefusalReason,
  signLinkToken,
  transition,
  URGENCY_LABELS,
  type Urgency,
} from './referrals.ts';

/**
 * Orientations between structures: a member of a structure sends a person, with her
 * recorded consent, to a place; the place answers from its inbox or from a signed single-use link
 * mailed to its referral address; reminders and expiries keep nothing waiting forever; the parcours
 * chains orientations; personal fields are blanked when no longer needed. Only the structures involved
 * see an orientation (rule `structure_member_only`); the coordinator sees aggregates only.
 *
 * This file holds what every use case shares: an orientation as the domain sees it, who is involved,
 * how it moves from state to state (with its history and the mails that follow), the links it issues.
 * The use cases live beside it, one reason to change each: the form (orientation-form.service.ts), the
 * inbox and the sheet (inbox.service.ts), the mailed links (mailed-links.service.ts), the parcours and
 * the person's data (parcours.service.ts), the statistics (statistics.service.ts), the reminders and
 * expiries (deadlines.service.ts). The helpers exported here without `authorize` are the domain's own
 * plumbing, and the last three serve the demonstration seeding (src/demo): no route, API or CLI calls
 * them.
 */

/** What the referrals rules need from the configuration, and the clock (injected by tests). */
export interface ReferralsOptions {
  config: {
    publicUrl: string;
    orientation: { reminderDays: number; expiryDays: number };
    retention: { orientationMonths: number; orientationUnansweredMonths: number };
    /** The places the public sees (the territory and its margin); the whole directory without it. */
    publicScope?: PublicScope;
  };
  now?: Date;
}

export const nowOf = (opts: { now?: Date }) => opts.now ?? new Date();

export const NOT_VISIBLE =
  "Cette orientation n'existe pas, ou votre structure n'est pas concernée : seules les structures qui orientent la personne ou la reçoivent peuvent la voir.";

// --- Domain types ---

export interface AttachedDiagnostic {
  version: string;
  answers: unknown;
  domains: { label: string; profile: string }[];
  needs: string[];
}

export interface OrientationEvent {
  at: Date;
  from: OrientationState | null;
  to: OrientationState;
  actorLabel: string;
  reason: string | null;
}

export interface Orientation {
  id: string;
  parcoursId: string;
  previousId: string | null;
  state: OrientationState;
  delivery: Delivery;
  needs: { slug: string; label: string }[];
  urgency: Urgency;
  contactPreference: ContactPreference;
  sender: {
    structureId: string | null;
    structureName: string;
    personId: string | null;
    name: string;
    email: string | null;
    contact: string;
  };
  place: { id: string | null; name: string };
  receiverStructureId: string | null;
  referralEmail: string | null;
  person: { name: string | null; phone: string | null; email: string | null };
  message: string | null;
  refusalReason: RefusalReason | null;
  stateMessage: string | null;
  /** Given by the place with its acceptance, if any. */
  appointment: Appointment | null;
  diagnostic: AttachedDiagnostic | null;
  consent: { version: string; text: string; at: Date; by: string | null; diagnostic: boolean };
  sentAt: Date;
  answeredAt: Date | null;
  closedAt: Date | null;
  remindedAt: Date | null;
  erasedAt: Date | null;
  erasedReason: 'retention' | 'request' | null;
}

export function toOrientation(row: OrientationRow): Orientation {
  return {
    id: row.id,
    parcoursId: row.parcours_id,
    previousId: row.previous_id,
    state: row.state,
    delivery: row.delivery,
    needs: row.needs.map((slug) => ({ slug, label: needLabel(slug) })),
    urgency: row.urgency,
    contactPreference: row.contact_preference,
    sender: {
      structureId: row.sender_structure_id,
      structureName: row.sender_structure_name,
      personId: row.sender_person_id,
      name: row.sender_name,
      email: row.sender_email,
      contact: row.sender_contact,
    },
    place: { id: row.place_id, name: row.place_name },
    receiverStructureId: row.receiver_structure_id,
    referralEmail: row.referral_email,
    person: { name: row.person_name, phone: row.person_phone, email: row.person_email },
    message: row.message,
    refusalReason: row.refusal_reason as RefusalReason | null,
    stateMessage: row.state_message,
    appointment: row.appointment_date
      ? { date: row.appointment_date, time: row.appointment_time, with: row.appointment_with }
      : null,
    diagnostic: (row.diagnostic as AttachedDiagnostic | null) ?? null,
    consent: {
      version: row.consent_version,
      text: row.consent_text,
      at: row.consent_at,
      by: row.consent_by,
      diagnostic: row.consent_diagnostic,
    },
    sentAt: row.sent_at,
    answeredAt: row.answered_at,
    closedAt: row.closed_at,
    remindedAt: row.reminded_at,
    erasedAt: row.personal_data_erased_at,
    erasedReason: row.erased_reason,
  };
}

/** How the actor is involved in an orientation. */
export interface Involvement {
  sender: boolean;
  receiver: boolean;
  /** May accept, refuse and close: the receiving structure, or the sender of a sheet-only orientation. */
  actsAsReceiver: boolean;
}

export function involvementOf(actor: Actor, fn: PolicyFunction, row: OrientationRow): Involvement {
  const sender = row.sender_structure_id !== null && can(actor, fn, { structureId: row.sender_structure_id });
  const receiver =
    row.receiver_structure_id !== null && can(actor, fn, { structureId: row.receiver_structure_id });
  return { sender, receiver, actsAsReceiver: receiver || (row.delivery === 'sheet' && sender) };
}

/**
 * Loads an orientation the actor is involved in. An unknown id and an orientation of other structures
 * get the same refusal, so that guessing ids tells nothing.
 */
export async function loadInvolved(
  db: Db,
  actor: Actor,
  fn: PolicyFunction,
  id: string,
): Promise<{ row: OrientationRow; involvement: Involvement }> {
  const row = isUuid(id) ? await findOrientation(db, id.toLowerCase()) : undefined;
  const involvement = row ? involvementOf(actor, fn, row) : null;
  if (!row || !involvement || (!involvement.sender && !involvement.receiver))
    throw new DomainError('forbidden', NOT_VISIBLE, { function: fn });
  return { row, involvement };
}

export function hasPersonalData(row: OrientationRow): boolean {
  return (
    row.personal_data_erased_at === null &&
    (row.person_name !== null ||
      row.person_phone !== null ||
      row.person_email !== null ||
      row.message !== null ||
      row.diagnostic !== null)
  );
}

/**
 * Writes to the audit log that an orientation's personal fields were read or printed: by a member of a
 * structure involved, or by whoever holds a mailed link.
 */
export async function auditPersonalAccess(
  db: Db,
  by: Actor | 'link',
  input: { action: string; orientationId: string; at: Date },
): Promise<void> {
  await recordAudit(db, {
    actorId: by === 'link' ? null : actorId(by),
    actorLabel: by === 'link' ? 'lien reçu par e-mail' : 'personne',
    action: input.action,
    subjectType: 'orientation',
    subjectId: input.orientationId,
    at: input.at,
  });
}

export function linkUrl(opts: ReferralsOptions, token: string): string {
  return `${opts.config.publicUrl}/orientations/lien/${token}`;
}

/** The secret the server signs and checks its orientation links with: it reads it as the system. */
export const linkSecret = (db: Db) =>
  installationSecret(db, { kind: 'system' }, { name: 'orientation-links' });

export const hashToken = (token: string) => createHash('sha256').update(token).digest('hex');

export async function issueLink(
  db: Db,
  input: { orientationId: string; purpose: LinkPurpose; expiresAt: Date; now: Date },
): Promise<string> {
  const id = randomUUID();
  const token = signLinkToken(await linkSecret(db), {
    id,
    purpose: input.purpose,
    expiresAt: input.expiresAt,
  });
  await insertLink(db, {
    id,
    orientation_id: input.orientationId,
    purpose: input.purpose,
    token_hash: hashToken(token),
    created_at: input.now,
    expires_at: input.expiresAt,
  });
  return token;
}

export const needsText = (row: OrientationRow) => row.needs.map(needLabel).join(', ');

export const namingOf = (row: OrientationRow): OrientationNaming => ({
  sentAt: row.sent_at,
  needs: row.needs.map(needLabel),
  senderStructure: row.sender_structure_name,
  placeName: row.place_name,
});

/**
 * A mail to the sender about her orientation: the subject and the first lines name it (date, needs,
 * both ends) and link to its page, then what happened.
 */
export async function mailSender(
  db: Db,
  row: OrientationRow,
  opts: ReferralsOptions,
  input: { subject: string; lines: string[]; now: Date },
) {
  if (!row.sender_email) return;
  await enqueueMail(
    db,
    {
      to: row.sender_email,
      kind: 'orientation_update',
      subject: `${input.subject} — ${orientationTitle(namingOf(row))}`,
      text: [...orientationMailHeader(namingOf(row), orientationPath(opts, row.id)), '', ...input.lines].join(
        '\n',
      ),
    },
    input.now,
  );
}

export function orientationPath(opts: ReferralsOptions, id: string): string {
  return `${opts.config.publicUrl}/orientations/${id}`;
}

export async function mailAnswerLink(
  db: Db,
  row: OrientationRow,
  opts: ReferralsOptions,
  now: Date,
  reminder: boolean,
) {
  if (!row.referral_email) return;
  const token = await issueLink(db, {
    orientationId: row.id,
    purpose: 'answer',
    expiresAt: addDays(row.sent_at, opts.config.orientation.expiryDays),
    now,
  });
  await enqueueMail(
    db,
    {
      to: row.referral_email,
      kind: 'orientation_link',
      subject: `${reminder ? 'Rappel : ' : ''}une personne est orientée vers vous — ${orientationTitle(namingOf(row))}`,
      text: [
        ...orientationMailHeader(namingOf(row), linkUrl(opts, token)),
        '',
        'Bonjour,',
        '',
        `« ${row.sender_structure_name} » oriente une personne vers ${row.place_name}, sur Maillage.`,
        `Urgence : ${URGENCY_LABELS[row.urgency]}.`,
        '',
        'Pour voir l’orientation et répondre (accepter ou refuser), ouvrez le lien ci-dessus.',
        `Ce lien marche une seule fois, jusqu'au ${formatDate(addDays(row.sent_at, opts.config.orientation.expiryDays))}.`,
        'Vous n’avez pas besoin de compte Maillage.',
      ].join('\n'),
    },
    now,
  );
}

export async function logTransition(
  db: Db,
  input: {
    row: OrientationRow;
    from: OrientationState | null;
    to: OrientationState;
    actorKind: 'person' | 'link' | 'system';
    actorId: string | null;
    actorLabel: string;
    reason?: string | null;
    at: Date;
  },
): Promise<void> {
  await insertEvent(db, {
    orientation_id: input.row.id,
    at: input.at,
    from_state: input.from,
    to_state: input.to,
    actor_kind: input.actorKind,
    actor_id: input.actorId,
    actor_label: input.actorLabel,
    reason: input.reason ?? null,
  });
}

/** Applies one action through the state machine; a stale or forbidden move is a French conflict. */
export async function applyAction(
  db: Db,
  row: OrientationRow,
  action: OrientationAction,
  input: {
    actorKind: 'person' | 'link' | 'system';
    actorId: string | null;
    actorLabel: string;
    message?: string | null;
    appointment?: Appointment | null;
    now: Date;
  },
  /** Where the mails that follow an answer link to (an answer always mails the sender). */
  opts?: ReferralsOptions,
): Promise<OrientationRow> {
  const result = transition(row.state, action);
  if (!result.ok) throw new DomainError('conflict', result.message, { state: row.state });
  const to = result.to;
  const patch: Parameters<typeof moveOrientation>[3] = { state: to };
  if (row.state === 'sent' && to !== 'expired') patch.answered_at = input.now;
  if (FINAL_STATES.has(to)) patch.closed_at = input.now;
  if (action.type === 'refuse') patch.refusal_reason = action.reason;
  if (input.message !== undefined && input.message !== null) patch.state_message = input.message;
  if (action.type === 'accept' && input.appointment) {
    patch.appointment_date = input.appointment.date;
    patch.appointment_time = input.appointment.time;
    patch.appointment_with = input.appointment.with;
  }
  const moved = await moveOrientation(db, row.id, row.state, patch);
  if (!moved)
    throw new DomainError(
      'conflict',
      'Cette orientation vient de changer : rechargez la page pour voir sa situation.',
    );
  await logTransition(db, {
    row,
    from: row.state,
    to,
    actorKind: input.actorKind,
    actorId: input.actorId,
    actorLabel: input.actorLabel,
    reason: action.type === 'refuse' ? action.reason : action.type === 'close' ? action.outcome : null,
    at: input.now,
  });
  if (moved.state === 'accepted' || moved.state === 'refused') {
    if (!opts) throw new Error('an answer mails the sender: the configuration is needed for its link');
    await notifyAfter(db, moved, opts, input.now, input.message ?? null);
  }
  return moved;
}

async function notifyAfter(
  db: Db,
  row: OrientationRow,
  opts: ReferralsOptions,
  now: Date,
  message: string | null,
): Promise<void> {
  const appointment = toOrientation(row).appointment;
  if (row.state === 'accepted')
    await mailSender(db, row, opts, {
      subject: `Orientation acceptée par ${row.place_name}`,
      lines: [
        'Le lieu accepte votre orientation.',
        ...(appointment ? [`Rendez-vous : ${describeAppointment(appointment)}.`] : []),
        // The message may speak of the person: it is read on the page, behind the sign-in.
        ...(message ? ['Le lieu a laissé un message : lisez-le sur la page de l’orientation.'] : []),
      ],
      now,
    });
  if (row.state === 'refused')
    await mailSender(db, row, opts, {
      subject: `Orientation refusée par ${row.place_name}`,
      lines: [
        `Le lieu refuse votre orientation. Raison : ${REFUSAL_LABELS[row.refusal_reason as RefusalReason] ?? 'non donnée'}.`,
        ...(message ? ['', `Message du lieu : ${message}`] : []),
        '',
        'Vous pouvez orienter la personne vers un autre lieu.',
      ],
      now,
    });
}

export function senderStructures(actor: Actor, fn: PolicyFunction, names: { id: string; name: string }[]) {
  if (actor.kind !== 'person') return [];
  return names.filter((s) => can(actor, fn, { structureId: s.id }));
}

export async function deliveryOf(
  db: Db,
  placeId: string,
): Promise<{ delivery: Delivery; contact: ReferralContact | null; structureId: string | null }> {
  const [{ structureId }, contact] = await Promise.all([
    getPlaceWithStructure(db, placeId),
    getReferralContact(db, placeId),
  ]);
  const members = structureId ? await countStructureMembers(db, structureId) : 0;
  return {
    delivery: deliveryFor({
      structureHasMembers: members > 0,
      referralEmail: contact?.referralEmail ?? null,
      acceptsOrientations: contact?.acceptsOrientations ?? null,
    }),
    contact,
    structureId,
  };
}

// --- For the demonstration seeding (src/demo holds its data) ---

/**
 * How a place receives orientations: in the inbox of its structure's members, by a link mailed to its
 * referral address, or on the printed sheet only (`deliveryFor`). The demonstration picks inbox places.
 */
export async function placeDelivery(db: Db, placeId: string): Promise<Delivery> {
  return (await deliveryOf(db, placeId)).delivery;
}

/** An orientation that already happened, received in the inbox of the receiver's structure. */
export interface PastOrientation {
  sender: {
    personId: string;
    name: string;
    email: string;
    structureId: string;
    structureName: string;
    contact: string;
  };
  /** The member of the receiving structure who made every move after the sending. */
  receiver: { personId: string; name: string; structureId: string; structureName: string };
  place: { id: string; name: string };
  needs: string[];
  urgency: Urgency;
  contactPreference: ContactPreference;
  person: { name: string; phone: string | null };
  message: string;
  consentTerms: { months: number; unansweredMonths: number };
  /** The states it went through, from `sent`, each with its date. */
  path: { state: OrientationState; at: Date }[];
  refusalReason: RefusalReason | null;
  stateMessage: string | null;
}

/**
 * Records orientations that already happened, each in a parcours of its own with its history, in one
 * transaction. No mail is sent and no audit entry is written: nothing happened. Returns the parcours
 * created, for `removeDemoOrientations`.
 */
export async function recordPastOrientations(db: Db, orientations: PastOrientation[]): Promise<string[]> {
  const parcours: string[] = [];
  await db.transaction().execute(async (tx) => {
    for (const o of orientations) {
      const sentAt = o.path[0]?.at as Date;
      const answeredAt = o.path[1]?.at ?? null;
      const closedAt = o.path[2]?.at ?? null;
      const state = o.path.at(-1)?.state as OrientationState;
      const parcoursId = await insertParcours(tx, sentAt);
      const row = await insertOrientation(tx, {
        parcours_id: parcoursId,
        previous_id: null,
        sender_structure_id: o.sender.structureId,
        sender_structure_name: o.sender.structureName,
        sender_person_id: o.sender.personId,
        sender_name: o.sender.name,
        sender_email: o.sender.email,
        sender_contact: o.sender.contact,
        place_id: o.place.id,
        place_name: o.place.name,
        receiver_structure_id: o.receiver.structureId,
        delivery: 'inbox',
        referral_email: null,
        needs: o.needs,
        urgency: o.urgency,
        contact_preference: o.contactPreference,
        person_name: o.person.name,
        person_phone: o.person.phone,
        person_email: null,
        message: o.message,
        diagnostic: null,
        consent_version: CONSENT_VERSION,
        consent_text: consentText({
          placeName: o.place.name,
          senderStructure: o.sender.structureName,
          ...o.consentTerms,
          withDiagnostic: false,
        }).join(' '),
        consent_at: sentAt,
        consent_by: o.sender.personId,
        consent_diagnostic: false,
        state,
        refusal_reason: o.refusalReason,
        state_message: o.stateMessage,
        sent_at: sentAt,
        answered_at: answeredAt,
        closed_at: state === 'refused' ? answeredAt : closedAt,
      });
      for (const [k, step] of o.path.entries()) {
        const by = k === 0 ? o.sender : o.receiver;
        await logTransition(tx, {
          row,
          from: k === 0 ? null : (o.path[k - 1]?.state as OrientationState),
          to: step.state,
          actorKind: 'person',
          actorId: by.personId,
          actorLabel: `${by.name} (${by.structureName})`,
          reason:
            step.state === 'refused'
              ? o.refusalReason
              : (OUTCOMES as readonly string[]).includes(step.state)
                ? step.state
                : null,
          at: step.at,
        });
      }
      parcours.push(parcoursId);
    }
  });
  return parcours;
}

/** Deletes the demonstration orientations (whole parcours, with their events), for `demo remove`. */
export async function removeDemoOrientations(db: Db, parcoursIds: string[]): Promise<number> {
  if (parcoursIds.length === 0) return 0;
  return db.transaction().execute((tx) => deleteParcours(tx, parcoursIds));
}
