import type { Db } from '../db/database.ts';
import {
  claimDueMail,
  countMailStatuses,
  countPendingMail,
  deleteSentMailBefore,
  findMail,
  insertMail,
  insertMails,
  listRecentMail,
  markMailFailed,
  markMailSent,
} from './mail.repository.ts';
import { type MailKind, type MailTransport, mailKindLabel } from './mail.ts';

/**
 * Outgoing mail through an outbox: `enqueueMail` writes the message in the caller's transaction (so a
 * message exists exactly when the action that sends it committed); `deliverDueMail` sends due messages
 * by SMTP and retries with growing delays, so a mail-server outage loses nothing.
 */
export interface OutgoingMail {
  to: string;
  /** What kind of message it is: the only thing the outbox page says about it. */
  kind: MailKind;
  subject: string;
  text: string;
  html?: string;
}

export interface StoredMail {
  id: string;
  to: string;
  kind: string;
  subject: string;
  text: string;
  status: 'pending' | 'sent' | 'failed';
  attempts: number;
  createdAt: Date;
  sentAt: Date | null;
  lastError: string | null;
}

/** Minutes to wait after the n-th failed attempt; after the last one the message is marked failed. */
export const RETRY_DELAYS_MINUTES = [1, 5, 15, 60, 180, 360, 720, 1440] as const;
const LEASE_MINUTES = 5;
const BATCH = 50;

/** Writes a message to the outbox; it is sent by the next delivery run. */
export async function enqueueMail(db: Db, mail: OutgoingMail, now: Date = new Date()): Promise<string> {
  return insertMail(db, {
    to_address: mail.to,
    kind: mail.kind,
    subject: mail.subject,
    text_body: mail.text,
    html_body: mail.html ?? null,
    next_attempt_at: now,
  });
}

/** Rows written per statement by `enqueueMails` (PostgreSQL allows 65,535 parameters per statement). */
const ENQUEUE_BATCH = 500;

/**
 * Writes many messages to the outbox, a few hundred rows per statement, in the caller's transaction (a
 * send to the whole network is all or nothing); returns their ids in the order given.
 */
export async function enqueueMails(
  db: Db,
  mails: readonly OutgoingMail[],
  now: Date = new Date(),
): Promise<string[]> {
  const ids: string[] = [];
  for (let start = 0; start < mails.length; start += ENQUEUE_BATCH) {
    const batch = mails.slice(start, start + ENQUEUE_BATCH).map((mail) => ({
      to_address: mail.to,
      kind: mail.kind,
      subject: mail.subject,
      text_body: mail.text,
      html_body: mail.html ?? null,
      next_attempt_at: now,
    }));
    ids.push(...(await insertMails(db, batch)));
  }
  return ids;
}

/** What the outbox says of some messages: how many are sent, waiting or given up (purged ones aside). */
export async function mailDelivery(
  db: Db,
  ids: readonly string[],
): Promise<{ sent: number; pending: number; failed: number }> {
  const out = { sent: 0, pending: 0, failed: 0 };
  for (let start = 0; start < ids.length; start += ENQUEUE_BATCH * 10)
    for (const row of await countMailStatuses(db, ids.slice(start, start + ENQUEUE_BATCH * 10)))
      out[row.status] += row.n;
  return out;
}

/**
 * Sends the messages that are due. A message is marked sent as soon as the SMTP server accepted it; a
 * failure schedules the next attempt (1 min, 5 min, 15 min… up to a day) and, after the last one, marks
 * the message failed for a person to look at.
 */
export async function deliverDueMail(
  db: Db,
  input: { transport: MailTransport; from: string; now?: Date },
): Promise<{ sent: number; failed: number }> {
  const now = input.now ?? new Date();
  const claimed = await claimDueMail(db, now, new Date(now.getTime() + LEASE_MINUTES * 60_000), BATCH);
  let sent = 0;
  let failed = 0;
  for (const mail of claimed) {
    try {
      await input.transport.send({
        from: input.from,
        to: mail.to_address,
        subject: mail.subject,
        text: mail.text_body,
        ...(mail.html_body ? { html: mail.html_body } : {}),
      });
      await markMailSent(db, mail.id, now);
      sent++;
    } catch (error) {
      const delay = RETRY_DELAYS_MINUTES[mail.attempts - 1];
      const next = delay === undefined ? null : new Date(now.getTime() + delay * 60_000);
      await markMailFailed(db, mail.id, String((error as Error)?.message ?? error).slice(0, 500), next);
      failed++;
    }
  }
  return { sent, failed };
}

function toStored(row: Awaited<ReturnType<typeof listRecentMail>>[number]): StoredMail {
  return {
    id: row.id,
    to: row.to_address,
    kind: row.kind,
    subject: row.subject,
    text: row.text_body,
    status: row.status,
    attempts: row.attempts,
    createdAt: row.created_at,
    sentAt: row.sent_at,
    lastError: row.last_error,
  };
}

/** The latest messages (demo outbox page; authorisation is the caller's service). */
export async function listRecentMessages(db: Db, limit = 50): Promise<StoredMail[]> {
  return (await listRecentMail(db, limit)).map(toStored);
}

/** A line of the outbox page: the message itself only when `withContent` (demonstration mode). */
export interface OutboxEntry {
  to: string;
  kind: string;
  kindLabel: string;
  status: StoredMail['status'];
  attempts: number;
  createdAt: Date;
  sentAt: Date | null;
  content: { subject: string; text: string } | null;
}

/** The latest messages for the outbox page (authorisation and audit are the caller's service). */
export async function listOutboxEntries(
  db: Db,
  input: { limit: number; withContent: boolean },
): Promise<OutboxEntry[]> {
  return (await listRecentMail(db, input.limit)).map((row) => ({
    to: row.to_address,
    kind: row.kind,
    kindLabel: mailKindLabel(row.kind),
    status: row.status,
    attempts: row.attempts,
    createdAt: row.created_at,
    sentAt: row.sent_at,
    content: input.withContent ? { subject: row.subject, text: row.text_body } : null,
  }));
}

export async function getMessage(db: Db, id: string): Promise<StoredMail | null> {
  const row = await findMail(db, id);
  return row ? toStored(row) : null;
}

/**
 * Sent messages are kept `days` days (RETENTION_SENT_MAIL_DAYS, 30 by default: they hold links and
 * addresses), then deleted; so are messages given up as failed, counted from their creation.
 */
export async function purgeSentMail(db: Db, now: Date = new Date(), days = 30): Promise<number> {
  return deleteSentMailBefore(db, new Date(now.getTime() - days * 24 * 3_600_000));
}

/** How many messages wait in the outbox (the operations' metrics, docs/decisions/0046). */
export async function countUndeliveredMail(db: Db): Promise<number> {
  return countPendingMail(db);
}
