import { createHash } from 'node:crypto';
import { DATA_INCLUSION_SCHEMA_VERSION } from './data-inclusion.ts';

/**
 * The publication files (docs/decisions/0054), pure: which files, at which addresses, in which schema,
 * when they are regenerated, and the metadata document a data portal harvests (DCAT-AP, JSON-LD).
 */

export type PublicationFileName =
  | 'lieux.csv'
  | 'lieux.json'
  | 'lieux-tableur.csv'
  | 'data-inclusion/structures.json'
  | 'data-inclusion/structures.csv'
  | 'data-inclusion/services.json'
  | 'data-inclusion/services.csv'
  | 'metadonnees.json';

export interface SchemaRef {
  title: string;
  version: string;
  url: string;
}

export const NATIONAL_SCHEMA: SchemaRef = {
  title: 'Schéma des lieux de médiation numérique',
  version: '1.0.2',
  url: 'https://schema.data.gouv.fr/LaMednum/standard-mediation-num/',
};

export const DATA_INCLUSION_SCHEMA: SchemaRef = {
  title: 'Schéma data·inclusion (structures et services)',
  version: DATA_INCLUSION_SCHEMA_VERSION,
  url: 'https://schema.data.gouv.fr/gip-inclusion/data-inclusion-schema/',
};

export const CSV_TYPE = 'text/csv; charset=utf-8';
export const JSON_TYPE = 'application/json; charset=utf-8';

export interface FileDescription {
  name: PublicationFileName;
  /** What the file is, in plain French (the page and the metadata). */
  title: string;
  description: string;
  contentType: string;
  format: 'CSV' | 'JSON' | 'JSON-LD';
  schema: SchemaRef | null;
  /** What its records are, for "N lieux". */
  records: { one: string; many: string };
  /** For people (a spreadsheet) rather than for machines. */
  forPeople: boolean;
}

const PLACES = { one: 'lieu', many: 'lieux' };

/** The files, in the order the page lists them. */
export const FILES: readonly FileDescription[] = Object.freeze([
  {
    name: 'lieux-tableur.csv',
    title: 'Lieux, pour un tableur',
    description:
      'Les lieux de médiation numérique, à ouvrir dans Excel ou LibreOffice : points-virgules, accents lisibles, aucune formule.',
    contentType: CSV_TYPE,
    format: 'CSV',
    schema: null,
    records: PLACES,
    forPeople: true,
  },
  {
    name: 'lieux.csv',
    title: 'Lieux, au schéma national (CSV)',
    description:
      'Les lieux de médiation numérique exactement au schéma national, tel que la Cartographie nationale le lit.',
    contentType: CSV_TYPE,
    format: 'CSV',
    schema: NATIONAL_SCHEMA,
    records: PLACES,
    forPeople: false,
  },
  {
    name: 'lieux.json',
    title: 'Lieux, au schéma national (JSON)',
    description: 'Les mêmes lieux au schéma national, en JSON.',
    contentType: JSON_TYPE,
    format: 'JSON',
    schema: NATIONAL_SCHEMA,
    records: PLACES,
    forPeople: false,
  },
  {
    name: 'data-inclusion/structures.json',
    title: 'Structures, au schéma data·inclusion (JSON)',
    description: 'Chaque lieu comme une structure au schéma de data·inclusion.',
    contentType: JSON_TYPE,
    format: 'JSON',
    schema: DATA_INCLUSION_SCHEMA,
    records: { one: 'structure', many: 'structures' },
    forPeople: false,
  },
  {
    name: 'data-inclusion/services.json',
    title: 'Services, au schéma data·inclusion (JSON)',
    description:
      'Chaque service national proposé par un lieu comme un service de data·inclusion (type et thématiques).',
    contentType: JSON_TYPE,
    format: 'JSON',
    schema: DATA_INCLUSION_SCHEMA,
    records: { one: 'service', many: 'services' },
    forPeople: false,
  },
  {
    name: 'data-inclusion/structures.csv',
    title: 'Structures, au schéma data·inclusion (CSV)',
    description: 'Les mêmes structures en CSV (listes séparées par « | »).',
    contentType: CSV_TYPE,
    format: 'CSV',
    schema: DATA_INCLUSION_SCHEMA,
    records: { one: 'structure', many: 'structures' },
    forPeople: false,
  },
  {
    name: 'data-inclusion/services.csv',
    title: 'Services, au schéma data·inclusion (CSV)',
    description: 'Les mêmes services en CSV (listes séparées par « | »).',
    contentType: CSV_TYPE,
    format: 'CSV',
    schema: DATA_INCLUSION_SCHEMA,
    records: { one: 'service', many: 'services' },
    forPeople: false,
  },
  {
    name: 'metadonnees.json',
    title: 'Métadonnées (DCAT-AP)',
    description:
      'La description de ces fichiers pour un portail de données : producteur, licence, fréquence, schémas, nombre d’enregistrements et adresses.',
    contentType: JSON_TYPE,
    format: 'JSON-LD',
    schema: null,
    records: { one: 'fichier décrit', many: 'fichiers décrits' },
    forPeople: false,
  },
] satisfies FileDescription[]);

const BY_NAME = new Map(FILES.map((file) => [file.name, file]));

/** A file's description, or undefined for a name that is not one of the files. */
export function describeFile(name: string): FileDescription | undefined {
  return BY_NAME.get(name as PublicationFileName);
}

/** The files' address on the site. */
export function fileUrl(publicUrl: string, name: PublicationFileName): string {
  return `${publicUrl.replace(/\/+$/, '')}/donnees/${name}`;
}

/** At most one generation an hour (the national pipelines read the files at night). */
export const MIN_MINUTES_BETWEEN_GENERATIONS = 60;
/** How often the leader looks whether the directory changed. */
export const CHECK_EVERY_MINUTES = 5;
/** Retry-After of the 503 answered before the first generation: the leader's next look. */
export const RETRY_AFTER_SECONDS = CHECK_EVERY_MINUTES * 60;

/**
 * Whether to generate now: never generated (or a file missing); otherwise only when what the files are
 * made from changed and the last generation is at least an hour old.
 */
export function shouldGenerate(input: {
  last: { sourceVersion: string; ranAt: Date } | null;
  sourceVersion: string;
  storedFiles: number;
  now: Date;
}): boolean {
  if (!input.last || input.storedFiles < FILES.length) return true;
  if (input.last.sourceVersion === input.sourceVersion) return false;
  return input.now.getTime() - input.last.ranAt.getTime() >= MIN_MINUTES_BETWEEN_GENERATIONS * 60_000;
}

/** The strong ETag of some bytes: their SHA-256, quoted. */
export function strongEtag(bytes: Uint8Array): string {
  return `"${createHash('sha256').update(bytes).digest('hex')}"`;
}

/** Licence of the published data (the same as the API's, src/search/openapi.ts). */
export const LICENCE = {
  title: 'Licence Ouverte 2.0 (Etalab)',
  url: 'https://www.etalab.gouv.fr/licence-ouverte-open-licence/',
};

export interface GeneratedFileFacts {
  name: PublicationFileName;
  bytes: number;
  records: number;
  modified: Date;
}

/**
 * The metadata document: DCAT-AP as JSON-LD (a dcat:Dataset and one dcat:Distribution per file), with
 * the number of records of each file (no DCAT term says it: `maillage:records`, declared in the context).
 */
export function buildMetadata(input: {
  networkName: string;
  publicUrl: string;
  territoryLabel: string;
  contactEmail: string | null;
  files: readonly GeneratedFileFacts[];
}): object {
  const base = input.publicUrl.replace(/\/+$/, '');
  const modified = new Date(Math.max(0, ...input.files.map((file) => file.modified.getTime())));
  return {
    '@context': {
      dcat: 'http://www.w3.org/ns/dcat#',
      dct: 'http://purl.org/dc/terms/',
      foaf: 'http://xmlns.com/foaf/0.1/',
      vcard: 'http://www.w3.org/2006/vcard/ns#',
      owl: 'http://www.w3.org/2002/07/owl#',
      xsd: 'http://www.w3.org/2001/XMLSchema#',
      maillage: `${base}/donnees#`,
    },
    '@id': `${base}/donnees`,
    '@type': 'dcat:Dataset',
    'dct:title': `Lieux de médiation numérique — ${input.networkName}`,
    'dct:description':
      `Les lieux de médiation numérique du territoire ${input.territoryLabel} tenus à jour par le réseau ` +
      `${input.networkName}, au schéma national des lieux et au schéma de data·inclusion. Seuls les lieux ` +
      'dont le réseau est la source sont publiés (pas ceux repris des fichiers nationaux).',
    'dct:publisher': {
      '@type': 'foaf:Organization',
      'foaf:name': input.networkName,
      'foaf:homepage': { '@id': `${base}/` },
    },
    ...(input.contactEmail
      ? {
          'dcat:contactPoint': {
            '@type': 'vcard:Organization',
            'vcard:fn': input.networkName,
            'vcard:hasEmail': { '@id': `mailto:${input.contactEmail}` },
          },
        }
      : {}),
    'dct:license': { '@id': LICENCE.url, 'dct:title': LICENCE.title },
    'dct:accrualPeriodicity': {
      '@id': 'http://publications.europa.eu/resource/authority/frequency/UPDATE_CONT',
      'dct:description': `Régénérés après chaque changement de l'annuaire, au plus une fois par heure.`,
    },
    'dct:spatial': input.territoryLabel,
    'dct:language': { '@id': 'http://publications.europa.eu/resource/authority/language/FRA' },
    'dct:modified': { '@value': modified.toISOString(), '@type': 'xsd:dateTime' },
    'dcat:landingPage': { '@id': `${base}/donnees` },
    'dcat:distribution': input.files.map((file) => {
      const description = describeFile(file.name);
      return {
        '@id': fileUrl(base, file.name),
        '@type': 'dcat:Distribution',
        'dct:title': description?.title ?? file.name,
        'dct:description': description?.description ?? '',
        'dcat:accessURL': { '@id': fileUrl(base, file.name) },
        'dcat:downloadURL': { '@id': fileUrl(base, file.name) },
        'dcat:mediaType': description?.contentType.split(';')[0] ?? 'application/octet-stream',
        'dct:format': description?.format ?? '',
        ...(description?.schema
          ? {
              'dct:conformsTo': {
                '@id': description.schema.url,
                'dct:title': description.schema.title,
                'owl:versionInfo': description.schema.version,
              },
            }
          : {}),
        'dct:license': { '@id': LICENCE.url },
        'dcat:byteSize': { '@value': String(file.bytes), '@type': 'xsd:nonNegativeInteger' },
        'dct:modified': { '@value': file.modified.toISOString(), '@type': 'xsd:dateTime' },
        'maillage:records': file.records,
      };
    }),
  };
}
