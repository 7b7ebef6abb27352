import { stringify } from 'csv-stringify/sync';
import { type Actor, authorize } from '../accounts/policy.ts';
import type { Db, OrientationState } from '../db/database.ts';
import { countByColumn, countByNeed, medianAnswerMs } from './referrals.repository.ts';
import { nowOf } from './referrals.service.ts';
import { needLabel, STATE_LABELS } from './referrals.ts';
import {
  type PeriodField,
  type PeriodQuery,
  percent,
  readStatisticsPeriod,
  type StatisticsPeriod,
  statisticsSentences,
} from './statistics.ts';

/** Orientation statistics for the coordinator: aggregates only, never one orientation. */

export interface OrientationStatistics {
  period: StatisticsPeriod;
  total: number;
  byNeed: { label: string; n: number }[];
  bySender: { label: string; n: number }[];
  byReceiver: { label: string; n: number }[];
  byState: { state: OrientationState; label: string; n: number }[];
  /** Half of the orientations answered were answered in less than this. */
  medianAnswerMs: number | null;
  answered: number;
  /** Closed without any answer (expired). */
  neverAnswered: number;
  /** Still waiting for an answer. */
  waiting: number;
}

export type StatisticsResult =
  | { ok: true; stats: OrientationStatistics }
  | { ok: false; errors: Partial<Record<PeriodField, string>> };

/**
 * Counts of the orientations sent in a calendar year or between chosen dates (the current year when
 * none is asked): by need, sender, receiver and state, the median time to answer among those answered,
 * and how many never had an answer. A bad period is a French message naming its field.
 */
export async function orientationStatistics(
  db: Db,
  actor: Actor,
  input: PeriodQuery,
  opts: { now?: Date } = {},
): Promise<StatisticsResult> {
  authorize(actor, 'orientationStatistics');
  return computeStatistics(db, input, opts);
}

async function computeStatistics(
  db: Db,
  input: PeriodQuery,
  opts: { now?: Date },
): Promise<StatisticsResult> {
  const read = readStatisticsPeriod(input, nowOf(opts));
  if (!read.ok) return read;
  const range = { start: read.period.start, end: read.period.end };
  const [needs, senders, receivers, states, median] = await Promise.all([
    countByNeed(db, range),
    countByColumn(db, 'sender_structure_name', range),
    countByColumn(db, 'place_name', range),
    countByColumn(db, 'state', range),
    medianAnswerMs(db, range),
  ]);
  const inState = (s: OrientationState) => states.find((r) => r.key === s)?.n ?? 0;
  return {
    ok: true,
    stats: {
      period: read.period,
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
      neverAnswered: inState('expired'),
      waiting: inState('sent'),
    },
  };
}

/**
 * The same statistics as a CSV file (semicolons, UTF-8 with a byte order mark, for spreadsheets):
 * one line per figure, with its section, its label, its count and its share of the period's total.
 */
export async function exportOrientationStatistics(
  db: Db,
  actor: Actor,
  input: PeriodQuery,
  opts: { now?: Date } = {},
): Promise<
  { ok: true; csv: string; filename: string } | { ok: false; errors: Partial<Record<PeriodField, string>> }
> {
  authorize(actor, 'exportOrientationStatistics');
  const result = await computeStatistics(db, input, opts);
  if (!result.ok) return result;
  const st = result.stats;
  const sentences = statisticsSentences(st);
  const line = (section: string, label: string, n: number | string, share = '') => [
    section,
    label,
    String(n),
    share,
  ];
  const rows = [
    ['rubrique', 'libellé', 'nombre', 'part'],
    line('période', `${st.period.from} au ${st.period.to}`, st.total, '100 %'),
    line('réponse', 'orientations avec une réponse', st.answered, percent(st.answered, st.total)),
    line(
      'réponse',
      'délai médian de réponse (heures)',
      st.medianAnswerMs === null ? '' : (st.medianAnswerMs / 3_600_000).toFixed(1).replace('.', ','),
    ),
    line(
      'réponse',
      'jamais de réponse (closes sans réponse)',
      st.neverAnswered,
      percent(st.neverAnswered, st.total),
    ),
    line('réponse', 'en attente de réponse', st.waiting, percent(st.waiting, st.total)),
    line('résumé', sentences.answer, ''),
    line('résumé', sentences.never, ''),
    ...st.byState.map((r) => line('situation', r.label, r.n, percent(r.n, st.total))),
    ...st.byNeed.map((r) => line('besoin', r.label, r.n, percent(r.n, st.total))),
    ...st.bySender.map((r) => line('structure qui oriente', r.label, r.n, percent(r.n, st.total))),
    ...st.byReceiver.map((r) => line('lieu qui reçoit', r.label, r.n, percent(r.n, st.total))),
  ];
  return {
    ok: true,
    csv: `\uFEFF${stringify(rows, { delimiter: ';', record_delimiter: '\r\n' })}`,
    filename: `orientations-${st.period.from}-${st.period.to}.csv`,
  };
}
