import type { CommuneCandidate } from '../communes/commune-resolution.ts';
import type { SchemaField } from './schema-fields.ts';
import { PIVOT_PLACEHOLDER, PRESENTATION_RESUME_MAX_LENGTH } from './schema-values.ts';

/**
 * The French words of the import of one row: the fields' names and every warning or refusal, in one place
 * (places-row.ts and its helpers write them; the producer reads them in the import report).
 */

/** French names of the fields, for messages. */
export const FIELD_NAMES: Readonly<Record<SchemaField, string>> = {
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
export const MESSAGES = {
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
  pivotBadChecksum: (value: string) =>
    `Le SIRET « ${value} » (colonne « pivot ») contient une erreur (sa clé de contrôle est fausse) : il est gardé tel quel, mais ne sert pas à reconnaître le même lieu dans une autre source.`,
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
    `Les horaires « ${value} » ne suivent pas le format OpenStreetMap (par exemple « Mo-Fr 09:00-12:00 ») et n'ont pas pu être réécrits : ils ne sont pas enregistrés. Écrivez-les jour par jour (« du lundi au vendredi de 9h à 12h et de 14h à 17h ») ou au format OpenStreetMap.`,
  hoursRewritten: (value: string, osm: string) =>
    `Les horaires « ${value} » ont été réécrits au format OpenStreetMap : « ${osm} ». Vérifiez-les.`,
  postcodeOtherDepartement: (postcode: string, code: string, departement: string) =>
    `Le code postal ${postcode} n'est pas du même département que le code INSEE ${code} (département ${departement}) : vérifiez ces deux colonnes.`,
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
