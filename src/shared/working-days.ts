/**
 * Calendar days as 'YYYY-MM-DD' strings, and French working days: Monday to Friday, except the eleven
 * national public holidays (Code du travail, art. L3133-1; Easter Monday, Ascension and Whit Monday from
 * Easter). Alsace-Moselle's two extra days (Good Friday, 26 December) are not counted: a deadline there
 * is one day shorter, never longer.
 */

const PARIS_DAY = new Intl.DateTimeFormat('en-CA', {
  timeZone: 'Europe/Paris',
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
});

/** The calendar day of an instant in mainland France ('2026-12-07'). */
export function parisDay(instant: Date): string {
  return PARIS_DAY.format(instant);
}

const ISO_DAY = /^(\d{4})-(\d{2})-(\d{2})$/;

/** Whether the text is a real calendar day written 'YYYY-MM-DD' (no 31 February). */
export function isIsoDay(text: string): boolean {
  const m = ISO_DAY.exec(text);
  if (!m) return false;
  const d = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])));
  return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === text;
}

const toDate = (iso: string) => new Date(`${iso}T00:00:00Z`);
const toIso = (d: Date) => d.toISOString().slice(0, 10);

/** The day `n` calendar days after (or before, n < 0) `iso`. */
export function addCalendarDays(iso: string, n: number): string {
  const d = toDate(iso);
  d.setUTCDate(d.getUTCDate() + n);
  return toIso(d);
}

/** Calendar days from `from` to `to` (negative when `to` is before). */
export function daysBetween(from: string, to: string): number {
  return Math.round((toDate(to).getTime() - toDate(from).getTime()) / 86_400_000);
}

/** 0 = Monday … 6 = Sunday. */
export function weekdayOf(iso: string): number {
  return (toDate(iso).getUTCDay() + 6) % 7;
}

/** Easter Sunday of a year (anonymous Gregorian algorithm, Meeus/Jones/Butcher). */
export function easterSunday(year: number): string {
  const a = year % 19;
  const b = Math.floor(year / 100);
  const c = year % 100;
  const d = Math.floor(b / 4);
  const e = b % 4;
  const f = Math.floor((b + 8) / 25);
  const g = Math.floor((b - f + 1) / 3);
  const h = (19 * a + b - d - g + 15) % 30;
  const i = Math.floor(c / 4);
  const k = c % 4;
  const l = (32 + 2 * e + 2 * i - h - k) % 7;
  const m = Math.floor((a + 11 * h + 22 * l) / 451);
  const month = Math.floor((h + l - 7 * m + 114) / 31);
  const day = ((h + l - 7 * m + 114) % 31) + 1;
  return `${year}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
}

const holidays = new Map<number, ReadonlySet<string>>();

/** The national public holidays of a year. */
export function frenchPublicHolidays(year: number): ReadonlySet<string> {
  let set = holidays.get(year);
  if (!set) {
    const easter = easterSunday(year);
    set = new Set([
      ...['01-01', '05-01', '05-08', '07-14', '08-15', '11-01', '11-11', '12-25'].map(
        (md) => `${year}-${md}`,
      ),
      addCalendarDays(easter, 1), // lundi de Pâques
      addCalendarDays(easter, 39), // Ascension
      addCalendarDays(easter, 50), // lundi de Pentecôte
    ]);
    holidays.set(year, set);
  }
  return set;
}

export function isPublicHoliday(iso: string): boolean {
  return frenchPublicHolidays(Number(iso.slice(0, 4))).has(iso);
}

/** Monday to Friday and not a public holiday. */
export function isWorkingDay(iso: string): boolean {
  return weekdayOf(iso) < 5 && !isPublicHoliday(iso);
}

/** The `n`-th working day after `iso` (n ≥ 1); `iso` itself never counts. */
export function addWorkingDays(iso: string, n: number): string {
  let day = iso;
  for (let left = n; left > 0; ) {
    day = addCalendarDays(day, 1);
    if (isWorkingDay(day)) left--;
  }
  return day;
}
