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
  for (const [from, to] of oh.getOpenIntervals(monday, new Date(2024, 0, 15))) {
    const index = (from.getDay() + 6) % 7;
    const end =
      to.getHours() === 0 && to.getMinutes() === 0 && to.getDate() !== from.getDate()
        ? '24 h'
        : formatTime(to);
    days[index]?.ranges.push(`${formatTime(from)} – ${end}`);
  }
  const varies = /\b(week|PH|SH|easter|Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)\b/.test(osm);
  return { days, varies };
}
