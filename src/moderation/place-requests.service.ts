import { personAddress } from '../accounts/accounts.service.ts';
import { type Actor, actorId, actorLabel, authorize } from '../accounts/policy.ts';
import { recordAudit } from '../audit/audit.service.ts';
import type { Db } from '../db/database.ts';
import { enqueueMail } from '../mail/mail.service.ts';
import { formatDay, localToday } from '../places/place-dates.ts';
import { currentClosures, type PlaceValues, placeDataPatch, readStoredValues } from '../places/place-edit.ts';
import { type DiffRow, diffRows } from '../places/place-edit-diff.ts';
import { cleanInput } from '../places/place-edit-form.ts';
import { blankPlaceValues } from '../places/place-requests.service.ts';
import { attachPlaceToStructure, createPlaceFromProposal, type Place } from '../places/places.service.ts';
import type { PlaceData } from '../places/places.ts';
import { DomainError } from '../shared/domain-error.ts';
import { isUuid } from '../shared/ids.ts';
import { structureAdminAddresses } from '../structures/structures.service.ts';
import {
  countPlaceRequests,
  decideAttachRow,
  decideNewPlaceRow,
  findAttachRequest,
  findNewPlace,
  listPendingAttachRequests,
  listPendingNewPlaces,
} from './place-requests.repository.ts';

/**
 * The coordinator decides what structures ask beyond their own places: a new place (approving creates
 * it, public at once: pages, API, export and, within seconds, the search) and attaching a place of the
 * directory to a structure (approving makes the place the structure's). A decision is taken once (two
 * coordinators at once: one conflict), mailed to the person who asked and the structure's
 * administrators, and written to the audit log.
 */

export interface ModerationDecisionOptions {
  config: { publicUrl: string };
  now?: Date;
}

const MESSAGE_MAX_LENGTH = 2000;
const QUEUE_LIMIT = 200;
const NEW_PLACE_NOT_FOUND = "Ce nouveau lieu n'existe pas.";
const ATTACH_NOT_FOUND = "Cette demande de rattachement n'existe pas.";

const nowOf = (opts: { now?: Date }) => opts.now ?? new Date();

function checkId(id: string, message: string): string {
  if (!isUuid(id)) throw new DomainError('not_found', message, { id });
  return id.toLowerCase();
}

export interface QueuedNewPlace {
  id: string;
  name: string;
  commune: string;
  structureName: string | null;
  proposedBy: string;
  proposedAt: Date;
}

export interface QueuedAttachRequest {
  id: string;
  placeId: string;
  placeName: string;
  commune: string;
  structureName: string;
  /** The place belongs to another structure today (approving moves it). */
  movesFromAnother: boolean;
  requestedBy: string;
  createdAt: Date;
}

export interface PlaceRequestsQueue {
  newPlaces: QueuedNewPlace[];
  attachRequests: QueuedAttachRequest[];
  counts: { newPlaces: number; attachRequests: number };
}

/**
 * New places and attach requests waiting, oldest first, with their counts. Not a policy function: the
 * moderation queue (`listModerationQueue`, coordinators) and the home page's block call it after their
 * own decision.
 */
export async function placeRequestsQueue(db: Db): Promise<PlaceRequestsQueue> {
  const [created, attach, counts] = await Promise.all([
    listPendingNewPlaces(db, QUEUE_LIMIT),
    listPendingAttachRequests(db, QUEUE_LIMIT),
    countPlaceRequests(db),
  ]);
  return {
    newPlaces: created.map((c) => {
      const values = readStoredValues(c.proposed, blankPlaceValues(''));
      return {
        id: c.id,
        name: values.nom,
        commune: values.commune,
        structureName: c.structure_nom,
        proposedBy: c.proposed_by_label,
        proposedAt: c.proposed_at,
      };
    }),
    attachRequests: attach.map((r) => ({
      id: r.id,
      placeId: r.place_id,
      placeName: r.place_nom,
      commune: r.place_commune,
      structureName: r.structure_nom,
      movesFromAnother: r.place_structure_id !== null && r.place_structure_id !== r.structure_id,
      requestedBy: r.requested_by_label,
      createdAt: r.created_at,
    })),
    counts,
  };
}

export interface NewPlaceReview {
  id: string;
  status: 'pending' | 'approved' | 'rejected' | 'superseded';
  structureName: string | null;
  proposedBy: string;
  proposedAt: Date;
  decidedAt: Date | null;
  decisionMessage: string | null;
  /** The place once created (approved). */
  placeId: string | null;
  values: PlaceValues;
  /** The schema's fields with a value, as they will be published. */
  rows: DiffRow[];
  today: string;
}

/** A new place proposed by a structure, every field as it will be published (coordinators). */
export async function getNewPlaceReview(
  db: Db,
  actor: Actor,
  input: { changeId: string },
  opts: { now?: Date } = {},
): Promise<NewPlaceReview> {
  authorize(actor, 'getNewPlaceReview');
  const row = await findNewPlace(db, checkId(input.changeId, NEW_PLACE_NOT_FOUND));
  if (!row) throw new DomainError('not_found', NEW_PLACE_NOT_FOUND, { id: input.changeId });
  const today = localToday(nowOf(opts));
  const blank = blankPlaceValues('');
  const values = readStoredValues(row.proposed, blank);
  return {
    id: row.id,
    status: row.status,
    structureName: row.structure_nom,
    proposedBy: row.proposed_by_label,
    proposedAt: row.proposed_at,
    decidedAt: row.decided_at,
    decisionMessage: row.decision_message,
    placeId: row.place_id,
    values,
    rows: diffRows(blank, values, {
      id: row.place_id ?? '(donné à la validation)',
      source: 'maillage',
      dateMaj: null,
      proposedDateMaj: today,
    }).filter((r) => r.proposed.length > 0),
    today,
  };
}

export type DecisionResult =
  | { ok: true; placeId: string | null }
  | { ok: false; errors: Record<string, string> };

function checkMessage(raw: string, required: boolean, requiredMessage: string) {
  const message = cleanInput(raw, true);
  const length = Array.from(message).length;
  if (length > MESSAGE_MAX_LENGTH)
    return {
      ok: false as const,
      errors: {
        message: `Message : ${length} caractères, c'est trop. ${MESSAGE_MAX_LENGTH} caractères au plus.`,
      },
    };
  if (required && message === '') return { ok: false as const, errors: { message: requiredMessage } };
  return { ok: true as const, message: message === '' ? null : message };
}

async function recipients(db: Db, personId: string | null, structureId: string | null): Promise<string[]> {
  const list: string[] = [];
  const person = personId ? await personAddress(db, personId) : null;
  if (person) list.push(person);
  if (structureId) list.push(...(await structureAdminAddresses(db, structureId)));
  return [...new Set(list.map((a) => a.toLowerCase()))];
}

function placeData(values: PlaceValues): Omit<PlaceData, 'sourceId' | 'dateMaj'> {
  const patch = placeDataPatch(values) as Omit<PlaceData, 'sourceId' | 'dateMaj'>;
  return patch;
}

/**
 * Approves or refuses a new place proposed by a structure (coordinators). Approving creates the place
 * in the same transaction, the structure's, dated today: it is public at once (its sheet, the API, the
 * export; the search index within seconds). Refusing needs a message. Either way the proposer and the
 * structure's administrators get a mail.
 */
export async function decideNewPlace(
  db: Db,
  actor: Actor,
  input: { changeId: string; decision: 'approve' | 'reject'; message: string },
  opts: ModerationDecisionOptions,
): Promise<DecisionResult> {
  authorize(actor, 'decideNewPlace');
  const now = nowOf(opts);
  const approved = input.decision === 'approve';
  const checked = checkMessage(
    input.message,
    !approved,
    'Message : expliquez pourquoi le lieu est refusé. La structure le recevra par e-mail.',
  );
  if (!checked.ok) return checked;
  const id = checkId(input.changeId, NEW_PLACE_NOT_FOUND);
  const placeId = await db.transaction().execute(async (trx) => {
    const tx = trx as unknown as Db;
    const row = await findNewPlace(tx, id);
    if (!row) throw new DomainError('not_found', NEW_PLACE_NOT_FOUND, { id });
    if (row.status !== 'pending' || !row.structure_id)
      throw new DomainError('conflict', 'Ce nouveau lieu a déjà été traité.', { id, status: row.status });
    const today = localToday(now);
    const values = readStoredValues(row.proposed, blankPlaceValues(''));
    let place: Place | null = null;
    if (approved)
      place = await createPlaceFromProposal(tx, {
        sourceId: row.id,
        structureId: row.structure_id,
        data: placeData(values),
        closures: currentClosures(values.closures, today),
        today,
      });
    const decided = await decideNewPlaceRow(tx, row.id, {
      status: approved ? 'approved' : 'rejected',
      place_id: place?.id ?? null,
      decided_by: actorId(actor),
      decided_at: now,
      decision_message: checked.message,
    });
    if (!decided) throw new DomainError('conflict', 'Ce nouveau lieu a déjà été traité.', { id });
    const proposedOn = formatDay(localToday(row.proposed_at));
    const text = place
      ? [
          'Bonjour,',
          '',
          `La coordination a validé le nouveau lieu « ${values.nom} » (${values.commune}) proposé le ${proposedOn} par ${row.proposed_by_label}.`,
          'Il est maintenant public :',
          `${opts.config.publicUrl}/lieux/${place.id}`,
          ...(checked.message ? ['', 'Message de la coordination :', checked.message] : []),
        ]
      : [
          'Bonjour,',
          '',
          `La coordination a refusé le nouveau lieu « ${values.nom} » (${values.commune}) proposé le ${proposedOn} par ${row.proposed_by_label}.`,
          '',
          'Message de la coordination :',
          checked.message ?? '',
          '',
          'Vous pouvez proposer un lieu à nouveau :',
          `${opts.config.publicUrl}/structures/${row.structure_id}/lieux/nouveau`,
        ];
    const to = await recipients(tx, row.proposed_by, row.structure_id);
    for (const address of to)
      await enqueueMail(
        tx,
        {
          to: address,
          kind: 'moderation_decision',
          subject: `${place ? 'Nouveau lieu validé' : 'Nouveau lieu refusé'} : ${values.nom}`,
          text: text.join('\n'),
        },
        now,
      );
    await recordAudit(tx, {
      actorId: actorId(actor),
      actorLabel: actorLabel(actor),
      action: place ? 'place.created' : 'place.new_rejected',
      subjectType: place ? 'place' : 'structure',
      subjectId: place?.id ?? row.structure_id,
      details: { changeId: row.id, name: values.nom, message: checked.message, notified: to.length },
      at: now,
    });
    return place?.id ?? null;
  });
  return { ok: true, placeId };
}

export interface AttachReview {
  id: string;
  status: 'pending' | 'approved' | 'rejected';
  place: { id: string; name: string; commune: string };
  structure: { id: string; name: string };
  /** The place belongs to another structure today (approving moves it), or to this one already. */
  currentStructureId: string | null;
  requestedBy: string;
  message: string | null;
  createdAt: Date;
  decidedAt: Date | null;
  decisionMessage: string | null;
}

/** One attach request with its place and structure (coordinators). */
export async function getAttachRequestReview(
  db: Db,
  actor: Actor,
  input: { requestId: string },
): Promise<AttachReview> {
  authorize(actor, 'getAttachRequestReview');
  const row = await findAttachRequest(db, checkId(input.requestId, ATTACH_NOT_FOUND));
  if (!row) throw new DomainError('not_found', ATTACH_NOT_FOUND, { id: input.requestId });
  return {
    id: row.id,
    status: row.status,
    place: { id: row.place_id, name: row.place_nom, commune: row.place_commune },
    structure: { id: row.structure_id, name: row.structure_nom },
    currentStructureId: row.place_structure_id,
    requestedBy: row.requested_by_label,
    message: row.message,
    createdAt: row.created_at,
    decidedAt: row.decided_at,
    decisionMessage: row.decision_message,
  };
}

/**
 * Approves or refuses a structure's request to attach a place (coordinators). Approving makes the place
 * the structure's (its members then keep it up to date and receive its orientations); its public data do
 * not change. Refusing needs a message. The person who asked and the structure's administrators are
 * mailed either way.
 */
export async function decideAttachRequest(
  db: Db,
  actor: Actor,
  input: { requestId: string; decision: 'approve' | 'reject'; message: string },
  opts: ModerationDecisionOptions,
): Promise<DecisionResult> {
  authorize(actor, 'decideAttachRequest');
  const now = nowOf(opts);
  const approved = input.decision === 'approve';
  const checked = checkMessage(
    input.message,
    !approved,
    'Message : expliquez pourquoi le rattachement est refusé. La structure le recevra par e-mail.',
  );
  if (!checked.ok) return checked;
  const id = checkId(input.requestId, ATTACH_NOT_FOUND);
  await db.transaction().execute(async (trx) => {
    const tx = trx as unknown as Db;
    const row = await findAttachRequest(tx, id);
    if (!row) throw new DomainError('not_found', ATTACH_NOT_FOUND, { id });
    const decided = await decideAttachRow(tx, id, {
      status: approved ? 'approved' : 'rejected',
      decided_by: actorId(actor),
      decided_at: now,
      decision_message: checked.message,
    });
    if (!decided)
      throw new DomainError('conflict', 'Cette demande de rattachement a déjà été traitée.', { id });
    if (approved) await attachPlaceToStructure(tx, row.place_id, row.structure_id);
    const text = approved
      ? [
          'Bonjour,',
          '',
          `La coordination a accepté de rattacher « ${row.place_nom} » (${row.place_commune}) à « ${row.structure_nom} ».`,
          'Vous pouvez maintenant tenir sa fiche à jour :',
          `${opts.config.publicUrl}/lieux/${row.place_id}/modifier`,
          ...(checked.message ? ['', 'Message de la coordination :', checked.message] : []),
        ]
      : [
          'Bonjour,',
          '',
          `La coordination a refusé de rattacher « ${row.place_nom} » (${row.place_commune}) à « ${row.structure_nom} ».`,
          '',
          'Message de la coordination :',
          checked.message ?? '',
        ];
    const to = await recipients(tx, row.requested_by, row.structure_id);
    for (const address of to)
      await enqueueMail(
        tx,
        {
          to: address,
          kind: 'moderation_decision',
          subject: `${approved ? 'Rattachement accepté' : 'Rattachement refusé'} : ${row.place_nom}`,
          text: text.join('\n'),
        },
        now,
      );
    await recordAudit(tx, {
      actorId: actorId(actor),
      actorLabel: actorLabel(actor),
      action: approved ? 'place.attached' : 'place.attach_rejected',
      subjectType: 'place',
      subjectId: row.place_id,
      details: {
        requestId: id,
        structureId: row.structure_id,
        from: row.place_structure_id,
        message: checked.message,
        notified: to.length,
      },
      at: now,
    });
  });
  return { ok: true, placeId: null };
}
