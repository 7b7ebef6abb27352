import { type Actor, authorize, can } from '../accounts/policy.ts';
import { recordAudit } from '../audit/audit.service.ts';
import type { Db } from '../db/database.ts';
import { DomainError } from '../shared/domain-error.ts';
import { isUuid } from '../shared/ids.ts';
import { DEMO_SOURCE } from './places.service.ts';
import {
  findContactPlace,
  findPrivateContact,
  insertMissingPrivateContacts,
  listDemoContactPlaces,
  type PrivateContactRow,
  upsertPrivateContact,
} from './private-contacts.repository.ts';
import {
  type AcceptsOrientations,
  type ContactForm,
  type ContactInput,
  type ContactIssues,
  checkContactForm,
} from './private-contacts.ts';

/**
 * Private professional contacts of places: the direct line and referral email that
 * professionals use to refer someone, whether and how the place accepts orientations. Visible to
 * signed-in members of a structure (and coordinators) only: never on a public page, the API or an export.
 * Not public data, so not moderated: the place's structure changes it directly, with an audit entry.
 */
export type { AcceptsOrientations } from './private-contacts.ts';

export interface ReferralContact {
  directPhone: string | null;
  referralEmail: string | null;
  acceptsOrientations: AcceptsOrientations;
  /** How to refer someone, in the place's words. */
  instructions: string | null;
}

export interface PrivateContact extends ReferralContact {
  placeId: string;
  updatedAt: Date;
  updatedBy: string | null;
}

export interface ContactPlace {
  id: string;
  nom: string;
  commune: string;
  structureId: string | null;
  structureName: string | null;
}

export interface PrivateContactView {
  place: ContactPlace;
  contact: PrivateContact | null;
  /** Whether this person may change it (a member of the place's structure, or a coordinator). */
  canEdit: boolean;
}

function toPrivateContact(row: PrivateContactRow): PrivateContact {
  return {
    placeId: row.place_id,
    directPhone: row.direct_phone,
    referralEmail: row.referral_email,
    acceptsOrientations: row.accepts_orientations,
    instructions: row.orientation_instructions,
    updatedAt: row.updated_at,
    updatedBy: row.updated_by,
  };
}

async function loadPlace(db: Db, placeId: string): Promise<ContactPlace> {
  const row = isUuid(placeId) ? await findContactPlace(db, placeId.toLowerCase()) : undefined;
  if (!row)
    throw new DomainError('not_found', "Ce lieu n'existe pas ou a été retiré de l'annuaire.", {
      id: placeId,
    });
  return {
    id: row.id,
    nom: row.nom,
    commune: row.commune,
    structureId: row.structure_id,
    structureName: row.structure_nom,
  };
}

/**
 * The contact a referral uses to reach a place (for the referrals domain, which has already decided
 * who may refer): null when the place has no private contact. No actor: this is internal use, not a page.
 */
export async function getReferralContact(db: Db, placeId: string): Promise<ReferralContact | null> {
  if (!isUuid(placeId)) return null;
  const row = await findPrivateContact(db, placeId.toLowerCase());
  if (!row) return null;
  const { directPhone, referralEmail, acceptsOrientations, instructions } = toPrivateContact(row);
  return { directPhone, referralEmail, acceptsOrientations, instructions };
}

/**
 * A place's private contact, for any signed-in member of a structure of the network (or a
 * coordinator): professionals of every structure refer people to every place.
 */
export async function viewPrivateContact(db: Db, actor: Actor, placeId: string): Promise<PrivateContactView> {
  authorize(actor, 'viewPrivateContact');
  const place = await loadPlace(db, placeId);
  const row = await findPrivateContact(db, place.id);
  return {
    place,
    contact: row ? toPrivateContact(row) : null,
    canEdit: canEditContact(actor, place),
  };
}

function canEditContact(actor: Actor, place: ContactPlace): boolean {
  return can(actor, 'updatePrivateContact', place.structureId ? { structureId: place.structureId } : {});
}

export type UpdateContactResult =
  | { ok: true; contact: PrivateContact; changed: (keyof ContactInput)[] }
  | { ok: false; issues: ContactIssues };

/**
 * Changes a place's private contact: members of the place's structure and coordinators only. Bad input
 * comes back as issues by field (nothing is saved); a change leaves an audit entry naming the fields
 * changed (not their values: the entry outlives the contact).
 */
export async function updatePrivateContact(
  db: Db,
  actor: Actor,
  placeId: string,
  form: ContactForm,
  opts: { now?: Date } = {},
): Promise<UpdateContactResult> {
  const place = await loadPlace(db, placeId);
  authorize(actor, 'updatePrivateContact', place.structureId ? { structureId: place.structureId } : {});
  const checked = checkContactForm(form);
  if (!checked.ok) return checked;
  const now = opts.now ?? new Date();
  const personId = actor.kind === 'person' ? actor.personId : null;
  return db.transaction().execute(async (trx) => {
    const tx = trx as unknown as Db;
    const before = await findPrivateContact(tx, place.id);
    const previous: ContactInput = before
      ? {
          directPhone: before.direct_phone,
          referralEmail: before.referral_email,
          acceptsOrientations: before.accepts_orientations,
          instructions: before.orientation_instructions,
        }
      : { directPhone: null, referralEmail: null, acceptsOrientations: 'unknown', instructions: null };
    const changed = (Object.keys(checked.value) as (keyof ContactInput)[]).filter(
      (k) => checked.value[k] !== previous[k],
    );
    if (changed.length > 0 || !before) {
      await upsertPrivateContact(tx, {
        place_id: place.id,
        direct_phone: checked.value.directPhone,
        referral_email: checked.value.referralEmail,
        accepts_orientations: checked.value.acceptsOrientations,
        orientation_instructions: checked.value.instructions,
        updated_at: now,
        updated_by: personId,
      });
    }
    if (changed.length > 0) {
      await recordAudit(tx, {
        actorId: personId,
        actorLabel: actor.kind === 'person' ? 'personne' : actor.kind === 'system' ? 'cli' : 'anonyme',
        action: 'place.private_contact.updated',
        subjectType: 'place',
        subjectId: place.id,
        details: { fields: changed, accepts_orientations: checked.value.acceptsOrientations },
        at: now,
      });
    }
    const row = await findPrivateContact(tx, place.id);
    if (!row) throw new Error('private contact vanished');
    return { ok: true, contact: toPrivateContact(row), changed };
  });
}

function slug(text: string): string {
  return (
    text
      .normalize('NFD')
      .replace(/[\u0300-\u036f]/g, '')
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, '-')
      .replace(/^-|-$/g, '')
      .slice(0, 40) || 'lieu'
  );
}

/**
 * Demonstration contacts (with the demonstration data only): the places of the structures where the
 * demonstration accounts are members, three places of structures without members (all accepting
 * orientations) and one that does not accept any. Never overwrites a contact already there.
 */
export async function seedDemoPrivateContacts(db: Db): Promise<number> {
  const { withMembers, withoutMembers } = await listDemoContactPlaces(db, DEMO_SOURCE, 4);
  const rows = [...withMembers, ...withoutMembers].map((place, i) => {
    const refuses = i === withMembers.length + withoutMembers.length - 1 && withoutMembers.length > 0;
    const n = String(10 + (i % 90)).padStart(2, '0');
    return {
      place_id: place.id,
      direct_phone: `02 38 00 10 ${n}`,
      referral_email: `orientation.${slug(place.nom)}@example.org`,
      accepts_orientations: refuses ? ('no' as const) : ('yes' as const),
      orientation_instructions: refuses
        ? "Le lieu n'accueille plus de nouvelles personnes jusqu'à la rentrée : orientez vers un autre lieu."
        : 'Appelez la ligne directe du mardi au vendredi, de 9 h à 12 h, ou écrivez en donnant le besoin de la personne (sans son nom).',
      updated_by: null,
    };
  });
  return insertMissingPrivateContacts(db, rows);
}
