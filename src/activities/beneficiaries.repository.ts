import { type Insertable, type Kysely, type Selectable, sql, type Transaction } from 'kysely';
import type { ActivityBeneficiaryTable } from '../db/activity-rows.ts';
import type { Database } from '../db/database.ts';

/** SQL of identified beneficiaries (decision 0038): their rows, their links to records, their purge. */

type Executor = Kysely<Database> | Transaction<Database>;
export type BeneficiaryRow = Selectable<ActivityBeneficiaryTable>;

export async function insertBeneficiary(
  db: Executor,
  row: Insertable<ActivityBeneficiaryTable>,
): Promise<string> {
  const r = await db.insertInto('activity_beneficiary').values(row).returning('id').executeTakeFirstOrThrow();
  return r.id;
}

export async function findBeneficiary(db: Executor, id: string): Promise<BeneficiaryRow | undefined> {
  return db.selectFrom('activity_beneficiary').selectAll().where('id', '=', id).executeTakeFirst();
}

export interface BeneficiaryListRow extends BeneficiaryRow {
  links: number;
  last_date: string | null;
}

/** A structure's followed persons, by name, with how many records and the last one's day. */
export async function listBeneficiariesOf(
  db: Executor,
  structureId: string,
  limit: number,
): Promise<BeneficiaryListRow[]> {
  const rows = await db
    .selectFrom('activity_beneficiary as b')
    .leftJoin('activity_beneficiary_link as l', 'l.beneficiary_id', 'b.id')
    .leftJoin('activity as a', 'a.id', 'l.activity_id')
    .selectAll('b')
    .select((eb) => [
      eb.fn.count<number>('l.activity_id').as('links'),
      sql<string | null>`to_char(max(a.date), 'YYYY-MM-DD')`.as('last_date'),
    ])
    .where('b.structure_id', '=', structureId)
    .groupBy('b.id')
    .orderBy(sql`lower(b.first_name)`)
    .orderBy(sql`lower(coalesce(b.last_name, ''))`)
    .orderBy('b.id')
    .limit(limit)
    .execute();
  return rows.map((r) => ({ ...r, links: Number(r.links) }));
}

export interface LinkedActivityRow {
  id: string;
  kind: 'individuel' | 'collectif';
  date: string;
  duration_minutes: number;
  themes: string[];
  workshop_title: string | null;
  first_time: boolean;
}

/** The records a followed person is linked to, the latest first. */
export async function listLinkedActivities(
  db: Executor,
  beneficiaryId: string,
): Promise<LinkedActivityRow[]> {
  return db
    .selectFrom('activity_beneficiary_link as l')
    .innerJoin('activity as a', 'a.id', 'l.activity_id')
    .select([
      'a.id',
      'a.kind',
      'a.date',
      'a.duration_minutes',
      'a.themes',
      'a.workshop_title',
      'l.first_time',
    ])
    .where('l.beneficiary_id', '=', beneficiaryId)
    .orderBy('a.date', 'desc')
    .orderBy('a.created_at', 'desc')
    .orderBy('a.id')
    .execute();
}

/** A structure's latest records not yet linked to this person, to offer in the link form. */
export async function listLinkableActivities(
  db: Executor,
  structureId: string,
  beneficiaryId: string,
  limit: number,
): Promise<Omit<LinkedActivityRow, 'first_time'>[]> {
  return db
    .selectFrom('activity as a')
    .select(['a.id', 'a.kind', 'a.date', 'a.duration_minutes', 'a.themes', 'a.workshop_title'])
    .where('a.structure_id', '=', structureId)
    .where(({ not, exists, selectFrom }) =>
      not(
        exists(
          selectFrom('activity_beneficiary_link as l')
            .select('l.activity_id')
            .whereRef('l.activity_id', '=', 'a.id')
            .where('l.beneficiary_id', '=', beneficiaryId),
        ),
      ),
    )
    .orderBy('a.date', 'desc')
    .orderBy('a.created_at', 'desc')
    .orderBy('a.id')
    .limit(limit)
    .execute();
}

/** A record's structure and day, or undefined. */
export async function findActivityScope(
  db: Executor,
  activityId: string,
): Promise<{ structure_id: string; date: string } | undefined> {
  return db
    .selectFrom('activity')
    .select(['structure_id', 'date'])
    .where('id', '=', activityId)
    .executeTakeFirst();
}

/** Links a record to a person; false when it was linked already. */
export async function insertLink(
  db: Executor,
  row: { activity_id: string; beneficiary_id: string; first_time: boolean },
): Promise<boolean> {
  const r = await db
    .insertInto('activity_beneficiary_link')
    .values(row)
    .onConflict((oc) => oc.columns(['activity_id', 'beneficiary_id']).doNothing())
    .returning('activity_id')
    .executeTakeFirst();
  return r !== undefined;
}

export async function deleteLink(db: Executor, beneficiaryId: string, activityId: string): Promise<boolean> {
  const r = await db
    .deleteFrom('activity_beneficiary_link')
    .where('beneficiary_id', '=', beneficiaryId)
    .where('activity_id', '=', activityId)
    .executeTakeFirst();
  return Number(r.numDeletedRows) > 0;
}

/** The day of the person's last linked record, or null when none is linked. */
export async function lastLinkedDate(db: Executor, beneficiaryId: string): Promise<string | null> {
  const r = await db
    .selectFrom('activity_beneficiary_link as l')
    .innerJoin('activity as a', 'a.id', 'l.activity_id')
    .select(sql<string | null>`to_char(max(a.date), 'YYYY-MM-DD')`.as('last'))
    .where('l.beneficiary_id', '=', beneficiaryId)
    .executeTakeFirst();
  return r?.last ?? null;
}

export async function setRetainUntil(
  db: Executor,
  beneficiaryId: string,
  day: string,
  at: Date,
): Promise<void> {
  await db
    .updateTable('activity_beneficiary')
    .set({ retain_until: day, updated_at: at })
    .where('id', '=', beneficiaryId)
    .execute();
}

export async function deleteBeneficiaryRow(db: Executor, beneficiaryId: string): Promise<boolean> {
  const r = await db.deleteFrom('activity_beneficiary').where('id', '=', beneficiaryId).executeTakeFirst();
  return Number(r.numDeletedRows) > 0;
}

/** Erases the followed persons whose retention ended before `today` (their links go with them). */
export async function deleteBeneficiariesRetainedBefore(db: Executor, today: string): Promise<number> {
  const r = await db.deleteFrom('activity_beneficiary').where('retain_until', '<', today).executeTakeFirst();
  return Number(r.numDeletedRows);
}
