import { type Actor, actorId, actorLabel, authorize } from '../accounts/policy.ts';
import { recordAudit } from '../audit/audit.service.ts';
import type { Db } from '../db/database.ts';
import { DomainError } from '../shared/domain-error.ts';
import { cleanMultiline, foldForSearch, searchWords } from '../shared/text.ts';
import { structureBasics, structureNames } from '../structures/structures.service.ts';
import { localToday } from './place-dates.ts';
import { type EditOptions, resolvePosition } from './place-edit.service.ts';
import type { PlaceValues } from './place-edit.ts';
import { checkEditForm, type EditForm, type FieldErrors, formOfValues } from './place-edit-form.ts';
import {
  findPendingAttachRequest,
  insertAttachRequest,
  insertNewPlaceProposal,
  pendingAttachRequestsOf,
  pendingNewPlacesOf,
  placesWithPendingAttach,
} from './place-requests.repository.ts';
import { findPlacesByName, findPlaceWithStructure, type Place } from './places.service.ts';

/**
 * A structure beyond its own places: its administrators propose a new place (the edit form, empty; the
 * coordinator approves it in the moderation queue and only then is it public) or ask to attach a place
 * already in the directory (the coordinator approves; the place then belongs to the structure). Nothing
 * public changes here.
 */

export const ATTACH_MESSAGE_MAX_LENGTH = 1000;
const SEARCH_LIMIT = 20;

export const REQUEST_MESSAGES = {
  unknownStructure: "Cette structure n'existe pas.",
  unknownPlace: "Lieu : ce lieu n'existe pas ou a été retiré de l'annuaire. Cherchez-le à nouveau.",
  placeRequired: 'Lieu : choisissez dans la liste le lieu à rattacher.',
  alreadyAttached: (name: string) =>
    `Lieu : « ${name} » est déjà rattaché à votre structure. Rien à demander.`,
  alreadyRequested: (name: string) =>
    `Lieu : vous avez déjà demandé à rattacher « ${name} ». La demande attend la réponse de la coordination.`,
  messageTooLong: (n: number) =>
    `Message : ${n} caractères, c'est trop. ${ATTACH_MESSAGE_MAX_LENGTH} caractères au plus.`,
  searchTooShort: 'Nom du lieu : tapez au moins 2 lettres du nom du lieu ou de sa commune.',
  searchTooLong: 'Nom du lieu : tapez au plus 100 caractères.',
} as const;

/** The empty values a new place starts from: only the structure's SIRET/RNA (the schema's pivot). */
export function blankPlaceValues(pivot: string): PlaceValues {
  return {
    nom: '',
    pivot,
    commune: '',
    code_postal: '',
    code_insee: null,
    adresse: '',
    complement_adresse: null,
    latitude: null,
    longitude: null,
    position_approximate: false,
    typologie: [],
    telephone: null,
    courriels: [],
    site_web: [],
    horaires: null,
    presentation_resume: null,
    presentation_detail: null,
    itinerance: [],
    structure_parente: null,
    services: [],
    publics_specifiquement_adresses: [],
    prise_en_charge_specifique: [],
    frais_a_charge: [],
    dispositif_programmes_nationaux: [],
    formations_labels: [],
    autres_formations_labels: [],
    modalites_acces: [],
    modalites_accompagnement: [],
    fiche_acces_libre: null,
    prise_rdv: null,
    closures: [],
  };
}

const nowOf = (opts: { now?: Date }) => opts.now ?? new Date();

async function structureOrThrow(db: Db, structureId: string) {
  const structure = await structureBasics(db, structureId);
  if (!structure) throw new DomainError('not_found', REQUEST_MESSAGES.unknownStructure, { structureId });
  return structure;
}

export interface NewPlaceStart {
  structure: { id: string; name: string; pivot: string };
  form: EditForm;
  today: string;
}

/** The empty form of a new place for a structure (its administrators and coordinators). */
export async function startNewPlace(
  db: Db,
  actor: Actor,
  input: { structureId: string },
  opts: { now?: Date } = {},
): Promise<NewPlaceStart> {
  authorize(actor, 'startNewPlace', { structureId: input.structureId });
  const structure = await structureOrThrow(db, input.structureId);
  const today = localToday(nowOf(opts));
  return { structure, form: formOfValues(blankPlaceValues(structure.pivot), today), today };
}

export type NewPlaceResult = { ok: true; changeId: string } | { ok: false; errors: FieldErrors };

/**
 * Proposes a new place for a structure (its administrators and coordinators): the same form and checks
 * as editing a place (French messages naming each field), the position found the same way (typed,
 * geocoder, commune). Nothing is public: the proposal waits in the coordinator's moderation queue, and
 * approving it creates the place.
 */
export async function proposeNewPlace(
  db: Db,
  actor: Actor,
  input: { structureId: string; form: EditForm; proposerLabel: string },
  opts: EditOptions,
): Promise<NewPlaceResult> {
  authorize(actor, 'proposeNewPlace', { structureId: input.structureId });
  const structure = await structureOrThrow(db, input.structureId);
  const now = nowOf(opts);
  const today = localToday(now);
  const checked = checkEditForm(input.form, today);
  if (!checked.ok) return checked;
  const blank = blankPlaceValues(structure.pivot);
  const position = await resolvePosition(db, blank, checked.values, checked.position, opts);
  const proposed: PlaceValues = {
    ...checked.values,
    pivot: structure.pivot,
    latitude: position.latitude,
    longitude: position.longitude,
    position_approximate: position.approximate,
  };
  const changeId = await db.transaction().execute(async (trx) => {
    const tx = trx as unknown as Db;
    const id = await insertNewPlaceProposal(tx, {
      structure_id: structure.id,
      proposed_by: actorId(actor),
      proposed_by_label: input.proposerLabel.slice(0, 200) || actorLabel(actor),
      proposed_at: now,
      base: blank,
      proposed,
    });
    await recordAudit(tx, {
      actorId: actorId(actor),
      actorLabel: actorLabel(actor),
      action: 'place.new_proposed',
      subjectType: 'structure',
      subjectId: structure.id,
      details: { changeId: id, name: proposed.nom, commune: proposed.commune, position: position.source },
      at: now,
    });
    return id;
  });
  return { ok: true, changeId };
}

export interface AttachCandidate {
  place: Place;
  /** The structure it belongs to today, or null. */
  structureName: string | null;
  attachedHere: boolean;
  /** An attach request waits for this place (from any structure). */
  pending: boolean;
}

export type AttachSearch =
  | { ok: true; query: string; results: AttachCandidate[]; more: boolean }
  | { ok: false; query: string; error: string };

const foldWords = (text: string): string[] => searchWords(foldForSearch(text));

/**
 * The places of the directory whose name or commune contains the words typed ("saran ccas"), for a
 * structure to ask to attach one (its administrators and coordinators). Public data only; says which
 * structure each belongs to today.
 */
export async function findPlacesToAttach(
  db: Db,
  actor: Actor,
  input: { structureId: string; query: string },
): Promise<{ structure: { id: string; name: string }; search: AttachSearch | null }> {
  authorize(actor, 'findPlacesToAttach', { structureId: input.structureId });
  const structure = await structureOrThrow(db, input.structureId);
  const typed = input.query.trim().slice(0, 200);
  if (typed === '') return { structure, search: null };
  if (Array.from(typed).length > 100)
    return { structure, search: { ok: false, query: typed, error: REQUEST_MESSAGES.searchTooLong } };
  const words = foldWords(typed);
  if (words.join('').length < 2)
    return { structure, search: { ok: false, query: typed, error: REQUEST_MESSAGES.searchTooShort } };
  const found = await findPlacesByName(db, words, SEARCH_LIMIT + 1);
  const shown = found.slice(0, SEARCH_LIMIT);
  const names = await structureNames(
    db,
    shown.flatMap((f) => (f.structureId ? [f.structureId] : [])),
  );
  const pending = await placesWithPendingAttach(
    db,
    shown.map((f) => f.place.id),
  );
  return {
    structure,
    search: {
      ok: true,
      query: typed,
      results: shown.map((f) => ({
        place: f.place,
        structureName: f.structureId ? (names.get(f.structureId) ?? null) : null,
        attachedHere: f.structureId === structure.id,
        pending: pending.has(f.place.id),
      })),
      more: found.length > SEARCH_LIMIT,
    },
  };
}

export type AttachResult = { ok: true; requestId: string } | { ok: false; errors: FieldErrors };

/**
 * Asks the coordinator to attach a place of the directory to the structure (its administrators and
 * coordinators), with an optional message. Refused, naming the field, when the place is unknown, is
 * already the structure's, or is already asked for. Nothing changes before the coordinator approves.
 */
export async function requestPlaceAttachment(
  db: Db,
  actor: Actor,
  input: { structureId: string; placeId: string; message: string; proposerLabel: string },
  opts: { now?: Date } = {},
): Promise<AttachResult> {
  authorize(actor, 'requestPlaceAttachment', { structureId: input.structureId });
  const structure = await structureOrThrow(db, input.structureId);
  if (input.placeId.trim() === '') return { ok: false, errors: { lieu: REQUEST_MESSAGES.placeRequired } };
  const found = await findPlaceWithStructure(db, input.placeId.trim());
  if (!found) return { ok: false, errors: { lieu: REQUEST_MESSAGES.unknownPlace } };
  const { place } = found;
  if (found.structureId === structure.id)
    return { ok: false, errors: { lieu: REQUEST_MESSAGES.alreadyAttached(place.nom) } };
  const message = cleanMultiline(input.message);
  const length = Array.from(message).length;
  if (length > ATTACH_MESSAGE_MAX_LENGTH)
    return { ok: false, errors: { message: REQUEST_MESSAGES.messageTooLong(length) } };
  if (await findPendingAttachRequest(db, place.id, structure.id))
    return { ok: false, errors: { lieu: REQUEST_MESSAGES.alreadyRequested(place.nom) } };
  const now = nowOf(opts);
  const requestId = await db.transaction().execute(async (trx) => {
    const tx = trx as unknown as Db;
    const id = await insertAttachRequest(tx, {
      place_id: place.id,
      structure_id: structure.id,
      requested_by: actorId(actor),
      requested_by_label: input.proposerLabel.slice(0, 200) || actorLabel(actor),
      message: message === '' ? null : message,
      created_at: now,
    });
    if (!id) return undefined;
    await recordAudit(tx, {
      actorId: actorId(actor),
      actorLabel: actorLabel(actor),
      action: 'place.attach_requested',
      subjectType: 'place',
      subjectId: place.id,
      details: { requestId: id, structureId: structure.id, from: found.structureId },
      at: now,
    });
    return id;
  });
  // Two clicks at once: the unique index keeps one request, the second is told it exists.
  if (!requestId) return { ok: false, errors: { lieu: REQUEST_MESSAGES.alreadyRequested(place.nom) } };
  return { ok: true, requestId };
}

export interface PlaceRequests {
  newPlaces: { id: string; structureId: string; name: string; commune: string; proposedAt: Date }[];
  attachRequests: {
    id: string;
    structureId: string;
    placeId: string;
    name: string;
    commune: string;
    createdAt: Date;
  }[];
}

/**
 * The new places and attach requests of the person's structures still waiting for the coordinator
 * (members of any structure): shown on "Mes lieux" so that nobody proposes them twice.
 */
export async function listMyPlaceRequests(db: Db, actor: Actor): Promise<PlaceRequests> {
  authorize(actor, 'listMyPlaceRequests');
  if (actor.kind !== 'person') return { newPlaces: [], attachRequests: [] };
  const ids = actor.memberships.map((m) => m.structureId);
  const [created, attach] = await Promise.all([
    pendingNewPlacesOf(db, ids),
    pendingAttachRequestsOf(db, ids),
  ]);
  return {
    newPlaces: created.map((c) => {
      const proposed = (c.proposed ?? {}) as Partial<PlaceValues>;
      return {
        id: c.id,
        structureId: c.structure_id ?? '',
        name: String(proposed.nom ?? ''),
        commune: String(proposed.commune ?? ''),
        proposedAt: c.proposed_at,
      };
    }),
    attachRequests: attach.map((r) => ({
      id: r.id,
      structureId: r.structure_id,
      placeId: r.place_id,
      name: r.place_nom,
      commune: r.place_commune,
      createdAt: r.created_at,
    })),
  };
}
