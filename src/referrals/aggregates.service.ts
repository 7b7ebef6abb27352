import type { Db } from '../db/database.ts';
import { countNeedsBetween, countOrientationsBetween, countPlacesBetween } from './aggregates.repository.ts';
import { needLabel } from './referrals.ts';

/**
 * Network-wide orientation counts over chosen days, for other domains' figures (a funder's page,
 * decision 0024). Aggregates only: never one orientation, never a person. Not a policy function:
 * the calling service's own rule has decided (decision 0023).
 */
export interface OrientationCounts {
  total: number;
  /** By need, in the questionnaire's words; an orientation with two needs counts once in each. */
  byNeed: { label: string; n: number }[];
  /** By receiving place id (null: the place was deleted since). */
  byPlace: { placeId: string | null; n: number }[];
}

/** Orientations sent from `from` to `to` ('YYYY-MM-DD', both included, Paris days), counted. */
export async function orientationCountsBetween(db: Db, from: string, to: string): Promise<OrientationCounts> {
  const [total, needs, places] = await Promise.all([
    countOrientationsBetween(db, from, to),
    countNeedsBetween(db, from, to),
    countPlacesBetween(db, from, to),
  ]);
  return {
    total,
    byNeed: needs.map((r) => ({ label: needLabel(r.key ?? ''), n: r.n })),
    byPlace: places.map((r) => ({ placeId: r.key, n: r.n })),
  };
}
