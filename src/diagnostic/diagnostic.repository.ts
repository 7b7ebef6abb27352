import type { Insertable } from 'kysely';
import type { Db, DiagnosticVersionTable } from '../db/database.ts';

/** The diagnostic's questionnaire versions (migration 0007). Versions never change once written. */

const SUMMARY = [
  'version',
  'sha256',
  'title',
  'question_count',
  'created_at',
  'created_by_label',
  'activated_at',
] as const;

export async function countVersions(db: Db): Promise<number> {
  const row = await db
    .selectFrom('diagnostic_version')
    .select((eb) => eb.fn.countAll<string>().as('n'))
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

/** Whether a person ever wrote or activated a version (the system's own loads have neither). */
export async function anyVersionChosenByPerson(db: Db): Promise<boolean> {
  const row = await db
    .selectFrom('diagnostic_version')
    .select('version')
    .where((eb) => eb.or([eb('created_by', 'is not', null), eb('activated_by', 'is not', null)]))
    .limit(1)
    .executeTakeFirst();
  return row !== undefined;
}

/** Inserts a version unless that number exists; true when inserted. */
export async function insertVersion(db: Db, row: Insertable<DiagnosticVersionTable>): Promise<boolean> {
  const result = await db
    .insertInto('diagnostic_version')
    .values(row)
    .onConflict((oc) => oc.column('version').doNothing())
    .executeTakeFirst();
  return Number(result.numInsertedOrUpdatedRows ?? 0) > 0;
}

export async function findVersion(db: Db, version: number) {
  return db
    .selectFrom('diagnostic_version')
    .select([...SUMMARY, 'document'])
    .where('version', '=', version)
    .executeTakeFirst();
}

/** The version activated last (or, if none ever was, the highest). */
export async function findActiveVersion(db: Db) {
  const active = await db
    .selectFrom('diagnostic_version')
    .select([...SUMMARY, 'document'])
    .where('activated_at', 'is not', null)
    .orderBy('activated_at', 'desc')
    .orderBy('version', 'desc')
    .limit(1)
    .executeTakeFirst();
  if (active) return active;
  return db
    .selectFrom('diagnostic_version')
    .select([...SUMMARY, 'document'])
    .orderBy('version', 'desc')
    .limit(1)
    .executeTakeFirst();
}

export async function listVersions(db: Db) {
  return db.selectFrom('diagnostic_version').select(SUMMARY).orderBy('version', 'desc').execute();
}

export async function highestVersion(db: Db): Promise<number> {
  const row = await db
    .selectFrom('diagnostic_version')
    .select((eb) => eb.fn.max('version').as('v'))
    .executeTakeFirst();
  return Number(row?.v ?? 0);
}

export async function markActivated(db: Db, version: number, at: Date, by: string | null): Promise<boolean> {
  const result = await db
    .updateTable('diagnostic_version')
    .set({ activated_at: at, activated_by: by })
    .where('version', '=', version)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) > 0;
}
