/**
 * What the national "Schéma des lieux de médiation numérique" v1.0.2 accepts beyond its field names
 * (schema-fields.ts): the enumerations of its listed fields, the length limit of the resume and the pivot
 * written when none is valid. Pure data, read by the import, the export, the edit form and other domains
 * (through places.ts).
 */

// ---------------------------------------------------------------------------------------------------------
// Enumerations of schema v1.0.2, copied from the `constraints.pattern` of each field (in the pattern's order)
// so that src/ never reads the shared schema at run time. `test/reference/places-schema.reference.test.ts`
// checks them against the official schema.json.
// ---------------------------------------------------------------------------------------------------------

/** The 9 national services (`services`). */
export const SERVICES: readonly string[] = Object.freeze([
  'Aide aux démarches administratives',
  'Maîtrise des outils numériques du quotidien',
  'Insertion professionnelle via le numérique',
  'Utilisation sécurisée du numérique',
  'Parentalité et éducation avec le numérique',
  'Loisirs et créations numériques',
  'Compréhension du monde numérique',
  'Accès internet et matériel informatique',
  'Acquisition de matériel informatique à prix solidaire',
]);

/** `publics_specifiquement_adresses`. */
export const PUBLICS: readonly string[] = Object.freeze([
  'Jeunes',
  'Étudiants',
  'Familles et/ou enfants',
  'Seniors',
  'Femmes',
]);

/** `prise_en_charge_specifique`. */
export const PRISE_EN_CHARGE: readonly string[] = Object.freeze([
  'Surdité',
  'Handicaps moteurs',
  'Handicaps mentaux',
  'Illettrisme',
  'Langues étrangères (anglais)',
  'Langues étrangères (autres)',
  'Déficience visuelle',
]);

/** `frais_a_charge`. */
export const FRAIS: readonly string[] = Object.freeze(['Gratuit', 'Gratuit sous condition', 'Payant']);

/** `dispositif_programmes_nationaux`. */
export const DISPOSITIFS: readonly string[] = Object.freeze([
  'Aidants Connect',
  'Bibliothèques numérique de référence',
  'Certification PIX',
  'Conseillers numériques',
  'Emmaüs Connect',
  'France Services',
  'Grande école du numérique',
  'La Croix Rouge',
  "Point d'accès numérique CAF",
  'Promeneurs du net',
  'Relais numérique (Emmaüs Connect)',
]);

/** The label as it should be written (and as we store it). */
export const ETAPES_NUMERIQUES = 'Étapes numériques (La Poste)';
/**
 * The same label as written on export. Upstream defect in schema v1.0.2: the `formations_labels` pattern has
 * "Étapes numériques\(La Poste\)" with no space, so the correct spelling fails the official validator. We
 * accept both on import, store the spaced one and export the one the pattern accepts, until upstream fixes it.
 */
export const ETAPES_NUMERIQUES_EXPORT = 'Étapes numériques(La Poste)';

/** `formations_labels` (with the correct spelling of ETAPES_NUMERIQUES, see ETAPES_NUMERIQUES_EXPORT). */
export const FORMATIONS_LABELS: readonly string[] = Object.freeze([
  'Formé à « Mon Espace Santé »',
  'Formé à « DUPLEX » (illettrisme)',
  'Arnia/MedNum BFC (Bourgogne-Franche-Comté)',
  'Collectif ressources et acteurs réemploi (Normandie)',
  ETAPES_NUMERIQUES,
  'Fabriques de Territoire',
  'Les Éclaireurs du numérique (Drôme)',
  'Mes Papiers (Métropole de Lyon)',
  'ORDI 3.0',
  'SUD LABS (PACA)',
]);

/** `modalites_acces`. */
export const MODALITES_ACCES: readonly string[] = Object.freeze([
  'Se présenter',
  'Téléphoner',
  'Contacter par mail',
  'Prendre un RDV en ligne',
  "Ce lieu n'accueille pas de public",
  'Envoyer un mail avec une fiche de prescription',
]);

/** `modalites_accompagnement`. */
export const MODALITES_ACCOMPAGNEMENT: readonly string[] = Object.freeze([
  'En autonomie',
  'Accompagnement individuel',
  'Dans un atelier collectif',
  'À distance',
]);

/** `itinerance`. */
export const ITINERANCE: readonly string[] = Object.freeze(['Itinérant', 'Fixe']);

/**
 * The `typologie` codes and their French labels. schema.json gives no pattern for this field (it points to
 * data.inclusion's list); codes and labels are the upstream ones of the ANCT library
 * @gouvfr-anct/lieux-de-mediation-numerique (enum `Typologie`), labels kept verbatim.
 */
export const TYPOLOGY_LABELS: Readonly<Record<string, string>> = Object.freeze({
  ACI: 'Structures porteuses d’ateliers et chantiers d’insertion',
  ACIPHC: 'SIAE — Atelier chantier d’insertion premières heures en chantier',
  AFPA: 'Agence nationale pour la formation professionnelle des adultes',
  AI: 'Associations intermédiaires',
  ASE: 'Aide sociale à l’enfance',
  ASSO: 'Associations',
  ASSO_CHOMEUR: 'Associations de chômeurs',
  Autre: 'Autre',
  AVIP: "Crèche à vocation d'insertion professionnelle",
  BIB: 'Bibliothèque / Médiathèque',
  CAARUD: "Centre d'accueil et d'accompagnement à la réduction de risques pour usagers de drogues",
  CADA: 'Centres d’accueil de demandeurs d’asile',
  CAF: 'Caisses d’allocation familiale',
  CAP_EMPLOI: 'Cap Emploi',
  CAVA: 'Centres d’adaptation à la vie active',
  CC: 'Communautés de Commune',
  CCAS: 'Centres communaux d’action sociale',
  CCONS: 'Chambres consulaires',
  CD: 'Conseils Départementaux',
  CDAS: "Centre départemental d'action sociale",
  CFP: 'Centre des finances publiques',
  CHRS: 'Centres d’hébergement et de réinsertion sociale',
  CHU: 'Centres d’hébergement d’urgence',
  CIAS: 'Centres intercommunaux d’action sociale',
  CIDFF: 'Centres d’information sur les droits des femmes et des familles',
  CITMET: 'Cité des métiers',
  CMP: 'Centre Médico Psychologique',
  CMS: 'Centre médico-social',
  CPAM: "Caisse primaire d'assurance maladie",
  CPH: 'Centres provisoires d’hébergement',
  CS: 'Centre social',
  CSAPA: "- Centre de soins, d'accompagnement et de prévention en addictologie",
  CSC: 'Centre socioculturel',
  DEETS: 'Directions de l’Economie, de l’Emploi, du Travail et des Solidarités',
  DEPT: 'Services sociaux du Conseil départemental',
  DIPLP: 'Délégation interministérielle à la prévention et à la lutte contre la pauvreté',
  E2C: 'École de la deuxième chance',
  EA: 'Entreprise adaptée',
  EATT: 'Entreprise adaptée',
  EI: 'Entreprises d’insertion',
  EITI: 'Entreprises d’insertion par le travail indépendant',
  ENM: 'Espace Numérique Mobile',
  EPCI: 'Intercommunalité',
  EPI: 'Espace Public Internet',
  EPIDE: "Établissement pour l'insertion dans l'emploi",
  EPN: 'Espace publique numérique',
  ES: 'Épicerie solidaire',
  ESAT: "Établissements ou services d'aide par le travail",
  ESS: "Entreprise def l'Économie Sociale et Solidaire",
  ETTI: 'Entreprises de travail temporaire d’insertion',
  EVS: 'Espace de vie sociale',
  FABLAB: 'Fablab',
  FABRIQUE: 'Fabrique',
  FAIS: 'Fédérations d’acteurs de l’insertion et de la solidarité',
  FT: 'France travail',
  GEIQ: 'Groupements d’employeurs pour l’insertion et la qualification',
  HUDA: "Hébergement d'urgence pour demandeurs d'asile",
  LA_POSTE: 'La Poste',
  MDE: "Maison de l'emploi",
  MDH: 'Maison des Habitants',
  MDEF: "Maison de l'emploi et de la formation",
  MDPH: 'Maison Départementale des Personnes Handicapées',
  MDS: 'Maison Départementale des Solidarités',
  MJC: 'Maison des jeunes et de la culture',
  ML: 'Mission Locale',
  MQ: 'Maison de quartier',
  MSA: 'Mutualité Sociale Agricole',
  MSAP: 'Maison de Services Au Public',
  MUNI: 'Municipalités',
  OACAS: 'Structures agréées Organisme d’accueil communautaire et d’activité solidaire',
  ODC: "Organisation délégataire d'un CD",
  OF: 'Organisme de formations',
  OIL: "Opérateur d'intermédiation locative",
  OPCS: 'Organisation porteuse de la clause sociale',
  PAD: "Point d'Accès au Droit",
  PENSION: 'Pension de famille',
  PI: 'Point info',
  PIJ_BIJ: 'Points et bureaux information jeunesse',
  PIMMS: 'Point Information Médiation Multi Services',
  PJJ: 'Protection judiciaire de la jeunesse',
  PLIE: 'Plans locaux pour l’insertion et l’emploi',
  PREF: 'Préfecture, Sous-Préfecture',
  PREVENTION: 'Service ou club de prévention',
  REG: 'Région',
  RELAIS_LECTURE: 'Relais lecture',
  RESSOURCERIE: 'Ressourcerie',
  RFS: 'Réseau France Services',
  RS_FJT: 'Résidence sociale - Foyer de Jeunes Travailleurs',
  SCP: 'Services et clubs de prévention',
  SPIP: 'Services pénitentiaires d’insertion et de probation',
  TIERS_LIEUX: 'Tiers lieu & coworking',
  UDAF: 'Union Départementale d’Aide aux Familles',
});

/** The `typologie` codes, in the upstream order. */
export const TYPOLOGIES: readonly string[] = Object.freeze(Object.keys(TYPOLOGY_LABELS));

/**
 * The labels people read: the upstream ones cleaned of their defects (a stray hyphen before CSAPA, EA and
 * EATT both "Entreprise adaptée", "def l'Économie", "Espace publique", "Communautés de Commune", "France
 * travail", capitals in the middle of names), all in the singular and each one different. Codes stay the
 * schema's: imports, exports and the API carry the code, never this label.
 */
export const TYPOLOGY_FRENCH_LABELS: Readonly<Record<string, string>> = Object.freeze({
  ACI: 'Structure porteuse d’ateliers et chantiers d’insertion',
  ACIPHC: 'Atelier chantier d’insertion « premières heures en chantier »',
  AFPA: 'AFPA (formation professionnelle des adultes)',
  AI: 'Association intermédiaire',
  ASE: 'Aide sociale à l’enfance',
  ASSO: 'Association',
  ASSO_CHOMEUR: 'Association de chômeurs',
  Autre: 'Autre',
  AVIP: 'Crèche à vocation d’insertion professionnelle',
  BIB: 'Bibliothèque / Médiathèque',
  CAARUD: 'CAARUD (accueil et réduction des risques pour usagers de drogues)',
  CADA: 'Centre d’accueil de demandeurs d’asile',
  CAF: 'Caisse d’allocations familiales',
  CAP_EMPLOI: 'Cap emploi',
  CAVA: 'Centre d’adaptation à la vie active',
  CC: 'Communauté de communes',
  CCAS: 'Centre communal d’action sociale',
  CCONS: 'Chambre consulaire',
  CD: 'Conseil départemental',
  CDAS: 'Centre départemental d’action sociale',
  CFP: 'Centre des finances publiques',
  CHRS: 'Centre d’hébergement et de réinsertion sociale',
  CHU: 'Centre d’hébergement d’urgence',
  CIAS: 'Centre intercommunal d’action sociale',
  CIDFF: 'Centre d’information sur les droits des femmes et des familles',
  CITMET: 'Cité des métiers',
  CMP: 'Centre médico-psychologique',
  CMS: 'Centre médico-social',
  CPAM: 'Caisse primaire d’assurance maladie',
  CPH: 'Centre provisoire d’hébergement',
  CS: 'Centre social',
  CSAPA: 'Centre de soins, d’accompagnement et de prévention en addictologie',
  CSC: 'Centre socioculturel',
  DEETS: 'Direction de l’économie, de l’emploi, du travail et des solidarités',
  DEPT: 'Services sociaux du conseil départemental',
  DIPLP: 'Délégation interministérielle à la prévention et à la lutte contre la pauvreté',
  E2C: 'École de la deuxième chance',
  EA: 'Entreprise adaptée',
  EATT: 'Entreprise adaptée de travail temporaire',
  EI: 'Entreprise d’insertion',
  EITI: 'Entreprise d’insertion par le travail indépendant',
  ENM: 'Espace numérique mobile',
  EPCI: 'Intercommunalité',
  EPI: 'Espace public internet',
  EPIDE: 'Établissement pour l’insertion dans l’emploi',
  EPN: 'Espace public numérique',
  ES: 'Épicerie solidaire',
  ESAT: 'Établissement ou service d’aide par le travail',
  ESS: 'Entreprise de l’économie sociale et solidaire',
  ETTI: 'Entreprise de travail temporaire d’insertion',
  EVS: 'Espace de vie sociale',
  FABLAB: 'Fablab',
  FABRIQUE: 'Fabrique de territoire',
  FAIS: 'Fédération d’acteurs de l’insertion et de la solidarité',
  FT: 'France Travail',
  GEIQ: 'Groupement d’employeurs pour l’insertion et la qualification',
  HUDA: 'Hébergement d’urgence pour demandeurs d’asile',
  LA_POSTE: 'La Poste',
  MDE: 'Maison de l’emploi',
  MDH: 'Maison des habitants',
  MDEF: 'Maison de l’emploi et de la formation',
  MDPH: 'Maison départementale des personnes handicapées',
  MDS: 'Maison départementale des solidarités',
  MJC: 'Maison des jeunes et de la culture',
  ML: 'Mission locale',
  MQ: 'Maison de quartier',
  MSA: 'Mutualité sociale agricole',
  MSAP: 'Maison de services au public',
  MUNI: 'Mairie, commune',
  OACAS: 'Organisme d’accueil communautaire et d’activité solidaire',
  ODC: 'Organisation délégataire d’un conseil départemental',
  OF: 'Organisme de formation',
  OIL: 'Opérateur d’intermédiation locative',
  OPCS: 'Organisation porteuse de la clause sociale',
  PAD: 'Point d’accès au droit',
  PENSION: 'Pension de famille',
  PI: 'Point info',
  PIJ_BIJ: 'Point ou bureau information jeunesse',
  PIMMS: 'Point information médiation multi services',
  PJJ: 'Protection judiciaire de la jeunesse',
  PLIE: 'Plan local pour l’insertion et l’emploi',
  PREF: 'Préfecture, sous-préfecture',
  PREVENTION: 'Service de prévention',
  REG: 'Région',
  RELAIS_LECTURE: 'Relais lecture',
  RESSOURCERIE: 'Ressourcerie',
  RFS: 'France services',
  RS_FJT: 'Résidence sociale, foyer de jeunes travailleurs',
  SCP: 'Service ou club de prévention',
  SPIP: 'Service pénitentiaire d’insertion et de probation',
  TIERS_LIEUX: 'Tiers-lieu, coworking',
  UDAF: 'Union départementale des associations familiales',
});

/** Plain-French name of a typology code for the views; an unknown code is shown as given. */
export function describeTypology(code: string): string {
  return TYPOLOGY_FRENCH_LABELS[code] ?? TYPOLOGY_LABELS[code] ?? code;
}

/**
 * What a person calls one place of a kind, where it differs from the schema's name: the initials people
 * use at the counter ("CCAS") in ordinary wording, everyday words without initials in FALC. Other kinds
 * keep their plain singular name (describeTypology).
 */
const KIND_WORDS: Readonly<Record<string, { normal: string; falc: string }>> = Object.freeze({
  CCAS: { normal: 'CCAS', falc: 'Service social de la mairie' },
  CIAS: { normal: 'CIAS', falc: 'Service social de plusieurs communes' },
  CAF: { normal: 'CAF', falc: 'Caisse d’allocations familiales' },
  CPAM: { normal: 'CPAM (Assurance maladie)', falc: 'Assurance maladie' },
  MSA: { normal: 'MSA', falc: 'Mutualité sociale agricole' },
  MJC: { normal: 'MJC', falc: 'Maison des jeunes et de la culture' },
  MUNI: { normal: 'Mairie', falc: 'Mairie' },
  BIB: { normal: 'Médiathèque', falc: 'Bibliothèque' },
  EPN: { normal: 'Espace public numérique', falc: 'Lieu avec des ordinateurs pour tous' },
  EPI: { normal: 'Espace public internet', falc: 'Lieu avec des ordinateurs pour tous' },
  ENM: { normal: 'Espace numérique mobile', falc: 'Service qui vient avec des ordinateurs' },
  RFS: { normal: 'France services', falc: 'France services : aide pour vos papiers' },
  PIJ_BIJ: { normal: 'Point information jeunesse', falc: 'Lieu d’information pour les jeunes' },
  FABLAB: { normal: 'Fablab', falc: 'Atelier pour fabriquer des objets' },
  TIERS_LIEUX: { normal: 'Tiers-lieu', falc: 'Lieu partagé pour travailler' },
  FT: { normal: 'France Travail', falc: 'France Travail' },
  CAARUD: { normal: 'CAARUD', falc: 'Accueil pour les usagers de drogues' },
  AFPA: { normal: 'AFPA (formation des adultes)', falc: 'Formation pour les adultes' },
});

/** One place's kind, in the singular and the words people use (ordinary or FALC). */
export function placeKind(code: string, falc: boolean): string {
  const words = KIND_WORDS[code];
  if (words) return falc ? words.falc : words.normal;
  return describeTypology(code);
}

/** Schema v1.0.2 limit of `presentation_resume`, in characters. */
export const PRESENTATION_RESUME_MAX_LENGTH = 280;
/** The pivot written when a place has no valid SIRET/RNA/RIDET (the schema requires the field). */
export const PIVOT_PLACEHOLDER = '00000000000000';
