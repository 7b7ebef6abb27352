/**
 * Figures of use, pure: what is counted and how it is named in French. A count is a day, a kind and a
 * number — never an address, a cookie, a query or an identifier of a person or a place.
 */
export const USAGE_KINDS = ['search', 'place_view', 'diagnostic_finished', 'orientation_sent'] as const;
export type UsageKind = (typeof USAGE_KINDS)[number];

export const USAGE_LABELS: Record<UsageKind, string> = {
  search: 'recherches de lieux',
  place_view: 'fiches de lieux consultées',
  diagnostic_finished: 'diagnostics terminés',
  orientation_sent: 'orientations envoyées',
};

/** How many days the home page's "week" covers: today and the six days before (dates in France). */
export const USAGE_WEEK_DAYS = 7;

export function isUsageKind(value: string): value is UsageKind {
  return (USAGE_KINDS as readonly string[]).includes(value);
}

/** The date in France ('YYYY-MM-DD') of an instant: the day a use is counted on. */
export function franceDay(instant: Date): string {
  return new Intl.DateTimeFormat('en-CA', {
    timeZone: 'Europe/Paris',
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
  }).format(instant);
}

/** The day `days` before a 'YYYY-MM-DD' day (calendar arithmetic, no time zone involved). */
export function daysBefore(day: string, days: number): string {
  const d = new Date(`${day}T12:00:00Z`);
  d.setUTCDate(d.getUTCDate() - days);
  return d.toISOString().slice(0, 10);
}
