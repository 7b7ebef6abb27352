import OpeningHours from 'opening_hours';

/**
 * Opening hours (OSM `opening_hours`, as the national schema stores them) turned into plain French for
 * pages. Parsing costs ~0.5 ms a string, so compiled values are memoised.
 */
const NOMINATIM_FR = { lat: 47.9, lon: 1.9, address: { country_code: 'fr', state: 'Centre-Val de Loire' } };
const DAY_NAMES = ['lundi', 'mardi', 'mercredi', 'jeudi', 'vendredi', 'samedi', 'dimanche'];
const compiled = new Map<string, OpeningHours | null>();

export function compileHours(osm: string): OpeningHours | null {
  let oh = compiled.get(osm);
  if (oh === undefined) {
    try {
      oh = new OpeningHours(osm, NOMINATIM_FR as never, { locale: 'fr' } as never);
    } catch {
      oh = null;
    }
    if (compiled.size > 50_000) compiled.clear();
    compiled.set(osm, oh);
  }
  return oh;
}

/** "9:05" → "9 h 05", "14:00" → "14 h" (the house style for times). */
export function formatTime(date: Date): string {
  const h = date.getHours();
  const m = date.getMinutes();
  return m === 0 ? `${h} h` : `${h} h ${String(m).padStart(2, '0')}`;
}

export interface DayHours {
  day: string;
  /** e.g. ["9 h – 12 h", "14 h – 18 h 30"]; empty when closed. */
  ranges: string[];
}

/**
 * The hours of an ordinary week (a fixed reference week without public holidays), one entry per day
 * from Monday. null when the value cannot be read; `varies` when some weeks differ (alternating weeks,
 * months, holidays), so pages can say "selon les semaines".
 */
export function describeWeek(osm: string): { days: DayHours[]; varies: boolean } | null {
  const oh = compileHours(osm);
  if (!oh) return null;
  const monday = new Date(2024, 0, 8); // a week with no French public holiday
  const days: DayHours[] = DAY_NAMES.map((day) => ({ day, ranges: [] }));
  for (const [start, to] of oh.getOpenIntervals(monday, new Date(2024, 0, 15))) {
    // An interval running past midnight (a place open around the clock) is said day by day.
    for (let from = start; from < to; ) {
      const midnight = new Date(from.getFullYear(), from.getMonth(), from.getDate() + 1);
      const until = to < midnight ? to : midnight;
      const index = (from.getDay() + 6) % 7;
      const end = until.getTime() === midnight.getTime() ? '24 h' : formatTime(until);
      days[index]?.ranges.push(`${formatTime(from)} – ${end}`);
      from = until;
    }
  }
  const varies = /\b(week|PH|SH|easter|Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)\b/.test(osm);
  return { days, varies };
}

// ---------------------------------------------------------------------------------------------------------
// Hours written in French words ("du lundi au vendredi de 9h à 12h") rewritten to OpenStreetMap's form.
// ---------------------------------------------------------------------------------------------------------

const OSM_DAYS = ['Mo', 'Tu', 'We', 'Th', 'Fr', 'Sa', 'Su'] as const;
const FRENCH_DAYS: Readonly<Record<string, number>> = {
  lundi: 0,
  lundis: 0,
  mardi: 1,
  mardis: 1,
  mercredi: 2,
  mercredis: 2,
  jeudi: 3,
  jeudis: 3,
  vendredi: 4,
  vendredis: 4,
  samedi: 5,
  samedis: 5,
  dimanche: 6,
  dimanches: 6,
};
/** Words that carry no meaning of their own between days and times. */
const FILLER_WORDS = new Set(['de', 'du', 'des', 'le', 'les', 'd', 'l', 'h']);

type HoursToken =
  | { kind: 'day'; day: number }
  | { kind: 'time'; minutes: number }
  | { kind: 'to' }
  | { kind: 'dash' }
  | { kind: 'and' };

/**
 * The tokens of a folded text, or null at the first word that is neither a day, a time nor a linking word:
 * a text saying more than days and times ("sur rendez-vous", "sauf jeudi", "vacances scolaires") is not
 * rewritten, since a rewrite would drop what it says.
 */
function tokenizeFrenchHours(text: string): HoursToken[] | null {
  const tokens: HoursToken[] = [];
  const pattern = /(\d{1,2})\s*(?:(h|:)\s*(\d{2})?)?|([a-z]+)|([-–—])|([,;/&+])|([:.])|(\S)/gy;
  const folded = text.normalize('NFD').replace(/\p{M}/gu, '').toLowerCase().replace(/[’'`]/g, ' ');
  let index = 0;
  while (index < folded.length) {
    const space = /\s+/y;
    space.lastIndex = index;
    if (space.exec(folded)) index = space.lastIndex;
    if (index >= folded.length) break;
    pattern.lastIndex = index;
    const match = pattern.exec(folded);
    if (!match) return null;
    index = pattern.lastIndex;
    const [, hour, mark, minute, word, dash, and, , other] = match;
    if (hour !== undefined) {
      const hours = Number(hour);
      const minutes = minute === undefined ? 0 : Number(minute);
      if (mark === ':' && minute === undefined) {
        // "Lundi 9 : …" is not a time: a number followed by a colon alone.
        return null;
      }
      if (hours > 24 || minutes > 59 || (hours === 24 && minutes > 0)) return null;
      tokens.push({ kind: 'time', minutes: hours * 60 + minutes });
    } else if (word !== undefined) {
      const day = FRENCH_DAYS[word];
      if (day !== undefined) tokens.push({ kind: 'day', day });
      else if (word === 'a' || word === 'au' || word === 'jusqu') tokens.push({ kind: 'to' });
      else if (word === 'et') tokens.push({ kind: 'and' });
      else if (!FILLER_WORDS.has(word)) return null;
    } else if (dash !== undefined) tokens.push({ kind: 'dash' });
    else if (and !== undefined) tokens.push({ kind: 'and' });
    else if (other !== undefined) return null;
  }
  return tokens;
}

interface HoursGroup {
  days: number[];
  ranges: [number, number][];
}

/** Days and time ranges grouped as the text pairs them, or null when it does not pair them plainly. */
function groupFrenchHours(tokens: HoursToken[]): HoursGroup[] | null {
  const groups: HoursGroup[] = [];
  let current: HoursGroup = { days: [], ranges: [] };
  let last: 'day' | 'range' | null = null;
  let index = 0;
  const at = (offset: number) => tokens[index + offset];
  while (index < tokens.length) {
    const token = tokens[index] as HoursToken;
    if (token.kind === 'day') {
      if (current.days.length > 0 && current.ranges.length > 0 && last === 'range') {
        groups.push(current);
        current = { days: [], ranges: [] };
      }
      const next = at(1);
      const end = at(2);
      if ((next?.kind === 'to' || next?.kind === 'dash') && end?.kind === 'day') {
        if (end.day < token.day) return null;
        for (let day = token.day; day <= end.day; day++) current.days.push(day);
        index += 3;
      } else {
        current.days.push(token.day);
        index += 1;
      }
      last = 'day';
      continue;
    }
    if (token.kind === 'time') {
      if (current.days.length > 0 && current.ranges.length > 0 && last === 'day') {
        groups.push(current);
        current = { days: [], ranges: [] };
      }
      const link = at(1);
      const end = at(2);
      if (!(link?.kind === 'to' || link?.kind === 'dash') || end?.kind !== 'time') return null;
      // A range ending at midnight is written 24:00 in OSM; otherwise it must end after it starts.
      const endMinutes = end.minutes === 0 ? 24 * 60 : end.minutes;
      if (endMinutes <= token.minutes) return null;
      current.ranges.push([token.minutes, endMinutes]);
      index += 3;
      last = 'range';
      continue;
    }
    // A lone "à" links nothing ("9h à 12h30 à 14h"): a slip that a rewrite would have to guess about.
    if (token.kind === 'to') return null;
    index += 1;
  }
  groups.push(current);
  const seen = new Set<number>();
  for (const group of groups) {
    if (group.days.length === 0 || group.ranges.length === 0) return null;
    // The same day in two groups: OSM would keep only the last one, the text probably meant both.
    for (const day of new Set(group.days)) {
      if (seen.has(day)) return null;
      seen.add(day);
    }
  }
  return groups;
}

function osmTime(minutes: number): string {
  return `${String(Math.floor(minutes / 60)).padStart(2, '0')}:${String(minutes % 60).padStart(2, '0')}`;
}

/** Days as OSM writes them: runs of three or more as "Mo-Fr", others listed ("Mo,Th"). */
function osmDays(days: number[]): string {
  const sorted = [...new Set(days)].sort((a, b) => a - b);
  const parts: string[] = [];
  let start = 0;
  while (start < sorted.length) {
    let end = start;
    while (end + 1 < sorted.length && (sorted[end + 1] as number) === (sorted[end] as number) + 1) end++;
    const first = OSM_DAYS[sorted[start] as number];
    const lastDay = OSM_DAYS[sorted[end] as number];
    if (end - start >= 2) parts.push(`${first}-${lastDay}`);
    else for (let i = start; i <= end; i++) parts.push(OSM_DAYS[sorted[i] as number] as string);
    start = end + 1;
  }
  return parts.join(',');
}

const frenchRewrites = new Map<string, string | null>();

/**
 * Hours written in French words rewritten to OpenStreetMap's form: "lundi 9h-12h et 14h-17h" → "Mo
 * 09:00-12:00,14:00-17:00", "9h-12h et 14h-17h du lundi au vendredi" and "du lundi au vendredi de 9h à 12h"
 * → "Mo-Fr …", several groups ("Lundi et jeudi : 14h à 18h Mardi : 9h à 12h") joined with "; ". null when
 * the text says anything else than days and times (exceptions, holidays, appointments…), pairs them
 * unclearly, or when the opening_hours library does not accept the rewrite. Memoised: files repeat values.
 */
export function rewriteFrenchHours(text: string): string | null {
  let rewrite = frenchRewrites.get(text);
  if (rewrite !== undefined) return rewrite;
  const tokens = tokenizeFrenchHours(text);
  const groups = tokens === null ? null : groupFrenchHours(tokens);
  rewrite =
    groups === null
      ? null
      : groups
          .map(
            (group) =>
              `${osmDays(group.days)} ${group.ranges.map(([from, to]) => `${osmTime(from)}-${osmTime(to)}`).join(',')}`,
          )
          .join('; ');
  if (rewrite !== null && compileHours(rewrite) === null) rewrite = null;
  if (frenchRewrites.size > 50_000) frenchRewrites.clear();
  frenchRewrites.set(text, rewrite);
  return rewrite;
}

/** Days in a row with the same hours, said once: "du lundi au jeudi", "samedi et dimanche", "vendredi". */
export interface DayGroup {
  days: string;
  /** As in DayHours; empty when closed. */
  ranges: string[];
}

/**
 * An ordinary week with the days that share their hours grouped ("du lundi au jeudi : 9 h – 12 h"), so a
 * sheet says each thing once and fits on paper. Only days next to each other are grouped.
 */
export function groupWeek(days: readonly DayHours[]): DayGroup[] {
  const groups: Array<{ first: string; last: string; count: number; ranges: string[] }> = [];
  for (const d of days) {
    const last = groups[groups.length - 1];
    if (last && last.ranges.join('|') === d.ranges.join('|')) {
      last.last = d.day;
      last.count++;
    } else groups.push({ first: d.day, last: d.day, count: 1, ranges: d.ranges });
  }
  return groups.map((g) => ({
    days: g.count === 1 ? g.first : g.count === 2 ? `${g.first} et ${g.last}` : `du ${g.first} au ${g.last}`,
    ranges: g.ranges,
  }));
}
