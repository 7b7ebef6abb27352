import { createHash, randomUUID } from 'node:crypto';
import { installationSecret } from '../accounts/accounts.service.ts';
import { type Actor, authorize, can, type PolicyFunction } from '../accounts/policy.ts';
import { recordAudit } from '../audit/audit.service.ts';
import type { Db, OrientationState } from '../db/database.ts';
import { decodeDiagnosticToken, evaluateDiagnostic } from '../diagnostic/diagnostic.service.ts';
import { enqueueMail } from '../mail/mail.service.ts';
import {
  getPlace,
  getPlaceWithStructure,
  listAllPlaces,
  listStructuresPlaces,
  type Place,
} from '../places/places.service.ts';
import { getReferralContact, type ReferralContact } from '../places/private-contacts.service.ts';
import { foldText, NEEDS, type Need, needBySlug } from '../search/needs.ts';
import type { OpeningStatus } from '../search/opening.ts';
import { findIndexedPlace } from '../search/search.service.ts';
import { DomainError } from '../shared/domain-error.ts';
import { isUuid } from '../shared/ids.ts';
import { countStructureMembers, structureMemberAddresses } from '../structures/structures.service.ts';
import {
  blankExpiredPersonalData,
  blankParcoursPersonalData,
  countByColumn,
  countByNeed,
  countOrientationsByState,
  deleteParcours,
  findLinkByHash,
  findOrientation,
  insertEvent,
  insertLink,
  insertOrientation,
  insertParcours,
  listEvents,
  listOrientationsOf,
  listParcoursOrientations,
  listToExpire,
  listToRemind,
  markReminded,
  medianAnswerMs,
  moveOrientation,
  type OrientationRow,
  useLink,
} from './referrals.repository.ts';
import {
  addDays,
  addMonths,
  CLOSE_LINK_DAYS,
  CONSENT_VERSION,
  type ContactPreference,
  consentText,
  type Delays,
  type Delivery,
  deliveryFor,
  FINAL_STATES,
  type FormErrors,
  formatDate,
  type LinkPurpose,
  needLabel,
  type OrientationAction,
  type OrientationInput,
  type Outcome,
  placeOffersNeed,
  REFUSAL_LABELS,
  type RefusalReason,
  STATE_LABELS,
  signLinkToken,
  transition,
  URGENCY_LABELS,
  type Urgency,
  validateAnswer,
  verifyLinkToken,
} from './referrals.ts';

/**
 * Orientations between structures: a member of a structure sends a person, with her
 * recorded consent, to a place; the place answers from its inbox or from a signed single-use link
 * mailed to its referral address; reminders and expiries keep nothing waiting forever; the parcours
 * chains orientations; personal fields are blanked when no longer needed. Only the structures involved
 * see an orientation (rule `structure_member_only`); the coordinator sees aggregates only.
 */

/** What the referrals rules need from the configuration, and the clock (injected by tests). */
export interface ReferralsOptions {
  config: {
    publicUrl: string;
    orientation: { reminderDays: number; expiryDays: number };
    retention: { orientationMonths: number; orientationUnansweredMonths: number };
  };
  now?: Date;
}

const nowOf = (opts: { now?: Date }) => opts.now ?? new Date();
const delaysOf = (opts: ReferralsOptions): Delays => ({
  reminderDays: opts.config.orientation.reminderDays,
  expiryDays: opts.config.orientation.expiryDays,
  retentionMonths: opts.config.retention.orientationMonths,
  unansweredMonths: opts.config.retention.orientationUnansweredMonths,
});

const NOT_VISIBLE =
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
  diagnostic: AttachedDiagnostic | null;
  consent: { version: string; text: string; at: Date; by: string | null; diagnostic: boolean };
  sentAt: Date;
  answeredAt: Date | null;
  closedAt: Date | null;
  remindedAt: Date | null;
  erasedAt: Date | null;
  erasedReason: 'retention' | 'request' | null;
}

function toOrientation(row: OrientationRow): Orientation {
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

function involvementOf(actor: Actor, fn: PolicyFunction, row: OrientationRow): Involvement {
  const sender = row.sender_structure_id !== null && can(actor, fn, { structureId: row.sender_structure_id });
  const receiver =
    row.receiver_structure_id !== null && can(actor, fn, { structureId: row.receiver_structure_id });
  return { sender, receiver, actsAsReceiver: receiver || (row.delivery === 'sheet' && sender) };
}

/**
 * Loads an orientation the actor is involved in. An unknown id and an orientation of other structures
 * get the same refusal, so that guessing ids tells nothing.
 */
async function loadInvolved(
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

function actorIdOf(actor: Actor): string | null {
  return actor.kind === 'person' ? actor.personId : null;
}

function hasPersonalData(row: OrientationRow): boolean {
  return (
    row.personal_data_erased_at === null &&
    (row.person_name !== null ||
      row.person_phone !== null ||
      row.person_email !== null ||
      row.message !== null ||
      row.diagnostic !== null)
  );
}

async function auditPersonalAccess(
  db: Db,
  input: { actorId: string | null; actorLabel: string; action: string; orientationId: string; at: Date },
): Promise<void> {
  await recordAudit(db, {
    actorId: input.actorId,
    actorLabel: input.actorLabel,
    action: input.action,
    subjectType: 'orientation',
    subjectId: input.orientationId,
    at: input.at,
  });
}

function linkUrl(opts: ReferralsOptions, token: string): string {
  return `${opts.config.publicUrl}/orientations/lien/${token}`;
}

const hashToken = (token: string) => createHash('sha256').update(token).digest('hex');

async function issueLink(
  db: Db,
  input: { orientationId: string; purpose: LinkPurpose; expiresAt: Date; now: Date },
): Promise<string> {
  const id = randomUUID();
  const token = signLinkToken(await installationSecret(db, 'orientation-links'), {
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

const needsText = (row: OrientationRow) => row.needs.map(needLabel).join(', ');

async function mailSender(db: Db, row: OrientationRow, subject: string, lines: string[], now: Date) {
  if (!row.sender_email) return;
  await enqueueMail(
    db,
    { to: row.sender_email, kind: 'orientation_update', subject, text: lines.join('\n') },
    now,
  );
}

function orientationPath(opts: ReferralsOptions, id: string): string {
  return `${opts.config.publicUrl}/orientations/${id}`;
}

async function mailAnswerLink(
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
      subject: `${reminder ? 'Rappel : ' : ''}une personne est orientée vers ${row.place_name}`,
      text: [
        'Bonjour,',
        '',
        `« ${row.sender_structure_name} » oriente une personne vers ${row.place_name}, sur Maillage.`,
        `Besoin : ${needsText(row)}.`,
        `Urgence : ${URGENCY_LABELS[row.urgency]}.`,
        '',
        'Pour voir l’orientation et répondre (accepter ou refuser), ouvrez ce lien :',
        linkUrl(opts, token),
        '',
        `Ce lien marche une seule fois, jusqu'au ${formatDate(addDays(row.sent_at, opts.config.orientation.expiryDays))}.`,
        'Vous n’avez pas besoin de compte Maillage.',
      ].join('\n'),
    },
    now,
  );
}

/**
 * Tells each member of the receiving structure (one mail each, addresses not shared) that an
 * orientation waits in their inbox: the place, the needs and the sending structure, never the person.
 * The one who sends it, when she belongs to that structure too, is not told what she just did.
 */
async function mailInbox(db: Db, row: OrientationRow, opts: ReferralsOptions, now: Date) {
  if (!row.receiver_structure_id) return;
  const sender = row.sender_email?.toLowerCase();
  for (const to of await structureMemberAddresses(db, row.receiver_structure_id)) {
    if (to.toLowerCase() === sender) continue;
    await enqueueMail(
      db,
      {
        to,
        kind: 'orientation_received',
        subject: `Une nouvelle orientation vous attend : ${row.place_name}`,
        text: [
          'Bonjour,',
          '',
          `Une nouvelle orientation vous attend sur Maillage, pour ${row.place_name}.`,
          `Envoyée par : « ${row.sender_structure_name} ».`,
          `Besoin : ${needsText(row)}.`,
          '',
          'Pour la voir et répondre (accepter ou refuser), connectez-vous et ouvrez ce lien :',
          orientationPath(opts, row.id),
        ].join('\n'),
      },
      now,
    );
  }
}

async function logTransition(
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
async function applyAction(
  db: Db,
  row: OrientationRow,
  action: OrientationAction,
  input: {
    actorKind: 'person' | 'link' | 'system';
    actorId: string | null;
    actorLabel: string;
    message?: string | null;
    now: Date;
  },
): Promise<OrientationRow> {
  const result = transition(row.state, action);
  if (!result.ok) throw new DomainError('conflict', result.message, { state: row.state });
  const to = result.to;
  const patch: Parameters<typeof moveOrientation>[3] = { state: to };
  if (row.state === 'sent' && to !== 'expired') patch.answered_at = input.now;
  if (FINAL_STATES.has(to)) patch.closed_at = input.now;
  if (action.type === 'refuse') patch.refusal_reason = action.reason;
  if (input.message !== undefined && input.message !== null) patch.state_message = input.message;
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
  await notifyAfter(db, moved, input.now, input.message ?? null);
  return moved;
}

async function notifyAfter(db: Db, row: OrientationRow, now: Date, message: string | null): Promise<void> {
  const intro = `Votre orientation vers ${row.place_name} (${needsText(row)}), envoyée le ${formatDate(row.sent_at)} :`;
  if (row.state === 'accepted')
    await mailSender(
      db,
      row,
      `Orientation acceptée par ${row.place_name}`,
      [intro, 'elle est acceptée.'],
      now,
    );
  if (row.state === 'refused')
    await mailSender(
      db,
      row,
      `Orientation refusée par ${row.place_name}`,
      [
        intro,
        `elle est refusée. Raison : ${REFUSAL_LABELS[row.refusal_reason as RefusalReason] ?? 'non donnée'}.`,
        ...(message ? ['', `Message du lieu : ${message}`] : []),
        '',
        'Vous pouvez orienter la personne vers un autre lieu.',
      ],
      now,
    );
}

// --- The form ---

export interface PlaceChoice {
  id: string;
  nom: string;
  commune: string;
  adresse: string;
}

export interface OrientationDraft {
  structures: { id: string; name: string }[];
  place: Place | null;
  /** How the place would receive it, said before sending. */
  delivery: Delivery | null;
  contact: ReferralContact | null;
  /** Needs of the list that the place offers (all of them before a place is chosen). */
  offeredNeeds: Need[];
  /** Needs asked for (query or diagnostic) that the place does not offer. */
  notOffered: Need[];
  /** Places matching the text typed to find one. */
  candidates: PlaceChoice[];
  diagnostic: { readable: boolean; needs: string[] } | null;
  previous: {
    id: string;
    placeName: string;
    person: Orientation['person'];
    contactPreference: ContactPreference;
  } | null;
  consentTerms: { months: number; unansweredMonths: number };
}

function senderStructures(actor: Actor, fn: PolicyFunction, names: { id: string; name: string }[]) {
  if (actor.kind !== 'person') return [];
  return names.filter((s) => can(actor, fn, { structureId: s.id }));
}

async function deliveryOf(
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

/**
 * What the orientation form needs: the structures the person may send for, the chosen place and how
 * it will receive the orientation (inbox, e-mailed link or printed sheet only: said before sending),
 * the needs it offers, places matching a name or commune typed, and the diagnostic to attach.
 */
export async function prepareOrientation(
  db: Db,
  actor: Actor,
  input: {
    structures: { id: string; name: string }[];
    placeId: string | null;
    needs: string[];
    text: string | null;
    diagnosticToken: string | null;
    previousId: string | null;
  },
  opts: ReferralsOptions,
): Promise<OrientationDraft> {
  const structures = senderStructures(actor, 'prepareOrientation', input.structures);
  if (structures.length === 0)
    throw new DomainError(
      'forbidden',
      "Seuls les membres d'une structure du réseau peuvent orienter une personne. La coordination voit les statistiques.",
      { function: 'prepareOrientation' },
    );
  const place =
    input.placeId && isUuid(input.placeId) ? await getPlace(db, actor, { placeId: input.placeId }) : null;
  const wanted = input.needs.map((s) => needBySlug(s)).filter((n): n is Need => n !== null);
  const offeredNeeds = place ? NEEDS.filter((n) => placeOffersNeed(place, n)) : [...NEEDS];
  const notOffered = place ? wanted.filter((n) => !placeOffersNeed(place, n)) : [];
  const delivery = place ? await deliveryOf(db, place.id) : null;
  let candidates: PlaceChoice[] = [];
  const text = input.text ? foldText(input.text) : '';
  if (!place && text.length >= 2) {
    const all = await listAllPlaces(db);
    candidates = all
      .filter((p) => foldText(`${p.nom} ${p.commune} ${p.codePostal}`).includes(text))
      .filter((p) => wanted.every((n) => placeOffersNeed(p, n)))
      .slice(0, 20)
      .map((p) => ({ id: p.id, nom: p.nom, commune: p.commune, adresse: p.adresse }));
  }
  let diagnostic: OrientationDraft['diagnostic'] = null;
  if (input.diagnosticToken) {
    const decoded = decodeDiagnosticToken(input.diagnosticToken);
    diagnostic = decoded
      ? { readable: true, needs: (await evaluateDiagnostic(db, decoded)).needs }
      : { readable: false, needs: [] };
  }
  let previous: OrientationDraft['previous'] = null;
  if (input.previousId) {
    const { row, involvement } = await loadInvolved(db, actor, 'prepareOrientation', input.previousId);
    if (!involvement.actsAsReceiver || row.state !== 'accepted')
      throw new DomainError(
        'conflict',
        'Seul le lieu qui a accepté cette orientation peut orienter la personne ailleurs.',
      );
    previous = {
      id: row.id,
      placeName: row.place_name,
      person: { name: row.person_name, phone: row.person_phone, email: row.person_email },
      contactPreference: row.contact_preference,
    };
    await auditPersonalAccess(db, {
      actorId: actorIdOf(actor),
      actorLabel: 'personne',
      action: 'orientation.personal_data_viewed',
      orientationId: row.id,
      at: nowOf(opts),
    });
  }
  return {
    structures,
    place,
    delivery: delivery?.delivery ?? null,
    contact: delivery?.contact ?? null,
    offeredNeeds,
    notOffered,
    candidates,
    diagnostic,
    previous,
    consentTerms: {
      months: opts.config.retention.orientationMonths,
      unansweredMonths: opts.config.retention.orientationUnansweredMonths,
    },
  };
}

export type CreateResult = { ok: true; orientation: Orientation } | { ok: false; errors: FormErrors };

/**
 * Sends an orientation, with the person's consent recorded (text version, text shown, date, author).
 * Refused: a place that does not offer a chosen need, a diagnostic that cannot be read. When it
 * continues an accepted orientation (`previousId`), that one is closed as "redirected" in the same
 * transaction and the new one joins its parcours. The place's referral address receives a signed link
 * when the place has no member structure.
 */
export async function createOrientation(
  db: Db,
  actor: Actor,
  input: {
    form: OrientationInput;
    sender: { name: string; email: string | null; structures: { id: string; name: string }[] };
  },
  opts: ReferralsOptions,
): Promise<CreateResult> {
  authorize(actor, 'createOrientation', { structureId: input.form.senderStructureId });
  const now = nowOf(opts);
  const f = input.form;
  const structure = input.sender.structures.find((s) => s.id === f.senderStructureId);
  if (!structure) return { ok: false, errors: { structure: 'Choisissez une de vos structures.' } };
  let place: Place;
  try {
    place = await getPlace(db, actor, { placeId: f.placeId });
  } catch {
    return {
      ok: false,
      errors: { lieu: "Ce lieu n'existe pas ou a été retiré de l'annuaire : choisissez-en un autre." },
    };
  }
  const missing = f.needs
    .map((s) => needBySlug(s))
    .filter((n): n is Need => n !== null && !placeOffersNeed(place, n));
  if (missing.length)
    return {
      ok: false,
      errors: {
        besoin: `« ${place.nom} » ne propose pas : ${missing.map((n) => n.label).join(', ')}. Décochez ce besoin ou choisissez un autre lieu.`,
      },
    };
  let diagnostic: AttachedDiagnostic | null = null;
  if (f.attachDiagnostic && f.diagnosticToken) {
    const decoded = decodeDiagnosticToken(f.diagnosticToken);
    if (!decoded)
      return {
        ok: false,
        errors: {
          form: "Le résultat du diagnostic n'est pas lisible : refaites le diagnostic ou décochez la case.",
        },
      };
    const result = await evaluateDiagnostic(db, decoded);
    diagnostic = {
      version: String(result.version),
      answers: decoded.answers,
      domains: result.domains.map((d) => ({ label: d.label, profile: String(d.profile) })),
      needs: result.needs,
    };
  }
  const { delivery, contact, structureId: receiverStructureId } = await deliveryOf(db, place.id);
  const consent = consentText({
    placeName: place.nom,
    senderStructure: structure.name,
    months: opts.config.retention.orientationMonths,
    unansweredMonths: opts.config.retention.orientationUnansweredMonths,
    withDiagnostic: diagnostic !== null,
  }).join(' ');
  return db.transaction().execute(async (tx) => {
    let parcoursId: string;
    if (f.previousId) {
      const previous = await findOrientation(tx, f.previousId);
      const involvement = previous ? involvementOf(actor, 'createOrientation', previous) : null;
      if (!previous || !involvement?.actsAsReceiver) throw new DomainError('forbidden', NOT_VISIBLE);
      const actsFor = [
        previous.receiver_structure_id,
        previous.delivery === 'sheet' ? previous.sender_structure_id : null,
      ];
      if (!actsFor.includes(f.senderStructureId))
        return {
          ok: false,
          errors: { structure: `Choisissez la structure qui a reçu la personne (${previous.place_name}).` },
        } as const;
      await applyAction(
        tx,
        previous,
        { type: 'close', outcome: 'redirected' },
        {
          actorKind: 'person',
          actorId: actorIdOf(actor),
          actorLabel: `${input.sender.name} (${structure.name})`,
          now,
        },
      );
      parcoursId = previous.parcours_id;
    } else parcoursId = await insertParcours(tx, now);
    const row = await insertOrientation(tx, {
      parcours_id: parcoursId,
      previous_id: f.previousId,
      sender_structure_id: structure.id,
      sender_structure_name: structure.name,
      sender_person_id: actorIdOf(actor),
      sender_name: input.sender.name,
      sender_email: input.sender.email,
      sender_contact: f.senderContact,
      place_id: place.id,
      place_name: place.nom,
      receiver_structure_id: receiverStructureId,
      delivery,
      referral_email: delivery === 'email' ? (contact?.referralEmail ?? null) : null,
      needs: f.needs,
      urgency: f.urgency,
      contact_preference: f.contactPreference,
      person_name: f.personName,
      person_phone: f.personPhone,
      person_email: f.personEmail,
      message: f.message,
      diagnostic: diagnostic ? JSON.stringify(diagnostic) : null,
      consent_version: CONSENT_VERSION,
      consent_text: consent,
      consent_at: now,
      consent_by: actorIdOf(actor),
      consent_diagnostic: diagnostic !== null,
      sent_at: now,
    });
    await logTransition(tx, {
      row,
      from: null,
      to: 'sent',
      actorKind: 'person',
      actorId: actorIdOf(actor),
      actorLabel: `${input.sender.name} (${structure.name})`,
      at: now,
    });
    if (delivery === 'email') await mailAnswerLink(tx, row, opts, now, false);
    if (delivery === 'inbox') await mailInbox(tx, row, opts, now);
    await recordAudit(tx, {
      actorId: actorIdOf(actor),
      actorLabel: 'personne',
      action: 'orientation.sent',
      subjectType: 'orientation',
      subjectId: row.id,
      details: { delivery, consentVersion: CONSENT_VERSION, diagnostic: diagnostic !== null },
      at: now,
    });
    return { ok: true, orientation: toOrientation(row) } as const;
  });
}

// --- Inbox, one orientation, actions ---

export interface InboxEntry {
  id: string;
  state: OrientationState;
  needs: string[];
  urgency: Urgency;
  placeName: string;
  senderStructureName: string;
  delivery: Delivery;
  sentAt: Date;
}

export interface Inbox {
  structure: { id: string; name: string };
  structures: { id: string; name: string }[];
  box: 'received' | 'sent';
  state: OrientationState | null;
  counts: Partial<Record<OrientationState, number>>;
  entries: InboxEntry[];
}

/**
 * A structure's orientations, received or sent, by state: no personal field is listed (they are on
 * each orientation's page, whose reading is audited).
 */
export async function listOrientations(
  db: Db,
  actor: Actor,
  input: {
    structures: { id: string; name: string }[];
    structureId: string | null;
    box: 'received' | 'sent';
    state: OrientationState | null;
  },
): Promise<Inbox> {
  const mine = senderStructures(actor, 'listOrientations', input.structures);
  const structure = input.structureId ? mine.find((s) => s.id === input.structureId) : mine[0];
  if (!structure) {
    authorize(actor, 'listOrientations', input.structureId ? { structureId: input.structureId } : {});
    throw new DomainError('forbidden', NOT_VISIBLE);
  }
  authorize(actor, 'listOrientations', { structureId: structure.id });
  const [rows, counts] = await Promise.all([
    listOrientationsOf(db, {
      structureId: structure.id,
      box: input.box,
      ...(input.state ? { states: [input.state] } : {}),
      limit: 200,
    }),
    countOrientationsByState(db, { structureId: structure.id, box: input.box }),
  ]);
  return {
    structure,
    structures: mine,
    box: input.box,
    state: input.state,
    counts: Object.fromEntries(counts),
    entries: rows.map((r) => ({
      id: r.id,
      state: r.state,
      needs: r.needs.map(needLabel),
      urgency: r.urgency,
      placeName: r.place_name,
      senderStructureName: r.sender_structure_name,
      delivery: r.delivery,
      sentAt: r.sent_at,
    })),
  };
}

export interface OrientationView {
  orientation: Orientation;
  events: OrientationEvent[];
  involvement: Involvement;
  /** How many orientations the parcours holds. */
  parcoursLength: number;
}

const toEvents = (rows: Awaited<ReturnType<typeof listEvents>>): OrientationEvent[] =>
  rows.map((e) => ({
    at: e.at,
    from: e.from_state,
    to: e.to_state,
    actorLabel: e.actor_label,
    reason: e.reason,
  }));

/**
 * One orientation, for the structures involved only; reading its personal fields is written to the
 * audit log.
 */
export async function getOrientation(
  db: Db,
  actor: Actor,
  input: { id: string },
  opts: { now?: Date } = {},
): Promise<OrientationView> {
  const { row, involvement } = await loadInvolved(db, actor, 'getOrientation', input.id);
  if (hasPersonalData(row))
    await auditPersonalAccess(db, {
      actorId: actorIdOf(actor),
      actorLabel: 'personne',
      action: 'orientation.personal_data_viewed',
      orientationId: row.id,
      at: nowOf(opts),
    });
  const [events, chain] = await Promise.all([
    listEvents(db, row.id),
    listParcoursOrientations(db, row.parcours_id),
  ]);
  return {
    orientation: toOrientation(row),
    events: toEvents(events),
    involvement,
    parcoursLength: chain.length,
  };
}

/**
 * The receiving structure accepts or refuses (a reason from the list, a message). A sheet-only
 * orientation is answered by its sender, who hears from the person. The sender is told by e-mail.
 */
export async function answerOrientation(
  db: Db,
  actor: Actor,
  input: { id: string; actorName: string; decision: string; reason: string; message: string },
  opts: { now?: Date } = {},
): Promise<{ ok: true; orientation: Orientation } | { ok: false; errors: Record<string, string> }> {
  const { row, involvement } = await loadInvolved(db, actor, 'answerOrientation', input.id);
  if (!involvement.actsAsReceiver)
    throw new DomainError(
      'forbidden',
      'Seul le lieu qui reçoit la personne peut accepter ou refuser cette orientation.',
    );
  const checked = validateAnswer(input);
  if (!checked.ok) return checked;
  const moved = await db.transaction().execute((tx) =>
    applyAction(tx, row, checked.action, {
      actorKind: 'person',
      actorId: actorIdOf(actor),
      actorLabel: input.actorName,
      message: checked.message,
      now: nowOf(opts),
    }),
  );
  return { ok: true, orientation: toOrientation(moved) };
}

export type CloseResult =
  | { kind: 'closed'; orientation: Orientation }
  | { kind: 'redirect'; previousId: string };

/**
 * Closes an accepted orientation: the person came, or did not. "Redirected" is recorded when the next
 * orientation is sent (the caller is sent to the form), so that a redirection always has its next step.
 */
export async function closeOrientation(
  db: Db,
  actor: Actor,
  input: { id: string; actorName: string; outcome: string },
  opts: { now?: Date } = {},
): Promise<CloseResult> {
  const { row, involvement } = await loadInvolved(db, actor, 'closeOrientation', input.id);
  if (!involvement.actsAsReceiver)
    throw new DomainError(
      'forbidden',
      'Seul le lieu qui reçoit la personne peut clôturer cette orientation.',
    );
  const outcome = input.outcome as Outcome;
  if (outcome === 'redirected') {
    const check = transition(row.state, { type: 'close', outcome });
    if (!check.ok) throw new DomainError('conflict', check.message);
    return { kind: 'redirect', previousId: row.id };
  }
  if (outcome !== 'came' && outcome !== 'did_not_come')
    throw new DomainError('invalid_input', 'Choisissez : la personne est venue, ou elle n’est pas venue.', {
      field: 'outcome',
      value: String(input.outcome).slice(0, 40),
    });
  const moved = await db.transaction().execute((tx) =>
    applyAction(
      tx,
      row,
      { type: 'close', outcome },
      {
        actorKind: 'person',
        actorId: actorIdOf(actor),
        actorLabel: input.actorName,
        now: nowOf(opts),
      },
    ),
  );
  return { kind: 'closed', orientation: toOrientation(moved) };
}

// --- The sheet ---

export interface ReferralSheet {
  orientation: Orientation;
  place: Place | null;
  status: OpeningStatus | null;
  /** A place of the sending structure, for the map's starting point. */
  origin: { label: string; lat: number; lon: number } | null;
}

/** A located place of a structure, by name (the "you are here" point of the sheet's map), if any. */
async function structurePosition(db: Db, structureId: string): Promise<{ lat: number; lon: number } | null> {
  for (const p of await listStructuresPlaces(db, [structureId]))
    if (p.latitude !== null && p.longitude !== null) return { lat: p.latitude, lon: p.longitude };
  return null;
}

/**
 * The printed sheet for the person: the place, its address, hours, a map, what to bring, who referred
 * her and how to reach them. The person's contact details are not printed: only her name when given.
 */
export async function getReferralSheet(
  db: Db,
  actor: Actor,
  input: { id: string },
  opts: { now?: Date } = {},
): Promise<ReferralSheet> {
  const { row } = await loadInvolved(db, actor, 'getReferralSheet', input.id);
  const indexed = row.place_id ? await findIndexedPlace(db, row.place_id, nowOf(opts)) : null;
  const position = row.sender_structure_id ? await structurePosition(db, row.sender_structure_id) : null;
  if (row.person_name !== null && row.personal_data_erased_at === null)
    await auditPersonalAccess(db, {
      actorId: actorIdOf(actor),
      actorLabel: 'personne',
      action: 'orientation.sheet_printed',
      orientationId: row.id,
      at: nowOf(opts),
    });
  return {
    orientation: toOrientation(row),
    place: indexed?.place ?? null,
    status: indexed?.status ?? null,
    origin: position ? { label: row.sender_structure_name, ...position } : null,
  };
}

// --- Parcours ---

export interface ParcoursStep {
  id: string;
  /** Whether the actor's structure is involved in this step (and may open it). */
  visible: boolean;
  state: OrientationState;
  placeName: string;
  senderStructureName: string;
  needs: string[];
  sentAt: Date;
  answeredAt: Date | null;
  closedAt: Date | null;
}

/**
 * A person's chain of orientations, for the structures involved in one of its steps only. Each step
 * shows where and when; only the steps of one's own structure open on their page.
 */
export async function getParcours(
  db: Db,
  actor: Actor,
  input: { id: string },
): Promise<{ id: string; steps: ParcoursStep[] }> {
  return parcoursSteps(db, actor, 'getParcours', input);
}

/** The steps of a parcours as `fn` lets the actor see them; forbidden when none is the actor's. */
async function parcoursSteps(
  db: Db,
  actor: Actor,
  fn: PolicyFunction,
  input: { id: string },
): Promise<{ id: string; steps: ParcoursStep[] }> {
  const rows = isUuid(input.id) ? await listParcoursOrientations(db, input.id.toLowerCase()) : [];
  const steps = rows.map((r) => {
    const i = involvementOf(actor, fn, r);
    return {
      id: r.id,
      visible: i.sender || i.receiver,
      state: r.state,
      placeName: r.place_name,
      senderStructureName: r.sender_structure_name,
      needs: r.needs.map(needLabel),
      sentAt: r.sent_at,
      answeredAt: r.answered_at,
      closedAt: r.closed_at,
    };
  });
  if (!steps.some((s) => s.visible))
    throw new DomainError('forbidden', "Ce parcours n'existe pas, ou votre structure n'y a pas pris part.", {
      function: fn,
    });
  return { id: input.id.toLowerCase(), steps };
}

/**
 * The person's data kept in the parcours (right of access), as JSON-ready data: the orientations the
 * actor's structure took part in. The export is written to the audit log.
 */
export async function exportParcoursData(
  db: Db,
  actor: Actor,
  input: { id: string },
  opts: { now?: Date } = {},
): Promise<unknown> {
  const rows = isUuid(input.id) ? await listParcoursOrientations(db, input.id.toLowerCase()) : [];
  const mine = rows.filter((r) => {
    const i = involvementOf(actor, 'exportParcoursData', r);
    return i.sender || i.receiver;
  });
  if (mine.length === 0)
    throw new DomainError('forbidden', "Ce parcours n'existe pas, ou votre structure n'y a pas pris part.");
  const now = nowOf(opts);
  await recordAudit(db, {
    actorId: actorIdOf(actor),
    actorLabel: 'personne',
    action: 'orientation.personal_data_exported',
    subjectType: 'parcours',
    subjectId: input.id.toLowerCase(),
    details: { orientations: mine.map((r) => r.id) },
    at: now,
  });
  return {
    exported_at: now.toISOString(),
    parcours: input.id.toLowerCase(),
    orientations: mine.map((r) => ({
      id: r.id,
      sent_at: r.sent_at.toISOString(),
      from: r.sender_structure_name,
      to: r.place_name,
      needs: r.needs.map(needLabel),
      state: STATE_LABELS[r.state],
      person: { name: r.person_name, phone: r.person_phone, email: r.person_email },
      message: r.message,
      answer_message: r.state_message,
      diagnostic: r.diagnostic,
      consent: { version: r.consent_version, text: r.consent_text, at: r.consent_at.toISOString() },
      personal_data_erased_at: r.personal_data_erased_at?.toISOString() ?? null,
    })),
  };
}

/**
 * Erases the person's data from every orientation of her parcours (right to erasure), at the request
 * of a structure involved. What remains (places, needs, states, dates) holds nothing personal and keeps
 * the statistics right. Written to the audit log.
 */
export async function eraseParcoursData(
  db: Db,
  actor: Actor,
  input: { id: string },
  opts: { now?: Date } = {},
): Promise<{ erased: number }> {
  await parcoursSteps(db, actor, 'eraseParcoursData', input);
  const now = nowOf(opts);
  return db.transaction().execute(async (tx) => {
    const erased = await blankParcoursPersonalData(tx, input.id.toLowerCase(), now);
    await recordAudit(tx, {
      actorId: actorIdOf(actor),
      actorLabel: 'personne',
      action: 'orientation.personal_data_erased',
      subjectType: 'parcours',
      subjectId: input.id.toLowerCase(),
      details: { orientations: erased },
      at: now,
    });
    return { erased };
  });
}

// --- Statistics (coordinator, aggregates only) ---

export interface OrientationStatistics {
  since: Date;
  total: number;
  byNeed: { label: string; n: number }[];
  bySender: { label: string; n: number }[];
  byReceiver: { label: string; n: number }[];
  byState: { state: OrientationState; label: string; n: number }[];
  medianAnswerMs: number | null;
  answered: number;
}

/** Counts of orientations by need, sender, receiver and state, and the median time to answer. */
export async function orientationStatistics(
  db: Db,
  actor: Actor,
  input: { months: number },
  opts: { now?: Date } = {},
): Promise<OrientationStatistics> {
  authorize(actor, 'orientationStatistics');
  const since = addMonths(nowOf(opts), -Math.min(Math.max(Math.round(input.months), 1), 120));
  const [needs, senders, receivers, states, median] = await Promise.all([
    countByNeed(db, since),
    countByColumn(db, 'sender_structure_name', since),
    countByColumn(db, 'place_name', since),
    countByColumn(db, 'state', since),
    medianAnswerMs(db, since),
  ]);
  return {
    since,
    total: states.reduce((a, r) => a + r.n, 0),
    byNeed: needs.map((r) => ({ label: needLabel(r.key), n: r.n })),
    bySender: senders.map((r) => ({ label: r.key, n: r.n })),
    byReceiver: receivers.map((r) => ({ label: r.key, n: r.n })),
    byState: states.map((r) => ({
      state: r.key as OrientationState,
      label: STATE_LABELS[r.key as OrientationState],
      n: r.n,
    })),
    medianAnswerMs: median.median === null ? null : Math.round(median.median),
    answered: median.n,
  };
}

// --- Links mailed to a place's referral address (no account) ---

export type LinkFailure = 'tampered' | 'invalid' | 'used' | 'expired' | 'done';

export type LinkView =
  | { ok: true; purpose: LinkPurpose; orientation: Orientation }
  | { ok: false; reason: LinkFailure };

async function checkLink(
  db: Db,
  token: string,
  now: Date,
): Promise<
  { ok: true; linkId: string; purpose: LinkPurpose; row: OrientationRow } | { ok: false; reason: LinkFailure }
> {
  const checked = verifyLinkToken(await installationSecret(db, 'orientation-links'), token);
  if (!checked.ok) return { ok: false, reason: checked.reason === 'tampered' ? 'tampered' : 'invalid' };
  const link = await findLinkByHash(db, hashToken(token));
  if (!link || link.id !== checked.id) return { ok: false, reason: 'invalid' };
  if (link.used_at) return { ok: false, reason: 'used' };
  if (link.expires_at <= now) return { ok: false, reason: 'expired' };
  const row = await findOrientation(db, link.orientation_id);
  if (!row) return { ok: false, reason: 'invalid' };
  const expected: OrientationState = link.purpose === 'answer' ? 'sent' : 'accepted';
  if (row.state !== expected) return { ok: false, reason: 'done' };
  return { ok: true, linkId: link.id, purpose: link.purpose, row };
}

/**
 * What a mailed link shows: the orientation, to answer or close it, without an account. The link is
 * the key: signed (a changed character is refused), single-use, expiring. Reading it is audited.
 */
export async function viewOrientationByLink(
  db: Db,
  input: { token: string },
  opts: { now?: Date } = {},
): Promise<LinkView> {
  const now = nowOf(opts);
  const checked = await checkLink(db, input.token, now);
  if (!checked.ok) return checked;
  if (hasPersonalData(checked.row))
    await auditPersonalAccess(db, {
      actorId: null,
      actorLabel: 'lien reçu par e-mail',
      action: 'orientation.personal_data_viewed',
      orientationId: checked.row.id,
      at: now,
    });
  return { ok: true, purpose: checked.purpose, orientation: toOrientation(checked.row) };
}

export type LinkActionResult =
  | { ok: true; orientation: Orientation; closeToken: string | null }
  | { ok: false; reason: LinkFailure }
  | { ok: false; reason: 'invalid_input'; errors: Record<string, string>; orientation: Orientation };

/**
 * Accepts or refuses from the mailed link (once). After an acceptance, a new single-use link to say
 * whether the person came is shown and mailed to the same address.
 */
export async function answerOrientationByLink(
  db: Db,
  input: { token: string; decision: string; reason: string; message: string },
  opts: ReferralsOptions,
): Promise<LinkActionResult> {
  const now = nowOf(opts);
  const checked = await checkLink(db, input.token, now);
  if (!checked.ok) return checked;
  if (checked.purpose !== 'answer') return { ok: false, reason: 'invalid' };
  const answer = validateAnswer(input);
  if (!answer.ok)
    return {
      ok: false,
      reason: 'invalid_input',
      errors: answer.errors,
      orientation: toOrientation(checked.row),
    };
  return db.transaction().execute(async (tx) => {
    if (!(await useLink(tx, checked.linkId, now))) return { ok: false, reason: 'used' } as const;
    const moved = await applyAction(tx, checked.row, answer.action, {
      actorKind: 'link',
      actorId: null,
      actorLabel: `${checked.row.place_name} (lien reçu par e-mail)`,
      message: answer.message,
      now,
    });
    let closeToken: string | null = null;
    if (moved.state === 'accepted' && moved.referral_email) {
      closeToken = await issueLink(tx, {
        orientationId: moved.id,
        purpose: 'close',
        expiresAt: addDays(now, CLOSE_LINK_DAYS),
        now,
      });
      await enqueueMail(
        tx,
        {
          to: moved.referral_email,
          kind: 'orientation_close_link',
          subject: `Orientation acceptée : dites-nous si la personne est venue (${moved.place_name})`,
          text: [
            'Bonjour,',
            '',
            `Vous avez accepté l'orientation envoyée par « ${moved.sender_structure_name} ».`,
            'Après le rendez-vous, dites-nous si la personne est venue avec ce lien :',
            linkUrl(opts, closeToken),
            '',
            `Ce lien marche une seule fois, pendant ${CLOSE_LINK_DAYS} jours.`,
          ].join('\n'),
        },
        now,
      );
    }
    await recordAudit(tx, {
      actorId: null,
      actorLabel: 'lien reçu par e-mail',
      action: `orientation.${moved.state}`,
      subjectType: 'orientation',
      subjectId: moved.id,
      at: now,
    });
    return { ok: true, orientation: toOrientation(moved), closeToken } as const;
  });
}

/** Says from the mailed link whether the person came (once). */
export async function closeOrientationByLink(
  db: Db,
  input: { token: string; outcome: string },
  opts: { now?: Date } = {},
): Promise<LinkActionResult> {
  const now = nowOf(opts);
  const checked = await checkLink(db, input.token, now);
  if (!checked.ok) return checked;
  if (checked.purpose !== 'close') return { ok: false, reason: 'invalid' };
  const outcome = input.outcome;
  if (outcome !== 'came' && outcome !== 'did_not_come')
    return {
      ok: false,
      reason: 'invalid_input',
      errors: { outcome: 'Choisissez : la personne est venue, ou elle n’est pas venue.' },
      orientation: toOrientation(checked.row),
    };
  return db.transaction().execute(async (tx) => {
    if (!(await useLink(tx, checked.linkId, now))) return { ok: false, reason: 'used' } as const;
    const moved = await applyAction(
      tx,
      checked.row,
      { type: 'close', outcome },
      {
        actorKind: 'link',
        actorId: null,
        actorLabel: `${checked.row.place_name} (lien reçu par e-mail)`,
        now,
      },
    );
    return { ok: true, orientation: toOrientation(moved), closeToken: null } as const;
  });
}

// --- Scheduled work ---

/**
 * Reminds after `reminderDays` without an answer and expires after `expiryDays`, each time mailing
 * the sender (and, for a place reached by e-mail, mailing it a fresh link with the reminder). Run by
 * the job runner with its clock; running it twice changes nothing more.
 */
export async function runOrientationDeadlines(
  db: Db,
  opts: ReferralsOptions,
): Promise<{ reminded: number; expired: number }> {
  const now = nowOf(opts);
  const { reminderDays, expiryDays } = opts.config.orientation;
  let expired = 0;
  for (const row of await listToExpire(db, addDays(now, -expiryDays))) {
    await db.transaction().execute(async (tx) => {
      const moved = await moveOrientation(tx, row.id, 'sent', { state: 'expired', closed_at: now });
      if (!moved) return;
      await logTransition(tx, {
        row,
        from: 'sent',
        to: 'expired',
        actorKind: 'system',
        actorId: null,
        actorLabel: 'Maillage (délai dépassé)',
        at: now,
      });
      await mailSender(
        tx,
        moved,
        `Orientation sans réponse : ${moved.place_name}`,
        [
          `Votre orientation vers ${moved.place_name} (${needsText(moved)}), envoyée le ${formatDate(moved.sent_at)}, n'a pas eu de réponse en ${expiryDays} jours.`,
          'Elle est close. Vous pouvez appeler le lieu, ou orienter la personne vers un autre lieu.',
          orientationPath(opts, moved.id),
        ],
        now,
      );
      expired++;
    });
  }
  let reminded = 0;
  for (const row of await listToRemind(db, addDays(now, -reminderDays))) {
    await db.transaction().execute(async (tx) => {
      if (!(await markReminded(tx, row.id, now))) return;
      await mailSender(
        tx,
        row,
        `Rappel : orientation sans réponse (${row.place_name})`,
        [
          `Votre orientation vers ${row.place_name} (${needsText(row)}), envoyée le ${formatDate(row.sent_at)}, attend une réponse depuis ${reminderDays} jours.`,
          row.delivery === 'sheet'
            ? 'Le lieu ne reçoit pas les orientations : si vous avez des nouvelles de la personne, notez-les.'
            : 'Nous avons relancé le lieu.',
          `Sans réponse, elle sera close le ${formatDate(addDays(row.sent_at, expiryDays))}.`,
          orientationPath(opts, row.id),
        ],
        now,
      );
      if (row.delivery === 'email') await mailAnswerLink(tx, row, opts, now, true);
      reminded++;
    });
  }
  return { reminded, expired };
}

/**
 * Blanks the personal fields of orientations past their retention: `orientationMonths` after closure
 * (or after acceptance, when never closed), `orientationUnansweredMonths` after a refusal or an expiry.
 * Idempotent; called by the privacy purge.
 */
export async function purgeOrientationPersonalData(
  db: Db,
  opts: ReferralsOptions,
): Promise<{ orientations: number }> {
  const now = nowOf(opts);
  const delays = delaysOf(opts);
  const orientations = await blankExpiredPersonalData(db, {
    closedBefore: addMonths(now, -delays.retentionMonths),
    unansweredBefore: addMonths(now, -delays.unansweredMonths),
    at: now,
  });
  if (orientations > 0)
    await recordAudit(db, {
      actorId: null,
      actorLabel: 'système',
      action: 'orientation.personal_data_purged',
      details: { orientations },
      at: now,
    });
  return { orientations };
}

// --- Demonstration ---

/** A demo account that sends and receives the demonstration orientations, with its structure. */
export interface DemoMember {
  personId: string;
  name: string;
  email: string;
  structureId: string;
  structureName: string;
}

/** The consent terms printed on demonstration orientations (the defaults of config.ts). */
const DEMO_TERMS = { months: 24, unansweredMonths: 3 };

interface DemoScenario {
  from: DemoMember;
  to: DemoMember;
  personName: string;
  urgency: Urgency;
  contactPreference: ContactPreference;
  personPhone: string | null;
  message: string;
  /** Days before now: sent, answered, closed. */
  days: [number, number | null, number | null];
  path: OrientationState[];
  refusalReason?: RefusalReason;
  stateMessage?: string;
}

/**
 * Seeds a few demonstration orientations between two demo structures (called only by the demo seeding,
 * on the embedded database): one waiting for an answer, one accepted, one closed as "came" — all sent
 * by `second` to a place of `first`'s structure — and one sent by `first` and refused. Each has its
 * events, so a newcomer signed in as a demo member finds an inbox with something in it. The people are
 * fictitious ("Personne Exemple"); no mail is sent and no audit entry is written: nothing happened.
 * Returns the parcours created, for `demo remove`.
 */
export async function seedDemoOrientations(
  db: Db,
  input: { first: DemoMember; second: DemoMember },
  opts: { now?: Date } = {},
): Promise<string[]> {
  const now = nowOf(opts);
  const { first, second } = input;
  const scenarios: DemoScenario[] = [
    {
      from: second,
      to: first,
      personName: 'Personne Exemple',
      urgency: 'soon',
      contactPreference: 'phone',
      personPhone: '01 02 03 04 05',
      message: 'Exemple de démonstration : elle veut faire seule ses démarches en ligne.',
      days: [2, null, null],
      path: ['sent'],
    },
    {
      from: second,
      to: first,
      personName: 'Personne Fictive',
      urgency: 'normal',
      contactPreference: 'self',
      personPhone: null,
      message: 'Exemple de démonstration : il vient avec son téléphone neuf.',
      days: [6, 5, null],
      path: ['sent', 'accepted'],
    },
    {
      from: second,
      to: first,
      personName: 'Exemple Démonstration',
      urgency: 'normal',
      contactPreference: 'via_sender',
      personPhone: null,
      message: 'Exemple de démonstration : elle a besoin d’aide pour son dossier.',
      days: [20, 19, 12],
      path: ['sent', 'accepted', 'came'],
    },
    {
      from: first,
      to: second,
      personName: 'Personne Imaginaire',
      urgency: 'urgent',
      contactPreference: 'phone',
      personPhone: '01 02 03 04 06',
      message: 'Exemple de démonstration : il doit envoyer un document cette semaine.',
      days: [8, 7, null],
      path: ['sent', 'refused'],
      refusalReason: 'full',
      stateMessage: 'Exemple : plus de place avant le mois prochain.',
    },
  ];
  const placeOf = new Map<string, { place: Place; needs: string[] } | null>();
  const destination = async (structureId: string) => {
    if (!placeOf.has(structureId)) {
      let found: { place: Place; needs: string[] } | null = null;
      for (const place of await listStructuresPlaces(db, [structureId])) {
        const needs = NEEDS.filter((n) => placeOffersNeed(place, n)).map((n) => n.slug);
        if (needs.length && (await deliveryOf(db, place.id)).delivery === 'inbox') {
          found = { place, needs };
          break;
        }
      }
      placeOf.set(structureId, found);
    }
    return placeOf.get(structureId) ?? null;
  };
  // Read before the transaction: the embedded database has one connection, held by the transaction.
  const targets: ({ place: Place; needs: string[] } | null)[] = [];
  for (const sc of scenarios) targets.push(await destination(sc.to.structureId));
  const parcours: string[] = [];
  await db.transaction().execute(async (tx) => {
    for (const [i, sc] of scenarios.entries()) {
      const target = targets[i];
      if (!target) continue;
      const at = (d: number | null) => (d === null ? null : addDays(now, -d));
      const sentAt = at(sc.days[0]) as Date;
      const answeredAt = at(sc.days[1]);
      const closedAt = at(sc.days[2]);
      const state = sc.path.at(-1) as OrientationState;
      const parcoursId = await insertParcours(tx, sentAt);
      const row = await insertOrientation(tx, {
        parcours_id: parcoursId,
        previous_id: null,
        sender_structure_id: sc.from.structureId,
        sender_structure_name: sc.from.structureName,
        sender_person_id: sc.from.personId,
        sender_name: sc.from.name,
        sender_email: sc.from.email,
        sender_contact: '01 02 03 04 00 (numéro de démonstration)',
        place_id: target.place.id,
        place_name: target.place.nom,
        receiver_structure_id: sc.to.structureId,
        delivery: 'inbox',
        referral_email: null,
        needs: [target.needs[i % target.needs.length] as string],
        urgency: sc.urgency,
        contact_preference: sc.contactPreference,
        person_name: sc.personName,
        person_phone: sc.personPhone,
        person_email: null,
        message: sc.message,
        diagnostic: null,
        consent_version: CONSENT_VERSION,
        consent_text: consentText({
          placeName: target.place.nom,
          senderStructure: sc.from.structureName,
          ...DEMO_TERMS,
          withDiagnostic: false,
        }).join(' '),
        consent_at: sentAt,
        consent_by: sc.from.personId,
        consent_diagnostic: false,
        state,
        refusal_reason: sc.refusalReason ?? null,
        state_message: sc.stateMessage ?? null,
        sent_at: sentAt,
        answered_at: answeredAt,
        closed_at: state === 'refused' ? answeredAt : closedAt,
      });
      const times = [sentAt, answeredAt, closedAt];
      for (const [k, to] of sc.path.entries()) {
        const by = k === 0 ? sc.from : sc.to;
        await logTransition(tx, {
          row,
          from: k === 0 ? null : (sc.path[k - 1] as OrientationState),
          to,
          actorKind: 'person',
          actorId: by.personId,
          actorLabel: `${by.name} (${by.structureName})`,
          reason: to === 'refused' ? (sc.refusalReason ?? null) : k === 2 ? to : null,
          at: times[k] as Date,
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
