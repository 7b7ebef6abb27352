import { franceDay, type UsageKind } from './usage.ts';

/**
 * The in-memory counter of one app server: `countUsage` is called on the hot path of public pages, so it
 * only adds one to a number in a Map (the day's key is recomputed at most once a second). The runner
 * takes the counts once a minute and adds them to the database (usage.service.ts). Nothing about the
 * visitor is kept. `USAGE_COUNTERS=off` turns counting off (the search bench compares both).
 */
let counting = true;
let pending = new Map<string, number>();
let dayCache = { day: '', until: 0 };

function today(nowMs: number): string {
  if (nowMs >= dayCache.until) dayCache = { day: franceDay(new Date(nowMs)), until: nowMs + 1000 };
  return dayCache.day;
}

/** Counts one use of a kind, today (in France). */
export function countUsage(kind: UsageKind, nowMs = Date.now()): void {
  if (!counting) return;
  const key = `${today(nowMs)}|${kind}`;
  pending.set(key, (pending.get(key) ?? 0) + 1);
}

/** Turns counting on or off for this process (configuration `USAGE_COUNTERS`). */
export function setUsageCounting(on: boolean): void {
  counting = on;
}

export interface PendingUsage {
  day: string;
  kind: UsageKind;
  count: number;
}

/** Takes the counts not yet written, leaving the counter empty. */
export function takePendingUsage(): PendingUsage[] {
  const taken = pending;
  pending = new Map();
  return [...taken].map(([key, count]) => {
    const [day, kind] = key.split('|') as [string, UsageKind];
    return { day, kind, count };
  });
}

/** Gives back counts that could not be written, so that a failed write loses nothing. */
export function restorePendingUsage(counts: readonly PendingUsage[]): void {
  for (const c of counts) {
    const key = `${c.day}|${c.kind}`;
    pending.set(key, (pending.get(key) ?? 0) + c.count);
  }
}
