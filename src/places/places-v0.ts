import { foldValue } from './places-cells.ts';
import type { SchemaField } from './schema-fields.ts';

/**
 * The old form of the national places schema (v0.1.1) read as v1.0.2, as data: each v0 field, and each
 * value of each v0 list, says where it goes in v1. Real files still use v0, or mix v0 and v1 keys and values
 * (old service labels inside `services`, for instance), so normalizePlaceRow looks every list value up here
 * whatever key it came under. Where v1 has no equivalent, the value is kept in free text (the other labels,
 * or the detailed presentation) rather than lost, and the row is warned about.
 *
 * Sources: schema-v0.1.1.json and schema.json (v1.0.2) of github.com/LaMednum/standard-mediation-num, its
 * "descriptif des évolutions" (v0 → v1 changelog), and the enumerations of ANCT's library
 * @gouvfr-anct/lieux-de-mediation-numerique. Choices the changelog does not settle are explained in
 * docs/decisions/0007-v0-mapping.md. Pure: imports only the schema's field names (places.ts imports this
 * file).
 */

/** The v1 fields a v0 list value can land in. */
export type V1ListField =
  | 'services'
  | 'publics_specifiquement_adresses'
  | 'prise_en_charge_specifique'
  | 'frais_a_charge'
  | 'dispositif_programmes_nationaux'
  | 'formations_labels'
  | 'modalites_accompagnement';

/** Where a v0 value goes: one or more v1 values, or kept as free text with a warning. */
export type V0ValueTarget =
  | { readonly field: V1ListField; readonly values: readonly string[] }
  | { readonly kept: 'autres_formations_labels' | 'presentation_detail'; readonly warning: true };

/** The v0 fields whose values are a closed list (`;`-separated), with the v1 field each belongs to now. */
export type V0ListField =
  | 'services'
  | 'publics_accueillis'
  | 'conditions_acces'
  | 'labels_nationaux'
  | 'modalites_accompagnement';

const keepInDetail = { kept: 'presentation_detail', warning: true } as const;
const keepInOtherLabels = { kept: 'autres_formations_labels', warning: true } as const;

/**
 * Every value of every closed list of schema v0.1.1, spelled as in its pattern. A v0 file writes them
 * separated by `;`.
 */
export const V0_VALUE_MAPPING: Readonly<Record<V0ListField, Readonly<Record<string, V0ValueTarget>>>> = {
  // "Condensation des 15 anciens services en 9 services" (changelog).
  services: {
    'Devenir autonome dans les démarches administratives': {
      field: 'services',
      values: ['Aide aux démarches administratives'],
    },
    'Réaliser des démarches administratives avec un accompagnement': {
      field: 'services',
      values: ['Aide aux démarches administratives'],
    },
    'Prendre en main un smartphone ou une tablette': {
      field: 'services',
      values: ['Maîtrise des outils numériques du quotidien'],
    },
    'Prendre en main un ordinateur': {
      field: 'services',
      values: ['Maîtrise des outils numériques du quotidien'],
    },
    'Utiliser le numérique au quotidien': {
      field: 'services',
      values: ['Maîtrise des outils numériques du quotidien'],
    },
    'Approfondir ma culture numérique': { field: 'services', values: ['Compréhension du monde numérique'] },
    'Favoriser mon insertion professionnelle': {
      field: 'services',
      values: ['Insertion professionnelle via le numérique'],
    },
    'Accéder à une connexion internet': {
      field: 'services',
      values: ['Accès internet et matériel informatique'],
    },
    'Accéder à du matériel': { field: 'services', values: ['Accès internet et matériel informatique'] },
    "S'équiper en matériel informatique": {
      field: 'services',
      values: ['Acquisition de matériel informatique à prix solidaire'],
    },
    'Créer et développer mon entreprise': {
      field: 'services',
      values: ['Insertion professionnelle via le numérique'],
    },
    'Créer avec le numérique': { field: 'services', values: ['Loisirs et créations numériques'] },
    // Health procedures are online procedures: v1 has no health service of its own.
    'Accompagner les démarches de santé': {
      field: 'services',
      values: ['Aide aux démarches administratives'],
    },
    // Digital citizenship (rights, information, online safety) is what both v1 services describe.
    'Promouvoir la citoyenneté numérique': {
      field: 'services',
      values: ['Compréhension du monde numérique', 'Utilisation sécurisée du numérique'],
    },
    "Soutenir la parentalité et l'éducation avec le numérique": {
      field: 'services',
      values: ['Parentalité et éducation avec le numérique'],
    },
  },
  // Split into publics_specifiquement_adresses and prise_en_charge_specifique (changelog).
  publics_accueillis: {
    'Seniors (+ 65 ans)': { field: 'publics_specifiquement_adresses', values: ['Seniors'] },
    'Familles/enfants': { field: 'publics_specifiquement_adresses', values: ['Familles et/ou enfants'] },
    // Every place welcomes adults: v1 lists only publics a place is specifically for.
    Adultes: keepInDetail,
    'Jeunes (16-26 ans)': { field: 'publics_specifiquement_adresses', values: ['Jeunes'] },
    // v1 distinguishes English from other languages; v0 did not say which.
    'Public langues étrangères': keepInDetail,
    'Déficience visuelle': { field: 'prise_en_charge_specifique', values: ['Déficience visuelle'] },
    Surdité: { field: 'prise_en_charge_specifique', values: ['Surdité'] },
    // Psychic disabilities are not mental deficiencies: v1 has no value for them.
    'Handicaps psychiques : troubles psychiatriques donnant lieu à des atteintes comportementales':
      keepInDetail,
    "Handicaps mentaux : déficiences limitant les activités d'une personne": {
      field: 'prise_en_charge_specifique',
      values: ['Handicaps mentaux'],
    },
    'Uniquement femmes': { field: 'publics_specifiquement_adresses', values: ['Femmes'] },
    "Personnes en situation d'illettrisme": { field: 'prise_en_charge_specifique', values: ['Illettrisme'] },
  },
  // Renamed frais_a_charge (changelog); the long labels lose their explanation.
  conditions_acces: {
    'Gratuit : Je peux accéder gratuitement au lieu et à ses services': {
      field: 'frais_a_charge',
      values: ['Gratuit'],
    },
    'Gratuit sous condition : La gratuité est conditionnée à des critères (situation familiale, convention avec un organisme social...)':
      { field: 'frais_a_charge', values: ['Gratuit sous condition'] },
    "Payant : L'accès au lieu et/ou à ses services est payant": {
      field: 'frais_a_charge',
      values: ['Payant'],
    },
    // Not a cost: a way to pay that v1 does not record.
    "Accepte le Pass numérique : Il est possible d'utiliser un Pass numérique pour accéder au lieu":
      keepInDetail,
    // A membership may be free or paid: guessing "Payant" would mislead.
    "Adhésion : L'accès au lieu et/ou à ses services nécessite d'y adhérer": keepInDetail,
  },
  // Split into dispositif_programmes_nationaux and formations_labels (changelog).
  labels_nationaux: {
    'France Services': { field: 'dispositif_programmes_nationaux', values: ['France Services'] },
    // Conseillers numériques France Services.
    CNFS: { field: 'dispositif_programmes_nationaux', values: ['Conseillers numériques'] },
    // The Pass numérique label: no v1 value.
    APTIC: keepInOtherLabels,
    'Aidants Connect': { field: 'dispositif_programmes_nationaux', values: ['Aidants Connect'] },
    'Fabriques de Territoire': { field: 'formations_labels', values: ['Fabriques de Territoire'] },
    'Grandes écoles du numérique': {
      field: 'dispositif_programmes_nationaux',
      values: ['Grande école du numérique'],
    },
    'Point relais CAF': { field: 'dispositif_programmes_nationaux', values: ["Point d'accès numérique CAF"] },
    'Point numérique CAF': {
      field: 'dispositif_programmes_nationaux',
      values: ["Point d'accès numérique CAF"],
    },
    'Relais pôle emploi': keepInOtherLabels,
    'French Tech': keepInOtherLabels,
    'Campus connecté': keepInOtherLabels,
  },
  // "La plupart ont été renommées" (changelog).
  modalites_accompagnement: {
    "Seul : j'ai accès à du matériel et une connexion": {
      field: 'modalites_accompagnement',
      values: ['En autonomie'],
    },
    "Avec de l'aide : je suis accompagné seul dans l'usage du numérique": {
      field: 'modalites_accompagnement',
      values: ['Accompagnement individuel'],
    },
    "Dans un atelier : j'apprends collectivement à utiliser le numérique": {
      field: 'modalites_accompagnement',
      values: ['Dans un atelier collectif'],
    },
    // Doing the procedure for someone (habilitated helpers, Aidants Connect) is an individual accompaniment.
    'A ma place : une personne habilitée fait les démarches à ma place': {
      field: 'modalites_accompagnement',
      values: ['Accompagnement individuel'],
    },
  },
};

/** Where the values of a v0-only list key go when they are already v1 values (mixed files do that). */
export const V0_LIST_FIELD_TARGETS: Readonly<Record<V0ListField, readonly V1ListField[]>> = {
  services: ['services'],
  publics_accueillis: ['publics_specifiquement_adresses', 'prise_en_charge_specifique'],
  conditions_acces: ['frais_a_charge'],
  labels_nationaux: ['dispositif_programmes_nationaux', 'formations_labels'],
  modalites_accompagnement: ['modalites_accompagnement'],
};

/** What happens to the v0 fields that are not closed lists (and to the renamed list fields). */
export type V0FieldTarget =
  | { readonly renamed: SchemaField }
  | { readonly dropped: true; readonly warning: true; readonly reason: string };

/**
 * v0 fields v1 renamed or dropped. v0 fields kept under the same name and meaning (id, nom, horaires…) are
 * not listed; nor are the list fields of V0_VALUE_MAPPING.
 */
export const V0_FIELD_MAPPING: Readonly<Record<string, V0FieldTarget>> = {
  courriel: { renamed: 'courriels' },
  accessibilite: { renamed: 'fiche_acces_libre' },
  labels_autres: { renamed: 'autres_formations_labels' },
  // ANCT's own library wrote this spelling in the CSV files it produced.
  presentation_resumee: { renamed: 'presentation_resume' },
  cle_ban: {
    dropped: true,
    warning: true,
    reason: "le schéma v1 n'a plus ce champ : l'adresse, le code postal et la commune suffisent",
  },
};

/** The keys a v0 file may carry that v1 does not know. */
export const V0_ONLY_FIELDS: readonly string[] = Object.freeze([
  'publics_accueillis',
  'conditions_acces',
  'labels_nationaux',
  ...Object.keys(V0_FIELD_MAPPING),
]);

/** French names of the v0 list fields, for messages and for the text kept in the detailed presentation. */
export const V0_FIELD_LABELS: Readonly<Record<V0ListField, string>> = {
  services: 'Services',
  publics_accueillis: 'Publics accueillis',
  conditions_acces: "Conditions d'accès",
  labels_nationaux: 'Labels nationaux',
  modalites_accompagnement: "Modalités d'accompagnement",
};

/**
 * The comparison key of list values: accents, case, apostrophes, spacing and punctuation around parentheses
 * and colons do not matter, as producers retype the long v0 labels by hand.
 */
export function v0ValueKey(value: string): string {
  return foldValue(value)
    .replace(/\s*([():+/-])\s*/g, '$1')
    .replace(/\.+$/, '')
    .trim();
}

export interface V0ValueMatch {
  /** The v0 field the value belongs to. */
  field: V0ListField;
  /** The value as the v0 schema spells it. */
  value: string;
  target: V0ValueTarget;
}

let lookup: Map<string, V0ValueMatch[]> | null = null;

/**
 * The v0 value `value` is, preferring the one of `field` when several v0 fields hold the same spelling;
 * null when it is no v0 value.
 */
export function findV0Value(value: string, field?: V0ListField): V0ValueMatch | null {
  if (lookup === null) {
    lookup = new Map();
    for (const [v0Field, values] of Object.entries(V0_VALUE_MAPPING) as [
      V0ListField,
      Record<string, V0ValueTarget>,
    ][]) {
      for (const [v0Value, target] of Object.entries(values)) {
        const key = v0ValueKey(v0Value);
        const matches = lookup.get(key) ?? [];
        matches.push({ field: v0Field, value: v0Value, target });
        lookup.set(key, matches);
      }
    }
  }
  const key = v0ValueKey(value);
  let matches = lookup.get(key);
  // "Gratuit : …" retyped with another explanation, or with none: the label before the colon decides.
  if (matches === undefined && key.includes(':')) {
    const head = key.slice(0, key.indexOf(':'));
    matches = [...lookup.entries()].find(([candidate]) => candidate.split(':')[0] === head)?.[1];
  }
  if (matches === undefined) return null;
  return matches.find((match) => match.field === field) ?? matches[0] ?? null;
}
