import { createHash, randomBytes } from 'node:crypto';
import { addDays, frenchDate, parseDateInput } from '../places/place-dates.ts';
import { cleanLine } from '../shared/text.ts';

/**
 * API tokens of a structure (decision 0040), the pure part: the secret's form, its hash, the checks of
 * the creation form, a token's state. The secret is `mlg_` and 32 random bytes in base64url (43
 * characters); only its SHA-256 is stored, and its first characters as a prefix to recognise it.
 */

export const TOKEN_PREFIX = 'mlg_';
const TOKEN_PATTERN = /^mlg_[A-Za-z0-9_-]{43}$/;
/** The characters of the secret shown in the list (`mlg_` and 8 more). */
const SHOWN = TOKEN_PREFIX.length + 8;
export const NAME_MAX = 100;
/** The scopes a token may hold; one today (read the structure's activity records). */
export const SCOPES = ['activites:lecture'] as const;
export type Scope = (typeof SCOPES)[number];
export const SCOPE_LABELS: Record<Scope, string> = {
  'activites:lecture': 'Lire les activités de la structure',
};

export type TokenState = 'active' | 'expired' | 'revoked';
export const STATE_LABELS: Record<TokenState, string> = {
  active: 'Actif',
  expired: 'Expiré',
  revoked: 'Révoqué',
};

/** A new secret, its hash and its prefix. */
export function newSecret(): { secret: string; hash: string; prefix: string } {
  const secret = `${TOKEN_PREFIX}${randomBytes(32).toString('base64url')}`;
  return { secret, hash: hashSecret(secret), prefix: secret.slice(0, SHOWN) };
}

/** The stored form of a secret: SHA-256, hex (enough for 256 random bits; decision 0040). */
export function hashSecret(secret: string): string {
  return createHash('sha256').update(secret).digest('hex');
}

export type BearerParse =
  | { kind: 'none' }
  | { kind: 'malformed'; message: string }
  | { kind: 'token'; secret: string };

export const API_MESSAGES = {
  windowIsFixed:
    'Sans jeton, les chiffres du réseau portent toujours sur les douze derniers mois complets : du, au et page[after] demandent le jeton d’une structure.',
  malformedHeader:
    "L'en-tête Authorization n'est pas compris. Écrivez « Authorization: Bearer » suivi du jeton créé sur la page « Jetons d'API » de la structure.",
  malformedToken:
    "Ce jeton n'a pas la forme d'un jeton Maillage (mlg_ suivi de 43 caractères). Vérifiez qu'il a été copié en entier.",
  unknownToken: "Ce jeton n'existe pas. Vérifiez qu'il a été copié en entier, ou créez-en un nouveau.",
  revokedToken: 'Ce jeton a été révoqué. Créez-en un nouveau sur la page « Jetons d’API » de la structure.',
  expiredToken: 'Ce jeton a expiré. Créez-en un nouveau sur la page « Jetons d’API » de la structure.',
  wrongScope: 'Ce jeton ne permet pas de lire les activités (portée « activites:lecture » manquante).',
  tooMany: 'Trop de requêtes en une minute. Attendez une minute avant de recommencer.',
} as const;

/**
 * What an Authorization header says: nothing, something that is not a Maillage bearer token, or a
 * token of the right form (its existence is the service's question).
 */
export function parseBearer(header: string | undefined): BearerParse {
  if (header === undefined || header.trim() === '') return { kind: 'none' };
  const m = /^Bearer[ ]+(\S+)[ ]*$/i.exec(header.trim());
  if (!m) return { kind: 'malformed', message: API_MESSAGES.malformedHeader };
  const secret = m[1] as string;
  if (!TOKEN_PATTERN.test(secret)) return { kind: 'malformed', message: API_MESSAGES.malformedToken };
  return { kind: 'token', secret };
}

export function tokenState(t: { revoked_at: Date | null; expires_at: Date }, now: Date): TokenState {
  if (t.revoked_at) return 'revoked';
  return t.expires_at.getTime() <= now.getTime() ? 'expired' : 'active';
}

export interface TokenFormValues {
  name: string;
  expiresOn: string;
}

/** The latest expiry a token may get: the same day a year later (29 February → 28 February). */
export function latestExpiry(today: string): string {
  const [y, m, d] = today.split('-').map(Number) as [number, number, number];
  const next = new Date(Date.UTC(y + 1, m - 1, d));
  if (next.getUTCMonth() !== m - 1) return addDays(`${y + 1}-${String(m).padStart(2, '0')}-01`, 27);
  return next.toISOString().slice(0, 10);
}

/** The default expiry offered by the form: in 90 days. */
/** A token in service already bears the name (a reloaded page sends the form again). */
export const nameTaken = (name: string) =>
  `Nom du jeton : un jeton en service s'appelle déjà « ${name} ». Choisissez un autre nom, ou révoquez l'autre jeton.`;

export const defaultExpiry = (today: string) => addDays(today, 90);

/**
 * The creation form checked whole: a name (1 to 100 characters) and an expiry day, after today and at
 * most a year ahead. French messages under each field's name.
 */
export function checkTokenForm(
  values: Partial<TokenFormValues>,
  today: string,
): { ok: true; name: string; expiresOn: string } | { ok: false; errors: Record<string, string> } {
  const errors: Record<string, string> = {};
  const name = cleanLine(values.name ?? '');
  if (name === '') errors.name = 'Nom du jeton : écrivez un nom, par exemple « Tableau de bord ».';
  else if ([...name].length > NAME_MAX)
    errors.name = `Nom du jeton : ${NAME_MAX} caractères au plus (il en a ${[...name].length}).`;
  const typed = cleanLine(values.expiresOn ?? '');
  const day = typed === '' ? null : parseDateInput(typed);
  const latest = latestExpiry(today);
  if (typed === '') errors.expiresOn = "Date d'expiration : choisissez une date, au plus dans un an.";
  else if (day === null)
    errors.expiresOn = `Date d'expiration : « ${typed.slice(0, 40)} » n'est pas une date. Écrivez par exemple ${frenchDate(defaultExpiry(today))}.`;
  else if (day <= today)
    errors.expiresOn = `Date d'expiration : choisissez une date après aujourd'hui (${frenchDate(today)}).`;
  else if (day > latest)
    errors.expiresOn = `Date d'expiration : au plus un an, donc le ${frenchDate(latest)} au plus tard.`;
  if (Object.keys(errors).length > 0 || day === null) return { ok: false, errors };
  return { ok: true, name, expiresOn: day };
}

/** The end of a day in Paris (23:59:59), as an instant: a token expiring on a day works all that day. */
export function endOfParisDay(day: string): Date {
  // Paris is UTC+1 or UTC+2: 22:59:59 UTC is 23:59:59 or 00:59:59 the next day in Paris; take the
  // offset of that day at noon.
  const noon = new Date(`${day}T12:00:00Z`);
  const parisNoon = new Intl.DateTimeFormat('en-GB', {
    timeZone: 'Europe/Paris',
    hour: '2-digit',
    hourCycle: 'h23',
  }).format(noon);
  const offsetHours = Number(parisNoon) - 12;
  return new Date(new Date(`${day}T23:59:59Z`).getTime() - offsetHours * 3_600_000);
}
