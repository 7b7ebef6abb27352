import type { CallbackIssue, CallbackSlotPart, CallbackState } from './callbacks.ts';

/** The words of "Être rappelé", in one place: the public form, the confirmation, the structures' list. */

const DAY = new Intl.DateTimeFormat('fr-FR', {
  weekday: 'long',
  day: 'numeric',
  month: 'long',
  timeZone: 'UTC',
});

/** '2026-12-08' → 'mardi 8 décembre'. */
export function dayWords(iso: string): string {
  const d = new Date(`${iso}T00:00:00Z`);
  return Number.isNaN(d.getTime()) ? iso : DAY.format(d);
}

export const PART_LABELS: Readonly<Record<CallbackSlotPart, string>> = {
  morning: 'Le matin',
  afternoon: 'L’après-midi',
  any: 'Le matin ou l’après-midi',
};

/** "le mardi 8 décembre, le matin", "dès que possible". */
export function slotWords(date: string | null, part: CallbackSlotPart): string {
  const when = part === 'morning' ? 'le matin' : part === 'afternoon' ? 'l’après-midi' : null;
  if (date === null) return when ? `dès que possible, ${when}` : 'dès que possible';
  return when ? `le ${dayWords(date)}, ${when}` : `le ${dayWords(date)}`;
}

export const STATE_LABELS: Readonly<Record<CallbackState, string>> = {
  to_call: 'À rappeler',
  retry: 'Pas de réponse, à réessayer',
  done: 'Rappelé',
  unreachable: 'Pas joignable',
};

export const OUTCOME_LABELS = {
  done: 'Rappelé',
  retry: 'Pas de réponse, je réessaierai',
  unreachable: 'Pas joignable, fermer la demande',
} as const;

export const FIELD_LABELS = {
  prenom: 'Votre prénom',
  telephone: 'Votre numéro de téléphone',
  jour: 'Quel jour ?',
  moment: 'À quel moment de la journée ?',
  accord: 'Votre accord',
} as const;

/** The message of a refused field, naming the field and what was typed. */
export function issueMessage(issue: CallbackIssue): string {
  switch (issue.field) {
    case 'prenom':
      if (issue.code === 'missing')
        return 'Prénom : écrivez votre prénom, pour que la personne sache qui appeler.';
      if (issue.code === 'too_long') return `Prénom : « ${issue.value}… » est trop long (40 signes au plus).`;
      return `Prénom : « ${issue.value} » n’est pas un prénom. Écrivez seulement des lettres.`;
    case 'telephone':
      if (issue.code === 'missing') return 'Numéro de téléphone : écrivez le numéro où vous appeler.';
      if (issue.code === 'too_long') return `Numéro de téléphone : « ${issue.value}… » est trop long.`;
      return `Numéro de téléphone : « ${issue.value} » n’est pas un numéro français. Écrivez 10 chiffres, par exemple 06 12 34 56 78.`;
    case 'jour':
      switch (issue.code) {
        case 'not_a_date':
          return `Jour : « ${issue.value} » n’est pas un jour de la liste. Choisissez dans la liste.`;
        case 'past':
          return `Jour : le ${dayWords(issue.value)} est passé. Choisissez un jour à venir.`;
        case 'today':
          return 'Jour : pour aujourd’hui, choisissez « Dès que possible ».';
        case 'too_far':
          return `Jour : le ${dayWords(issue.value)} est trop loin. Choisissez un jour dans les 14 prochains jours.`;
        case 'holiday':
          return `Jour : le ${dayWords(issue.value)} est un jour férié. Choisissez un autre jour.`;
        default:
          return `Jour : le lieu est fermé le ${dayWords(issue.value)}. Choisissez un autre jour.`;
      }
    case 'moment':
      if (issue.code === 'closed' && issue.day)
        return `Moment : le lieu est fermé ${issue.value === 'matin' ? 'le matin' : 'l’après-midi'} du ${dayWords(issue.day)}. Choisissez un autre moment.`;
      return issue.value === ''
        ? 'Moment : choisissez le matin, l’après-midi, ou les deux.'
        : `Moment : « ${issue.value} » n’est pas un choix possible. Choisissez le matin, l’après-midi, ou les deux.`;
    case 'accord':
      return 'Accord : cochez la case pour accepter d’être appelé·e une fois à ce numéro.';
  }
}
