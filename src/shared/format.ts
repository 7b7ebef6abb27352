/** French formats shared by pages (no business rules). */
const LONG_DATE = new Intl.DateTimeFormat('fr-FR', {
  day: 'numeric',
  month: 'long',
  year: 'numeric',
  timeZone: 'UTC',
});

/** '2025-01-14' → '14 janvier 2025' */
export function formatIsoDate(iso: string): string {
  const date = new Date(`${iso}T00:00:00Z`);
  return Number.isNaN(date.getTime()) ? iso : LONG_DATE.format(date);
}

/** 1234 → '1 234' */
export function formatInteger(n: number): string {
  return new Intl.NumberFormat('fr-FR').format(n).replace(/\u202f/g, ' ');
}
