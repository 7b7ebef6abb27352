import { SCHEMA_FIELDS } from '../../src/places/places.ts';

/**
 * Fixtures written by the project (never copied from reference data): valid national-schema v1.0.2
 * rows and small files made from them.
 */
export type Row = Record<string, string>;

let counter = 0;

export function sampleRow(overrides: Row = {}): Row {
  counter++;
  const n = String(counter).padStart(3, '0');
  return {
    id: `lieu-${n}`,
    pivot: '21450234600019',
    nom: `Médiathèque d'essai ${n}`,
    commune: 'Orléans',
    code_postal: '45000',
    code_insee: '45234',
    adresse: '1 place de la République',
    complement_adresse: '',
    latitude: '47.90289',
    longitude: '1.90389',
    typologie: 'BIB',
    telephone: '+33261910101',
    courriels: 'contact@example.org',
    site_web: 'https://example.org/mediatheque',
    horaires: 'Tu-Fr 10:00-12:00,14:00-18:00; Sa 10:00-17:00',
    presentation_resume: 'Des postes en accès libre et une aide pour vos démarches.',
    presentation_detail: '',
    source: 'essai',
    itinerance: 'Fixe',
    structure_parente: '',
    date_maj: '2026-03-01',
    services: 'Aide aux démarches administratives|Accès internet et matériel informatique',
    publics_specifiquement_adresses: 'Seniors',
    prise_en_charge_specifique: '',
    frais_a_charge: 'Gratuit',
    dispositif_programmes_nationaux: 'Conseillers numériques',
    formations_labels: '',
    autres_formations_labels: '',
    modalites_acces: 'Se présenter|Téléphoner',
    modalites_accompagnement: 'Accompagnement individuel|En autonomie',
    fiche_acces_libre: '',
    prise_rdv: '',
    ...overrides,
  };
}

function csvCell(value: string): string {
  return /[",\n\r;]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}

/** A comma CSV with the schema's columns (or the given ones). */
export function toCsv(rows: Row[], columns: readonly string[] = SCHEMA_FIELDS): string {
  const lines = [columns.join(',')];
  for (const row of rows) lines.push(columns.map((c) => csvCell(row[c] ?? '')).join(','));
  return `${lines.join('\n')}\n`;
}

export function bytes(text: string): Uint8Array {
  return new TextEncoder().encode(text);
}
