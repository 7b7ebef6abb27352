import { formatDuration, parisDay, parseDay } from './referrals.ts';

/**
 * The period of the orientation statistics, the pure part: a calendar year, or chosen dates (days in
 * France, both included). Its bounds are instants, so that an orientation sent at 23:30 in Paris on
 * 31 December counts in that year.
 */

export interface StatisticsPeriod {
  kind: 'year' | 'dates';
  /** First day, 'YYYY-MM-DD'. */
  from: string;
  /** Last day, included, 'YYYY-MM-DD'. */
  to: string;
  /** The first instant of the first day in France, and the first instant after the last day. */
  start: Date;
  end: Date;
}

export interface PeriodQuery {
  annee?: string | undefined;
  du?: string | undefined;
  au?: string | undefined;
}

export type PeriodField = 'annee' | 'du' | 'au';

const MAX_DAYS = 3660;
const DAY_MS = 86_400_000;

/** Midnight in France at the start of a day ('YYYY-MM-DD'), as an instant. */
export function parisMidnight(day: string): Date {
  const utc = Date.parse(`${day}T00:00:00Z`);
  // France is one or two hours ahead of UTC: its midnight is the candidate that starts that day there.
  for (const hours of [1, 2, 0]) {
    const at = new Date(utc - hours * 3_600_000);
    if (parisDay(at) === day && parisDay(new Date(at.getTime() - 1)) !== day) return at;
  }
  return new Date(utc);
}

const nextDay = (day: string): string =>
  new Date(Date.parse(`${day}T00:00:00Z`) + DAY_MS).toISOString().slice(0, 10);

function period(kind: 'year' | 'dates', from: string, to: string): StatisticsPeriod {
  return { kind, from, to, start: parisMidnight(from), end: parisMidnight(nextDay(to)) };
}

/**
 * Reads the period asked for: `annee` (a calendar year), or `du` and `au` (dates, 24/12/2026 or
 * 2026-12-24); nothing means the current year. Each error names its field and the value typed.
 */
export function readStatisticsPeriod(
  q: PeriodQuery,
  now: Date,
): { ok: true; period: StatisticsPeriod } | { ok: false; errors: Partial<Record<PeriodField, string>> } {
  const year = (q.annee ?? '').trim();
  const du = (q.du ?? '').trim();
  const au = (q.au ?? '').trim();
  const today = parisDay(now);
  if (du || au) {
    const errors: Partial<Record<PeriodField, string>> = {};
    const from = du ? parseDay(du) : null;
    const to = au ? parseDay(au) : null;
    if (!du) errors.du = 'Du : donnez le premier jour de la période, par exemple 01/01/2026.';
    else if (!from)
      errors.du = `Du : « ${du.slice(0, 30)} » n’est pas une date. Écrivez-la comme 01/01/2026.`;
    if (!au) errors.au = 'Au : donnez le dernier jour de la période, par exemple 31/03/2026.';
    else if (!to) errors.au = `Au : « ${au.slice(0, 30)} » n’est pas une date. Écrivez-la comme 31/03/2026.`;
    if (from && to && to < from)
      errors.au = 'Au : le dernier jour est avant le premier. Échangez les deux dates.';
    else if (from && to && (Date.parse(to) - Date.parse(from)) / DAY_MS > MAX_DAYS)
      errors.au = 'Au : la période dépasse 10 ans. Choisissez une période plus courte.';
    if (Object.keys(errors).length || !from || !to) return { ok: false, errors };
    return { ok: true, period: period('dates', from, to) };
  }
  if (year === '')
    return { ok: true, period: period('year', `${today.slice(0, 4)}-01-01`, `${today.slice(0, 4)}-12-31`) };
  if (!/^\d{4}$/.test(year) || Number(year) < 2000 || Number(year) > 2100)
    return {
      ok: false,
      errors: {
        annee: `Année : « ${year.slice(0, 20)} » n’est pas une année, par exemple ${today.slice(0, 4)}.`,
      },
    };
  return { ok: true, period: period('year', `${year}-01-01`, `${year}-12-31`) };
}

/** "en 2026", "du 1 janvier 2026 au 31 mars 2026" */
export function describePeriod(p: StatisticsPeriod): string {
  if (p.kind === 'year') return `en ${p.from.slice(0, 4)}`;
  const f = (d: string) =>
    new Intl.DateTimeFormat('fr-FR', { dateStyle: 'long', timeZone: 'UTC' }).format(
      new Date(`${d}T00:00:00Z`),
    );
  return `du ${f(p.from)} au ${f(p.to)}`;
}

/** "37 %" (a share of a total, rounded; "0 %" of nothing). */
export function percent(part: number, total: number): string {
  return `${total === 0 ? 0 : Math.round((100 * part) / total)} %`;
}

/** The sentences that sum the statistics up, the same on the page and in the CSV file. */
export function statisticsSentences(st: {
  medianAnswerMs: number | null;
  answered: number;
  neverAnswered: number;
  waiting: number;
  total: number;
}): { answer: string; never: string } {
  return {
    answer:
      st.medianAnswerMs === null
        ? 'Aucune orientation de la période n’a encore reçu de réponse.'
        : `La moitié des orientations ayant reçu une réponse l’ont eue en moins de ${formatDuration(st.medianAnswerMs)} (${st.answered} orientation${st.answered > 1 ? 's' : ''} avec une réponse).`,
    never: `${percent(st.neverAnswered, st.total)} des orientations n’ont jamais eu de réponse (${st.neverAnswered} sur ${st.total}, closes sans réponse)${st.waiting ? ` ; ${st.waiting} ${st.waiting > 1 ? 'attendent' : 'attend'} encore une réponse` : ''}.`,
  };
}
