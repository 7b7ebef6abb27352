import {
  THEME_LABELS,
  type Theme,
  WORKSHOP_LEVEL_LABELS,
  type WorkshopLevel,
} from '../activities/vocabulary.ts';
import { NEEDS } from '../search/needs.ts';
import { parseEmail } from '../shared/email.ts';
import { normalizePhone } from '../shared/phone.ts';
import { cleanLine, cleanMultiline } from '../shared/text.ts';
import { isIsoDay } from '../shared/working-days.ts';

/**
 * The agenda's workshops, pure (decision 0041): what a workshop, its dates and a registration are, the
 * checks of what a structure or a person types (French messages under each field's name), and Paris
 * wall-clock times. The services (workshops.service.ts, registrations.service.ts) write nothing until
 * these checks pass.
 */

export type FieldErrors = Record<string, string>;
export type Checked<T> = { ok: true; value: T } | { ok: false; errors: FieldErrors };

export const WORKSHOP_STATUS_LABELS = {
  tentative: 'À confirmer',
  confirmed: 'Confirmé',
  cancelled: 'Annulé',
} as const;
export type WorkshopStatus = keyof typeof WORKSHOP_STATUS_LABELS;

export const REGISTRATION_STATE_LABELS = {
  registered: 'Inscrit',
  waiting: 'Liste d’attente',
  cancelled: 'Annulé',
  attended: 'Présent',
  absent: 'Absent',
} as const;
export type RegistrationState = keyof typeof REGISTRATION_STATE_LABELS;

/** States that hold a seat. */
export const SEATED: readonly RegistrationState[] = ['registered', 'attended', 'absent'];

export const LIMITS = {
  title: 150,
  description: 5000,
  audience: 500,
  accessibility: 1000,
  capacity: 10_000,
  priceCents: 1_000_000,
  url: 2000,
  firstName: 60,
  email: 254,
  dates: 100,
  /** The longest date, in hours (a network's day fits). */
  hours: 24,
} as const;

export const MESSAGES = {
  unknownStructure: 'Cette structure n’existe pas.',
  unknownWorkshop: 'Cet atelier n’existe pas ou a été supprimé.',
  unknownDate: 'Cette date d’atelier n’existe pas ou a été supprimée.',
  unknownRegistration: 'Cette inscription n’existe pas ou a été effacée.',
  deadLink: 'Ce lien d’annulation ne marche plus : l’inscription est déjà annulée, ou le lien est faux.',
  titleRequired: 'Donnez un titre à l’atelier.',
  titleTooLong: `Le titre tient en ${LIMITS.title} caractères au plus.`,
  descriptionTooLong: `La description tient en ${LIMITS.description} caractères au plus.`,
  audienceTooLong: `Le public tient en ${LIMITS.audience} caractères au plus.`,
  accessibilityTooLong: `L’accessibilité tient en ${LIMITS.accessibility} caractères au plus.`,
  topicsRequired: 'Choisissez au moins un besoin ou un thème.',
  needUnknown: (v: string) => `« ${v} » n’est pas un besoin de la liste.`,
  themeUnknown: (v: string) => `« ${v} » n’est pas un thème de la liste.`,
  levelUnknown: 'Choisissez le niveau : débutant, intermédiaire, avancé, ou tous niveaux.',
  modeRequired: 'Dites si l’atelier a lieu dans un lieu ou en ligne.',
  placeRequired: 'Choisissez le lieu de l’atelier dans l’annuaire.',
  placeUnknown: 'Ce lieu n’est pas dans l’annuaire.',
  urlRequired: 'Donnez le lien de l’atelier en ligne.',
  urlNotHttp:
    'Le lien doit commencer par http:// ou https:// (par exemple https://visio.exemple.fr/atelier).',
  urlTooLong: `Le lien tient en ${LIMITS.url} caractères au plus.`,
  capacityRequired: 'Donnez le nombre de places.',
  capacityNotNumber: 'Écrivez le nombre de places en chiffres (par exemple 8).',
  capacityTooSmall: 'Il faut au moins 1 place.',
  capacityTooLarge: `Au plus ${LIMITS.capacity} places.`,
  capacityBelowRegistered: (n: number) =>
    `${n} ${n > 1 ? 'personnes sont déjà inscrites' : 'personne est déjà inscrite'} à une date : il faut au moins ${n} places.`,
  priceInvalid: 'Écrivez le prix en euros (par exemple 0, 5 ou 2,50), ou laissez vide si c’est gratuit.',
  statusUnknown: 'Choisissez : à confirmer ou confirmé.',
  datesRequired: 'Ajoutez au moins une date.',
  datesTooMany: `Au plus ${LIMITS.dates} dates.`,
  startInvalid: (row: number) => `Date ${row} : écrivez le début comme 2027-01-12 14:00.`,
  endInvalid: (row: number) => `Date ${row} : écrivez la fin comme 2027-01-12 16:00 ou 16:00.`,
  endBeforeStart: (row: number) => `Date ${row} : la fin doit venir après le début.`,
  tooLong: (row: number) => `Date ${row} : une date dure au plus ${LIMITS.hours} heures.`,
  inThePast: (row: number) => `Date ${row} : ce moment est déjà passé.`,
  sameDate: (row: number) => `Date ${row} : cette date est déjà dans la série.`,
  workshopCancelled: 'Cet atelier est annulé.',
  dateCancelled: 'Cette date est annulée.',
  dateAlreadyCancelled: 'Cette date est déjà annulée.',
  datePast: 'Cette date est passée : on ne peut plus s’y inscrire.',
  datePastChange: 'Cette date est passée : elle ne peut plus changer.',
  lastDate: 'C’est la seule date qui reste : annulez l’atelier plutôt que sa dernière date.',
  firstNameRequired: 'Donnez un prénom.',
  firstNameTooLong: `Le prénom tient en ${LIMITS.firstName} caractères au plus.`,
  contactRequired: 'Donnez un numéro de téléphone ou une adresse e-mail, pour être prévenu.',
  phoneInvalid: 'Ce numéro de téléphone n’est pas valide (par exemple 06 12 34 56 78).',
  emailInvalid: 'Cette adresse e-mail n’est pas valide (par exemple prenom@exemple.fr).',
  duplicatePhone: 'Ce numéro est déjà inscrit à cette date.',
  duplicateEmail: 'Cette adresse e-mail est déjà inscrite à cette date.',
  tooManyFromClient: (max: number) =>
    `Trop d’inscriptions depuis cet appareil (au plus ${max} par heure). Réessayez plus tard ou appelez la structure.`,
  tooManyForContact:
    'Ce contact a déjà servi à s’inscrire à cette date aujourd’hui. Réessayez demain ou appelez la structure.',
  attendanceUnknown: 'Choisissez : présent ou absent.',
  attendanceTooEarly: 'La présence se note à partir du jour de l’atelier.',
  attendanceNotSeated:
    'Seules les personnes inscrites (pas en liste d’attente ni annulées) sont notées présentes ou absentes.',
  alreadyCancelled: 'Cette inscription est déjà annulée.',
  alreadyStarted: 'L’atelier a déjà commencé : l’inscription ne peut plus être annulée.',
} as const;

// ---------------------------------------------------------------------------------------------------
// Paris wall-clock times.
// ---------------------------------------------------------------------------------------------------

export const TIME_ZONE = 'Europe/Paris';
const PARIS = new Intl.DateTimeFormat('en-GB', {
  timeZone: TIME_ZONE,
  hourCycle: 'h23',
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
  hour: '2-digit',
  minute: '2-digit',
  second: '2-digit',
});

function parisParts(instant: Date): number[] {
  const p = Object.fromEntries(PARIS.formatToParts(instant).map((x) => [x.type, x.value]));
  return [p.year, p.month, p.day, p.hour, p.minute, p.second].map(Number);
}

/** Paris's offset from UTC at an instant, in milliseconds (+1 h in winter, +2 h in summer). */
function parisOffset(instant: Date): number {
  const [y, mo, d, h, mi, s] = parisParts(instant) as [number, number, number, number, number, number];
  return Date.UTC(y, mo - 1, d, h, mi, s) - Math.floor(instant.getTime() / 1000) * 1000;
}

/** An instant as Paris wall clock: '2027-01-12T14:00'. */
export function parisLocal(instant: Date): string {
  const [y, mo, d, h, mi] = parisParts(instant) as [number, number, number, number, number];
  const two = (n: number) => String(n).padStart(2, '0');
  return `${y}-${two(mo)}-${two(d)}T${two(h)}:${two(mi)}`;
}

const LOCAL = /^(\d{4}-\d{2}-\d{2})[T ](\d{1,2})[:h](\d{2})$/;

/**
 * A Paris wall-clock time ('2027-01-12T14:00', '2027-01-12 14h00') → the instant; null when it is not
 * one, or falls in the hour skipped when clocks go forward.
 */
export function parisInstant(text: string): Date | null {
  const m = LOCAL.exec(text.trim());
  if (!m || !isIsoDay(m[1] as string)) return null;
  const hour = Number(m[2]);
  const minute = Number(m[3]);
  if (hour > 23 || minute > 59) return null;
  const [y, mo, d] = (m[1] as string).split('-').map(Number) as [number, number, number];
  const wall = Date.UTC(y, mo - 1, d, hour, minute);
  let t = wall - parisOffset(new Date(wall));
  t = wall - parisOffset(new Date(t));
  const instant = new Date(t);
  const two = (n: number) => String(n).padStart(2, '0');
  return parisLocal(instant) === `${m[1]}T${two(hour)}:${two(minute)}` ? instant : null;
}

// ---------------------------------------------------------------------------------------------------
// A workshop.
// ---------------------------------------------------------------------------------------------------

/** What a structure types (form strings; arrays for the choices). */
export interface WorkshopInput {
  title?: string;
  description?: string;
  needs?: readonly string[];
  themes?: readonly string[];
  /** 'debutant' | 'intermediaire' | 'avance'; '' for every level. */
  level?: string;
  /** 'place' or 'online'. */
  mode?: string;
  placeId?: string;
  onlineUrl?: string;
  audience?: string;
  accessibility?: string;
  capacity?: string | number;
  /** Euros as people write them ('', '0', '5', '2,50 €'); empty is free. */
  price?: string;
  /** 'tentative' or 'confirmed' (cancelling is its own action). */
  status?: string;
}

export interface WorkshopFields {
  title: string;
  description: string;
  needs: string[];
  themes: Theme[];
  level: WorkshopLevel | null;
  mode: 'place' | 'online';
  placeId: string | null;
  onlineUrl: string | null;
  audience: string;
  accessibility: string;
  capacity: number;
  priceCents: number;
  status: 'tentative' | 'confirmed';
}

/** An http(s) link, or a message. */
export function checkUrl(text: string): { url: string } | { error: string } {
  const url = text.trim();
  if (url === '') return { error: MESSAGES.urlRequired };
  if (url.length > LIMITS.url) return { error: MESSAGES.urlTooLong };
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return { error: MESSAGES.urlNotHttp };
  }
  if ((parsed.protocol !== 'http:' && parsed.protocol !== 'https:') || !/^https?:\/\//i.test(url))
    return { error: MESSAGES.urlNotHttp };
  if (parsed.username || parsed.password || parsed.hostname === '') return { error: MESSAGES.urlNotHttp };
  return { url: parsed.href };
}

/** Euros as people write them → cents; '' is free; null when it is not a price. */
export function parsePrice(text: string | undefined): number | null {
  const t = String(text ?? '')
    .replace(/€|euros?/gi, '')
    .replace(/\s/g, '');
  if (t === '' || /^gratuit$/i.test(t)) return 0;
  const m = /^(\d{1,5})(?:[.,](\d{1,2}))?$/.exec(t);
  if (!m) return null;
  const cents = Number(m[1]) * 100 + Number((m[2] ?? '0').padEnd(2, '0'));
  return cents <= LIMITS.priceCents ? cents : null;
}

export function parseCapacity(value: string | number | undefined): number | string {
  const t = String(value ?? '').trim();
  if (t === '') return MESSAGES.capacityRequired;
  if (!/^-?\d+$/.test(t)) return MESSAGES.capacityNotNumber;
  const n = Number(t);
  if (n < 1) return MESSAGES.capacityTooSmall;
  if (n > LIMITS.capacity) return MESSAGES.capacityTooLarge;
  return n;
}

const isTheme = (v: string): v is Theme => Object.hasOwn(THEME_LABELS, v);
const isLevel = (v: string): v is WorkshopLevel => Object.hasOwn(WORKSHOP_LEVEL_LABELS, v);

/** Checks a workshop whole: every field's problem at once, under its name. */
export function checkWorkshop(input: WorkshopInput): Checked<WorkshopFields> {
  const errors: FieldErrors = {};
  const title = cleanLine(String(input.title ?? ''));
  if (title === '') errors.title = MESSAGES.titleRequired;
  else if ([...title].length > LIMITS.title) errors.title = MESSAGES.titleTooLong;
  const description = cleanMultiline(String(input.description ?? ''));
  if ([...description].length > LIMITS.description) errors.description = MESSAGES.descriptionTooLong;
  const list = (v: readonly string[] | undefined) => (Array.isArray(v) ? v : v === undefined ? [] : [v]);
  const needs = [
    ...new Set(
      list(input.needs)
        .map((n) => cleanLine(String(n)))
        .filter((n) => n !== ''),
    ),
  ];
  const unknownNeed = needs.find((n) => !NEEDS.some((x) => x.slug === n));
  if (unknownNeed !== undefined) errors.needs = MESSAGES.needUnknown(unknownNeed.slice(0, 40));
  const themes = [
    ...new Set(
      list(input.themes)
        .map((n) => cleanLine(String(n)))
        .filter((n) => n !== ''),
    ),
  ];
  const unknownTheme = themes.find((t) => !isTheme(t));
  if (unknownTheme !== undefined) errors.themes = MESSAGES.themeUnknown(unknownTheme.slice(0, 40));
  if (needs.length + themes.length === 0) errors.needs = MESSAGES.topicsRequired;
  const levelText = String(input.level ?? '').trim();
  const level = levelText === '' || levelText === 'tous' ? null : isLevel(levelText) ? levelText : undefined;
  if (level === undefined) errors.level = MESSAGES.levelUnknown;
  const mode = input.mode === 'place' || input.mode === 'online' ? input.mode : null;
  let placeId: string | null = null;
  let onlineUrl: string | null = null;
  if (mode === null) errors.mode = MESSAGES.modeRequired;
  else if (mode === 'place') {
    placeId =
      String(input.placeId ?? '')
        .trim()
        .toLowerCase() || null;
    if (placeId === null) errors.placeId = MESSAGES.placeRequired;
  } else {
    const url = checkUrl(String(input.onlineUrl ?? ''));
    if ('error' in url) errors.onlineUrl = url.error;
    else onlineUrl = url.url;
  }
  const audience = cleanLine(String(input.audience ?? ''));
  if ([...audience].length > LIMITS.audience) errors.audience = MESSAGES.audienceTooLong;
  const accessibility = cleanMultiline(String(input.accessibility ?? ''));
  if ([...accessibility].length > LIMITS.accessibility) errors.accessibility = MESSAGES.accessibilityTooLong;
  const capacity = parseCapacity(input.capacity);
  if (typeof capacity === 'string') errors.capacity = capacity;
  const priceCents = parsePrice(input.price);
  if (priceCents === null) errors.price = MESSAGES.priceInvalid;
  const statusText = String(input.status ?? '').trim() || 'confirmed';
  const status = statusText === 'tentative' || statusText === 'confirmed' ? statusText : null;
  if (status === null) errors.status = MESSAGES.statusUnknown;
  if (Object.keys(errors).length) return { ok: false, errors };
  return {
    ok: true,
    value: {
      title,
      description,
      needs,
      themes: themes as Theme[],
      level: level as WorkshopLevel | null,
      mode: mode as 'place' | 'online',
      placeId,
      onlineUrl,
      audience,
      accessibility,
      capacity: capacity as number,
      priceCents: priceCents as number,
      status: status as 'tentative' | 'confirmed',
    },
  };
}

// ---------------------------------------------------------------------------------------------------
// Dates.
// ---------------------------------------------------------------------------------------------------

/** One date as typed: Paris wall clock; the end may be a time only (the same day). */
export interface DateInput {
  startsAt?: string;
  endsAt?: string;
  /** Its number on the form, when empty rows were left out: the messages name this one. */
  row?: number;
}

export interface DateFields {
  startsAt: Date;
  endsAt: Date;
  /** The row the date came from (for messages after sorting). */
  row?: number;
}

/** The end: a full time, or 'HH:MM' on the start's day. */
function endOf(start: string, end: string): Date | null {
  const t = end.trim();
  if (/^\d{1,2}[:h]\d{2}$/.test(t)) {
    const day = /^(\d{4}-\d{2}-\d{2})/.exec(start.trim())?.[1];
    return day ? parisInstant(`${day}T${t}`) : null;
  }
  return parisInstant(t);
}

/**
 * Checks dates (rows numbered from 1 in the messages, under `dates`): at least one, each a real Paris
 * time, its end after its start, at most 24 hours, not past, no start twice.
 */
export function checkDates(
  input: readonly DateInput[] | undefined,
  now: Date,
  opts: { field?: string; endField?: string; rowOffset?: number } = {},
): Checked<DateFields[]> {
  const field = opts.field ?? 'dates';
  // Where a wrong end is shown: the end's own field when the form has one per date (moving a date).
  const endField = opts.endField ?? field;
  const offset = opts.rowOffset ?? 0;
  const rows = Array.isArray(input) ? input : [];
  if (rows.length === 0) return { ok: false, errors: { [field]: MESSAGES.datesRequired } };
  if (rows.length > LIMITS.dates) return { ok: false, errors: { [field]: MESSAGES.datesTooMany } };
  const out: DateFields[] = [];
  const seen = new Set<number>();
  for (const [i, d] of rows.entries()) {
    const row = d?.row ?? i + 1 + offset;
    const startText = String(d?.startsAt ?? '');
    const start = parisInstant(startText);
    if (!start) return { ok: false, errors: { [field]: MESSAGES.startInvalid(row) } };
    const end = endOf(startText, String(d?.endsAt ?? ''));
    if (!end) return { ok: false, errors: { [endField]: MESSAGES.endInvalid(row) } };
    if (end <= start) return { ok: false, errors: { [endField]: MESSAGES.endBeforeStart(row) } };
    if (end.getTime() - start.getTime() > LIMITS.hours * 3_600_000)
      return { ok: false, errors: { [endField]: MESSAGES.tooLong(row) } };
    if (start <= now) return { ok: false, errors: { [field]: MESSAGES.inThePast(row) } };
    if (seen.has(start.getTime())) return { ok: false, errors: { [field]: MESSAGES.sameDate(row) } };
    seen.add(start.getTime());
    out.push({ startsAt: start, endsAt: end, row });
  }
  return { ok: true, value: out.sort((a, b) => a.startsAt.getTime() - b.startsAt.getTime()) };
}

// ---------------------------------------------------------------------------------------------------
// A registration.
// ---------------------------------------------------------------------------------------------------

export interface RegistrationInput {
  firstName?: string;
  phone?: string;
  email?: string;
}

export interface RegistrationFields {
  firstName: string;
  /** +33… */
  phone: string | null;
  /** Trimmed, lowercased (the key of the duplicates' rule). */
  email: string | null;
}

/**
 * Checks a registration: a first name, and a phone number or an e-mail address (both may be given);
 * `contactOptional` when a mediator registers someone who has neither.
 */
export function checkRegistration(
  input: RegistrationInput,
  opts: { contactOptional: boolean },
): Checked<RegistrationFields> {
  const errors: FieldErrors = {};
  const firstName = cleanLine(String(input.firstName ?? ''));
  if (firstName === '') errors.firstName = MESSAGES.firstNameRequired;
  else if ([...firstName].length > LIMITS.firstName) errors.firstName = MESSAGES.firstNameTooLong;
  const phoneText = String(input.phone ?? '').trim();
  const emailText = String(input.email ?? '').trim();
  const phone = phoneText === '' ? null : normalizePhone(phoneText);
  if (phoneText !== '' && phone === null) errors.phone = MESSAGES.phoneInvalid;
  const parsed = emailText === '' || emailText.length > LIMITS.email ? null : parseEmail(emailText);
  if (emailText !== '' && parsed === null) errors.email = MESSAGES.emailInvalid;
  if (phoneText === '' && emailText === '' && !opts.contactOptional) errors.phone = MESSAGES.contactRequired;
  if (Object.keys(errors).length) return { ok: false, errors };
  return { ok: true, value: { firstName, phone, email: parsed === null ? null : parsed.toLowerCase() } };
}

/** "2 décembre 2026 à 14 h 00" (Paris). */
export function dateWords(instant: Date): string {
  const day = new Intl.DateTimeFormat('fr-FR', {
    timeZone: TIME_ZONE,
    weekday: 'long',
    day: 'numeric',
    month: 'long',
    year: 'numeric',
  }).format(instant);
  const [, , , h, mi] = parisParts(instant);
  return `${day} à ${h} h ${String(mi).padStart(2, '0')}`;
}

export const priceWords = (cents: number) =>
  cents === 0 ? 'Gratuit' : `${(cents / 100).toFixed(2).replace('.', ',').replace(',00', '')} €`;
