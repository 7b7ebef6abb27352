import { defineCatalogue } from '../web/catalogue.ts';
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

/**
 * The message of a refused field, naming the field and what was typed; `falc`: the reader chose the
 * easy-to-read words (short sentences, one idea each).
 */
export function issueMessage(issue: CallbackIssue, falc = false): string {
  return falc ? issueMessageFalc(issue) : issueMessageNormal(issue);
}

function issueMessageFalc(issue: CallbackIssue): string {
  switch (issue.field) {
    case 'prenom':
      if (issue.code === 'missing') return 'Prénom : écrivez votre prénom.';
      if (issue.code === 'too_long')
        return `Prénom : « ${issue.value}… » est trop long. Écrivez 40 lettres au plus.`;
      return `Prénom : « ${issue.value} » n’est pas un prénom. Écrivez seulement des lettres.`;
    case 'telephone':
      if (issue.code === 'missing') return 'Numéro de téléphone : écrivez votre numéro.';
      if (issue.code === 'too_long') return `Numéro de téléphone : « ${issue.value}… » est trop long.`;
      return `Numéro de téléphone : « ${issue.value} » ne marche pas. Écrivez 10 chiffres. Par exemple : 06 12 34 56 78.`;
    case 'jour':
      switch (issue.code) {
        case 'not_a_date':
          return `Jour : « ${issue.value} » n’est pas dans la liste. Choisissez un jour dans la liste.`;
        case 'past':
          return `Jour : le ${dayWords(issue.value)} est passé. Choisissez un autre jour.`;
        case 'today':
          return 'Jour : pour aujourd’hui, choisissez « Le plus tôt possible ».';
        case 'too_far':
          return `Jour : le ${dayWords(issue.value)} est trop loin. Choisissez un jour dans les 2 semaines qui viennent.`;
        case 'holiday':
          return `Jour : le ${dayWords(issue.value)} est un jour férié. Choisissez un autre jour.`;
        default:
          return `Jour : le lieu est fermé le ${dayWords(issue.value)}. Choisissez un autre jour.`;
      }
    case 'moment':
      if (issue.code === 'closed' && issue.day)
        return `Moment : le lieu est fermé ${issue.value === 'matin' ? 'le matin' : 'l’après-midi'} du ${dayWords(issue.day)}. Choisissez un autre moment.`;
      return issue.value === ''
        ? 'Moment : choisissez le matin ou l’après-midi.'
        : `Moment : « ${issue.value} » n’est pas possible. Choisissez le matin ou l’après-midi.`;
    case 'accord':
      return 'Accord : cochez la case. Vous êtes d’accord pour être appelé une fois.';
  }
}

function issueMessageNormal(issue: CallbackIssue): string {
  switch (issue.field) {
    case 'prenom':
      if (issue.code === 'missing')
        return 'Prénom : écrivez votre prénom, pour que la personne sache qui appeler.';
      if (issue.code === 'too_long') return `Prénom : « ${issue.value}… » est trop long (40 signes au plus).`;
      return `Prénom : « ${issue.value} » n’est pas un prénom. Écrivez seulement des lettres.`;
    case 'telephone':
      if (issue.code === 'missing') return 'Numéro de téléphone : écrivez le numéro où vous appeler.';
      if (issue.code === 'too_long') return `Numéro de téléphone : « ${issue.value}… » est trop long.`;
      return `Numéro de téléphone : « ${issue.value} » n’est pas un numéro français. Écrivez 10 chiffres, par exemple 06 12 34 56 78.`;
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

/** "1 demande de rappel", "3 demandes de rappel" (the configured limits). */
const requests = (n: number) => (n === 1 ? '1 demande de rappel' : `${n} demandes de rappel`);

/**
 * The public pages' words, ordinary and FALC (the reader's display preference): the form, the answer
 * and the refusal at a limit. The structures' list is for professionals: plain French only.
 */
export const PUBLIC_STRINGS = defineCatalogue({
  titlePlace: {
    normal: (place: string) => `Être rappelé par ${place}`,
    falc: (place: string) => `Être appelé par ${place}`,
  },
  titleNetwork: { normal: 'Être rappelé par le réseau', falc: 'Être appelé par le réseau' },
  intro: {
    normal: (who: string) =>
      `Laissez votre prénom et votre numéro : une personne de ${who} vous appellera une fois, au moment que vous choisissez. Pas besoin de compte.`,
    falc: (who: string) =>
      `Écrivez votre prénom et votre numéro de téléphone. Une personne de ${who} vous appelle une fois. Vous choisissez le jour.`,
  },
  firstNameLabel: { normal: 'Votre prénom', falc: 'Votre prénom' },
  phoneLabel: { normal: 'Votre numéro de téléphone', falc: 'Votre numéro de téléphone' },
  phoneHint: {
    normal: 'Un numéro français, par exemple 06 12 34 56 78.',
    falc: 'Un numéro avec 10 chiffres. Par exemple : 06 12 34 56 78.',
  },
  dayLabel: { normal: 'Quel jour ?', falc: 'Quel jour ?' },
  dayHintPlace: {
    normal: 'Les jours où le lieu est ouvert, dans les 14 prochains jours.',
    falc: 'Les jours où le lieu est ouvert. Dans les 2 semaines qui viennent.',
  },
  dayHintNetwork: {
    normal: 'Les jours de la semaine, dans les 14 prochains jours.',
    falc: 'Du lundi au vendredi. Dans les 2 semaines qui viennent.',
  },
  asap: { normal: 'Dès que possible', falc: 'Le plus tôt possible' },
  morningOnly: { normal: ' (le matin seulement)', falc: ' (seulement le matin)' },
  afternoonOnly: { normal: ' (l’après-midi seulement)', falc: ' (seulement l’après-midi)' },
  momentLabel: { normal: 'À quel moment de la journée ?', falc: 'À quel moment ?' },
  partMorning: { normal: 'Le matin', falc: 'Le matin' },
  partAfternoon: { normal: 'L’après-midi', falc: 'L’après-midi' },
  partAny: { normal: 'Le matin ou l’après-midi', falc: 'Le matin ou l’après-midi' },
  consent: {
    normal: 'J’accepte d’être appelé·e une fois à ce numéro, pour cette demande.',
    falc: 'Je suis d’accord pour être appelé une fois à ce numéro.',
  },
  whyHeading: { normal: 'Pourquoi nous demandons cela', falc: 'Pourquoi nous demandons cela' },
  whyName: {
    normal: 'Votre prénom : pour que la personne sache qui elle appelle.',
    falc: 'Votre prénom : la personne sait qui elle appelle.',
  },
  whyPhone: {
    normal: 'Votre numéro et le moment : pour vous appeler quand cela vous arrange.',
    falc: 'Votre numéro et le jour : pour vous appeler au bon moment.',
  },
  whoSees: {
    normal: (who: string) =>
      `Seules les personnes de ${who} et la coordination du réseau les voient. Ils ne sont jamais envoyés par courriel ni donnés à quelqu’un d’autre.`,
    falc: (who: string) =>
      `Seules les personnes de ${who} et du réseau les voient. Nous ne les envoyons jamais par courriel. Nous ne les donnons à personne.`,
  },
  erasedAfter: {
    normal: (days: number) => `Ils sont effacés ${days} jours après votre demande.`,
    falc: (days: number) => `Nous les effaçons ${days} jours après votre demande.`,
  },
  submit: { normal: 'Demander à être rappelé·e', falc: 'Demander à être appelé' },
  callYourself: {
    normal: 'Vous préférez appeler vous-même ? Appelez le',
    falc: 'Vous voulez appeler vous-même ? Appelez le',
  },
  theNetwork: { normal: 'le réseau', falc: 'le réseau' },
  privacyLink: { normal: 'Vos données personnelles', falc: 'Vos informations personnelles' },
  backToPlace: { normal: 'Revenir à la fiche du lieu', falc: 'Revenir à la page du lieu' },
  backHome: { normal: 'Revenir à l’accueil', falc: 'Revenir à la première page' },
  doneTitle: {
    normal: 'Votre demande de rappel est enregistrée',
    falc: 'Nous avons bien reçu votre demande',
  },
  doneHeading: { normal: 'Votre demande est enregistrée', falc: 'Nous avons bien reçu votre demande' },
  referenceLabel: { normal: 'Votre référence :', falc: 'Votre numéro de demande :' },
  referenceHint: {
    normal:
      'Notez-la et donnez-la si vous appelez. Elle ne donne accès à rien : elle sert seulement à retrouver votre demande.',
    falc: 'Écrivez-le sur un papier. Donnez-le si vous appelez.',
  },
  nextHeading: { normal: 'Ce qui va se passer', falc: 'Et maintenant ?' },
  nextCall: {
    normal: (who: string, slot: string) => `Une personne de ${who} vous appellera ${slot}, au`,
    falc: (who: string, slot: string) => `Une personne de ${who} vous appelle ${slot}, au`,
  },
  nextOnce: {
    normal: 'Elle vous appellera une seule fois. Si vous ne répondez pas, elle pourra réessayer.',
    falc: 'Elle vous appelle une fois. Si vous ne répondez pas, elle peut appeler encore.',
  },
  nextIfNobody: {
    normal: (day: string) => `Si personne n’a appelé le ${day} au soir, appelez le`,
    falc: (day: string) => `Personne n’a appelé le ${day} au soir ? Appelez le`,
  },
  nextIfNobodyNetwork: {
    normal: (day: string) =>
      `Si personne n’a appelé le ${day} au soir, appelez le réseau (en bas de la page).`,
    falc: (day: string) =>
      `Personne n’a appelé le ${day} au soir ? Appelez le réseau. Le numéro est en bas de la page.`,
  },
  limitedTitle: { normal: 'Trop de demandes de rappel', falc: 'Trop de demandes' },
  limitedPhone: {
    normal: (max: number) =>
      `Ce numéro a déjà fait ${requests(max)} dans les 24 heures : une personne va vous appeler. Nous n’enregistrons pas d’autre demande pour ce numéro avant la fin de ces 24 heures.`,
    falc: (max: number) =>
      `Ce numéro a déjà fait ${requests(max)} dans les 24 heures. Une personne va vous appeler. Vous pouvez refaire une demande dans 24 heures.`,
  },
  limitedClient: {
    normal: (max: number) =>
      `Cet appareil a déjà envoyé ${requests(max)} dans l’heure. Nous n’en enregistrons pas d’autre pour le moment : réessayez dans une heure.`,
    falc: (max: number) =>
      `Cet appareil a déjà fait ${requests(max)} dans l’heure. Attendez une heure. Puis essayez encore.`,
  },
  urgent: { normal: 'Si c’est pressé, appelez le', falc: 'C’est pressé ? Appelez le' },
});

export type PublicStrings = ReturnType<typeof PUBLIC_STRINGS.pick>;
