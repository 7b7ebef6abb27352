/**
 * Private professional contacts, pure: the input rules and the French words of the page. No database,
 * no HTTP.
 */
export const ACCEPTS_ORIENTATIONS = ['yes', 'no', 'unknown'] as const;
export type AcceptsOrientations = (typeof ACCEPTS_ORIENTATIONS)[number];

export const ACCEPTS_LABELS: Record<AcceptsOrientations, string> = {
  yes: 'Oui, le lieu accepte les orientations',
  no: "Non, le lieu n'accepte pas d'orientation pour le moment",
  unknown: 'Ne sait pas',
};

export const PHONE_MAX = 30;
export const EMAIL_MAX = 254;
export const INSTRUCTIONS_MAX = 1000;

export type ContactField = 'directPhone' | 'referralEmail' | 'acceptsOrientations' | 'instructions';

export interface ContactInput {
  directPhone: string | null;
  referralEmail: string | null;
  acceptsOrientations: AcceptsOrientations;
  instructions: string | null;
}

/** What was typed, kept as is to show the form again. */
export interface ContactForm {
  directPhone: string;
  referralEmail: string;
  acceptsOrientations: string;
  instructions: string;
}

export type ContactIssues = Partial<Record<ContactField, string>>;

const clip = (value: string, max = 40) => (value.length > max ? `${value.slice(0, max)}…` : value);
const EMAIL = /^[^\s@<>()[\]\\,;:"]+@[^\s@<>()[\]\\,;:"]+\.[^\s@<>()[\]\\,;:"]{2,}$/u;
// Digits, spaces, dots, dashes, brackets, a leading +: "02 38 00 00 00", "+33 2 38 00 00 00".
const PHONE = /^\+?[\d\s.()-]{6,}$/;

/**
 * Checks a contact form. Every problem names the field and what was typed; empty fields are allowed
 * (a place may give only a phone, or only an email).
 */
export function checkContactForm(
  form: ContactForm,
): { ok: true; value: ContactInput } | { ok: false; issues: ContactIssues } {
  const issues: ContactIssues = {};
  const phone = form.directPhone.normalize('NFC').trim().replace(/\s+/g, ' ');
  const email = form.referralEmail.normalize('NFC').trim().toLowerCase();
  const instructions = form.instructions.normalize('NFC').replace(/\r\n?/g, '\n').trim();
  if (phone.length > PHONE_MAX)
    issues.directPhone = `La ligne directe est trop longue (${phone.length} caractères) : ${PHONE_MAX} au plus.`;
  else if (phone !== '' && (!PHONE.test(phone) || phone.replace(/\D/g, '').length < 6))
    issues.directPhone = `La ligne directe « ${clip(phone)} » n'est pas un numéro de téléphone. Exemple : 02 38 00 00 00.`;
  if (email.length > EMAIL_MAX)
    issues.referralEmail = `L'adresse e-mail pour les orientations est trop longue (${email.length} caractères) : ${EMAIL_MAX} au plus.`;
  else if (email !== '' && !EMAIL.test(email))
    issues.referralEmail = `L'adresse e-mail pour les orientations « ${clip(email)} » n'est pas valide. Elle doit ressembler à accueil@exemple.fr.`;
  if (!(ACCEPTS_ORIENTATIONS as readonly string[]).includes(form.acceptsOrientations))
    issues.acceptsOrientations = 'Choisissez si le lieu accepte les orientations : oui, non ou ne sait pas.';
  if (instructions.length > INSTRUCTIONS_MAX)
    issues.instructions = `Le texte « Comment orienter une personne » est trop long (${instructions.length} caractères) : ${INSTRUCTIONS_MAX} au plus.`;
  if (Object.keys(issues).length > 0) return { ok: false, issues };
  return {
    ok: true,
    value: {
      directPhone: phone === '' ? null : phone,
      referralEmail: email === '' ? null : email,
      acceptsOrientations: form.acceptsOrientations as AcceptsOrientations,
      instructions: instructions === '' ? null : instructions,
    },
  };
}
