import { communeNameKey } from './commune-resolution.ts';
import { type Commune, getCommune, resolveTerritory } from './communes.ts';

/**
 * What a person types in "Où ?": a commune name (any case, with or without accents or hyphens, with a
 * spelling mistake), a postcode or an INSEE code. Returns the commune when it is clear, otherwise the
 * candidates to choose from (communes of the network's territory first).
 */
export interface CommuneSearch {
  exact: Commune | null;
  candidates: Commune[];
}

interface NameIndex {
  keys: { key: string; commune: Commune }[];
  byKey: Map<string, Commune[]>;
  byPostcode: Map<string, Commune[]>;
}

let index: NameIndex | null = null;

function load(): NameIndex {
  if (index) return index;
  const keys: NameIndex['keys'] = [];
  const byKey = new Map<string, Commune[]>();
  const byPostcode = new Map<string, Commune[]>();
  for (const commune of resolveTerritory({ kind: 'fr' }).communes) {
    const key = communeNameKey(commune.nom);
    keys.push({ key, commune });
    byKey.set(key, [...(byKey.get(key) ?? []), commune]);
    for (const pc of commune.codesPostaux) byPostcode.set(pc, [...(byPostcode.get(pc) ?? []), commune]);
  }
  index = { keys, byKey, byPostcode };
  return index;
}

/** Levenshtein distance, stopping early above `max`. */
function editDistance(a: string, b: string, max: number): number {
  if (Math.abs(a.length - b.length) > max) return max + 1;
  let previous = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    let best = i;
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      const value = Math.min(
        (previous[j] ?? 0) + 1,
        (current[j - 1] ?? 0) + 1,
        (previous[j - 1] ?? 0) + cost,
      );
      current.push(value);
      if (value < best) best = value;
    }
    if (best > max) return max + 1;
    previous = current;
  }
  return previous[b.length] ?? max + 1;
}

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

function decide(found: Commune[], preferred: ReadonlySet<string>, limit: number): CommuneSearch {
  if (found.length === 1) return { exact: found[0] ?? null, candidates: found };
  const local = found.filter((c) => preferred.has(c.code));
  if (local.length === 1) return { exact: local[0] ?? null, candidates: rank(found, preferred, limit) };
  return { exact: null, candidates: rank(found, preferred, limit) };
}

export function searchCommunes(
  text: string,
  preferred: ReadonlySet<string> = new Set(),
  limit = 12,
): CommuneSearch {
  const trimmed = text.trim().toUpperCase();
  // "45 000" is a postcode typed with a space.
  const raw = /^[\d\s]+$/.test(trimmed) ? trimmed.replace(/\s+/g, '') : trimmed;
  if (raw === '') return { exact: null, candidates: [] };
  const { keys, byKey, byPostcode } = load();
  if (/^(\d{5}|2[AB]\d{3})$/.test(raw)) {
    const byCode = getCommune(raw);
    const byPc = byPostcode.get(raw) ?? [];
    const found = [...new Map([...(byCode ? [byCode] : []), ...byPc].map((c) => [c.code, c])).values()];
    return decide(found, preferred, limit);
  }
  const key = communeNameKey(text);
  if (key === '') return { exact: null, candidates: [] };
  const exact = byKey.get(key);
  const starts = keys.filter((k) => k.key.startsWith(key)).map((k) => k.commune);
  if (exact) {
    // "saint jean" names a commune far away, but the person more likely means one of the territory's
    // "Saint-Jean-…": let her choose.
    const localStarts = starts.filter((c) => preferred.has(c.code));
    if (!exact.some((c) => preferred.has(c.code)) && localStarts.length > 0) {
      return { exact: null, candidates: rank([...localStarts, ...exact], preferred, limit) };
    }
    return decide(exact, preferred, limit);
  }
  if (starts.length) return { exact: null, candidates: rank(starts, preferred, limit) };
  const max = key.length <= 4 ? 1 : 2;
  const close = keys.filter((k) => editDistance(key, k.key, max) <= max).map((k) => k.commune);
  if (close.length === 1 && preferred.has(close[0]?.code ?? ''))
    return { exact: close[0] ?? null, candidates: close };
  const contains = key.length >= 4 ? keys.filter((k) => k.key.includes(key)).map((k) => k.commune) : [];
  return {
    exact: null,
    candidates: rank(
      [...new Map([...close, ...contains].map((c) => [c.code, c])).values()],
      preferred,
      limit,
    ),
  };
}
