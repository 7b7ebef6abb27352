import { isPostcode } from '../shared/commune-codes.ts';
import { compactPivot } from '../shared/pivot.ts';
import { isValidSiret } from '../shared/siret.ts';
/**
 * Is it the same place? Pure comparison of two place records (docs/decisions/0008, 0058).
 * Two records match when they are in the same commune (the caller groups by commune), their names and
 * addresses share enough normalised words, and their positions — when both have one — are close; or when
 * they carry the same valid SIRET and are close (a SIRET is evidence, not identity: one SIRET often
 * covers several branches).
 */

export interface MatchInput {
  nom: string;
  adresse: string;
  latitude: number | null;
  longitude: number | null;
  /** The schema's pivot (SIRET, SIREN, RNA…): only a valid SIRET counts (see siretOf). */
  pivot?: string | null;
}

/** What the duplicate pass reads of a stored place (listMatchCandidates), and of a place an import writes. */
export interface MatchCandidateRow {
  id: string;
  source: string;
  source_id: string;
  nom: string;
  adresse: string;
  commune: string;
  code_postal: string;
  code_insee: string | null;
  latitude: number | null;
  longitude: number | null;
  date_maj: string | null;
  pivot: string;
}

/** Words compared, precomputed once per record (a national import compares each record many times). */
export interface MatchKey {
  name: Set<string>;
  /** Letter triples of the name without spaces: « Utop Lab » ≈ « Utoplab Factory ». */
  nameTrigrams: Set<string>;
  address: Set<string>;
  /** The first house number of the address ("12 bis rue…" → "12"), or null. */
  number: string | null;
  /** The name says it is a France services: a label given to an existing place, which keeps its own name. */
  franceServices: boolean;
  latitude: number | null;
  longitude: number | null;
  /** The valid SIRET of the pivot, or null (see siretOf). */
  siret: string | null;
}

export interface MatchResult {
  match: boolean;
  /** 0…1, higher is more alike. */
  score: number;
  nameSimilarity: number;
  addressSimilarity: number;
  /** Metres between the two positions, null when one has none. */
  distance: number | null;
  /** Both carry the same valid SIRET (which alone does not make a match: see comparePlaces). */
  sameSiret: boolean;
}

/** Farther than this, two records are two places, whatever their names. */
export const MAX_MATCH_DISTANCE_M = 150;
export const MATCH_THRESHOLD = 0.6;
/** Two records of the same valid SIRET closer than this are the same place (docs/decisions/0058). */
export const SIRET_MAX_DISTANCE_M = 200;
/** Addresses at least this alike are the same address. */
const SAME_ADDRESS = 0.9;

/**
 * The pivot when it is a valid SIRET (14 digits, Luhn checksum or La Poste's rule), else null: the
 * schema's « unknown » 00000000000000 (every row of the shared regional files), a bad checksum, a SIREN
 * or an RNA number say nothing about which establishment it is.
 */
export function siretOf(pivot: string | null | undefined): string | null {
  if (!pivot) return null;
  const compact = compactPivot(pivot);
  return isValidSiret(compact) ? compact : null;
}

const STOP_WORDS = new Set([
  'a',
  'au',
  'aux',
  'd',
  'de',
  'des',
  'du',
  'en',
  'et',
  'l',
  'la',
  'le',
  'les',
  'sur',
  'sous',
]);

/** Street-type abbreviations as publishers write them. */
const ADDRESS_WORDS: ReadonlyMap<string, string> = new Map(
  Object.entries({
    av: 'avenue',
    ave: 'avenue',
    bd: 'boulevard',
    bld: 'boulevard',
    blvd: 'boulevard',
    boul: 'boulevard',
    r: 'rue',
    pl: 'place',
    pla: 'place',
    ch: 'chemin',
    che: 'chemin',
    chem: 'chemin',
    rte: 'route',
    imp: 'impasse',
    all: 'allee',
    sq: 'square',
    fg: 'faubourg',
    fbg: 'faubourg',
    crs: 'cours',
    qu: 'quai',
    st: 'saint',
    ste: 'sainte',
    gal: 'general',
    gl: 'general',
    mal: 'marechal',
    pdt: 'president',
    res: 'residence',
    zi: 'zone industrielle',
    za: 'zone activite',
  }),
);

/** Abbreviations of names. */
const NAME_WORDS: ReadonlyMap<string, string> = new Map(
  Object.entries({
    st: 'saint',
    ste: 'sainte',
    cs: 'centre social',
    mfs: 'maison france services',
  }),
);

const PRINTABLE_ASCII = /^[ -~]*$/;

/** Adds a word unless it is a stop word; a plural is the same word: « traverses des pénitents noirs ». */
function pushWord(words: string[], word: string): void {
  if (word === '' || STOP_WORDS.has(word)) return;
  words.push(word.length > 3 && word.endsWith('s') ? word.slice(0, -1) : word);
}

/** Lowercased words without accents, abbreviations spelled out, stop words left out, plurals singular. */
function words(text: string, synonyms: ReadonlyMap<string, string>): string[] {
  // ASCII text has no accent to take off (NFD leaves it as it is, and it holds no combining mark).
  const folded = (PRINTABLE_ASCII.test(text) ? text : text.normalize('NFD').replace(/\p{M}/gu, ''))
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, ' ')
    .trim();
  const found: string[] = [];
  if (folded === '') return found;
  for (const word of folded.split(' ')) {
    const spelled = synonyms.get(word);
    if (spelled === undefined) pushWord(found, word);
    else for (const part of spelled.split(' ')) pushWord(found, part);
  }
  return found;
}

/** Postcodes and "cedex" in an address say nothing about which place it is. */
function addressWords(text: string): string[] {
  return words(text, ADDRESS_WORDS).filter((word) => word !== 'cedex' && !isPostcode(word));
}

const NUMBER = /^\d+$/;

/** A MatchKey whose name trigrams are made when first compared (most places are compared with none). */
class LazyMatchKey implements MatchKey {
  readonly name: Set<string>;
  readonly franceServices: boolean;
  readonly address: Set<string>;
  readonly number: string | null;
  readonly latitude: number | null;
  readonly longitude: number | null;
  readonly siret: string | null;
  readonly #letters: string;
  #nameTrigrams: Set<string> | null = null;

  constructor(place: MatchInput) {
    const address = addressWords(place.adresse);
    const name = words(place.nom, NAME_WORDS);
    this.name = new Set(name);
    this.#letters = name.join('');
    this.franceServices = name.join(' ').includes('france service');
    this.address = new Set(address);
    this.number = address.find((word) => NUMBER.test(word)) ?? null;
    this.latitude = place.latitude;
    this.longitude = place.longitude;
    this.siret = siretOf(place.pivot);
  }

  get nameTrigrams(): Set<string> {
    this.#nameTrigrams ??= trigrams(this.#letters);
    return this.#nameTrigrams;
  }
}

export function matchKey(place: MatchInput): MatchKey {
  return new LazyMatchKey(place);
}

function trigrams(text: string): Set<string> {
  const grams = new Set<string>();
  for (let i = 0; i + 3 <= text.length; i++) grams.add(text.slice(i, i + 3));
  return grams;
}

function jaccard(a: Set<string>, b: Set<string>): number {
  if (a.size === 0 || b.size === 0) return 0;
  let common = 0;
  for (const word of a) if (b.has(word)) common++;
  return common / (a.size + b.size - common);
}

/**
 * The greater of the Jaccard index and 0.9 × the share of the smaller set found in the larger ("Mairie"
 * vs "Mairie de Lambesc": 0.9): both count the same words in common, counted once here.
 */
function wordSimilarity(a: Set<string>, b: Set<string>): number {
  if (a.size === 0 || b.size === 0) return 0;
  const small = a.size <= b.size ? a : b;
  const large = small === a ? b : a;
  let common = 0;
  for (const word of small) if (large.has(word)) common++;
  return Math.max(common / (a.size + b.size - common), 0.9 * (common / small.size));
}

/** Great-circle distance in metres (haversine, R = 6,371 km). */
export function distanceMeters(lat1: number, lon1: number, lat2: number, lon2: number): number {
  const rad = Math.PI / 180;
  const dLat = (lat2 - lat1) * rad;
  const dLon = (lon2 - lon1) * rad;
  const h = Math.sin(dLat / 2) ** 2 + Math.cos(lat1 * rad) * Math.cos(lat2 * rad) * Math.sin(dLon / 2) ** 2;
  return 2 * 6_371_000 * Math.asin(Math.min(1, Math.sqrt(h)));
}

/**
 * Compares two records of the same commune. Rules, all refuted by distinct house numbers or by positions
 * over 150 m apart (tuned on hand-labelled PACA pairs, test/reference/fixtures):
 * - similar names (≥ 0.5) and addresses that agree (≥ 0.3);
 * - the same address (≥ 0.9) and names that share something (≥ 0.25);
 * - the same numbered address (same number, ≥ 0.8) and names that share a word, or one of them a
 *   France services (the label keeps the host's name: « CS Capelette » = « France services Marseille 10e
 *   – Centre social de la Capelette »), or a France services at nearly the same address.
 * Two services in one building with unrelated names stay apart.
 * - the same name (≥ 0.9) at positions under 200 m apart, house numbers not distinct, whatever the
 *   addresses say.
 * Before these, the SIRET (docs/decisions/0058): two records carrying the same valid SIRET match when they
 * are also close — the same address (≥ 0.9), or positions under 200 m apart on addresses that agree
 * (≥ 0.3: a commune's SIRET covers its town hall and its library across the square) — and their house
 * numbers do not differ. Otherwise the SIRET alone does not merge them (one SIRET often covers several
 * branches): the rules above decide.
 */
export function comparePlaces(a: MatchKey, b: MatchKey): MatchResult {
  return compareWithAddresses(a, b, wordSimilarity(a.address, b.address));
}

function compareWithAddresses(a: MatchKey, b: MatchKey, addressSimilarity: number): MatchResult {
  return judgePair(a, b, addressSimilarity).result;
}

/** Which of comparePlaces's rules held for a pair, to say why it matched (explainMatch). */
interface PairRules {
  result: MatchResult;
  refuted: boolean;
  numbersDiffer: boolean;
  sameNumberedAddress: boolean;
  franceServices: boolean;
  /** Same valid SIRET, and close enough for it to decide (see comparePlaces). */
  siretClose: boolean;
}

function judgePair(a: MatchKey, b: MatchKey, addressSimilarity: number): PairRules {
  const nameSimilarity = Math.max(
    wordSimilarity(a.name, b.name),
    0.8 * jaccard(a.nameTrigrams, b.nameTrigrams),
  );
  const distance =
    a.latitude !== null && a.longitude !== null && b.latitude !== null && b.longitude !== null
      ? distanceMeters(a.latitude, a.longitude, b.latitude, b.longitude)
      : null;
  const numbersDiffer = a.number !== null && b.number !== null && a.number !== b.number;
  // Publishers geocode differently (the PACA file puts the same place 200 m to 6 km apart): positions over
  // 150 m apart refute a match only when the written addresses do not agree.
  const refuted =
    (distance !== null && distance > MAX_MATCH_DISTANCE_M && addressSimilarity < 0.6) || numbersDiffer;
  const sameNumberedAddress = a.number !== null && a.number === b.number && addressSimilarity >= 0.8;
  const similar = nameSimilarity >= 0.5 && addressSimilarity >= 0.3;
  const franceServices = a.franceServices || b.franceServices;
  const hosted =
    (sameNumberedAddress && (nameSimilarity >= 0.2 || franceServices)) ||
    (addressSimilarity >= 0.9 && nameSimilarity >= 0.25) ||
    (franceServices && addressSimilarity >= 0.7 && (nameSimilarity >= 0.2 || addressSimilarity >= 0.95));
  let score = 0.6 * nameSimilarity + 0.4 * addressSimilarity;
  if (distance !== null) score = 0.8 * score + 0.2 * Math.max(0, 1 - distance / MAX_MATCH_DISTANCE_M);
  const close = distance !== null && distance < SIRET_MAX_DISTANCE_M;
  const sameSiret = a.siret !== null && a.siret === b.siret;
  const siretClose =
    sameSiret && !numbersDiffer && (addressSimilarity >= SAME_ADDRESS || (close && addressSimilarity >= 0.3));
  // The same name (« France services » and « France services Valréas ») at positions under 200 m apart:
  // the addresses may be written differently (the town hall's street, the square in front).
  const sameNameClose = close && nameSimilarity >= 0.9 && !numbersDiffer;
  const match = siretClose || sameNameClose || (!refuted && (similar || hosted));
  return {
    result: {
      match,
      score: Math.round(Math.min(1, Math.max(score, match ? MATCH_THRESHOLD : 0)) * 1000) / 1000,
      nameSimilarity,
      addressSimilarity,
      distance,
      sameSiret,
    },
    refuted,
    numbersDiffer,
    sameNumberedAddress,
    franceServices,
    siretClose,
  };
}

/** Positions under 200 m apart (false when one has none). */
function closeTo(a: MatchKey, b: MatchKey): boolean {
  return (
    a.latitude !== null &&
    a.longitude !== null &&
    b.latitude !== null &&
    b.longitude !== null &&
    distanceMeters(a.latitude, a.longitude, b.latitude, b.longitude) < SIRET_MAX_DISTANCE_M
  );
}

/**
 * A cheap necessary condition of `comparePlaces(a, b).match`: false when the two records surely do not
 * match (distinct house numbers refute a match, and every rule but the same name's needs addresses at
 * least 0.3 alike; that one needs positions under 200 m apart), so that an import compares in full only
 * the few pairs of a commune that might.
 */
export function mayMatch(a: MatchKey, b: MatchKey): boolean {
  if (a.number !== null && b.number !== null && a.number !== b.number) return false;
  return wordSimilarity(a.address, b.address) >= 0.3 || closeTo(a, b);
}

/** `comparePlaces(a, b)` when `mayMatch(a, b)`, else null (the address similarity computed once). */
export function compareIfMayMatch(a: MatchKey, b: MatchKey): MatchResult | null {
  if (a.number !== null && b.number !== null && a.number !== b.number) return null;
  const addressSimilarity = wordSimilarity(a.address, b.address);
  return addressSimilarity >= 0.3 || closeTo(a, b) ? compareWithAddresses(a, b, addressSimilarity) : null;
}

/** Convenience for tests and one-off comparisons. */
export function matchPlaces(a: MatchInput, b: MatchInput): MatchResult {
  return comparePlaces(matchKey(a), matchKey(b));
}

/** What explainMatch reads of a stored record: the compared fields, and its phone. */
export interface ExplainInput extends MatchInput {
  telephone: string | null;
}

const percent = (value: number) => `${Math.round(value * 100)} %`;
const quoted = (words: Iterable<string>) => [...words].map((w) => `« ${w} »`).join(', ');

/** The words of `text` as written (accents, capitals) whose compared form is in `common`, each once. */
function writtenWords(text: string, common: Set<string>, compared: (word: string) => string[]): string[] {
  const found = new Map<string, string>();
  for (const word of text.split(/[^\p{L}\p{N}]+/u)) {
    for (const form of compared(word)) if (common.has(form) && !found.has(form)) found.set(form, word);
  }
  // A compared word not found alone in the text (an abbreviation spelled out) is shown as compared.
  for (const form of common) if (!found.has(form)) found.set(form, form);
  return [...found.values()];
}

/** A distance as people read it: « 40 m », « 1,2 km ». */
export function formatDistance(metres: number): string {
  if (metres < 1000) return `${Math.round(metres / 10) * 10 || Math.round(metres)} m`;
  return `${(Math.round(metres / 100) / 10).toLocaleString('fr-FR')} km`;
}

const SIRET_NOT_ENOUGH = 'un SIRET couvre souvent plusieurs lieux, il ne suffit pas à les rapprocher';

/** What the SIRETs of two records say, for explainMatch: the SIRET rule, or why it did not decide. */
function siretReasons(
  pivotA: string | null | undefined,
  pivotB: string | null | undefined,
  rules: PairRules,
) {
  const { distance, sameSiret } = rules.result;
  if (rules.siretClose)
    return [
      distance !== null && distance < SIRET_MAX_DISTANCE_M
        ? `Même SIRET, à ${formatDistance(distance)}.`
        : 'Même SIRET, à la même adresse.',
    ];
  if (sameSiret) {
    if (rules.numbersDiffer)
      return [`Même SIRET, mais numéros différents dans la rue : ${SIRET_NOT_ENOUGH}.`];
    if (distance !== null) return [`Même SIRET, mais à ${formatDistance(distance)} : ${SIRET_NOT_ENOUGH}.`];
    return [`Même SIRET, mais position inconnue et adresses différentes : ${SIRET_NOT_ENOUGH}.`];
  }
  const reasons: string[] = [];
  const sirets = [siretOf(pivotA), siretOf(pivotB)];
  if (sirets[0] !== null && sirets[1] !== null)
    reasons.push(`SIRET différents (${sirets[0]} et ${sirets[1]}).`);
  for (const pivot of [pivotA, pivotB]) {
    const compact = pivot ? compactPivot(pivot) : '';
    if (/^\d{14}$/.test(compact) && !/^0+$/.test(compact) && siretOf(compact) === null)
      reasons.push(`SIRET « ${compact} » ignoré : sa clé de contrôle est fausse.`);
  }
  return reasons;
}

/**
 * Why two records were taken for the same place, in plain French, computed again from the two records
 * as they are stored now (the import kept only the score): the rules of comparePlaces that held, the
 * name words and the address in common, the same phone, the distance. When the records have changed
 * since and would not match any more, the reasons say so first.
 */
export function explainMatch(a: ExplainInput, b: ExplainInput): { result: MatchResult; reasons: string[] } {
  const ka = matchKey(a);
  const kb = matchKey(b);
  const rules = judgePair(ka, kb, wordSimilarity(ka.address, kb.address));
  const { result } = rules;
  const reasons: string[] = [];
  if (!result.match)
    reasons.push(
      'Avec les fiches telles qu’elles sont aujourd’hui, ces deux lieux ne seraient plus rapprochés.',
    );
  const commonName = new Set([...ka.name].filter((w) => kb.name.has(w)));
  if (commonName.size > 0)
    reasons.push(
      `Noms proches (${percent(result.nameSimilarity)}) : ${commonName.size > 1 ? 'mots' : 'mot'} en commun ${quoted(writtenWords(a.nom, commonName, (w) => words(w, NAME_WORDS)))}.`,
    );
  else if (result.nameSimilarity > 0)
    reasons.push(`Noms écrits de façon proche (${percent(result.nameSimilarity)}), sans mot en commun.`);
  else reasons.push('Noms sans rien en commun.');
  reasons.push(...siretReasons(a.pivot, b.pivot, rules));
  if (rules.franceServices)
    reasons.push(
      'L’une des fiches est un espace France Services : ce label est souvent donné à un lieu qui garde son propre nom.',
    );
  if (result.addressSimilarity >= 0.9) reasons.push(`Même adresse (${percent(result.addressSimilarity)}).`);
  else if (result.addressSimilarity > 0) {
    const commonAddress = new Set([...ka.address].filter((w) => kb.address.has(w)));
    reasons.push(
      `Adresses proches (${percent(result.addressSimilarity)}) : mots en commun ${quoted(writtenWords(a.adresse, commonAddress, addressWords))}.`,
    );
    if (rules.sameNumberedAddress) reasons.push(`Même numéro dans la même rue (${ka.number}).`);
  } else reasons.push('Adresses sans rien en commun.');
  if (rules.numbersDiffer) reasons.push(`Numéros différents dans la rue (${ka.number} et ${kb.number}).`);
  const phoneA = a.telephone?.replace(/\D/g, '').slice(-9) ?? '';
  if (phoneA.length === 9 && phoneA === b.telephone?.replace(/\D/g, '').slice(-9))
    reasons.push('Même numéro de téléphone.');
  if (result.distance === null) reasons.push('Distance inconnue : une des fiches n’a pas de position.');
  else if (result.distance > MAX_MATCH_DISTANCE_M)
    reasons.push(
      `Positions à ${formatDistance(result.distance)} l’une de l’autre, plus que les ${MAX_MATCH_DISTANCE_M} m admis${result.addressSimilarity >= 0.6 ? ', mais les adresses écrites concordent' : ''}.`,
    );
  else reasons.push(`Positions à ${formatDistance(result.distance)} l’une de l’autre.`);
  return { result, reasons };
}
