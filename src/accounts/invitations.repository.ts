import { type Kysely, sql } from 'kysely';
import type { Database } from '../db/database.ts';

/**
 * SQL of the invitations not yet accepted (one_time_token of purpose `invitation` granting a role in a
 * structure): listed, counted, withdrawn. Issuing and consuming them stays in accounts.repository.ts.
 */
type Executor = Kysely<Database>;

export interface InvitationRow {
  id: string;
  person_id: string;
  email: string;
  display_name: string;
  structure_id: string;
  role: 'structure_admin' | 'staff';
  created_at: Date;
  expires_at: Date;
}

function unused(db: Executor) {
  return db
    .selectFrom('one_time_token')
    .innerJoin('person', 'person.id', 'one_time_token.person_id')
    .select([
      'one_time_token.id',
      'one_time_token.person_id',
      'person.email',
      'person.display_name',
      'one_time_token.created_at',
      'one_time_token.expires_at',
    ])
    .select(sql<string>`one_time_token.structure_id`.as('structure_id'))
    .select(sql<'structure_admin' | 'staff'>`one_time_token.role`.as('role'))
    .where('one_time_token.purpose', '=', 'invitation')
    .where('one_time_token.structure_id', 'is not', null)
    .where('one_time_token.role', 'is not', null)
    .where('one_time_token.used_at', 'is', null);
}

/** A structure's invitations never used nor withdrawn (expired ones too: they can be sent again), newest first. */
export async function listUnusedInvitations(db: Executor, structureId: string): Promise<InvitationRow[]> {
  return unused(db)
    .where('one_time_token.structure_id', '=', structureId)
    .orderBy('one_time_token.created_at', 'desc')
    .execute();
}

export async function findUnusedInvitation(db: Executor, id: string): Promise<InvitationRow | undefined> {
  return unused(db).where('one_time_token.id', '=', id).executeTakeFirst();
}

/** Withdraws an unused invitation (its link stops working); false when it was used or withdrawn meanwhile. */
export async function withdrawToken(db: Executor, id: string, now: Date): Promise<boolean> {
  const row = await db
    .updateTable('one_time_token')
    .set({ used_at: now })
    .where('id', '=', id)
    .where('purpose', '=', 'invitation')
    .where('used_at', 'is', null)
    .returning('id')
    .executeTakeFirst();
  return row !== undefined;
}

/** Pending (unused, not expired) invitations by structure, for the lists and the home page. */
export async function pendingInvitationCounts(
  db: Executor,
  now: Date,
  structureIds?: string[],
): Promise<Map<string, number>> {
  if (structureIds && structureIds.length === 0) return new Map();
  let query = db
    .selectFrom('one_time_token')
    .select(['structure_id', (eb) => eb.fn.countAll<string>().as('n')])
    .where('purpose', '=', 'invitation')
    .where('structure_id', 'is not', null)
    .where('role', 'is not', null)
    .where('used_at', 'is', null)
    .where('expires_at', '>', now)
    .groupBy('structure_id');
  if (structureIds) query = query.where('structure_id', 'in', structureIds);
  const rows = await query.execute();
  return new Map(rows.map((r) => [r.structure_id as string, Number(r.n)]));
}
