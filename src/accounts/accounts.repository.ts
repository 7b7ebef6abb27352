import {
  type ExpressionBuilder,
  type Insertable,
  type Kysely,
  type Selectable,
  sql,
  type Updateable,
} from 'kysely';
import type {
  Database,
  MembershipTable,
  OneTimeTokenTable,
  PersonTable,
  SessionTable,
} from '../db/database.ts';

type Executor = Kysely<Database>;
export type PersonRow = Selectable<PersonTable>;
export type SessionRow = Selectable<SessionTable>;
export type TokenRow = Selectable<OneTimeTokenTable>;
export type MembershipRow = Selectable<MembershipTable>;

// Persons

export async function findPersonByEmail(db: Executor, email: string): Promise<PersonRow | undefined> {
  return db.selectFrom('person').selectAll().where('email', '=', email).executeTakeFirst();
}

export async function findPersonById(db: Executor, id: string): Promise<PersonRow | undefined> {
  return db.selectFrom('person').selectAll().where('id', '=', id).executeTakeFirst();
}

/** The person's row, locked until the end of the caller's transaction (FOR UPDATE). */
export async function lockPerson(db: Executor, id: string): Promise<PersonRow | undefined> {
  return db.selectFrom('person').selectAll().where('id', '=', id).forUpdate().executeTakeFirst();
}

export async function insertPerson(db: Executor, person: Insertable<PersonTable>): Promise<PersonRow> {
  return db.insertInto('person').values(person).returningAll().executeTakeFirstOrThrow();
}

export async function updatePerson(
  db: Executor,
  id: string,
  changes: Updateable<PersonTable>,
): Promise<void> {
  await db.updateTable('person').set(changes).where('id', '=', id).execute();
}

export async function deletePerson(db: Executor, id: string): Promise<void> {
  await db.deleteFrom('person').where('id', '=', id).execute();
}

export async function countDemoPersons(db: Executor): Promise<number> {
  const row = await db
    .selectFrom('person')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('is_demo', '=', true)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

export async function deleteDemoPersons(db: Executor): Promise<number> {
  const rows = await db.deleteFrom('person').where('is_demo', '=', true).returning('id').execute();
  return rows.length;
}

/** The coordinators' ids, their rows locked until the end of the caller's transaction. */
export async function lockCoordinators(db: Executor): Promise<string[]> {
  const rows = await db
    .selectFrom('person')
    .select('id')
    .where('network_role', '=', 'coordinator')
    .forUpdate()
    .execute();
  return rows.map((r) => r.id);
}

/**
 * The structures of which the person is the only administrator (their administrators' memberships
 * locked until the end of the caller's transaction, so two administrators cannot both leave).
 */
export async function soleAdministratorships(db: Executor, personId: string): Promise<string[]> {
  const admins = await db
    .selectFrom('membership')
    .select(['structure_id', 'person_id'])
    .where('role', '=', 'structure_admin')
    .where('structure_id', 'in', (eb) =>
      eb.selectFrom('membership').select('structure_id').where('person_id', '=', personId),
    )
    .forUpdate()
    .execute();
  const mine = admins.filter((a) => a.person_id === personId).map((a) => a.structure_id);
  return mine.filter((id) => !admins.some((a) => a.structure_id === id && a.person_id !== personId));
}

/** Display names of the persons among `ids` that still exist. */
export async function personNames(db: Executor, ids: readonly string[]): Promise<Map<string, string>> {
  if (ids.length === 0) return new Map();
  const rows = await db
    .selectFrom('person')
    .select(['id', 'display_name'])
    .where('id', 'in', [...ids])
    .execute();
  return new Map(rows.map((r) => [r.id, r.display_name]));
}

export async function listPersons(db: Executor): Promise<PersonRow[]> {
  return db.selectFrom('person').selectAll().orderBy('email').execute();
}

/** Accepts a TOTP time step once: false when this step (or a later one) was already used. */
export async function acceptTotpStep(db: Executor, personId: string, step: number): Promise<boolean> {
  const row = await db
    .updateTable('person')
    .set({ totp_last_step: step })
    .where('id', '=', personId)
    .where((eb) => eb.or([eb('totp_last_step', 'is', null), eb('totp_last_step', '<', step)]))
    .returning('id')
    .executeTakeFirst();
  return row !== undefined;
}

/** Removes one recovery code if present (atomic: two concurrent uses cannot both succeed). */
export async function consumeRecoveryCode(
  db: Executor,
  personId: string,
  codeHash: string,
): Promise<boolean> {
  const row = await db
    .updateTable('person')
    .set({ recovery_code_hashes: sql`array_remove(recovery_code_hashes, ${codeHash})` })
    .where('id', '=', personId)
    .where(sql<boolean>`${codeHash} = any(recovery_code_hashes)`)
    .returning('id')
    .executeTakeFirst();
  return row !== undefined;
}

// Memberships and structures

export async function listMembershipsOf(db: Executor, personId: string): Promise<MembershipRow[]> {
  return db.selectFrom('membership').selectAll().where('person_id', '=', personId).execute();
}

export async function upsertMembership(db: Executor, membership: Insertable<MembershipTable>): Promise<void> {
  await db
    .insertInto('membership')
    .values(membership)
    .onConflict((oc) => oc.columns(['person_id', 'structure_id']).doUpdateSet({ role: membership.role }))
    .execute();
}

// Funder organisations (decision 0024): the actor carries the funders a person belongs to, and an
// accepted invitation writes the attachment it grants, as for structures.

export async function listFunderIdsOf(db: Executor, personId: string): Promise<string[]> {
  const rows = await db
    .selectFrom('funder_member')
    .select('funder_id')
    .where('person_id', '=', personId)
    .orderBy('funder_id')
    .execute();
  return rows.map((r) => r.funder_id);
}

export async function addFunderMember(db: Executor, funderId: string, personId: string): Promise<void> {
  await db
    .insertInto('funder_member')
    .values({ funder_id: funderId, person_id: personId })
    .onConflict((oc) => oc.columns(['funder_id', 'person_id']).doNothing())
    .execute();
}

export async function findFunderName(db: Executor, id: string): Promise<string | undefined> {
  return (await db.selectFrom('funder').select('name').where('id', '=', id).executeTakeFirst())?.name;
}

export async function findStructure(
  db: Executor,
  id: string,
): Promise<{ id: string; nom: string } | undefined> {
  return db.selectFrom('structure').select(['id', 'nom']).where('id', '=', id).executeTakeFirst();
}

export async function firstStructures(db: Executor, limit: number): Promise<{ id: string; nom: string }[]> {
  return db.selectFrom('structure').select(['id', 'nom']).orderBy('nom').limit(limit).execute();
}

export async function listStructureMembers(
  db: Executor,
  structureId: string,
): Promise<{ id: string; email: string; display_name: string; role: MembershipRow['role'] }[]> {
  return db
    .selectFrom('membership')
    .innerJoin('person', 'person.id', 'membership.person_id')
    .select(['person.id', 'person.email', 'person.display_name', 'membership.role'])
    .where('membership.structure_id', '=', structureId)
    .orderBy('person.email')
    .execute();
}

export async function structureNames(db: Executor, ids: string[]): Promise<Map<string, string>> {
  if (ids.length === 0) return new Map();
  const rows = await db.selectFrom('structure').select(['id', 'nom']).where('id', 'in', ids).execute();
  return new Map(rows.map((r) => [r.id, r.nom]));
}

// Sessions

export async function insertSession(db: Executor, session: Insertable<SessionTable>): Promise<void> {
  await db.insertInto('session').values(session).execute();
}

export async function findSession(db: Executor, id: string): Promise<SessionRow | undefined> {
  return db.selectFrom('session').selectAll().where('id', '=', id).executeTakeFirst();
}

export interface SessionWithPerson {
  session: Pick<SessionRow, 'stage' | 'expires_at' | 'last_seen_at' | 'person_id'>;
  person: PersonRow;
  memberships: { structure_id: string; role: MembershipRow['role']; structure_name: string }[];
  funderIds: string[];
}

/**
 * A session with its person, the person's memberships (with their structures' names) and funders, in
 * one query: every signed-in request resolves its session, so this is the hottest query of the app.
 */
export async function findSessionWithPerson(
  db: Executor,
  id: string,
): Promise<SessionWithPerson | undefined> {
  const row = await db
    .selectFrom('session')
    .innerJoin('person', 'person.id', 'session.person_id')
    .selectAll('person')
    .select([
      'session.stage as session_stage',
      'session.expires_at as session_expires_at',
      'session.last_seen_at as session_last_seen_at',
      sql<{ structure_id: string; role: MembershipRow['role']; structure_name: string }[]>`coalesce((
        select json_agg(json_build_object('structure_id', m.structure_id, 'role', m.role, 'structure_name', s.nom)
          order by m.created_at, m.structure_id)
        from membership m join structure s on s.id = m.structure_id where m.person_id = person.id), '[]'::json)`.as(
        'memberships',
      ),
      sql<string[]>`coalesce((select array_agg(f.funder_id::text order by f.funder_id)
        from funder_member f where f.person_id = person.id), '{}'::text[])`.as('funder_ids'),
    ])
    .where('session.id', '=', id)
    .executeTakeFirst();
  if (!row) return undefined;
  const { session_stage, session_expires_at, session_last_seen_at, memberships, funder_ids, ...person } = row;
  return {
    session: {
      stage: session_stage,
      expires_at: session_expires_at,
      last_seen_at: session_last_seen_at,
      person_id: person.id,
    },
    person,
    memberships: typeof memberships === 'string' ? JSON.parse(memberships) : memberships,
    funderIds: funder_ids,
  };
}

export async function touchSession(db: Executor, id: string, at: Date): Promise<void> {
  await db.updateTable('session').set({ last_seen_at: at }).where('id', '=', id).execute();
}

export async function setSessionStage(db: Executor, id: string, stage: SessionRow['stage']): Promise<void> {
  await db.updateTable('session').set({ stage }).where('id', '=', id).execute();
}

export async function deleteSession(db: Executor, id: string): Promise<void> {
  await db.deleteFrom('session').where('id', '=', id).execute();
}

export async function deleteSessionsOf(db: Executor, personId: string): Promise<number> {
  const rows = await db.deleteFrom('session').where('person_id', '=', personId).returning('id').execute();
  return rows.length;
}

export async function deleteStaleSessions(db: Executor, now: Date, idleBefore: Date): Promise<number> {
  const rows = await db
    .deleteFrom('session')
    .where((eb) => eb.or([eb('expires_at', '<=', now), eb('last_seen_at', '<', idleBefore)]))
    .returning('id')
    .execute();
  return rows.length;
}

// One-time tokens

export async function insertToken(db: Executor, token: Insertable<OneTimeTokenTable>): Promise<void> {
  await db.insertInto('one_time_token').values(token).execute();
}

/** The token of that hash and purpose, if still usable: never used, not expired. */
function usableToken(hash: string, purpose: TokenRow['purpose'], now: Date) {
  return (eb: ExpressionBuilder<Database, 'one_time_token'>) =>
    eb.and([
      eb('token_hash', '=', hash),
      eb('purpose', '=', purpose),
      eb('used_at', 'is', null),
      eb('expires_at', '>', now),
    ]);
}

export async function findUsableToken(
  db: Executor,
  hash: string,
  purpose: TokenRow['purpose'],
  now: Date,
): Promise<TokenRow | undefined> {
  return db
    .selectFrom('one_time_token')
    .selectAll()
    .where(usableToken(hash, purpose, now))
    .executeTakeFirst();
}

/** Marks the token used if it is still usable, atomically: a link works once, even under a race. */
export async function consumeToken(
  db: Executor,
  hash: string,
  purpose: TokenRow['purpose'],
  now: Date,
): Promise<TokenRow | undefined> {
  return db
    .updateTable('one_time_token')
    .set({ used_at: now })
    .where(usableToken(hash, purpose, now))
    .returningAll()
    .executeTakeFirst();
}

/** Older unused links of the same purpose stop working when a new one is sent. */
export async function revokeTokensOf(
  db: Executor,
  personId: string,
  purpose: TokenRow['purpose'],
  now: Date,
): Promise<void> {
  await db
    .updateTable('one_time_token')
    .set({ used_at: now })
    .where('person_id', '=', personId)
    .where('purpose', '=', purpose)
    .where('used_at', 'is', null)
    .execute();
}

export async function deleteOldTokens(db: Executor, before: Date): Promise<number> {
  const rows = await db
    .deleteFrom('one_time_token')
    .where('expires_at', '<', before)
    .returning('id')
    .execute();
  return rows.length;
}

// Installation secrets

/** Returns the named secret, storing the candidate first if none exists (the first server wins). */
export async function readOrCreateSecret(db: Executor, name: string, candidate: string): Promise<string> {
  await db
    .insertInto('app_secret')
    .values({ name, value: candidate })
    .onConflict((oc) => oc.column('name').doNothing())
    .execute();
  const row = await db
    .selectFrom('app_secret')
    .select('value')
    .where('name', '=', name)
    .executeTakeFirstOrThrow();
  return row.value;
}
