import { communeNameKey } from './commune-resolution.ts';

/**
 * How close two commune names are for a person who typed one from memory (docs/decisions/0034). Pure.
 * Names are compared on two keys: the spelling folded (no accents, case, hyphens, spaces or apostrophes;
 * "saint" and "st" the same) and a rough French sound key (double letters single, "eau" as "o", "c" before
 * e/i/y as "s"…), so that "Sarran" is next to "Saran" and "Chessy" next to "Chécy".
 */

/** The spelling key: "Saint-Jean-de-Braye", "st jean de braye" and "ST JEAN DE BRAYE" give one key. */
export function spellingKey(name: string): string {
  return communeNameKey(name)
    .replace(/\bsainte\b/g, 'ste')
    .replace(/\bsaint\b/g, 'st')
    .replace(/[^a-z0-9]/g, '');
}

/** The sound key of a spelling key: how the name is said, roughly, in French. */
export function soundKey(spelling: string): string {
  return spelling
    .replace(/ch/g, 'sh')
    .replace(/eaux?/g, 'o')
    .replace(/au/g, 'o')
    .replace(/ph/g, 'f')
    .replace(/qu/g, 'k')
    .replace(/ck/g, 'k')
    .replace(/c(?=[eiy])/g, 's')
    .replace(/c/g, 'k')
    .replace(/y/g, 'i')
    .replace(/([^cs])h/g, '$1')
    .replace(/^h/, '')
    .replace(/(.)\1+/g, '$1')
    .replace(/[sx]$/, '');
}

/** Three rows of the distance table, reused by every comparison (grown when a name is longer). */
let rows = [new Int32Array(64), new Int32Array(64), new Int32Array(64)] as const;

/**
 * Damerau-Levenshtein distance (optimal string alignment: insertion, deletion, substitution, swap of two
 * neighbours), or `max + 1` as soon as it must be above `max`: most names are discarded after a few rows.
 */
export function boundedDistance(a: string, b: string, max: number): number {
  if (Math.abs(a.length - b.length) > max) return max + 1;
  if (a === b) return 0;
  const width = b.length + 1;
  if (rows[0].length < width) rows = [new Int32Array(width), new Int32Array(width), new Int32Array(width)];
  let [before, previous, current] = rows;
  for (let j = 0; j < width; j++) previous[j] = j;
  for (let i = 1; i <= a.length; i++) {
    const ai = a.charCodeAt(i - 1);
    const aBefore = i > 1 ? a.charCodeAt(i - 2) : -1;
    current[0] = i;
    let best = i;
    for (let j = 1; j < width; j++) {
      const bj = b.charCodeAt(j - 1);
      let value = (previous[j - 1] as number) + (ai === bj ? 0 : 1);
      const insert = (current[j - 1] as number) + 1;
      const remove = (previous[j] as number) + 1;
      if (insert < value) value = insert;
      if (remove < value) value = remove;
      if (j > 1 && ai === b.charCodeAt(j - 2) && aBefore === bj) {
        const swap = (before[j - 2] as number) + 1;
        if (swap < value) value = swap;
      }
      current[j] = value;
      if (value < best) best = value;
    }
    if (best > max) return max + 1;
    [before, previous, current] = [previous, current, before];
  }
  return previous[b.length] as number;
}

/**
 * The most edits a name of this many letters may be away from what was typed: none under 4 letters
 * (too many short names look alike), then 1, 2 and 3 as names grow.
 */
export function allowedEdits(length: number): number {
  if (length < 4) return 0;
  if (length <= 5) return 1;
  if (length <= 9) return 2;
  return 3;
}

export interface SpelledName<T> {
  spelling: string;
  sound: string;
  item: T;
}

export interface CloseName<T> {
  item: T;
  /** Edits between the spelling keys, or 0 when the names sound alike, or 1 when they almost do. */
  distance: number;
  /** Edits between the spelling keys (ranks names that sound alike). */
  spellingDistance: number;
}

/**
 * Names indexed by the length of their spelling key, built once: a search only compares names whose
 * length is within the allowed edits of what was typed.
 */
export class SpellingIndex<T> {
  private readonly byLength = new Map<number, SpelledName<T>[]>();

  constructor(entries: Iterable<{ name: string; item: T }>) {
    for (const { name, item } of entries) {
      const spelling = spellingKey(name);
      if (spelling === '') continue;
      const list = this.byLength.get(spelling.length) ?? [];
      list.push({ spelling, sound: soundKey(spelling), item });
      this.byLength.set(spelling.length, list);
    }
  }

  /** Every name within the allowed edits of `text` (by spelling or by sound), closest first. */
  close(text: string, accept: (item: T) => boolean = () => true): CloseName<T>[] {
    const spelling = spellingKey(text);
    const max = allowedEdits(spelling.length);
    if (max === 0) return [];
    const sound = soundKey(spelling);
    // Sound keys are shorter and coarser: one edit at most, and none for short ones.
    const maxSound = Math.min(1, allowedEdits(sound.length));
    const found: CloseName<T>[] = [];
    for (let length = spelling.length - max; length <= spelling.length + max; length++) {
      for (const entry of this.byLength.get(length) ?? []) {
        const bySpelling = boundedDistance(spelling, entry.spelling, max);
        const bySound = boundedDistance(sound, entry.sound, maxSound);
        if (bySpelling > max && bySound > maxSound) continue;
        const distance = Math.min(bySpelling, bySound);
        if (accept(entry.item)) found.push({ item: entry.item, distance, spellingDistance: bySpelling });
      }
    }
    return found.sort((x, y) => x.distance - y.distance || x.spellingDistance - y.spellingDistance);
  }
}
