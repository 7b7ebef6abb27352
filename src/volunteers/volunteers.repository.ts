import type { Insertable, Selectable, Updateable } from 'kysely';
import type { Db } from '../db/database.ts';
import type {
  MatchState,
  MissionMatchTable,
  MissionState,
  MissionTable,
  VolunteerTable,
} from '../db/volunteer-rows.ts';

/** The volunteers' tables (migration 0030): missions, volunteers' profiles, proposals. SQL only here. */
export type MissionRow = Selectable<MissionTable>;
export type VolunteerRow = Selectable<VolunteerTable>;
export type MatchRow = Selectable<MissionMatchTable>;

// --- missions ---

export async function insertMission(db: Db, row: Insertable<MissionTable>): Promise<string> {
  const { id } = await db.insertInto('mission').values(row).returning('id').executeTakeFirstOrThrow();
  return id;
}

export async function findMission(db: Db, id: string): Promise<MissionRow | undefined> {
  return db.selectFrom('mission').selectAll().where('id', '=', id).executeTakeFirst();
}

/** The mission's row locked until the transaction ends: seats are counted and given under this lock. */
export async function lockMission(db: Db, id: string): Promise<MissionRow | undefined> {
  return db.selectFrom('mission').selectAll().where('id', '=', id).forUpdate().executeTakeFirst();
}

export async function updateMission(db: Db, id: string, patch: Updateable<MissionTable>): Promise<void> {
  await db.updateTable('mission').set(patch).where('id', '=', id).execute();
}

export async function listMissionsIn(
  db: Db,
  filter: { states: readonly MissionState[]; structureIds?: readonly string[] },
): Promise<MissionRow[]> {
  if (filter.states.length === 0 || filter.structureIds?.length === 0) return [];
  let query = db.selectFrom('mission').selectAll().where('state', 'in', filter.states);
  if (filter.structureIds) query = query.where('structure_id', 'in', filter.structureIds);
  return query.orderBy('starts_on').orderBy('created_at').orderBy('id').limit(500).execute();
}

export async function deleteDemoMissions(db: Db): Promise<number> {
  const result = await db.deleteFrom('mission').where('is_demo', '=', true).executeTakeFirst();
  return Number(result.numDeletedRows);
}

// --- volunteers ---

export async function insertVolunteer(db: Db, row: Insertable<VolunteerTable>): Promise<void> {
  await db.insertInto('volunteer').values(row).execute();
}

export async function findVolunteer(db: Db, personId: string): Promise<VolunteerRow | undefined> {
  return db.selectFrom('volunteer').selectAll().where('person_id', '=', personId).executeTakeFirst();
}

export async function listVolunteerRows(
  db: Db,
  filter: { state?: 'pending' | 'validated'; ids?: readonly string[] } = {},
): Promise<VolunteerRow[]> {
  if (filter.ids?.length === 0) return [];
  let query = db.selectFrom('volunteer').selectAll();
  if (filter.state) query = query.where('state', '=', filter.state);
  if (filter.ids) query = query.where('person_id', 'in', filter.ids);
  return query.orderBy('created_at').orderBy('person_id').limit(1000).execute();
}

export async function markVolunteerValidated(db: Db, personId: string, at: Date): Promise<number> {
  const result = await db
    .updateTable('volunteer')
    .set({ state: 'validated', validated_at: at })
    .where('person_id', '=', personId)
    .where('state', '=', 'pending')
    .executeTakeFirst();
  return Number(result.numUpdatedRows);
}

export async function deleteDemoVolunteers(db: Db): Promise<number> {
  const result = await db.deleteFrom('volunteer').where('is_demo', '=', true).executeTakeFirst();
  return Number(result.numDeletedRows);
}

// --- proposals ---

export async function insertMatch(db: Db, row: Insertable<MissionMatchTable>): Promise<string> {
  const { id } = await db.insertInto('mission_match').values(row).returning('id').executeTakeFirstOrThrow();
  return id;
}

export async function findMatch(db: Db, id: string): Promise<MatchRow | undefined> {
  return db.selectFrom('mission_match').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function findMatchOf(
  db: Db,
  missionId: string,
  volunteerId: string,
): Promise<MatchRow | undefined> {
  return db
    .selectFrom('mission_match')
    .selectAll()
    .where('mission_id', '=', missionId)
    .where('volunteer_id', '=', volunteerId)
    .executeTakeFirst();
}

export async function updateMatch(db: Db, id: string, patch: Updateable<MissionMatchTable>): Promise<void> {
  await db.updateTable('mission_match').set(patch).where('id', '=', id).execute();
}

export async function listMatches(
  db: Db,
  filter: {
    missionIds?: readonly string[];
    volunteerId?: string;
    states?: readonly MatchState[];
    origin?: 'structure' | 'volunteer';
  },
): Promise<MatchRow[]> {
  if (filter.missionIds?.length === 0 || filter.states?.length === 0) return [];
  let query = db.selectFrom('mission_match').selectAll();
  if (filter.missionIds) query = query.where('mission_id', 'in', filter.missionIds);
  if (filter.volunteerId) query = query.where('volunteer_id', '=', filter.volunteerId);
  if (filter.states) query = query.where('state', 'in', filter.states);
  if (filter.origin) query = query.where('origin', '=', filter.origin);
  return query.orderBy('created_at').orderBy('id').limit(1000).execute();
}

export async function countAccepted(db: Db, missionId: string): Promise<number> {
  const row = await db
    .selectFrom('mission_match')
    .select((eb) => eb.fn.countAll<string>().as('n'))
    .where('mission_id', '=', missionId)
    .where('state', '=', 'accepted')
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

/** The first of the waiting list: the longest waiting, then the smallest id. */
export async function firstWaiting(db: Db, missionId: string): Promise<MatchRow | undefined> {
  return db
    .selectFrom('mission_match')
    .selectAll()
    .where('mission_id', '=', missionId)
    .where('state', '=', 'waiting')
    .orderBy('waiting_since')
    .orderBy('id')
    .limit(1)
    .executeTakeFirst();
}
