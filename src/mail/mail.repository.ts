import type { Insertable, Kysely, Selectable } from 'kysely';
import type { Database, MailOutboxTable } from '../db/database.ts';

type Executor = Kysely<Database>;
export type MailRow = Selectable<MailOutboxTable>;

/** Writes several messages in one statement; returns their ids in the order given. */
export async function insertMails(db: Executor, mails: Insertable<MailOutboxTable>[]): Promise<string[]> {
  if (mails.length === 0) return [];
  const rows = await db.insertInto('mail_outbox').values(mails).returning('id').execute();
  return rows.map((r) => r.id);
}

/** How many of these messages are pending, sent or failed (ids the outbox no longer holds are not counted). */
export async function countMailStatuses(
  db: Executor,
  ids: string[],
): Promise<{ status: MailRow['status']; n: number }[]> {
  if (ids.length === 0) return [];
  const rows = await db
    .selectFrom('mail_outbox')
    .select(['status', (eb) => eb.fn.countAll<string>().as('n')])
    .where('id', 'in', ids)
    .groupBy('status')
    .execute();
  return rows.map((r) => ({ status: r.status, n: Number(r.n) }));
}

export async function insertMail(db: Executor, mail: Insertable<MailOutboxTable>): Promise<string> {
  const row = await db.insertInto('mail_outbox').values(mail).returning('id').executeTakeFirstOrThrow();
  return row.id;
}

/**
 * Claims due messages: pushes their next attempt past a lease and counts the attempt, in one statement
 * (`for update skip locked`), so that two senders never send the same message at the same time.
 */
export async function claimDueMail(
  db: Executor,
  now: Date,
  leaseUntil: Date,
  limit: number,
): Promise<MailRow[]> {
  return db
    .updateTable('mail_outbox')
    .set((eb) => ({ next_attempt_at: leaseUntil, attempts: eb('attempts', '+', 1) }))
    .where(
      'id',
      'in',
      db
        .selectFrom('mail_outbox')
        .select('id')
        .where('status', '=', 'pending')
        .where('next_attempt_at', '<=', now)
        .orderBy('next_attempt_at')
        .limit(limit)
        .forUpdate()
        .skipLocked(),
    )
    .returningAll()
    .execute();
}

export async function markMailSent(db: Executor, id: string, at: Date): Promise<void> {
  await db
    .updateTable('mail_outbox')
    .set({ status: 'sent', sent_at: at, last_error: null })
    .where('id', '=', id)
    .execute();
}

export async function markMailFailed(
  db: Executor,
  id: string,
  error: string,
  next: Date | null,
): Promise<void> {
  await db
    .updateTable('mail_outbox')
    .set(next ? { last_error: error, next_attempt_at: next } : { last_error: error, status: 'failed' })
    .where('id', '=', id)
    .execute();
}

export async function listRecentMail(db: Executor, limit: number): Promise<MailRow[]> {
  return db.selectFrom('mail_outbox').selectAll().orderBy('created_at', 'desc').limit(limit).execute();
}

export async function findMail(db: Executor, id: string): Promise<MailRow | undefined> {
  return db.selectFrom('mail_outbox').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function deleteSentMailBefore(db: Executor, before: Date): Promise<number> {
  const rows = await db
    .deleteFrom('mail_outbox')
    .where((eb) =>
      eb.or([
        eb.and([eb('status', '=', 'sent'), eb('sent_at', '<', before)]),
        eb.and([eb('status', '=', 'failed'), eb('created_at', '<', before)]),
      ]),
    )
    .returning('id')
    .execute();
  return rows.length;
}

/** Messages not delivered yet (waiting or retrying): the outbox's size. */
export async function countPendingMail(db: Executor): Promise<number> {
  const row = await db
    .selectFrom('mail_outbox')
    .select((eb) => eb.fn.countAll<string>().as('n'))
    .where('status', '=', 'pending')
    .executeTakeFirst();
  return Number(row?.n ?? 0);
}
