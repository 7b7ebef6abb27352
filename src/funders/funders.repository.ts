import {
  type Insertable,
  type Kysely,
  type Selectable,
  sql,
  type Transaction,
  type Updateable,
} from 'kysely';
import type { Database, FunderTable, FundingTable } from '../db/database.ts';

type Executor = Kysely<Database> | Transaction<Database>;
export type FunderRow = Selectable<FunderTable>;
export type FundingRow = Selectable<FundingTable>;

// Funders

export interface FunderSummaryRow extends FunderRow {
  members: number;
  /** Structures funded on the given day. */
  funded_now: number;
}

/** Every funder with its number of members and of structures funded on `today`, by name. */
export async function listFunderSummaries(db: Executor, today: string): Promise<FunderSummaryRow[]> {
  return db
    .selectFrom('funder')
    .selectAll('funder')
    .select((eb) => [
      eb
        .selectFrom('funder_member')
        .select(sql<number>`count(*)::int`.as('n'))
        .whereRef('funder_member.funder_id', '=', 'funder.id')
        .as('members'),
      eb
        .selectFrom('funding')
        .select(sql<number>`count(distinct structure_id)::int`.as('n'))
        .whereRef('funding.funder_id', '=', 'funder.id')
        .where('starts_on', '<=', today)
        .where((w) => w.or([w('ends_on', 'is', null), w('ends_on', '>=', today)]))
        .as('funded_now'),
    ])
    .orderBy(sql`lower(name)`)
    .execute() as Promise<FunderSummaryRow[]>;
}

export async function countFunders(db: Executor): Promise<number> {
  const row = await db.selectFrom('funder').select(sql<number>`count(*)::int`.as('n')).executeTakeFirst();
  return row?.n ?? 0;
}

export async function findFunder(db: Executor, id: string): Promise<FunderRow | undefined> {
  return db.selectFrom('funder').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function findFunderBySiren(db: Executor, siren: string): Promise<FunderRow | undefined> {
  return db.selectFrom('funder').selectAll().where('siren', '=', siren).executeTakeFirst();
}

export async function insertFunder(db: Executor, row: Insertable<FunderTable>): Promise<string> {
  const r = await db.insertInto('funder').values(row).returning('id').executeTakeFirstOrThrow();
  return r.id;
}

export async function updateFunderRow(
  db: Executor,
  id: string,
  values: Updateable<FunderTable>,
): Promise<void> {
  await db
    .updateTable('funder')
    .set({ ...values, updated_at: sql`now()` })
    .where('id', '=', id)
    .execute();
}

export async function deleteDemoFunders(db: Executor): Promise<number> {
  const rows = await db.deleteFrom('funder').where('is_demo', '=', true).returning('id').execute();
  return rows.length;
}

export async function findDemoFunder(db: Executor): Promise<FunderRow | undefined> {
  return db.selectFrom('funder').selectAll().where('is_demo', '=', true).executeTakeFirst();
}

// Members (their accounts are the accounts domain's: names and addresses are read for the coordinator)

export interface FunderMemberRow {
  person_id: string;
  display_name: string;
  email: string;
  created_at: Date;
}

export async function listFunderMembers(db: Executor, funderId: string): Promise<FunderMemberRow[]> {
  return db
    .selectFrom('funder_member')
    .innerJoin('person', 'person.id', 'funder_member.person_id')
    .select(['funder_member.person_id', 'person.display_name', 'person.email', 'funder_member.created_at'])
    .where('funder_member.funder_id', '=', funderId)
    .orderBy('person.email')
    .execute();
}

export async function isFunderMember(db: Executor, funderId: string, email: string): Promise<boolean> {
  const row = await db
    .selectFrom('funder_member')
    .innerJoin('person', 'person.id', 'funder_member.person_id')
    .select('funder_member.person_id')
    .where('funder_member.funder_id', '=', funderId)
    .where('person.email', '=', email)
    .executeTakeFirst();
  return row !== undefined;
}

export async function addMember(db: Executor, funderId: string, personId: string): Promise<void> {
  await db
    .insertInto('funder_member')
    .values({ funder_id: funderId, person_id: personId })
    .onConflict((oc) => oc.columns(['funder_id', 'person_id']).doNothing())
    .execute();
}

export async function deleteMember(db: Executor, funderId: string, personId: string): Promise<boolean> {
  const r = await db
    .deleteFrom('funder_member')
    .where('funder_id', '=', funderId)
    .where('person_id', '=', personId)
    .executeTakeFirst();
  return Number(r.numDeletedRows) > 0;
}

// Fundings (structure names are read for the pages; the structures domain owns everything else)

export interface FundingWithNameRow extends FundingRow {
  structure_name: string;
}

export async function listFundingsOf(db: Executor, funderId: string): Promise<FundingWithNameRow[]> {
  return db
    .selectFrom('funding')
    .innerJoin('structure', 'structure.id', 'funding.structure_id')
    .selectAll('funding')
    .select('structure.nom as structure_name')
    .where('funding.funder_id', '=', funderId)
    .orderBy(sql`lower(structure.nom)`)
    .orderBy('funding.starts_on')
    .execute();
}

export async function findFunding(db: Executor, id: string): Promise<FundingWithNameRow | undefined> {
  return db
    .selectFrom('funding')
    .innerJoin('structure', 'structure.id', 'funding.structure_id')
    .selectAll('funding')
    .select('structure.nom as structure_name')
    .where('funding.id', '=', id)
    .executeTakeFirst();
}

/** The structure's name, its row locked until the end of the transaction (it cannot vanish meanwhile). */
export async function lockStructureName(db: Executor, id: string): Promise<string | undefined> {
  const row = await db
    .selectFrom('structure')
    .select('nom')
    .where('id', '=', id)
    .forUpdate()
    .executeTakeFirst();
  return row?.nom;
}

/** Every structure's id and name, by name (the funding form's list). */
export async function listStructureChoices(db: Executor): Promise<{ id: string; nom: string }[]> {
  return db.selectFrom('structure').select(['id', 'nom']).orderBy(sql`lower(nom)`).execute();
}

export async function listFundingsOfPair(
  db: Executor,
  funderId: string,
  structureId: string,
): Promise<FundingRow[]> {
  return db
    .selectFrom('funding')
    .selectAll()
    .where('funder_id', '=', funderId)
    .where('structure_id', '=', structureId)
    .execute();
}

export async function insertFunding(db: Executor, row: Insertable<FundingTable>): Promise<string> {
  const r = await db.insertInto('funding').values(row).returning('id').executeTakeFirstOrThrow();
  return r.id;
}

export async function setFundingEnd(db: Executor, id: string, endsOn: string): Promise<void> {
  await db.updateTable('funding').set({ ends_on: endsOn }).where('id', '=', id).execute();
}
