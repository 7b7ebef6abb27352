import { type Actor, actorId, authorize } from '../accounts/policy.ts';
import { recordAudit } from '../audit/audit.service.ts';
import type { Db } from '../db/database.ts';
import { summarizeDiagnosticForProfessional } from '../diagnostic/diagnostic.service.ts';
import { enqueueMail } from '../mail/mail.service.ts';
import { getPlace, listAllPlaces, type Place } from '../places/places.service.ts';
import type { ReferralContact } from '../places/private-contacts.service.ts';
import { publicDirectory } from '../places/public-places.service.ts';
import { NEEDS, type Need, needBySlug } from '../search/needs.ts';
import { DomainError } from '../shared/domain-error.ts';
import { isUuid } from '../shared/ids.ts';
import { structureMemberAddresses } from '../structures/structures.service.ts';
import {
  findOrientation,
  insertOrientation,
  insertParcours,
  type OrientationRow,
} from './referrals.repository.ts';
import {
  type AttachedDiagnostic,
  applyAction,
  auditPersonalAccess,
  deliveryOf,
  involvementOf,
  loadInvolved,
  logTransition,
  mailAnswerLink,
  NOT_VISIBLE,
  namingOf,
  nowOf,
  type Orientation,
  orientationPath,
  type ReferralsOptions,
  senderStructures,
  toOrientation,
} from './referrals.service.ts';
import {
  CONSENT_VERSION,
  type ContactPreference,
  consentText,
  type Delivery,
  type FormErrors,
  type OrientationInput,
  orientationMailHeader,
  orientationTitle,
  placeOffersNeed,
  placeQueryScore,
  placeQueryWords,
} from './referrals.ts';

/**
 * The orientation form: what it offers (the sender's structures, the place and how it will receive the
 * orientation, the needs it offers, the diagnostic to attach), and sending, with the person's consent.
 */

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
        subject: `Une nouvelle orientation vous attend — ${orientationTitle(namingOf(row))}`,
        text: [
          ...orientationMailHeader(namingOf(row), orientationPath(opts, row.id)),
          '',
          'Bonjour,',
          '',
          `Une nouvelle orientation vous attend sur Maillage, pour ${row.place_name}.`,
          `Envoyée par : « ${row.sender_structure_name} ».`,
          '',
          'Pour la voir et répondre (accepter ou refuser), connectez-vous et ouvrez le lien ci-dessus.',
        ].join('\n'),
      },
      now,
    );
  }
}

/**
 * What the orientation form needs: the structures the person may send for, the chosen place and how
 * it will receive the orientation (inbox, e-mailed link or printed sheet only: said before sending),
 * the needs it offers, places matching the words typed (name or commune, in any order, accents and
 * case ignored), and the diagnostic to attach.
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
  const words = input.text ? placeQueryWords(input.text) : [];
  if (!place && words.join('').length >= 2) {
    // The places residents can be sent to: those the public sees (the territory and its margin), not a
    // place of another region imported by the same file.
    const all = opts.config.publicScope
      ? (await publicDirectory(db, opts.config.publicScope)).places
      : await listAllPlaces(db);
    candidates = all
      .filter((p) => wanted.every((n) => placeOffersNeed(p, n)))
      .map((p) => ({ p, score: placeQueryScore(words, p) }))
      .filter((x): x is { p: Place; score: number } => x.score !== null)
      .sort((a, b) => b.score - a.score || a.p.nom.localeCompare(b.p.nom, 'fr'))
      .slice(0, 20)
      .map(({ p }) => ({ id: p.id, nom: p.nom, commune: p.commune, adresse: p.adresse }));
  }
  let diagnostic: OrientationDraft['diagnostic'] = null;
  if (input.diagnosticToken) {
    // The same reading as when the orientation is created: a link that would be refused then says so now.
    const summary = await summarizeDiagnosticForProfessional(db, input.diagnosticToken);
    diagnostic = summary ? { readable: true, needs: summary.needs } : { readable: false, needs: [] };
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
    await auditPersonalAccess(db, actor, {
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
    // Said to the receiving professional ("La personne…"), not the person's own page ("Vous…").
    diagnostic = await summarizeDiagnosticForProfessional(db, f.diagnosticToken);
    if (!diagnostic)
      return {
        ok: false,
        errors: {
          form: "Le résultat du diagnostic n'est pas lisible : refaites le diagnostic ou décochez la case.",
        },
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
          actorId: actorId(actor),
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
      sender_person_id: actorId(actor),
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
      consent_by: actorId(actor),
      consent_diagnostic: diagnostic !== null,
      sent_at: now,
    });
    await logTransition(tx, {
      row,
      from: null,
      to: 'sent',
      actorKind: 'person',
      actorId: actorId(actor),
      actorLabel: `${input.sender.name} (${structure.name})`,
      at: now,
    });
    if (delivery === 'email') await mailAnswerLink(tx, row, opts, now, false);
    if (delivery === 'inbox') await mailInbox(tx, row, opts, now);
    await recordAudit(tx, {
      actorId: actorId(actor),
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
