import { createHash, hash } from 'node:crypto';
import OpeningHours from 'opening_hours';
import {
  type CommuneCandidate,
  type CommuneResolution,
  checkCommuneCode,
  resolveCommune,
} from '../communes/commune-resolution.ts';
import { normalizeInseeCode, normalizePostcode } from '../shared/commune-codes.ts';
import { parseEmail } from '../shared/email.ts';
import { normalizePhone } from '../shared/phone.ts';
import { schemaPivot } from '../shared/pivot.ts';
import { cleanRawText } from '../shared/text.ts';
import {
  findV0Value,
  V0_FIELD_LABELS,
  V0_FIELD_MAPPING,
  V0_LIST_FIELD_TARGETS,
  V0_VALUE_MAPPING,
  type V0ListField,
  type V0ValueMatch,
} from './places-v0.ts';
import { SCHEMA_FIELDS, type SchemaField, type SchemaRow } from './schema-fields.ts';

export { SCHEMA_FIELDS, type SchemaField, type SchemaRow };

/**
 * The place domain, pure: the national "Schéma des lieux de médiation numérique" v1.0.2 fields, the
 * normalisation and validation of one imported row, and the mapping back to a schema row for export.
 * No database, no HTTP, no process.env here.
 */

/** A place's data as the domain sees it (one source record). Multi-valued fields are arrays. */
export interface PlaceData {
  sourceId: string;
  pivot: string;
  nom: string;
  commune: string;
  codePostal: string;
  codeInsee: string | null;
  adresse: string;
  complementAdresse: string | null;
  latitude: number | null;
  longitude: number | null;
  /** True when the position is not the place's own (e.g. the commune's reference point). */
  positionApproximate: boolean;
  typologie: string[];
  telephone: string | null;
  courriels: string[];
  siteWeb: string[];
  horaires: string | null;
  presentationResume: string | null;
  presentationDetail: string | null;
  itinerance: string[];
  structureParente: string | null;
  /** 'YYYY-MM-DD' */
  dateMaj: string | null;
  services: string[];
  publicsSpecifiquementAdresses: string[];
  priseEnChargeSpecifique: string[];
  fraisACharge: string[];
  dispositifProgrammesNationaux: string[];
  formationsLabels: string[];
  autresFormationsLabels: string[];
  modalitesAcces: string[];
  modalitesAccompagnement: string[];
  ficheAccesLibre: string | null;
  priseRdv: string | null;
}

/** A stored place: one source record plus our stable id. */
export interface Place extends PlaceData {
  id: string;
  source: string;
  updatedAt: Date;
}

/** One entry of an import report: one failing field of one row (row null for a file-level message). */
export interface ImportIssue {
  row: number | null;
  id: string | null;
  field: string | null;
  value: string | null;
  message: string;
}

export interface NormalizedRow {
  /** null when the row is rejected (then `errors` is not empty). */
  place: PlaceData | null;
  /** The row's own `source` value, if any (identity: --source, else this, else the file name). */
  source: string | null;
  warnings: ImportIssue[];
  errors: ImportIssue[];
}

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

/** Plain-French name of a typology code for the views; an unknown code is shown as given. */
export function describeTypology(code: string): string {
  return TYPOLOGY_LABELS[code] ?? code;
}

// ---------------------------------------------------------------------------------------------------------
// Import normalisation: "refuse little, warn much".
// ---------------------------------------------------------------------------------------------------------

/** Schema v1.0.2 limit of `presentation_resume`, in characters. */
export const PRESENTATION_RESUME_MAX_LENGTH = 280;
/** The pivot written when a place has no valid SIRET/RNA/RIDET (the schema requires the field). */
export const PIVOT_PLACEHOLDER = '00000000000000';

/** Dates before this are surely typing mistakes: the schema itself dates from 2022. */
const OLDEST_DATE = '2000-01-01';

/** French names of the fields, for messages. */
const FIELD_NAMES: Readonly<Record<SchemaField, string>> = {
  id: "l'identifiant",
  pivot: 'le SIRET / RNA',
  nom: 'le nom du lieu',
  commune: 'la commune',
  code_postal: 'le code postal',
  code_insee: 'le code INSEE',
  adresse: "l'adresse",
  complement_adresse: "le complément d'adresse",
  latitude: 'la latitude',
  longitude: 'la longitude',
  typologie: 'la typologie',
  telephone: 'le téléphone',
  courriels: 'les courriels',
  site_web: 'le site web',
  horaires: 'les horaires',
  presentation_resume: 'la présentation résumée',
  presentation_detail: 'la présentation détaillée',
  source: 'la source',
  itinerance: "l'itinérance",
  structure_parente: 'la structure parente',
  date_maj: 'la date de mise à jour',
  services: 'les services',
  publics_specifiquement_adresses: 'les publics spécifiquement adressés',
  prise_en_charge_specifique: 'la prise en charge spécifique',
  frais_a_charge: 'les frais à charge',
  dispositif_programmes_nationaux: 'les dispositifs et programmes nationaux',
  formations_labels: 'les formations et labels',
  autres_formations_labels: 'les autres formations et labels',
  modalites_acces: "les modalités d'accès",
  modalites_accompagnement: "les modalités d'accompagnement",
  fiche_acces_libre: 'la fiche Accès libre',
  prise_rdv: 'la prise de rendez-vous',
};

function capitalize(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

/** « Le code postal (colonne « code_postal ») » */
function fieldName(field: SchemaField): string {
  return `${capitalize(FIELD_NAMES[field])} (colonne « ${field} »)`;
}

/** The user-facing messages of the import, in one place. */
const MESSAGES = {
  requiredMissing: (field: SchemaField) => `${fieldName(field)} est obligatoire mais vide.`,
  postalCodeInvalid: (value: string) =>
    `Le code postal « ${value} » n'est pas valide : il doit avoir 5 chiffres, par exemple 45000.`,
  notANumber: (field: 'latitude' | 'longitude', value: string) =>
    `${capitalize(FIELD_NAMES[field])} « ${value} » n'est pas un nombre. Écrivez un nombre décimal avec un point, par exemple ${field === 'latitude' ? '47.9029' : '1.9039'}.`,
  outOfRange: (field: 'latitude' | 'longitude', value: string) =>
    field === 'latitude'
      ? `La latitude « ${value} » est hors limites : elle doit être comprise entre -90 et 90.`
      : `La longitude « ${value} » est hors limites : elle doit être comprise entre -180 et 180.`,
  coordinateAlone: (present: 'latitude' | 'longitude', missing: 'latitude' | 'longitude') =>
    `${capitalize(FIELD_NAMES[missing])} est vide alors que ${FIELD_NAMES[present]} est renseignée : renseignez les deux, ou aucune.`,
  structuredValue: (field: SchemaField) =>
    `${fieldName(field)} contient une valeur structurée (objet) au lieu d'un texte : elle est ignorée.`,
  pivotMissing: () =>
    `Le SIRET / RNA (colonne « pivot ») est vide : il est remplacé par ${PIVOT_PLACEHOLDER} (le schéma exige une valeur).`,
  pivotInvalid: (value: string) =>
    `Le SIRET / RNA « ${value} » n'est pas valide (9 à 14 lettres ou chiffres attendus) : il est remplacé par ${PIVOT_PLACEHOLDER}.`,
  dateMissing: () =>
    'La date de mise à jour (colonne « date_maj ») est vide : le lieu sera considéré comme non daté.',
  dateUnparsable: (value: string) =>
    `La date de mise à jour « ${value} » n'est pas reconnue : écrivez-la AAAA-MM-JJ (par exemple 2024-04-02) ou JJ/MM/AAAA. Elle est ignorée.`,
  dateAbsurd: (value: string) =>
    `La date de mise à jour « ${value} » est invraisemblable (avant l'an 2000 ou dans le futur) : elle est ignorée.`,
  inseeInvalid: (value: string) =>
    `Le code INSEE « ${value} » n'est pas valide : il doit avoir 5 caractères, par exemple 45234 ou 2A004. Il est ignoré.`,
  phoneInvalid: (value: string) =>
    `Le numéro de téléphone « ${value} » n'est pas reconnu : écrivez un numéro français, par exemple 02 38 00 00 00 ou +33238000000. Il est ignoré.`,
  phonePartlyKept: (value: string, kept: string) =>
    `Le champ téléphone « ${value} » contient autre chose qu'un numéro : seul le numéro ${kept} est gardé (le schéma n'en prévoit qu'un).`,
  emailInvalid: (value: string) =>
    `Le courriel « ${value} » n'est pas une adresse valide (par exemple contact@exemple.fr) : il est ignoré.`,
  urlInvalid: (field: SchemaField, value: string) =>
    `L'adresse web « ${value} » (colonne « ${field} ») n'est pas valide (par exemple https://exemple.fr) : elle est ignorée.`,
  hoursInvalid: (value: string) =>
    `Les horaires « ${value} » ne suivent pas le format OpenStreetMap (par exemple « Mo-Fr 09:00-12:00 ») : ils sont gardés tels quels, mais l'ouverture du moment ne pourra pas être calculée.`,
  resumeTooLong: (length: number) =>
    `La présentation résumée fait ${length} caractères, plus que les ${PRESENTATION_RESUME_MAX_LENGTH} permis : elle a été coupée, et le texte complet a été placé au début de la présentation détaillée.`,
  enumUnknown: (field: SchemaField, value: string, allowed: readonly string[]) =>
    `La valeur « ${value} » n'existe pas dans la liste du schéma pour ${FIELD_NAMES[field]} (colonne « ${field} ») : elle est ignorée.${allowed.length <= 12 ? ` Valeurs possibles : ${allowed.join(' ; ')}.` : ''}`,
  postalCodeCedex: (value: string, kept: string) =>
    `Le code postal « ${value} » contient une mention CEDEX : seul le code ${kept} est gardé.`,
  communeNotOfPostcode: (commune: string, postcode: string, nom: string, code: string) =>
    `« ${commune} » n'est pas une commune du code postal ${postcode} (un hameau ou une ancienne commune ?) : le code INSEE ${code} de ${nom}, seule commune de ce code postal, a été retenu. Vérifiez-le.`,
  postcodeNotOfCommune: (postcode: string, nom: string, code: string) =>
    `Le code postal ${postcode} n'est pas celui de la commune ${nom} : le code INSEE ${code} a été retenu d'après le nom de la commune. Vérifiez le code postal.`,
  communeAmbiguous: (commune: string, postcode: string, candidates: readonly CommuneCandidate[]) =>
    `Le code INSEE de « ${commune} » (code postal ${postcode}) est ambigu : ${candidates
      .slice(0, 5)
      .map((candidate) => `${candidate.nom} (${candidate.code})`)
      .join(', ')}${candidates.length > 5 ? ", et d'autres" : ''}. Renseignez la colonne « code_insee ».`,
  communeNotFound: (commune: string, postcode: string) =>
    `Aucune commune « ${commune} » n'a été trouvée pour le code postal ${postcode} : le code INSEE n'a pas pu être déduit. Vérifiez la commune et le code postal, ou renseignez la colonne « code_insee ».`,
  inseeArrondissement: (code: string, nom: string, communeCode: string) =>
    `Le code INSEE ${code} est celui d'un arrondissement de ${nom} : il est remplacé par celui de la commune, ${communeCode}.`,
  inseeUnknown: (code: string, derived: string | null) =>
    `Aucune commune actuelle n'a le code INSEE ${code} (ancienne commune ou faute de frappe) : ${derived === null ? 'il est gardé tel quel' : `il est remplacé par ${derived}, déduit du code postal et de la commune`}.`,
  inseeMismatch: (code: string, nom: string, postcode: string, commune: string) =>
    `Le code INSEE ${code} est celui de ${nom}, qui ne correspond ni au code postal ${postcode} ni à la commune « ${commune} » : vérifiez ces trois colonnes.`,
  v0FieldRenamed: (v0Field: string, field: SchemaField) =>
    `La colonne « ${v0Field} » de l'ancien schéma (v0) est lue comme ${FIELD_NAMES[field]} (colonne « ${field} »).`,
  v0FieldIgnored: (v0Field: string, field: SchemaField) =>
    `La colonne « ${v0Field} » de l'ancien schéma (v0) est ignorée : la colonne « ${field} » du schéma actuel est renseignée et prime.`,
  v0FieldDropped: (v0Field: string, reason: string) =>
    `La colonne « ${v0Field} » de l'ancien schéma (v0) est ignorée : ${reason}.`,
  v0StructuredValue: (v0Field: string) =>
    `La colonne « ${v0Field} » contient une valeur structurée (objet) au lieu d'un texte : elle est ignorée.`,
  v0ValueMapped: (column: string, value: string, field: SchemaField, values: readonly string[]) =>
    `La valeur « ${value} » (colonne « ${column} ») vient de l'ancien schéma (v0) : elle est remplacée par « ${values.join(' » et « ')} » dans ${FIELD_NAMES[field]} (colonne « ${field} »).`,
  v0KeptInDetail: (column: string, value: string) =>
    `La valeur « ${value} » (colonne « ${column} ») n'a pas d'équivalent dans le schéma actuel : elle est gardée en texte dans la présentation détaillée (colonne « presentation_detail »).`,
  v0KeptInOtherLabels: (column: string, value: string) =>
    `La valeur « ${value} » (colonne « ${column} ») n'a pas d'équivalent dans le schéma actuel : elle est placée dans les autres formations et labels (colonne « autres_formations_labels »).`,
  coordinatesSwapped: (latitude: string, longitude: string) =>
    `La latitude « ${latitude} » et la longitude « ${longitude} » sont inversées (ainsi écrites, le lieu serait hors de France) : elles ont été remises dans l'ordre.`,
  labelMoved: (value: string) =>
    `La valeur « ${value} » n'existe pas dans la liste des formations et labels du schéma : elle a été placée dans les autres formations et labels (colonne « autres_formations_labels »).`,
} as const;

const PRINTABLE_ASCII = /^[\x20-\x7E]*$/;

/**
 * Every cell of an imported file goes through here: control characters and lone surrogates out (the
 * shared first pass on outside text), accents unified. Line breaks are kept: a text area keeps them,
 * one-line fields turn them into spaces, list fields into their separator.
 */
function cleanText(text: string): string {
  // Printable ASCII (most values) is already NFC and holds no control character.
  if (PRINTABLE_ASCII.test(text)) return text;
  return cleanRawText(text).normalize('NFC');
}

/** How a raw value is shown back to the user in an issue. */
function displayValue(value: unknown): string | null {
  if (value === null || value === undefined) return null;
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (Array.isArray(value)) return value.map((item) => displayValue(item) ?? '').join('|');
  return JSON.stringify(value);
}

type ScalarResult = { readonly text: string | null; readonly structured: boolean };
const ABSENT: ScalarResult = Object.freeze({ text: null, structured: false });

/** A raw string as trimmed text, null when empty (toText's common case, without a result object). */
function stringText(value: string): string | null {
  if (value === '') return null;
  const text = cleanText(value).trim();
  return text === '' ? null : text;
}

/** One raw value as trimmed text (null when absent or empty); arrays are joined with `|`. */
function toText(value: unknown): ScalarResult {
  if (value === null || value === undefined) return ABSENT;
  if (typeof value === 'string') return { text: stringText(value), structured: false };
  if (typeof value === 'number')
    return { text: Number.isFinite(value) ? String(value) : null, structured: false };
  if (typeof value === 'boolean') return { text: String(value), structured: false };
  if (Array.isArray(value)) {
    const parts: string[] = [];
    let structured = false;
    for (const item of value) {
      const part = toText(item);
      structured ||= part.structured;
      if (part.text !== null) parts.push(part.text);
    }
    return { text: parts.length > 0 ? parts.join('|') : null, structured };
  }
  return { text: null, structured: true };
}

/** Splits a multi-valued raw value (array or `|`-joined string) into trimmed, non-empty, distinct items. */
function toList(value: unknown, separators: RegExp): { items: string[]; structured: boolean } {
  if (typeof value === 'string') return { items: splitText(value, separators), structured: false };
  const sources = Array.isArray(value) ? value : [value];
  const items: string[] = [];
  let structured = false;
  for (const source of sources) {
    const { text, structured: isStructured } = toText(source);
    structured ||= isStructured;
    if (text === null) continue;
    for (const part of text.split(separators)) {
      const item = part.trim();
      if (item !== '' && !items.includes(item)) items.push(item);
    }
  }
  return { items, structured };
}

/** Whitespace that oneLine changes: a run of two, or any whitespace but a plain space. */
const NOT_ONE_LINE = /\s\s|[^\S ]/;

/** toList of a string, the common case: no split for a single value (the separators are not global). */
function splitText(value: string, separators: RegExp): string[] {
  const text = stringText(value);
  if (text === null) return [];
  if (!separators.test(text)) return [text];
  const items: string[] = [];
  for (const part of text.split(separators)) {
    const item = part.trim();
    if (item !== '' && !items.includes(item)) items.push(item);
  }
  return items;
}

function oneLine(text: string | null): string | null {
  // replace() copies the text even when nothing matches: most values are already on one line.
  return text === null || !NOT_ONE_LINE.test(text) ? text : text.replace(/\s+/g, ' ');
}

/**
 * The key under which enumeration values are compared: accents, case, apostrophes and spacing around
 * parentheses and French quotes do not matter (producers type "Etudiants", "gratuit", "Étapes numériques(La
 * Poste)"); the stored value is always the canonical one.
 */
function enumKey(value: string): string {
  return value
    .normalize('NFD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/[’‘`´]/g, "'")
    .replace(/\s+/g, ' ')
    .replace(/\s*\(\s*/g, '(')
    .replace(/\s*\)/g, ')')
    .replace(/«\s*/g, '«')
    .replace(/\s*»/g, '»')
    .trim();
}

interface EnumLookup {
  byKey: Map<string, string>;
  /** Values as written → canonical value or null: files repeat the same few spellings on every row. */
  written: Map<string, string | null>;
}
const enumLookups = new WeakMap<readonly string[], EnumLookup>();
/** Bounds each memo of written spellings (an import of free texts must not grow memory forever). */
const ENUM_MEMO_LIMIT = 10_000;

/** The canonical spelling of `value` in `values`, or null when it is not one of them. */
function canonicalEnumValue(values: readonly string[], value: string): string | null {
  let lookup = enumLookups.get(values);
  if (!lookup) {
    const byKey = new Map(values.map((allowed) => [enumKey(allowed), allowed]));
    lookup = { byKey, written: new Map() };
    enumLookups.set(values, lookup);
  }
  const known = lookup.written.get(value);
  if (known !== undefined) return known;
  const canonical = lookup.byKey.get(enumKey(value)) ?? null;
  if (lookup.written.size >= ENUM_MEMO_LIMIT) lookup.written.clear();
  lookup.written.set(value, canonical);
  return canonical;
}

/** A decimal number written with a point (or a French comma), possibly with an exponent. */
function parseDecimal(text: string): number | null {
  let candidate = /\s/.test(text) ? text.replace(/\s/g, '') : text;
  if (/^[+-]?\d*,\d+$/.test(candidate)) candidate = candidate.replace(',', '.');
  if (!/^[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?$/.test(candidate)) return null;
  const number = Number(candidate);
  return Number.isFinite(number) ? number : null;
}

/**
 * The telephone field: the first recognisable number of the text, and whether something else (another
 * number, a comment) was dropped.
 */
function normalizePhoneField(text: string): { phone: string | null; droppedSomething: boolean } {
  const parts = text.split(/[|;,]|\s\/\s|\s(?:ou|et)\s/i);
  for (const part of parts) {
    for (const match of part.matchAll(/(?:\+|00)?\d[\d\s.\-/()]*\d/g)) {
      const phone = normalizePhone(match[0]);
      if (phone !== null) {
        const rest = text.replace(match[0], '');
        return { phone, droppedSomething: /[\p{L}\p{N}]/u.test(rest) };
      }
    }
  }
  return { phone: null, droppedSomething: false };
}

/** One web address, with https:// added when no scheme is written, or null when it is not one. */
export function normalizeUrl(text: string): string | null {
  let url = text.trim();
  if (url === '' || /\s/.test(url)) return null;
  // No scheme written ("www.exemple.fr", "exemple.fr:8080"): https is today's default. Another scheme
  // (javascript:, mailto:) is kept here only to be refused below.
  if (!/^[a-z][a-z0-9+.-]*:(?!\d)/i.test(url)) url = `https://${url.replace(/^\/\//, '')}`;
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return null;
  }
  if (parsed.protocol !== 'https:' && parsed.protocol !== 'http:') return null;
  const labels = parsed.hostname.split('.');
  if (labels.length < 2 || labels.some((label) => label === '')) return null;
  return url;
}

const parsedDates = new Map<string, string | null>();
const PARSED_DATES_LIMIT = 10_000;

/** Dates as 'YYYY-MM-DD' from ISO dates, ISO timestamps (their own calendar day) and DD/MM/YYYY. */
function parseDate(text: string): string | null {
  // A file repeats the same few dates: memoised (bounded, as the other memos).
  let parsed = parsedDates.get(text);
  if (parsed === undefined) {
    parsed = parseDateText(text);
    if (parsedDates.size >= PARSED_DATES_LIMIT) parsedDates.clear();
    parsedDates.set(text, parsed);
  }
  return parsed;
}

function parseDateText(text: string): string | null {
  let year: number;
  let month: number;
  let day: number;
  const iso =
    /^(\d{4})-(\d{1,2})-(\d{1,2})(?:[T ]\d{1,2}:\d{2}(?::\d{2}(?:[.,]\d+)?)?\s*(?:Z|[+-]\d{2}(?::?\d{2})?)?)?$/i.exec(
      text,
    );
  const french = iso ? null : /^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})$/.exec(text);
  if (iso) {
    [year, month, day] = [Number(iso[1]), Number(iso[2]), Number(iso[3])];
  } else if (french) {
    [day, month, year] = [Number(french[1]), Number(french[2]), Number(french[3])];
  } else {
    return null;
  }
  const date = new Date(Date.UTC(year, month - 1, day));
  if (date.getUTCFullYear() !== year || date.getUTCMonth() !== month - 1 || date.getUTCDate() !== day) {
    return null;
  }
  return date.toISOString().slice(0, 10);
}

const openingHoursValidity = new Map<string, boolean>();
const OPENING_HOURS_MEMO_LIMIT = 50_000;

/** Whether the opening_hours library parses the text; memoised because a parse costs ~0.5 ms. */
function isValidOpeningHours(text: string): boolean {
  const known = openingHoursValidity.get(text);
  if (known !== undefined) return known;
  let valid: boolean;
  try {
    new OpeningHours(text, null);
    valid = true;
  } catch {
    valid = false;
  }
  // A bounded memo: an import of distinct strings must not grow memory forever.
  if (openingHoursValidity.size >= OPENING_HOURS_MEMO_LIMIT) openingHoursValidity.clear();
  openingHoursValidity.set(text, valid);
  return valid;
}

function characterLength(text: string): number {
  let length = 0;
  for (const _ of text) length++;
  return length;
}

/**
 * Cuts a text to at most `max` characters (code points, as the schema counts them), at a word boundary,
 * ending with "…".
 */
function cutAtWordBoundary(text: string, max: number): string {
  const characters = Array.from(text);
  if (characters.length <= max) return text;
  const head = characters.slice(0, max - 1).join('');
  const next = characters[max - 1] ?? ' ';
  let cut = head;
  if (!/\s/u.test(next)) {
    const lastSpace = head.search(/\s\S*$/u);
    if (lastSpace > 0) cut = head.slice(0, lastSpace);
  }
  cut = cut.replace(/[\s,;:\-–—]+$/u, '');
  return `${cut === '' ? head : cut}…`;
}

/** The resume within the schema's limit, the full text kept at the head of the detail. */
function fitPresentation(
  resume: string | null,
  detail: string | null,
): { resume: string | null; detail: string | null; cut: boolean } {
  if (resume === null || characterLength(resume) <= PRESENTATION_RESUME_MAX_LENGTH) {
    return { resume, detail, cut: false };
  }
  const fullDetail = detail === null ? resume : detail.startsWith(resume) ? detail : `${resume}\n\n${detail}`;
  return {
    resume: cutAtWordBoundary(resume, PRESENTATION_RESUME_MAX_LENGTH),
    detail: fullDetail,
    cut: true,
  };
}

/** Multi-valued fields constrained by an enumeration, with their values. */
const ENUM_FIELDS = {
  typologie: TYPOLOGIES,
  itinerance: ITINERANCE,
  services: SERVICES,
  publics_specifiquement_adresses: PUBLICS,
  prise_en_charge_specifique: PRISE_EN_CHARGE,
  frais_a_charge: FRAIS,
  dispositif_programmes_nationaux: DISPOSITIFS,
  formations_labels: FORMATIONS_LABELS,
  modalites_acces: MODALITES_ACCES,
  modalites_accompagnement: MODALITES_ACCOMPAGNEMENT,
} as const satisfies Partial<Record<SchemaField, readonly string[]>>;

type EnumField = keyof typeof ENUM_FIELDS;
const ENUM_FIELD_NAMES = Object.keys(ENUM_FIELDS) as EnumField[];

/**
 * Listed values are joined with `|` (the schema), but the schema's own README says `;` and producers follow
 * either: no listed value contains one or the other.
 */
// Line breaks separate list values too: other tools join a list with them inside one cell.
const ENUM_SEPARATORS = /[|;\r\n]/;

/** The v0 list keys v1 no longer has; `services` and `modalites_accompagnement` kept their name. */
const V0_ONLY_LIST_FIELDS = ['publics_accueillis', 'conditions_acces', 'labels_nationaux'] as const;
/** v0 keys whose values are lists, split on `;` (v0) as well as `|` when renamed. */
const V0_RENAMED_LISTS = new Set<string>(['courriels', 'autres_formations_labels']);

/** Where the issues of a row go (RowReader). */
interface IssueSink {
  warn(field: SchemaField | string, value: unknown, message: string): void;
}

const V0_FIELD_ENTRIES = Object.entries(V0_FIELD_MAPPING);

function isV0ListField(field: string): field is V0ListField {
  return Object.hasOwn(V0_VALUE_MAPPING, field);
}

/**
 * The record with its renamed v0 keys read under their v1 names (both kept when a row carries both), and
 * one warning per v0 key moved or dropped.
 */
function readV0Fields(input: Record<string, unknown>, sink: IssueSink): Record<string, unknown> {
  let raw: Record<string, unknown> | null = null;
  for (const [v0Field, target] of V0_FIELD_ENTRIES) {
    const value = input[v0Field];
    if (value === undefined || value === null) continue;
    const { text } = toText(value);
    if (text === null) continue;
    if ('dropped' in target) {
      sink.warn(v0Field, value, MESSAGES.v0FieldDropped(v0Field, target.reason));
      continue;
    }
    raw ??= { ...input };
    const field = target.renamed;
    const existing = toText(input[field]).text;
    if (V0_RENAMED_LISTS.has(field)) {
      const items = text.split(/[;|]/).map((item) => item.trim());
      raw[field] = existing === null ? items : [input[field], ...items];
      sink.warn(v0Field, value, MESSAGES.v0FieldRenamed(v0Field, field));
    } else if (existing === null) {
      raw[field] = value;
      sink.warn(v0Field, value, MESSAGES.v0FieldRenamed(v0Field, field));
    } else if (existing !== text) {
      sink.warn(v0Field, value, MESSAGES.v0FieldIgnored(v0Field, field));
    }
  }
  return raw ?? input;
}

interface ListFields {
  values: Record<EnumField, string[]>;
  otherLabels: string[];
  /** v0 values with no v1 equivalent, by v0 field, for the detailed presentation. */
  keptInDetail: Map<V0ListField, string[]>;
}

/** Appends `item` unless already there (lists keep their first order, without repeats). */
function addOnce<T>(items: T[], item: T): void {
  if (!items.includes(item)) items.push(item);
}

/** A v0 value's destination applied to the lists being read, warned about under the column it came from. */
function applyV0Value(
  lists: ListFields,
  sink: IssueSink,
  column: string,
  item: string,
  match: V0ValueMatch,
): void {
  const target = match.target;
  if ('kept' in target) {
    if (target.kept === 'autres_formations_labels') {
      addOnce(lists.otherLabels, match.value);
      sink.warn(column, item, MESSAGES.v0KeptInOtherLabels(column, item));
    } else {
      const kept = lists.keptInDetail.get(match.field) ?? [];
      addOnce(kept, match.value);
      lists.keptInDetail.set(match.field, kept);
      sink.warn(column, item, MESSAGES.v0KeptInDetail(column, item));
    }
    return;
  }
  for (const value of target.values) addOnce(lists.values[target.field], value);
  sink.warn(column, item, MESSAGES.v0ValueMapped(column, item, target.field, target.values));
}

/**
 * The enumerated lists, field by field, whether the row writes them the v1 way, the v0 way, or mixes both:
 * every value is looked up in v1 first, then in the v0 mapping (which may send it to another field), and
 * each value changed or moved is warned about, naming the column it was read in.
 */
function readListFields(reader: RowReader): ListFields {
  const raw = reader.raw;
  const lists: ListFields = {
    values: {
      typologie: [],
      itinerance: [],
      services: [],
      publics_specifiquement_adresses: [],
      prise_en_charge_specifique: [],
      frais_a_charge: [],
      dispositif_programmes_nationaux: [],
      formations_labels: [],
      modalites_acces: [],
      modalites_accompagnement: [],
    },
    otherLabels: reader.list('autres_formations_labels', ENUM_SEPARATORS),
    keptInDetail: new Map<V0ListField, string[]>(),
  };
  const { values, otherLabels, keptInDetail } = lists;

  for (const field of ENUM_FIELD_NAMES) {
    for (const item of reader.list(field, ENUM_SEPARATORS)) {
      const canonical = canonicalEnumValue(ENUM_FIELDS[field], item);
      if (canonical !== null) {
        addOnce(values[field], canonical);
        continue;
      }
      const match = findV0Value(item, isV0ListField(field) ? field : undefined);
      if (match !== null) applyV0Value(lists, reader, field, item, match);
      else if (field === 'formations_labels') {
        // Unknown formations are kept as "other formations": the schema itself says to use that field for them.
        addOnce(otherLabels, item);
        reader.warn(field, item, MESSAGES.labelMoved(item));
      } else reader.warn(field, item, MESSAGES.enumUnknown(field, item, ENUM_FIELDS[field]));
    }
  }

  for (const v0Field of V0_ONLY_LIST_FIELDS) {
    if (raw[v0Field] === undefined || raw[v0Field] === null) continue;
    const { items, structured } = toList(raw[v0Field], ENUM_SEPARATORS);
    if (structured) reader.warn(v0Field, raw[v0Field], MESSAGES.v0StructuredValue(v0Field));
    for (const item of items) {
      const match = findV0Value(item, v0Field);
      if (match !== null) {
        applyV0Value(lists, reader, v0Field, item, match);
        continue;
      }
      // A v1 value under the v0 key (mixed files): moved to its v1 field.
      const target = V0_LIST_FIELD_TARGETS[v0Field]
        .map((field) => ({ field, canonical: canonicalEnumValue(ENUM_FIELDS[field], item) }))
        .find((candidate) => candidate.canonical !== null);
      if (target?.canonical != null) {
        addOnce(values[target.field], target.canonical);
        reader.warn(v0Field, item, MESSAGES.v0ValueMapped(v0Field, item, target.field, [target.canonical]));
      } else if (v0Field === 'labels_nationaux') {
        addOnce(otherLabels, item);
        reader.warn(v0Field, item, MESSAGES.v0KeptInOtherLabels(v0Field, item));
      } else {
        const kept = keptInDetail.get(v0Field) ?? [];
        addOnce(kept, item);
        keptInDetail.set(v0Field, kept);
        reader.warn(v0Field, item, MESSAGES.v0KeptInDetail(v0Field, item));
      }
    }
  }
  return lists;
}

/** The detailed presentation followed by the v0 values v1 cannot hold, one line per v0 field. */
function withKeptV0Values(detail: string | null, kept: Map<V0ListField, string[]>): string | null {
  if (kept.size === 0) return detail;
  const lines = [...kept].map(([field, values]) => `${V0_FIELD_LABELS[field]} : ${values.join(', ')}.`);
  const block = lines.join('\n');
  if (detail === null) return block;
  // Re-importing our own export must not repeat the lines.
  return detail.includes(block) ? detail : `${detail}\n\n${block}`;
}

/**
 * The INSEE code of the row: derived silently from postcode and commune when absent and certain; an
 * arrondissement code of Paris, Lyon or Marseille replaced by its commune's; a code that disagrees with
 * postcode and commune kept and warned about; an ambiguous or impossible derivation warned about.
 */
function checkOrDeriveCommuneCode(
  given: string | null,
  codePostal: string,
  commune: string,
  warn: (value: string | null, message: string) => void,
): string | null {
  const derive = (resolution: CommuneResolution): string | null => {
    switch (resolution.status) {
      case 'found':
        return resolution.code;
      case 'postcode-only':
        warn(commune, MESSAGES.communeNotOfPostcode(commune, codePostal, resolution.nom, resolution.code));
        return resolution.code;
      case 'name-only':
        warn(codePostal, MESSAGES.postcodeNotOfCommune(codePostal, resolution.nom, resolution.code));
        return resolution.code;
      case 'ambiguous':
        warn(commune, MESSAGES.communeAmbiguous(commune, codePostal, resolution.candidates));
        return null;
      case 'impossible':
        warn(commune, MESSAGES.communeNotFound(commune, codePostal));
        return null;
    }
  };
  if (given === null) return derive(resolveCommune(codePostal, commune));
  const check = checkCommuneCode(given, codePostal, commune);
  switch (check.status) {
    case 'consistent':
      return given;
    case 'arrondissement':
      warn(given, MESSAGES.inseeArrondissement(given, check.nom, check.code));
      return check.code;
    case 'unknown': {
      const derived = check.resolution.status === 'found' ? check.resolution.code : null;
      warn(given, MESSAGES.inseeUnknown(given, derived));
      return derived ?? given;
    }
    case 'mismatch':
      warn(given, MESSAGES.inseeMismatch(given, check.nom, codePostal, commune));
      return given;
  }
}

interface CommuneCodeOutcome {
  code: string | null;
  warnings: readonly { value: string | null; message: string }[];
}
const communeCodeOutcomes = new Map<string, CommuneCodeOutcome>();
const COMMUNE_CODE_MEMO_LIMIT = 50_000;

/**
 * checkOrDeriveCommuneCode, memoised: its answer depends only on the three values (the commune list is
 * static), and a file repeats the same communes on many rows.
 */
function communeCodeOf(given: string | null, codePostal: string, commune: string): CommuneCodeOutcome {
  const key = `${given ?? ''}\u0000${codePostal}\u0000${commune}`;
  let outcome = communeCodeOutcomes.get(key);
  if (outcome === undefined) {
    const warnings: { value: string | null; message: string }[] = [];
    const code = checkOrDeriveCommuneCode(given, codePostal, commune, (value, message) =>
      warnings.push({ value, message }),
    );
    outcome = { code, warnings };
    // A bounded memo: an import of many distinct communes must not grow memory forever.
    if (communeCodeOutcomes.size >= COMMUNE_CODE_MEMO_LIMIT) communeCodeOutcomes.clear();
    communeCodeOutcomes.set(key, outcome);
  }
  return outcome;
}

/**
 * France's territories as [south, north, west, east] boxes (degrees, WGS 84), a little wider than the
 * land: metropolitan France with Corsica, then the overseas departments and collectivities.
 */
const FRANCE_BOXES: readonly (readonly [number, number, number, number])[] = [
  [41.2, 51.2, -5.3, 9.7],
  [15.8, 16.6, -61.9, -60.9], // Guadeloupe
  [14.3, 15.0, -61.3, -60.7], // Martinique
  [2.1, 5.9, -54.7, -51.5], // Guyane
  [-21.5, -20.8, 55.1, 55.9], // La Réunion
  [-13.1, -12.5, 44.9, 45.4], // Mayotte
  [46.7, 47.2, -56.5, -56.1], // Saint-Pierre-et-Miquelon
  [17.8, 18.2, -63.2, -62.7], // Saint-Martin, Saint-Barthélemy
  [-14.4, -13.1, -178.3, -176.1], // Wallis-et-Futuna
  [-28.0, -7.8, -154.8, -134.4], // Polynésie française
  [-22.9, -19.5, 163.5, 168.2], // Nouvelle-Calédonie
];

/** Whether a position falls in one of France's territories (roughly: boxes, not outlines). */
export function isInFrance(latitude: number, longitude: number): boolean {
  return FRANCE_BOXES.some(
    ([south, north, west, east]) =>
      latitude >= south && latitude <= north && longitude >= west && longitude <= east,
  );
}

/** The swapped position when the written one is outside France and the swapped one inside, else null. */
export function swapIfOnlyFranceWhenSwapped(
  latitude: number,
  longitude: number,
): { latitude: number; longitude: number } | null {
  if (isInFrance(latitude, longitude) || !isInFrance(longitude, latitude)) return null;
  return { latitude: longitude, longitude: latitude };
}

// A line break inside a cell separates list values, as the pipe does (spreadsheets join lists with it).
const PIPE = /\||\r\n?|\n/;

/**
 * One row being read: its raw values (v0 keys read under their v1 names) and the issues found so far.
 * Methods rather than closures made afresh for each row (an import reads tens of thousands of rows).
 */
class RowReader implements IssueSink {
  readonly row: number;
  readonly id: string | null;
  readonly warnings: ImportIssue[] = [];
  readonly errors: ImportIssue[] = [];
  readonly raw: Record<string, unknown>;

  constructor(row: number, id: string | null, input: Record<string, unknown>) {
    this.row = row;
    this.id = id;
    this.raw = readV0Fields(input, this);
  }

  /** `field` is a schema field, or a v0 one when the issue is about a value read under a v0 key. */
  issue(field: SchemaField | string, value: unknown, message: string): ImportIssue {
    return { row: this.row, id: this.id, field, value: displayValue(value), message };
  }

  warn(field: SchemaField | string, value: unknown, message: string): void {
    this.warnings.push(this.issue(field, value, message));
  }

  refuse(field: SchemaField, value: unknown, message: string): void {
    this.errors.push(this.issue(field, value, message));
  }

  /** The field as trimmed text, null when absent or empty; a structured value is warned about and dropped. */
  text(field: SchemaField): string | null {
    const value = this.raw[field];
    if (typeof value === 'string') return stringText(value);
    const { text, structured } = toText(value);
    if (structured) this.warn(field, value, MESSAGES.structuredValue(field));
    return text;
  }

  list(field: SchemaField, separators: RegExp = PIPE): string[] {
    const value = this.raw[field];
    if (typeof value === 'string') return splitText(value, separators);
    if (value === undefined || value === null) return [];
    const { items, structured } = toList(value, separators);
    if (structured) this.warn(field, this.raw[field], MESSAGES.structuredValue(field));
    return items;
  }

  required(field: SchemaField, value: string | null): string {
    if (value === null) this.refuse(field, this.raw[field], MESSAGES.requiredMissing(field));
    return value ?? '';
  }
}

function readCoordinate(
  reader: RowReader,
  field: 'latitude' | 'longitude',
  limit: number,
): { present: boolean; value: number | null } {
  const value = reader.text(field);
  if (value === null) return { present: false, value: null };
  const number = parseDecimal(value);
  if (number === null) {
    reader.refuse(field, reader.raw[field], MESSAGES.notANumber(field, value));
  } else if (number < -limit || number > limit) {
    reader.refuse(field, reader.raw[field], MESSAGES.outOfRange(field, value));
    return { present: true, value: null };
  }
  return { present: true, value: number };
}

function readSingleUrl(reader: RowReader, field: 'fiche_acces_libre' | 'prise_rdv'): string | null {
  const value = reader.text(field);
  if (value === null) return null;
  const url = normalizeUrl(value);
  if (url === null) reader.warn(field, reader.raw[field], MESSAGES.urlInvalid(field, value));
  return url;
}

let latestDateMemo: { now: number; latest: string } | null = null;

/** The latest acceptable date_maj: one day of slack, since a date typed today in Paris or overseas can be tomorrow in UTC. */
function latestDate(now: Date): string {
  const time = now.getTime();
  if (latestDateMemo?.now !== time) {
    latestDateMemo = { now: time, latest: new Date(time + 24 * 3600 * 1000).toISOString().slice(0, 10) };
  }
  return latestDateMemo.latest;
}

/**
 * Normalises one imported record (keyed by schema field names; values from CSV or JSON) into a place, with
 * one issue per failing field. The row is refused only when a required field (id, nom, adresse, commune,
 * code_postal) is missing or invalid, or when the position is unusable (latitude or longitude not a number,
 * out of range, or one without the other). Everything else is kept and warned about: unknown list values
 * are dropped (unknown formations go to the other formations), an invalid pivot becomes 00000000000000,
 * an unreadable or absurd date, INSEE code, phone, e-mail or web address is dropped, an over-long resume is
 * cut with its full text moved to the detail, hours that OpenStreetMap's format rejects are kept as written,
 * a latitude and longitude that fit France only once swapped are swapped. (A position far from its commune
 * needs the communes' reference points: the import service checks it.) `now` only serves to refuse dates
 * in the future.
 */
export function normalizePlaceRow(
  input: Record<string, unknown>,
  row: number,
  now: Date = new Date(),
): NormalizedRow {
  // The id is the producer's key: kept exactly as written, only trimmed.
  const id = typeof input.id === 'string' ? input.id.trim() || null : toText(input.id).text;
  const reader = new RowReader(row, id, input);
  const { raw, warnings, errors } = reader;

  // Required fields: a place the public cannot find or identify is refused.
  const sourceId = reader.required('id', id);
  const nom = reader.required('nom', oneLine(reader.text('nom')));
  const adresse = reader.required('adresse', oneLine(reader.text('adresse')));
  const commune = reader.required('commune', oneLine(reader.text('commune')));
  const postalText = reader.text('code_postal');
  let codePostal = '';
  if (postalText === null) {
    reader.refuse('code_postal', raw.code_postal, MESSAGES.requiredMissing('code_postal'));
  } else {
    // "13616 CEDEX 1": the CEDEX mention is a delivery detail, not part of the postcode.
    const cedex = /^(\d{4,5})\s*cedex\b.*$/i.exec(postalText);
    const normalized = normalizePostcode(cedex?.[1] ?? postalText);
    if (normalized === null)
      reader.refuse('code_postal', raw.code_postal, MESSAGES.postalCodeInvalid(postalText));
    else if (cedex)
      reader.warn('code_postal', raw.code_postal, MESSAGES.postalCodeCedex(postalText, normalized));
    codePostal = normalized ?? '';
  }

  // Position: a wrong position would send people to the wrong place, so it is refused, not guessed.
  const latitude = readCoordinate(reader, 'latitude', 90);
  const longitude = readCoordinate(reader, 'longitude', 180);
  // Swapped columns are a common spreadsheet slip: values that fit France only once swapped are swapped.
  if (latitude.value !== null && longitude.value !== null) {
    const swapped = swapIfOnlyFranceWhenSwapped(latitude.value, longitude.value);
    if (swapped !== null) {
      reader.warn(
        'latitude',
        `${latitude.value} ; ${longitude.value}`,
        MESSAGES.coordinatesSwapped(String(latitude.value), String(longitude.value)),
      );
      latitude.value = swapped.latitude;
      longitude.value = swapped.longitude;
    }
  }
  if (latitude.present && !longitude.present)
    reader.refuse('longitude', null, MESSAGES.coordinateAlone('latitude', 'longitude'));
  if (longitude.present && !latitude.present)
    reader.refuse('latitude', null, MESSAGES.coordinateAlone('longitude', 'latitude'));

  // Warned fields.
  const pivotText = reader.text('pivot');
  let pivot = PIVOT_PLACEHOLDER;
  if (pivotText === null) {
    reader.warn('pivot', raw.pivot, MESSAGES.pivotMissing());
  } else {
    const normalized = schemaPivot(pivotText);
    if (normalized === null) reader.warn('pivot', raw.pivot, MESSAGES.pivotInvalid(pivotText));
    pivot = normalized ?? PIVOT_PLACEHOLDER;
  }

  const inseeText = reader.text('code_insee');
  let codeInsee = inseeText === null ? null : normalizeInseeCode(inseeText);
  if (inseeText !== null && codeInsee === null)
    reader.warn('code_insee', raw.code_insee, MESSAGES.inseeInvalid(inseeText));
  if (codePostal !== '' && commune !== '') {
    const outcome = communeCodeOf(codeInsee, codePostal, commune);
    for (const warning of outcome.warnings) reader.warn('code_insee', warning.value, warning.message);
    codeInsee = outcome.code;
  }

  const dateText = reader.text('date_maj');
  let dateMaj: string | null = null;
  if (dateText === null) {
    reader.warn('date_maj', raw.date_maj, MESSAGES.dateMissing());
  } else {
    const parsed = parseDate(dateText);
    if (parsed === null) reader.warn('date_maj', raw.date_maj, MESSAGES.dateUnparsable(dateText));
    else if (parsed < OLDEST_DATE || parsed > latestDate(now))
      reader.warn('date_maj', raw.date_maj, MESSAGES.dateAbsurd(dateText));
    else dateMaj = parsed;
  }

  const phoneText = reader.text('telephone');
  let telephone: string | null = null;
  if (phoneText !== null) {
    const { phone, droppedSomething } = normalizePhoneField(phoneText);
    if (phone === null) reader.warn('telephone', raw.telephone, MESSAGES.phoneInvalid(phoneText));
    else if (droppedSomething)
      reader.warn('telephone', raw.telephone, MESSAGES.phonePartlyKept(phoneText, phone));
    telephone = phone;
  }

  const courriels: string[] = [];
  for (const item of reader.list('courriels', /[|;,\r\n]/)) {
    // "Accueil : contact@exemple.fr accueil@exemple.fr": the words around the addresses are not addresses.
    const tokens = /<[^<>]+>/.test(item) ? [item] : item.split(/\s+/).filter((token) => token.includes('@'));
    for (const candidate of tokens.length > 0 ? tokens : [item]) {
      const email = parseEmail(candidate);
      if (email === null) reader.warn('courriels', candidate, MESSAGES.emailInvalid(candidate));
      else if (!courriels.includes(email)) courriels.push(email);
    }
  }

  const siteWeb: string[] = [];
  for (const item of reader.list('site_web', /[|;\s]+/)) {
    const url = normalizeUrl(item);
    if (url === null) reader.warn('site_web', item, MESSAGES.urlInvalid('site_web', item));
    else if (!siteWeb.includes(url)) siteWeb.push(url);
  }
  const ficheAccesLibre = readSingleUrl(reader, 'fiche_acces_libre');
  const priseRdv = readSingleUrl(reader, 'prise_rdv');

  const horaires = reader.text('horaires');
  if (horaires !== null && !isValidOpeningHours(horaires))
    reader.warn('horaires', raw.horaires, MESSAGES.hoursInvalid(horaires));

  const lists = readListFields(reader);

  const resumeText = reader.text('presentation_resume');
  const presentation = fitPresentation(
    resumeText,
    withKeptV0Values(reader.text('presentation_detail'), lists.keptInDetail),
  );
  if (presentation.cut && resumeText !== null) {
    reader.warn('presentation_resume', resumeText, MESSAGES.resumeTooLong(characterLength(resumeText)));
  }

  const complementAdresse = oneLine(reader.text('complement_adresse'));
  const structureParente = oneLine(reader.text('structure_parente'));
  const source = oneLine(reader.text('source'));
  if (errors.length > 0) return { place: null, source, warnings, errors };
  return {
    place: {
      sourceId,
      pivot,
      nom,
      commune,
      codePostal,
      codeInsee,
      adresse,
      complementAdresse,
      latitude: latitude.value,
      longitude: longitude.value,
      positionApproximate: false,
      typologie: lists.values.typologie,
      telephone,
      courriels,
      siteWeb,
      horaires,
      presentationResume: presentation.resume,
      presentationDetail: presentation.detail,
      itinerance: lists.values.itinerance,
      structureParente,
      dateMaj,
      services: lists.values.services,
      publicsSpecifiquementAdresses: lists.values.publics_specifiquement_adresses,
      priseEnChargeSpecifique: lists.values.prise_en_charge_specifique,
      fraisACharge: lists.values.frais_a_charge,
      dispositifProgrammesNationaux: lists.values.dispositif_programmes_nationaux,
      formationsLabels: lists.values.formations_labels,
      autresFormationsLabels: lists.otherLabels,
      modalitesAcces: lists.values.modalites_acces,
      modalitesAccompagnement: lists.values.modalites_accompagnement,
      ficheAccesLibre,
      priseRdv,
    },
    source,
    warnings,
    errors,
  };
}

// ---------------------------------------------------------------------------------------------------------
// Export.
// ---------------------------------------------------------------------------------------------------------

/** A number as a plain decimal string, never with an exponent (1e-7 → "0.0000001"), shortest exact digits. */
function formatDecimal(value: number | null): string {
  if (value === null || !Number.isFinite(value)) return '';
  const shortest = String(value);
  const match = /^(-?)(\d)(?:\.(\d+))?e([+-]\d+)$/.exec(shortest);
  if (!match) return shortest;
  const [, sign = '', head = '', tail = '', exponentText = '0'] = match;
  const digits = head + tail;
  const exponent = Number(exponentText);
  const point = 1 + exponent;
  if (point <= 0) return `${sign}0.${'0'.repeat(-point)}${digits}`;
  if (point >= digits.length) return `${sign}${digits}${'0'.repeat(point - digits.length)}`;
  return `${sign}${digits.slice(0, point)}.${digits.slice(point)}`;
}

/** Only the values the schema's enumeration accepts, in their canonical spelling. */
function enumValues(values: readonly string[], items: readonly string[]): string[] {
  const kept: string[] = [];
  for (const item of items) {
    const canonical = canonicalEnumValue(values, item);
    if (canonical !== null && !kept.includes(canonical)) kept.push(canonical);
  }
  return kept;
}

/**
 * Maps a place to a row of schema v1.0.2, every field a string the official validator accepts: lists joined
 * with `|`, numbers as plain decimals, absent values as "". `exportId` and `source` are the export's own
 * (the id is unique in the exported file, the source names who publishes it). A resume over 280 characters
 * is cut at a word boundary, its full text kept at the head of the detail; values outside the schema's lists
 * or patterns (possible only if the place did not come through normalizePlaceRow) are left out, and
 * "Étapes numériques (La Poste)" is written without the space, as the schema's defective pattern demands.
 */
export function placeToSchemaRow(place: PlaceData, exportId: string, source: string): SchemaRow {
  const presentation = fitPresentation(place.presentationResume, place.presentationDetail);
  const join = (items: readonly string[]) => items.join('|');
  const enumField = (values: readonly string[], items: readonly string[]) => join(enumValues(values, items));
  const phone = place.telephone === null ? null : normalizePhone(place.telephone);
  return {
    id: exportId,
    pivot: schemaPivot(place.pivot) ?? PIVOT_PLACEHOLDER,
    nom: place.nom,
    commune: place.commune,
    code_postal: place.codePostal,
    code_insee: place.codeInsee === null ? '' : (normalizeInseeCode(place.codeInsee) ?? ''),
    adresse: place.adresse,
    complement_adresse: place.complementAdresse ?? '',
    latitude: formatDecimal(place.latitude),
    longitude: formatDecimal(place.longitude),
    typologie: enumField(TYPOLOGIES, place.typologie),
    telephone: phone ?? '',
    courriels: join(place.courriels),
    site_web: join(place.siteWeb),
    horaires: place.horaires ?? '',
    presentation_resume: presentation.resume ?? '',
    presentation_detail: presentation.detail ?? '',
    source,
    itinerance: enumField(ITINERANCE, place.itinerance),
    structure_parente: place.structureParente ?? '',
    date_maj: place.dateMaj ?? '',
    services: enumField(SERVICES, place.services),
    publics_specifiquement_adresses: enumField(PUBLICS, place.publicsSpecifiquementAdresses),
    prise_en_charge_specifique: enumField(PRISE_EN_CHARGE, place.priseEnChargeSpecifique),
    frais_a_charge: enumField(FRAIS, place.fraisACharge),
    dispositif_programmes_nationaux: enumField(DISPOSITIFS, place.dispositifProgrammesNationaux),
    formations_labels: join(
      enumValues(FORMATIONS_LABELS, place.formationsLabels).map((label) =>
        label === ETAPES_NUMERIQUES ? ETAPES_NUMERIQUES_EXPORT : label,
      ),
    ),
    autres_formations_labels: join(place.autresFormationsLabels),
    modalites_acces: enumField(MODALITES_ACCES, place.modalitesAcces),
    modalites_accompagnement: enumField(MODALITES_ACCOMPAGNEMENT, place.modalitesAccompagnement),
    fiche_acces_libre: place.ficheAccesLibre ?? '',
    prise_rdv: place.priseRdv ?? '',
  };
}

/**
 * The PlaceData fields with absent values as null, keys in sorted order (the order JSON.stringify keeps):
 * the canonical form the content hash is computed on. Written out rather than built key by key: an
 * object literal is serialised by JSON.stringify's fast path. `satisfies` makes a field added to
 * PlaceData without being hashed a type error; a test checks the order.
 */
function canonicalPlace(place: PlaceData) {
  return {
    adresse: place.adresse ?? null,
    autresFormationsLabels: place.autresFormationsLabels ?? null,
    codeInsee: place.codeInsee ?? null,
    codePostal: place.codePostal ?? null,
    commune: place.commune ?? null,
    complementAdresse: place.complementAdresse ?? null,
    courriels: place.courriels ?? null,
    dateMaj: place.dateMaj ?? null,
    dispositifProgrammesNationaux: place.dispositifProgrammesNationaux ?? null,
    ficheAccesLibre: place.ficheAccesLibre ?? null,
    formationsLabels: place.formationsLabels ?? null,
    fraisACharge: place.fraisACharge ?? null,
    horaires: place.horaires ?? null,
    itinerance: place.itinerance ?? null,
    latitude: place.latitude ?? null,
    longitude: place.longitude ?? null,
    modalitesAcces: place.modalitesAcces ?? null,
    modalitesAccompagnement: place.modalitesAccompagnement ?? null,
    nom: place.nom ?? null,
    pivot: place.pivot ?? null,
    positionApproximate: place.positionApproximate ?? null,
    presentationDetail: place.presentationDetail ?? null,
    presentationResume: place.presentationResume ?? null,
    priseEnChargeSpecifique: place.priseEnChargeSpecifique ?? null,
    priseRdv: place.priseRdv ?? null,
    publicsSpecifiquementAdresses: place.publicsSpecifiquementAdresses ?? null,
    services: place.services ?? null,
    siteWeb: place.siteWeb ?? null,
    sourceId: place.sourceId ?? null,
    structureParente: place.structureParente ?? null,
    telephone: place.telephone ?? null,
    typologie: place.typologie ?? null,
  } satisfies Record<keyof PlaceData, unknown>;
}

/** sha1 in hex: crypto.hash (one call, Node >= 20.12) when there is one. */
const sha1Hex: (text: string) => string =
  typeof hash === 'function'
    ? (text) => hash('sha1', text, 'hex')
    : (text) => createHash('sha1').update(text).digest('hex');

/**
 * A stable fingerprint of a place's data (sha1 hex of a canonical JSON: every PlaceData field, keys sorted,
 * absent values as null), so that an import can tell an unchanged row from a changed one. List order counts.
 */
export function placeContentHash(place: PlaceData): string {
  return sha1Hex(JSON.stringify(canonicalPlace(place)));
}
