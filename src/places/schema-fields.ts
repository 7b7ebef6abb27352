/**
 * The field names of the national "Schéma des lieux de médiation numérique" v1.0.2. A module of its own
 * so that places.ts and places-v0.ts both read them without importing each other.
 */

/** The fields of schema v1.0.2, in the schema's order (the order of the exported CSV). */
export const SCHEMA_FIELDS = [
  'id',
  'pivot',
  'nom',
  'commune',
  'code_postal',
  'code_insee',
  'adresse',
  'complement_adresse',
  'latitude',
  'longitude',
  'typologie',
  'telephone',
  'courriels',
  'site_web',
  'horaires',
  'presentation_resume',
  'presentation_detail',
  'source',
  'itinerance',
  'structure_parente',
  'date_maj',
  'services',
  'publics_specifiquement_adresses',
  'prise_en_charge_specifique',
  'frais_a_charge',
  'dispositif_programmes_nationaux',
  'formations_labels',
  'autres_formations_labels',
  'modalites_acces',
  'modalites_accompagnement',
  'fiche_acces_libre',
  'prise_rdv',
] as const;
export type SchemaField = (typeof SCHEMA_FIELDS)[number];
export type SchemaRow = Record<SchemaField, string>;
