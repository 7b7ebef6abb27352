import { z } from 'zod';
import {
  MESSAGES as ACCOUNT_MESSAGES,
  emailSchema,
  STRUCTURE_ROLES,
  type StructureRole,
} from '../accounts/accounts.ts';
import { describeTypology, TYPOLOGY_LABELS } from '../places/places.ts';
import { siretOrRna } from '../shared/pivot.ts';
import { isValidSiret, UNKNOWN_SIRET } from '../shared/siret.ts';
import { cleanLine, cleanMultiline, foldForSearch } from '../shared/text.ts';

/**
 * Structures, pure: the SIRET/RNA "pivot", the kinds of structures, the input schemas of the forms and
 * the French messages of the domain. No database, no HTTP, no process.env.
 */

export const NAME_MAX_LENGTH = 200;
export const PERSON_NAME_MAX_LENGTH = 120;
/** join_request.message is limited to 1000 characters by the database (migration 0006). */
export const MESSAGE_MAX_LENGTH = 1000;
export const SEARCH_MAX_LENGTH = 100;
export const SEARCH_MIN_LENGTH = 2;
export const SEARCH_LIMIT = 20;
/** Join requests: per address and per client (network address), per hour. */
export const JOIN_REQUESTS_PER_EMAIL_PER_HOUR = 3;
export const JOIN_REQUESTS_PER_CLIENT_PER_HOUR = 10;

export const KINDS: readonly string[] = Object.keys(TYPOLOGY_LABELS);

/** Plain words for a kind code (the national schema's typologies); an unknown code is shown as given. */
export function describeKind(code: string): string {
  return describeTypology(code);
}

/** The kinds sorted by their French label, for a select. */
export function kindChoices(): { code: string; label: string }[] {
  return KINDS.map((code) => ({ code, label: describeKind(code) })).sort((a, b) =>
    a.label.localeCompare(b.label, 'fr'),
  );
}

export const ROLE_CHOICES: readonly StructureRole[] = STRUCTURE_ROLES;
export const ROLE_WORDS: Record<StructureRole, string> = {
  structure_admin: 'Administrateur ou administratrice (gère les membres et les demandes)',
  staff: 'Membre (met à jour les lieux, oriente les personnes)',
};
export const ROLE_SHORT: Record<StructureRole, string> = {
  structure_admin: 'administration',
  staff: 'membre',
};

export const MESSAGES = {
  nameRequired: 'Indiquez le nom de la structure, par exemple « Médiathèque de Saran ».',
  nameTooLong: (n: number) =>
    `Le nom de la structure doit avoir au plus ${NAME_MAX_LENGTH} caractères (il en a ${n}).`,
  pivotRequired:
    'Indiquez le SIRET (14 chiffres) ou le numéro RNA (W suivi de 9 chiffres) de la structure, par exemple 21450302100013 ou W452001234.',
  pivotInvalid: (value: string) =>
    `« ${value} » n'est ni un SIRET ni un numéro RNA. Un SIRET a 14 chiffres, par exemple 21450302100013. Un numéro RNA commence par W et a 9 chiffres, par exemple W452001234.`,
  pivotPlaceholder:
    'SIRET ou RNA : ce SIRET ne contient que des zéros, ce qui veut dire « SIRET inconnu ». Indiquez le vrai SIRET de la structure.',
  pivotChecksum: (value: string) =>
    `SIRET ou RNA : le SIRET ${value} contient une erreur (un chiffre faux ou deux chiffres inversés). Recopiez-le depuis un document officiel ou annuaire-entreprises.data.gouv.fr.`,
  pivotTaken: (name: string) => `Une structure a déjà ce SIRET ou ce numéro RNA : « ${name} ».`,
  kindRequired: 'Choisissez le type de structure dans la liste.',
  kindUnknown: "Ce type de structure n'existe pas. Choisissez un type dans la liste.",
  personNameTooLong: `Le nom doit avoir au plus ${PERSON_NAME_MAX_LENGTH} caractères.`,
  personNameRequired: 'Indiquez votre nom, par exemple « Marie Dupont ».',
  roleUnknown: 'Choisissez un rôle : membre, ou administrateur ou administratrice.',
  messageTooLong: (n: number) =>
    `Le message doit avoir au plus ${MESSAGE_MAX_LENGTH.toLocaleString('fr-FR')} caractères (il en a ${n.toLocaleString('fr-FR')}). Raccourcissez-le.`,
  searchTooShort: `Tapez au moins ${SEARCH_MIN_LENGTH} lettres du nom de la structure.`,
  searchTooLong: `Tapez au plus ${SEARCH_MAX_LENGTH} caractères.`,
  lastAdmin:
    "Cette personne est la dernière administratrice ou le dernier administrateur de la structure. Nommez d'abord une autre personne administratrice : une structure doit toujours en avoir au moins une.",
  notMember: "Cette personne n'est pas membre de la structure.",
  alreadyMember: 'Vous êtes déjà membre de cette structure.',
  alreadyRequested: 'Vous avez déjà demandé à rejoindre cette structure. Votre demande attend une réponse.',
  requestDecided: 'Cette demande a déjà reçu une réponse.',
  requestUnknown: "Cette demande n'existe pas.",
  unknownStructure: ACCOUNT_MESSAGES.unknownStructure,
  tooManyRequests:
    "Vous avez envoyé trop de demandes en peu de temps. Pour éviter les abus, attendez une heure avant d'en envoyer une autre, ou appelez le réseau.",
  decisionUnknown: 'Choisissez « Accepter » ou « Refuser ».',
} as const;

/** "21450302100013" → "214 503 021 00013" (SIREN then NIC, as printed on French documents). */
export function formatPivot(pivot: string): string {
  return /^\d{14}$/.test(pivot)
    ? `${pivot.slice(0, 3)} ${pivot.slice(3, 6)} ${pivot.slice(6, 9)} ${pivot.slice(9)}`
    : pivot;
}

const optionalPersonName = z
  .string()
  .transform(cleanLine)
  .pipe(z.string().max(PERSON_NAME_MAX_LENGTH, MESSAGES.personNameTooLong));

const message = z
  .string()
  .transform(cleanMultiline)
  .superRefine((v, ctx) => {
    const n = Array.from(v).length;
    if (n > MESSAGE_MAX_LENGTH) ctx.addIssue({ code: 'custom', message: MESSAGES.messageTooLong(n) });
  })
  .transform((v) => (v === '' ? null : v));

export const structureNameSchema = z
  .string()
  .transform(cleanLine)
  .superRefine((v, ctx) => {
    if (v === '') ctx.addIssue({ code: 'custom', message: MESSAGES.nameRequired });
    else if (Array.from(v).length > NAME_MAX_LENGTH)
      ctx.addIssue({ code: 'custom', message: MESSAGES.nameTooLong(Array.from(v).length) });
  });

export const pivotSchema = z.string().transform((raw, ctx) => {
  const typed = cleanLine(raw);
  if (typed === '') {
    ctx.addIssue({ code: 'custom', message: MESSAGES.pivotRequired });
    return z.NEVER;
  }
  const pivot = siretOrRna(typed);
  if (pivot === null) {
    ctx.addIssue({ code: 'custom', message: MESSAGES.pivotInvalid(typed.slice(0, 40)) });
    return z.NEVER;
  }
  if (pivot === UNKNOWN_SIRET || /^W0+$/.test(pivot)) {
    ctx.addIssue({ code: 'custom', message: MESSAGES.pivotPlaceholder });
    return z.NEVER;
  }
  // Luhn, with La Poste's exception (shared/siret.ts); an RNA number has no check digit.
  if (/^\d{14}$/.test(pivot) && !isValidSiret(pivot)) {
    ctx.addIssue({ code: 'custom', message: MESSAGES.pivotChecksum(formatPivot(pivot)) });
    return z.NEVER;
  }
  return pivot;
});

const kindSchema = z.string().superRefine((v, ctx) => {
  if (v === '') ctx.addIssue({ code: 'custom', message: MESSAGES.kindRequired });
  else if (!KINDS.includes(v)) ctx.addIssue({ code: 'custom', message: MESSAGES.kindUnknown });
});

const roleSchema = z.enum(STRUCTURE_ROLES, { error: MESSAGES.roleUnknown });

/** The coordinator's form: a new structure and its first administrator. */
export const newStructureSchema = z.object({
  name: structureNameSchema,
  pivot: pivotSchema,
  kind: kindSchema,
  adminEmail: emailSchema,
  adminName: optionalPersonName,
});
export type NewStructureInput = z.input<typeof newStructureSchema>;
export type NewStructure = z.output<typeof newStructureSchema>;

/** An administrator's form: invite a member. */
export const invitationSchema = z.object({
  email: emailSchema,
  name: optionalPersonName,
  role: roleSchema,
});
export type InvitationInput = z.input<typeof invitationSchema>;

export const roleChangeSchema = z.object({ role: roleSchema });

/** The public join form (no account): name, address, message. */
export const joinRequestSchema = z.object({
  name: z
    .string()
    .transform(cleanLine)
    .superRefine((v, ctx) => {
      if (v === '') ctx.addIssue({ code: 'custom', message: MESSAGES.personNameRequired });
      else if (Array.from(v).length > PERSON_NAME_MAX_LENGTH)
        ctx.addIssue({ code: 'custom', message: MESSAGES.personNameTooLong });
    }),
  email: emailSchema,
  message,
});
export type JoinRequestInput = z.input<typeof joinRequestSchema>;

/** A signed-in person's join request: only the message. */
export const memberJoinRequestSchema = z.object({ message });

export const decisionSchema = z.object({
  decision: z.enum(['accept', 'refuse'], { error: MESSAGES.decisionUnknown }),
  message,
});

/** Field → first message, for the forms. */
export function fieldErrors(error: z.ZodError): Record<string, string> {
  const out: Record<string, string> = {};
  for (const issue of error.issues) {
    const field = String(issue.path[0] ?? 'form');
    out[field] ??= issue.message;
  }
  return out;
}

export const searchSchema = z
  .string()
  .transform(cleanLine)
  .superRefine((v, ctx) => {
    const n = Array.from(v).length;
    if (n > SEARCH_MAX_LENGTH) ctx.addIssue({ code: 'custom', message: MESSAGES.searchTooLong });
    else if (foldForSearch(v).replace(/ /g, '').length < SEARCH_MIN_LENGTH)
      ctx.addIssue({ code: 'custom', message: MESSAGES.searchTooShort });
  });
