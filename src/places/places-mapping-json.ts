import { MAPPING_MESSAGES as MESSAGES } from './places-mapping-messages.ts';
import type {
  ColumnRule,
  ContainsRule,
  HoursMapping,
  MappingProblem,
  OsmDay,
  PlacesMapping,
} from './places-mapping-types.ts';
import { OSM_DAYS } from './places-mapping-types.ts';
import { ENUM_FIELDS } from './places-row-lists.ts';
import { SCHEMA_FIELDS, type SchemaField } from './schema-fields.ts';

/**
 * The JSON forms of a column mapping, read into a PlacesMapping: ours (`{ "version": 1, "fields": … }`)
 * and the configuration files of the national pipeline's transformer (mednum-cli, `[source].config.json`:
 * `{ "nom": { "colonne": "USER_NOM" }, "services": [{ "colonnes": […], "termes": […], "cible": … }] }`).
 * Every key is checked; an unknown one is a problem naming it, never silently ignored. docs/decisions/0028
 * says how each transformer key maps to ours and what is not supported.
 */

type Parsed =
  | { ok: true; mapping: PlacesMapping; format: 'maillage' | 'transformer' }
  | { ok: false; problems: MappingProblem[] };

const DAYS: readonly OsmDay[] = OSM_DAYS;
const SCHEMA_FIELD_SET = new Set<string>(SCHEMA_FIELDS);
/** The list fields: those of an enumeration, and the free list of other labels. */
const LIST_KEYS = new Set<string>([...Object.keys(ENUM_FIELDS), 'autres_formations_labels']);

function isObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

function isStringArray(value: unknown): value is string[] {
  return Array.isArray(value) && value.every((item) => typeof item === 'string');
}

/** Collects problems while reading; each reader returns undefined after recording why. */
class Reader {
  readonly problems: MappingProblem[] = [];

  problem(field: string | null, message: string): undefined {
    this.problems.push({ field, message });
    return undefined;
  }

  /** The keys of an object outside `known`, each a problem. */
  onlyKeys(
    object: Record<string, unknown>,
    known: readonly string[],
    path: string,
    field: string | null,
  ): void {
    for (const key of Object.keys(object)) {
      if (!known.includes(key))
        this.problem(field, MESSAGES.unknownKey(path === '' ? key : `${path}.${key}`, known));
    }
  }

  string(
    object: Record<string, unknown>,
    key: string,
    path: string,
    field: string | null,
  ): string | undefined {
    const value = object[key];
    if (typeof value === 'string') return value;
    return this.problem(field, MESSAGES.badType(`${path}.${key}`, 'un texte'));
  }

  strings(
    object: Record<string, unknown>,
    key: string,
    path: string,
    field: string | null,
  ): string[] | undefined {
    const value = object[key];
    if (isStringArray(value)) return value;
    return this.problem(field, MESSAGES.badType(`${path}.${key}`, 'une liste de textes [ "…", "…" ]'));
  }
}

/**
 * Reads a mapping file's JSON: ours or the transformer's (told apart by our `version` and `fields` keys).
 * Problems name the key (and field) in French; nothing is guessed.
 */
export function parseMappingJson(value: unknown): Parsed {
  if (!isObject(value))
    return {
      ok: false,
      problems: [{ field: null, message: MESSAGES.notAnObject('Le fichier de correspondance') }],
    };
  const ours = 'version' in value || 'fields' in value;
  const reader = new Reader();
  const mapping = ours ? readOurs(value, reader) : readTransformer(value, reader);
  if (reader.problems.length > 0 || mapping === undefined) return { ok: false, problems: reader.problems };
  return { ok: true, mapping, format: ours ? 'maillage' : 'transformer' };
}

// ---------------------------------------------------------------------------------------------------------
// Our format.
// ---------------------------------------------------------------------------------------------------------

const RULE_KEYS: Readonly<Record<ColumnRule['kind'], readonly string[]>> = {
  column: ['kind', 'column'],
  join: ['kind', 'columns', 'separator'],
  split: ['kind', 'column', 'separator', 'part'],
  pattern: ['kind', 'column', 'pattern'],
  fixed: ['kind', 'value'],
  none: ['kind'],
};

function readRule(value: unknown, path: string, field: string, reader: Reader): ColumnRule | undefined {
  if (!isObject(value)) return reader.problem(field, MESSAGES.notAnObject(`La règle « ${path} »`));
  const kind = value.kind;
  if (typeof kind !== 'string' || !Object.hasOwn(RULE_KEYS, kind))
    return reader.problem(field, MESSAGES.badKind(path, String(kind)));
  const typedKind = kind as ColumnRule['kind'];
  reader.onlyKeys(value, RULE_KEYS[typedKind], path, field);
  switch (typedKind) {
    case 'column': {
      const column = reader.string(value, 'column', path, field);
      return column === undefined ? undefined : { kind: 'column', column };
    }
    case 'join': {
      const columns = reader.strings(value, 'columns', path, field);
      const separator = value.separator === undefined ? ' ' : reader.string(value, 'separator', path, field);
      return columns === undefined || separator === undefined
        ? undefined
        : { kind: 'join', columns, separator };
    }
    case 'split': {
      const column = reader.string(value, 'column', path, field);
      const separator = reader.string(value, 'separator', path, field);
      const part = value.part;
      if (typeof part !== 'number' || !Number.isInteger(part))
        return reader.problem(
          field,
          MESSAGES.badType(
            `${path}.part`,
            'un nombre entier (1 pour la première partie, -1 pour la dernière)',
          ),
        );
      return column === undefined || separator === undefined
        ? undefined
        : { kind: 'split', column, separator, part };
    }
    case 'pattern': {
      const column = reader.string(value, 'column', path, field);
      const pattern = reader.string(value, 'pattern', path, field);
      return column === undefined || pattern === undefined ? undefined : { kind: 'pattern', column, pattern };
    }
    case 'fixed': {
      const fixed = reader.string(value, 'value', path, field);
      return fixed === undefined ? undefined : { kind: 'fixed', value: fixed };
    }
    case 'none':
      return { kind: 'none' };
  }
}

function schemaField(key: string, reader: Reader): SchemaField | undefined {
  if (SCHEMA_FIELD_SET.has(key)) return key as SchemaField;
  return reader.problem(key, MESSAGES.notSchemaField(key));
}

function readHours(value: unknown, path: string, reader: Reader): HoursMapping | undefined {
  if (!isObject(value)) return reader.problem('horaires', MESSAGES.notAnObject(`« ${path} »`));
  reader.onlyKeys(value, ['osm', 'days', 'text', 'weekParity'], path, 'horaires');
  const hours: HoursMapping = {};
  for (const key of ['osm', 'text', 'weekParity'] as const) {
    if (value[key] !== undefined) hours[key] = reader.string(value, key, path, 'horaires');
  }
  if (value.days !== undefined) {
    if (!isObject(value.days)) return reader.problem('horaires', MESSAGES.notAnObject(`« ${path}.days »`));
    const days: Partial<Record<OsmDay, string[]>> = {};
    for (const [day, columns] of Object.entries(value.days)) {
      if (!(DAYS as readonly string[]).includes(day)) {
        reader.problem('horaires', MESSAGES.badDay(`${path}.days`, day));
        continue;
      }
      if (typeof columns === 'string') days[day as OsmDay] = [columns];
      else if (isStringArray(columns)) days[day as OsmDay] = columns;
      else
        reader.problem(
          'horaires',
          MESSAGES.badType(`${path}.days.${day}`, 'un nom de colonne ou une liste de noms'),
        );
    }
    hours.days = days;
  }
  return hours;
}

function readOurs(value: Record<string, unknown>, reader: Reader): PlacesMapping | undefined {
  reader.onlyKeys(value, ['version', 'source', 'fields', 'values', 'hours', 'contains'], '', null);
  if (value.version !== 1) reader.problem(null, MESSAGES.badVersion());
  const mapping: PlacesMapping = { version: 1, fields: {}, values: {} };
  if (value.source !== undefined) mapping.source = reader.string(value, 'source', '', null);
  if (!isObject(value.fields)) return reader.problem(null, MESSAGES.notAnObject('La clé « fields »'));
  for (const [key, rule] of Object.entries(value.fields)) {
    const field = schemaField(key, reader);
    const read = field === undefined ? undefined : readRule(rule, `fields.${key}`, key, reader);
    if (field !== undefined && read !== undefined) mapping.fields[field] = read;
  }
  if (value.values !== undefined) {
    if (!isObject(value.values)) return reader.problem(null, MESSAGES.notAnObject('La clé « values »'));
    for (const [key, words] of Object.entries(value.values)) {
      const field = schemaField(key, reader);
      if (field === undefined) continue;
      if (!isObject(words)) {
        reader.problem(key, MESSAGES.notAnObject(`« values.${key} »`));
        continue;
      }
      const lookup: Record<string, string[]> = {};
      for (const [word, targets] of Object.entries(words)) {
        if (typeof targets === 'string') lookup[word] = [targets];
        else if (isStringArray(targets)) lookup[word] = targets;
        else
          reader.problem(
            key,
            MESSAGES.badType(
              `values.${key}.${word}`,
              'une liste de valeurs du schéma ([] pour ignorer le mot)',
            ),
          );
      }
      mapping.values[field] = lookup;
    }
  }
  if (value.hours !== undefined) mapping.hours = readHours(value.hours, 'hours', reader);
  if (value.contains !== undefined) {
    if (!isObject(value.contains)) return reader.problem(null, MESSAGES.notAnObject('La clé « contains »'));
    const contains: Partial<Record<SchemaField, ContainsRule[]>> = {};
    for (const [key, rules] of Object.entries(value.contains)) {
      const field = schemaField(key, reader);
      if (field === undefined) continue;
      if (!Array.isArray(rules)) {
        reader.problem(key, MESSAGES.badType(`contains.${key}`, 'une liste de règles'));
        continue;
      }
      contains[field] = rules
        .map((rule, index) => readContains(rule, `contains.${key}[${index}]`, key, reader))
        .filter((rule): rule is ContainsRule => rule !== undefined);
    }
    mapping.contains = contains;
  }
  return mapping;
}

function readContains(value: unknown, path: string, field: string, reader: Reader): ContainsRule | undefined {
  if (!isObject(value)) return reader.problem(field, MESSAGES.notAnObject(`« ${path} »`));
  reader.onlyKeys(value, ['columns', 'terms', 'except', 'value', 'whenModalite'], path, field);
  const columns =
    value.columns === null || value.columns === undefined
      ? null
      : reader.strings(value, 'columns', path, field);
  const terms =
    value.terms === null || value.terms === undefined ? null : reader.strings(value, 'terms', path, field);
  const except = value.except === undefined ? [] : reader.strings(value, 'except', path, field);
  const target = reader.string(value, 'value', path, field);
  const when =
    value.whenModalite === undefined ? undefined : reader.string(value, 'whenModalite', path, field);
  if (columns === undefined || terms === undefined || except === undefined || target === undefined)
    return undefined;
  return { columns, terms, except, value: target, whenModalite: when };
}

// ---------------------------------------------------------------------------------------------------------
// The transformer's format (mednum-cli, LieuxMediationNumeriqueMatching).
// ---------------------------------------------------------------------------------------------------------

/** Transformer keys of one value, and the schema field each fills. */
const TRANSFORMER_SCALARS: Readonly<Record<string, SchemaField>> = {
  id: 'id',
  pivot: 'pivot',
  nom: 'nom',
  code_postal: 'code_postal',
  commune: 'commune',
  adresse: 'adresse',
  complement_adresse: 'complement_adresse',
  code_insee: 'code_insee',
  latitude: 'latitude',
  longitude: 'longitude',
  telephone: 'telephone',
  site_web: 'site_web',
  courriels: 'courriels',
  courriel: 'courriels',
  presentation_resume: 'presentation_resume',
  presentation_detail: 'presentation_detail',
  date_maj: 'date_maj',
  source: 'source',
  prise_rdv: 'prise_rdv',
  fiche_acces_libre: 'fiche_acces_libre',
  accessibilite: 'fiche_acces_libre',
  structure_parente: 'structure_parente',
};
/** Old (v0) list keys, and what to write instead. */
const TRANSFORMER_V0_KEYS: Readonly<Record<string, string>> = {
  conditions_acces: '« frais_a_charge » et « modalites_acces »',
  labels_nationaux: '« dispositif_programmes_nationaux » et « formations_labels »',
  publics_accueillis: '« publics_specifiquement_adresses » et « prise_en_charge_specifique »',
};
const TRANSFORMER_KEYS = [
  ...Object.keys(TRANSFORMER_SCALARS),
  ...LIST_KEYS,
  'labels_autres',
  'horaires',
  'semaine_ouverture',
];

function readTransformerScalar(value: unknown, key: string, reader: Reader): ColumnRule | undefined {
  if (!isObject(value)) return reader.problem(key, MESSAGES.notAnObject(`La clé « ${key} »`));
  reader.onlyKeys(value, ['colonne', 'joindre', 'dissocier', 'valeur'], key, key);
  if (typeof value.colonne === 'string') return { kind: 'column', column: value.colonne };
  if (value.colonne !== undefined)
    return reader.problem(key, MESSAGES.badType(`${key}.colonne`, 'un nom de colonne'));
  if (value.joindre !== undefined) {
    const path = `${key}.joindre`;
    if (!isObject(value.joindre)) return reader.problem(key, MESSAGES.notAnObject(`« ${path} »`));
    reader.onlyKeys(value.joindre, ['colonnes', 'séparateur', 'separateur'], path, key);
    const columns = reader.strings(value.joindre, 'colonnes', path, key);
    const separatorKey = 'séparateur' in value.joindre ? 'séparateur' : 'separateur';
    const separator = reader.string(value.joindre, separatorKey, path, key);
    return columns === undefined || separator === undefined
      ? undefined
      : { kind: 'join', columns, separator };
  }
  if (value.dissocier !== undefined) {
    const path = `${key}.dissocier`;
    if (!isObject(value.dissocier)) return reader.problem(key, MESSAGES.notAnObject(`« ${path} »`));
    reader.onlyKeys(value.dissocier, ['colonne', 'séparateur', 'separateur', 'partie'], path, key);
    const column = reader.string(value.dissocier, 'colonne', path, key);
    const separatorKey = 'séparateur' in value.dissocier ? 'séparateur' : 'separateur';
    const separator = reader.string(value.dissocier, separatorKey, path, key);
    const part = value.dissocier.partie;
    if (typeof part !== 'number' || !Number.isInteger(part) || part < 0)
      return reader.problem(
        key,
        MESSAGES.badType(`${path}.partie`, 'un nombre entier à partir de 0 (0 pour la première partie)'),
      );
    // The transformer counts parts from 0; ours from 1.
    return column === undefined || separator === undefined
      ? undefined
      : { kind: 'split', column, separator, part: part + 1 };
  }
  if (value.valeur !== undefined) {
    const fixed = value.valeur;
    if (typeof fixed === 'string' || typeof fixed === 'number')
      return { kind: 'fixed', value: String(fixed) };
    return reader.problem(key, MESSAGES.badType(`${key}.valeur`, 'un texte'));
  }
  return reader.problem(
    key,
    MESSAGES.badType(key, 'un objet avec « colonne », « joindre », « dissocier » ou « valeur »'),
  );
}

function readChoice(
  value: unknown,
  path: string,
  key: string,
  reader: Reader,
):
  | {
      columns: string[] | null;
      terms: string[] | null;
      except: string[];
      value: string | null;
      when?: string;
    }
  | undefined {
  if (!isObject(value)) return reader.problem(key, MESSAGES.notAnObject(`« ${path} »`));
  const known =
    key === 'services'
      ? ['colonnes', 'termes', 'sauf', 'cible', 'modalitesAccompagnement']
      : ['colonnes', 'termes', 'sauf', 'cible'];
  reader.onlyKeys(value, known, path, key);
  const columns = value.colonnes === undefined ? null : reader.strings(value, 'colonnes', path, key);
  const terms = value.termes === undefined ? null : reader.strings(value, 'termes', path, key);
  const except = value.sauf === undefined ? [] : reader.strings(value, 'sauf', path, key);
  const target = value.cible === undefined ? null : reader.string(value, 'cible', path, key);
  const when =
    value.modalitesAccompagnement === undefined
      ? undefined
      : reader.string(value, 'modalitesAccompagnement', path, key);
  if (columns === undefined || terms === undefined || except === undefined || target === undefined)
    return undefined;
  return when === undefined
    ? { columns, terms, except, value: target }
    : { columns, terms, except, value: target, when };
}

function readTransformerHours(value: unknown, reader: Reader): HoursMapping | undefined {
  if (!isObject(value)) return reader.problem('horaires', MESSAGES.notAnObject('La clé « horaires »'));
  reader.onlyKeys(value, ['jours', 'semaine', 'osm'], 'horaires', 'horaires');
  const hours: HoursMapping = {};
  if (value.osm !== undefined) hours.osm = reader.string(value, 'osm', 'horaires', 'horaires');
  if (value.semaine !== undefined) hours.text = reader.string(value, 'semaine', 'horaires', 'horaires');
  if (value.jours !== undefined) {
    if (!Array.isArray(value.jours))
      return reader.problem(
        'horaires',
        MESSAGES.badType('horaires.jours', 'une liste de { "colonne": …, "osm": "Mo" }'),
      );
    const days: Partial<Record<OsmDay, string[]>> = {};
    for (const [index, entry] of (value.jours as unknown[]).entries()) {
      const path = `horaires.jours[${index}]`;
      if (!isObject(entry)) {
        reader.problem('horaires', MESSAGES.notAnObject(`« ${path} »`));
        continue;
      }
      reader.onlyKeys(entry, ['colonne', 'osm'], path, 'horaires');
      const day = entry.osm;
      if (typeof day !== 'string' || !(DAYS as readonly string[]).includes(day)) {
        reader.problem('horaires', MESSAGES.badDay(`${path}.osm`, String(day)));
        continue;
      }
      const columns =
        typeof entry.colonne === 'string'
          ? [entry.colonne]
          : isStringArray(entry.colonne)
            ? entry.colonne
            : null;
      if (columns === null) {
        reader.problem(
          'horaires',
          MESSAGES.badType(`${path}.colonne`, 'un nom de colonne ou une liste de noms'),
        );
        continue;
      }
      days[day as OsmDay] = [...(days[day as OsmDay] ?? []), ...columns];
    }
    hours.days = days;
  }
  return hours;
}

function readTransformer(value: Record<string, unknown>, reader: Reader): PlacesMapping | undefined {
  const mapping: PlacesMapping = { version: 1, fields: {}, values: {} };
  const contains: Partial<Record<SchemaField, ContainsRule[]>> = {};
  for (const [key, entry] of Object.entries(value)) {
    const v0 = TRANSFORMER_V0_KEYS[key];
    if (v0 !== undefined) {
      reader.problem(key, MESSAGES.v0Key(key, v0));
      continue;
    }
    const scalar = TRANSFORMER_SCALARS[key];
    if (scalar !== undefined) {
      const rule = readTransformerScalar(entry, key, reader);
      if (rule !== undefined) mapping.fields[scalar] = rule;
      continue;
    }
    if (LIST_KEYS.has(key) || key === 'labels_autres') {
      const field = (key === 'labels_autres' ? 'autres_formations_labels' : key) as SchemaField;
      if (!Array.isArray(entry)) {
        reader.problem(
          key,
          MESSAGES.badType(key, 'une liste de règles { "colonnes": […], "termes": […], "cible": … }'),
        );
        continue;
      }
      entry.forEach((item: unknown, index) => {
        const choice = readChoice(item, `${key}[${index}]`, key, reader);
        if (choice === undefined) return;
        if (choice.value === null) {
          // Other labels without a target: the columns' own text is the label (as the transformer does).
          if (field === 'autres_formations_labels' && choice.columns !== null) {
            const previous = mapping.fields.autres_formations_labels;
            const columns = [...(previous?.kind === 'join' ? previous.columns : []), ...choice.columns];
            mapping.fields.autres_formations_labels = { kind: 'join', columns, separator: '|' };
          } else reader.problem(key, MESSAGES.badType(`${key}[${index}].cible`, 'une valeur du schéma'));
          return;
        }
        const rules = contains[field] ?? [];
        rules.push({
          columns: choice.columns,
          terms: choice.terms,
          except: choice.except,
          value: choice.value,
          whenModalite: choice.when,
        });
        contains[field] = rules;
      });
      continue;
    }
    if (key === 'horaires') {
      const hours = readTransformerHours(entry, reader);
      if (hours !== undefined) mapping.hours = { ...mapping.hours, ...hours };
      continue;
    }
    if (key === 'semaine_ouverture') {
      if (!isObject(entry)) {
        reader.problem(key, MESSAGES.notAnObject('La clé « semaine_ouverture »'));
        continue;
      }
      reader.onlyKeys(entry, ['colonne'], key, 'horaires');
      const column = reader.string(entry, 'colonne', key, 'horaires');
      if (column !== undefined) mapping.hours = { ...mapping.hours, weekParity: column };
      continue;
    }
    reader.problem(key, MESSAGES.unknownKey(key, TRANSFORMER_KEYS));
  }
  // "inAdresse": the postcode is the five digits found in the address.
  const postcode = mapping.fields.code_postal;
  if (postcode?.kind === 'column' && postcode.column === 'inAdresse') {
    const address = mapping.fields.adresse;
    if (address?.kind === 'column')
      mapping.fields.code_postal = { kind: 'pattern', column: address.column, pattern: '\\b(\\d{5})\\b' };
    else
      reader.problem(
        'code_postal',
        MESSAGES.notSupported(
          'code_postal.colonne « inAdresse »',
          "l'adresse doit alors venir d'une seule colonne (« adresse.colonne »)",
        ),
      );
  }
  if (Object.keys(contains).length > 0) mapping.contains = contains;
  return mapping;
}
