import { z } from 'zod';
import { emailKey, parseEmail } from '../shared/email.ts';
import { cleanLine } from '../shared/text.ts';
import { COMMON_PASSWORDS } from './common-passwords.ts';

/**
 * Accounts, pure: roles, the password policy, input schemas and the French messages of the domain.
 * No database, no HTTP, no process.env.
 */
export const NETWORK_ROLES = ['coordinator', 'funder', 'volunteer'] as const;
export type NetworkRole = (typeof NETWORK_ROLES)[number];
export const STRUCTURE_ROLES = ['structure_admin', 'staff'] as const;
export type StructureRole = (typeof STRUCTURE_ROLES)[number];

export const ROLE_LABELS: Record<NetworkRole | StructureRole, string> = {
  coordinator: 'coordinateur·rice du réseau',
  funder: 'financeur',
  volunteer: 'bénévole',
  structure_admin: 'administrateur·rice de structure',
  staff: 'membre de structure',
};

export const PASSWORD_MIN_LENGTH = 12;
export const PASSWORD_MAX_LENGTH = 256;
/** How long a password sign-in lock lasts (the limits themselves are in the configuration). */
export const LOCKOUT_MINUTES = 15;
/** Requests of reset or sign-in links per address per hour. */
export const MAX_LINK_REQUESTS_PER_HOUR = 5;
export const RESET_LINK_MINUTES = 60;
export const SIGN_IN_LINK_MINUTES = 15;
export const INVITATION_DAYS = 7;
export const RECOVERY_CODE_COUNT = 10;
/** Wrong second-factor codes (TOTP and recovery together) before the second step is locked… */
export const SECOND_FACTOR_MAX_FAILURES = 10;
/** …for this long… */
export const SECOND_FACTOR_LOCK_MINUTES = 15;
/** …and this many locks within 24 hours block it until the password is reset by e-mailed link. */
export const SECOND_FACTOR_BLOCK_AFTER_LOCKS = 3;

export const MESSAGES = {
  invalidCredentials:
    "L'adresse e-mail ou le mot de passe est incorrect. Vérifiez-les, ou demandez un lien pour changer de mot de passe.",
  locked: `Trop d'essais de connexion pour ce compte. Pour le protéger, la connexion est bloquée pendant ${LOCKOUT_MINUTES} minutes. Réessayez plus tard, ou appelez le réseau.`,
  lockedAddress:
    "Trop d'essais de connexion depuis votre réseau. Pour protéger les comptes, la connexion par mot de passe est bloquée pendant une heure. Vous pouvez demander un lien de connexion par e-mail, ou appeler le réseau.",
  lockedAccount: `Trop d'essais de connexion pour ce compte, depuis plusieurs endroits. Pour le protéger, la connexion par mot de passe est bloquée pendant ${LOCKOUT_MINUTES} minutes. Vous pouvez demander un lien de connexion par e-mail : il marche toujours.`,
  secondFactorLocked: (until: string) =>
    `Trop de codes faux. Pour protéger votre compte, la vérification est bloquée jusqu'à ${until}. Nous vous avons écrit. Si vous n'avez pas fait ces essais, changez votre mot de passe.`,
  secondFactorBlocked:
    'La connexion à ce compte est bloquée, car trop de codes faux ont été saisis. Pour la débloquer, changez votre mot de passe avec le lien « Mot de passe oublié ».',
  tooManyLinks:
    "Vous avez demandé trop de liens pour cette adresse. Attendez une heure avant d'en demander un autre.",
  invalidLink:
    "Ce lien n'est plus valable : il a déjà servi, il a expiré ou il est incomplet. Demandez un nouveau lien.",
  invalidCode:
    'Le code est incorrect ou a déjà servi. Saisissez le code à 6 chiffres affiché maintenant par votre application, ou un code de secours.',
  emailRequired: 'Indiquez votre adresse e-mail, par exemple nom@exemple.fr.',
  emailInvalid: "L'adresse e-mail n'est pas valide. Elle doit ressembler à nom@exemple.fr.",
  passwordRequired: 'Indiquez votre mot de passe.',
  passwordTooShort: `Le mot de passe doit avoir au moins ${PASSWORD_MIN_LENGTH} caractères. Une phrase de plusieurs mots est facile à retenir.`,
  passwordTooLong: `Le mot de passe doit avoir au plus ${PASSWORD_MAX_LENGTH} caractères.`,
  passwordCommon:
    'Ce mot de passe est trop courant : il fait partie des premiers essayés par les pirates. Choisissez-en un autre.',
  passwordIsEmail: 'Le mot de passe ne doit pas être votre adresse e-mail.',
  passwordsDiffer: 'Les deux mots de passe ne sont pas identiques. Saisissez le même mot de passe deux fois.',
  displayNameRequired: 'Indiquez votre nom, tel que les autres membres le verront.',
  emailTaken: 'Un compte existe déjà avec cette adresse e-mail.',
  forbidden: "Vous n'avez pas le droit de faire cette action.",
  unknownStructure: "Cette structure n'existe pas.",
  lastCoordinator:
    "Vous êtes la seule personne qui coordonne le réseau : votre compte ne peut pas être supprimé. Demandez d'abord à la personne qui gère le serveur de créer un autre compte de coordination (commande « accounts create-coordinator »), puis supprimez le vôtre.",
  lastAdministrator: (structures: string) =>
    `Vous êtes la seule personne qui administre ${structures} : votre compte ne peut pas être supprimé. Nommez d'abord une autre personne administratrice sur la page de la structure, ou demandez à la coordination du réseau de le faire. Vous pourrez ensuite supprimer votre compte.`,
} as const;

export const emailSchema = z
  .string({ error: MESSAGES.emailRequired })
  .trim()
  .min(1, MESSAGES.emailRequired)
  .max(254, MESSAGES.emailInvalid)
  .transform((text, ctx) => {
    const email = parseEmail(text);
    if (email === null) {
      ctx.addIssue({ code: 'custom', message: MESSAGES.emailInvalid });
      return z.NEVER;
    }
    return emailKey(email);
  });

export const displayNameSchema = z
  .string({ error: MESSAGES.displayNameRequired })
  .transform(cleanLine)
  .pipe(
    z.string().min(1, MESSAGES.displayNameRequired).max(120, 'Le nom doit avoir au plus 120 caractères.'),
  );

const COMMON = new Set(COMMON_PASSWORDS.map((p) => p.toLowerCase()));

/**
 * The password policy (ANSSI / NIST SP 800-63B): at least 12 characters, no composition rule, refuse
 * the most common passwords and the person's own address. Returns the French message of the first
 * broken rule, or null.
 */
export function checkPasswordPolicy(password: string, email?: string): string | null {
  const length = Array.from(password).length;
  if (length === 0) return MESSAGES.passwordRequired;
  if (length < PASSWORD_MIN_LENGTH) return MESSAGES.passwordTooShort;
  if (length > PASSWORD_MAX_LENGTH) return MESSAGES.passwordTooLong;
  const lowered = password.normalize('NFC').toLowerCase();
  if (COMMON.has(lowered)) return MESSAGES.passwordCommon;
  if (/^(.)\1+$/u.test(lowered)) return MESSAGES.passwordCommon;
  if (email && lowered === emailKey(email)) return MESSAGES.passwordIsEmail;
  return null;
}

/** Tokens of links and cookies: 32 random bytes in base64url (43 characters). */
export const TOKEN_PATTERN = /^[A-Za-z0-9_-]{43}$/;

export function isWellFormedToken(token: string): boolean {
  return TOKEN_PATTERN.test(token);
}

/** Recovery codes are shown as "xxxxx-xxxxx" and compared without case, spaces or hyphens. */
export function normalizeRecoveryCode(code: string): string {
  return code.toLowerCase().replace(/[\s-]/g, '');
}

export function looksLikeTotpCode(code: string): boolean {
  return /^\d{6}$/.test(code.replace(/\s/g, ''));
}
