import { stringify } from 'csv-stringify/sync';

/**
 * A CSV for people who open it in a spreadsheet in France (decision 0004): semicolons, UTF-8 with a
 * BOM, `\r\n` line endings, and every text a spreadsheet would run as a formula (starting with = + - @,
 * a tab or a carriage return: CSV injection, OWASP) prefixed with an apostrophe — plain numbers and
 * phone numbers (+33…) are left as they are.
 */
export function spreadsheetCsv(rows: readonly (readonly (string | number | null)[])[]): string {
  return `\uFEFF${stringify(
    rows.map((row) => row.map((cell) => inertCell(cell === null ? '' : String(cell)))),
    { delimiter: ';', record_delimiter: '\r\n' },
  )}`;
}

/** A cell made inert for spreadsheets (see spreadsheetCsv). */
export function inertCell(value: string): string {
  if (!/^[=+\-@\t\r]/.test(value) || /^[+-]?[\d .]+$/.test(value)) return value;
  return `'${value}`;
}
