import { MODALITES_ACCOMPAGNEMENT, PRISE_EN_CHARGE, PUBLICS, SERVICES } from '../places/places.ts';

/** One place's kind in the words people use: the place domain keeps the table (its list shows it too). */
export { placeKind } from '../places/places.ts';

/** The national schema's values that the search filters on (re-exported for the search domain). */
export const SERVICE_VALUES: readonly string[] = SERVICES;
export const PUBLIC_VALUES: readonly string[] = PUBLICS;
export const SUPPORT_VALUES: readonly string[] = PRISE_EN_CHARGE;
export const ACCOMPANIMENT_VALUES: readonly string[] = MODALITES_ACCOMPAGNEMENT;

/** How to come, one sentence per value of the schema's `modalites_acces`. */
const ACCESS_SENTENCES: Readonly<Record<string, { normal: string; falc: string }>> = Object.freeze({
  'Se présenter': {
    normal: 'Venez sans rendez-vous, aux heures d’ouverture.',
    falc: 'Vous pouvez venir sans rendez-vous.',
  },
  Téléphoner: { normal: 'Appelez avant de venir.', falc: 'Appelez avant de venir.' },
  'Contacter par mail': {
    normal: 'Écrivez au lieu par courriel avant de venir.',
    falc: 'Envoyez un mail au lieu avant de venir.',
  },
  'Prendre un RDV en ligne': {
    normal: 'Prenez rendez-vous en ligne.',
    falc: 'Prenez rendez-vous sur internet.',
  },
  "Ce lieu n'accueille pas de public": {
    normal: 'Ce lieu ne reçoit pas le public sur place.',
    falc: 'Vous ne pouvez pas aller dans ce lieu.',
  },
  'Envoyer un mail avec une fiche de prescription': {
    normal: 'Un professionnel qui vous suit écrit d’abord au lieu pour vous y envoyer.',
    falc: 'Une personne qui vous aide écrit d’abord au lieu.',
  },
});

/**
 * The schema's access modes as sentences a person acts on ("Appelez avant de venir"). When a place
 * takes people without an appointment and also by phone, the call is offered, not required.
 */
export function accessSentences(values: readonly string[], falc: boolean): string[] {
  const walkIn = values.includes('Se présenter');
  return values.map((v) => {
    if (v === 'Téléphoner' && walkIn)
      return falc ? 'Vous pouvez aussi appeler avant.' : 'Vous pouvez aussi appeler avant de venir.';
    const words = ACCESS_SENTENCES[v];
    return words ? (falc ? words.falc : words.normal) : `${v}.`;
  });
}

/** What happens there, one sentence per value of the schema's `modalites_accompagnement`. */
const ACCOMPANIMENT_SENTENCES: Readonly<Record<string, { normal: string; falc: string }>> = Object.freeze({
  'En autonomie': {
    normal: 'On vous montre, vous faites vous-même.',
    falc: 'Une personne vous montre. Puis vous faites seul.',
  },
  'Accompagnement individuel': {
    normal: 'Une personne vous aide en tête-à-tête.',
    falc: 'Une personne vous aide. Elle est seule avec vous.',
  },
  'Dans un atelier collectif': {
    normal: 'Vous apprenez en petit groupe, pendant un atelier.',
    falc: 'Vous apprenez avec d’autres personnes, en groupe.',
  },
  'À distance': {
    normal: 'On peut vous aider à distance, par téléphone ou en vidéo.',
    falc: 'Une personne peut vous aider par téléphone ou par internet.',
  },
});

/** The schema's accompaniment modes as what happens ("On vous montre, vous faites vous-même"). */
export function accompanimentSentences(values: readonly string[], falc: boolean): string[] {
  return values.map((v) => {
    const words = ACCOMPANIMENT_SENTENCES[v];
    return words ? (falc ? words.falc : words.normal) : `${v}.`;
  });
}

/**
 * The schema's national services as what a person comes for ("Faire vos démarches en ligne" rather than
 * "Aide aux démarches administratives"). Search filters and exports keep the schema's words.
 */
const SERVICE_WORDS: Readonly<Record<string, { normal: string; falc: string }>> = Object.freeze({
  'Aide aux démarches administratives': {
    normal: 'Faire vos démarches en ligne (CAF, impôts, santé, France Travail…)',
    falc: 'Faire vos papiers sur internet',
  },
  'Maîtrise des outils numériques du quotidien': {
    normal: 'Apprendre à utiliser un ordinateur, un téléphone, internet',
    falc: 'Apprendre à utiliser un ordinateur ou un téléphone',
  },
  'Insertion professionnelle via le numérique': {
    normal: 'Chercher un emploi ou une formation en ligne',
    falc: 'Chercher du travail sur internet',
  },
  'Utilisation sécurisée du numérique': {
    normal: 'Se protéger des arnaques et garder ses comptes en sécurité',
    falc: 'Se protéger des arnaques sur internet',
  },
  'Parentalité et éducation avec le numérique': {
    normal: 'Accompagner ses enfants avec les écrans et l’école en ligne',
    falc: 'Aider vos enfants avec les écrans',
  },
  'Loisirs et créations numériques': {
    normal: 'Photo, vidéo, jeux, création : le numérique pour le plaisir',
    falc: 'Faire des photos, des vidéos, des jeux',
  },
  'Compréhension du monde numérique': {
    normal: 'Comprendre le numérique et ce qu’il change',
    falc: 'Comprendre internet',
  },
  'Accès internet et matériel informatique': {
    normal: 'Ordinateurs, internet et imprimante sur place',
    falc: 'Utiliser un ordinateur, internet ou une imprimante',
  },
  'Acquisition de matériel informatique à prix solidaire': {
    normal: 'Acheter un ordinateur ou un téléphone à petit prix',
    falc: 'Acheter un ordinateur pas cher',
  },
});

/** A national service in the words of a person (the schema's value when it is not one of the nine). */
export function serviceWords(value: string, falc: boolean): string {
  const words = SERVICE_WORDS[value];
  return words ? (falc ? words.falc : words.normal) : value;
}
