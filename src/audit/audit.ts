/**
 * The audit log, pure: the filters of the coordinator's page (checked, with French messages naming the
 * field and the value), French words for actions, and the CSV cell guard. No database, no HTTP.
 */
export const AUDIT_PAGE_SIZE = 50;
/** The CSV export stops there (a year of a network's activity is far below). */
export const AUDIT_EXPORT_MAX = 100_000;
const TEXT_MAX = 200;

export interface AuditFilter {
  action: string | null;
  /** Part of the author's email address, or their label (personne, cli, anonyme, système). */
  actor: string | null;
  /** A subject type (place, person…) or a subject's identifier. */
  subject: string | null;
  /** 'YYYY-MM-DD', both included, dates in France (Europe/Paris). */
  from: string | null;
  to: string | null;
}

export type AuditFilterField = keyof AuditFilter;
export type AuditFilterForm = Record<AuditFilterField, string>;
export type AuditFilterIssues = Partial<Record<AuditFilterField, string>>;

export const EMPTY_FILTER: AuditFilter = { action: null, actor: null, subject: null, from: null, to: null };

const FIELD_WORDS: Record<AuditFilterField, string> = {
  action: "L'action",
  actor: "L'auteur",
  subject: 'Le sujet',
  from: 'La date « du »',
  to: 'La date « au »',
};

const clip = (v: string, max = 40) => (v.length > max ? `${v.slice(0, max)}…` : v);

function validDate(text: string): boolean {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(text)) return false;
  const d = new Date(`${text}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === text;
}

/** Reads the filters of the form (query string); problems name the field and what was typed. */
export function checkAuditFilter(
  form: Partial<AuditFilterForm>,
): { ok: true; value: AuditFilter } | { ok: false; issues: AuditFilterIssues } {
  const issues: AuditFilterIssues = {};
  const value: AuditFilter = { ...EMPTY_FILTER };
  for (const field of ['action', 'actor', 'subject'] as const) {
    const text = (form[field] ?? '').normalize('NFC').trim();
    if (text.length > TEXT_MAX)
      issues[field] =
        `${FIELD_WORDS[field]} est trop long (${text.length} caractères) : ${TEXT_MAX} au plus.`;
    else if (text !== '') value[field] = text;
  }
  for (const field of ['from', 'to'] as const) {
    const text = (form[field] ?? '').trim();
    if (text === '') continue;
    if (!validDate(text))
      issues[field] =
        `${FIELD_WORDS[field]} « ${clip(text)} » n'est pas une date. Choisissez une date, par exemple 2026-05-04.`;
    else value[field] = text;
  }
  if (value.from && value.to && value.to < value.from)
    issues.to = `La date « au » (${value.to}) est avant la date « du » (${value.from}). Inversez-les.`;
  if (Object.keys(issues).length > 0) return { ok: false, issues };
  return { ok: true, value };
}

/** The filters as a query string (for page links and the CSV link), empty ones left out. */
export function filterQuery(filter: AuditFilter, extra: Record<string, string> = {}): string {
  const params = new URLSearchParams();
  for (const [k, v] of Object.entries(filter)) if (v) params.set(k, v);
  for (const [k, v] of Object.entries(extra)) params.set(k, v);
  const text = params.toString();
  return text ? `?${text}` : '';
}

export const ACTION_LABELS: Record<string, string> = {
  'sign_in.completed': 'Connexion réussie',
  'sign_in.first_factor': 'Mot de passe accepté, code attendu',
  'sign_in.failed': 'Connexion refusée',
  'sign_in.second_factor_failed': 'Code de double authentification refusé',
  'sign_in.locked': 'Compte bloqué après trop d’essais',
  'sign_out.everywhere': 'Déconnexion partout',
  'password.reset': 'Mot de passe changé par lien',
  'totp.enabled': 'Double authentification activée',
  'role.coordinator_granted': 'Rôle de coordination donné',
  'membership.invited': 'Invitation dans une structure',
  'membership.accepted': 'Invitation acceptée',
  'membership.removed': "Membre retiré d'une structure",
  'membership.role_changed': 'Rôle changé dans une structure',
  'structure.created': 'Structure créée',
  'funder.created': 'Financeur créé',
  'funder.updated': 'Financeur modifié',
  'funder_member.invited': 'Invitation chez un financeur',
  'funder_member.accepted': 'Invitation d’un financeur acceptée',
  'funder_member.removed': 'Personne retirée d’un financeur',
  'funding.recorded': 'Financement enregistré',
  'funding.ended': 'Fin de financement enregistrée',
  'join_request.created': 'Demande pour rejoindre une structure',
  'personal_data.exported': 'Données personnelles téléchargées',
  'account.deleted': 'Compte supprimé',
  'account.deleted_inactive': 'Compte supprimé après une longue inactivité',
  'place.private_contact.updated': 'Contact pour les professionnels modifié',
  'place_change.proposed': "Modification d'un lieu proposée",
  'place_change.withdrawn': "Modification d'un lieu retirée",
  'place.confirmed_up_to_date': 'Lieu confirmé à jour',
  'audit_log.exported': 'Journal exporté',
  'privacy.purged': 'Données personnelles effacées (durées de conservation)',
};

export function actionLabel(action: string): string {
  return ACTION_LABELS[action] ?? action;
}

/**
 * Spreadsheets run a cell that starts with = + - @ as a formula (CSV injection, OWASP): such a text is
 * prefixed with an apostrophe.
 */
export function inertCell(value: string): string {
  return /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
}
