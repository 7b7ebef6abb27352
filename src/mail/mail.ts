/**
 * Mail, pure: the kinds of message Maillage sends, with the words the outbox page shows for each (the
 * page shows who was mailed what kind of message and when, never the message).
 */
export const MAIL_KINDS = {
  sign_in_link: 'Lien de connexion',
  password_reset: 'Lien pour changer de mot de passe',
  invitation: 'Invitation à rejoindre Maillage',
  second_factor_locked: 'Alerte : codes de double authentification faux',
  second_factor_blocked: 'Alerte : connexion bloquée',
  join_request: 'Demande pour rejoindre une structure',
  join_request_decision: 'Réponse à une demande pour rejoindre une structure',
  moderation_decision: 'Décision sur une modification de lieu',
  error_report_forwarded: 'Signalement transmis à une structure',
  error_report_resolved: 'Signalement corrigé (à la personne qui l’a fait)',
  freshness_reminder: 'Rappel : lieux à vérifier',
  inactivity_warning: 'Avertissement : compte inactif',
  orientation_received: 'Nouvelle orientation reçue',
  orientation_link: 'Orientation à traiter (lien à usage unique)',
  orientation_close_link: 'Orientation acceptée (lien à usage unique)',
  orientation_update: "Suivi d'une orientation",
  network_message: 'Message de la coordination au réseau',
  callback_waiting: 'Une personne attend d’être rappelée',
  callback_reminder: 'Rappel : une personne attend toujours d’être rappelée',
  workshop_registered: 'Inscription à un atelier',
  workshop_promoted: 'Place libérée dans un atelier (liste d’attente)',
  workshop_reminder: 'Rappel : atelier demain',
  workshop_cancelled: 'Atelier ou date annulé',
  workshop_staff_notice: 'Atelier : une personne à prévenir par téléphone',
  voucher_distribution_closed: 'Pass numérique : distribution des carnets close',
  other: 'Autre message',
} as const;

export type MailKind = keyof typeof MAIL_KINDS;

export function mailKindLabel(kind: string): string {
  return Object.hasOwn(MAIL_KINDS, kind) ? MAIL_KINDS[kind as MailKind] : MAIL_KINDS.other;
}

/** What sends one message (nodemailer's SMTP transport, smtp.ts, in production and tests). */
export interface MailTransport {
  send(message: { from: string; to: string; subject: string; text: string; html?: string }): Promise<void>;
}
