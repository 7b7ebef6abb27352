import { type Actor, authorize, can, type PolicyFunction } from '../accounts/policy.ts';
import { getReferencePoints } from '../communes/communes.service.ts';
import type { Db } from '../db/database.ts';
import { findPlaceWithStructure, listStructuresPlaces } from '../places/places.service.ts';
import { DomainError } from '../shared/domain-error.ts';
import { isUuid } from '../shared/ids.ts';
import { structureNames } from '../structures/structures.service.ts';
import {
  countAccepted,
  findMatch,
  findMatchOf,
  findMission,
  firstWaiting,
  insertMission,
  listMatches,
  listMissionsIn,
  lockMission,
  type MatchRow,
  type MissionRow,
  updateMatch,
  updateMission,
} from './volunteers.repository.ts';
import { checkMissionForm, type Issue, MESSAGES, type MissionForm } from './volunteers.ts';

/**
 * Missions (decision 0044): a structure's staff publish a mission at one of their structure's places;
 * the coordinator validates it; it is full when every seat is taken (an accepted proposal takes one),
 * and a proposal accepted then waits in line; a seat that frees goes to the first in line, under the
 * mission's row lock. The structure or the coordinator closes it.
 */

/** A mission as the pages show it (never a volunteer's name: see the proposals for that). */
export interface Mission {
  id: string;
  structureId: string;
  structureName: string;
  placeId: string;
  placeName: string;
  placeCommune: string;
  /** Where the place is, for the distance: its coordinates, or its commune's reference point. */
  point: { lat: number; lon: number } | null;
  title: string;
  description: string;
  startsOn: string;
  endsOn: string;
  slots: string[];
  skills: string[];
  commitment: 'one_off' | 'weekly';
  hoursPerWeek: number | null;
  audience: string;
  seats: number;
  taken: number;
  waiting: number;
  state: MissionRow['state'];
}

/** Missions with their structure, place and seats, in the rows' order. */
export async function toMissions(db: Db, rows: readonly MissionRow[]): Promise<Mission[]> {
  const names = await structureNames(
    db,
    rows.map((r) => r.structure_id),
  );
  const places = new Map<string, Awaited<ReturnType<typeof findPlaceWithStructure>>>();
  for (const id of new Set(rows.map((r) => r.place_id))) places.set(id, await findPlaceWithStructure(db, id));
  const codes = [...places.values()]
    .map((p) => p?.place)
    .filter((p) => p && (p.latitude === null || p.longitude === null) && p.codeInsee)
    .map((p) => p?.codeInsee as string);
  const points = new Map((await getReferencePoints(db, codes)).map((p) => [p.code, p]));
  const matches = await listMatches(db, {
    missionIds: rows.map((r) => r.id),
    states: ['accepted', 'waiting'],
  });
  return rows.map((r) => {
    const place = places.get(r.place_id)?.place;
    const ref = place?.codeInsee ? points.get(place.codeInsee) : undefined;
    const point =
      place && place.latitude !== null && place.longitude !== null
        ? { lat: place.latitude, lon: place.longitude }
        : ref
          ? { lat: ref.lat, lon: ref.lon }
          : null;
    return {
      id: r.id,
      structureId: r.structure_id,
      structureName: names.get(r.structure_id) ?? 'Structure',
      placeId: r.place_id,
      placeName: place?.nom ?? 'Lieu',
      placeCommune: place?.commune ?? '',
      point,
      title: r.title,
      description: r.description,
      startsOn: r.starts_on,
      endsOn: r.ends_on,
      slots: r.slots,
      skills: r.skills,
      commitment: r.commitment,
      hoursPerWeek: r.hours_per_week,
      audience: r.audience,
      seats: r.seats,
      taken: matches.filter((m) => m.mission_id === r.id && m.state === 'accepted').length,
      waiting: matches.filter((m) => m.mission_id === r.id && m.state === 'waiting').length,
      state: r.state,
    };
  });
}

/** Whether everybody may see the mission: validated, full or closed (a draft is its structure's). */
const isPublished = (row: MissionRow) => row.state !== 'draft';

/**
 * The mission of an id, for a function whose rule concerns its structure; a malformed or unknown id is
 * `not_found` for those who may call the function for a structure of theirs (see `refuseUnknown`).
 */
export async function missionFor(db: Db, actor: Actor, fn: PolicyFunction, id: string): Promise<MissionRow> {
  const key = id.toLowerCase();
  const row = isUuid(key) ? await findMission(db, key) : undefined;
  if (!row) refuseUnknown(actor, fn, MESSAGES.notFoundMission, { id });
  authorize(actor, fn, { structureId: row.structure_id });
  return row;
}

/**
 * An unknown or malformed id: `not_found` (its French message) for whoever may call the function for
 * some structure of theirs, `forbidden` for the others (nobody learns what exists).
 */
export function refuseUnknown(actor: Actor, fn: PolicyFunction, message: string, details: unknown): never {
  const some =
    can(actor, fn) ||
    (actor.kind === 'person' &&
      actor.memberships.some((m) => can(actor, fn, { structureId: m.structureId })));
  if (!some) authorize(actor, fn);
  throw new DomainError('not_found', message, details);
}

/** The missions open to volunteers (validated or full), soonest first: public, no volunteer named. */
export async function listMissions(db: Db, actor: Actor): Promise<Mission[]> {
  authorize(actor, 'listMissions');
  return toMissions(db, await listMissionsIn(db, { states: ['validated', 'full'] }));
}

/** The missions of the person's structures (any state), or every mission for a coordinator. */
export async function listManagedMissions(db: Db, actor: Actor): Promise<Mission[]> {
  authorize(actor, 'listManagedMissions');
  if (actor.kind !== 'person') return [];
  const all = ['draft', 'validated', 'full', 'closed'] as const;
  if (actor.networkRole === 'coordinator') return toMissions(db, await listMissionsIn(db, { states: all }));
  return toMissions(
    db,
    await listMissionsIn(db, { states: all, structureIds: actor.memberships.map((m) => m.structureId) }),
  );
}

/**
 * A mission's page: anybody sees a published mission; a draft only its structure's members and the
 * coordinators (for the others, it does not exist). Says what the actor may do with it: manage it (its
 * structure), validate it (a coordinator, a draft), ask to join it (a volunteer without a proposal for
 * it, the volunteer's proposal shown otherwise).
 */
export async function getMission(
  db: Db,
  actor: Actor,
  input: { id: string },
): Promise<{
  mission: Mission;
  manage: boolean;
  validate: boolean;
  apply: boolean;
  proposal: { id: string; origin: MatchRow['origin']; state: MatchRow['state'] } | null;
}> {
  const row = await missionFor(db, actor, 'getMission', input.id);
  const manage = can(actor, 'closeMission', { structureId: row.structure_id });
  if (!isPublished(row) && !manage) throw new DomainError('not_found', MESSAGES.notFoundMission, input);
  const [mission] = await toMissions(db, [row]);
  const volunteer = actor.kind === 'person' && can(actor, 'applyToMission');
  const match = volunteer ? await findMatchOf(db, row.id, actor.personId) : undefined;
  return {
    mission: mission as Mission,
    manage,
    validate: row.state === 'draft' && can(actor, 'validateMission'),
    apply: volunteer && !match && row.state !== 'closed',
    proposal: match ? { id: match.id, origin: match.origin, state: match.state } : null,
  };
}

/** The mission form's choices: the person's structures and, for each, its places of the directory. */
export async function missionForm(
  db: Db,
  actor: Actor,
): Promise<{ structures: { id: string; name: string; places: { id: string; label: string }[] }[] }> {
  authorize(actor, 'missionForm');
  if (actor.kind !== 'person') return { structures: [] };
  const ids = actor.memberships.map((m) => m.structureId);
  const names = await structureNames(db, ids);
  const structures = [];
  for (const id of ids) {
    const places = await listStructuresPlaces(db, [id]);
    structures.push({
      id,
      name: names.get(id) ?? 'Ma structure',
      places: places.map((p) => ({ id: p.id, label: `${p.nom} (${p.commune})` })),
    });
  }
  return { structures };
}

export type CreateMissionResult = { ok: true; id: string } | { ok: false; issues: Issue[] };

/**
 * Publishes a mission for one of the person's structures, as a draft the coordinator validates. The
 * place is required and must be one of the structure's places of the directory; the end is on or after
 * the start. Every problem is returned at once, each naming its field; nothing is written unless all
 * is right.
 */
export async function createMission(
  db: Db,
  actor: Actor,
  form: MissionForm,
  opts: { now?: Date } = {},
): Promise<CreateMissionResult> {
  const fallback = actor.kind === 'person' ? (actor.memberships[0]?.structureId ?? '') : '';
  const structureId = (form.structureId.trim() || fallback).toLowerCase();
  authorize(actor, 'createMission', isUuid(structureId) ? { structureId } : {});
  const checked = checkMissionForm(form);
  const issues = checked.ok ? [] : [...checked.issues];
  const placeKey = form.placeId.trim().toLowerCase();
  const place = placeKey === '' ? null : await findPlaceWithStructure(db, placeKey);
  if (placeKey === '')
    issues.unshift({
      field: 'lieu',
      message: 'Lieu : choisissez le lieu de la mission parmi les lieux de votre structure.',
    });
  else if (!place || place.structureId !== structureId)
    issues.unshift({
      field: 'lieu',
      message: 'Lieu : ce lieu n’est pas un lieu de votre structure. Choisissez-le dans la liste.',
    });
  if (!checked.ok || issues.length > 0 || !place) return { ok: false, issues };
  const v = checked.value;
  const now = opts.now ?? new Date();
  const id = await insertMission(db, {
    structure_id: structureId,
    place_id: place.place.id,
    author_id: actor.kind === 'person' ? actor.personId : null,
    title: v.title,
    description: v.description,
    starts_on: v.startsOn,
    ends_on: v.endsOn,
    slots: v.slots,
    skills: v.skills,
    commitment: v.commitment,
    hours_per_week: v.hoursPerWeek,
    audience: v.audience,
    seats: v.seats,
    created_at: now,
    updated_at: now,
  });
  return { ok: true, id };
}

/** The coordinator validates a draft: it becomes open to volunteers. */
export async function validateMission(
  db: Db,
  actor: Actor,
  input: { id: string },
  opts: { now?: Date } = {},
): Promise<void> {
  const row = await missionFor(db, actor, 'validateMission', input.id);
  if (row.state !== 'draft')
    throw new DomainError('conflict', 'Cette mission est déjà validée.', { id: row.id, state: row.state });
  const now = opts.now ?? new Date();
  await updateMission(db, row.id, { state: 'validated', validated_at: now, updated_at: now });
}

/** Its structure (or the coordinator) closes a mission: no new proposal; the proposals stay as they are. */
export async function closeMission(
  db: Db,
  actor: Actor,
  input: { id: string },
  opts: { now?: Date } = {},
): Promise<void> {
  const row = await missionFor(db, actor, 'closeMission', input.id);
  if (row.state === 'closed') throw new DomainError('conflict', 'Cette mission est déjà terminée.', input);
  await updateMission(db, row.id, { state: 'closed', updated_at: opts.now ?? new Date() });
}

// --- seats: every change of a proposal's seat happens under the mission's row lock ---

/**
 * Accepts a proposal under the mission's lock: a free seat makes it accepted (the last seat makes the
 * mission full), otherwise it waits in line. The proposal is read again under the lock. Returns the
 * state given, or null when the proposal was no longer waiting for an answer.
 */
export async function acceptInLock(
  tx: Db,
  matchId: string,
  now: Date,
): Promise<'accepted' | 'waiting' | null> {
  const first = await findMatch(tx, matchId);
  if (!first) return null;
  const mission = await lockMission(tx, first.mission_id);
  const match = await findMatch(tx, matchId);
  if (!mission || !match || match.state !== 'proposed') return null;
  if (mission.state === 'closed' || mission.state === 'draft')
    throw new DomainError(
      'conflict',
      'Cette mission n’est plus ouverte : la proposition ne peut pas être acceptée.',
      {
        missionId: mission.id,
      },
    );
  const taken = await countAccepted(tx, mission.id);
  if (taken < mission.seats) {
    await updateMatch(tx, match.id, { state: 'accepted', answered_at: now, waiting_since: null });
    if (taken + 1 >= mission.seats) await updateMission(tx, mission.id, { state: 'full', updated_at: now });
    return 'accepted';
  }
  await updateMatch(tx, match.id, { state: 'waiting', answered_at: now, waiting_since: now });
  if (mission.state !== 'full') await updateMission(tx, mission.id, { state: 'full', updated_at: now });
  return 'waiting';
}

/**
 * Ends an accepted or waiting proposal under the mission's lock (the volunteer withdraws, or the
 * structure ends it). A freed seat goes to the first in line; with nobody in line a full mission opens
 * again. Returns the promoted proposal's id, if any.
 */
export async function releaseInLock(
  tx: Db,
  match: MatchRow,
  now: Date,
): Promise<{ promoted: string | null }> {
  const mission = await lockMission(tx, match.mission_id);
  const current = await findMatch(tx, match.id);
  if (!mission || !current || (current.state !== 'accepted' && current.state !== 'waiting'))
    throw new DomainError('conflict', 'Cette participation est déjà terminée.', { id: match.id });
  await updateMatch(tx, current.id, { state: 'withdrawn', answered_at: now, waiting_since: null });
  if (current.state !== 'accepted') return { promoted: null };
  const next = await firstWaiting(tx, mission.id);
  if (next) {
    await updateMatch(tx, next.id, { state: 'accepted', waiting_since: null, answered_at: now });
    return { promoted: next.id };
  }
  if (mission.state === 'full') await updateMission(tx, mission.id, { state: 'validated', updated_at: now });
  return { promoted: null };
}

/** Runs `work` in one transaction (the caller's database may already be one). */
export function inTransaction<T>(db: Db, work: (tx: Db) => Promise<T>): Promise<T> {
  return db.transaction().execute((trx) => work(trx as unknown as Db));
}
