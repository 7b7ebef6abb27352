import { type Insertable, type Kysely, type Selectable, sql } from 'kysely';
import type { Database, NetworkMessageTable } from '../db/database.ts';

/** All SQL of network messages: the `network_message` and `network_message_recipient` tables. */
type Executor = Kysely<Database>;
export type NetworkMessageRow = Selectable<NetworkMessageTable>;

/**
 * Writes a message unless one with the same form token exists (a second submission of the preview);
 * returns the new id, or null when the token was already used.
 */
export async function insertMessageOnce(
  db: Executor,
  row: Insertable<NetworkMessageTable>,
): Promise<string | null> {
  const inserted = await db
    .insertInto('network_message')
    .values(row)
    .onConflict((oc) => oc.column('form_token').doNothing())
    .returning('id')
    .executeTakeFirst();
  return inserted?.id ?? null;
}

export async function findMessageByToken(
  db: Executor,
  token: string,
): Promise<NetworkMessageRow | undefined> {
  return db.selectFrom('network_message').selectAll().where('form_token', '=', token).executeTakeFirst();
}

export async function findMessage(db: Executor, id: string): Promise<NetworkMessageRow | undefined> {
  return db.selectFrom('network_message').selectAll().where('id', '=', id).executeTakeFirst();
}

/** Rows written per statement (three parameters each). */
const BATCH = 1000;

export async function insertRecipients(
  db: Executor,
  messageId: string,
  recipients: readonly { personId: string; mailId: string }[],
): Promise<void> {
  for (let start = 0; start < recipients.length; start += BATCH) {
    await db
      .insertInto('network_message_recipient')
      .values(
        recipients
          .slice(start, start + BATCH)
          .map((r) => ({ message_id: messageId, person_id: r.personId, mail_id: r.mailId })),
      )
      .execute();
  }
}

/** The latest messages, newest first, and how many were sent in all. */
export async function listMessages(
  db: Executor,
  limit: number,
): Promise<{ rows: NetworkMessageRow[]; total: number }> {
  const rows = await db
    .selectFrom('network_message')
    .selectAll()
    .orderBy('sent_at', 'desc')
    .orderBy('id')
    .limit(limit)
    .execute();
  const total = await db
    .selectFrom('network_message')
    .select((eb) => eb.fn.countAll<string>().as('n'))
    .executeTakeFirstOrThrow();
  return { rows, total: Number(total.n) };
}

/** The outbox ids of the mails of some messages, by message (only while the recipients are kept). */
export async function mailIdsOf(db: Executor, messageIds: string[]): Promise<Map<string, string[]>> {
  const out = new Map<string, string[]>();
  if (messageIds.length === 0) return out;
  const rows = await db
    .selectFrom('network_message_recipient')
    .select(['message_id', 'mail_id'])
    .where('message_id', 'in', messageIds)
    .execute();
  for (const r of rows) out.set(r.message_id, [...(out.get(r.message_id) ?? []), r.mail_id]);
  return out;
}

/** Messages sent before `before` whose recipients are still kept, oldest first. */
export async function listMessagesToPurge(db: Executor, before: Date): Promise<{ id: string }[]> {
  return db
    .selectFrom('network_message')
    .select('id')
    .where('recipients_purged_at', 'is', null)
    .where('sent_at', '<', before)
    .orderBy('sent_at')
    .execute();
}

/** Keeps what the outbox said of the mails, deletes the list of recipients; returns how many rows went. */
export async function purgeRecipients(
  db: Executor,
  messageId: string,
  counts: { delivered: number; failed: number },
  at: Date,
): Promise<number> {
  await db
    .updateTable('network_message')
    .set({ recipients_purged_at: at, delivered_count: counts.delivered, failed_count: counts.failed })
    .where('id', '=', messageId)
    .execute();
  const rows = await db
    .deleteFrom('network_message_recipient')
    .where('message_id', '=', messageId)
    .returning(sql<number>`1`.as('one'))
    .execute();
  return rows.length;
}
