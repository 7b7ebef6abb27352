import { departementOfInseeCode, departementsOfPostcode } from '../shared/commune-codes.ts';
import { type Commune, getCommune, resolveTerritory } from './communes.ts';

/**
 * The INSEE code of a place's commune from what publishers actually write: a postcode (sometimes a CEDEX
 * code no commune owns) and a commune name (any case, accents or not, "ST" for "SAINT", sometimes a hamlet
 * or an arrondissement). Pure: the official commune list of @etalab/decoupage-administratif, indexed once.
 */

export interface CommuneCandidate {
  code: string;
  nom: string;
}

export type CommuneResolution =
  /** Postcode and name agree on one commune; or the postcode is unknown (CEDEX) and the name is unique in its département. */
  | { status: 'found'; code: string; nom: string }
  /** The name is no commune of the postcode, which has only one commune (a hamlet, a former commune). */
  | { status: 'postcode-only'; code: string; nom: string }
  /** The name is a commune of the postcode's département, but the postcode is not one of its own. */
  | { status: 'name-only'; code: string; nom: string }
  | { status: 'ambiguous'; candidates: CommuneCandidate[] }
  | { status: 'impossible' };

export type CommuneCodeCheck =
  | { status: 'consistent' }
  /** An arrondissement of Paris, Lyon or Marseille: the commune's code replaces it. */
  | { status: 'arrondissement'; code: string; nom: string }
  /** No current commune has the code (a former commune, a typing mistake). */
  | { status: 'unknown'; resolution: CommuneResolution }
  /** The code's commune has neither the postcode nor the name given. */
  | { status: 'mismatch'; nom: string; resolution: CommuneResolution };

/** Municipal arrondissements (INSEE COG): code ranges and the commune they belong to. */
const ARRONDISSEMENTS: readonly { from: number; to: number; commune: string }[] = [
  { from: 75101, to: 75120, commune: '75056' },
  { from: 69381, to: 69389, commune: '69123' },
  { from: 13201, to: 13216, commune: '13055' },
];
const ARRONDISSEMENT_CITIES = /^(paris|lyon|marseille)\b/;

/**
 * The comparison key of a commune name: no accents, case, hyphens or apostrophes; "ST"/"STE" read as
 * "SAINT"/"SAINTE"; "CEDEX …" and an arrondissement number dropped; "MANS (LE)" read as "LE MANS".
 */
export function communeNameKey(name: string): string {
  let key = name
    .normalize('NFD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/œ/g, 'oe')
    .replace(/æ/g, 'ae')
    .replace(/\bcedex\b.*$/, '')
    .replace(/[’'`´\-_.,/]/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
  const article = /^(.*) \((le|la|les|l)\)$/.exec(key);
  if (article) key = `${article[2]} ${article[1]}`;
  key = key
    .replace(/[()]/g, '')
    .replace(/\bst\b/g, 'saint')
    .replace(/\bste\b/g, 'sainte');
  // "Paris 15e Arrondissement", "Lyon 3ème", "Marseille 15" name the commune.
  if (ARRONDISSEMENT_CITIES.test(key))
    key = key.replace(/ \d+ ?(er|e|eme|ieme)?( arrondissement| arr)?$/, '');
  return key.replace(/\s+/g, ' ').trim();
}

interface Index {
  byPostcode: Map<string, Commune[]>;
  byDepartementAndName: Map<string, Commune[]>;
  nameKeys: Map<string, string>;
}

let index: Index | null = null;

function load(): Index {
  if (index) return index;
  const byPostcode = new Map<string, Commune[]>();
  const byDepartementAndName = new Map<string, Commune[]>();
  const nameKeys = new Map<string, string>();
  for (const commune of resolveTerritory({ kind: 'fr' }).communes) {
    const key = communeNameKey(commune.nom);
    nameKeys.set(commune.code, key);
    for (const postcode of commune.codesPostaux) {
      const list = byPostcode.get(postcode) ?? [];
      list.push(commune);
      byPostcode.set(postcode, list);
    }
    const depKey = `${commune.departement}|${key}`;
    const list = byDepartementAndName.get(depKey) ?? [];
    list.push(commune);
    byDepartementAndName.set(depKey, list);
  }
  index = { byPostcode, byDepartementAndName, nameKeys };
  return index;
}

const candidate = (commune: Commune): CommuneCandidate => ({ code: commune.code, nom: commune.nom });

/** Finds the commune of a postcode (5 digits) and a commune name; see CommuneResolution. */
export function resolveCommune(postcode: string, name: string): CommuneResolution {
  const { byPostcode, byDepartementAndName, nameKeys } = load();
  const key = communeNameKey(name);
  const ofPostcode = byPostcode.get(postcode) ?? [];
  const named = ofPostcode.filter((commune) => nameKeys.get(commune.code) === key);
  const [onlyNamed] = named;
  if (named.length === 1 && onlyNamed) return { status: 'found', ...candidate(onlyNamed) };
  if (named.length > 1) return { status: 'ambiguous', candidates: named.map(candidate) };

  const inDepartement = departementsOfPostcode(postcode).flatMap(
    (departement) => byDepartementAndName.get(`${departement}|${key}`) ?? [],
  );
  const [onlyInDepartement] = inDepartement;
  if (inDepartement.length === 1 && onlyInDepartement) {
    // A postcode no commune owns is a CEDEX or business code: the name decides, nothing disagrees.
    return { status: ofPostcode.length === 0 ? 'found' : 'name-only', ...candidate(onlyInDepartement) };
  }
  if (inDepartement.length > 1) return { status: 'ambiguous', candidates: inDepartement.map(candidate) };
  const [onlyOfPostcode] = ofPostcode;
  if (ofPostcode.length === 1 && onlyOfPostcode)
    return { status: 'postcode-only', ...candidate(onlyOfPostcode) };
  if (ofPostcode.length > 1) return { status: 'ambiguous', candidates: ofPostcode.map(candidate) };
  return { status: 'impossible' };
}

/** Whether a given INSEE code agrees with the postcode and the commune name written beside it. */
export function checkCommuneCode(code: string, postcode: string, name: string): CommuneCodeCheck {
  const number = Number(code);
  const city = ARRONDISSEMENTS.find((range) => number >= range.from && number <= range.to);
  const cityCommune = city ? getCommune(city.commune) : null;
  if (cityCommune) return { status: 'arrondissement', code: cityCommune.code, nom: cityCommune.nom };
  const commune = getCommune(code);
  if (!commune) return { status: 'unknown', resolution: resolveCommune(postcode, name) };
  if (commune.codesPostaux.includes(postcode) || load().nameKeys.get(code) === communeNameKey(name)) {
    return { status: 'consistent' };
  }
  return { status: 'mismatch', nom: commune.nom, resolution: resolveCommune(postcode, name) };
}

/**
 * The département of an INSEE code when the postcode written beside it clearly belongs to another one
 * (45000 beside 49007), else null. A postcode the commune really uses is never flagged, whatever its digits:
 * some communes are served from a neighbouring département's post office (the official list knows them).
 */
export function postcodeDepartementMismatch(postcode: string, code: string): string | null {
  const commune = getCommune(code);
  if (commune?.codesPostaux.includes(postcode)) return null;
  const departement = commune?.departement || departementOfInseeCode(code);
  return departementsOfPostcode(postcode).includes(departement) ? null : departement;
}
