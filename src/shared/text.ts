/**
 * Text cleaning, written once. Every text that comes from outside (a form field, a query parameter, a
 * cell of an imported file) goes through `cleanRawText` in one place before any validation: NUL and the
 * other control characters break PostgreSQL (NUL), pages and exports, and a lone surrogate cannot be
 * stored as UTF-8. Domains then shape a field with `cleanLine` (one line) or `cleanMultiline` (a text
 * area), which also unify accents (NFC) and spaces.
 */

// biome-ignore lint/suspicious/noControlCharactersInRegex: finding control characters is the point.
const CONTROL = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F]/g;
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;
// biome-ignore lint/suspicious/noControlCharactersInRegex: finding control characters is the point.
const NEEDS_CLEANING = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F\uD800-\uDFFF]/;
/** Invisible formatting characters (bidirectional overrides, zero-width spaces…), but the emoji joiner. */
const FORMAT = /(?!\u200D)\p{Cf}/gu;

/**
 * The first pass on any outside text: control characters removed except tab and line breaks (a text
 * area keeps its lines; one-line fields turn them into spaces with `cleanLine`), and lone surrogates
 * replaced by U+FFFD. Nothing else changes: a password goes through it unharmed.
 */
export function cleanRawText(text: string): string {
  if (!NEEDS_CLEANING.test(text)) return text;
  return text.replace(LONE_SURROGATE, '\uFFFD').replace(CONTROL, '');
}

/** Whether `cleanRawText` would change the text. */
export function needsCleaning(text: string): boolean {
  return NEEDS_CLEANING.test(text);
}

/** A one-line field: controls and invisible formatting removed, accents unified, spaces collapsed. */
export function cleanLine(text: string): string {
  return cleanRawText(text).normalize('NFC').replace(FORMAT, '').replace(/\s+/g, ' ').trim();
}

/**
 * A text area: same as `cleanLine`, but line breaks are kept (as `\n`, at most two in a row) and
 * spaces within a line collapsed.
 */
export function cleanMultiline(text: string): string {
  return cleanRawText(text)
    .normalize('NFC')
    .replace(FORMAT, '')
    .replace(/\r\n?/g, '\n')
    .replace(/[^\S\n]+/g, ' ')
    .replace(/ ?\n ?/g, '\n')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
}

// --- Searching names as people type them: one fold for the whole product ---

/**
 * Lowercase, no accents, apostrophes and hyphens as spaces: "Médiathèque  Saint-Jean" and "mediatheque
 * saint jean" compare equal. Repositories fold stored text the same way in SQL (db/fold.ts, with FOLD_FROM/TO below).
 */
export function foldForSearch(text: string): string {
  return text
    .normalize('NFD')
    .replace(/\p{Diacritic}/gu, '')
    .toLowerCase()
    .replace(/œ/g, 'oe')
    .replace(/æ/g, 'ae')
    .replace(/[’'`-]/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
}

/**
 * Characters folded by SQL translate(): accented letters (both cases: lower() may leave them alone under
 * the C locale) to plain ones, apostrophes and hyphens to spaces.
 */
export const FOLD_FROM = "àáâãäåçèéêëìíîïñòóôõöùúûüýÿÀÁÂÃÄÅÇÈÉÊËÌÍÎÏÑÒÓÔÕÖÙÚÛÜÝŸ’'`-";
export const FOLD_TO = 'aaaaaaceeeeiiiinooooouuuuyyaaaaaaceeeeiiiinooooouuuuyy    ';

/** The words of a folded search, each of which must appear in the name (at most 8). */
export function searchWords(folded: string): string[] {
  return folded.split(' ').filter(Boolean).slice(0, 8);
}

/**
 * A label inside a sentence: its first letter in lower case unless its first word is an acronym
 * ("Faire une démarche CAF" → "faire une démarche CAF", "ANTS" stays "ANTS").
 */
export function inSentence(label: string): string {
  const first = label.split(/[\s'’-]/, 1)[0] ?? '';
  if (first.length > 1 && first === first.toUpperCase()) return label;
  return label.charAt(0).toLowerCase() + label.slice(1);
}
