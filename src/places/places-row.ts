import { normalizeInseeCode, normalizePostcode } from '../shared/commune-codes.ts';
import { parseEmail } from '../shared/email.ts';
import { schemaPivot } from '../shared/pivot.ts';
import { isValidSiret } from '../shared/siret.ts';
import { rewriteFrenchHours } from './hours.ts';
import type { NormalizedRow } from './places.ts';
import {
  characterLength,
  fitPresentation,
  isValidOpeningHours,
  normalizePhoneField,
  normalizeUrl,
  oneLine,
  parseDate,
  parseDecimal,
  toText,
} from './places-cells.ts';
import { readListFields, withKeptV0Values } from './places-row-lists.ts';
import {
  communeCodeOf,
  postcodeDepartementMismatch,
  swapIfOnlyFranceWhenSwapped,
} from './places-row-location.ts';
import { MESSAGES } from './places-row-messages.ts';
import { RowReader } from './places-row-reader.ts';
import { PIVOT_PLACEHOLDER } from './schema-values.ts';

/**
 * Import normalisation of one row: "refuse little, warn much". The rules of each field, in the order of
 * the report; the cells' readers, the lists, the commune and the messages are in the places-row-* and
 * places-cells files.
 */

/** Dates before this are surely typing mistakes: the schema itself dates from 2022. */
const OLDEST_DATE = '2000-01-01';

function readCoordinate(
  reader: RowReader,
  field: 'latitude' | 'longitude',
  limit: number,
): { present: boolean; value: number | null } {
  const value = reader.text(field);
  if (value === null) return { present: false, value: null };
  const number = parseDecimal(value);
  if (number === null) {
    reader.refuse(field, reader.raw[field], MESSAGES.notANumber(field, value));
  } else if (number < -limit || number > limit) {
    reader.refuse(field, reader.raw[field], MESSAGES.outOfRange(field, value));
    return { present: true, value: null };
  }
  return { present: true, value: number };
}

function readSingleUrl(reader: RowReader, field: 'fiche_acces_libre' | 'prise_rdv'): string | null {
  const value = reader.text(field);
  if (value === null) return null;
  const url = normalizeUrl(value);
  if (url === null) reader.warn(field, reader.raw[field], MESSAGES.urlInvalid(field, value));
  return url;
}

let latestDateMemo: { now: number; latest: string } | null = null;

/** The latest acceptable date_maj: one day of slack, since a date typed today in Paris or overseas can be tomorrow in UTC. */
function latestDate(now: Date): string {
  const time = now.getTime();
  if (latestDateMemo?.now !== time) {
    latestDateMemo = { now: time, latest: new Date(time + 24 * 3600 * 1000).toISOString().slice(0, 10) };
  }
  return latestDateMemo.latest;
}

/**
 * Normalises one imported record (keyed by schema field names; values from CSV or JSON) into a place, with
 * one issue per failing field. The row is refused only when a required field (id, nom, adresse, commune,
 * code_postal) is missing or invalid, or when the position is unusable (latitude or longitude not a number,
 * out of range, or one without the other). Everything else is kept and warned about: unknown list values
 * are dropped (unknown formations go to the other formations), an invalid pivot becomes 00000000000000,
 * an unreadable or absurd date, INSEE code, phone, e-mail or web address is dropped, an over-long resume is
 * cut with its full text moved to the detail, hours in French words are rewritten to OpenStreetMap's form
 * (and left out when they cannot be), a postcode of another département than the INSEE code is warned about,
 * a latitude and longitude that fit France only once swapped are swapped. (A position far from its commune
 * needs the communes' reference points: the import service checks it.) `now` only serves to refuse dates
 * in the future.
 */
export function normalizePlaceRow(
  input: Record<string, unknown>,
  row: number,
  now: Date = new Date(),
): NormalizedRow {
  // The id is the producer's key: kept exactly as written, only trimmed.
  const id = typeof input.id === 'string' ? input.id.trim() || null : toText(input.id).text;
  const reader = new RowReader(row, id, input);
  const { raw, warnings, errors } = reader;

  // Required fields: a place the public cannot find or identify is refused.
  const sourceId = reader.required('id', id);
  const nom = reader.required('nom', oneLine(reader.text('nom')));
  const adresse = reader.required('adresse', oneLine(reader.text('adresse')));
  const commune = reader.required('commune', oneLine(reader.text('commune')));
  const postalText = reader.text('code_postal');
  let codePostal = '';
  if (postalText === null) {
    reader.refuse('code_postal', raw.code_postal, MESSAGES.requiredMissing('code_postal'));
  } else {
    // "13616 CEDEX 1": the CEDEX mention is a delivery detail, not part of the postcode.
    const cedex = /^(\d{4,5})\s*cedex\b.*$/i.exec(postalText);
    const normalized = normalizePostcode(cedex?.[1] ?? postalText);
    if (normalized === null)
      reader.refuse('code_postal', raw.code_postal, MESSAGES.postalCodeInvalid(postalText));
    else if (cedex)
      reader.warn('code_postal', raw.code_postal, MESSAGES.postalCodeCedex(postalText, normalized));
    codePostal = normalized ?? '';
  }

  // Position: a wrong position would send people to the wrong place, so it is refused, not guessed.
  const latitude = readCoordinate(reader, 'latitude', 90);
  const longitude = readCoordinate(reader, 'longitude', 180);
  // Swapped columns are a common spreadsheet slip: values that fit France only once swapped are swapped.
  if (latitude.value !== null && longitude.value !== null) {
    const swapped = swapIfOnlyFranceWhenSwapped(latitude.value, longitude.value);
    if (swapped !== null) {
      reader.warn(
        'latitude',
        `${latitude.value} ; ${longitude.value}`,
        MESSAGES.coordinatesSwapped(String(latitude.value), String(longitude.value)),
      );
      latitude.value = swapped.latitude;
      longitude.value = swapped.longitude;
    }
  }
  if (latitude.present && !longitude.present)
    reader.refuse('longitude', null, MESSAGES.coordinateAlone('latitude', 'longitude'));
  if (longitude.present && !latitude.present)
    reader.refuse('latitude', null, MESSAGES.coordinateAlone('longitude', 'latitude'));

  // Warned fields.
  const pivotText = reader.text('pivot');
  let pivot = PIVOT_PLACEHOLDER;
  if (pivotText === null) {
    reader.warn('pivot', raw.pivot, MESSAGES.pivotMissing());
  } else {
    const normalized = schemaPivot(pivotText);
    if (normalized === null) reader.warn('pivot', raw.pivot, MESSAGES.pivotInvalid(pivotText));
    else if (/^\d{14}$/.test(normalized) && normalized !== PIVOT_PLACEHOLDER && !isValidSiret(normalized))
      reader.warn('pivot', raw.pivot, MESSAGES.pivotBadChecksum(normalized));
    pivot = normalized ?? PIVOT_PLACEHOLDER;
  }

  const inseeText = reader.text('code_insee');
  let codeInsee = inseeText === null ? null : normalizeInseeCode(inseeText);
  if (inseeText !== null && codeInsee === null)
    reader.warn('code_insee', raw.code_insee, MESSAGES.inseeInvalid(inseeText));
  if (codePostal !== '' && commune !== '') {
    const outcome = communeCodeOf(codeInsee, codePostal, commune);
    for (const warning of outcome.warnings) reader.warn('code_insee', warning.value, warning.message);
    codeInsee = outcome.code;
    const otherDepartement = codeInsee === null ? null : postcodeDepartementMismatch(codePostal, codeInsee);
    if (otherDepartement !== null && codeInsee !== null) {
      reader.warn(
        'code_postal',
        raw.code_postal,
        MESSAGES.postcodeOtherDepartement(codePostal, codeInsee, otherDepartement),
      );
    }
  }

  const dateText = reader.text('date_maj');
  let dateMaj: string | null = null;
  if (dateText === null) {
    reader.warn('date_maj', raw.date_maj, MESSAGES.dateMissing());
  } else {
    const parsed = parseDate(dateText);
    if (parsed === null) reader.warn('date_maj', raw.date_maj, MESSAGES.dateUnparsable(dateText));
    else if (parsed < OLDEST_DATE || parsed > latestDate(now))
      reader.warn('date_maj', raw.date_maj, MESSAGES.dateAbsurd(dateText));
    else dateMaj = parsed;
  }

  const phoneText = reader.text('telephone');
  let telephone: string | null = null;
  if (phoneText !== null) {
    const { phone, droppedSomething } = normalizePhoneField(phoneText);
    if (phone === null) reader.warn('telephone', raw.telephone, MESSAGES.phoneInvalid(phoneText));
    else if (droppedSomething)
      reader.warn('telephone', raw.telephone, MESSAGES.phonePartlyKept(phoneText, phone));
    telephone = phone;
  }

  const courriels: string[] = [];
  for (const item of reader.list('courriels', /[|;,\r\n]/)) {
    // "Accueil : contact@exemple.fr accueil@exemple.fr": the words around the addresses are not addresses.
    const tokens = /<[^<>]+>/.test(item) ? [item] : item.split(/\s+/).filter((token) => token.includes('@'));
    for (const candidate of tokens.length > 0 ? tokens : [item]) {
      const email = parseEmail(candidate);
      if (email === null) reader.warn('courriels', candidate, MESSAGES.emailInvalid(candidate));
      else if (!courriels.includes(email)) courriels.push(email);
    }
  }

  const siteWeb: string[] = [];
  for (const item of reader.list('site_web', /[|;\s]+/)) {
    const url = normalizeUrl(item);
    if (url === null) reader.warn('site_web', item, MESSAGES.urlInvalid('site_web', item));
    else if (!siteWeb.includes(url)) siteWeb.push(url);
  }
  const ficheAccesLibre = readSingleUrl(reader, 'fiche_acces_libre');
  const priseRdv = readSingleUrl(reader, 'prise_rdv');

  let horaires = reader.text('horaires');
  if (horaires !== null && !isValidOpeningHours(horaires)) {
    // Hours in French words are the common case of files not written for the schema: rewritten when
    // plain enough, left out (not stored as they are) when not, since pages read horaires as OSM.
    const rewrite = rewriteFrenchHours(horaires);
    if (rewrite === null) reader.warn('horaires', raw.horaires, MESSAGES.hoursInvalid(horaires));
    else reader.warn('horaires', raw.horaires, MESSAGES.hoursRewritten(horaires, rewrite));
    horaires = rewrite;
  }

  const lists = readListFields(reader);

  const resumeText = reader.text('presentation_resume');
  const presentation = fitPresentation(
    resumeText,
    withKeptV0Values(reader.text('presentation_detail'), lists.keptInDetail),
  );
  if (presentation.cut && resumeText !== null) {
    reader.warn('presentation_resume', resumeText, MESSAGES.resumeTooLong(characterLength(resumeText)));
  }

  const complementAdresse = oneLine(reader.text('complement_adresse'));
  const structureParente = oneLine(reader.text('structure_parente'));
  const source = oneLine(reader.text('source'));
  if (errors.length > 0) return { place: null, source, warnings, errors };
  return {
    place: {
      sourceId,
      pivot,
      nom,
      commune,
      codePostal,
      codeInsee,
      adresse,
      complementAdresse,
      latitude: latitude.value,
      longitude: longitude.value,
      positionApproximate: false,
      typologie: lists.values.typologie,
      telephone,
      courriels,
      siteWeb,
      horaires,
      presentationResume: presentation.resume,
      presentationDetail: presentation.detail,
      itinerance: lists.values.itinerance,
      structureParente,
      dateMaj,
      services: lists.values.services,
      publicsSpecifiquementAdresses: lists.values.publics_specifiquement_adresses,
      priseEnChargeSpecifique: lists.values.prise_en_charge_specifique,
      fraisACharge: lists.values.frais_a_charge,
      dispositifProgrammesNationaux: lists.values.dispositif_programmes_nationaux,
      formationsLabels: lists.values.formations_labels,
      autresFormationsLabels: lists.otherLabels,
      modalitesAcces: lists.values.modalites_acces,
      modalitesAccompagnement: lists.values.modalites_accompagnement,
      ficheAccesLibre,
      priseRdv,
    },
    source,
    warnings,
    errors,
  };
}
