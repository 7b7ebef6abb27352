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

/** The French words a coordinator may type in the subject filter, and the kind each means. */
export const SUBJECT_KINDS: Record<string, string> = {
  lieu: 'place',
  structure: 'structure',
  compte: 'person',
  personne: 'person',
  import: 'place_import',
  orientation: 'orientation',
  parcours: 'parcours',
  questionnaire: 'diagnostic_version',
  journal: 'audit_log',
  message: 'network_message',
};

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
  'sign_in.second_factor_locked': 'Connexion suspendue 15 minutes après trop de codes faux',
  'sign_in.second_factor_blocked': 'Connexion bloquée après trop de codes faux',
  'sign_in.locked': 'Compte bloqué après trop d’essais',
  'sign_out.everywhere': 'Déconnexion partout',
  'password.reset': 'Mot de passe changé par lien',
  'totp.enabled': 'Double authentification activée',
  'role.coordinator_granted': 'Rôle de coordination donné',
  'membership.invited': 'Invitation dans une structure',
  'membership.accepted': 'Invitation acceptée',
  'membership.join_accepted': 'Entrée dans une structure après une demande',
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
  'join_request.accepted': 'Demande pour rejoindre une structure acceptée',
  'join_request.refused': 'Demande pour rejoindre une structure refusée',
  'personal_data.exported': 'Données personnelles téléchargées',
  'account.deleted': 'Compte supprimé',
  'account.deleted_inactive': 'Compte supprimé après une longue inactivité',
  'volunteer.signed_up': 'Inscription comme bénévole (compte créé)',
  'outbox.viewed': 'Messages envoyés consultés',
  'place.private_contact.updated': 'Contact pour les professionnels modifié',
  'place_change.proposed': "Modification d'un lieu proposée",
  'place_change.withdrawn': "Modification d'un lieu retirée",
  'place_change.approved': "Modification d'un lieu validée",
  'place_change.rejected': "Modification d'un lieu refusée",
  'place.confirmed_up_to_date': 'Lieu confirmé à jour',
  'structure.updated': 'Structure modifiée',
  'invitation.withdrawn': 'Invitation retirée',
  'invitation.resent': 'Invitation envoyée à nouveau',
  'place.new_proposed': 'Nouveau lieu proposé par une structure',
  'place.created': 'Nouveau lieu validé et publié',
  'place.new_rejected': 'Nouveau lieu refusé',
  'place.attach_requested': 'Demande de rattachement d’un lieu',
  'place.attached': 'Lieu rattaché à une structure',
  'place.attach_rejected': 'Rattachement d’un lieu refusé',
  'place_import.uploaded': 'Fichier de lieux déposé pour un import (vérifié avant confirmation)',
  'place_import.completed': 'Import de lieux',
  'place_import.dry_run': 'Essai d’import de lieux (rien enregistré)',
  'place_import.undone': 'Import de lieux annulé',
  'place_merge.confirmed': 'Fusion de deux fiches d’un même lieu confirmée',
  'place_merge.separated': 'Fusion de deux fiches séparée : deux lieux distincts',
  'place_merge.refused': 'Fusion proposée refusée : deux lieux distincts',
  'error_report.forwarded': 'Signalement d’erreur transmis à la structure',
  'error_report.done': 'Signalement d’erreur traité',
  'error_report.rejected': 'Signalement d’erreur rejeté',
  'error_report.resolved_by_structure': 'Signalement d’erreur corrigé par la structure',
  'error_report.rejected_by_structure': 'Signalement d’erreur : « pas une erreur » selon la structure',
  'diagnostic.version_uploaded': 'Questionnaire de diagnostic envoyé',
  'diagnostic.version_loaded': 'Questionnaire de diagnostic chargé',
  'diagnostic.version_activated': 'Questionnaire de diagnostic mis en service',
  'orientation.sent': 'Orientation envoyée',
  'orientation.personal_data_viewed': "Données personnelles d'une orientation consultées",
  'orientation.sheet_printed': 'Fiche de liaison imprimée',
  'orientation.personal_data_exported': "Données personnelles d'un parcours téléchargées",
  'orientation.personal_data_erased': "Données personnelles d'un parcours effacées",
  'orientation.personal_data_purged':
    'Données personnelles des orientations effacées (durée de conservation)',
  'audit_log.exported': 'Journal exporté',
  'network_message.sent': 'Message envoyé aux membres du réseau',
  'activity_beneficiary.erased': 'Personne suivie effacée à sa demande',
  'activity.imported': 'Activités importées d’un export de La Coop',
  'activity_beneficiary.purged': 'Personnes suivies effacées (durée de conservation)',
  'privacy.purged': 'Données personnelles effacées (durées de conservation)',
  'api_token.created': 'Jeton d’API créé pour une structure',
  'api_token.revoked': 'Jeton d’API révoqué',
  'api_token.used': 'Jeton d’API utilisé (lecture des activités)',
  'funder_link.created': 'Lien de consultation créé pour un financeur',
  'funder_link.revoked': 'Lien de consultation d’un financeur révoqué',
  'funder_link.opened': 'Statistiques d’un financeur ouvertes par son lien',
  'funder_link.refused': 'Lien de consultation d’un financeur refusé (expiré ou révoqué)',
  'resource.file_replaced': 'Fichier d’une ressource remplacé par une nouvelle version',
  'voucher.programme_created': 'Programme de pass numérique créé',
  'voucher.programme_confirmed': 'Programme de pass numérique confirmé',
  'voucher.place_qualified': 'Lieu habilité à recevoir les pass numériques',
  'voucher.prescriber_added': 'Structure prescriptrice ajoutée au programme',
  'voucher.emitted': 'Pass numériques émis',
  'voucher.payment_recorded': 'Paiement du financeur enregistré pour une émission',
  'voucher.booklets_allocated': 'Carnets de pass attribués à une structure prescriptrice',
  'voucher.booklets_printed': 'Carnets de pass imprimés',
  'voucher.booklet_cancelled': 'Carnet de pass annulé',
  'voucher.redemption_cancelled': 'Encaissement d’un pass annulé',
  'voucher.statements_issued': 'Relevés mensuels des lieux établis',
  'voucher.statement_paid': 'Relevé mensuel marqué payé',
  'voucher.programme_expired': 'Fin de validité : pass restants expirés et avoir établi',
};

/** An action in words; one that has none yet (a newer version wrote it) says so rather than show its code. */
export function actionLabel(action: string): string {
  return ACTION_LABELS[action] ?? 'Autre action';
}

/** Who acted, in words: the person's name (a deleted account says so), or the command line, or a visitor. */
export function authorWords(entry: {
  actorId: string | null;
  actorName: string | null;
  actorLabel: string;
}): string {
  if (entry.actorName) return entry.actorName;
  if (entry.actorId) return 'compte supprimé';
  return AUTHOR_LABELS[entry.actorLabel] ?? entry.actorLabel;
}

const AUTHOR_LABELS: Record<string, string> = {
  cli: 'ligne de commande',
  anonyme: 'visiteur non connecté',
  jeton: 'outil de la structure (jeton d’API)',
  personne: 'une personne',
  système: 'Maillage (tâche automatique)',
  systeme: 'Maillage (tâche automatique)',
};

/**
 * What an entry is about, in words: a place or a structure by its name, a person by their display name,
 * an import by its file; a subject deleted since says so. Never an identifier.
 */
export function subjectWords(entry: {
  subjectType: string | null;
  subjectName: string | null;
  details: Record<string, unknown>;
}): string {
  const name = entry.subjectName;
  const file = typeof entry.details.fileName === 'string' ? entry.details.fileName : null;
  switch (entry.subjectType) {
    case null:
      return '';
    case 'place':
      return name ? `Lieu « ${name} »` : 'Un lieu supprimé depuis';
    case 'structure':
      return name ? `Structure « ${name} »` : 'Une structure supprimée depuis';
    case 'person':
      return name ? `Compte de ${name}` : 'Un compte supprimé depuis';
    case 'place_import':
      return file ? `Import du fichier « ${file} »` : 'Un import de lieux';
    case 'place_import_upload':
      return file ? `Fichier « ${file} » déposé pour un import` : 'Un fichier déposé pour un import';
    case 'orientation':
      return 'Une orientation';
    case 'parcours':
      return "Un parcours d'accompagnement";
    case 'diagnostic_version':
      return 'Le questionnaire de diagnostic';
    case 'audit_log':
      return 'Le journal';
    case 'network_message':
      return 'Un message au réseau';
    case 'funder': {
      const link = typeof entry.details.lien === 'string' ? entry.details.lien : null;
      return link ? `Un financeur, lien ${link}` : 'Un financeur';
    }
    case 'voucher_programme': {
      const programme = name ?? (typeof entry.details.name === 'string' ? entry.details.name : null);
      return programme ? `Programme de pass « ${programme} »` : 'Un programme de pass numérique';
    }
    case 'resource': {
      const title = typeof entry.details.title === 'string' ? entry.details.title : null;
      return title ? `Ressource « ${title} »` : 'Une ressource';
    }
    default:
      return 'Autre sujet';
  }
}

const HOW_WORDS: Record<string, string> = {
  password: 'avec le mot de passe',
  email_link: 'avec un lien reçu par e-mail',
  invitation: 'en acceptant une invitation',
  totp: "avec le code de l'application",
  recovery_code: 'avec un code de secours',
  totp_enrolment: 'en activant la double authentification',
};

const COUNT_WORDS: [string, string][] = [
  ['read', 'lignes lues'],
  ['imported', 'lieux créés'],
  ['updated', 'mis à jour'],
  ['unchanged', 'inchangés'],
  ['merged', 'fusionnés'],
  ['toReview', 'fusions à vérifier'],
  ['rejected', 'lignes refusées'],
  ['restored', 'lieux remis comme avant'],
  ['deleted', 'lieux supprimés'],
];

/**
 * The details of an entry as short French lines, identifiers left out (the CSV keeps them all). Known
 * details get words; others are shown as they were recorded.
 */
export function detailLines(details: Record<string, unknown>): string[] {
  const lines: string[] = [];
  const rest: [string, unknown][] = [];
  for (const [key, value] of Object.entries(details)) {
    if (/(^id$|Id$|Ids$|^changeId$)/.test(key) || key === 'orientations') continue;
    if (key === 'how' && typeof value === 'string') lines.push(`Comment : ${HOW_WORDS[value] ?? value}`);
    else if (key === 'secondFactor')
      lines.push(value ? 'Avec la double authentification' : 'Sans double authentification');
    else if (key === 'fileName' || key === 'stage' || COUNT_WORDS.some(([k]) => k === key)) continue;
    else if (key === 'message' && typeof value === 'string') lines.push(`Message : ${value}`);
    else if (key === 'newFile' && typeof value === 'string') lines.push(`Nouveau fichier : ${value}`);
    else if (key === 'oldFile' && typeof value === 'string') lines.push(`Ancien fichier : ${value}`);
    else if (key === 'title' || /sha256$/i.test(key))
      continue; // the subject names it; the CSV keeps hashes
    else if (key === 'structure' && typeof value === 'string') lines.push(`Structure : ${value}`);
    else if (key === 'similarity' && typeof value === 'number')
      lines.push(`Similarité : ${Math.round(value * 100)} %`);
    else if (key === 'otherPlace' && typeof value === 'string') lines.push(`Avec la fiche : ${value}`);
    else if (key === 'email' && typeof value === 'string') lines.push(`Adresse saisie : ${value}`);
    else if (key === 'closuresPublished') {
      if (value) lines.push('Fermeture temporaire publiée tout de suite');
    } else if (key === 'closuresReverted') {
      if (value) lines.push('Fermeture temporaire retirée');
    } else if (key === 'reporterNotified') {
      if (value) lines.push('La personne qui a signalé a été prévenue par e-mail');
    } else if (key === 'fields' && Array.isArray(value)) lines.push(`Champs : ${value.join(', ')}`);
    else if (value !== null && value !== undefined && value !== false) rest.push([key, value]);
  }
  const counts = COUNT_WORDS.filter(([k]) => typeof details[k] === 'number').map(
    ([k, words]) => `${details[k]} ${words}`,
  );
  if (counts.length) lines.push(`Résultat : ${counts.join(', ')}`);
  for (const [key, value] of rest)
    lines.push(`${key} : ${typeof value === 'string' ? value : JSON.stringify(value)}`);
  return lines;
}
