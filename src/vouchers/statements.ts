import { stringify } from 'csv-stringify/sync';
import { frenchDate, localToday } from '../places/place-dates.ts';
import { inertCell } from '../shared/spreadsheet.ts';
import { euros } from './vouchers.ts';

/**
 * The monthly statements' rules and words (decision 0045): months in Europe/Paris time, who counts as a
 * public body (paid through its régie), every French message, and the CSV for spreadsheets.
 */

/** A month as 'YYYY-MM'. */
export type Month = string;

/** 'YYYY-MM' typed by a person or a script; null when it is not a month. */
export function parseMonth(text: string): Month | null {
  const t = text.trim();
  const m = /^(\d{4})-(\d{2})$/.exec(t);
  if (!m) return null;
  const month = Number(m[2]);
  if (month < 1 || month > 12 || Number(m[1]) < 2000) return null;
  return t;
}

/** The month of a moment, in Europe/Paris time. */
export function monthOf(now: Date): Month {
  return localToday(now).slice(0, 7);
}

export function previousMonth(month: Month): Month {
  const [y, m] = month.split('-').map(Number) as [number, number];
  return m === 1 ? `${y - 1}-12` : `${y}-${String(m - 1).padStart(2, '0')}`;
}

export function nextMonth(month: Month): Month {
  const [y, m] = month.split('-').map(Number) as [number, number];
  return m === 12 ? `${y + 1}-01` : `${y}-${String(m + 1).padStart(2, '0')}`;
}

/** The month's first day, as the database keeps it. */
export const firstDay = (month: Month) => `${month}-01`;

const MONTH_NAMES = [
  'janvier',
  'février',
  'mars',
  'avril',
  'mai',
  'juin',
  'juillet',
  'août',
  'septembre',
  'octobre',
  'novembre',
  'décembre',
];

/** '2026-11' or '2026-11-01' → 'novembre 2026'. */
export function monthLabel(month: string): string {
  const [y, m] = month.split('-').map(Number) as [number, number];
  return `${MONTH_NAMES[m - 1] ?? '?'} ${y}`;
}

/**
 * Typologies of the national schema that are public bodies (a commune, a CCAS, a département…): they are
 * paid through their public accountant, so the statement names their régie rather than bank details.
 */
const PUBLIC_BODIES = new Set([
  'MUNI',
  'CCAS',
  'CIAS',
  'CD',
  'CDAS',
  'DEPT',
  'EPCI',
  'REG',
  'PREF',
  'MDS',
  'MDPH',
  'CAF',
  'CPAM',
  'FT',
  'MSA',
]);
export const isPublicBody = (typologie: readonly string[]) => typologie.some((t) => PUBLIC_BODIES.has(t));

/** The structure's SIRET when its pivot is one (14 digits, not the schema's placeholder), else null. */
export function siretOf(pivot: string | null | undefined): string | null {
  const digits = (pivot ?? '').replace(/\s/g, '');
  return /^\d{14}$/.test(digits) && digits !== '00000000000000' ? digits : null;
}

export const STATEMENT_MESSAGES = {
  monthRequired: 'Indiquez le mois du relevé, par exemple --month 2026-11.',
  monthInvalid: (v: string) =>
    `Le mois « ${v.slice(0, 20)} » n'est pas un mois. Écrivez-le comme 2026-11 (année, tiret, mois).`,
  monthNotFinished: (month: string) =>
    `Le mois de ${monthLabel(month)} n'est pas terminé : ses relevés seront émis le 1er du mois suivant.`,
  monthInFuture: (month: string) =>
    `Le mois de ${monthLabel(month)} est dans le futur : aucun relevé ne peut être émis pour lui.`,
  unknownStatement: "Ce relevé n'existe pas.",
  notPayable: 'Seul le relevé d’un lieu se paie ; le relevé du financeur en fait la somme.',
  nothingOwed: 'Ce relevé est déjà entièrement payé : rien ne reste dû.',
  amountInvalid: (v: string) =>
    `Le montant payé « ${v.slice(0, 40)} » n'est pas un montant positif. Écrivez par exemple 120 ou 120,50.`,
  amountTooHigh: (paid: string, owed: string) =>
    `Le montant payé (${paid}) dépasse ce qui reste dû sur ce relevé (${owed}).`,
  paidOnRequired: 'Indiquez la date du paiement, par exemple 05/12/2026.',
  paidOnInvalid: (v: string) =>
    `La date du paiement « ${v.slice(0, 40)} » n'est pas une date. Écrivez-la comme 05/12/2026.`,
  paidOnFuture: 'La date du paiement est dans le futur : indiquez le jour où le paiement a été fait.',
  paidOnBeforeIssue: (issued: string) =>
    `La date du paiement est avant l'émission du relevé (${issued}) : vérifiez-la.`,
  referenceRequired:
    'Indiquez la référence du paiement (un mandat, un virement), par exemple « MANDAT-2026-118 ».',
  referenceTooLong: 'La référence du paiement doit avoir au plus 100 caractères.',
  referenceReused: (reference: string) =>
    `La référence « ${reference.slice(0, 100)} » a déjà servi à un autre paiement de ce financeur : chaque paiement a sa propre référence.`,
} as const;

export interface StatementLineForCsv {
  code: string;
  recordedAt: Date;
  placeName: string;
  amountCents: number;
  kind: 'redemption' | 'redemption_cancellation' | 'expiry';
}

/** A text a spreadsheet would run as a formula, made inert (the product's one rule, shared/spreadsheet). */
const inert = (value: string | number): string => inertCell(String(value));

/** Cents as a number a French spreadsheet reads: 1050 → "10,50", −1000 → "-10,00" (kept numeric). */
const amountCell = (cents: number) =>
  `${cents < 0 ? '-' : ''}${Math.floor(Math.abs(cents) / 100)},${String(Math.abs(cents) % 100).padStart(2, '0')}`;

/** A moment as a Paris day for the CSV (dd/mm/yyyy). */
export const parisDay = (at: Date) => frenchDate(localToday(at));

/**
 * A statement as CSV for spreadsheets (semicolons, UTF-8 with BOM, CRLF, as every CSV of the product):
 * one line per voucher (code, date, place, amount), then the total. No personal data: the codes are
 * anonymous.
 */
export function statementCsv(
  head: { title: string; payee: string; total: number },
  lines: readonly StatementLineForCsv[],
): string {
  const rows: (string | number)[][] = [
    [inert(head.title)],
    [inert(head.payee)],
    ['code', 'date', 'lieu', 'montant (€)', 'nature'],
  ];
  for (const l of lines)
    rows.push([
      inert(l.code),
      parisDay(l.recordedAt),
      inert(l.placeName),
      amountCell(l.amountCents),
      l.kind === 'redemption'
        ? 'encaissement'
        : l.kind === 'expiry'
          ? 'chèque expiré (avoir)'
          : 'annulation d’un encaissement déjà relevé',
    ]);
  rows.push(['total', '', '', amountCell(head.total), euros(head.total)]);
  // Amount cells stay numeric: inert() would quote a negative one, so they are written as they are.
  return `\uFEFF${stringify(rows, { delimiter: ';', record_delimiter: '\r\n' })}`;
}
