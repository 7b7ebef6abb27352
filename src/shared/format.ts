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

/**
 * Non-breaking spaces between a number and its unit ("8 h 30", "2 km", "5 €", "800 m"), and around the
 * dash of a range of hours ("9 h – 12 h"), so that a narrow screen or a printed column never leaves a
 * unit alone at the start of a line nor cuts a range in two.
 */
export function keepUnits(text: string): string {
  return text
    .replace(/(\d) (h|min|km|m|€|kilomètres|mètres|minutes)(?![\p{L}])/gu, '$1\u00a0$2')
    .replace(/(\d\u00a0h) (\d{2})(?!\d)/g, '$1\u00a0$2')
    .replace(/(\d\u00a0h(?:\u00a0\d{2})?) – (?=\d)/g, '$1\u00a0–\u00a0');
}
