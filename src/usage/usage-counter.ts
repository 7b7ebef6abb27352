import { franceDay, USAGE_KINDS, type UsageKind } from './usage.ts';

/**
 * The in-memory counter of one app server: `countUsage` is called on the hot path of public pages, so it
 * only adds one to a number of the current day (which day it is in France is recomputed at most once a
 * second). The runner takes the counts once a minute and adds them to the database (usage.service.ts).
 * Nothing about the visitor is kept. `USAGE_COUNTERS=off` turns counting off (the search bench compares
 * both).
 */
let counting = true;
/** Counts of days already over, or given back after a failed write: 'day|kind' → count. */
let pending = new Map<string, number>();
const KIND_INDEX = new Map<UsageKind, number>(USAGE_KINDS.map((k, i) => [k, i]));
/** The current day's counts, by kind index, and the instants between which that day was checked. */
const today = { day: '', from: 0, until: 0, counts: new Array<number>(USAGE_KINDS.length).fill(0) };

function foldToday(): void {
  today.counts.forEach((count, i) => {
    if (count === 0) return;
    const key = `${today.day}|${USAGE_KINDS[i]}`;
    pending.set(key, (pending.get(key) ?? 0) + count);
  });
  today.counts.fill(0);
}

function checkDay(nowMs: number): void {
  const day = franceDay(new Date(nowMs));
  if (day !== today.day) {
    foldToday();
    today.day = day;
  }
  today.from = nowMs;
  today.until = nowMs + 1000;
}

/** Counts one use of a kind, today (in France). */
export function countUsage(kind: UsageKind, nowMs = Date.now()): void {
  if (!counting) return;
  if (nowMs >= today.until || nowMs < today.from) checkDay(nowMs);
  const index = KIND_INDEX.get(kind) as number;
  today.counts[index] = (today.counts[index] as number) + 1;
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
  foldToday();
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
