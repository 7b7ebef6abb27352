import { type Actor, actorId, authorize } from '../accounts/policy.ts';
import type { CommuneOutline } from '../communes/basemap.tsx';
import type { Db, OrientationState } from '../db/database.ts';
import type { Place } from '../places/places.service.ts';
import { listStructuresPlaces } from '../places/places.service.ts';
import type { OpeningStatus } from '../search/opening.ts';
import { findIndexedPlace, mapOutlines } from '../search/search.service.ts';
import { DomainError } from '../shared/domain-error.ts';
import {
  countOrientationsByState,
  listEvents,
  listOrientationsOf,
  listParcoursOrientations,
} from './referrals.repository.ts';
import {
  applyAction,
  auditPersonalAccess,
  hasPersonalData,
  type Involvement,
  loadInvolved,
  NOT_VISIBLE,
  nowOf,
  type Orientation,
  type OrientationEvent,
  type ReferralsOptions,
  senderStructures,
  toOrientation,
} from './referrals.service.ts';
import {
  type AnswerInput,
  type Delivery,
  type InboxFilter,
  needLabel,
  type Outcome,
  parisDay,
  TO_DO_STATES,
  transition,
  type Urgency,
  validateAnswer,
} from './referrals.ts';

/**
 * A structure's orientations: its inbox (received or sent), one orientation with its history, the
 * answer and the closing by the receiving structure, and the sheet printed for the person.
 */

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
  state: InboxFilter;
  counts: Partial<Record<OrientationState, number>>;
  entries: InboxEntry[];
}

/**
 * A structure's orientations, received or sent, by state or what is left to do: no personal field is
 * listed (they are on each orientation's page, whose reading is audited).
 */
export async function listOrientations(
  db: Db,
  actor: Actor,
  input: {
    structures: { id: string; name: string }[];
    structureId: string | null;
    box: 'received' | 'sent';
    state: InboxFilter;
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
      ...(input.state === 'to_do' ? { states: TO_DO_STATES } : input.state ? { states: [input.state] } : {}),
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
    await auditPersonalAccess(db, actor, {
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
 * The receiving structure accepts (with an optional message and appointment: day, time, with whom) or
 * refuses (a reason from the list, a message). A sheet-only orientation is answered by its sender, who
 * hears from the person. The sender is told by e-mail; a bad appointment writes nothing.
 */
export async function answerOrientation(
  db: Db,
  actor: Actor,
  input: { id: string; actorName: string } & AnswerInput,
  opts: ReferralsOptions,
): Promise<{ ok: true; orientation: Orientation } | { ok: false; errors: Record<string, string> }> {
  const { row, involvement } = await loadInvolved(db, actor, 'answerOrientation', input.id);
  if (!involvement.actsAsReceiver)
    throw new DomainError(
      'forbidden',
      'Seul le lieu qui reçoit la personne peut accepter ou refuser cette orientation.',
    );
  const now = nowOf(opts);
  const checked = validateAnswer(input, parisDay(now));
  if (!checked.ok) return checked;
  const moved = await db.transaction().execute((tx) =>
    applyAction(
      tx,
      row,
      checked.action,
      {
        actorKind: 'person',
        actorId: actorId(actor),
        actorLabel: input.actorName,
        message: checked.message,
        appointment: checked.appointment,
        now,
      },
      opts,
    ),
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
        actorId: actorId(actor),
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
  /** The communes drawn under the map: around the start and the place, or the place's own commune. */
  outlines: CommuneOutline[];
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
  const indexed = row.place_id
    ? await findIndexedPlace(db, actor, { id: row.place_id }, { now: nowOf(opts) })
    : null;
  const position = row.sender_structure_id ? await structurePosition(db, row.sender_structure_id) : null;
  if (row.person_name !== null && row.personal_data_erased_at === null)
    await auditPersonalAccess(db, actor, {
      action: 'orientation.sheet_printed',
      orientationId: row.id,
      at: nowOf(opts),
    });
  const place = indexed?.place ?? null;
  const at =
    place && place.latitude !== null && place.longitude !== null
      ? { lat: place.latitude, lon: place.longitude }
      : null;
  return {
    orientation: toOrientation(row),
    place,
    status: indexed?.status ?? null,
    origin: position ? { label: row.sender_structure_name, ...position } : null,
    outlines: at ? await mapOutlines(db, actor, position ? [at, position] : [at]) : [],
  };
}
