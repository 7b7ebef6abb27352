/**
 * Everyday needs: what people say ("faire une démarche CAF") mapped to the national services, programmes
 * and kinds of places that answer it. It drives the home page and the search box; the diagnostic reuses
 * it. A place matches a need when it offers one of its services, or belongs to one of its programmes or
 * kinds (`typologies`), when the need lists them.
 */
export interface Need {
  slug: string;
  /** Plain words, as a person would say it. */
  label: string;
  /** The *Facile à lire et à comprendre* variant (not certified). */
  falc: string;
  /** Words people type for this need (lowercase, without accents), for the search box. */
  keywords: string[];
  services: string[];
  programmes?: string[];
  typologies?: string[];
  /** Grouping on the home page. */
  group: 'demarches' | 'outils' | 'emploi' | 'materiel' | 'famille';
}

const DEMARCHES = 'Aide aux démarches administratives';
const QUOTIDIEN = 'Maîtrise des outils numériques du quotidien';
const EMPLOI = 'Insertion professionnelle via le numérique';
const SECURITE = 'Utilisation sécurisée du numérique';
const PARENTALITE = 'Parentalité et éducation avec le numérique';
const LOISIRS = 'Loisirs et créations numériques';
const COMPRENDRE = 'Compréhension du monde numérique';
const ACCES = 'Accès internet et matériel informatique';
const MATERIEL = 'Acquisition de matériel informatique à prix solidaire';

export const NEEDS: readonly Need[] = Object.freeze([
  {
    slug: 'caf',
    label: 'Faire une démarche CAF',
    falc: 'Faire un papier pour la CAF',
    keywords: ['caf', 'allocations', 'apl', 'rsa', 'prime d activite'],
    services: [DEMARCHES],
    programmes: ["Point d'accès numérique CAF", 'France Services'],
    group: 'demarches',
  },
  {
    slug: 'ameli',
    label: 'Faire une démarche santé (ameli, carte Vitale)',
    falc: 'Faire un papier pour la santé',
    keywords: ['ameli', 'cpam', 'sante', 'carte vitale', 'mon espace sante', 'securite sociale'],
    services: [DEMARCHES],
    programmes: ['France Services'],
    group: 'demarches',
  },
  {
    slug: 'impots',
    label: 'Déclarer ses impôts en ligne',
    falc: 'Faire sa déclaration d’impôts',
    keywords: ['impots', 'impot', 'declaration', 'revenus', 'taxe'],
    services: [DEMARCHES],
    programmes: ['France Services'],
    group: 'demarches',
  },
  {
    slug: 'ants',
    label: 'Carte grise, permis, carte d’identité (ANTS)',
    falc: 'Faire ses papiers : permis, carte grise, carte d’identité',
    keywords: ['ants', 'carte grise', 'permis', 'passeport', 'carte d identite', 'titre de sejour'],
    services: [DEMARCHES],
    programmes: ['France Services'],
    group: 'demarches',
  },
  {
    slug: 'france-travail',
    label: 'S’inscrire ou actualiser sa situation à France Travail',
    falc: 'Faire ses démarches pour chercher un travail',
    keywords: ['france travail', 'pole emploi', 'chomage', 'actualisation', 'inscription'],
    services: [DEMARCHES, EMPLOI],
    programmes: ['France Services'],
    group: 'emploi',
  },
  {
    slug: 'retraite',
    label: 'Préparer ou suivre sa retraite',
    falc: 'Faire les papiers de la retraite',
    keywords: ['retraite', 'carsat', 'pension', 'info retraite'],
    services: [DEMARCHES],
    programmes: ['France Services'],
    group: 'demarches',
  },
  {
    slug: 'franceconnect',
    label: 'Se connecter avec FranceConnect',
    falc: 'Utiliser FranceConnect pour les sites publics',
    keywords: ['franceconnect', 'france connect', 'identifiant', 'mot de passe'],
    services: [DEMARCHES, QUOTIDIEN],
    group: 'demarches',
  },
  {
    slug: 'aidants-connect',
    label: 'Faire faire une démarche par un aidant',
    falc: 'Demander à quelqu’un de faire une démarche pour moi',
    keywords: ['aidants connect', 'faire a ma place', 'mandat'],
    services: [DEMARCHES],
    programmes: ['Aidants Connect'],
    group: 'demarches',
  },
  {
    slug: 'imprimer',
    label: 'Imprimer un document',
    falc: 'Imprimer une feuille',
    keywords: ['imprimer', 'impression', 'imprimante', 'photocopie'],
    services: [ACCES],
    group: 'outils',
  },
  {
    slug: 'scanner',
    label: 'Scanner un document',
    falc: 'Mettre une feuille dans l’ordinateur (scanner)',
    keywords: ['scanner', 'numeriser', 'scan', 'photo de document'],
    services: [ACCES],
    group: 'outils',
  },
  {
    slug: 'ordinateur',
    label: 'Utiliser un ordinateur en libre accès',
    falc: 'Utiliser un ordinateur sur place',
    keywords: ['ordinateur', 'poste', 'internet', 'acces libre'],
    services: [ACCES],
    group: 'outils',
  },
  {
    slug: 'wifi',
    label: 'Avoir du wifi gratuit',
    falc: 'Avoir internet sans payer (wifi)',
    keywords: ['wifi', 'wi-fi', 'connexion', 'internet gratuit'],
    services: [ACCES],
    group: 'outils',
  },
  {
    slug: 'adresse-mail',
    label: 'Créer une adresse mail',
    falc: 'Avoir une adresse mail',
    keywords: ['mail', 'courriel', 'email', 'adresse mail', 'messagerie'],
    services: [QUOTIDIEN],
    group: 'outils',
  },
  {
    slug: 'smartphone',
    label: 'Apprendre à me servir de mon téléphone',
    falc: 'Apprendre à utiliser mon téléphone',
    keywords: ['telephone', 'smartphone', 'portable', 'applications', 'tablette'],
    services: [QUOTIDIEN],
    group: 'outils',
  },
  {
    slug: 'ordinateur-debuter',
    label: 'Débuter avec l’ordinateur',
    falc: 'Apprendre à utiliser un ordinateur',
    keywords: ['debuter', 'debutant', 'souris', 'clavier', 'initiation'],
    services: [QUOTIDIEN],
    group: 'outils',
  },
  {
    slug: 'visio',
    label: 'Faire un appel en vidéo (visio)',
    falc: 'Parler en vidéo avec quelqu’un',
    keywords: ['visio', 'video', 'whatsapp', 'appel video', 'teams', 'zoom'],
    services: [QUOTIDIEN],
    group: 'outils',
  },
  {
    slug: 'securite',
    label: 'Se protéger des arnaques en ligne',
    falc: 'Éviter les pièges sur internet',
    keywords: ['arnaque', 'securite', 'virus', 'piratage', 'mot de passe', 'phishing'],
    services: [SECURITE],
    group: 'outils',
  },
  {
    slug: 'comprendre',
    label: 'Comprendre le numérique et l’actualité',
    falc: 'Comprendre internet et les informations',
    keywords: ['comprendre', 'fake news', 'reseaux sociaux', 'intelligence artificielle'],
    services: [COMPRENDRE],
    group: 'outils',
  },
  {
    slug: 'cv',
    label: 'Faire un CV ou une lettre de motivation',
    falc: 'Écrire un CV',
    keywords: ['cv', 'lettre de motivation', 'candidature'],
    services: [EMPLOI],
    group: 'emploi',
  },
  {
    slug: 'emploi',
    label: 'Chercher un emploi ou une formation en ligne',
    falc: 'Chercher un travail sur internet',
    keywords: ['emploi', 'travail', 'offre', 'formation', 'job'],
    services: [EMPLOI],
    group: 'emploi',
  },
  {
    slug: 'ordinateur-pas-cher',
    label: 'Acheter un ordinateur ou un téléphone pas cher',
    falc: 'Acheter un ordinateur pas cher',
    keywords: ['acheter', 'pas cher', 'reconditionne', 'ordinateur solidaire', 'telephone solidaire'],
    services: [MATERIEL],
    programmes: ['Emmaüs Connect', 'Relais numérique (Emmaüs Connect)'],
    group: 'materiel',
  },
  {
    slug: 'forfait-solidaire',
    label: 'Trouver un forfait internet ou téléphone solidaire',
    falc: 'Payer moins cher internet ou le téléphone',
    keywords: ['forfait', 'recharge', 'abonnement', 'solidaire'],
    services: [MATERIEL, ACCES],
    programmes: ['Emmaüs Connect', 'Relais numérique (Emmaüs Connect)'],
    group: 'materiel',
  },
  {
    slug: 'enfants',
    label: 'Accompagner mes enfants avec les écrans',
    falc: 'Aider mes enfants avec les écrans',
    keywords: ['enfants', 'ecrans', 'parents', 'controle parental', 'ado'],
    services: [PARENTALITE],
    group: 'famille',
  },
  {
    slug: 'ecole',
    label: 'Suivre la scolarité (ENT, Pronote)',
    falc: 'Suivre l’école de mes enfants sur internet',
    keywords: ['ecole', 'pronote', 'ent', 'college', 'lycee', 'scolarite'],
    services: [PARENTALITE, DEMARCHES],
    group: 'famille',
  },
  {
    slug: 'loisirs',
    label: 'Photos, création, loisirs numériques',
    falc: 'Faire des photos et des loisirs sur l’ordinateur',
    keywords: ['photo', 'loisirs', 'creation', 'jeux', 'musique', 'fablab'],
    services: [LOISIRS],
    group: 'famille',
  },
  {
    slug: 'pix',
    label: 'Évaluer et certifier mes compétences (Pix)',
    falc: 'Savoir ce que je sais faire sur l’ordinateur',
    keywords: ['pix', 'certification', 'competences', 'evaluer'],
    services: [QUOTIDIEN, EMPLOI],
    programmes: ['Certification PIX'],
    group: 'emploi',
  },
]);

export const NEED_GROUPS: Readonly<Record<Need['group'], string>> = Object.freeze({
  demarches: 'Démarches en ligne',
  outils: 'Ordinateur, téléphone, internet',
  emploi: 'Emploi et formation',
  materiel: 'Matériel et abonnement',
  famille: 'Famille et loisirs',
});

const BY_SLUG = new Map(NEEDS.map((n) => [n.slug, n]));

/** Lowercase, no accents, single spaces: for comparing what people type. */
export function foldText(text: string): string {
  return text
    .normalize('NFD')
    .replace(/\p{Diacritic}/gu, '')
    .toLowerCase()
    .replace(/[’'`-]/g, ' ')
    .replace(/[^a-z0-9 ]+/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
}

export function needBySlug(slug: string): Need | null {
  return BY_SLUG.get(slug) ?? null;
}

/** Needs whose label or keywords contain what was typed (for the search box without JavaScript). */
export function matchNeeds(text: string): Need[] {
  const q = foldText(text);
  if (q === '') return [];
  return NEEDS.filter(
    (n) => foldText(n.label).includes(q) || n.keywords.some((k) => k.includes(q) || q.includes(k)),
  );
}
