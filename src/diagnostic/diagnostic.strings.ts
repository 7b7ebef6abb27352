import { defineCatalogue } from '../web/catalogue.ts';
import { pick, type Question } from './diagnostic.ts';
import type { AnswerProblem } from './diagnostic-answers.ts';

/**
 * Every word of the diagnostic's pages that is not in the questionnaire itself, in ordinary French and
 * in a *Facile à lire et à comprendre* variant (not certified). The questionnaire's own texts (questions,
 * answers, profiles, messages) carry their FALC variant in the document. The coordinator's versions page
 * is for professionals and uses ordinary wording only.
 */
export const DIAGNOSTIC_STRINGS = defineCatalogue({
  // --- Start ---
  startTitle: {
    normal: 'Diagnostic : de quelle aide avez-vous besoin ?',
    falc: 'Trouver l’aide qu’il vous faut',
  },
  startIntro: {
    normal: (n: number) =>
      `En ${n} questions, environ 2 minutes, ce diagnostic montre ce que vous savez déjà faire avec le numérique, et l’aide utile près de chez vous.`,
    falc: (n: number) =>
      `Vous répondez à ${n} questions. Cela prend 2 minutes. Ensuite, nous vous montrons l’aide utile pour vous.`,
  },
  startWho: {
    normal:
      'Vous pouvez le faire vous-même, ou avec un professionnel : travailleur social, médiateur numérique, agent d’accueil.',
    falc: 'Vous pouvez répondre vous-même. Vous pouvez aussi répondre avec une personne qui vous aide.',
  },
  startNotATest: {
    normal:
      'Ce n’est pas un examen : il n’y a pas de bonne ou de mauvaise réponse. Vous pouvez passer une question.',
    falc: 'Ce n’est pas un examen. Il n’y a pas de mauvaise réponse. Vous pouvez passer une question.',
  },
  startPrivacy: {
    normal:
      'Nous ne demandons ni votre nom ni votre adresse. Vos réponses ne sont pas enregistrées par Maillage : elles restent dans votre navigateur. Sur un ordinateur partagé, fermez la fenêtre à la fin.',
    falc: 'Nous ne demandons pas votre nom. Nous ne gardons pas vos réponses. Sur un ordinateur partagé, fermez la page à la fin.',
  },
  startFalc: {
    normal: 'Lire le diagnostic avec des phrases plus simples (Facile à lire)',
    falc: 'Lire le diagnostic avec des phrases simples',
  },
  falcNotice: {
    normal:
      'Les phrases « Facile à lire » de ce diagnostic n’ont pas encore été relues par des lecteurs concernés.',
    falc: 'Ces phrases simples ne sont pas encore vérifiées par des lecteurs.',
  },
  startButton: { normal: 'Commencer le diagnostic', falc: 'Commencer' },

  // --- Question ---
  progress: {
    normal: (n: number, total: number) => `Question ${n} sur ${total}`,
    falc: (n: number, total: number) => `Question ${n} sur ${total}`,
  },
  questionTitle: {
    normal: (n: number, total: number, question: string) => `Question ${n} sur ${total} : ${question}`,
    falc: (n: number, total: number, question: string) => `Question ${n} sur ${total} : ${question}`,
  },
  errorPrefix: { normal: 'Erreur', falc: 'Erreur' },
  next: { normal: 'Continuer', falc: 'Continuer' },
  skip: { normal: 'Passer cette question', falc: 'Passer cette question' },
  previous: { normal: 'Précédent', falc: 'Retour' },
  previousTo: {
    normal: (n: number) => ` : revenir à la question ${n}`,
    falc: (n: number) => ` : revenir à la question ${n}`,
  },
  previousToStart: { normal: ' : revenir à la présentation', falc: ' : revenir au début' },
  backToResult: { normal: 'Revenir au résultat sans changer', falc: 'Revenir au résultat' },
  chooseAnswer: {
    normal: 'Choisissez une réponse, ou appuyez sur « Passer cette question ».',
    falc: 'Choisissez une réponse. Ou appuyez sur « Passer cette question ».',
  },
  chooseSeveral: {
    normal: 'Cochez au moins une réponse, ou appuyez sur « Passer cette question ».',
    falc: 'Cochez une ou plusieurs réponses. Ou appuyez sur « Passer cette question ».',
  },
  multipleHint: {
    normal: 'Vous pouvez cocher plusieurs réponses.',
    falc: 'Vous pouvez cocher plusieurs réponses.',
  },
  onlyOne: {
    normal: (count: number) =>
      `Cette question n’accepte qu’une réponse, et ${count} ont été envoyées : choisissez-en une.`,
    falc: (count: number) => `Choisissez une seule réponse. Vous en avez envoyé ${count}.`,
  },
  tooMany: {
    normal: (count: number, max: number) =>
      `${count} réponses ont été envoyées, mais cette question en propose ${max} : cochez seulement les réponses de la liste.`,
    falc: (count: number, max: number) =>
      `Vous avez envoyé ${count} réponses. Cette question en a ${max}. Cochez les réponses de la liste.`,
  },
  unknownAnswer: {
    normal: (value: string) =>
      `« ${value} » n’est pas une réponse de cette question : choisissez parmi les réponses proposées.`,
    falc: (value: string) => `« ${value} » n’est pas une réponse de la liste. Choisissez dans la liste.`,
  },
  duplicateAnswer: {
    normal: (value: string) => `La réponse « ${value} » a été envoyée deux fois : cochez-la une seule fois.`,
    falc: (value: string) => `La réponse « ${value} » est envoyée deux fois.`,
  },
  exclusiveAnswer: {
    normal: (label: string) =>
      `« ${label} » ne se coche pas avec une autre réponse : décochez-la, ou décochez les autres.`,
    falc: (label: string) => `« ${label} » se coche toute seule. Décochez les autres réponses.`,
  },
  errorTitle: { normal: 'Il y a un problème', falc: 'Il y a un problème' },

  // --- Where (optional) ---
  whereTitle: {
    normal: 'Où voulez-vous trouver de l’aide ?',
    falc: 'Où voulez-vous de l’aide ?',
  },
  whereIntro: {
    normal:
      'C’est facultatif. Avec votre commune, nous montrons les lieux proches. Elle n’est pas enregistrée.',
    falc: 'Vous pouvez ne pas répondre. Avec votre ville, nous montrons les lieux proches.',
  },
  whereLabel: { normal: 'Votre commune ou votre code postal', falc: 'Votre ville ou votre code postal' },
  whereHint: {
    normal: 'Par exemple Saran ou 45770.',
    falc: 'Par exemple : Saran, ou 45770.',
  },
  seeResult: { normal: 'Voir mon résultat', falc: 'Voir mon résultat' },
  seeResultWithout: {
    normal: 'Voir mon résultat sans chercher de lieu',
    falc: 'Voir mon résultat sans les lieux',
  },
  whereTooLong: {
    normal: 'La commune est trop longue : 100 caractères au plus.',
    falc: 'Le nom de la ville est trop long.',
  },

  // --- Result ---
  resultTitle: { normal: 'Votre résultat', falc: 'Votre résultat' },
  resultLead: {
    normal: (answered: number, total: number) =>
      `Vous avez répondu à ${answered} question${answered > 1 ? 's' : ''} sur ${total}. Voici ce que vos réponses montrent, en quelques mots.`,
    falc: (answered: number, total: number) =>
      `Vous avez répondu à ${answered} question${answered > 1 ? 's' : ''} sur ${total}.`,
  },
  versionLine: {
    normal: (version: number, date: string) => `Questionnaire version ${version} · résultat du ${date}.`,
    falc: (version: number, date: string) => `Questionnaire numéro ${version}. Résultat du ${date}.`,
  },
  profilesHeading: {
    normal: 'Où vous en êtes, thème par thème',
    falc: 'Ce qui est facile ou difficile pour vous',
  },
  messagesHeading: { normal: 'Nos conseils', falc: 'Nos conseils' },
  moreMessages: {
    normal: (n: number) => `Voir tout : ${n} autre${n > 1 ? 's' : ''} conseil${n > 1 ? 's' : ''}`,
    falc: (n: number) => `Voir ${n > 1 ? `les ${n} autres conseils` : 'un autre conseil'}`,
  },
  professionalHeading: { normal: 'Pour le professionnel', falc: 'Pour le professionnel' },
  professionalNote: {
    normal: 'Ces notes ne sont montrées qu’aux professionnels connectés. Elles ne sont pas imprimées.',
    falc: 'Seuls les professionnels voient ces notes. Elles ne sont pas imprimées.',
  },
  needsHeading: { normal: 'L’aide qui peut vous être utile', falc: 'L’aide utile pour vous' },
  needsNone: {
    normal:
      'Vos réponses ne montrent pas de besoin particulier. Si vous cherchez une aide, voyez tous les lieux.',
    falc: 'Vos réponses ne montrent pas de besoin. Vous pouvez voir tous les lieux.',
  },
  askedMark: { normal: ' (vous l’avez demandé)', falc: ' (vous l’avez choisi)' },
  moreNeeds: {
    normal: (n: number) =>
      `Voir tout : ${n} autre${n > 1 ? 's' : ''} aide${n > 1 ? 's' : ''} utile${n > 1 ? 's' : ''}`,
    falc: (n: number) => `Voir ${n > 1 ? `les ${n} autres aides` : 'une autre aide'}`,
  },
  morePlaces: {
    normal: (n: number) => `Voir tout : les lieux pour ${n} autre${n > 1 ? 's' : ''} aide${n > 1 ? 's' : ''}`,
    falc: (n: number) => `Voir les lieux pour ${n > 1 ? `${n} autres aides` : 'une autre aide'}`,
  },
  seeAllPlaces: { normal: 'Voir tous les lieux', falc: 'Voir tous les lieux' },
  readingNeed: {
    normal: 'Être accompagné quand lire ou écrire demande des efforts',
    falc: 'Avoir de l’aide pour lire et écrire',
  },
  placesHeading: { normal: 'Les lieux près de chez vous', falc: 'Les lieux près de chez vous' },
  placesNear: {
    normal: (where: string) => `Pour chaque besoin, les lieux les plus proches. Commune : ${where}.`,
    falc: (where: string) => `Voici les lieux proches. Ville : ${where}.`,
  },
  placesAsk: {
    normal: 'Donnez votre commune pour voir les lieux les plus proches.',
    falc: 'Écrivez votre ville pour voir les lieux proches.',
  },
  showPlaces: { normal: 'Voir les lieux proches', falc: 'Voir les lieux proches' },
  placesFor: {
    normal: (need: string) => `Lieux pour « ${need} »`,
    falc: (need: string) => `Lieux pour : ${need}`,
  },
  placesNone: {
    normal: 'Aucun lieu trouvé pour ce besoin. Appelez le réseau : il vous aidera à trouver.',
    falc: 'Nous ne trouvons pas de lieu. Appelez le réseau.',
  },
  seeMorePlaces: {
    normal: (need: string) => `Voir plus de lieux pour « ${need} »`,
    falc: (need: string) => `Voir d’autres lieux pour : ${need}`,
  },
  chooseCommune: {
    normal: (text: string) => `Plusieurs communes correspondent à « ${text} ». Choisissez la vôtre :`,
    falc: (text: string) => `Plusieurs villes s’appellent « ${text} ». Choisissez votre ville :`,
  },
  communeNotFound: {
    normal: (text: string) =>
      `Nous ne trouvons pas la commune « ${text} ». Vérifiez l’orthographe, ou écrivez son code postal, par exemple 45000.`,
    falc: (text: string) =>
      `Nous ne trouvons pas la ville « ${text} ». Écrivez son code postal. Par exemple : 45000.`,
  },
  orient: { normal: 'Orienter vers ce lieu', falc: 'Orienter vers ce lieu' },
  phone: { normal: 'Téléphone :', falc: 'Téléphone :' },
  answersHeading: { normal: 'Vos réponses', falc: 'Vos réponses' },
  answersIntro: {
    normal: 'Vous pouvez changer une réponse : le résultat sera recalculé.',
    falc: 'Vous pouvez changer une réponse.',
  },
  skipped: { normal: 'Question passée', falc: 'Question passée' },
  notAnswered: { normal: 'Pas encore de réponse', falc: 'Pas de réponse' },
  change: { normal: 'Modifier', falc: 'Changer' },
  changeWhat: {
    normal: (n: number) => ` la réponse à la question ${n}`,
    falc: (n: number) => ` la réponse à la question ${n}`,
  },
  print: { normal: 'Imprimer ce résumé', falc: 'Imprimer' },
  restart: { normal: 'Recommencer le diagnostic', falc: 'Recommencer' },
  printedFrom: {
    normal: 'Résumé imprimé depuis Maillage. Aucune réponse n’a été enregistrée.',
    falc: 'Résumé fait avec Maillage. Vos réponses ne sont pas gardées.',
  },

  // --- Problems ---
  badToken: {
    normal:
      'Le lien de ce diagnostic est abîmé ou incomplet. Recommencez le diagnostic : il prend 2 minutes.',
    falc: 'Ce lien ne marche pas. Recommencez le diagnostic.',
  },
  unknownVersion: {
    normal: (version: number) =>
      `Le questionnaire numéro ${version} n’existe pas. Recommencez le diagnostic.`,
    falc: (version: number) => `Le questionnaire numéro ${version} n’existe pas. Recommencez le diagnostic.`,
  },
  badAnswers: {
    normal: (n: number | null, detail: string) =>
      n === null
        ? 'Le lien de ce diagnostic contient une réponse à une question qui n’existe pas. Recommencez le diagnostic.'
        : `Le lien de ce diagnostic contient une réponse impossible à la question ${n}. ${detail} Recommencez le diagnostic.`,
    falc: (n: number | null, detail: string) =>
      n === null
        ? 'Ce lien contient une réponse qui ne va pas. Recommencez le diagnostic.'
        : `Ce lien contient une mauvaise réponse à la question ${n}. ${detail} Recommencez le diagnostic.`,
  },
  unknownQuestion: {
    normal: 'Cette question n’existe pas dans ce questionnaire.',
    falc: 'Cette question n’existe pas.',
  },
});

export type DiagnosticStrings = ReturnType<typeof DIAGNOSTIC_STRINGS.pick>;

export function diagnosticStrings(falc: boolean): DiagnosticStrings {
  return DIAGNOSTIC_STRINGS.pick(falc);
}

/** What to tell the person about an answer that cannot be recorded, naming the value sent. */
export function answerProblemText(
  s: DiagnosticStrings,
  problem: AnswerProblem,
  question: Pick<Question, 'multiple' | 'reponses'>,
  falc: boolean,
): string {
  switch (problem.reason) {
    case 'none':
      return question.multiple ? s.chooseSeveral : s.chooseAnswer;
    case 'several':
      return s.onlyOne(problem.count);
    case 'too_many':
      return s.tooMany(problem.count, problem.max);
    case 'unknown_answer':
      return s.unknownAnswer(problem.value);
    case 'duplicate':
      return s.duplicateAnswer(problem.value);
    case 'exclusive': {
      const answer = question.reponses.find((r) => r.id === problem.value);
      return s.exclusiveAnswer(answer ? pick(answer.libelle, falc) : problem.value);
    }
  }
}
