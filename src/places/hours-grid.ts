import OpeningHours from 'opening_hours';

/**
 * The weekly grid of opening hours of the edit form and its OpenStreetMap text, both ways: a grid written
 * as OSM hours, and OSM hours shown as a grid when the grid can say exactly the same thing. Pure.
 */

export const DAYS = [
  { key: 'lundi', osm: 'Mo' },
  { key: 'mardi', osm: 'Tu' },
  { key: 'mercredi', osm: 'We' },
  { key: 'jeudi', osm: 'Th' },
  { key: 'vendredi', osm: 'Fr' },
  { key: 'samedi', osm: 'Sa' },
  { key: 'dimanche', osm: 'Su' },
] as const;

/** Each day (Monday first): 0, 1 or 2 time ranges ['09:00', '12:00'], in order, not overlapping. */
export type WeekGrid = [string, string][][];

export interface GridHours {
  grid: WeekGrid;
  /** `PH off`: closed on public holidays. */
  holidaysClosed: boolean;
}

export const MAX_RANGES_PER_DAY = 2;

export function minutes(time: string): number {
  const [h, m] = time.split(':').map(Number) as [number, number];
  return h * 60 + m;
}

/** "9", "9h", "9 h 30", "09:30", "9.30" → "09:30"; null when it is not a time of day. `24:00` ends a day. */
export function parseTimeInput(text: string): string | null {
  const t = text.trim().toLowerCase().replace(/\s+/g, '');
  const m = /^(\d{1,2})(?:[:h.](\d{2})?)?$/.exec(t);
  if (!m) return null;
  const h = Number(m[1]);
  const min = m[2] === undefined ? 0 : Number(m[2]);
  if (h > 24 || min > 59 || (h === 24 && min !== 0)) return null;
  return `${String(h).padStart(2, '0')}:${String(min).padStart(2, '0')}`;
}

function parseDays(text: string): number[] | null {
  const days = new Set<number>();
  for (const part of text.split(',')) {
    const range = /^\s*(Mo|Tu|We|Th|Fr|Sa|Su)\s*(?:-\s*(Mo|Tu|We|Th|Fr|Sa|Su))?\s*$/.exec(part);
    if (!range) return null;
    const from = DAYS.findIndex((d) => d.osm === range[1]);
    const to = range[2] ? DAYS.findIndex((d) => d.osm === range[2]) : from;
    if (to < from) return null; // "Sa-Mo" wraps the week: left to the advanced field
    for (let d = from; d <= to; d++) days.add(d);
  }
  return [...days];
}

function parseRanges(text: string): [string, string][] | null {
  const ranges: [string, string][] = [];
  for (const part of text.split(',')) {
    const r = /^\s*(\d{2}:\d{2})\s*-\s*(\d{2}:\d{2})\s*$/.exec(part);
    if (!r) return null;
    const from = parseTimeInput(r[1] ?? '');
    const to = parseTimeInput(r[2] ?? '');
    if (!from || !to || from === '24:00' || minutes(to) <= minutes(from)) return null;
    ranges.push([from, to]);
  }
  return ranges;
}

function openIntervals(osm: string): string | null {
  try {
    const oh = new OpeningHours(osm, null);
    // A fixed week without a French public holiday (the process runs in UTC: local fields are wall clock).
    return JSON.stringify(
      oh
        .getOpenIntervals(new Date(2024, 0, 8), new Date(2024, 0, 15))
        .map(([a, b]) => [a.getTime(), b.getTime()]),
    );
  } catch {
    return null;
  }
}

/** The OSM text of a grid: days with the same hours grouped ("Mo-Fr 09:00-12:00,14:00-17:00; Sa 09:00-12:00"). */
export function gridToOsm(hours: GridHours): string | null {
  const texts = hours.grid.map((ranges) => ranges.map(([a, b]) => `${a}-${b}`).join(','));
  const rules: { first: number; text: string }[] = [];
  const done = new Set<string>();
  texts.forEach((text, day) => {
    if (text === '' || done.has(text)) return;
    done.add(text);
    const days = texts.flatMap((t, d) => (t === text ? [d] : []));
    const parts: string[] = [];
    for (let i = 0; i < days.length; ) {
      let j = i;
      while (j + 1 < days.length && (days[j + 1] as number) === (days[j] as number) + 1) j++;
      const from = DAYS[days[i] as number]?.osm;
      const to = DAYS[days[j] as number]?.osm;
      parts.push(j === i ? `${from}` : `${from}-${to}`);
      i = j + 1;
    }
    rules.push({ first: day, text: `${parts.join(',')} ${text}` });
  });
  if (rules.length === 0) return null;
  const osm = rules.map((r) => r.text).join('; ');
  return hours.holidaysClosed ? `${osm}; PH off` : osm;
}

/**
 * The grid of an OSM text, when the grid can say exactly the same thing: plain weekly rules (days and at
 * most two time ranges a day, later rules replacing earlier ones for their days, `off`, and a final
 * `PH off`). Anything else (alternating weeks, months, comments, overnight ranges…) is null: the text
 * is kept as it is and edited in the advanced field.
 */
export function osmToGrid(osm: string | null): GridHours | null {
  const empty = (): WeekGrid => DAYS.map(() => []);
  if (osm === null || osm.trim() === '') return { grid: empty(), holidaysClosed: false };
  const grid = empty();
  let holidaysClosed = false;
  const rules = osm
    .split(';')
    .map((r) => r.trim())
    .filter((r) => r !== '');
  for (const [i, rule] of rules.entries()) {
    if (/^PH\s+(off|closed)$/i.test(rule)) {
      if (i !== rules.length - 1) return null;
      holidaysClosed = true;
      continue;
    }
    const m = /^([A-Za-z,\s-]+?)\s+(off|closed|\d.*)$/.exec(rule);
    if (!m) return null;
    const days = parseDays(m[1] ?? '');
    if (!days) return null;
    const ranges = /^(off|closed)$/.test(m[2] ?? '') ? [] : parseRanges(m[2] ?? '');
    if (!ranges || ranges.length > MAX_RANGES_PER_DAY) return null;
    const sorted = [...ranges].sort((a, b) => minutes(a[0]) - minutes(b[0]));
    if (sorted.some((r, k) => k > 0 && minutes(r[0]) < minutes((sorted[k - 1] as [string, string])[1])))
      return null;
    for (const d of days) grid[d] = sorted.map((r) => [...r] as [string, string]);
  }
  const hours = { grid, holidaysClosed };
  // The grid must mean exactly what the text means over an ordinary week.
  const again = gridToOsm(hours);
  if (again === null) return rules.every((r) => /^PH\s+(off|closed)$/i.test(r)) ? hours : null;
  const original = openIntervals(osm);
  if (original === null || original !== openIntervals(again)) return null;
  return hours;
}

/**
 * Whether the opening_hours library (the OSM reference) reads the text without error nor warning (it
 * reads "lundi 9h-12h" with warnings: a typed value must be the standard form). `suggestion` is the
 * library's standard writing of what it understood, when it understood something.
 */
export function checkOsmHours(text: string): { ok: boolean; suggestion: string | null } {
  try {
    const oh = new OpeningHours(text, null);
    if (oh.getWarnings().length === 0) return { ok: true, suggestion: null };
    const pretty = oh.prettifyValue();
    return { ok: false, suggestion: pretty && pretty !== text ? pretty : null };
  } catch {
    return { ok: false, suggestion: null };
  }
}
