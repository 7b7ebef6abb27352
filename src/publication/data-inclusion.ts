import { stringify } from 'csv-stringify/sync';
import type { Place } from '../places/places.ts';
import { normalizePhone } from '../shared/phone.ts';
import { isValidSiret, UNKNOWN_SIRET } from '../shared/siret.ts';

/**
 * Maillage's places as data·inclusion's schema v1 (structures and services, docs/decisions/0054). Pure:
 * places in, records and text out. A place is a structure; each of the 9 national services it offers
 * is one service of that structure, typed and themed by SERVICE_MAPPING. What the schema cannot say
 * exactly is left null rather than guessed; nothing private (private contacts, closures and their
 * reasons, people's names) is ever read here: a Place holds only the national schema's public fields.
 */

/** The version of data·inclusion's schema the files follow (its CHANGELOG: 1.0.8). */
export const DATA_INCLUSION_SCHEMA_VERSION = '1.0.8';

export type Thematique = string;
export type TypeService =
  | 'accompagnement'
  | 'aide-financiere'
  | 'aide-materielle'
  | 'atelier'
  | 'formation'
  | 'information';

/**
 * The 9 national services as data·inclusion services: a type, its thematiques and a sentence for the
 * required description. The national list is about digital help only, data·inclusion's themes are the
 * whole social offer: each service keeps the "numérique" themes it is about, plus the theme of its
 * purpose where data·inclusion has one (administrative procedures, a job, parenting, leisure).
 */
export const SERVICE_MAPPING: Readonly<
  Record<string, { slug: string; type: TypeService; thematiques: readonly Thematique[]; description: string }>
> = Object.freeze({
  'Aide aux démarches administratives': {
    slug: 'demarches-administratives',
    type: 'accompagnement',
    thematiques: [
      'numerique--acceder-a-des-services-en-ligne',
      'difficultes-administratives-ou-juridiques--accompagnement-aux-demarches-administratives',
    ],
    description: 'Accompagnement pour faire ses démarches administratives en ligne.',
  },
  'Maîtrise des outils numériques du quotidien': {
    slug: 'outils-du-quotidien',
    type: 'accompagnement',
    thematiques: ['numerique--maitriser-les-fondamentaux-du-numerique'],
    description:
      'Apprendre à se servir des outils numériques du quotidien : ordinateur, téléphone, courriel, internet.',
  },
  'Insertion professionnelle via le numérique': {
    slug: 'insertion-professionnelle',
    type: 'accompagnement',
    thematiques: [
      'numerique--maitriser-les-fondamentaux-du-numerique',
      'preparer-sa-candidature--realiser-un-cv-et-ou-une-lettre-de-motivation',
      'trouver-un-emploi--repondre-a-des-offres-demploi',
    ],
    description:
      'Se servir du numérique pour chercher un emploi : CV, lettre de motivation, offres et candidatures en ligne.',
  },
  'Utilisation sécurisée du numérique': {
    slug: 'usage-securise',
    type: 'atelier',
    thematiques: ['numerique--maitriser-les-fondamentaux-du-numerique'],
    description:
      'Utiliser le numérique en sécurité : mots de passe, arnaques, protection de ses données personnelles.',
  },
  'Parentalité et éducation avec le numérique': {
    slug: 'parentalite-education',
    type: 'accompagnement',
    thematiques: [
      'famille--soutien-a-la-parentalite-et-a-leducation',
      'numerique--maitriser-les-fondamentaux-du-numerique',
    ],
    description: 'Accompagner ses enfants dans leurs usages du numérique et suivre leur scolarité en ligne.',
  },
  'Loisirs et créations numériques': {
    slug: 'loisirs-creations',
    type: 'atelier',
    thematiques: [
      'numerique--maitriser-les-fondamentaux-du-numerique',
      'remobilisation--activites-sportives-et-culturelles',
    ],
    description: 'Ateliers de loisirs et de création avec le numérique : photo, vidéo, musique, jeux.',
  },
  'Compréhension du monde numérique': {
    slug: 'comprendre-le-numerique',
    type: 'information',
    thematiques: ['numerique--maitriser-les-fondamentaux-du-numerique'],
    description: 'Comprendre le monde numérique : réseaux sociaux, information, intelligence artificielle.',
  },
  'Accès internet et matériel informatique': {
    slug: 'acces-internet-materiel',
    type: 'aide-materielle',
    thematiques: ['numerique--acceder-a-une-connexion-internet'],
    description: 'Accès libre à internet et à du matériel informatique (ordinateur, imprimante, scanner).',
  },
  'Acquisition de matériel informatique à prix solidaire': {
    slug: 'materiel-prix-solidaire',
    type: 'aide-materielle',
    thematiques: ['numerique--acquerir-un-equipement'],
    description: 'Acheter un ordinateur, une tablette ou un téléphone à prix solidaire.',
  },
});

/** `publics_specifiquement_adresses` → data·inclusion's publics. */
export const PUBLICS: Readonly<Record<string, string>> = {
  Jeunes: 'jeunes',
  Étudiants: 'etudiants',
  'Familles et/ou enfants': 'familles',
  Seniors: 'seniors',
  Femmes: 'femmes',
};

/** The kinds of `prise_en_charge_specifique` that are a disability (the others go to publics_precisions). */
const DISABILITIES = new Set(['Surdité', 'Handicaps moteurs', 'Handicaps mentaux', 'Déficience visuelle']);

/** `dispositif_programmes_nationaux` and `formations_labels` → data·inclusion's réseaux porteurs. */
export const NETWORKS: Readonly<Record<string, string>> = {
  'Aidants Connect': 'aidants-connect',
  'Conseillers numériques': 'conseillers-numeriques',
  'France Services': 'france-service',
  'La Croix Rouge': 'croix-rouge',
  "Point d'accès numérique CAF": 'caf',
  'Grande école du numérique': 'grandes-ecoles-du-numerique',
  'Fabriques de Territoire': 'fabrique-de-territoire',
};

/** `modalites_acces` → data·inclusion's modes de mobilisation (the online booking needs its link). */
export const MOBILISATION: Readonly<Record<string, string>> = {
  'Se présenter': 'se-presenter',
  Téléphoner: 'telephoner',
  'Contacter par mail': 'envoyer-un-courriel',
  'Envoyer un mail avec une fiche de prescription': 'envoyer-un-courriel',
  'Prendre un RDV en ligne': 'utiliser-lien-mobilisation',
};

export interface DataInclusionStructure {
  source: string;
  id: string;
  nom: string;
  date_maj: string;
  lien_source: string | null;
  siret: string | null;
  telephone: string | null;
  courriel: string | null;
  site_web: string | null;
  description: string | null;
  horaires_accueil: string | null;
  accessibilite_lieu: string | null;
  reseaux_porteurs: string[] | null;
  commune: string | null;
  code_postal: string | null;
  code_insee: string | null;
  adresse: string | null;
  complement_adresse: string | null;
  longitude: number | null;
  latitude: number | null;
}

export interface DataInclusionService {
  source: string;
  structure_id: string;
  id: string;
  nom: string;
  description: string;
  lien_source: string | null;
  date_maj: string;
  type: TypeService | null;
  thematiques: string[] | null;
  frais: 'gratuit' | 'payant' | null;
  frais_precisions: string | null;
  publics: string[] | null;
  publics_precisions: string | null;
  conditions_acces: string | null;
  horaires_accueil: string | null;
  zone_eligibilite: string[] | null;
  contact_nom_prenom: string | null;
  courriel: string | null;
  telephone: string | null;
  modes_accueil: string[] | null;
  modes_mobilisation: string[] | null;
  lien_mobilisation: string | null;
  mobilisable_par: string[] | null;
  mobilisation_precisions: string | null;
  volume_horaire_hebdomadaire: number | null;
  nombre_semaines: number | null;
  commune: string | null;
  code_postal: string | null;
  code_insee: string | null;
  adresse: string | null;
  complement_adresse: string | null;
  longitude: number | null;
  latitude: number | null;
}

/** The columns of the CSV versions, in the order of the records (every property of the schema). */
export const STRUCTURE_FIELDS = [
  'source',
  'id',
  'nom',
  'date_maj',
  'lien_source',
  'siret',
  'telephone',
  'courriel',
  'site_web',
  'description',
  'horaires_accueil',
  'accessibilite_lieu',
  'reseaux_porteurs',
  'commune',
  'code_postal',
  'code_insee',
  'adresse',
  'complement_adresse',
  'longitude',
  'latitude',
] as const satisfies readonly (keyof DataInclusionStructure)[];

export const SERVICE_FIELDS = [
  'source',
  'structure_id',
  'id',
  'nom',
  'description',
  'lien_source',
  'date_maj',
  'type',
  'thematiques',
  'frais',
  'frais_precisions',
  'publics',
  'publics_precisions',
  'conditions_acces',
  'horaires_accueil',
  'zone_eligibilite',
  'contact_nom_prenom',
  'courriel',
  'telephone',
  'modes_accueil',
  'modes_mobilisation',
  'lien_mobilisation',
  'mobilisable_par',
  'mobilisation_precisions',
  'volume_horaire_hebdomadaire',
  'nombre_semaines',
  'commune',
  'code_postal',
  'code_insee',
  'adresse',
  'complement_adresse',
  'longitude',
  'latitude',
] as const satisfies readonly (keyof DataInclusionService)[];

/**
 * The schema's `email` format as ajv-formats checks it (ASCII only): an address the national pipeline
 * would refuse is left out rather than published broken.
 */
const ASCII_EMAIL =
  /^[a-z0-9!#$%&'*+/=?^_`{|}~-]+(?:\.[a-z0-9!#$%&'*+/=?^_`{|}~-]+)*@(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/i;

function email(values: readonly string[]): string | null {
  return values.find((value) => ASCII_EMAIL.test(value)) ?? null;
}

/** An absolute http(s) link as the schema's `uri` format wants it (at most 2083 characters), or null. */
export function uri(value: string | null | undefined): string | null {
  if (!value) return null;
  try {
    const url = new URL(value.trim());
    if (url.protocol !== 'http:' && url.protocol !== 'https:') return null;
    const href = url.href;
    return href.length <= 2083 && /^[a-z][a-z0-9+.-]*:[^\s"<>\\^`{|}]*$/i.test(href) ? href : null;
  } catch {
    return null;
  }
}

/** A text of `min` to `max` characters, or null (too short to say anything, cut at a word when too long). */
function text(value: string | null, min: number, max: number): string | null {
  const trimmed = value?.trim() ?? '';
  if (trimmed.length < min) return null;
  if (trimmed.length <= max) return trimmed;
  const cut = trimmed.slice(0, max - 1);
  const space = cut.lastIndexOf(' ');
  return `${(space > max / 2 ? cut.slice(0, space) : cut).trimEnd()}…`;
}

/** A structure's name, 3 to 150 characters, never ending with a full stop (the schema's rule). */
function structureName(place: Place): string {
  let name = place.nom.trim().replace(/\.+$/, '');
  if (name.length < 3) name = `${name} (${place.commune})`.trim();
  return (text(name, 3, 150) ?? name.padEnd(3, '.')).replace(/\.+$/, '');
}

function unique<T>(values: T[]): T[] {
  return [...new Set(values)];
}

/** A producer identifier: the network's name folded to lowercase words joined by `-`. */
export function producerId(networkName: string): string {
  const folded = networkName
    .normalize('NFD')
    .replace(/\p{Diacritic}/gu, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '');
  return folded === '' ? 'maillage' : folded;
}

export interface PublishedPlace {
  place: Place;
  /** The place's id in the national file (unique in it): the data·inclusion ids are built on it. */
  exportId: string;
}

export interface DataInclusionOptions {
  /** The producer's identifier (`source`), see producerId. */
  source: string;
  /** The site's public address: each record links to its place's public sheet. */
  publicUrl: string;
}

/** A structure's id: the producer and the place's id in the national file, joined by `--` (the schema's rule). */
export function structureId(source: string, exportId: string): string {
  return `${source}--${exportId}`;
}

function placeAddress(place: Place) {
  return {
    commune: place.commune || null,
    code_postal: /^\d{5}$/.test(place.codePostal) ? place.codePostal : null,
    code_insee: place.codeInsee !== null && /^\w{5}$/.test(place.codeInsee) ? place.codeInsee : null,
    adresse: place.adresse || null,
    complement_adresse: place.complementAdresse,
    longitude: place.longitude,
    latitude: place.latitude,
  };
}

function sheetUrl(options: DataInclusionOptions, place: Place): string | null {
  return uri(`${options.publicUrl.replace(/\/+$/, '')}/lieux/${place.id}`);
}

/** One place as a data·inclusion structure. */
export function toStructure(entry: PublishedPlace, options: DataInclusionOptions): DataInclusionStructure {
  const { place } = entry;
  const pivot = place.pivot.replace(/\s/g, '');
  const networks = unique(
    [...place.dispositifProgrammesNationaux, ...place.formationsLabels]
      .map((value) => NETWORKS[value])
      .filter((value): value is string => value !== undefined),
  );
  return {
    source: options.source,
    id: structureId(options.source, entry.exportId),
    nom: structureName(place),
    date_maj: place.dateMaj ?? place.updatedAt.toISOString().slice(0, 10),
    lien_source: sheetUrl(options, place),
    siret: pivot !== UNKNOWN_SIRET && /^\d{14}$/.test(pivot) && isValidSiret(pivot) ? pivot : null,
    telephone: place.telephone === null ? null : (normalizePhone(place.telephone) ?? place.telephone),
    courriel: email(place.courriels),
    site_web: place.siteWeb.map(uri).find((url) => url !== null) ?? null,
    description: text(place.presentationDetail ?? place.presentationResume, 5, 10_000),
    horaires_accueil: place.horaires,
    accessibilite_lieu: uri(place.ficheAccesLibre),
    reseaux_porteurs: networks.length > 0 ? networks : null,
    ...placeAddress(place),
  };
}

/** What the place charges, in data·inclusion's two values (a conditional free access is free, said so). */
function fees(place: Place): Pick<DataInclusionService, 'frais' | 'frais_precisions'> {
  const values = place.fraisACharge;
  if (values.length === 0) return { frais: null, frais_precisions: null };
  const free = values.includes('Gratuit') || values.includes('Gratuit sous condition');
  const paying = values.includes('Payant');
  return {
    frais: paying && !free ? 'payant' : free ? 'gratuit' : null,
    frais_precisions: values.length > 1 || values[0] !== 'Gratuit' ? values.join(', ') : null,
  };
}

function audiences(place: Place): Pick<DataInclusionService, 'publics' | 'publics_precisions'> {
  const publics = unique([
    ...place.publicsSpecifiquementAdresses
      .map((value) => PUBLICS[value])
      .filter((value): value is string => value !== undefined),
    ...(place.priseEnChargeSpecifique.some((value) => DISABILITIES.has(value))
      ? ['personnes-en-situation-de-handicap']
      : []),
  ]);
  const precisions = place.priseEnChargeSpecifique.length
    ? `Prise en charge spécifique : ${place.priseEnChargeSpecifique.join(', ')}.`
    : null;
  return { publics: publics.length > 0 ? publics : ['tous-publics'], publics_precisions: precisions };
}

function mobilisation(
  place: Place,
): Pick<DataInclusionService, 'modes_mobilisation' | 'lien_mobilisation' | 'mobilisable_par'> {
  const link = uri(place.priseRdv);
  const modes = unique(
    place.modalitesAcces
      .map((value) => MOBILISATION[value])
      .filter((value): value is string => value !== undefined)
      .filter((value) => value !== 'utiliser-lien-mobilisation' || link !== null),
  );
  if (link !== null && !modes.includes('utiliser-lien-mobilisation'))
    modes.push('utiliser-lien-mobilisation');
  const prescription = place.modalitesAcces.includes('Envoyer un mail avec une fiche de prescription');
  const onlyPrescription = prescription && place.modalitesAcces.length === 1;
  return {
    modes_mobilisation: modes.length > 0 ? modes : null,
    lien_mobilisation: link,
    mobilisable_par: onlyPrescription
      ? ['professionnels']
      : prescription
        ? ['usagers', 'professionnels']
        : ['usagers'],
  };
}

function welcomeModes(place: Place): string[] {
  const remote = place.modalitesAccompagnement.includes('À distance');
  const onSite = place.modalitesAccompagnement.some((value) => value !== 'À distance');
  if (remote && !onSite) return ['a-distance'];
  return remote ? ['en-presentiel', 'a-distance'] : ['en-presentiel'];
}

/** One place's services, one per national service it offers (those outside the national list are not). */
export function toServices(entry: PublishedPlace, options: DataInclusionOptions): DataInclusionService[] {
  const { place } = entry;
  const parent = structureId(options.source, entry.exportId);
  const shared = {
    source: options.source,
    structure_id: parent,
    lien_source: sheetUrl(options, place),
    date_maj: place.dateMaj ?? place.updatedAt.toISOString().slice(0, 10),
    ...fees(place),
    ...audiences(place),
    conditions_acces: null,
    horaires_accueil: place.horaires,
    zone_eligibilite: null,
    // Never a person's name: the national schema has none, and private contacts are not public.
    contact_nom_prenom: null,
    courriel: email(place.courriels),
    telephone: place.telephone === null ? null : (normalizePhone(place.telephone) ?? place.telephone),
    modes_accueil: welcomeModes(place),
    ...mobilisation(place),
    mobilisation_precisions: null,
    volume_horaire_hebdomadaire: null,
    nombre_semaines: null,
    ...placeAddress(place),
  };
  const services: DataInclusionService[] = [];
  for (const label of unique(place.services)) {
    const mapping = SERVICE_MAPPING[label];
    if (!mapping) continue;
    services.push({
      ...shared,
      id: `${parent}--${mapping.slug}`,
      nom: label,
      description: `${mapping.description} Proposé par ${structureName(place)} (${place.commune}).`,
      type: mapping.type,
      thematiques: [...mapping.thematiques],
    });
  }
  return services;
}

/** A JSON array, two-space indented, ending with a new line (as the national export). */
export function serializeRecordsJson(records: readonly object[]): string {
  return `${JSON.stringify(records, null, 2)}\n`;
}

/**
 * Records as CSV: comma, UTF-8 without BOM, `\n`, every property of the schema as a column; lists joined
 * with `|` (as the national schema does), absent values empty.
 */
export function serializeRecordsCsv<T extends object>(
  records: readonly T[],
  fields: readonly (keyof T)[],
): string {
  const cell = (value: unknown): string =>
    value === null || value === undefined ? '' : Array.isArray(value) ? value.join('|') : String(value);
  return stringify(
    [fields.map(String), ...records.map((record) => fields.map((field) => cell(record[field])))],
    {
      delimiter: ',',
      record_delimiter: '\n',
    },
  );
}
