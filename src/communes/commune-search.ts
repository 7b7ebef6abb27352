import { communeNameKey } from './commune-resolution.ts';
import { boundedDistance, SpellingIndex, spellingKey } from './commune-spelling.ts';
import { type Commune, getCommune, resolveTerritory } from './communes.ts';

/**
 * What a person types in "Où ?": a commune name (any case, with or without accents or hyphens, with a
 * spelling mistake), a postcode or an INSEE code. Returns the commune when it is clear, otherwise the
 * candidates to choose from: communes of the network's territory first, then of France
 * (docs/decisions/0034).
 */
export interface CommuneSearch {
  exact: Commune | null;
  candidates: Commune[];
  /**
   * How the candidates were found: communes of that postcode, names that are or begin with what was
   * typed ("Quelle commune ?"), names spelt close to it ("Vouliez-vous dire … ?"), or nothing.
   */
  match: 'postcode' | 'name' | 'spelling' | 'none';
}

interface NameIndex {
  keys: { key: string; commune: Commune }[];
  byKey: Map<string, Commune[]>;
  byPostcode: Map<string, Commune[]>;
}

let index: NameIndex | null = null;

/** Built once per process (about 35,000 communes), then kept. */
function load(): NameIndex {
  if (index) return index;
  const keys: NameIndex['keys'] = [];
  const byKey = new Map<string, Commune[]>();
  const byPostcode = new Map<string, Commune[]>();
  const communes = resolveTerritory({ kind: 'fr' }).communes;
  for (const commune of communes) {
    const key = communeNameKey(commune.nom);
    keys.push({ key, commune });
    byKey.set(key, [...(byKey.get(key) ?? []), commune]);
    for (const pc of commune.codesPostaux) byPostcode.set(pc, [...(byPostcode.get(pc) ?? []), commune]);
  }
  index = { keys, byKey, byPostcode };
  return index;
}

let spelling: SpellingIndex<Commune> | null = null;

/** The spelling index, built on the first misspelt search (an exact name never needs it). */
function loadSpelling(): SpellingIndex<Commune> {
  spelling ??= new SpellingIndex(
    resolveTerritory({ kind: 'fr' }).communes.map((commune) => ({ name: commune.nom, item: commune })),
  );
  return spelling;
}

/** At most this many close spellings of the territory, then of France, in a "Vouliez-vous dire" list. */
const LOCAL_SUGGESTIONS = 5;
const FRANCE_SUGGESTIONS = 5;

function rank(communes: Commune[], preferred: ReadonlySet<string>, limit: number): Commune[] {
  return [...communes]
    .sort(
      (a, b) =>
        Number(preferred.has(b.code)) - Number(preferred.has(a.code)) ||
        b.population - a.population ||
        a.nom.localeCompare(b.nom, 'fr'),
    )
    .slice(0, limit);
}

function unique(communes: Commune[]): Commune[] {
  return [...new Map(communes.map((c) => [c.code, c])).values()];
}

function decide(
  found: Commune[],
  preferred: ReadonlySet<string>,
  limit: number,
  match: CommuneSearch['match'],
): CommuneSearch {
  if (found.length === 0) return { exact: null, candidates: [], match: 'none' };
  if (found.length === 1) return { exact: found[0] ?? null, candidates: found, match };
  const local = found.filter((c) => preferred.has(c.code));
  if (local.length === 1)
    return { exact: local[0] ?? null, candidates: rank(found, preferred, limit), match };
  return { exact: null, candidates: rank(found, preferred, limit), match };
}

/**
 * Names spelt close to `text`: the territory's first, then France's, each closest first and, at the same
 * distance, the most populated first. `nearFrance` are France's within one edit (or sounding alike).
 */
export function closeCommunes(
  text: string,
  preferred: ReadonlySet<string> = new Set(),
): { local: Commune[]; france: Commune[]; nearFrance: Commune[] } {
  const close = loadSpelling()
    .close(text)
    .sort(
      (a, b) =>
        a.distance - b.distance ||
        a.spellingDistance - b.spellingDistance ||
        b.item.population - a.item.population ||
        a.item.nom.localeCompare(b.item.nom, 'fr'),
    );
  const france = close.filter((c) => !preferred.has(c.item.code)).slice(0, FRANCE_SUGGESTIONS);
  return {
    local: close
      .filter((c) => preferred.has(c.item.code))
      .slice(0, LOCAL_SUGGESTIONS)
      .map((c) => c.item),
    france: france.map((c) => c.item),
    nearFrance: france.filter((c) => c.distance <= 1).map((c) => c.item),
  };
}

/** Spelling keys of the communes, computed once each (a misspelt search may scan a whole territory). */
const spellingKeys = new Map<string, string>();
function spellingKeyOf(commune: Commune): string {
  let key = spellingKeys.get(commune.code);
  if (key === undefined) {
    key = spellingKey(commune.nom);
    spellingKeys.set(commune.code, key);
  }
  return key;
}

/** Past this many communes, a territory is too large to scan name by name for a part of a name. */
const LOOSE_SCAN_MAX = 2000;

/**
 * The territory's communes whose name holds what was typed ("Saint Mesmin", "chapelle") or begins with
 * something spelt close to it ("Saint Privé" for Saint-Pryvé-Saint-Mesmin): people often say a part of a
 * long name. Only for a territory small enough to scan.
 */
function looseLocal(text: string, preferred: ReadonlySet<string>): Commune[] {
  if (preferred.size > LOOSE_SCAN_MAX) return [];
  const typed = spellingKey(text);
  // Short parts match too much ("pari" begins "Marigny" but one letter): a part of 5 letters or more,
  // and a beginning spelt one letter off only from 6 letters.
  if (typed.length < 5) return [];
  const fuzzy = typed.length >= 6;
  const found: Commune[] = [];
  for (const code of preferred) {
    const commune = getCommune(code);
    if (!commune) continue;
    const name = spellingKeyOf(commune);
    if (name.includes(typed) || (fuzzy && boundedDistance(typed, name.slice(0, typed.length), 1) <= 1))
      found.push(commune);
  }
  return found;
}

/** "Orléans 45000", "45140 Ingré": the commune of that name with that postcode, when there is one. */
function nameWithPostcode(text: string): Commune | null {
  const postcode = /(?:^|\s)(\d{5})(?:\s|$)/.exec(text)?.[1];
  if (!postcode) return null;
  const name = communeNameKey(text.replace(postcode, ' '));
  if (name === '') return null;
  const matching = (load().byPostcode.get(postcode) ?? []).filter((c) => communeNameKey(c.nom) === name);
  return matching.length === 1 ? (matching[0] ?? null) : null;
}

export function searchCommunes(
  text: string,
  preferred: ReadonlySet<string> = new Set(),
  limit = 12,
): CommuneSearch {
  if (/\p{L}/u.test(text) && /\d{5}/.test(text)) {
    const withPostcode = nameWithPostcode(text);
    if (withPostcode) return { exact: withPostcode, candidates: [withPostcode], match: 'postcode' };
    // The name alone: a misspelt name, or a postcode that is not the commune's.
    return searchCommunes(text.replace(/\d{5}/g, ' ').trim(), preferred, limit);
  }
  const trimmed = text.trim().toUpperCase();
  // "45 000" is a postcode typed with a space.
  const raw = /^[\d\s]+$/.test(trimmed) ? trimmed.replace(/\s+/g, '') : trimmed;
  if (raw === '') return { exact: null, candidates: [], match: 'none' };
  const { keys, byKey, byPostcode } = load();
  if (/^(\d{5}|2[AB]\d{3})$/.test(raw)) {
    const byCode = getCommune(raw);
    const byPc = byPostcode.get(raw) ?? [];
    return decide(unique([...(byCode ? [byCode] : []), ...byPc]), preferred, limit, 'postcode');
  }
  const key = communeNameKey(text);
  if (key === '') return { exact: null, candidates: [], match: 'none' };
  const exact = byKey.get(key);
  const starts = keys.filter((k) => k.key.startsWith(key)).map((k) => k.commune);
  const localStarts = starts.filter((c) => preferred.has(c.code));
  if (exact?.some((c) => preferred.has(c.code))) return decide(exact, preferred, limit, 'name');
  // "saint jean" names a commune far away, but the person more likely means one of the territory's
  // "Saint-Jean-…": let her choose.
  if (localStarts.length > 0)
    return {
      exact: null,
      candidates: rank(unique([...localStarts, ...(exact ?? [])]), preferred, limit),
      match: 'name',
    };
  // "Sarran" is a commune of Corrèze, but near Orléans the person more likely means Saran.
  const close = closeCommunes(text, preferred);
  if (close.local.length > 0) {
    const others = rank(exact ?? [], preferred, FRANCE_SUGGESTIONS);
    const france = unique([...others, ...close.france]).slice(0, FRANCE_SUGGESTIONS);
    return { exact: null, candidates: [...close.local, ...france], match: 'spelling' };
  }
  // "Saint Mesmin" names communes far away, but the territory has three "…-Saint-Mesmin".
  const loose = looseLocal(text, preferred);
  if (loose.length > 0) {
    const france = unique([...rank(exact ?? [], preferred, FRANCE_SUGGESTIONS), ...close.france]);
    return {
      exact: null,
      candidates: [...rank(loose, preferred, LOCAL_SUGGESTIONS), ...france.slice(0, FRANCE_SUGGESTIONS)],
      match: loose.length === 1 ? 'spelling' : 'name',
    };
  }
  if (exact) return decide(exact, preferred, limit, 'name');
  // Elsewhere in France: a near miss ("Marseile", "Lion") before the names that begin with the text.
  if (starts.length || close.france.length) {
    const candidates = unique([...close.nearFrance, ...rank(starts, preferred, limit), ...close.france]);
    return {
      exact: null,
      candidates: candidates.slice(0, limit),
      match: close.nearFrance.length || !starts.length ? 'spelling' : 'name',
    };
  }
  const contains = key.length >= 4 ? keys.filter((k) => k.key.includes(key)).map((k) => k.commune) : [];
  return contains.length
    ? { exact: null, candidates: rank(contains, preferred, limit), match: 'name' }
    : { exact: null, candidates: [], match: 'none' };
}
