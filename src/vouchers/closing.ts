import { addDays, frenchDate } from '../places/place-dates.ts';
import { spreadsheetCsv } from '../shared/spreadsheet.ts';
import { lastRecordingDay } from './vouchers.ts';

/**
 * The end of a programme's validity, pure (decision 0050): #APTIC's calendar made automatic. Days are
 * Paris days ('YYYY-MM-DD'); a day starts at 00:00 in Paris, whatever the daylight-saving time.
 */

/** The funder sees where its booklets stand this many days before the end. */
export const CLOSING_NOTICE_DAYS = 30;
/** Prescribers hand out no booklet from this many days before the end (a booklet must have time to be used). */
export const DISTRIBUTION_STOP_DAYS = 15;

export interface ClosingCalendar {
  /** From this day, the funder's programme page shows the closing figures. */
  noticeFrom: string;
  /** From this day, distribution is refused. */
  distributionStop: string;
  /** The last day of help the vouchers pay for (valid_until). */
  end: string;
  /** The last day a place may record a redemption (end + grace). */
  lastRecording: string;
  /** From this day (00:00 in Paris), the vouchers left expire and the credit note is drawn up. */
  expiryDue: string;
}

export function closingCalendar(validUntil: string, graceDays: number): ClosingCalendar {
  const lastRecording = lastRecordingDay(validUntil, graceDays);
  return {
    noticeFrom: addDays(validUntil, -CLOSING_NOTICE_DAYS),
    distributionStop: addDays(validUntil, -DISTRIBUTION_STOP_DAYS),
    end: validUntil,
    lastRecording,
    expiryDue: addDays(lastRecording, 1),
  };
}

export type ClosingPhase = 'open' | 'closing_soon' | 'distribution_closed' | 'grace' | 'expiry_due';

/** Where a programme stands on its calendar on a Paris day (before its expiry is written). */
export function closingPhase(calendar: ClosingCalendar, today: string): ClosingPhase {
  if (today >= calendar.expiryDue) return 'expiry_due';
  if (today > calendar.end) return 'grace';
  if (today >= calendar.distributionStop) return 'distribution_closed';
  if (today >= calendar.noticeFrom) return 'closing_soon';
  return 'open';
}

/** Whether a booklet may still be handed out on a Paris day. */
export function distributionOpen(validUntil: string, today: string): boolean {
  return today < addDays(validUntil, -DISTRIBUTION_STOP_DAYS);
}

export const CLOSING_MESSAGES = {
  distributionClosed: (stop: string, end: string) =>
    `La distribution des carnets de ce programme est close depuis le ${frenchDate(stop)} : les chèques ne valent que jusqu'au ${frenchDate(end)}, et aucun carnet n'est remis dans les ${DISTRIBUTION_STOP_DAYS} derniers jours. Gardez ce carnet : il ne sera pas utilisé.`,
  unknownProgramme: "Ce programme n'existe pas.",
  noticeSubject: (programme: string) => `Pass numérique « ${programme} » : distribution des carnets close`,
  noticeText: (p: {
    programme: string;
    structure: string;
    stop: string;
    end: string;
    lastRecording: string;
    notHandedOut: number;
    url: string;
  }) =>
    [
      'Bonjour,',
      '',
      `La validité des chèques du pass numérique « ${p.programme} » finit le ${frenchDate(p.end)}.`,
      `Depuis le ${frenchDate(p.stop)}, les carnets ne sont plus remis aux personnes.`,
      p.notHandedOut > 0
        ? `${p.notHandedOut} carnet${p.notHandedOut > 1 ? 's' : ''} confié${p.notHandedOut > 1 ? 's' : ''} à ${p.structure} ${p.notHandedOut > 1 ? 'restent' : 'reste'} non remis : gardez-les, leurs chèques expireront sans rien coûter à personne.`
        : `Tous les carnets confiés à ${p.structure} ont été remis.`,
      `Les personnes qui ont déjà un carnet peuvent l'utiliser jusqu'au ${frenchDate(p.end)} ; les lieux enregistrent les chèques jusqu'au ${frenchDate(p.lastRecording)}.`,
      '',
      `Vos carnets : ${p.url}/pass/carnets (connexion demandée).`,
    ].join('\n'),
} as const;

/** What happened to a programme's vouchers at its end, for the reconciliation report. */
export interface Reconciliation {
  emitted: number;
  redeemed: number;
  expired: number;
  /** Of the expired: never handed to a person (in stock or with a prescriber), handed out but unused, in a cancelled booklet. */
  expiredNotDistributed: number;
  expiredDistributed: number;
  expiredCancelled: number;
  /** Of the expired: whose emission the funder had not paid (not in the credit note). */
  expiredUnpaid: number;
  faceValueCents: number;
  emittedCents: number;
  paidByFunderCents: number;
  redeemedCents: number;
  creditNoteCents: number;
  /** Per place: what it redeemed, what its statements owe and what the funder paid. */
  places: {
    placeId: string;
    placeName: string;
    structureName: string;
    redeemed: number;
    redeemedCents: number;
    statementsCents: number;
    settledCents: number;
  }[];
  statementsCents: number;
  settledCents: number;
}

/**
 * The two balances the report shows (and `pass verify` checks): every voucher emitted is redeemed or
 * expired; what the funder paid (whole emissions) is what the places redeemed plus the credit note.
 */
export function reconciliationBalances(r: Reconciliation): { vouchers: boolean; money: boolean } {
  return {
    vouchers: r.emitted === r.redeemed + r.expired,
    money: r.paidByFunderCents === r.redeemedCents + r.creditNoteCents,
  };
}

const cents = (c: number) =>
  `${c < 0 ? '-' : ''}${Math.floor(Math.abs(c) / 100)},${String(Math.abs(c) % 100).padStart(2, '0')}`;

/**
 * The reconciliation report as CSV for French spreadsheets (semicolons, BOM, CRLF): the figures, then one
 * line per place. No personal data: places and structures only.
 */
export function reconciliationCsv(head: { programme: string; funder: string }, r: Reconciliation): string {
  const face = (n: number) => cents(n * r.faceValueCents);
  const rows: (string | number)[][] = [
    [`Clôture du programme ${head.programme}`],
    [`Financeur : ${head.funder}`],
    ['rubrique', 'chèques', 'montant (€)'],
    ['émis', r.emitted, cents(r.emittedCents)],
    ['encaissés par les lieux', r.redeemed, cents(r.redeemedCents)],
    ['expirés', r.expired, face(r.expired)],
    ['dont jamais remis à une personne', r.expiredNotDistributed, face(r.expiredNotDistributed)],
    ['dont remis mais non utilisés', r.expiredDistributed, face(r.expiredDistributed)],
    ['dont carnets annulés', r.expiredCancelled, face(r.expiredCancelled)],
    ['dont lots non payés par le financeur', r.expiredUnpaid, face(r.expiredUnpaid)],
    ['payé par le financeur', '', cents(r.paidByFunderCents)],
    ['avoir (chèques payés et expirés)', r.expired - r.expiredUnpaid, cents(r.creditNoteCents)],
    ['dû aux lieux par les relevés', '', cents(r.statementsCents)],
    ['payé aux lieux', '', cents(r.settledCents)],
    [],
    ['lieu', 'structure', 'chèques encaissés', 'encaissé (€)', 'relevés (€)', 'payé (€)'],
  ];
  for (const p of r.places)
    rows.push([
      p.placeName,
      p.structureName,
      p.redeemed,
      cents(p.redeemedCents),
      cents(p.statementsCents),
      cents(p.settledCents),
    ]);
  rows.push([
    'total',
    '',
    r.redeemed,
    cents(r.redeemedCents),
    cents(r.statementsCents),
    cents(r.settledCents),
  ]);
  return spreadsheetCsv(rows);
}
