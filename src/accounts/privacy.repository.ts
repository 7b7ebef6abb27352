import { sql } from 'kysely';
import type { Db } from '../db/database.ts';

/**
 * SQL of the privacy purge for people's data: decided join requests, inactive accounts.
 * join_request belongs to the structures' tables; deleting by age is retention, not structure management,
 * so it lives here beside the other retention rules.
 */

/** Deletes join requests decided (accepted or refused) before `before`; pending ones wait for a decision. */
export async function deleteDecidedJoinRequests(db: Db, before: Date): Promise<number> {
  const rows = await db
    .deleteFrom('join_request')
    .where('status', 'in', ['accepted', 'refused'])
    .where((eb) =>
      eb.or([
        eb('decided_at', '<', before),
        eb.and([eb('decided_at', 'is', null), eb('created_at', '<', before)]),
      ]),
    )
    .returning('id')
    .execute();
  return rows.length;
}

/**
 * Accounts without any activity since `before`: no sign-in, no creation, no link sent, no join request
 * since then. Coordinators and demonstration accounts are never listed (the network must keep a way in;
 * `demo remove` deletes the demonstration).
 */
export async function listInactivePersons(
  db: Db,
  before: Date,
): Promise<{ id: string; email: string; display_name: string; inactivity_warned_at: Date | null }[]> {
  return db
    .selectFrom('person')
    .select(['person.id', 'person.email', 'person.display_name', 'person.inactivity_warned_at'])
    .where('person.is_demo', '=', false)
    .where(sql<boolean>`person.network_role is distinct from 'coordinator'`)
    .where(sql<boolean>`greatest(person.created_at, person.last_sign_in_at) < ${before}`)
    .where(({ not, exists, selectFrom }) =>
      not(
        exists(
          selectFrom('one_time_token')
            .select('one_time_token.id')
            .whereRef('one_time_token.person_id', '=', 'person.id')
            .where('one_time_token.created_at', '>=', before),
        ),
      ),
    )
    .where(({ not, exists, selectFrom }) =>
      not(
        exists(
          selectFrom('join_request')
            .select('join_request.id')
            .whereRef('join_request.person_id', '=', 'person.id')
            .where((eb) =>
              eb.or([eb('join_request.created_at', '>=', before), eb('join_request.status', '=', 'pending')]),
            ),
        ),
      ),
    )
    .orderBy('person.id')
    .execute();
}

/** Deletes one account (memberships, sessions, links and join requests go with it: foreign keys cascade). */
export async function deletePersonById(db: Db, id: string): Promise<number> {
  const rows = await db.deleteFrom('person').where('id', '=', id).returning('id').execute();
  return rows.length;
}

/** Records that the account was warned of its deletion for inactivity. */
export async function markInactivityWarned(db: Db, id: string, at: Date): Promise<void> {
  await db.updateTable('person').set({ inactivity_warned_at: at }).where('id', '=', id).execute();
}
