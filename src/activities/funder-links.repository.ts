import type { Kysely, Transaction } from 'kysely';
import type { Database } from '../db/database.ts';

/** SQL of the funders' read-only statistics links (migration 0040, decision 0056). */

type Executor = Kysely<Database> | Transaction<Database>;

export interface FunderLinkRow {
  id: string;
  funder_id: string;
  name: string;
  prefix: string;
  created_at: Date;
  expires_at: Date;
  revoked_at: Date | null;
  last_opened_at: Date | null;
}

const COLUMNS = [
  'id',
  'funder_id',
  'name',
  'prefix',
  'created_at',
  'expires_at',
  'revoked_at',
  'last_opened_at',
] as const;

export async function listFunderLinkRows(db: Executor, funderId: string): Promise<FunderLinkRow[]> {
  return db
    .selectFrom('funder_statistics_link')
    .select(COLUMNS)
    .where('funder_id', '=', funderId)
    .orderBy('created_at', 'desc')
    .execute();
}

export async function insertFunderLink(
  db: Executor,
  row: {
    funder_id: string;
    name: string;
    secret_hash: string;
    prefix: string;
    created_by: string | null;
    created_at: Date;
    expires_at: Date;
  },
): Promise<string> {
  const r = await db
    .insertInto('funder_statistics_link')
    .values(row)
    .returning('id')
    .executeTakeFirstOrThrow();
  return r.id;
}

export async function findFunderLink(db: Executor, id: string): Promise<FunderLinkRow | undefined> {
  return db.selectFrom('funder_statistics_link').select(COLUMNS).where('id', '=', id).executeTakeFirst();
}

export async function findFunderLinkByHash(db: Executor, hash: string): Promise<FunderLinkRow | undefined> {
  return db
    .selectFrom('funder_statistics_link')
    .select(COLUMNS)
    .where('secret_hash', '=', hash)
    .executeTakeFirst();
}

/** Revokes a live link; false when it was already revoked. */
export async function revokeFunderLinkRow(
  db: Executor,
  id: string,
  by: string | null,
  at: Date,
): Promise<boolean> {
  const r = await db
    .updateTable('funder_statistics_link')
    .set({ revoked_at: at, revoked_by: by })
    .where('id', '=', id)
    .where('revoked_at', 'is', null)
    .executeTakeFirst();
  return Number(r.numUpdatedRows) > 0;
}

export async function touchFunderLink(db: Executor, id: string, at: Date): Promise<void> {
  await db.updateTable('funder_statistics_link').set({ last_opened_at: at }).where('id', '=', id).execute();
}
