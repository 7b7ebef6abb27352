import { type Actor, authorize } from '../accounts/policy.ts';
import type { Db } from '../db/database.ts';
import type { HomeBlock } from '../shared/home-block.ts';
import { addUsageCounts, sumUsage } from './usage.repository.ts';
import {
  daysBefore,
  franceDay,
  USAGE_KINDS,
  USAGE_LABELS,
  USAGE_WEEK_DAYS,
  type UsageKind,
} from './usage.ts';
import { restorePendingUsage, takePendingUsage } from './usage-counter.ts';

/**
 * Writes what this server counted since the last call and empties its counter; if the write fails the
 * counts go back into the counter for the next try, so nothing is lost or counted twice. The runner
 * calls it once a minute on every app server, and once more when the server stops.
 */
export async function flushUsage(db: Db, actor: Actor): Promise<number> {
  authorize(actor, 'flushUsage');
  const counts = takePendingUsage();
  try {
    await addUsageCounts(db, counts);
  } catch (error) {
    restorePendingUsage(counts);
    throw error;
  }
  return counts.reduce((sum, c) => sum + c.count, 0);
}

export interface UsageFigures {
  from: string;
  to: string;
  counts: Record<UsageKind, number>;
}

/**
 * The network's figures of use between two days in France (both included), per kind: anonymous counts
 * only, so coordinators and funders may see them.
 */
export async function networkUsage(
  db: Db,
  actor: Actor,
  range: { from: string; to: string },
): Promise<UsageFigures> {
  authorize(actor, 'networkUsage');
  return usageBetween(db, range);
}

/**
 * The same anonymous counts for another domain's figures (a funder's page, decision 0024). Not a
 * policy function: the calling service's own rule has decided (decision 0023).
 */
export async function usageBetween(db: Db, range: { from: string; to: string }): Promise<UsageFigures> {
  const counts = Object.fromEntries(USAGE_KINDS.map((k) => [k, 0])) as Record<UsageKind, number>;
  for (const row of await sumUsage(db, range))
    if ((USAGE_KINDS as readonly string[]).includes(row.kind)) counts[row.kind as UsageKind] = row.total;
  return { ...range, counts };
}

/** The last seven days in France, today included. */
export function lastWeek(now: Date): { from: string; to: string } {
  const to = franceDay(now);
  return { from: daysBefore(to, USAGE_WEEK_DAYS - 1), to };
}

/** The coordinator's block of the week's figures (searches, place pages, diagnostics, orientations). */
export async function homeBlocks(db: Db, actor: Actor, now = new Date()): Promise<HomeBlock[]> {
  if (actor.kind !== 'person' || actor.networkRole !== 'coordinator') return [];
  const week = await networkUsage(db, actor, lastWeek(now));
  return [
    {
      id: 'usage.week',
      audience: 'coordinator',
      kind: 'figures',
      title: 'La semaine du réseau',
      count: week.counts.search,
      summary: `${week.counts.search} ${USAGE_LABELS.search} ces 7 derniers jours (chiffres mis à jour chaque minute, sans aucune donnée personnelle).`,
      href: '/orientations/statistiques',
      linkLabel: 'Voir les statistiques des orientations',
      items: USAGE_KINDS.map((kind) => ({ label: `${week.counts[kind]} ${USAGE_LABELS[kind]}` })),
    },
  ];
}
