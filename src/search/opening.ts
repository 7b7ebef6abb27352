import OpeningHours from 'opening_hours';

/**
 * Opening hours evaluated where the place is: its own time zone (Europe/Paris, or the overseas one from
 * its département) and its public holidays (`PH`, with regional ones: Alsace-Moselle, abolition of
 * slavery overseas). opening_hours reads local clock fields, so instants are turned into the place's
 * wall clock first; the entry points run with TZ=UTC, which has no daylight-saving gap.
 */
interface Region {
  timeZone: string;
  state: string;
  lat: number;
  lon: number;
}

const METROPOLE: Region = { timeZone: 'Europe/Paris', state: 'Centre-Val de Loire', lat: 47.9, lon: 1.9 };
const REGIONS: Record<string, Region> = {
  '971': { timeZone: 'America/Guadeloupe', state: 'Guadeloupe', lat: 16.2, lon: -61.5 },
  '972': { timeZone: 'America/Martinique', state: 'Martinique', lat: 14.6, lon: -61 },
  '973': { timeZone: 'America/Cayenne', state: 'Guyane', lat: 4.9, lon: -52.3 },
  '974': { timeZone: 'Indian/Reunion', state: 'La Réunion', lat: -21.1, lon: 55.5 },
  '975': { timeZone: 'America/Miquelon', state: 'Saint-Pierre-et-Miquelon', lat: 46.8, lon: -56.2 },
  '976': { timeZone: 'Indian/Mayotte', state: 'Mayotte', lat: -12.8, lon: 45.2 },
  '977': { timeZone: 'America/St_Barthelemy', state: 'Saint-Barthélemy', lat: 17.9, lon: -62.8 },
  '978': { timeZone: 'America/Marigot', state: 'Saint-Martin', lat: 18.1, lon: -63.1 },
  '986': { timeZone: 'Pacific/Wallis', state: 'Wallis-et-Futuna', lat: -13.3, lon: -176.2 },
  '987': { timeZone: 'Pacific/Tahiti', state: 'Polynésie française', lat: -17.5, lon: -149.6 },
  '988': { timeZone: 'Pacific/Noumea', state: 'Nouvelle-Calédonie', lat: -22.3, lon: 166.5 },
  '57': { ...METROPOLE, state: 'Moselle', lat: 49.1, lon: 6.2 },
  '67': { ...METROPOLE, state: 'Moselle', lat: 48.6, lon: 7.7 },
  '68': { ...METROPOLE, state: 'Moselle', lat: 47.8, lon: 7.3 },
};

/** The region of a place from its INSEE code (or postcode when the code is unknown). */
export function regionOf(codeInsee: string | null, codePostal: string | null): Region {
  const code = codeInsee ?? codePostal ?? '';
  if (code.startsWith('97') || code.startsWith('98')) return REGIONS[code.slice(0, 3)] ?? METROPOLE;
  return REGIONS[code.slice(0, 2)] ?? METROPOLE;
}

const compiled = new Map<string, OpeningHours | null>();

/** Compiled once per (hours, region): parsing costs ~0.5 ms. null when the value cannot be read. */
export function compileOpeningHours(value: string, region: Region): OpeningHours | null {
  const key = `${region.state}\u0000${value}`;
  let oh = compiled.get(key);
  if (oh === undefined) {
    try {
      oh = new OpeningHours(
        value,
        { lat: region.lat, lon: region.lon, address: { country_code: 'fr', state: region.state } } as never,
        { locale: 'fr' } as never,
      );
    } catch {
      oh = null;
    }
    if (compiled.size > 100_000) compiled.clear();
    compiled.set(key, oh);
  }
  return oh;
}

const formatters = new Map<string, Intl.DateTimeFormat>();

/** The wall clock of `instant` in `timeZone`, as a Date whose local fields carry it. */
export function wallClock(instant: Date, timeZone: string): Date {
  let f = formatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-GB', {
      timeZone,
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
      hourCycle: 'h23',
    });
    formatters.set(timeZone, f);
  }
  // formatToParts costs ~20 µs: the last answer per time zone is kept for the same second.
  const second = Math.floor(instant.getTime() / 1000);
  const last = lastWallClock.get(timeZone);
  if (last && last.second === second) return new Date(last.wall);
  const parts: Record<string, number> = {};
  for (const p of f.formatToParts(instant)) if (p.type !== 'literal') parts[p.type] = Number(p.value);
  const wall = new Date(
    parts.year ?? 1970,
    (parts.month ?? 1) - 1,
    parts.day ?? 1,
    parts.hour ?? 0,
    parts.minute ?? 0,
    parts.second ?? 0,
  );
  lastWallClock.set(timeZone, { second, wall: wall.getTime() });
  return wall;
}

const lastWallClock = new Map<string, { second: number; wall: number }>();

/** "9 h", "14 h 30" */
export function formatClock(date: Date): string {
  const h = date.getHours();
  const m = date.getMinutes();
  return m === 0 ? `${h} h` : `${h} h ${String(m).padStart(2, '0')}`;
}

const DAY_MONTH = new Intl.DateTimeFormat('fr-FR', {
  weekday: 'long',
  day: 'numeric',
  month: 'long',
  timeZone: 'UTC',
});

/** A wall-clock date as "mardi 14 janvier" (its local fields read as they are). */
export function formatDayMonth(wall: Date): string {
  return DAY_MONTH.format(new Date(Date.UTC(wall.getFullYear(), wall.getMonth(), wall.getDate())));
}

function startOfDay(wall: Date, plusDays = 0): Date {
  return new Date(wall.getFullYear(), wall.getMonth(), wall.getDate() + plusDays);
}

export interface OpeningStatus {
  /** null when the hours are unknown or unreadable. */
  openNow: boolean | null;
  /** Today's ranges, e.g. ["9 h – 12 h", "14 h – 18 h"]; [] closed today; null unknown. */
  today: string[] | null;
  /** When it opens next, in words ("mardi 14 janvier à 9 h 30"), when closed now. */
  nextOpening: string | null;
  /** Open at some time on the coming Saturday (today when today is Saturday). */
  saturday: boolean | null;
  /** When it opens next, as parts the pages word themselves ("ouvre lundi à 8 h 30"), when closed now. */
  next?: NextOpening | null;
  /** When it closes, when open now: the time and the minutes left. */
  closesAt?: { time: string; inMinutes: number } | null;
}

/** The next opening: in how many days from today (0 today, 1 tomorrow), the day in words, the time. */
export interface NextOpening {
  inDays: number;
  /** "lundi" */
  weekday: string;
  /** "lundi 10 février" */
  date: string;
  /** "9 h 30" */
  time: string;
}

const DAY_MS = 86_400_000;
const WINDOW_DAYS = 8;
const UNKNOWN: OpeningStatus = Object.freeze({
  openNow: null,
  today: null,
  nextOpening: null,
  saturday: null,
});

/** A temporary closure: both days included, the place's local dates ('YYYY-MM-DD'). */
export interface Closure {
  startsOn: string;
  endsOn: string;
}

/** Local midnight of a 'YYYY-MM-DD' date, as a wall-clock Date (local fields carry the date). */
function wallDay(iso: string, plusDays = 0): number {
  const [y, m, d] = iso.split('-').map(Number) as [number, number, number];
  return new Date(y, m - 1, d + plusDays).getTime();
}

/** The intervals minus the closed ranges (both sorted or not: closures are few). */
function subtract(intervals: [number, number][], closed: readonly [number, number][]): [number, number][] {
  if (closed.length === 0) return intervals;
  let pieces = intervals;
  for (const [c, d] of closed) {
    const next: [number, number][] = [];
    for (const [a, b] of pieces) {
      if (b <= c || a >= d) next.push([a, b]);
      else {
        if (a < c) next.push([a, c]);
        if (b > d) next.push([d, b]);
      }
    }
    pieces = next;
  }
  return pieces;
}

/**
 * The open intervals of WINDOW_DAYS days from a day's start, kept per compiled hours: places with the
 * same hours in the same region share one compiled object (compileOpeningHours), so the rules are
 * evaluated once a day for all of them and the result survives the index's reloads. Evaluating them
 * costs a fraction of a millisecond a place; without this, the first searches after each change of the
 * directory paid it again for every place they showed.
 */
const intervalsByHours = new WeakMap<OpeningHours, { day: number; intervals: [number, number][] }>();

function openIntervalsFrom(oh: OpeningHours, day: number): [number, number][] {
  const known = intervalsByHours.get(oh);
  if (known?.day === day) return known.intervals;
  const intervals = oh
    .getOpenIntervals(new Date(day), new Date(day + WINDOW_DAYS * DAY_MS))
    .map(([a, b]): [number, number] => [a.getTime(), b.getTime()]);
  intervalsByHours.set(oh, { day, intervals });
  return intervals;
}

/**
 * A place's opening intervals for the coming days, computed once a day from its compiled hours and its
 * temporary closures (a place inside a closure is closed, whatever its weekly hours): "open now" is
 * then a search in a short list (microseconds) instead of an evaluation of the OSM rules (~0.1 ms),
 * which matters when every search answers 20 places.
 */
export class Schedule {
  readonly #oh: OpeningHours | null;
  readonly timeZone: string;
  /** Closed ranges [from, to) in wall-clock milliseconds. */
  readonly #closed: [number, number][];
  #day = Number.NaN;
  #intervals: [number, number][] = [];
  #cachedMinute = Number.NaN;
  #cached: OpeningStatus = UNKNOWN;

  constructor(oh: OpeningHours | null, timeZone: string, closures: readonly Closure[] = []) {
    this.#oh = oh;
    this.timeZone = timeZone;
    this.#closed = closures.map((c) => [wallDay(c.startsOn), wallDay(c.endsOn, 1)]);
  }

  get known(): boolean {
    return this.#oh !== null;
  }

  #inClosure(t: number): boolean {
    return this.#closed.some(([a, b]) => a <= t && t < b);
  }

  #window(wallNow: Date): [number, number][] {
    const day = startOfDay(wallNow).getTime();
    if (day !== this.#day && this.#oh) {
      this.#intervals = subtract(openIntervalsFrom(this.#oh, day), this.#closed);
      this.#day = day;
    }
    return this.#intervals;
  }

  /** The first opening after `t` within 60 days, closures left out. */
  #firstOpeningAfter(t: number, dayStart: number): Date | null {
    if (!this.#oh) return null;
    if (this.#closed.length === 0)
      return this.#oh.getNextChange(new Date(t), new Date(dayStart + 60 * DAY_MS)) ?? null;
    const open = subtract(
      this.#oh
        .getOpenIntervals(new Date(t), new Date(dayStart + 60 * DAY_MS))
        .map(([a, b]) => [a.getTime(), b.getTime()]),
      this.#closed,
    );
    const first = open.find(([a, b]) => b > t && a >= t);
    return first ? new Date(first[0]) : null;
  }

  /** Open at this wall-clock time? null when the hours are unknown (false inside a closure). */
  openAt(wallNow: Date): boolean | null {
    const t = wallNow.getTime();
    if (!this.#oh) return this.#inClosure(t) ? false : null;
    return this.#window(wallNow).some(([a, b]) => a <= t && t < b);
  }

  /** The status at this wall-clock time; the same for a whole minute, so it is kept for that minute. */
  status(wallNow: Date): OpeningStatus {
    if (!this.#oh) {
      if (!this.#inClosure(wallNow.getTime())) return UNKNOWN;
      return { openNow: false, today: [], nextOpening: null, saturday: null };
    }
    const minute = Math.floor(wallNow.getTime() / 60_000);
    if (minute !== this.#cachedMinute) {
      this.#cached = this.#compute(new Date(minute * 60_000));
      this.#cachedMinute = minute;
    }
    return this.#cached;
  }

  #compute(wallNow: Date): OpeningStatus {
    if (!this.#oh) return UNKNOWN;
    const intervals = this.#window(wallNow);
    const t = wallNow.getTime();
    const dayStart = startOfDay(wallNow).getTime();
    const dayEnd = dayStart + DAY_MS;
    const openNow = intervals.some(([a, b]) => a <= t && t < b);
    const today = intervals
      .filter(([a, b]) => a < dayEnd && b > dayStart)
      .map(
        ([a, b]) =>
          `${formatClock(new Date(Math.max(a, dayStart)))} – ${b >= dayEnd ? '24 h' : formatClock(new Date(b))}`,
      );
    let nextOpening: string | null = null;
    let nextParts: NextOpening | null = null;
    let closesAt: { time: string; inMinutes: number } | null = null;
    if (!openNow) {
      const nextStart = intervals.find(([a]) => a > t)?.[0];
      const next = nextStart !== undefined ? new Date(nextStart) : this.#firstOpeningAfter(t, dayStart);
      if (next) {
        const date = formatDayMonth(next);
        nextOpening = `${next.getTime() < dayEnd ? "aujourd'hui" : date} à ${formatClock(next)}`;
        nextParts = {
          inDays: Math.round((startOfDay(next).getTime() - dayStart) / DAY_MS),
          weekday: date.split(' ')[0] ?? date,
          date,
          time: formatClock(next),
        };
      }
    } else {
      // The end of the open interval, joined to the next one when they touch (a day open until 24 h).
      let end = intervals.find(([a, b]) => a <= t && t < b)?.[1] ?? t;
      for (const [a, b] of intervals) if (a === end) end = b;
      const endDate = new Date(end);
      // Open around the clock (the interval runs past a day from now): no closing time to say.
      if (end - t < DAY_MS)
        closesAt = {
          time: end === dayEnd ? '24 h' : formatClock(endDate),
          inMinutes: Math.round((end - t) / 60_000),
        };
    }
    const toSaturday = (6 - wallNow.getDay() + 7) % 7;
    const satStart = dayStart + toSaturday * DAY_MS;
    const saturday = intervals.some(([a, b]) => a < satStart + DAY_MS && b > satStart);
    return { openNow, today, nextOpening, saturday, next: nextParts, closesAt };
  }
}

/** Whether a place is open at `instant`, its hours today and next opening, where the place is. */
export function openingStatus(
  oh: OpeningHours | null,
  timeZone: string,
  instant: Date,
  closures: readonly Closure[] = [],
): OpeningStatus {
  return new Schedule(oh, timeZone, closures).status(wallClock(instant, timeZone));
}
