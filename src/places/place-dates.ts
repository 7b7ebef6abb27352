/**
 * Dates of places, pure: today where the place is, days added, dates typed in a form or written in French
 * ("1er août 2025", "du 1er au 15 août"). Dates are 'YYYY-MM-DD' strings in the place's local calendar.
 */

const dayFormatters = new Map<string, Intl.DateTimeFormat>();

/** Today's date ('YYYY-MM-DD') where the place is (Europe/Paris unless told otherwise). */
export function localToday(now: Date, timeZone = 'Europe/Paris'): string {
  let f = dayFormatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' });
    dayFormatters.set(timeZone, f);
  }
  return f.format(now);
}

export function addDays(iso: string, days: number): string {
  const d = new Date(`${iso}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}

/** '2025-08-01' → '01/08/2025', as people write dates (and as the form shows them). */
export function frenchDate(iso: string): string {
  const [y, m, d] = iso.split('-');
  return `${d}/${m}/${y}`;
}

/** A date typed in a form: 'YYYY-MM-DD' (date fields) or 'JJ/MM/AAAA'; null when it is not a real date. */
export function parseDateInput(text: string): string | null {
  const t = text.trim();
  const iso = /^(\d{4})-(\d{1,2})-(\d{1,2})$/.exec(t);
  const fr = /^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})$/.exec(t);
  let year: number;
  let month: number;
  let day: number;
  if (iso) [year, month, day] = [Number(iso[1]), Number(iso[2]), Number(iso[3])];
  else if (fr) [day, month, year] = [Number(fr[1]), Number(fr[2]), Number(fr[3])];
  else return null;
  const d = new Date(Date.UTC(year, month - 1, day));
  if (d.getUTCFullYear() !== year || d.getUTCMonth() !== month - 1 || d.getUTCDate() !== day) return null;
  return d.toISOString().slice(0, 10);
}

const MONTHS = [
  'janvier',
  'février',
  'mars',
  'avril',
  'mai',
  'juin',
  'juillet',
  'août',
  'septembre',
  'octobre',
  'novembre',
  'décembre',
];

/** '2025-08-01' → '1er août 2025' ('1er août' without the year). */
export function formatDay(iso: string, withYear = true): string {
  const [y, m, d] = iso.split('-').map(Number) as [number, number, number];
  return `${d === 1 ? '1er' : d} ${MONTHS[m - 1] ?? ''}${withYear ? ` ${y}` : ''}`;
}

/**
 * A closure's period in words: "du 1er au 15 août", "du 28 juillet au 3 août", "le 14 juillet"; the
 * year is written when the period is not within the current year.
 */
export function formatClosurePeriod(startsOn: string, endsOn: string, today: string): string {
  const year = today.slice(0, 4);
  const withYear = startsOn.slice(0, 4) !== year || endsOn.slice(0, 4) !== year;
  if (startsOn === endsOn) return `le ${formatDay(startsOn, withYear)}`;
  if (startsOn.slice(0, 7) === endsOn.slice(0, 7)) {
    const d = Number(startsOn.slice(8, 10));
    return `du ${d === 1 ? '1er' : d} au ${formatDay(endsOn, withYear)}`;
  }
  const sameYear = startsOn.slice(0, 4) === endsOn.slice(0, 4);
  return `du ${formatDay(startsOn, withYear && !sameYear)} au ${formatDay(endsOn, withYear)}`;
}
