import type { Db } from '../db/database.ts';
import { deleteCounter, deleteCountersBefore, hitCounter, readCounters } from './limits.repository.ts';

/**
 * Abuse limits shared by every app server: counters of events per key in fixed windows, kept in the
 * database (the `rate_limit` table), so a limit holds whichever server a request reaches. A ground floor
 * like mail or audit: any domain may use it; the rules (which key, how many, how long) stay with the
 * domain that owns them.
 */
export interface Window {
  /** The window's length. */
  minutes: number;
  now: Date;
}

const startOf = (w: Window) => new Date(w.now.getTime() - w.minutes * 60_000);

/** Counts one event under `key` and returns the count in the current window (this event included). */
export async function countEvent(db: Db, key: string, window: Window): Promise<number> {
  return hitCounter(db, key, window.now, startOf(window));
}

/** The counts of several keys in their current windows, without counting anything (one query). */
export async function readCounts(
  db: Db,
  keys: readonly { key: string; minutes: number }[],
  now: Date,
): Promise<number[]> {
  return readCounters(
    db,
    keys.map((k) => ({ key: k.key, windowStart: startOf({ minutes: k.minutes, now }) })),
  );
}

/** Counts one event and says whether it is still within `max` events per window. */
export async function withinLimit(db: Db, key: string, limit: Window & { max: number }): Promise<boolean> {
  return (await countEvent(db, key, limit)) <= limit.max;
}

/** Forgets the key's count (only the rule that owns the counter may decide to). */
export async function resetCount(db: Db, key: string): Promise<void> {
  await deleteCounter(db, key);
}

/** Deletes counters whose window started before `before` (daily purge). */
export async function purgeOldCounts(db: Db, before: Date): Promise<number> {
  return deleteCountersBefore(db, before);
}
