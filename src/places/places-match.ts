/**
 * Is it the same place? Pure comparison of two place records (issue 3, item 4; docs/decisions/0008).
 * Two records match when they are in the same commune (the caller groups by commune), their names and
 * addresses share enough normalised words, and their positions — when both have one — are close.
 */

export interface MatchInput {
  nom: string;
  adresse: string;
  latitude: number | null;
  longitude: number | null;
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
}

export interface MatchResult {
  match: boolean;
  /** 0…1, higher is more alike. */
  score: number;
  nameSimilarity: number;
  addressSimilarity: number;
  /** Metres between the two positions, null when one has none. */
  distance: number | null;
}

/** Farther than this, two records are two places, whatever their names. */
export const MAX_MATCH_DISTANCE_M = 150;
export const MATCH_THRESHOLD = 0.6;

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
const ADDRESS_WORDS: Readonly<Record<string, string>> = {
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
};

/** Abbreviations of names. */
const NAME_WORDS: Readonly<Record<string, string>> = {
  st: 'saint',
  ste: 'sainte',
  cs: 'centre social',
  mfs: 'maison france services',
};

function words(text: string, synonyms: Readonly<Record<string, string>>): string[] {
  return (
    text
      .normalize('NFD')
      .replace(/\p{M}/gu, '')
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, ' ')
      .trim()
      .split(' ')
      .flatMap((word) => (synonyms[word] ?? word).split(' '))
      .filter((word) => word !== '' && !STOP_WORDS.has(word))
      // A plural is the same word: « traverses des pénitents noirs ».
      .map((word) => (word.length > 3 && word.endsWith('s') ? word.slice(0, -1) : word))
  );
}

/** Postcodes and "cedex" in an address say nothing about which place it is. */
function addressWords(text: string): string[] {
  return words(text, ADDRESS_WORDS).filter((word) => !/^\d{5}$/.test(word) && word !== 'cedex');
}

export function matchKey(place: MatchInput): MatchKey {
  const address = addressWords(place.adresse);
  const name = words(place.nom, NAME_WORDS);
  return {
    name: new Set(name),
    nameTrigrams: trigrams(name.join('')),
    franceServices: name.join(' ').includes('france service'),
    address: new Set(address),
    number: address.find((word) => /^\d+$/.test(word)) ?? null,
    latitude: place.latitude,
    longitude: place.longitude,
  };
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

/** Share of the smaller set found in the larger: "Mairie" vs "Mairie de Lambesc" is 1. */
function containment(a: Set<string>, b: Set<string>): number {
  if (a.size === 0 || b.size === 0) return 0;
  const [small, large] = a.size <= b.size ? [a, b] : [b, a];
  let common = 0;
  for (const word of small) if (large.has(word)) common++;
  return common / small.size;
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
 */
export function comparePlaces(a: MatchKey, b: MatchKey): MatchResult {
  const nameSimilarity = Math.max(
    jaccard(a.name, b.name),
    0.9 * containment(a.name, b.name),
    0.8 * jaccard(a.nameTrigrams, b.nameTrigrams),
  );
  const addressSimilarity = Math.max(jaccard(a.address, b.address), 0.9 * containment(a.address, b.address));
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
  const match = !refuted && (similar || hosted);
  return {
    match,
    score: Math.round(Math.min(1, Math.max(score, match ? MATCH_THRESHOLD : 0)) * 1000) / 1000,
    nameSimilarity,
    addressSimilarity,
    distance,
  };
}

/**
 * A cheap necessary condition of `comparePlaces(a, b).match`: false when the two records surely do not
 * match (distinct house numbers refute a match, and every rule needs addresses at least 0.3 alike), so
 * that an import compares in full only the few pairs of a commune that might.
 */
export function mayMatch(a: MatchKey, b: MatchKey): boolean {
  if (a.number !== null && b.number !== null && a.number !== b.number) return false;
  return Math.max(jaccard(a.address, b.address), 0.9 * containment(a.address, b.address)) >= 0.3;
}

/** Convenience for tests and one-off comparisons. */
export function matchPlaces(a: MatchInput, b: MatchInput): MatchResult {
  return comparePlaces(matchKey(a), matchKey(b));
}
