import { createHmac, timingSafeEqual } from 'node:crypto';
import { foldText, NEEDS, type Need, needBySlug } from '../search/needs.ts';
import { parseEmail } from '../shared/email.ts';
import { isUuid } from '../shared/ids.ts';
import { normalizePhone } from '../shared/phone.ts';
import { cleanLine, cleanMultiline } from '../shared/text.ts';

/**
 * Orientations between structures, the pure part: the state machine, the words users
 * read (states, reasons, urgencies, consent text as versioned data), the form's rules, how a place
 * receives an orientation, the signed single-use links and the deadlines. No database, no HTTP.
 */

// --- States ---

export const STATES = [
  'sent',
  'accepted',
  'refused',
  'expired',
  'came',
  'did_not_come',
  'redirected',
] as const;
export type OrientationState = (typeof STATES)[number];
export const FINAL_STATES: ReadonlySet<OrientationState> = new Set([
  'refused',
  'expired',
  'came',
  'did_not_come',
  'redirected',
]);
export const OUTCOMES = ['came', 'did_not_come', 'redirected'] as const;
export type Outcome = (typeof OUTCOMES)[number];

export const REFUSAL_REASONS = [
  'not_offered',
  'full',
  'out_of_area',
  'public',
  'better_elsewhere',
  'other',
] as const;
export type RefusalReason = (typeof REFUSAL_REASONS)[number];

export type OrientationAction =
  | { type: 'accept' }
  | { type: 'refuse'; reason: RefusalReason }
  | { type: 'expire' }
  | { type: 'close'; outcome: Outcome };

export type TransitionResult = { ok: true; to: OrientationState } | { ok: false; message: string };

/**
 * The one state machine: sent → accepted | refused | expired; accepted → came | did_not_come |
 * redirected. Everything else is refused with a French message (final states never move again).
 */
export function transition(from: OrientationState, action: OrientationAction): TransitionResult {
  if (from === 'sent') {
    if (action.type === 'accept') return { ok: true, to: 'accepted' };
    if (action.type === 'refuse') return { ok: true, to: 'refused' };
    if (action.type === 'expire') return { ok: true, to: 'expired' };
    return {
      ok: false,
      message: "Cette orientation n'a pas encore été acceptée : elle ne peut pas être clôturée.",
    };
  }
  if (from === 'accepted') {
    if (action.type === 'close') return { ok: true, to: action.outcome };
    return { ok: false, message: 'Cette orientation a déjà été acceptée.' };
  }
  return { ok: false, message: `Cette orientation est terminée (${STATE_LABELS[from].toLowerCase()}).` };
}

/**
 * What a received box asks for: one state, everything (null), or what is left to do — to answer
 * (sent) and to close (accepted). The received box opens on what is left to do.
 */
export type InboxFilter = OrientationState | 'to_do' | null;
export const TO_DO_STATES: readonly OrientationState[] = ['sent', 'accepted'];

export const STATE_LABELS: Record<OrientationState, string> = {
  sent: 'En attente de réponse',
  accepted: 'Acceptée',
  refused: 'Refusée',
  expired: 'Sans réponse (expirée)',
  came: 'La personne est venue',
  did_not_come: "La personne n'est pas venue",
  redirected: 'Orientée ailleurs',
};

export const REFUSAL_LABELS: Record<RefusalReason, string> = {
  not_offered: 'Nous ne proposons pas ce service',
  full: "Nous n'avons plus de place pour le moment",
  out_of_area: "La personne n'habite pas dans notre secteur",
  public: "Nous n'accueillons pas ce public",
  better_elsewhere: 'Un autre lieu répondra mieux à ce besoin',
  other: 'Autre raison (dites-la dans le message)',
};

export const OUTCOME_LABELS: Record<Outcome, string> = {
  came: 'La personne est venue',
  did_not_come: "La personne n'est pas venue",
  redirected: 'Nous orientons la personne vers un autre lieu',
};

export const URGENCIES = ['normal', 'soon', 'urgent'] as const;
export type Urgency = (typeof URGENCIES)[number];
export const URGENCY_LABELS: Record<Urgency, string> = {
  normal: 'Pas urgent',
  soon: 'Dans la semaine',
  urgent: 'Urgent : dans les 2 jours',
};

export const CONTACT_PREFERENCES = ['phone', 'sms', 'email', 'via_sender', 'self'] as const;
export type ContactPreference = (typeof CONTACT_PREFERENCES)[number];
export const CONTACT_LABELS: Record<ContactPreference, string> = {
  phone: 'Par téléphone',
  sms: 'Par SMS',
  email: 'Par e-mail',
  via_sender: 'En passant par moi (la structure qui oriente)',
  self: "Personne ne l'appelle : la personne viendra d'elle-même",
};

export type Delivery = 'inbox' | 'email' | 'sheet';

/**
 * How a place receives an orientation: its structure has members → their Maillage inbox; otherwise a
 * referral address → a signed link by e-mail; otherwise, or when the place does not accept
 * orientations, only the printed sheet that the person takes there herself.
 */
export function deliveryFor(input: {
  structureHasMembers: boolean;
  referralEmail: string | null;
  acceptsOrientations: 'yes' | 'no' | 'unknown' | null;
}): Delivery {
  if (input.acceptsOrientations === 'no') return 'sheet';
  if (input.structureHasMembers) return 'inbox';
  if (input.referralEmail) return 'email';
  return 'sheet';
}

// --- Consent: text as data, versioned (the version and the text shown are recorded) ---

export interface ConsentTerms {
  placeName: string;
  senderStructure: string;
  months: number;
  unansweredMonths: number;
  withDiagnostic: boolean;
}

export const CONSENT_TEXTS: Readonly<Record<string, (t: ConsentTerms) => string[]>> = Object.freeze({
  '2026-05-v1': (t: ConsentTerms) => [
    `La personne sait que ces informations sont envoyées à « ${t.placeName} » pour qu'il l'accueille : ses besoins, le message, son nom et son moyen de contact s'ils sont remplis${t.withDiagnostic ? ', et le résultat de son diagnostic' : ''}.`,
    `Seules les structures qui l'orientent ou la reçoivent (ici « ${t.senderStructure} » et ce lieu) peuvent les voir.`,
    `Elles sont effacées ${t.months} mois après la fin de l'orientation, ou ${t.unansweredMonths} mois après un refus ou sans réponse.`,
    'La personne peut demander à tout moment de voir ces informations ou de les effacer.',
    'La personne est d’accord.',
  ],
});
export const CONSENT_VERSION = '2026-05-v1';

export function consentText(terms: ConsentTerms, version = CONSENT_VERSION): string[] {
  const text = CONSENT_TEXTS[version];
  if (!text) throw new Error(`unknown consent version ${version}`);
  return text(terms);
}

// --- Needs ---

/** The rule of the public search: a place answers a need by a service, a programme or its kind. */
export function placeOffersNeed(
  place: { services: string[]; dispositifProgrammesNationaux: string[]; typologie: string[] },
  need: Need,
): boolean {
  return (
    need.services.some((s) => place.services.includes(s)) ||
    (need.programmes?.some((p) => place.dispositifProgrammesNationaux.includes(p)) ?? false) ||
    (need.typologies?.some((t) => place.typologie.includes(t)) ?? false)
  );
}

export function needLabel(slug: string): string {
  return needBySlug(slug)?.label ?? slug;
}

export const NEED_SLUGS: readonly string[] = NEEDS.map((n) => n.slug);

// --- Finding the place on the orientation form ---

const QUERY_STOP_WORDS = new Set([
  'a',
  'au',
  'aux',
  'd',
  'de',
  'des',
  'du',
  'en',
  'et',
  'l',
  'la',
  'le',
  'les',
]);

/**
 * The words of a place search: accents and case ignored, in any order; "de", "la"… are dropped unless
 * they are all there is.
 */
export function placeQueryWords(text: string): string[] {
  const words = foldText(text).split(' ').filter(Boolean);
  const kept = words.filter((w) => !QUERY_STOP_WORDS.has(w));
  return (kept.length ? kept : words).slice(0, 12);
}

/**
 * How well a place answers a search, or null when it does not: each word must begin a word of its
 * name, its commune or its postcode ("CCAS Saran", "saran ccas", "mediatheque saran" all find the
 * CCAS or the médiathèque of Saran). The more words found in the name, the better.
 */
export function placeQueryScore(
  words: readonly string[],
  place: { nom: string; commune: string; codePostal: string },
): number | null {
  if (words.length === 0) return null;
  const name = foldText(place.nom).split(' ');
  const where = foldText(`${place.commune} ${place.codePostal}`).split(' ');
  let score = 0;
  for (const w of words) {
    if (name.some((n) => n.startsWith(w))) score += 2;
    else if (where.some((n) => n.startsWith(w))) score += 1;
    else return null;
  }
  return score;
}

// --- The orientation form ---

export const MESSAGE_MAX = 1000;
export type FormField =
  | 'lieu'
  | 'structure'
  | 'besoin'
  | 'message'
  | 'urgence'
  | 'contact'
  | 'nom'
  | 'telephone'
  | 'courriel'
  | 'contact_orienteur'
  | 'consentement'
  | 'form';
export type FormErrors = Partial<Record<FormField, string>>;

/** What was typed, kept as typed to show it again with the errors. */
export interface OrientationFormValues {
  lieu: string;
  structure: string;
  besoin: string[];
  message: string;
  urgence: string;
  contact: string;
  nom: string;
  telephone: string;
  courriel: string;
  contact_orienteur: string;
  consentement: boolean;
  consentement_diagnostic: boolean;
  diagnostic: string;
  suite: string;
}

export interface OrientationInput {
  placeId: string;
  senderStructureId: string;
  needs: string[];
  message: string;
  urgency: Urgency;
  contactPreference: ContactPreference;
  personName: string | null;
  personPhone: string | null;
  personEmail: string | null;
  senderContact: string;
  consent: true;
  attachDiagnostic: boolean;
  diagnosticToken: string | null;
  previousId: string | null;
}

/** Reads the raw form (field → one or several strings) into the values to show again. */
export function readOrientationForm(body: Record<string, string | string[]>): OrientationFormValues {
  const one = (k: string) => {
    const v = body[k];
    return typeof v === 'string' ? v : Array.isArray(v) ? (v[0] ?? '') : '';
  };
  const many = (k: string) => {
    const v = body[k];
    return typeof v === 'string' ? [v] : Array.isArray(v) ? v : [];
  };
  return {
    lieu: one('lieu'),
    structure: one('structure'),
    besoin: many('besoin').slice(0, 50),
    message: one('message'),
    urgence: one('urgence'),
    contact: one('contact'),
    nom: one('nom'),
    telephone: one('telephone'),
    courriel: one('courriel'),
    contact_orienteur: one('contact_orienteur'),
    consentement: one('consentement') === 'oui',
    consentement_diagnostic: one('consentement_diagnostic') === 'oui',
    diagnostic: one('diagnostic'),
    suite: one('suite'),
  };
}

/**
 * Checks an orientation form. Each error names the field and, where it helps, the value typed. The
 * checks that need the place (does it offer these needs?) are the service's.
 */
export function validateOrientationForm(
  v: OrientationFormValues,
): { ok: true; input: OrientationInput } | { ok: false; errors: FormErrors } {
  const errors: FormErrors = {};
  if (!isUuid(v.lieu)) errors.lieu = 'Choisissez le lieu où orienter la personne.';
  if (!isUuid(v.structure)) errors.structure = 'Choisissez la structure qui oriente la personne.';
  const needs = [...new Set(v.besoin.map((b) => b.trim()).filter(Boolean))];
  const unknown = needs.filter((n) => !needBySlug(n));
  if (needs.length === 0) errors.besoin = 'Cochez au moins un besoin de la personne.';
  else if (unknown.length)
    errors.besoin = `Le besoin « ${unknown[0]?.slice(0, 60)} » ne fait pas partie de la liste.`;
  else if (needs.length > 10) errors.besoin = 'Cochez 10 besoins au plus.';
  const message = cleanMultiline(v.message);
  if (message === '')
    errors.message = 'Écrivez un court message pour le lieu : ce que la personne veut faire.';
  else if (message.length > MESSAGE_MAX)
    errors.message = `Le message a ${message.length} caractères : raccourcissez-le à ${MESSAGE_MAX} caractères au plus.`;
  if (!(URGENCIES as readonly string[]).includes(v.urgence)) errors.urgence = "Dites si c'est urgent.";
  const contact = v.contact as ContactPreference;
  if (!(CONTACT_PREFERENCES as readonly string[]).includes(contact))
    errors.contact = 'Dites comment la personne préfère être contactée.';
  const name = cleanLine(v.nom);
  if (name.length > 120) errors.nom = 'Le nom doit avoir 120 caractères au plus.';
  const phoneText = cleanLine(v.telephone);
  const phone = phoneText ? normalizePhone(phoneText) : null;
  if (phoneText && !phone)
    errors.telephone = `Le numéro « ${phoneText.slice(0, 30)} » n'est pas un numéro français à 10 chiffres, par exemple 06 12 34 56 78.`;
  const emailText = cleanLine(v.courriel).toLowerCase();
  const emailOk = emailText !== '' && emailText.length <= 254 && parseEmail(emailText) !== null;
  if (emailText && !emailOk)
    errors.courriel = `L'adresse « ${emailText.slice(0, 60)} » n'est pas une adresse e-mail, par exemple nom@exemple.fr.`;
  if ((contact === 'phone' || contact === 'sms') && !phoneText && !errors.telephone)
    errors.telephone =
      'Donnez le numéro de téléphone de la personne, ou choisissez une autre façon de la contacter.';
  if (contact === 'email' && !emailText && !errors.courriel)
    errors.courriel =
      "Donnez l'adresse e-mail de la personne, ou choisissez une autre façon de la contacter.";
  if ((contact === 'phone' || contact === 'sms' || contact === 'email') && name === '')
    errors.nom = 'Donnez le nom de la personne : le lieu doit savoir qui il contacte.';
  const senderContact = cleanLine(v.contact_orienteur);
  if (senderContact === '')
    errors.contact_orienteur =
      'Dites comment vous joindre (téléphone ou e-mail) : la fiche le montre à la personne.';
  else if (senderContact.length > 200)
    errors.contact_orienteur = 'Votre contact doit avoir 200 caractères au plus.';
  if (!v.consentement)
    errors.consentement = "Cochez la case du consentement : la personne doit être d'accord avant l'envoi.";
  if (v.suite && !isUuid(v.suite)) errors.form = "L'orientation précédente n'existe pas.";
  if (Object.keys(errors).length > 0) return { ok: false, errors };
  // Only what is needed: the phone to call or text her, the address to write to her; nothing else.
  const keepPhone = contact === 'phone' || contact === 'sms';
  return {
    ok: true,
    input: {
      placeId: v.lieu.toLowerCase(),
      senderStructureId: v.structure.toLowerCase(),
      needs,
      message,
      urgency: v.urgence as Urgency,
      contactPreference: contact,
      personName: name || null,
      personPhone: keepPhone ? phone : null,
      personEmail: contact === 'email' ? emailText : null,
      senderContact,
      consent: true,
      attachDiagnostic: v.consentement_diagnostic && v.diagnostic !== '',
      diagnosticToken: v.diagnostic || null,
      previousId: v.suite ? v.suite.toLowerCase() : null,
    },
  };
}

export const MAX_DECISION_MESSAGE = 1000;
export const APPOINTMENT_WITH_MAX = 120;

/** An appointment given with an acceptance: a day, and optionally a time and with whom. */
export interface Appointment {
  /** 'YYYY-MM-DD' */
  date: string;
  /** 'HH:MM', or null */
  time: string | null;
  with: string | null;
}

/** What the receiver typed to answer: the decision, a refusal's reason, a message, an appointment. */
export interface AnswerInput {
  decision: string;
  reason: string;
  message: string;
  rdv_date?: string;
  rdv_heure?: string;
  rdv_avec?: string;
}

const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const FRENCH_DATE = /^(\d{1,2})\/(\d{1,2})\/(\d{4})$/;

/** '2026-12-24' or '24/12/2026' → '2026-12-24' when it is a day of the calendar; otherwise null. */
export function parseDay(text: string): string | null {
  const iso = ISO_DATE.exec(text);
  const fr = iso ? null : FRENCH_DATE.exec(text);
  const [y, m, d] = iso
    ? [Number(iso[1]), Number(iso[2]), Number(iso[3])]
    : fr
      ? [Number(fr[3]), Number(fr[2]), Number(fr[1])]
      : [0, 0, 0];
  if (y < 1900 || y > 2999 || m < 1 || m > 12 || d < 1) return null;
  const day = new Date(Date.UTC(y, m - 1, d));
  if (day.getUTCMonth() !== m - 1 || day.getUTCDate() !== d) return null;
  return `${String(y).padStart(4, '0')}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`;
}

/** The day of an instant in France ('YYYY-MM-DD'): an appointment is for a French day. */
export function parisDay(at: Date): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Paris' }).format(at);
}

/**
 * Checks an appointment typed with an acceptance: every field is optional, but a time or "with whom"
 * needs a day; the day must exist and not be past (`today`, in France); the time is HH:MM (9h30 and
 * 9:30 are read too); "with whom" is 120 characters at most.
 */
export function validateAppointment(
  input: { date: string; time: string; with: string },
  today: string,
): { ok: true; appointment: Appointment | null } | { ok: false; errors: Record<string, string> } {
  const errors: Record<string, string> = {};
  const dateText = cleanLine(input.date);
  const timeText = cleanLine(input.time).toLowerCase().replace(/\s+/g, '');
  const withText = cleanLine(input.with);
  let date: string | null = null;
  if (dateText) {
    date = parseDay(dateText);
    if (!date)
      errors.rdv_date = `Date du rendez-vous : « ${dateText.slice(0, 30)} » n’est pas une date. Écrivez-la comme 24/12/2026.`;
    else if (date < today)
      errors.rdv_date = `Date du rendez-vous : le ${formatIsoDay(date)} est passé. Choisissez aujourd’hui ou un jour à venir.`;
  }
  let time: string | null = null;
  if (timeText) {
    const m = /^(\d{1,2})(?:[:h](\d{2})?)?$/.exec(timeText);
    const h = m ? Number(m[1]) : -1;
    const min = m?.[2] ? Number(m[2]) : 0;
    if (!m || h > 23 || min > 59)
      errors.rdv_heure = `Heure du rendez-vous : « ${timeText.slice(0, 20)} » n’est pas une heure. Écrivez-la comme 14:30.`;
    else time = `${String(h).padStart(2, '0')}:${String(min).padStart(2, '0')}`;
  }
  if (withText.length > APPOINTMENT_WITH_MAX)
    errors.rdv_avec = `Avec qui : ${withText.length} caractères, ${APPOINTMENT_WITH_MAX} au plus.`;
  if (!dateText && (timeText || withText) && !errors.rdv_heure && !errors.rdv_avec)
    errors.rdv_date = 'Date du rendez-vous : donnez le jour, ou laissez l’heure et « avec qui » vides.';
  if (Object.keys(errors).length) return { ok: false, errors };
  return { ok: true, appointment: date ? { date, time, with: withText || null } : null };
}

/**
 * Checks the receiver's answer: accepted (with an optional message and appointment), or refused with a
 * reason from the list. `today` is the day in France, to refuse an appointment in the past.
 */
export function validateAnswer(
  body: AnswerInput,
  today: string,
):
  | { ok: true; action: OrientationAction; message: string | null; appointment: Appointment | null }
  | { ok: false; errors: Record<string, string> } {
  const message = cleanMultiline(body.message);
  const errors: Record<string, string> = {};
  if (message.length > MAX_DECISION_MESSAGE)
    errors.message = `Le message a ${message.length} caractères : raccourcissez-le à ${MAX_DECISION_MESSAGE} caractères au plus.`;
  if (body.decision === 'accept') {
    const checked = validateAppointment(
      { date: body.rdv_date ?? '', time: body.rdv_heure ?? '', with: body.rdv_avec ?? '' },
      today,
    );
    if (!checked.ok) Object.assign(errors, checked.errors);
    if (Object.keys(errors).length || !checked.ok) return { ok: false, errors };
    return {
      ok: true,
      action: { type: 'accept' },
      message: message || null,
      appointment: checked.appointment,
    };
  }
  if (body.decision !== 'refuse') {
    errors.decision = 'Choisissez : accepter ou refuser.';
    return { ok: false, errors };
  }
  const reason = body.reason as RefusalReason;
  if (!(REFUSAL_REASONS as readonly string[]).includes(reason))
    errors.reason = 'Choisissez la raison du refus.';
  else if (reason === 'other' && message === '') errors.message = 'Dites la raison du refus dans le message.';
  if (Object.keys(errors).length) return { ok: false, errors };
  return { ok: true, action: { type: 'refuse', reason }, message: message || null, appointment: null };
}

/** "mardi 24 décembre 2026 à 14 h 30, avec Mme Durand" */
export function describeAppointment(a: Appointment): string {
  const day = new Intl.DateTimeFormat('fr-FR', {
    weekday: 'long',
    day: 'numeric',
    month: 'long',
    year: 'numeric',
    timeZone: 'UTC',
  }).format(new Date(`${a.date}T00:00:00Z`));
  const time = a.time ? ` à ${a.time.replace(':', ' h ')}` : '';
  return `${day}${time}${a.with ? `, avec ${a.with}` : ''}`;
}

function formatIsoDay(iso: string): string {
  return new Intl.DateTimeFormat('fr-FR', { dateStyle: 'long', timeZone: 'UTC' }).format(
    new Date(`${iso}T00:00:00Z`),
  );
}

// --- Deadlines ---

export interface Delays {
  reminderDays: number;
  expiryDays: number;
  /** Personal fields blanked this long after closure… */
  retentionMonths: number;
  /** …or this long after a refusal or an expiry. */
  unansweredMonths: number;
}

const DAY_MS = 86_400_000;
export const addDays = (d: Date, days: number): Date => new Date(d.getTime() + days * DAY_MS);
export function addMonths(d: Date, months: number): Date {
  const out = new Date(d.getTime());
  out.setUTCMonth(out.getUTCMonth() + months);
  return out;
}

export interface Timeline {
  state: OrientationState;
  sentAt: Date;
  answeredAt: Date | null;
  closedAt: Date | null;
  remindedAt: Date | null;
}

/**
 * What is due next for an orientation, so none is ever forgotten: a waiting one is reminded after
 * `reminderDays` and expires after `expiryDays`; an accepted one waits for its closure, and its personal
 * data is blanked `retentionMonths` after acceptance at the latest; a finished one has only its purge.
 */
export function nextDue(o: Timeline, delays: Delays): { kind: 'remind' | 'expire' | 'purge'; at: Date } {
  if (o.state === 'sent') {
    if (!o.remindedAt) return { kind: 'remind', at: addDays(o.sentAt, delays.reminderDays) };
    return { kind: 'expire', at: addDays(o.sentAt, delays.expiryDays) };
  }
  if (o.state === 'accepted')
    return { kind: 'purge', at: addMonths(o.answeredAt ?? o.sentAt, delays.retentionMonths) };
  const end = o.closedAt ?? o.answeredAt ?? o.sentAt;
  const months =
    o.state === 'refused' || o.state === 'expired' ? delays.unansweredMonths : delays.retentionMonths;
  return { kind: 'purge', at: addMonths(end, months) };
}

// --- Signed single-use links ---

export type LinkPurpose = 'answer' | 'close';
export const CLOSE_LINK_DAYS = 90;

/**
 * A link token: `<link id>.<purpose>.<expiry in seconds>.<HMAC-SHA256>` in base64url. The signature
 * (an installation secret) lets a tampered token be refused before any lookup; the database keeps
 * only its SHA-256 and whether it was used.
 */
export function signLinkToken(
  secret: Buffer,
  link: { id: string; purpose: LinkPurpose; expiresAt: Date },
): string {
  const payload = `${link.id}.${link.purpose}.${Math.floor(link.expiresAt.getTime() / 1000)}`;
  const mac = createHmac('sha256', secret).update(payload).digest('base64url');
  return `${payload}.${mac}`;
}

export type LinkCheck =
  | { ok: true; id: string; purpose: LinkPurpose; expiresAt: Date }
  | { ok: false; reason: 'malformed' | 'tampered' };

export function verifyLinkToken(secret: Buffer, token: string): LinkCheck {
  const parts = token.split('.');
  if (parts.length !== 4 || token.length > 200) return { ok: false, reason: 'malformed' };
  const [id, purpose, exp, mac] = parts as [string, string, string, string];
  if (!isUuid(id) || !/^\d{1,12}$/.test(exp) || !/^[A-Za-z0-9_-]{43}$/.test(mac))
    return { ok: false, reason: 'malformed' };
  // Compared as text: base64url has spare bits in its last character, so decoding would accept
  // several spellings of one signature (a changed character must always be refused).
  const expected = Buffer.from(
    createHmac('sha256', secret).update(`${id}.${purpose}.${exp}`).digest('base64url'),
  );
  const given = Buffer.from(mac);
  if (given.length !== expected.length || !timingSafeEqual(given, expected))
    return { ok: false, reason: 'tampered' };
  if (purpose !== 'answer' && purpose !== 'close') return { ok: false, reason: 'tampered' };
  return { ok: true, id, purpose, expiresAt: new Date(Number(exp) * 1000) };
}

// --- Words for the pages and mails ---

export function formatDate(d: Date): string {
  return new Intl.DateTimeFormat('fr-FR', { dateStyle: 'long', timeZone: 'Europe/Paris' }).format(d);
}

export function formatDateTime(d: Date): string {
  return new Intl.DateTimeFormat('fr-FR', {
    dateStyle: 'long',
    timeStyle: 'short',
    timeZone: 'Europe/Paris',
  }).format(d);
}

/** What names an orientation in a mail: its date, its needs, who sends it and where. */
export interface OrientationNaming {
  sentAt: Date;
  needs: readonly string[];
  senderStructure: string;
  placeName: string;
}

/** "orientation du 2 mars 2026 (Démarches CAF), de « CCAS » vers « Médiathèque de Saran »" */
export function orientationTitle(o: OrientationNaming): string {
  return `orientation du ${formatDate(o.sentAt)} (${o.needs.join(', ')}), de « ${o.senderStructure} » vers « ${o.placeName} »`;
}

/**
 * The lines every mail about an orientation starts with: its date, its needs, the structure that
 * sends it, the place that receives it, and the link to it (the page, or the mailed link's key).
 */
export function orientationMailHeader(o: OrientationNaming, url: string): string[] {
  return [
    `Orientation du ${formatDate(o.sentAt)}`,
    `Besoin : ${o.needs.join(', ')}.`,
    `Structure qui oriente : « ${o.senderStructure} ».`,
    `Lieu qui reçoit : « ${o.placeName} ».`,
    `Lien : ${url}`,
  ];
}

/** "2 j 4 h", "5 h", "45 min" (median time to answer). */
export function formatDuration(ms: number): string {
  const minutes = Math.round(ms / 60_000);
  if (minutes < 60) return `${minutes} min`;
  const hours = Math.floor(minutes / 60);
  if (hours < 24) return `${hours} h`;
  const days = Math.floor(hours / 24);
  const rest = hours % 24;
  return rest ? `${days} j ${rest} h` : `${days} j`;
}
