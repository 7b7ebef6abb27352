import { createHash, hash } from 'node:crypto';
import { normalizeInseeCode } from '../shared/commune-codes.ts';
import { normalizePhone } from '../shared/phone.ts';
import { schemaPivot } from '../shared/pivot.ts';
import { canonicalEnumValue, fitPresentation } from './places-cells.ts';
import { SCHEMA_FIELDS, type SchemaField, type SchemaRow } from './schema-fields.ts';
import {
  DISPOSITIFS,
  ETAPES_NUMERIQUES,
  ETAPES_NUMERIQUES_EXPORT,
  FORMATIONS_LABELS,
  FRAIS,
  ITINERANCE,
  MODALITES_ACCES,
  MODALITES_ACCOMPAGNEMENT,
  PIVOT_PLACEHOLDER,
  PRISE_EN_CHARGE,
  PUBLICS,
  SERVICES,
  TYPOLOGIES,
} from './schema-values.ts';

// The schema's vocabulary, for the other domains that name it through this module (ADR 0021).
export {
  describeTypology,
  MODALITES_ACCOMPAGNEMENT,
  PRISE_EN_CHARGE,
  PUBLICS,
  placeKind,
  SERVICES,
  TYPOLOGY_LABELS,
} from './schema-values.ts';
export { SCHEMA_FIELDS, type SchemaField, type SchemaRow };

/**
 * The place domain, pure: a place as the domain sees it, the issues of an import, and the mapping of a
 * place back to a row of the national schema v1.0.2 (export) and to its content hash. The schema's
 * enumerations are in schema-values.ts, the normalisation of an imported row in places-row.ts.
 * No database, no HTTP, no process.env here.
 */

/** A place's data as the domain sees it (one source record). Multi-valued fields are arrays. */
export interface PlaceData {
  sourceId: string;
  pivot: string;
  nom: string;
  commune: string;
  codePostal: string;
  codeInsee: string | null;
  adresse: string;
  complementAdresse: string | null;
  latitude: number | null;
  longitude: number | null;
  /** True when the position is not the place's own (e.g. the commune's reference point). */
  positionApproximate: boolean;
  typologie: string[];
  telephone: string | null;
  courriels: string[];
  siteWeb: string[];
  horaires: string | null;
  presentationResume: string | null;
  presentationDetail: string | null;
  itinerance: string[];
  structureParente: string | null;
  /** 'YYYY-MM-DD' */
  dateMaj: string | null;
  services: string[];
  publicsSpecifiquementAdresses: string[];
  priseEnChargeSpecifique: string[];
  fraisACharge: string[];
  dispositifProgrammesNationaux: string[];
  formationsLabels: string[];
  autresFormationsLabels: string[];
  modalitesAcces: string[];
  modalitesAccompagnement: string[];
  ficheAccesLibre: string | null;
  priseRdv: string | null;
}

/** A stored place: one source record plus our stable id. */
export interface Place extends PlaceData {
  id: string;
  source: string;
  updatedAt: Date;
}

/** One entry of an import report: one failing field of one row (row null for a file-level message). */
export interface ImportIssue {
  row: number | null;
  id: string | null;
  field: string | null;
  value: string | null;
  message: string;
  /**
   * The row's source, on a row a national file skipped outside the territory: such a file holds several
   * sources, and the data-quality page counts the skipped rows per source (decision 0059).
   */
  source?: string;
}

export interface NormalizedRow {
  /** null when the row is rejected (then `errors` is not empty). */
  place: PlaceData | null;
  /** The row's own `source` value, if any (identity: --source, else this, else the file name). */
  source: string | null;
  warnings: ImportIssue[];
  errors: ImportIssue[];
}
// ---------------------------------------------------------------------------------------------------------
// Export.
// ---------------------------------------------------------------------------------------------------------

/** A number as a plain decimal string, never with an exponent (1e-7 → "0.0000001"), shortest exact digits. */
function formatDecimal(value: number | null): string {
  if (value === null || !Number.isFinite(value)) return '';
  const shortest = String(value);
  const match = /^(-?)(\d)(?:\.(\d+))?e([+-]\d+)$/.exec(shortest);
  if (!match) return shortest;
  const [, sign = '', head = '', tail = '', exponentText = '0'] = match;
  const digits = head + tail;
  const exponent = Number(exponentText);
  const point = 1 + exponent;
  if (point <= 0) return `${sign}0.${'0'.repeat(-point)}${digits}`;
  if (point >= digits.length) return `${sign}${digits}${'0'.repeat(point - digits.length)}`;
  return `${sign}${digits.slice(0, point)}.${digits.slice(point)}`;
}

/** Only the values the schema's enumeration accepts, in their canonical spelling. */
function enumValues(values: readonly string[], items: readonly string[]): string[] {
  const kept: string[] = [];
  for (const item of items) {
    const canonical = canonicalEnumValue(values, item);
    if (canonical !== null && !kept.includes(canonical)) kept.push(canonical);
  }
  return kept;
}

/**
 * Maps a place to a row of schema v1.0.2, every field a string the official validator accepts: lists joined
 * with `|`, numbers as plain decimals, absent values as "". `exportId` and `source` are the export's own
 * (the id is unique in the exported file, the source names who publishes it). A resume over 280 characters
 * is cut at a word boundary, its full text kept at the head of the detail; values outside the schema's lists
 * or patterns (possible only if the place did not come through normalizePlaceRow) are left out, and
 * "Étapes numériques (La Poste)" is written without the space, as the schema's defective pattern demands.
 */
export function placeToSchemaRow(place: PlaceData, exportId: string, source: string): SchemaRow {
  const presentation = fitPresentation(place.presentationResume, place.presentationDetail);
  const join = (items: readonly string[]) => items.join('|');
  const enumField = (values: readonly string[], items: readonly string[]) => join(enumValues(values, items));
  const phone = place.telephone === null ? null : normalizePhone(place.telephone);
  return {
    id: exportId,
    pivot: schemaPivot(place.pivot) ?? PIVOT_PLACEHOLDER,
    nom: place.nom,
    commune: place.commune,
    code_postal: place.codePostal,
    code_insee: place.codeInsee === null ? '' : (normalizeInseeCode(place.codeInsee) ?? ''),
    adresse: place.adresse,
    complement_adresse: place.complementAdresse ?? '',
    latitude: formatDecimal(place.latitude),
    longitude: formatDecimal(place.longitude),
    typologie: enumField(TYPOLOGIES, place.typologie),
    telephone: phone ?? '',
    courriels: join(place.courriels),
    site_web: join(place.siteWeb),
    horaires: place.horaires ?? '',
    presentation_resume: presentation.resume ?? '',
    presentation_detail: presentation.detail ?? '',
    source,
    itinerance: enumField(ITINERANCE, place.itinerance),
    structure_parente: place.structureParente ?? '',
    date_maj: place.dateMaj ?? '',
    services: enumField(SERVICES, place.services),
    publics_specifiquement_adresses: enumField(PUBLICS, place.publicsSpecifiquementAdresses),
    prise_en_charge_specifique: enumField(PRISE_EN_CHARGE, place.priseEnChargeSpecifique),
    frais_a_charge: enumField(FRAIS, place.fraisACharge),
    dispositif_programmes_nationaux: enumField(DISPOSITIFS, place.dispositifProgrammesNationaux),
    formations_labels: join(
      enumValues(FORMATIONS_LABELS, place.formationsLabels).map((label) =>
        label === ETAPES_NUMERIQUES ? ETAPES_NUMERIQUES_EXPORT : label,
      ),
    ),
    autres_formations_labels: join(place.autresFormationsLabels),
    modalites_acces: enumField(MODALITES_ACCES, place.modalitesAcces),
    modalites_accompagnement: enumField(MODALITES_ACCOMPAGNEMENT, place.modalitesAccompagnement),
    fiche_acces_libre: place.ficheAccesLibre ?? '',
    prise_rdv: place.priseRdv ?? '',
  };
}

/**
 * The PlaceData fields with absent values as null, keys in sorted order (the order JSON.stringify keeps):
 * the canonical form the content hash is computed on. Written out rather than built key by key: an
 * object literal is serialised by JSON.stringify's fast path. `satisfies` makes a field added to
 * PlaceData without being hashed a type error; a test checks the order.
 */
function canonicalPlace(place: PlaceData) {
  return {
    adresse: place.adresse ?? null,
    autresFormationsLabels: place.autresFormationsLabels ?? null,
    codeInsee: place.codeInsee ?? null,
    codePostal: place.codePostal ?? null,
    commune: place.commune ?? null,
    complementAdresse: place.complementAdresse ?? null,
    courriels: place.courriels ?? null,
    dateMaj: place.dateMaj ?? null,
    dispositifProgrammesNationaux: place.dispositifProgrammesNationaux ?? null,
    ficheAccesLibre: place.ficheAccesLibre ?? null,
    formationsLabels: place.formationsLabels ?? null,
    fraisACharge: place.fraisACharge ?? null,
    horaires: place.horaires ?? null,
    itinerance: place.itinerance ?? null,
    latitude: place.latitude ?? null,
    longitude: place.longitude ?? null,
    modalitesAcces: place.modalitesAcces ?? null,
    modalitesAccompagnement: place.modalitesAccompagnement ?? null,
    nom: place.nom ?? null,
    pivot: place.pivot ?? null,
    positionApproximate: place.positionApproximate ?? null,
    presentationDetail: place.presentationDetail ?? null,
    presentationResume: place.presentationResume ?? null,
    priseEnChargeSpecifique: place.priseEnChargeSpecifique ?? null,
    priseRdv: place.priseRdv ?? null,
    publicsSpecifiquementAdresses: place.publicsSpecifiquementAdresses ?? null,
    services: place.services ?? null,
    siteWeb: place.siteWeb ?? null,
    sourceId: place.sourceId ?? null,
    structureParente: place.structureParente ?? null,
    telephone: place.telephone ?? null,
    typologie: place.typologie ?? null,
  } satisfies Record<keyof PlaceData, unknown>;
}

/** sha1 in hex: crypto.hash (one call, Node >= 20.12) when there is one. */
const sha1Hex: (text: string) => string =
  typeof hash === 'function'
    ? (text) => hash('sha1', text, 'hex')
    : (text) => createHash('sha1').update(text).digest('hex');

/**
 * A stable fingerprint of a place's data (sha1 hex of a canonical JSON: every PlaceData field, keys sorted,
 * absent values as null), so that an import can tell an unchanged row from a changed one. List order counts.
 */
export function placeContentHash(place: PlaceData): string {
  return sha1Hex(JSON.stringify(canonicalPlace(place)));
}

/** An import's counts: read = imported + updated + unchanged + merged + rejected + outsideSkipped + recognised. */
export interface ImportCounts {
  read: number;
  imported: number;
  updated: number;
  unchanged: number;
  merged: number;
  rejected: number;
  /**
   * Merges found below the review threshold, only proposed: their places count as imported or updated
   * (both stay shown), apart from the sum above.
   */
  toReview: number;
  /** A national system's file (decision 0055): rows beyond the margin skipped, own places recognised. */
  outsideSkipped: number;
  recognised: number;
}
