import { parseDateInput } from '../places/place-dates.ts';
import { parseEmail } from '../shared/email.ts';
import { normalizePhone } from '../shared/phone.ts';
import { compactSiren, isValidSiren } from '../shared/siren.ts';
import { spreadsheetCsv } from '../shared/spreadsheet.ts';
import { cleanLine } from '../shared/text.ts';

/**
 * Funder organisations, pure: the forms' rules, the French messages, the period of the figures and the
 * CSV of the figures. No database, no HTTP, no process.env (decision 0024).
 */

export const FUNDER_NAME_MAX_LENGTH = 200;
/** The funder's page counts orientations over this many months, up to today. */
export const FIGURES_MONTHS = 12;

export const MESSAGES = {
  nameRequired: 'Indiquez le nom du financeur, par exemple « Département du Loiret ».',
  nameTooLong: (n: number) =>
    `Le nom du financeur doit avoir au plus ${FUNDER_NAME_MAX_LENGTH} caractères (il en a ${n}).`,
  sirenInvalid: (value: string) =>
    `Le SIREN « ${value} » n'est pas valide. Un SIREN a 9 chiffres, par exemple 214 502 346 : vérifiez chaque chiffre (le dernier sert de contrôle).`,
  sirenTaken: (name: string) => `Un financeur a déjà ce SIREN : « ${name} ».`,
  contactEmailInvalid: (value: string) =>
    `L'adresse e-mail de contact « ${value} » n'est pas valide. Elle doit ressembler à nom@exemple.fr.`,
  contactPhoneInvalid: (value: string) =>
    `Le téléphone de contact « ${value} » n'est pas un numéro français valide, par exemple 02 38 00 00 00.`,
  unknownFunder: "Ce financeur n'existe pas.",
  inviteEmailRequired: 'Indiquez l’adresse e-mail de la personne à inviter, par exemple nom@exemple.fr.',
  inviteEmailInvalid: (value: string) =>
    `L'adresse e-mail « ${value} » n'est pas valide. Elle doit ressembler à nom@exemple.fr.`,
  alreadyMember: 'Cette personne fait déjà partie de ce financeur.',
  notMember: 'Cette personne ne fait pas partie de ce financeur.',
  structureRequired: 'Choisissez la structure financée dans la liste.',
  unknownStructure: "Cette structure n'existe pas. Choisissez une structure dans la liste.",
  startRequired: 'Indiquez la date de début du financement, par exemple 01/01/2026.',
  startInvalid: (value: string) =>
    `La date de début « ${value} » n'est pas une date. Écrivez-la comme 01/01/2026.`,
  endInvalid: (value: string) =>
    `La date de fin « ${value} » n'est pas une date. Écrivez-la comme 31/12/2026.`,
  endRequired: 'Indiquez la date de fin du financement, par exemple 31/12/2026.',
  endBeforeStart: (end: string, start: string) =>
    `La date de fin (${end}) est avant la date de début (${start}). Elle doit être le même jour ou après.`,
  overlap: (structure: string, period: string) =>
    `« ${structure} » est déjà financée par ce financeur ${period}. Terminez d'abord ce financement, ou choisissez d'autres dates.`,
  unknownFunding: "Ce financement n'existe pas.",
  noFunder:
    "Votre compte n'est rattaché à aucun financeur. Demandez à la coordination du réseau de vous inviter.",
} as const;

export type FieldErrors = Record<string, string>;

export interface FunderValues {
  name: string;
  siren: string;
  contactEmail: string;
  contactPhone: string;
}

export interface FunderFields {
  name: string;
  siren: string | null;
  contactEmail: string | null;
  contactPhone: string | null;
}

/** The coordinator's form of a funder: name required, SIREN, e-mail and phone optional but checked. */
export function checkFunder(
  values: FunderValues,
): { ok: true; fields: FunderFields } | { ok: false; errors: FieldErrors } {
  const errors: FieldErrors = {};
  const name = cleanLine(values.name);
  const nameLength = Array.from(name).length;
  if (name === '') errors.name = MESSAGES.nameRequired;
  else if (nameLength > FUNDER_NAME_MAX_LENGTH) errors.name = MESSAGES.nameTooLong(nameLength);
  const sirenTyped = cleanLine(values.siren);
  const siren = sirenTyped === '' ? null : compactSiren(sirenTyped);
  if (siren !== null && !isValidSiren(siren)) errors.siren = MESSAGES.sirenInvalid(sirenTyped.slice(0, 40));
  const emailTyped = cleanLine(values.contactEmail);
  const contactEmail = emailTyped === '' ? null : parseEmail(emailTyped);
  if (emailTyped !== '' && (contactEmail === null || emailTyped.length > 254))
    errors.contactEmail = MESSAGES.contactEmailInvalid(emailTyped.slice(0, 80));
  const phoneTyped = cleanLine(values.contactPhone);
  const contactPhone = phoneTyped === '' ? null : normalizePhone(phoneTyped);
  if (phoneTyped !== '' && contactPhone === null)
    errors.contactPhone = MESSAGES.contactPhoneInvalid(phoneTyped.slice(0, 40));
  if (Object.keys(errors).length > 0) return { ok: false, errors };
  return { ok: true, fields: { name, siren, contactEmail, contactPhone } };
}

export interface FundingValues {
  structureId: string;
  startsOn: string;
  endsOn: string;
}

/**
 * The dates of a funding: a start, and an end on or after it (none: still funded). The structure is
 * checked by the service (it must exist). Dates are typed 'JJ/MM/AAAA' or come from a date field.
 */
export function checkFundingDates(values: {
  startsOn: string;
  endsOn: string;
}): { ok: true; startsOn: string; endsOn: string | null } | { ok: false; errors: FieldErrors } {
  const errors: FieldErrors = {};
  const startTyped = cleanLine(values.startsOn);
  const endTyped = cleanLine(values.endsOn);
  const startsOn = startTyped === '' ? null : parseDateInput(startTyped);
  const endsOn = endTyped === '' ? null : parseDateInput(endTyped);
  if (startTyped === '') errors.startsOn = MESSAGES.startRequired;
  else if (startsOn === null) errors.startsOn = MESSAGES.startInvalid(startTyped.slice(0, 40));
  if (endTyped !== '' && endsOn === null) errors.endsOn = MESSAGES.endInvalid(endTyped.slice(0, 40));
  if (startsOn && endsOn && endsOn < startsOn)
    errors.endsOn = MESSAGES.endBeforeStart(frenchDay(endsOn), frenchDay(startsOn));
  if (Object.keys(errors).length > 0 || startsOn === null) return { ok: false, errors };
  return { ok: true, startsOn, endsOn };
}

/** The longest period of figures, in days (ten years). */
export const PERIOD_MAX_DAYS = 3660;

const dayNumber = (iso: string) => Date.parse(`${iso}T00:00:00Z`) / 86_400_000;

/**
 * The period of the figures: the days chosen (`du`, `au`, both included), or the last FIGURES_MONTHS
 * months up to `today` when neither is given; one alone runs from it to today, or up to it over the
 * default length. Refused, naming the field: a day that is not a date, an end before the start, more
 * than ten years.
 */
export function checkPeriod(
  input: { from?: string | undefined; to?: string | undefined },
  today: string,
): { ok: true; from: string; to: string } | { ok: false; errors: FieldErrors } {
  const fromTyped = cleanLine(input.from ?? '');
  const toTyped = cleanLine(input.to ?? '');
  const errors: FieldErrors = {};
  const from = fromTyped === '' ? null : parseDateInput(fromTyped);
  const to = toTyped === '' ? null : parseDateInput(toTyped);
  if (fromTyped !== '' && from === null)
    errors.du = `La date « ${fromTyped.slice(0, 40)} » du champ « Du » n'est pas une date. Écrivez-la comme 01/01/2026.`;
  if (toTyped !== '' && to === null)
    errors.au = `La date « ${toTyped.slice(0, 40)} » du champ « Au » n'est pas une date. Écrivez-la comme 31/12/2026.`;
  if (Object.keys(errors).length > 0) return { ok: false, errors };
  const end = to ?? (from && from > today ? from : today);
  const start = from ?? defaultStart(end);
  if (end < start)
    return {
      ok: false,
      errors: {
        au: `La fin de la période (${frenchDay(end)}) est avant son début (${frenchDay(start)}). Choisissez une fin le même jour ou après.`,
      },
    };
  if (dayNumber(end) - dayNumber(start) > PERIOD_MAX_DAYS)
    return {
      ok: false,
      errors: { du: 'La période doit durer au plus dix ans. Choisissez un début plus récent.' },
    };
  return { ok: true, from: start, to: end };
}

/** The day after the same day FIGURES_MONTHS months before `to`: FIGURES_MONTHS months, `to` included. */
function defaultStart(to: string): string {
  const [y, m, d] = to.split('-').map(Number) as [number, number, number];
  const back = new Date(Date.UTC(y, m - 1 - FIGURES_MONTHS, d));
  back.setUTCDate(back.getUTCDate() + 1);
  return back.toISOString().slice(0, 10);
}

/** '2026-01-31' → '31/01/2026'. */
export function frenchDay(iso: string): string {
  const [y, m, d] = iso.split('-');
  return `${d}/${m}/${y}`;
}

/** Whether two periods (ends included, null: open) share at least one day. */
export function periodsOverlap(
  a: { startsOn: string; endsOn: string | null },
  b: { startsOn: string; endsOn: string | null },
): boolean {
  return (a.endsOn === null || b.startsOn <= a.endsOn) && (b.endsOn === null || a.startsOn <= b.endsOn);
}

/** Whether a funding runs on that day. */
export function fundedOn(funding: { startsOn: string; endsOn: string | null }, day: string): boolean {
  return funding.startsOn <= day && (funding.endsOn === null || day <= funding.endsOn);
}

/** A period in words: "depuis le 01/01/2026", "du 01/01/2026 au 31/12/2026". */
export function periodText(p: { startsOn: string; endsOn: string | null }): string {
  return p.endsOn === null
    ? `depuis le ${frenchDay(p.startsOn)}`
    : `du ${frenchDay(p.startsOn)} au ${frenchDay(p.endsOn)}`;
}

/** The figures a funder sees: network-wide aggregates, never one person. */
export interface FunderFiguresData {
  /** First and last day counted ('YYYY-MM-DD'). */
  from: string;
  to: string;
  coverage: {
    territory: string;
    radiusKm: number;
    places: number;
    population: number;
    populationBeyond: number;
  } | null;
  orientations: {
    total: number;
    byNeed: { label: string; n: number }[];
    byCommune: { label: string; n: number }[];
  };
  /**
   * Searches of places over the period, from the anonymous usage counters (src/usage/); days before
   * the counters existed count zero. Null when not counted: the page says so, never a made-up figure.
   */
  searches: number | null;
}

/**
 * The figures as a CSV for spreadsheets (semicolons, UTF-8 with BOM): one line per figure, with its
 * section, label and value. Aggregates only: no name, address or identifier of a person.
 */
export function figuresCsv(funderName: string, figures: FunderFiguresData): string {
  const rows: (string | number)[][] = [['rubrique', 'libelle', 'valeur']];
  rows.push(['financeur', 'nom', funderName]);
  rows.push(['periode', 'du', figures.from], ['periode', 'au', figures.to]);
  rows.push(['recherches', 'recherches de lieux', figures.searches ?? 'non disponible']);
  if (figures.coverage) {
    const c = figures.coverage;
    rows.push(
      ['couverture', 'territoire', c.territory],
      ['couverture', 'distance maximale (km)', c.radiusKm],
      ['couverture', 'lieux', c.places],
      ['couverture', 'population', c.population],
      ['couverture', 'population au-delà de la distance', c.populationBeyond],
    );
  } else rows.push(['couverture', 'couverture', 'non disponible']);
  rows.push(['orientations', 'total', figures.orientations.total]);
  for (const r of figures.orientations.byNeed) rows.push(['orientations par besoin', r.label, r.n]);
  for (const r of figures.orientations.byCommune) rows.push(['orientations par commune', r.label, r.n]);
  // Semicolons, BOM and CRLF for French spreadsheets, as every CSV of the product (decision 0004).
  return spreadsheetCsv(rows);
}
