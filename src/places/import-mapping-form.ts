import { DomainError } from '../shared/domain-error.ts';
import { SCHEMA_FIELDS, type SchemaField } from './places.ts';
import {
  type ColumnRule,
  foldWord,
  type MappingProblem,
  type PlacesMapping,
  parseMappingJson,
} from './places-mapping.ts';
import { ENUM_FIELDS } from './places-row-lists.ts';
import { TYPOLOGY_FRENCH_LABELS } from './schema-values.ts';

/**
 * The column-mapping form of an import, pure: the schema fields as a coordinator reads them, the values
 * each list field accepts, and the form's fields read back into a mapping (and a mapping written into
 * the form). Names of the form's fields: `mode.<field>`, `col.<field>`, `col2.<field>`… (columns to join),
 * `sep.<field>`, `part.<field>`, `pattern.<field>`, `value.<field>`; for list fields `word.<field>.<n>`
 * (a word of the file) and `val.<field>.<n>` (the schema values it gives: two choices per word on the
 * page; `=` first leaves it untranslated, nothing chosen ignores it).
 */

export const FIELD_LABELS: Readonly<Record<SchemaField, string>> = {
  id: 'Identifiant du lieu dans la source',
  pivot: 'SIRET de la structure (pivot)',
  nom: 'Nom du lieu',
  commune: 'Commune',
  code_postal: 'Code postal',
  code_insee: 'Code INSEE de la commune',
  adresse: 'Adresse (numéro et voie)',
  complement_adresse: "Complément d'adresse",
  latitude: 'Latitude',
  longitude: 'Longitude',
  typologie: 'Type de structure (typologie)',
  telephone: 'Téléphone',
  courriels: 'Adresse e-mail',
  site_web: 'Site internet',
  horaires: "Horaires d'ouverture",
  presentation_resume: 'Présentation courte',
  presentation_detail: 'Présentation détaillée',
  source: 'Source',
  itinerance: 'Itinérance',
  structure_parente: 'Structure parente',
  date_maj: 'Date de mise à jour',
  services: 'Services',
  publics_specifiquement_adresses: 'Publics accueillis en particulier',
  prise_en_charge_specifique: 'Prise en charge spécifique',
  frais_a_charge: 'Frais à charge',
  dispositif_programmes_nationaux: 'Dispositifs et programmes nationaux',
  formations_labels: 'Formations et labels',
  autres_formations_labels: 'Autres formations et labels',
  modalites_acces: "Modalités d'accès",
  modalites_accompagnement: "Modalités d'accompagnement",
  fiche_acces_libre: 'Fiche Accès Libre',
  prise_rdv: 'Prise de rendez-vous en ligne',
};

/** The values a list field accepts, as the form offers them (value, label). */
export const LIST_FIELD_VALUES: Readonly<
  Partial<Record<SchemaField, readonly (readonly [string, string])[]>>
> = Object.fromEntries(
  Object.entries(ENUM_FIELDS).map(([field, values]) => [
    field,
    values.map((v) => [v, field === 'typologie' ? `${v} — ${TYPOLOGY_FRENCH_LABELS[v] ?? v}` : v] as const),
  ]),
);

export type RuleMode = ColumnRule['kind'];

export const MODE_LABELS: Readonly<Record<RuleMode, string>> = {
  none: 'Rien (laisser vide)',
  column: 'Une colonne',
  join: 'Plusieurs colonnes jointes',
  split: "Une partie d'une colonne (découpée par un séparateur)",
  pattern: "Une partie d'une colonne (motif)",
  fixed: 'La même valeur pour tous les lieux',
};

/** The choice that leaves a word of the file untranslated. */
export const UNTRANSLATED = '=';

/** Columns joined at most by the form (the JSON mapping takes any number). */
export const JOIN_SLOTS = 4;

/** A field's rule as the form's fields hold it (all text, as posted). */
export interface RuleFields {
  mode: RuleMode;
  columns: string[];
  separator: string;
  part: string;
  pattern: string;
  value: string;
}

export function ruleFields(rule: ColumnRule | undefined): RuleFields {
  const empty: RuleFields = { mode: 'none', columns: [], separator: '', part: '', pattern: '', value: '' };
  if (!rule) return empty;
  switch (rule.kind) {
    case 'none':
      return empty;
    case 'column':
      return { ...empty, mode: 'column', columns: [rule.column] };
    case 'join':
      return { ...empty, mode: 'join', columns: [...rule.columns], separator: rule.separator };
    case 'split':
      return {
        ...empty,
        mode: 'split',
        columns: [rule.column],
        separator: rule.separator,
        part: String(rule.part),
      };
    case 'pattern':
      return { ...empty, mode: 'pattern', columns: [rule.column], pattern: rule.pattern };
    case 'fixed':
      return { ...empty, mode: 'fixed', value: rule.value };
    default:
      return empty;
  }
}

/** Form problems found while reading the fields (the mapping's own check comes after). */
export interface FormProblem {
  field: string;
  message: string;
}

/**
 * The mapping the form describes. A separator may be a single space, so only the mode and the columns
 * are trimmed. A field left on "Rien" is left out.
 */
export function mappingFromForm(
  body: Readonly<Record<string, string | string[]>>,
  base: PlacesMapping,
): { mapping: PlacesMapping; problems: FormProblem[] } {
  const one = (key: string): string => {
    const v = body[key];
    return (Array.isArray(v) ? v[v.length - 1] : v) ?? '';
  };
  const all = (key: string): string[] => {
    const v = body[key];
    return v === undefined ? [] : Array.isArray(v) ? v : [v];
  };
  const problems: FormProblem[] = [];
  const fields: PlacesMapping['fields'] = {};
  for (const field of SCHEMA_FIELDS) {
    const mode = one(`mode.${field}`).trim() as RuleMode;
    const column = one(`col.${field}`).trim();
    const label = FIELD_LABELS[field];
    switch (mode) {
      case 'column':
        if (column === '') problems.push({ field, message: `${label} : choisissez la colonne.` });
        else fields[field] = { kind: 'column', column };
        break;
      case 'join': {
        const columns = [column];
        for (let slot = 2; slot <= JOIN_SLOTS; slot++) columns.push(one(`col${slot}.${field}`).trim());
        const chosen = columns.filter((c) => c !== '');
        if (chosen.length < 2)
          problems.push({ field, message: `${label} : choisissez au moins deux colonnes à joindre.` });
        else fields[field] = { kind: 'join', columns: chosen, separator: one(`sep.${field}`) || ' ' };
        break;
      }
      case 'split': {
        const part = Number(one(`part.${field}`).trim());
        const separator = one(`sep.${field}`);
        if (column === '') problems.push({ field, message: `${label} : choisissez la colonne à découper.` });
        else if (separator === '')
          problems.push({ field, message: `${label} : indiquez le séparateur (par exemple « , »).` });
        else if (!Number.isInteger(part) || part === 0)
          problems.push({
            field,
            message: `${label} : la partie à garder doit être un numéro (1 pour la première, -1 pour la dernière).`,
          });
        else fields[field] = { kind: 'split', column, separator, part };
        break;
      }
      case 'pattern': {
        const pattern = one(`pattern.${field}`);
        if (column === '') problems.push({ field, message: `${label} : choisissez la colonne.` });
        else if (pattern.trim() === '') problems.push({ field, message: `${label} : écrivez le motif.` });
        else fields[field] = { kind: 'pattern', column, pattern };
        break;
      }
      case 'fixed': {
        const value = one(`value.${field}`).trim();
        if (value === '')
          problems.push({ field, message: `${label} : écrivez la valeur à donner à tous les lieux.` });
        else fields[field] = { kind: 'fixed', value };
        break;
      }
      default:
        break;
    }
  }
  const values: PlacesMapping['values'] = { ...base.values };
  for (const field of Object.keys(LIST_FIELD_VALUES) as SchemaField[]) {
    const words: Record<string, string[]> = { ...(base.values[field] ?? {}) };
    let seen = false;
    for (let n = 0; n < 500; n++) {
      const word = body[`word.${field}.${n}`];
      if (word === undefined) break;
      seen = true;
      const text = Array.isArray(word) ? (word[0] ?? '') : word;
      // The first choice "=" leaves the word untranslated (reported); "" ignores it; else its values.
      const posted = all(`val.${field}.${n}`);
      // Words are looked up folded ("Wifi" is "wifi"): every spelling of this word gives way to the choice.
      const folded = foldWord(text);
      for (const key of Object.keys(words)) if (foldWord(key) === folded) delete words[key];
      if (posted[0] !== UNTRANSLATED && posted.length > 0)
        words[text] = [...new Set(posted.filter((v) => v !== '' && v !== UNTRANSLATED))];
    }
    if (seen) values[field] = words;
  }
  return { mapping: { ...base, version: 1, fields, values }, problems };
}

const MAPPING_FILE_UNREADABLE =
  "Le fichier de correspondance n'est pas un JSON lisible : vérifiez les virgules, guillemets et accolades.";

/** A mapping's problems as the French error a form shows (its details name each field). */
export function mappingProblemsError(problems: MappingProblem[]): DomainError {
  const message =
    problems.length === 1
      ? 'La correspondance des colonnes a un problème : corrigez-le.'
      : `La correspondance des colonnes a ${problems.length} problèmes : corrigez-les.`;
  return new DomainError('invalid_input', message, { problems });
}

/** Reads a mapping file given with an upload (ours or the national pipeline's transformer format). */
export function readMappingFile(bytes: Uint8Array): PlacesMapping {
  let json: unknown;
  try {
    json = JSON.parse(new TextDecoder('utf-8').decode(bytes).replace(/^\uFEFF/, ''));
  } catch {
    throw new DomainError('invalid_input', MAPPING_FILE_UNREADABLE, {
      problems: [{ field: null, message: MAPPING_FILE_UNREADABLE }],
    });
  }
  const parsed = parseMappingJson(json);
  if (!parsed.ok) throw mappingProblemsError(parsed.problems);
  return parsed.mapping;
}
