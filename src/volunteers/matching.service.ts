import { personAddress, personName } from '../accounts/accounts.service.ts';
import { type Actor, authorize } from '../accounts/policy.ts';
import { getReferencePoints } from '../communes/communes.service.ts';
import { getCommune } from '../communes/communes.ts';
import type { Db } from '../db/database.ts';
import { DomainError } from '../shared/domain-error.ts';
import { isUuid } from '../shared/ids.ts';
import {
  acceptInLock,
  inTransaction,
  type Mission,
  missionFor,
  refuseUnknown,
  releaseInLock,
  toMissions,
} from './missions.service.ts';
import {
  findMatch,
  findMatchOf,
  findMission,
  findVolunteer,
  insertMatch,
  listMatches,
  listVolunteerRows,
  type MatchRow,
  updateMatch,
  type VolunteerRow,
} from './volunteers.repository.ts';
import { distanceKm, inCommon, MESSAGES, rankMatches, slotsInCommon } from './volunteers.ts';

/**
 * Matching (decision 0044): a mission's candidates ranked by distance band, skills and half-days in
 * common (volunteers.ts `rankMatches`), shown to its structure without a name; a proposal names the
 * volunteer to the structure. The structure proposes and the volunteer answers, or the volunteer asks
 * and the structure answers; accepting takes a seat or a place in line (missions.service.ts).
 */

/** A volunteer as the coordinator, and a structure with a proposal involving them, see them. */
export interface VolunteerCard {
  id: string;
  name: string;
  email: string;
  phone: string | null;
  skills: string[];
  availability: string[];
  communes: { code: string; name: string }[];
  state: VolunteerRow['state'];
  charterVersion: string;
  charterAcceptedAt: Date;
  createdAt: Date;
}

export async function toCard(db: Db, row: VolunteerRow): Promise<VolunteerCard> {
  return {
    id: row.person_id,
    name: (await personName(db, row.person_id)) ?? 'Bénévole',
    email: (await personAddress(db, row.person_id)) ?? '',
    phone: row.phone,
    skills: row.skills,
    availability: row.availability,
    communes: row.communes.map((code) => ({ code, name: getCommune(code)?.nom ?? code })),
    state: row.state,
    charterVersion: row.charter_version,
    charterAcceptedAt: row.charter_accepted_at,
    createdAt: row.created_at,
  };
}

/** The reference points of every commune of these volunteers. */
async function communePoints(db: Db, rows: readonly VolunteerRow[]) {
  const codes = [...new Set(rows.flatMap((r) => r.communes))];
  return new Map((await getReferencePoints(db, codes)).map((p) => [p.code, p]));
}

/** Kilometres from the closest of the volunteer's communes to the mission's place (null: unknown). */
function closest(
  communes: readonly string[],
  points: Map<string, { lat: number; lon: number }>,
  target: { lat: number; lon: number } | null,
): number | null {
  if (!target) return null;
  const distances = communes
    .map((c) => points.get(c))
    .filter((p): p is { lat: number; lon: number } => p !== undefined)
    .map((p) => distanceKm(p, target));
  return distances.length === 0 ? null : Math.min(...distances);
}

/** One candidate for a mission, without a name: a reference, and why it is ranked there. */
export interface Candidate {
  id: string;
  reference: string;
  distanceKm: number | null;
  skillsInCommon: number;
  slotsInCommon: number;
  commonSkills: string[];
}

/** A proposal between a mission and a volunteer. */
export interface Proposal {
  id: string;
  missionId: string;
  volunteerId: string;
  origin: MatchRow['origin'];
  state: MatchRow['state'];
  createdAt: Date;
  answeredAt: Date | null;
}

export const toProposal = (m: MatchRow): Proposal => ({
  id: m.id,
  missionId: m.mission_id,
  volunteerId: m.volunteer_id,
  origin: m.origin,
  state: m.state,
  createdAt: m.created_at,
  answeredAt: m.answered_at,
});

/** A short reference for an unnamed candidate ("B-1A2B"): the start of their id. */
export const referenceOf = (id: string) => `B-${id.replace(/-/g, '').slice(0, 6).toUpperCase()}`;

/** Validated volunteers ranked for a mission (all of them, ranked; the page shows the first ones). */
export function rankVolunteers(
  mission: Pick<Mission, 'point' | 'skills' | 'slots'>,
  volunteers: readonly VolunteerRow[],
  points: Map<string, { lat: number; lon: number }>,
): Candidate[] {
  return rankMatches(
    volunteers.map((v) => ({
      id: v.person_id,
      reference: referenceOf(v.person_id),
      distanceKm: closest(v.communes, points, mission.point),
      skillsInCommon: inCommon(v.skills, mission.skills),
      slotsInCommon: slotsInCommon(v.availability, mission.slots),
      commonSkills: mission.skills.filter((s) => v.skills.includes(s)),
    })),
  );
}

/** Missions ranked for one volunteer, with the same figures. */
export async function rankMissionsFor(
  db: Db,
  volunteer: VolunteerRow,
  missions: readonly Mission[],
): Promise<(Mission & { distanceKm: number | null; skillsInCommon: number; slotsInCommon: number })[]> {
  const points = await communePoints(db, [volunteer]);
  return rankMatches(
    missions.map((m) => ({
      ...m,
      distanceKm: closest(volunteer.communes, points, m.point),
      skillsInCommon: inCommon(volunteer.skills, m.skills),
      slotsInCommon: slotsInCommon(volunteer.availability, m.slots),
    })),
  );
}

/**
 * A mission's matching page for its structure (and the coordinators): the validated volunteers without
 * a proposal for it, ranked and unnamed, and its proposals with the volunteer's name, contact and
 * availability (a proposal involves them).
 */
export async function matchVolunteers(
  db: Db,
  actor: Actor,
  input: { missionId: string },
): Promise<{
  mission: Mission;
  candidates: Candidate[];
  proposals: (Proposal & { volunteer: VolunteerCard })[];
}> {
  const row = await missionFor(db, actor, 'matchVolunteers', input.missionId);
  const [mission] = (await toMissions(db, [row])) as [Mission];
  const matches = await listMatches(db, { missionIds: [row.id] });
  const involved = new Set(matches.map((m) => m.volunteer_id));
  const volunteers = (await listVolunteerRows(db, { state: 'validated' })).filter(
    (v) => !involved.has(v.person_id),
  );
  const candidates = rankVolunteers(mission, volunteers, await communePoints(db, volunteers));
  const proposals = [];
  for (const m of matches) {
    const v = await findVolunteer(db, m.volunteer_id);
    if (v) proposals.push({ ...toProposal(m), volunteer: await toCard(db, v) });
  }
  return { mission, candidates, proposals };
}

/** The mission's state allows a new proposal: validated or full (full: accepted ones wait in line). */
function assertOpen(mission: { state: string; id: string }) {
  if (mission.state !== 'validated' && mission.state !== 'full')
    throw new DomainError(
      'conflict',
      mission.state === 'draft'
        ? 'Cette mission attend la validation de la coordination : elle ne peut pas encore être proposée.'
        : 'Cette mission est terminée : elle ne peut plus être proposée.',
      { missionId: mission.id, state: mission.state },
    );
}

async function validatedVolunteer(db: Db, id: string): Promise<VolunteerRow> {
  const key = id.trim().toLowerCase();
  const row = isUuid(key) ? await findVolunteer(db, key) : undefined;
  if (row?.state !== 'validated')
    throw new DomainError('not_found', 'Bénévole : ce bénévole n’existe pas ou n’est pas encore validé.', {
      field: 'benevole',
      id,
    });
  return row;
}

/** Unique (mission, volunteer): a second proposal names the first. */
async function assertNoMatch(db: Db, missionId: string, volunteerId: string) {
  const existing = await findMatchOf(db, missionId, volunteerId);
  if (existing)
    throw new DomainError('conflict', 'Une proposition existe déjà entre ce bénévole et cette mission.', {
      matchId: existing.id,
      state: existing.state,
    });
}

/** A structure proposes its mission to a validated volunteer; the volunteer answers. */
export async function proposeMission(
  db: Db,
  actor: Actor,
  input: { missionId: string; volunteerId: string },
  opts: { now?: Date } = {},
): Promise<string> {
  const mission = await missionFor(db, actor, 'proposeMission', input.missionId);
  assertOpen(mission);
  const volunteer = await validatedVolunteer(db, input.volunteerId);
  await assertNoMatch(db, mission.id, volunteer.person_id);
  return insertMatch(db, {
    mission_id: mission.id,
    volunteer_id: volunteer.person_id,
    origin: 'structure',
    created_at: opts.now ?? new Date(),
  });
}

export const ANSWERS = ['accepter', 'refuser'] as const;
export type Answer = (typeof ANSWERS)[number];

function parseAnswer(answer: string): Answer {
  if (answer === 'accepter' || answer === 'refuser') return answer;
  throw new DomainError('invalid_input', 'Réponse : choisissez « Accepter » ou « Refuser ».', {
    field: 'reponse',
    value: answer.slice(0, 40),
  });
}

/** A proposal by its id (malformed or unknown: `not_found`), with its mission's structure. */
export async function matchWithStructure(
  db: Db,
  id: string,
): Promise<{ match: MatchRow; structureId: string } | null> {
  const key = id.trim().toLowerCase();
  const match = isUuid(key) ? await findMatch(db, key) : undefined;
  const mission = match ? await findMission(db, match.mission_id) : undefined;
  return match && mission ? { match, structureId: mission.structure_id } : null;
}

/**
 * Accepts or declines, under the mission's lock: what the other side asked (`origin`) must be answered
 * by this side, once. Accepting takes a seat or a place in line.
 */
export async function answerMatch(
  db: Db,
  match: MatchRow,
  answer: string,
  now: Date,
): Promise<'accepted' | 'waiting' | 'declined'> {
  const choice = parseAnswer(answer);
  const result = await inTransaction(db, async (tx) => {
    if (choice === 'accepter') return acceptInLock(tx, match.id, now);
    const current = await findMatch(tx, match.id);
    if (current?.state !== 'proposed') return null;
    await updateMatch(tx, match.id, { state: 'declined', answered_at: now });
    return 'declined' as const;
  });
  if (!result)
    throw new DomainError('conflict', 'Cette proposition a déjà reçu une réponse.', { id: match.id });
  return result;
}

/** The structure answers a volunteer's request to join its mission. */
export async function answerApplication(
  db: Db,
  actor: Actor,
  input: { matchId: string; answer: string },
  opts: { now?: Date } = {},
): Promise<'accepted' | 'waiting' | 'declined'> {
  const found = await matchWithStructure(db, input.matchId);
  if (found?.match.origin !== 'volunteer')
    refuseUnknown(actor, 'answerApplication', MESSAGES.notFoundMatch, { id: input.matchId });
  authorize(actor, 'answerApplication', { structureId: found.structureId });
  return answerMatch(db, found.match, input.answer, opts.now ?? new Date());
}

/** The structure ends a volunteer's participation (accepted or waiting); the first in line is promoted. */
export async function endParticipation(
  db: Db,
  actor: Actor,
  input: { matchId: string },
  opts: { now?: Date } = {},
): Promise<{ promoted: string | null }> {
  const found = await matchWithStructure(db, input.matchId);
  if (!found) refuseUnknown(actor, 'endParticipation', MESSAGES.notFoundMatch, { id: input.matchId });
  authorize(actor, 'endParticipation', { structureId: found.structureId });
  return inTransaction(db, (tx) => releaseInLock(tx, found.match, opts.now ?? new Date()));
}
