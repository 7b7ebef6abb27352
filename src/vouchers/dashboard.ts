import { localToday } from '../places/place-dates.ts';
import {
  type PeriodField,
  type PeriodQuery,
  readStatisticsPeriod,
  type StatisticsPeriod,
} from '../referrals/statistics.ts';
import { NEEDS } from '../search/needs.ts';
import { spreadsheetCsv } from '../shared/spreadsheet.ts';
import { nextMonth } from './statements.ts';

/**
 * The pass numérique's dashboards, the pure part (decision 0051): the period (the orientation
 * statistics' own reading — a calendar year or chosen dates — with one more rule: it does not start in
 * the future), the months it covers, the figures' French names, and their CSV. Aggregates only.
 */

export type { PeriodQuery, StatisticsPeriod as DashboardPeriod };
export type DashboardField = PeriodField | 'programme';
export type DashboardErrors = Partial<Record<DashboardField, string>>;

/**
 * Reads the dashboard's period: what the orientation statistics accept (their French messages, each
 * naming its field), and a period starting after today is refused too, naming the year or the first day.
 */
export function readDashboardPeriod(
  q: PeriodQuery,
  now: Date,
): { ok: true; period: StatisticsPeriod } | { ok: false; errors: DashboardErrors } {
  const read = readStatisticsPeriod(q, now);
  if (!read.ok) return read;
  const today = localToday(now);
  if (read.period.from > today)
    return {
      ok: false,
      errors:
        read.period.kind === 'year'
          ? {
              annee: `Année : ${read.period.from.slice(0, 4)} n’a pas commencé. Choisissez ${today.slice(0, 4)} ou une année passée.`,
            }
          : {
              du: 'Du : le premier jour est dans le futur. Choisissez une période qui commence au plus tard aujourd’hui.',
            },
    };
  return read;
}

/** Every month of the period ('YYYY-MM'), in order, so that a month without a fact shows its zeros. */
export function monthsOf(period: { from: string; to: string }): string[] {
  const out: string[] = [];
  const last = period.to.slice(0, 7);
  for (let m = period.from.slice(0, 7); m <= last && out.length < 200; m = nextMonth(m)) out.push(m);
  return out;
}

const SHORT_MONTHS = [
  'janv.',
  'févr.',
  'mars',
  'avr.',
  'mai',
  'juin',
  'juil.',
  'août',
  'sept.',
  'oct.',
  'nov.',
  'déc.',
];

/** '2026-03' → 'mars 26', a column chart's short label; the tables keep the full month. */
export const shortMonth = (month: string) =>
  `${SHORT_MONTHS[Number(month.slice(5, 7)) - 1] ?? month} ${month.slice(2, 4)}`;

/** A need's words, as the redemption form shows them. */
export const needLabel = (slug: string) => NEEDS.find((n) => n.slug === slug)?.label ?? slug;

/** Cents as a number a French spreadsheet reads: 1050 → "10,50", −1000 → "-10,00". */
export const amountCell = (cents: number) =>
  `${cents < 0 ? '-' : ''}${Math.floor(Math.abs(cents) / 100)},${String(Math.abs(cents) % 100).padStart(2, '0')}`;

/** The figures of the funders' and coordinators' dashboard, in their order, with their French names. */
export const PROGRAMME_FIGURES = [
  { key: 'emitted', label: 'Chèques émis', unit: 'chèques' },
  { key: 'paid', label: 'Chèques payés par le financeur', unit: 'chèques' },
  { key: 'allocated', label: 'Chèques confiés aux prescripteurs', unit: 'chèques' },
  { key: 'distributed', label: 'Chèques remis à des personnes', unit: 'chèques' },
  { key: 'started', label: 'Carnets entamés', unit: 'carnets' },
  { key: 'redeemed', label: 'Chèques encaissés', unit: 'chèques' },
  { key: 'expired', label: 'Chèques expirés', unit: 'chèques' },
  { key: 'owedCents', label: 'Dû aux lieux (relevés des mois de la période)', unit: 'euros' },
  { key: 'settledCents', label: 'Réglé aux lieux', unit: 'euros' },
] as const;
export type ProgrammeFigureKey = (typeof PROGRAMME_FIGURES)[number]['key'];

export const BOOKLET_FIGURES = [
  { key: 'received', label: 'Carnets reçus' },
  { key: 'distributed', label: 'Carnets remis' },
  { key: 'started', label: 'Carnets entamés' },
  { key: 'fullyUsed', label: 'Carnets entièrement utilisés' },
] as const;
export type BookletFigureKey = (typeof BOOKLET_FIGURES)[number]['key'];

/** One CSV line of a dashboard: its table, its row, the figure's name and its value. */
export type CsvLine = readonly [section: string, label: string, figure: string, value: string | number];

/**
 * A dashboard's tables as one CSV for French spreadsheets (shared rule: semicolons, BOM, CRLF, inert
 * cells): one line per figure — table, row, figure, value — so that every table of the page is there
 * with the same figures, and a spreadsheet can pivot them.
 */
export function dashboardCsv(title: string, period: StatisticsPeriod, lines: readonly CsvLine[]): string {
  return spreadsheetCsv([
    [title],
    ['période', `${period.from} au ${period.to}`],
    ['tableau', 'ligne', 'chiffre', 'valeur'],
    ...lines.map((l) => [...l]),
  ]);
}
