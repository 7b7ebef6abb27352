import { type Actor, authorize } from '../accounts/policy.ts';
import type { Db, OrientationState } from '../db/database.ts';
import { countByColumn, countByNeed, medianAnswerMs } from './referrals.repository.ts';
import { nowOf } from './referrals.service.ts';
import { addMonths, needLabel, STATE_LABELS } from './referrals.ts';

/** Orientation statistics for the coordinator: aggregates only, never one orientation. */

export interface OrientationStatistics {
  since: Date;
  total: number;
  byNeed: { label: string; n: number }[];
  bySender: { label: string; n: number }[];
  byReceiver: { label: string; n: number }[];
  byState: { state: OrientationState; label: string; n: number }[];
  medianAnswerMs: number | null;
  answered: number;
}

/** Counts of orientations by need, sender, receiver and state, and the median time to answer. */
export async function orientationStatistics(
  db: Db,
  actor: Actor,
  input: { months: number },
  opts: { now?: Date } = {},
): Promise<OrientationStatistics> {
  authorize(actor, 'orientationStatistics');
  const since = addMonths(nowOf(opts), -Math.min(Math.max(Math.round(input.months), 1), 120));
  const [needs, senders, receivers, states, median] = await Promise.all([
    countByNeed(db, since),
    countByColumn(db, 'sender_structure_name', since),
    countByColumn(db, 'place_name', since),
    countByColumn(db, 'state', since),
    medianAnswerMs(db, since),
  ]);
  return {
    since,
    total: states.reduce((a, r) => a + r.n, 0),
    byNeed: needs.map((r) => ({ label: needLabel(r.key), n: r.n })),
    bySender: senders.map((r) => ({ label: r.key, n: r.n })),
    byReceiver: receivers.map((r) => ({ label: r.key, n: r.n })),
    byState: states.map((r) => ({
      state: r.key as OrientationState,
      label: STATE_LABELS[r.key as OrientationState],
      n: r.n,
    })),
    medianAnswerMs: median.median === null ? null : Math.round(median.median),
    answered: median.n,
  };
}
