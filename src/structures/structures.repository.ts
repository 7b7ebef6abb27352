import { type Kysely, type Selectable, sql } from 'kysely';
import type { Database, JoinRequestTable, MembershipTable } from '../db/database.ts';
import { foldedSql, likeEscaped } from '../db/fold.ts';

/**
 * All SQL of structures: the `structure`, `membership` and `join_request` tables. It also reads (never
 * writes) a few columns of `person` (names and addresses of members) and `place` (a structure's places):
 * accounts and places own those tables and write them through their services.
 */
type Executor = Kysely<Database>;
type Role = MembershipTable['role'];

/** Of the records merged as one place (same place from two sources), only the freshest is shown (migration 0010). */
const SHOWN = sql<boolean>`not exists (select 1 from place_merge_hidden h where h.id = place.id)`;
/** Whether the person has chosen a password: someone who only asked to join has not, until invited. */
const HAS_PASSWORD = sql<boolean>`person.password_hash is not null`.as('has_password');

export interface StructureRow {
  id: string;
  pivot: string;
  nom: string;
  typologie: string[];
  created_at: Date;
  contact_email: string | null;
  contact_phone: string | null;
}

export interface StructureSummaryRow extends StructureRow {
  members: number;
  admins: number;
  places: number;
  pending_requests: number;
}

const summaryColumns = [
  'structure.id',
  'structure.pivot',
  'structure.nom',
  'structure.typologie',
  'structure.created_at',
  'structure.contact_email',
  'structure.contact_phone',
] as const;

function withCounts(db: Executor) {
  return db
    .selectFrom('structure')
    .select(summaryColumns)
    .select((eb) => [
      eb
        .selectFrom('membership')
        .whereRef('membership.structure_id', '=', 'structure.id')
        .select((e) => e.fn.countAll<string>().as('n'))
        .as('members'),
      eb
        .selectFrom('membership')
        .whereRef('membership.structure_id', '=', 'structure.id')
        .where('membership.role', '=', 'structure_admin')
        .select((e) => e.fn.countAll<string>().as('n'))
        .as('admins'),
      eb
        .selectFrom('place')
        .whereRef('place.structure_id', '=', 'structure.id')
        .where(SHOWN)
        .select((e) => e.fn.countAll<string>().as('n'))
        .as('places'),
      eb
        .selectFrom('join_request')
        .whereRef('join_request.structure_id', '=', 'structure.id')
        .where('join_request.status', '=', 'pending')
        .select((e) => e.fn.countAll<string>().as('n'))
        .as('pending_requests'),
    ]);
}

function toSummary(row: {
  id: string;
  pivot: string;
  nom: string;
  typologie: string[];
  created_at: Date;
  contact_email: string | null;
  contact_phone: string | null;
  members: string | number | null;
  admins: string | number | null;
  places: string | number | null;
  pending_requests: string | number | null;
}): StructureSummaryRow {
  return {
    ...row,
    members: Number(row.members ?? 0),
    admins: Number(row.admins ?? 0),
    places: Number(row.places ?? 0),
    pending_requests: Number(row.pending_requests ?? 0),
  };
}

export async function listStructureSummaries(db: Executor, ids?: string[]): Promise<StructureSummaryRow[]> {
  if (ids && ids.length === 0) return [];
  let query = withCounts(db).orderBy(sql`lower(structure.nom)`).orderBy('structure.pivot');
  if (ids) query = query.where('structure.id', 'in', ids);
  return (await query.execute()).map(toSummary);
}

export async function findStructureSummary(
  db: Executor,
  id: string,
): Promise<StructureSummaryRow | undefined> {
  const row = await withCounts(db).where('structure.id', '=', id).executeTakeFirst();
  return row ? toSummary(row) : undefined;
}

export async function findStructureByPivot(db: Executor, pivot: string): Promise<StructureRow | undefined> {
  return db
    .selectFrom('structure')
    .select(['id', 'pivot', 'nom', 'typologie', 'created_at', 'contact_email', 'contact_phone'])
    .where('pivot', '=', pivot)
    .executeTakeFirst();
}

/** Inserts a structure; undefined when the pivot is already taken (unique index). */
export async function insertStructure(
  db: Executor,
  values: { pivot: string; nom: string; typologie: string[] },
): Promise<string | undefined> {
  const row = await db
    .insertInto('structure')
    .values(values)
    .onConflict((oc) => oc.column('pivot').doNothing())
    .returning('id')
    .executeTakeFirst();
  return row?.id;
}

/** Locks the structure's row until the transaction ends: membership changes of one structure queue up. */
export async function lockStructure(db: Executor, id: string): Promise<boolean> {
  const row = await db
    .selectFrom('structure')
    .select('id')
    .where('id', '=', id)
    .forUpdate()
    .executeTakeFirst();
  return row !== undefined;
}

/**
 * Structures whose folded name (see foldForSearch in shared/text.ts) contains every word given, or whose
 * pivot starts with the characters given.
 */
export async function searchStructures(
  db: Executor,
  words: string[],
  pivotPrefix: string | null,
  limit: number,
): Promise<StructureRow[]> {
  const folded = foldedSql(sql.ref('nom'));
  return db
    .selectFrom('structure')
    .select(['id', 'pivot', 'nom', 'typologie', 'created_at', 'contact_email', 'contact_phone'])
    .where((eb) =>
      eb.or([
        ...(words.length > 0 ? [eb.and(words.map((w) => eb(folded, 'like', `%${likeEscaped(w)}%`)))] : []),
        ...(pivotPrefix ? [eb('pivot', 'like', `${pivotPrefix}%`)] : []),
      ]),
    )
    .orderBy(sql`lower(nom)`)
    .limit(limit)
    .execute();
}

// Members

export interface MemberRow {
  person_id: string;
  email: string;
  display_name: string;
  role: Role;
  has_password: boolean;
  created_at: Date;
}

/** Memberships with their person's name and address, and whether that person has chosen a password. */
function members(db: Executor) {
  return db
    .selectFrom('membership')
    .innerJoin('person', 'person.id', 'membership.person_id')
    .select([
      'membership.person_id',
      'person.email',
      'person.display_name',
      'membership.role',
      'membership.created_at',
    ])
    .select(HAS_PASSWORD);
}

export async function listMembers(db: Executor, structureId: string): Promise<MemberRow[]> {
  return members(db)
    .where('membership.structure_id', '=', structureId)
    .orderBy(sql`lower(person.display_name)`)
    .orderBy('person.email')
    .execute();
}

export async function findMember(
  db: Executor,
  structureId: string,
  personId: string,
): Promise<MemberRow | undefined> {
  return members(db)
    .where('membership.structure_id', '=', structureId)
    .where('membership.person_id', '=', personId)
    .executeTakeFirst();
}

export async function countAdmins(db: Executor, structureId: string): Promise<number> {
  const row = await db
    .selectFrom('membership')
    .select((eb) => eb.fn.countAll<string>().as('n'))
    .where('structure_id', '=', structureId)
    .where('role', '=', 'structure_admin')
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

export async function setMemberRole(
  db: Executor,
  structureId: string,
  personId: string,
  role: Role,
): Promise<void> {
  await db
    .updateTable('membership')
    .set({ role })
    .where('structure_id', '=', structureId)
    .where('person_id', '=', personId)
    .execute();
}

export async function deleteMember(db: Executor, structureId: string, personId: string): Promise<void> {
  await db
    .deleteFrom('membership')
    .where('structure_id', '=', structureId)
    .where('person_id', '=', personId)
    .execute();
}

/** Adds a membership; an existing one keeps its role. Returns whether a row was added. */
export async function addMemberIfAbsent(
  db: Executor,
  values: { person_id: string; structure_id: string; role: Role },
): Promise<boolean> {
  const row = await db
    .insertInto('membership')
    .values(values)
    .onConflict((oc) => oc.columns(['person_id', 'structure_id']).doNothing())
    .returning('person_id')
    .executeTakeFirst();
  return row !== undefined;
}

export async function isMember(db: Executor, structureId: string, personId: string): Promise<boolean> {
  const row = await db
    .selectFrom('membership')
    .select('person_id')
    .where('structure_id', '=', structureId)
    .where('person_id', '=', personId)
    .executeTakeFirst();
  return row !== undefined;
}

/** Addresses to tell about a new join request: the structure's administrators. */
export async function adminAddresses(db: Executor, structureId: string): Promise<string[]> {
  const rows = await db
    .selectFrom('membership')
    .innerJoin('person', 'person.id', 'membership.person_id')
    .select('person.email')
    .where('membership.structure_id', '=', structureId)
    .where('membership.role', '=', 'structure_admin')
    .orderBy('person.email')
    .execute();
  return rows.map((r) => r.email);
}

/** Addresses of every member of a structure, whatever the role (told when an orientation arrives). */
export async function memberAddresses(db: Executor, structureId: string): Promise<string[]> {
  const rows = await db
    .selectFrom('membership')
    .innerJoin('person', 'person.id', 'membership.person_id')
    .select('person.email')
    .where('membership.structure_id', '=', structureId)
    .orderBy('person.email')
    .execute();
  return rows.map((r) => r.email);
}

/** Who a network message may reach: which structures, and which of their members. */
export interface AudienceFilter {
  /** Only these structures (ids checked by the caller); null: every structure. */
  structureIds: string[] | null;
  /** Only structures of this kind (a typology code); null: any kind. */
  kind: string | null;
  /** Only structures with a shown place in this commune (INSEE code); null: anywhere. */
  communeCode: string | null;
  adminsOnly: boolean;
}

export interface AudienceRow {
  person_id: string;
  email: string;
  display_name: string;
  has_password: boolean;
  structure_id: string;
  structure_name: string;
  role: Role;
}

/**
 * Every membership matching the filter with its person and structure, one row per membership (a person
 * of several structures comes several times), ordered by structure name then person.
 */
export async function listAudienceMemberships(db: Executor, f: AudienceFilter): Promise<AudienceRow[]> {
  let query = db
    .selectFrom('membership')
    .innerJoin('person', 'person.id', 'membership.person_id')
    .innerJoin('structure', 'structure.id', 'membership.structure_id')
    .select([
      'membership.person_id',
      'person.email',
      'person.display_name',
      'membership.structure_id',
      'structure.nom as structure_name',
      'membership.role',
    ])
    .select(HAS_PASSWORD);
  if (f.structureIds) {
    if (f.structureIds.length === 0) return [];
    query = query.where('membership.structure_id', '=', sql<string>`any(${f.structureIds}::uuid[])`);
  }
  if (f.kind) query = query.where(sql<boolean>`${f.kind} = any(structure.typologie)`);
  if (f.communeCode)
    query = query.where(
      sql<boolean>`exists (select 1 from place where place.structure_id = structure.id and place.code_insee = ${f.communeCode} and ${SHOWN})`,
    );
  if (f.adminsOnly) query = query.where('membership.role', '=', 'structure_admin');
  return query.orderBy(sql`lower(structure.nom)`).orderBy('structure.id').orderBy('person.email').execute();
}

export async function countMembers(db: Executor, structureId: string): Promise<number> {
  const row = await db
    .selectFrom('membership')
    .select((eb) => eb.fn.countAll<string>().as('n'))
    .where('structure_id', '=', structureId)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

/** The network's coordinators' addresses (told instead when a structure has no administrator yet). */
export async function coordinatorAddresses(db: Executor): Promise<string[]> {
  const rows = await db
    .selectFrom('person')
    .select('email')
    .where('network_role', '=', 'coordinator')
    .orderBy('email')
    .execute();
  return rows.map((r) => r.email);
}

// Places (read only)

export interface StructurePlaceRow {
  id: string;
  nom: string;
  commune: string;
  adresse: string;
  date_maj: string | null;
}

/** The places of a structure, merged duplicates excluded (they show through their canonical place). */
export async function listStructurePlaces(db: Executor, structureId: string): Promise<StructurePlaceRow[]> {
  return db
    .selectFrom('place')
    .select(['id', 'nom', 'commune', 'adresse', 'date_maj'])
    .where('structure_id', '=', structureId)
    .where(SHOWN)
    .orderBy(sql`lower(nom)`)
    .execute();
}

// Join requests

export type JoinRequestRow = Selectable<JoinRequestTable>;

export interface PendingRequestRow {
  id: string;
  person_id: string;
  email: string;
  display_name: string;
  has_password: boolean;
  message: string | null;
  created_at: Date;
}

/** Inserts a pending request; undefined when one is already pending for this person and structure. */
export async function insertJoinRequest(
  db: Executor,
  values: { person_id: string; structure_id: string; message: string | null; created_at: Date },
): Promise<string | undefined> {
  const row = await db
    .insertInto('join_request')
    .values(values)
    .onConflict((oc) => oc.columns(['person_id', 'structure_id']).where('status', '=', 'pending').doNothing())
    .returning('id')
    .executeTakeFirst();
  return row?.id;
}

export async function hasPendingRequest(
  db: Executor,
  structureId: string,
  personId: string,
): Promise<boolean> {
  const row = await db
    .selectFrom('join_request')
    .select('id')
    .where('structure_id', '=', structureId)
    .where('person_id', '=', personId)
    .where('status', '=', 'pending')
    .executeTakeFirst();
  return row !== undefined;
}

/** Join requests with their person's name and address, and whether that person has chosen a password. */
function requests(db: Executor) {
  return db
    .selectFrom('join_request')
    .innerJoin('person', 'person.id', 'join_request.person_id')
    .select([
      'join_request.id',
      'join_request.person_id',
      'person.email',
      'person.display_name',
      'join_request.message',
      'join_request.created_at',
    ])
    .select(HAS_PASSWORD);
}

export async function listPendingRequests(db: Executor, structureId: string): Promise<PendingRequestRow[]> {
  return requests(db)
    .where('join_request.structure_id', '=', structureId)
    .where('join_request.status', '=', 'pending')
    .orderBy('join_request.created_at')
    .execute();
}

export async function findJoinRequest(
  db: Executor,
  id: string,
): Promise<(PendingRequestRow & { structure_id: string; status: JoinRequestRow['status'] }) | undefined> {
  return requests(db)
    .select(['join_request.structure_id', 'join_request.status'])
    .where('join_request.id', '=', id)
    .executeTakeFirst();
}

/** Records the decision if the request is still pending (atomic: two admins cannot both decide). */
export async function decideRequest(
  db: Executor,
  id: string,
  decision: { status: 'accepted' | 'refused'; decided_by: string | null; decided_at: Date },
): Promise<boolean> {
  const row = await db
    .updateTable('join_request')
    .set(decision)
    .where('id', '=', id)
    .where('status', '=', 'pending')
    .returning('id')
    .executeTakeFirst();
  return row !== undefined;
}
