import type { PlaceValues, ValueKey } from './place-edit.ts';
import { SCHEMA_FIELDS, type SchemaField } from './schema-fields.ts';
import { describeTypology } from './schema-values.ts';

/**
 * Two versions of a place side by side for the coordinator, pure: every field of the national schema with
 * its French name, the current value beside the value after approval, lists compared item by item.
 */

/** French names of the national schema's fields (and of our position flag). */
export const SCHEMA_LABELS: Readonly<Record<SchemaField | 'position_approximate', string>> = {
  id: 'Identifiant',
  pivot: 'SIRET / RNA de la structure',
  nom: 'Nom du lieu',
  commune: 'Commune',
  code_postal: 'Code postal',
  code_insee: 'Code INSEE de la commune',
  adresse: 'Adresse',
  complement_adresse: "Complément d'adresse",
  latitude: 'Latitude',
  longitude: 'Longitude',
  position_approximate: 'Position approximative',
  typologie: 'Type de lieu',
  telephone: 'Téléphone',
  courriels: 'Adresses e-mail',
  site_web: 'Sites web',
  horaires: 'Horaires (format OpenStreetMap)',
  presentation_resume: 'Présentation courte',
  presentation_detail: 'Présentation détaillée',
  source: 'Source des données',
  itinerance: 'Itinérance',
  structure_parente: 'Structure parente',
  date_maj: 'Date de mise à jour',
  services: 'Services',
  publics_specifiquement_adresses: 'Publics accueillis en particulier',
  prise_en_charge_specifique: 'Accueil adapté',
  frais_a_charge: 'Frais',
  dispositif_programmes_nationaux: 'Dispositifs et programmes nationaux',
  formations_labels: 'Formations et labels',
  autres_formations_labels: 'Autres formations et labels',
  modalites_acces: "Comment venir (modalités d'accès)",
  modalites_accompagnement: "Comment on aide (modalités d'accompagnement)",
  fiche_acces_libre: 'Fiche Accès libre',
  prise_rdv: 'Prise de rendez-vous en ligne',
};

export interface DiffRow {
  field: SchemaField | 'position_approximate';
  label: string;
  list: boolean;
  current: string[];
  proposed: string[];
  changed: boolean;
  /** Lists: items only in the proposal, items only in the current version. */
  added: string[];
  removed: string[];
}

function displayItems(key: ValueKey, value: unknown): string[] {
  if (value === null || value === undefined || value === '') return [];
  if (Array.isArray(value))
    return value.map((v) => (key === 'typologie' ? `${describeTypology(String(v))} (${v})` : String(v)));
  if (typeof value === 'boolean') return [value ? 'oui' : 'non'];
  return [String(value)];
}

/**
 * Every field of the national schema (in the schema's order, with our position flag after the
 * longitude), current value beside the value after approval; lists compared item by item. `meta` gives
 * the fields a proposal does not carry (identifier, source, dates).
 */
export function diffRows(
  current: PlaceValues,
  proposed: PlaceValues,
  meta: { id: string; source: string; dateMaj: string | null; proposedDateMaj: string },
): DiffRow[] {
  const fields: (SchemaField | 'position_approximate')[] = [];
  for (const f of SCHEMA_FIELDS) {
    fields.push(f);
    if (f === 'longitude') fields.push('position_approximate');
  }
  return fields.map((field) => {
    let before: string[];
    let after: string[];
    let list = false;
    if (field === 'id' || field === 'source') {
      before = [meta[field]];
      after = [meta[field]];
    } else if (field === 'date_maj') {
      before = meta.dateMaj ? [meta.dateMaj] : [];
      after = [meta.proposedDateMaj];
    } else {
      list = Array.isArray(current[field]);
      before = displayItems(field, current[field]);
      after = displayItems(field, proposed[field]);
    }
    const changed = JSON.stringify(before) !== JSON.stringify(after);
    return {
      field,
      label: SCHEMA_LABELS[field],
      list,
      current: before,
      proposed: after,
      changed,
      added: list ? after.filter((v) => !before.includes(v)) : [],
      removed: list ? before.filter((v) => !after.includes(v)) : [],
    };
  });
}
