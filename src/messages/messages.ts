import { cleanLine, cleanMultiline } from '../shared/text.ts';

/**
 * Messages of the coordination to the network, pure: the form's fields and their checks, the audience
 * in French words, the reason line each person reads, the mail's text. No database, no HTTP.
 */

export const SUBJECT_MAX_LENGTH = 150;
export const BODY_MAX_LENGTH = 10_000;
/** A send reaches at most this many people: beyond, the coordinator narrows the audience. */
export const MAX_RECIPIENTS = 5_000;

/** Who receives the message: the whole network, chosen structures, a kind of structure, a commune. */
export const SCOPES = ['network', 'structures', 'kind', 'commune'] as const;
export type Scope = (typeof SCOPES)[number];
/** Among the structures' members: everyone, or the administrators only. */
export const ROLES = ['all', 'admins'] as const;
export type AudienceRole = (typeof ROLES)[number];

export const SCOPE_LABELS: Record<Scope, string> = {
  network: 'Toutes les structures du réseau',
  structures: 'Des structures choisies dans la liste',
  kind: 'Les structures d’un type',
  commune: 'Les structures qui ont un lieu dans une commune',
};
export const ROLE_LABELS: Record<AudienceRole, string> = {
  all: 'Tous leurs membres',
  admins: 'Seulement leurs administratrices et administrateurs',
};

/** The form as posted (every field a string, the structures a list). */
export interface MessageForm {
  subject: string;
  body: string;
  scope: string;
  role: string;
  structures: string[];
  kind: string;
  commune: string;
}

export const EMPTY_FORM: MessageForm = {
  subject: '',
  body: '',
  scope: 'network',
  role: 'all',
  structures: [],
  kind: '',
  commune: '',
};

/** A message ready to be resolved into recipients: text cleaned, audience well formed. */
export interface MessageDraft {
  subject: string;
  body: string;
  scope: Scope;
  role: AudienceRole;
  /** For `structures` only: ids (lowercase UUIDs), no duplicates. */
  structureIds: string[];
  /** For `kind` only. */
  kind: string | null;
  /** For `commune` only. */
  commune: string | null;
}

export type Errors = Partial<Record<string, string>>;

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const clip = (v: string, max = 40) => (v.length > max ? `${v.slice(0, max)}…` : v);
const n = (x: number) => x.toLocaleString('fr-FR');

export const MESSAGES = {
  subjectRequired: 'Objet : écrivez l’objet du message, par exemple « Réunion du réseau le 12 mars ».',
  subjectTooLong: (len: number) =>
    `Objet : ${SUBJECT_MAX_LENGTH} caractères au plus (il en a ${n(len)}). Raccourcissez-le.`,
  bodyRequired: 'Message : écrivez le texte du message.',
  bodyTooLong: (len: number) =>
    `Message : ${n(BODY_MAX_LENGTH)} caractères au plus (il en a ${n(len)}). Raccourcissez-le.`,
  scopeUnknown: 'Destinataires : choisissez à qui écrire dans la liste.',
  roleUnknown:
    'Parmi leurs membres : choisissez « tous leurs membres » ou « seulement les administrateurs ».',
  structuresRequired: 'Structures : cochez au moins une structure.',
  structureMalformed: (value: string) =>
    `Structures : « ${clip(value)} » n’est pas une structure de la liste. Cochez les structures dans la liste.`,
  structureUnknown: (value: string) =>
    `Structures : la structure « ${clip(value)} » n’existe pas ou plus. Cochez les structures dans la liste.`,
  structureWithoutMember: (name: string, adminsOnly: boolean) =>
    adminsOnly
      ? `Structures : « ${name} » n’a aucune administratrice ni aucun administrateur avec un compte activé. Retirez-la, ou écrivez à tous ses membres.`
      : `Structures : « ${name} » n’a aucun membre avec un compte activé à qui écrire. Retirez-la ou invitez d’abord ses membres.`,
  kindRequired: 'Type de structure : choisissez un type dans la liste.',
  kindUnknown: (value: string) =>
    `Type de structure : « ${clip(value)} » n’est le type d’aucune structure du réseau. Choisissez un type dans la liste.`,
  communeRequired: 'Commune : choisissez une commune dans la liste.',
  communeUnknown: (value: string) =>
    `Commune : « ${clip(value)} » n’est la commune d’aucun lieu des structures. Choisissez une commune dans la liste.`,
  nobody:
    'Destinataires : personne ne recevrait ce message (aucun membre avec un compte activé). Choisissez d’autres destinataires.',
  tooMany: (count: number) =>
    `Destinataires : ce message irait à ${n(count)} personnes. Un envoi va à ${n(MAX_RECIPIENTS)} personnes au plus : choisissez moins de structures, un type ou une commune.`,
  tokenInvalid:
    'Le formulaire d’envoi a expiré. Vérifiez le message et ses destinataires ci-dessous, puis envoyez-le à nouveau.',
  audienceChanged: (before: number, now: number) =>
    before === now
      ? `La liste des destinataires a changé depuis l’aperçu : toujours ${n(now)} personnes, mais pas les mêmes. Vérifiez-la, puis envoyez le message.`
      : `La liste des destinataires a changé depuis l’aperçu : ${n(now)} personnes au lieu de ${n(before)}. Vérifiez-la, puis envoyez le message.`,
  prefillUnknownStructure: (value: string) =>
    `Le lien demandait la structure « ${clip(value)} », qui n’existe pas ou plus. Choisissez les destinataires dans le formulaire.`,
  messageUnknown: 'Ce message n’existe pas.',
} as const;

/** Objects suggested by a link from another page (`?motif=`), never free text from the address. */
export const SUGGESTED_SUBJECTS: Record<string, string> = {
  orientations: 'Des orientations attendent votre réponse sur Maillage',
};

/** Checks the text and the shape of the audience; whether structures, kinds and communes exist is the service's. */
export function parseMessageForm(
  form: MessageForm,
): { ok: true; draft: MessageDraft } | { ok: false; errors: Errors } {
  const errors: Errors = {};
  const subject = cleanLine(form.subject);
  const body = cleanMultiline(form.body);
  const subjectLength = Array.from(subject).length;
  const bodyLength = Array.from(body).length;
  if (subjectLength === 0) errors.subject = MESSAGES.subjectRequired;
  else if (subjectLength > SUBJECT_MAX_LENGTH) errors.subject = MESSAGES.subjectTooLong(subjectLength);
  if (bodyLength === 0) errors.body = MESSAGES.bodyRequired;
  else if (bodyLength > BODY_MAX_LENGTH) errors.body = MESSAGES.bodyTooLong(bodyLength);
  const scope = (SCOPES as readonly string[]).includes(form.scope) ? (form.scope as Scope) : null;
  if (!scope) errors.scope = MESSAGES.scopeUnknown;
  const role = (ROLES as readonly string[]).includes(form.role) ? (form.role as AudienceRole) : null;
  if (!role) errors.role = MESSAGES.roleUnknown;
  const structureIds: string[] = [];
  let kind: string | null = null;
  let commune: string | null = null;
  if (scope === 'structures') {
    for (const raw of form.structures.map((s) => s.trim()).filter(Boolean)) {
      if (!UUID.test(raw)) {
        errors.structures = MESSAGES.structureMalformed(raw);
        break;
      }
      const id = raw.toLowerCase();
      if (!structureIds.includes(id)) structureIds.push(id);
    }
    if (!errors.structures && structureIds.length === 0) errors.structures = MESSAGES.structuresRequired;
  } else if (scope === 'kind') {
    kind = form.kind.trim() || null;
    if (!kind) errors.kind = MESSAGES.kindRequired;
  } else if (scope === 'commune') {
    commune = form.commune.trim() || null;
    if (!commune) errors.commune = MESSAGES.communeRequired;
  }
  if (Object.keys(errors).length > 0 || !scope || !role) return { ok: false, errors };
  return { ok: true, draft: { subject, body, scope, role, structureIds, kind, commune } };
}

/** A list of names in French: « A », « A » et « B », « A », « B » et « C ». */
export function namesList(names: readonly string[]): string {
  const quoted = names.map((x) => `« ${x} »`);
  if (quoted.length <= 1) return quoted.join('');
  return `${quoted.slice(0, -1).join(', ')} et ${quoted.at(-1)}`;
}

/** The audience in words, for the preview, the list of sent messages and the journal. */
export function describeAudience(
  draft: Pick<MessageDraft, 'scope' | 'role'>,
  detail: { structureNames?: string[]; kindLabel?: string; communeName?: string },
): string {
  const who = draft.role === 'admins' ? 'Les administratrices et administrateurs' : 'Les membres';
  switch (draft.scope) {
    case 'network':
      return `${who} de toutes les structures du réseau`;
    case 'structures': {
      const names = detail.structureNames ?? [];
      return names.length === 1
        ? `${who} de la structure ${namesList(names)}`
        : `${who} des structures ${namesList(names)}`;
    }
    case 'kind':
      return `${who} des structures de type « ${detail.kindLabel ?? ''} »`;
    case 'commune':
      return `${who} des structures qui ont un lieu à ${detail.communeName ?? ''}`;
  }
}

/** Why one person receives the message: their role in each structure that brought them in. */
export function reasonLine(
  memberships: readonly { structureName: string; role: 'structure_admin' | 'staff' }[],
  networkName: string,
): string {
  const part = (role: 'structure_admin' | 'staff', words: string) => {
    const names = memberships.filter((m) => m.role === role).map((m) => m.structureName);
    if (names.length === 0) return null;
    return `${words} ${names.length === 1 ? 'de la structure' : 'des structures'} ${namesList(names)}`;
  };
  const parts = [
    part('structure_admin', 'administratrice ou administrateur'),
    part('staff', 'membre'),
  ].filter((p): p is string => p !== null);
  return `Vous recevez ce message car vous êtes ${parts.join(', et ')} dans le réseau « ${networkName} ».`;
}

/** The mail one person receives: greeting, the coordinator's text, who sent it and why they get it. */
export function mailText(input: {
  displayName: string;
  body: string;
  senderName: string;
  networkName: string;
  reason: string;
  replyTo: string | null;
  publicUrl: string;
}): string {
  return [
    `Bonjour ${input.displayName},`,
    '',
    input.body,
    '',
    '—',
    `Message de ${input.senderName}, coordination du réseau « ${input.networkName} », envoyé avec Maillage.`,
    ...(input.replyTo
      ? [`Pour répondre, écrivez à la coordination : ${input.replyTo}`]
      : ['Ne répondez pas à ce message : cette adresse ne reçoit pas de réponse.']),
    input.reason,
    `Vos structures et votre compte : ${input.publicUrl}/espace`,
  ].join('\n');
}
