import {
  MOBILISATION,
  NETWORKS,
  PUBLICS,
  SERVICE_MAPPING,
  type TypeService,
} from '../publication/data-inclusion.ts';
import { DomainError } from '../shared/domain-error.ts';
import type { ImportIssue } from './places.ts';
import type { ParsedRecord } from './places-file.ts';
import { DISPOSITIFS } from './schema-values.ts';

/**
 * Reading data·inclusion's files back (schema v1: structures and services, docs/decisions/0055). Pure:
 * bytes in, records of the national schema out, ready for the import (places-import.service.ts). A
 * structure is a place, identified by its `source` and `id`; its services give the place's national
 * services through SERVICE_MAPPING read in reverse (the table the publication writes with), and its
 * publics, fees and ways in through the publication's other tables, reversed too. What has no national
 * equivalent is warned about, naming the file, the row and the field, never fatal. A file that is not
 * whole JSON (cut mid-file) or follows another version of the schema is refused whole: nothing imported.
 */

export type PlacesLayout = 'national' | 'data-inclusion';
export const PLACES_LAYOUTS: readonly PlacesLayout[] = ['national', 'data-inclusion'];

/** Properties only data·inclusion's structures have (the national schema has none of them). */
const STRUCTURE_MARKERS = [
  'lien_source',
  'horaires_accueil',
  'reseaux_porteurs',
  'accessibilite_lieu',
  'siret',
];
/** Properties of data·inclusion's schema v0 structures that v1 dropped. */
const V0_MARKERS = ['typologie', 'labels_nationaux', 'presentation_resume', 'antenne', 'rna', 'thematiques'];

export interface DataInclusionRecords {
  records: ParsedRecord[];
  /** Problems of whole rows the reader could not read (rejected rows). */
  fileIssues: ImportIssue[];
  /** Values without a national equivalent, services without their structure: kept as warnings. */
  warnings: ImportIssue[];
  services: number;
}

function fileError(message: string, details: Record<string, unknown>): DomainError {
  return new DomainError('invalid_file', message, details);
}

/**
 * The JSON value of a file's bytes, parsed once per upload: detecting the layout, telling the two files
 * apart and reading them look at the same bytes (a file may weigh 200 MB).
 */
const parsed = new WeakMap<Uint8Array, { value: unknown } | { error: Error }>();

function parsedOnce(bytes: Uint8Array): { value: unknown } | { error: Error } {
  let result = parsed.get(bytes);
  if (!result) {
    try {
      result = { value: JSON.parse(textOf(bytes)) };
    } catch (error) {
      result = { error: error as Error };
    }
    parsed.set(bytes, result);
  }
  return result;
}

const textOf = (bytes: Uint8Array) =>
  Buffer.from(bytes)
    .toString('utf8')
    .replace(/^\uFEFF/, '');

function parseJson(bytes: Uint8Array, fileName: string): unknown {
  const result = parsedOnce(bytes);
  if ('value' in result) return result.value;
  // An empty file is not JSON either: the text is decoded again only to say what is wrong.
  const text = textOf(bytes);
  if (text.trim() === '')
    throw fileError(`Le fichier « ${fileName} » est vide : rien n'a été importé.`, { fileName });
  const trimmed = text.trimEnd();
  const truncated = trimmed.startsWith('[') && !trimmed.endsWith(']');
  throw fileError(
    truncated
      ? `Le fichier « ${fileName} » est tronqué (il s'arrête avant la fin du tableau JSON) : rien n'a été importé. Téléchargez-le de nouveau en entier.`
      : `Le fichier « ${fileName} » n'est pas un JSON valide (${result.error.message}) : rien n'a été importé.`,
    { fileName, truncated },
  );
}

/** The records of a file: a JSON array, or an object holding one with its schema version. */
function recordsOf(value: unknown, fileName: string, key: 'structures' | 'services'): unknown[] {
  if (Array.isArray(value)) return value;
  if (value !== null && typeof value === 'object') {
    const wrapper = value as Record<string, unknown>;
    const version = wrapper.schema_version ?? wrapper.version;
    if (version !== undefined) checkVersion(version, fileName, null);
    const other = key === 'structures' ? 'services' : 'structures';
    if (!Array.isArray(wrapper[key]) && Array.isArray(wrapper[other]))
      throw swappedError(fileName, key, null, other);
    const list = wrapper[key] ?? wrapper.data ?? wrapper.items;
    if (Array.isArray(list)) return list;
  }
  throw fileError(
    `Le fichier « ${fileName} » n'est pas une liste de ${key} data·inclusion (un tableau JSON d'objets) : rien n'a été importé.`,
    { fileName },
  );
}

/** Properties only data·inclusion's services have, and only its structures (schema v1). */
const SERVICE_ONLY = ['structure_id', 'thematiques', 'modes_accueil', 'publics', 'frais'];
const STRUCTURE_ONLY = ['siret', 'reseaux_porteurs', 'accessibilite_lieu', 'site_web'];

/** What a data·inclusion record is by its properties: a service, a structure, or neither clearly. */
function kindOfRecord(record: unknown): { kind: 'structures' | 'services'; field: string } | null {
  if (!record || typeof record !== 'object' || Array.isArray(record)) return null;
  const keys = Object.keys(record);
  const service = SERVICE_ONLY.find((key) => keys.includes(key));
  // A service always names its structure: `structure_id` is required by the schema.
  if (service !== undefined && keys.includes('structure_id'))
    return { kind: 'services', field: 'structure_id' };
  const structure = STRUCTURE_ONLY.find((key) => keys.includes(key));
  if (structure !== undefined && !keys.includes('structure_id'))
    return { kind: 'structures', field: structure };
  return null;
}

/**
 * Which of data·inclusion's two files these bytes are, read from the first record's properties (a
 * service names its `structure_id`; a structure has a `siret`, `reseaux_porteurs`…); null when the file
 * is neither clearly (not JSON, empty, another schema). For a form that receives both files.
 */
export function dataInclusionKind(bytes: Uint8Array): 'structures' | 'services' | null {
  const result = parsedOnce(bytes);
  if (!('value' in result)) return null;
  let value = result.value;
  if (value !== null && typeof value === 'object' && !Array.isArray(value)) {
    const wrapper = value as Record<string, unknown>;
    if (Array.isArray(wrapper.services) && !Array.isArray(wrapper.structures)) return 'services';
    if (Array.isArray(wrapper.structures)) return 'structures';
    value = wrapper.data ?? wrapper.items;
  }
  if (!Array.isArray(value)) return null;
  return kindOfRecord(value.find((r) => r && typeof r === 'object'))?.kind ?? null;
}

/** A file given as one of data·inclusion's two files that holds the other's records. */
function swappedError(
  fileName: string,
  expected: 'structures' | 'services',
  row: number | null,
  field: string,
): DomainError {
  const found = expected === 'structures' ? 'des services' : 'des structures';
  const where = row === null ? '' : `, ligne ${row}, champ ${field}`;
  return fileError(
    `Le fichier « ${fileName} », donné comme fichier des ${expected}, contient ${found} data·inclusion (d'après son contenu${where}) : ${
      expected === 'structures'
        ? 'donnez le fichier des structures comme premier fichier, et celui-ci comme fichier des services.'
        : 'donnez-le comme fichier des structures, et le fichier des services à part.'
    } Rien n'a été importé.`,
    { fileName, row, field, expected },
  );
}

/** Refuses a file whose first recognisable record is of the other kind (the two files swapped). */
function checkKind(records: unknown[], fileName: string, expected: 'structures' | 'services'): void {
  const index = records.findIndex((r) => kindOfRecord(r) !== null);
  if (index < 0) return;
  const found = kindOfRecord(records[index]);
  if (found && found.kind !== expected) throw swappedError(fileName, expected, index + 1, found.field);
}

function checkVersion(version: unknown, fileName: string, row: number | null): void {
  if (typeof version === 'string' && /^v?1(\.|$)/.test(version.trim())) return;
  throw fileError(
    `${row === null ? `Le fichier « ${fileName} »` : `Le fichier « ${fileName} », ligne ${row}, champ schema_version,`} suit la version « ${String(version)} » du schéma data·inclusion : seule la version 1 est lue. Rien n'a été importé.`,
    { fileName, row, field: 'schema_version', value: String(version) },
  );
}

/** Whether JSON records look like data·inclusion's structures (rather than the national schema's places). */
export function looksLikeDataInclusion(bytes: Uint8Array): boolean {
  const result = parsedOnce(bytes);
  if (!('value' in result)) {
    // A cut JSON: look at its first record's keys as text.
    const head = Buffer.from(bytes.subarray(0, 4000)).toString('utf8');
    return /"(lien_source|horaires_accueil|reseaux_porteurs|accessibilite_lieu)"\s*:/.test(head);
  }
  const value = result.value;
  const list = Array.isArray(value)
    ? value
    : value && typeof value === 'object'
      ? ((value as Record<string, unknown>).structures ?? [])
      : [];
  const first = Array.isArray(list) ? list.find((r) => r && typeof r === 'object') : undefined;
  if (!first) return false;
  const keys = Object.keys(first as object);
  // A services file counts too: read as data·inclusion's, it is refused by name (given for structures).
  return (
    !keys.includes('pivot') &&
    (keys.some((key) => STRUCTURE_MARKERS.includes(key)) || kindOfRecord(first)?.kind === 'services')
  );
}

const text = (value: unknown): string | null =>
  typeof value === 'string' && value.trim() !== ''
    ? value.trim()
    : typeof value === 'number'
      ? String(value)
      : null;
const list = (value: unknown): string[] =>
  Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : [];

function reverse(table: Readonly<Record<string, string>>): Map<string, string> {
  const map = new Map<string, string>();
  for (const [national, di] of Object.entries(table)) if (!map.has(di)) map.set(di, national);
  return map;
}
const NETWORK_OF = reverse(NETWORKS);
const PUBLIC_OF = reverse(PUBLICS);
const ACCESS_OF = reverse(MOBILISATION);
/** The national programmes among NETWORKS' values (the others are labels). */
const PROGRAMMES = new Set(DISPOSITIFS);
const LABELS = Object.keys(SERVICE_MAPPING);

/**
 * The national service a data·inclusion service is, read from SERVICE_MAPPING in reverse: its name when
 * it is one of the 9 (Maillage's own publication names them so), else the label whose thematiques it all
 * has, the most specific first (most thematiques), then the same type, then the table's order. Null when
 * no "numerique--" thematique fits: a service outside the national list.
 */
export function nationalServiceOf(service: {
  nom?: unknown;
  type?: unknown;
  thematiques?: unknown;
}): string | null {
  if (typeof service.nom === 'string' && SERVICE_MAPPING[service.nom.trim()]) return service.nom.trim();
  const themes = new Set(list(service.thematiques));
  const fitting = LABELS.filter((label) =>
    (SERVICE_MAPPING[label]?.thematiques ?? []).every((theme) => themes.has(theme)),
  );
  if (fitting.length === 0) return null;
  const size = (label: string) => SERVICE_MAPPING[label]?.thematiques.length ?? 0;
  const best = Math.max(...fitting.map(size));
  const widest = fitting.filter((label) => size(label) === best);
  const sameType = widest.filter((label) => SERVICE_MAPPING[label]?.type === (service.type as TypeService));
  return (sameType[0] ?? widest[0]) as string;
}

function warning(
  row: number | null,
  id: string | null,
  field: string,
  value: unknown,
  message: string,
): ImportIssue {
  return { row, id, field, value: value === null || value === undefined ? null : String(value), message };
}

interface ServiceFacts {
  services: Set<string>;
  publics: Set<string>;
  fees: Set<string>;
  access: Set<string>;
  remote: boolean;
  booking: string | null;
}

/**
 * Reads data·inclusion's structures (and, when given, services) as records of the national schema. The
 * structures' `source` and `id` become the place's identity; the services, grouped by `structure_id`,
 * give its services, publics, fees and ways in.
 */
export function readDataInclusionFiles(
  structures: { bytes: Uint8Array; fileName: string },
  services: { bytes: Uint8Array; fileName: string } | null,
): DataInclusionRecords {
  const structureList = recordsOf(
    parseJson(structures.bytes, structures.fileName),
    structures.fileName,
    'structures',
  );
  const serviceList =
    services === null
      ? []
      : recordsOf(parseJson(services.bytes, services.fileName), services.fileName, 'services');
  // Two files swapped, or the services file given twice: said by their content, before anything is read.
  checkKind(structureList, structures.fileName, 'structures');
  if (services !== null) checkKind(serviceList, services.fileName, 'services');
  const fileIssues: ImportIssue[] = [];
  const warnings: ImportIssue[] = [];

  // Another version of the schema is refused whole, before anything is read.
  structureList.forEach((record, index) => {
    if (!record || typeof record !== 'object') return;
    const r = record as Record<string, unknown>;
    if (r.schema_version !== undefined) checkVersion(r.schema_version, structures.fileName, index + 1);
    const v0 = V0_MARKERS.filter((key) => key in r);
    if (v0.length >= 2)
      throw fileError(
        `Le fichier « ${structures.fileName} », ligne ${index + 1}, suit la version 0 du schéma data·inclusion (champs ${v0.join(', ')}) : seule la version 1 est lue. Rien n'a été importé.`,
        { fileName: structures.fileName, row: index + 1, field: v0[0] },
      );
  });

  const keyOf = (source: unknown, id: unknown) => `${String(source)}\u0000${String(id)}`;
  const known = new Set<string>();
  for (const record of structureList)
    if (record && typeof record === 'object') {
      const r = record as Record<string, unknown>;
      known.add(keyOf(r.source, r.id));
    }

  const facts = new Map<string, ServiceFacts>();
  serviceList.forEach((record, index) => {
    const row = index + 1;
    const where = `Service ligne ${row} du fichier « ${services?.fileName} »`;
    if (!record || typeof record !== 'object') {
      warnings.push(
        warning(null, null, 'structure_id', null, `${where} : ce n'est pas un objet JSON, il est ignoré.`),
      );
      return;
    }
    const s = record as Record<string, unknown>;
    const id = text(s.id);
    const key = keyOf(s.source, s.structure_id);
    if (!known.has(key)) {
      warnings.push(
        warning(
          null,
          id,
          'structure_id',
          s.structure_id,
          `${where} (id ${id ?? 'absent'}), champ structure_id : la structure « ${String(s.structure_id)} » (source ${String(s.source)}) n'est pas dans le fichier des structures ; le service est ignoré.`,
        ),
      );
      return;
    }
    const label = nationalServiceOf(s);
    if (label === null) {
      warnings.push(
        warning(
          null,
          id,
          'thematiques',
          list(s.thematiques).join('|'),
          `${where} (id ${id ?? 'absent'}), champ thematiques : aucune thématique « numerique-- » de la liste nationale des services de médiation numérique (${list(s.thematiques).join(', ') || 'aucune'}) ; le service est ignoré.`,
        ),
      );
      return;
    }
    let f = facts.get(key);
    if (!f) {
      f = {
        services: new Set(),
        publics: new Set(),
        fees: new Set(),
        access: new Set(),
        remote: false,
        booking: null,
      };
      facts.set(key, f);
    }
    f.services.add(label);
    for (const p of list(s.publics)) {
      const national = PUBLIC_OF.get(p);
      if (national) f.publics.add(national);
      else if (p !== 'tous-publics' && p !== 'personnes-en-situation-de-handicap')
        warnings.push(
          warning(
            null,
            id,
            'publics',
            p,
            `${where} (id ${id}), champ publics : « ${p} » n'a pas d'équivalent dans le schéma national ; la valeur est ignorée.`,
          ),
        );
    }
    if (s.frais === 'gratuit') f.fees.add('Gratuit');
    else if (s.frais === 'payant') f.fees.add('Payant');
    for (const m of list(s.modes_mobilisation)) {
      const national = ACCESS_OF.get(m);
      if (national) f.access.add(national);
    }
    if (list(s.modes_accueil).includes('a-distance')) f.remote = true;
    f.booking ??= text(s.lien_mobilisation);
  });

  const records: ParsedRecord[] = [];
  structureList.forEach((record, index) => {
    const row = index + 1;
    if (!record || typeof record !== 'object' || Array.isArray(record)) {
      fileIssues.push(
        warning(row, null, 'id', null, `Ligne ${row} : ce n'est pas un objet JSON, elle est refusée.`),
      );
      return;
    }
    const r = record as Record<string, unknown>;
    const id = text(r.id);
    const f = facts.get(keyOf(r.source, r.id));
    const programmes: string[] = [];
    const labels: string[] = [];
    for (const network of list(r.reseaux_porteurs)) {
      const national = NETWORK_OF.get(network);
      if (national === undefined) {
        warnings.push(
          warning(
            row,
            id,
            'reseaux_porteurs',
            network,
            `Ligne ${row} (id ${id ?? 'absent'}), champ reseaux_porteurs : « ${network} » n'a pas d'équivalent dans le schéma national ; la valeur est ignorée.`,
          ),
        );
        continue;
      }
      (PROGRAMMES.has(national) ? programmes : labels).push(national);
    }
    const dateMaj = text(r.date_maj);
    const data: Record<string, unknown> = {
      id: r.id,
      source: r.source,
      nom: r.nom,
      pivot: text(r.siret) ?? undefined,
      adresse: r.adresse,
      complement_adresse: r.complement_adresse ?? undefined,
      commune: r.commune,
      code_postal: r.code_postal,
      code_insee: r.code_insee ?? undefined,
      latitude: r.latitude ?? undefined,
      longitude: r.longitude ?? undefined,
      telephone: r.telephone ?? undefined,
      courriels: text(r.courriel) ?? undefined,
      site_web: text(r.site_web) ?? undefined,
      horaires: text(r.horaires_accueil) ?? undefined,
      presentation_detail: text(r.description) ?? undefined,
      fiche_acces_libre: text(r.accessibilite_lieu) ?? undefined,
      date_maj: dateMaj === null ? undefined : dateMaj.slice(0, 10),
      services: f ? [...f.services].join('|') : undefined,
      publics_specifiquement_adresses: f && f.publics.size > 0 ? [...f.publics].join('|') : undefined,
      frais_a_charge: f && f.fees.size > 0 ? [...f.fees].join('|') : undefined,
      modalites_acces: f && f.access.size > 0 ? [...f.access].join('|') : undefined,
      modalites_accompagnement: f?.remote ? 'À distance' : undefined,
      prise_rdv: f?.booking ?? undefined,
      dispositif_programmes_nationaux: programmes.length > 0 ? programmes.join('|') : undefined,
      formations_labels: labels.length > 0 ? labels.join('|') : undefined,
    };
    for (const k of Object.keys(data)) if (data[k] === undefined || data[k] === null) delete data[k];
    records.push({ row, data });
  });
  return { records, fileIssues, warnings, services: serviceList.length };
}
