/**
 * The vocabulary of La Coop de la médiation numérique, as Maillage speaks it (decision 0038): the Coop's
 * stored values (the `@map` of its Prisma enums) and its French labels, copied from its form fields, in
 * its order; its duration presets; the old type `demarche`. Maillage stores these values as they are, so
 * the Coop's exports come in and go out without translation. src/activities/vocabulary.reference.test.ts
 * compares these lists with the pinned files and fails on any value on one side only.
 */
// ---------------------------------------------------------------------------------------------------
// Vocabulary: value → label, in the Coop's order.
// ---------------------------------------------------------------------------------------------------

export const ACTIVITY_KIND_LABELS = {
  individuel: 'Accompagnement individuel',
  collectif: 'Atelier collectif',
} as const;
export type ActivityKind = keyof typeof ACTIVITY_KIND_LABELS;

export const PLACE_KIND_LABELS = {
  lieu_activite: 'Lieu d’activité',
  domicile: 'À domicile',
  a_distance: 'À distance',
  autre: 'Autre lieu',
} as const;
export type PlaceKind = keyof typeof PLACE_KIND_LABELS;

/** The one theme that opens the administrative ones (and the procedure's name). */
export const ADMINISTRATIVE_HELP = 'aide_aux_demarches_administratives';

export const DIGITAL_THEME_LABELS = {
  diagnostic_numerique: 'Diagnostic numérique',
  prendre_en_main_du_materiel: 'Prendre en main du matériel',
  maintenance_de_materiel: 'Maintenance de matériel',
  gere_ses_contenus_numeriques: 'Gérer ses contenus numériques',
  navigation_sur_internet: 'Navigation sur internet',
  email: 'E-mail',
  bureautique: 'Bureautique',
  reseaux_sociaux: 'Réseaux sociaux communication',
  sante: 'Santé',
  banque_et_achats_en_ligne: 'Banque et achats en ligne',
  entrepreneuriat: 'Accompagner un professionnel',
  insertion_professionnelle: 'Insertion professionnelle',
  securite_numerique: 'Prévention en sécurité numérique',
  parentalite: 'Parentalité',
  scolarite_et_numerique: 'Scolarité et numérique',
  creer_avec_le_numerique: 'Créer avec le numérique',
  culture_numerique: 'Culture numérique',
  intelligence_artificielle: 'Intelligence artificielle (IA)',
  aide_aux_demarches_administratives: 'Aide aux démarches administratives',
} as const;

/** Allowed only with "aide aux démarches administratives" (the Coop's form shows them only then). */
export const ADMINISTRATIVE_THEME_LABELS = {
  papiers_elections_citoyennete: 'Papiers - Élections - Citoyenneté',
  famille_scolarite: 'Famille - Scolarité',
  social_sante: 'Social - Santé',
  travail_formation: 'Travail - Formation - Entreprise',
  logement: 'Logement',
  transports_mobilite: 'Transports - Mobilité',
  argent_impots: 'Argent - Impôts',
  justice: 'Justice',
  etrangers_europe: 'Étrangers - Europe',
  loisirs_sports_culture: 'Loisirs - Sports - Culture',
  associations: 'Associations',
} as const;

export const THEME_LABELS = { ...DIGITAL_THEME_LABELS, ...ADMINISTRATIVE_THEME_LABELS } as const;
export type Theme = keyof typeof THEME_LABELS;

export const EQUIPMENT_LABELS = {
  ordinateur: 'Ordinateur',
  telephone: 'Téléphone',
  tablette: 'Tablette',
  autre: 'Autre',
  aucun: 'Pas de matériel',
} as const;
export type Equipment = keyof typeof EQUIPMENT_LABELS;

export const AUTONOMY_LABELS = {
  entierement_accompagne: 'Avec guidage',
  partiellement_autonome: 'Autonome avec guidage en cas de besoin',
  autonome: 'Autonome',
} as const;
export type Autonomy = keyof typeof AUTONOMY_LABELS;
/** The Coop's export writes autonomy (and a workshop's level) as stars out of 3. */
export const AUTONOMY_STARS: Readonly<Record<Autonomy, number>> = {
  entierement_accompagne: 1,
  partiellement_autonome: 2,
  autonome: 3,
};

export const REDIRECTION_LABELS = {
  administration: 'Administration (mairie, préfecture…)',
  mediation_numerique: 'Autre structure de médiation numérique',
  operateur_ou_organisme_en_charge: 'Opérateur ou organisme en charge de la démarche administrative',
  aide_sociale: 'Structure d’aide sociale (maison des solidarités, centre social…)',
  insertion_professionnelle:
    'Structure d’insertion professionnelle (France Travail, mission locale, chambre de commerce…)',
  aide_aux_demarches_administratives: 'Structure d’aide aux démarches administratives (France Services…)',
  autre: 'Autre',
} as const;
export type Redirection = keyof typeof REDIRECTION_LABELS;

export const WORKSHOP_LEVEL_LABELS = {
  debutant: 'Débutant',
  intermediaire: 'Intermédiaire',
  avance: 'Avancé',
} as const;
export type WorkshopLevel = keyof typeof WORKSHOP_LEVEL_LABELS;
export const WORKSHOP_LEVEL_STARS: Readonly<Record<WorkshopLevel, number>> = {
  debutant: 1,
  intermediaire: 2,
  avance: 3,
};

export const GENDER_LABELS = {
  masculin: 'Masculin',
  feminin: 'Féminin',
  non_communique: 'Non communiqué',
} as const;
export type Gender = keyof typeof GENDER_LABELS;

export const AGE_BAND_LABELS = {
  moins_de_douze: 'Moins de 12 ans',
  douze_dix_huit: '12 - 17 ans',
  dix_huit_vingt_quatre: '18 - 24 ans',
  vingt_cinq_trente_neuf: '25 - 39 ans',
  quarante_cinquante_neuf: '40 - 59 ans',
  soixante_soixante_neuf: '60 - 69 ans',
  soixante_dix_plus: '70 ans et plus',
  non_communique: 'Non communiqué',
} as const;
export type AgeBand = keyof typeof AGE_BAND_LABELS;

export const SOCIAL_STATUS_LABELS = {
  scolarise: 'Scolarisé',
  sans_emploi: 'Sans emploi',
  en_emploi: 'En emploi',
  retraite: 'Retraité',
  non_communique: 'Non communiqué ou hétérogène',
} as const;
export type SocialStatus = keyof typeof SOCIAL_STATUS_LABELS;

/** "Déjà accompagné": the Coop's anonymous participants count those accompanied before. */
export const ALREADY_ACCOMPANIED_LABEL = 'Déjà accompagné';

/** The Coop's duration presets (minutes), and its "Personnaliser" choice (hours and minutes). */
export const DURATION_PRESETS = [15, 30, 45, 60, 90, 120] as const;
export const CUSTOM_DURATION = 'personnaliser';
export const MAX_DURATION_MINUTES = 23 * 60 + 59;
/** The Conseiller numérique programme began on this day: the Coop takes no record before it. */
export const FIRST_RECORD_DAY = '2020-11-17';
/** The Coop's ceiling for anonymous participants of one workshop. */
export const MAX_PARTICIPANTS = 10_000;
export const PROCEDURE_DETAILS_MAX_LENGTH = 1000;
export const WORKSHOP_TITLE_MAX_LENGTH = 200;
/** Identified beneficiaries are kept this long after their last accompaniment (as orientations). */
export const BENEFICIARY_RETENTION_MONTHS = 24;

/** A duration as people say it: 90 → "1 h 30", 45 → "45 min". */
export function durationLabel(minutes: number): string {
  const h = Math.floor(minutes / 60);
  const m = minutes % 60;
  if (h === 0) return `${m} min`;
  return m === 0 ? `${h} h` : `${h} h ${String(m).padStart(2, '0')}`;
}

/**
 * Old Coop exports' activity type `demarche` (administrative procedure), merged into `individuel` in
 * April 2025: an individual record with "aide aux démarches administratives".
 */
export const LEGACY_ACTIVITY_KINDS = {
  demarche: { kind: 'individuel', theme: ADMINISTRATIVE_HELP },
} as const satisfies Record<string, { kind: ActivityKind; theme: Theme }>;

// ---------------------------------------------------------------------------------------------------
// The Coop's coordination activities (network coordinators).
// ---------------------------------------------------------------------------------------------------

export const COORDINATION_KIND_LABELS = {
  animation: 'Animation',
  evenement: 'Évènement',
  partenariat: 'Partenariat',
} as const;
export type CoordinationKind = keyof typeof COORDINATION_KIND_LABELS;

export const ANIMATION_TYPE_LABELS = {
  assemblee:
    'Assemblée / présentation officielle (Ex : conseil municipal, conseil communautaire, conseil départemental, CA d’association)',
  comite: 'Comité technique / de pilotage',
  groupe_de_travail: 'Groupe de travail',
  echange: 'Moment d’échange / aide / soutien',
  reunion_coordination:
    'Réunion de coordination (coordinateurs, médiateurs et conseillers numériques, préfectures, Hubs...)',
  webinaire: 'Webinaire',
  autre: 'Autre',
} as const;
export type AnimationType = keyof typeof ANIMATION_TYPE_LABELS;

export const INITIATIVE_LABELS = {
  initiative: 'Intervention à mon initiative',
  demande: 'Réponse à un besoin/une problématique',
} as const;
export type Initiative = keyof typeof INITIATIVE_LABELS;

export const ANIMATION_THEME_LABELS = {
  partage: 'Échanges de bonnes pratiques / partage d’informations',
  reseau: 'Maillage territorial - faire réseau / créer du lien',
  soutien: 'Soutien technique et/ou organisationnel',
  professionnel: 'Projet / Parcours professionnel',
  rh: 'Soutien RH auprès des structures',
  autre: 'Autre thématique',
} as const;
export type AnimationTheme = keyof typeof ANIMATION_THEME_LABELS;

/** `nec_local`: the network's local day of digital inclusion, which the agenda fills. */
export const EVENT_TYPE_LABELS = {
  grand_public:
    'Évènement grand public (Ex : Forums, salons, journées départementales, ateliers collectifs...)',
  national: 'Évènement national (Ex : NEC, ANCTour, etc...)',
  inclusion_numerique: 'Journée d’inclusion numérique (Ex : Séminaire, rencontre, intervention...)',
  nec_local: 'NEC local',
  autre: 'Autre',
} as const;
export type EventType = keyof typeof EVENT_TYPE_LABELS;

export const ORGANISER_LABELS = {
  ma_structure: 'Ma structure (moi - même)',
  commune: 'Une commune',
  epci: 'Un EPCI',
  departement: 'Le département',
  region: 'La région',
  association: 'Une association',
  entreprise: 'Une entreprise',
  hub: 'Un Hub',
  etat: 'État (Préfecture, ANCT, Opérateur...)',
  groupement: 'Un groupement (Syndicat mixte, consortium...)',
  autre: 'Autre',
} as const;
export type Organiser = keyof typeof ORGANISER_LABELS;

/** A partner structure's kind: the organisers but "ma structure" (the Coop's partner list). */
export const PARTNER_TYPE_LABELS = (({ ma_structure: _, ...rest }) => rest)(ORGANISER_LABELS);
export type PartnerType = keyof typeof PARTNER_TYPE_LABELS;

export const TERRITORIAL_LEVEL_LABELS = {
  communal: 'Communal',
  intercommunal: 'Intercommunal',
  departemental: 'Départemental',
  regional: 'Régional',
  national: 'National',
} as const;
export type TerritorialLevel = keyof typeof TERRITORIAL_LEVEL_LABELS;

export const PARTNERSHIP_NATURE_LABELS = {
  parcours_usager: 'Conception de parcours usager',
  subvention: 'Recherche de subvention',
  coordination_departementale: 'Journée de coordination départementale',
  rdv_elu: 'Rendez-vous avec un·e élu·e',
  autre: 'Autre',
} as const;
export type PartnershipNature = keyof typeof PARTNERSHIP_NATURE_LABELS;

/**
 * Each enum of the Coop's data model (its Prisma name) and the Maillage list that speaks it. The
 * reference test reads the pinned enums.json and checks both sides have the same values.
 */
export const COOP_ENUMS: Readonly<Record<string, Readonly<Record<string, string>>>> = {
  TypeActivite: ACTIVITY_KIND_LABELS,
  TypeActiviteCoordination: COORDINATION_KIND_LABELS,
  TypeLieu: PLACE_KIND_LABELS,
  Materiel: EQUIPMENT_LABELS,
  Thematique: THEME_LABELS,
  Autonomie: AUTONOMY_LABELS,
  StructureDeRedirection: REDIRECTION_LABELS,
  NiveauAtelier: WORKSHOP_LEVEL_LABELS,
  Genre: GENDER_LABELS,
  TrancheAge: AGE_BAND_LABELS,
  StatutSocial: SOCIAL_STATUS_LABELS,
  TypeAnimation: ANIMATION_TYPE_LABELS,
  TypeEvenement: EVENT_TYPE_LABELS,
  Initiative: INITIATIVE_LABELS,
  ThematiqueAnimation: ANIMATION_THEME_LABELS,
  Organisateur: ORGANISER_LABELS,
  EchelonTerritorial: TERRITORIAL_LEVEL_LABELS,
  NaturePartenariat: PARTNERSHIP_NATURE_LABELS,
};

export const isOf = <T extends Record<string, string>>(labels: T, value: string): value is keyof T & string =>
  Object.hasOwn(labels, value);
export const keysOf = <T extends Record<string, string>>(labels: T) =>
  Object.keys(labels) as (keyof T & string)[];
