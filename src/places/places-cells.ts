import OpeningHours from 'opening_hours';
import { normalizePhone } from '../shared/phone.ts';
import { cleanRawText } from '../shared/text.ts';
import { PRESENTATION_RESUME_MAX_LENGTH } from './schema-values.ts';

/**
 * One cell of an imported file read as a clean value: text, list, decimal, date, web address, phone,
 * enumeration value, valid opening hours, a resume fitted to the schema's limit. Pure; the row's rules
 * (what is refused, what is warned about) are in places-row.ts. Memoised where a file repeats values.
 */

const PRINTABLE_ASCII = /^[\x20-\x7E]*$/;

/**
 * Every cell of an imported file goes through here: control characters and lone surrogates out (the
 * shared first pass on outside text), accents unified. Line breaks are kept: a text area keeps them,
 * one-line fields turn them into spaces, list fields into their separator.
 */
export function cleanText(text: string): string {
  // Printable ASCII (most values) is already NFC and holds no control character.
  if (PRINTABLE_ASCII.test(text)) return text;
  return cleanRawText(text).normalize('NFC');
}

/** How a raw value is shown back to the user in an issue. */
export function displayValue(value: unknown): string | null {
  if (value === null || value === undefined) return null;
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (Array.isArray(value)) return value.map((item) => displayValue(item) ?? '').join('|');
  return JSON.stringify(value);
}

type ScalarResult = { readonly text: string | null; readonly structured: boolean };
const ABSENT: ScalarResult = Object.freeze({ text: null, structured: false });

/** A raw string as trimmed text, null when empty (toText's common case, without a result object). */
export function stringText(value: string): string | null {
  if (value === '') return null;
  const text = cleanText(value).trim();
  return text === '' ? null : text;
}

/** One raw value as trimmed text (null when absent or empty); arrays are joined with `|`. */
export function toText(value: unknown): ScalarResult {
  if (value === null || value === undefined) return ABSENT;
  if (typeof value === 'string') return { text: stringText(value), structured: false };
  if (typeof value === 'number')
    return { text: Number.isFinite(value) ? String(value) : null, structured: false };
  if (typeof value === 'boolean') return { text: String(value), structured: false };
  if (Array.isArray(value)) {
    const parts: string[] = [];
    let structured = false;
    for (const item of value) {
      const part = toText(item);
      structured ||= part.structured;
      if (part.text !== null) parts.push(part.text);
    }
    return { text: parts.length > 0 ? parts.join('|') : null, structured };
  }
  return { text: null, structured: true };
}

/** Splits a multi-valued raw value (array or `|`-joined string) into trimmed, non-empty, distinct items. */
export function toList(value: unknown, separators: RegExp): { items: string[]; structured: boolean } {
  if (typeof value === 'string') return { items: splitText(value, separators), structured: false };
  const sources = Array.isArray(value) ? value : [value];
  const items: string[] = [];
  let structured = false;
  for (const source of sources) {
    const { text, structured: isStructured } = toText(source);
    structured ||= isStructured;
    if (text === null) continue;
    for (const part of text.split(separators)) {
      const item = part.trim();
      if (item !== '' && !items.includes(item)) items.push(item);
    }
  }
  return { items, structured };
}

/** Whitespace that oneLine changes: a run of two, or any whitespace but a plain space. */
const NOT_ONE_LINE = /\s\s|[^\S ]/;

/** toList of a string, the common case: no split for a single value (the separators are not global). */
export function splitText(value: string, separators: RegExp): string[] {
  const text = stringText(value);
  if (text === null) return [];
  if (!separators.test(text)) return [text];
  const items: string[] = [];
  for (const part of text.split(separators)) {
    const item = part.trim();
    if (item !== '' && !items.includes(item)) items.push(item);
  }
  return items;
}

export function oneLine(text: string | null): string | null {
  // replace() copies the text even when nothing matches: most values are already on one line.
  return text === null || !NOT_ONE_LINE.test(text) ? text : text.replace(/\s+/g, ' ');
}

/** A listed value folded for comparison: accents, case, apostrophes and runs of spaces do not matter. */
export function foldValue(value: string): string {
  return value
    .normalize('NFD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/[’‘`´]/g, "'")
    .replace(/\s+/g, ' ');
}

/**
 * The key under which enumeration values are compared: accents, case, apostrophes and spacing around
 * parentheses and French quotes do not matter (producers type "Etudiants", "gratuit", "Étapes numériques(La
 * Poste)"); the stored value is always the canonical one.
 */
function enumKey(value: string): string {
  return foldValue(value)
    .replace(/\s*\(\s*/g, '(')
    .replace(/\s*\)/g, ')')
    .replace(/«\s*/g, '«')
    .replace(/\s*»/g, '»')
    .trim();
}

interface EnumLookup {
  byKey: Map<string, string>;
  /** Values as written → canonical value or null: files repeat the same few spellings on every row. */
  written: Map<string, string | null>;
}
const enumLookups = new WeakMap<readonly string[], EnumLookup>();
/** Bounds each memo of written spellings (an import of free texts must not grow memory forever). */
const ENUM_MEMO_LIMIT = 10_000;

/** The canonical spelling of `value` in `values`, or null when it is not one of them. */
export function canonicalEnumValue(values: readonly string[], value: string): string | null {
  let lookup = enumLookups.get(values);
  if (!lookup) {
    const byKey = new Map(values.map((allowed) => [enumKey(allowed), allowed]));
    lookup = { byKey, written: new Map() };
    enumLookups.set(values, lookup);
  }
  const known = lookup.written.get(value);
  if (known !== undefined) return known;
  const canonical = lookup.byKey.get(enumKey(value)) ?? null;
  if (lookup.written.size >= ENUM_MEMO_LIMIT) lookup.written.clear();
  lookup.written.set(value, canonical);
  return canonical;
}

/** A decimal number written with a point (or a French comma), possibly with an exponent. */
export function parseDecimal(text: string): number | null {
  let candidate = /\s/.test(text) ? text.replace(/\s/g, '') : text;
  if (/^[+-]?\d*,\d+$/.test(candidate)) candidate = candidate.replace(',', '.');
  if (!/^[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?$/.test(candidate)) return null;
  const number = Number(candidate);
  return Number.isFinite(number) ? number : null;
}

/**
 * The telephone field: the first recognisable number of the text, and whether something else (another
 * number, a comment) was dropped.
 */
export function normalizePhoneField(text: string): { phone: string | null; droppedSomething: boolean } {
  const parts = text.split(/[|;,]|\s\/\s|\s(?:ou|et)\s/i);
  for (const part of parts) {
    for (const match of part.matchAll(/(?:\+|00)?\d[\d\s.\-/()]*\d/g)) {
      const phone = normalizePhone(match[0]);
      if (phone !== null) {
        const rest = text.replace(match[0], '');
        return { phone, droppedSomething: /[\p{L}\p{N}]/u.test(rest) };
      }
    }
  }
  return { phone: null, droppedSomething: false };
}

/** One web address, with https:// added when no scheme is written, or null when it is not one. */
export function normalizeUrl(text: string): string | null {
  let url = text.trim();
  if (url === '' || /\s/.test(url)) return null;
  // No scheme written ("www.exemple.fr", "exemple.fr:8080"): https is today's default. Another scheme
  // (javascript:, mailto:) is kept here only to be refused below.
  if (!/^[a-z][a-z0-9+.-]*:(?!\d)/i.test(url)) url = `https://${url.replace(/^\/\//, '')}`;
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return null;
  }
  if (parsed.protocol !== 'https:' && parsed.protocol !== 'http:') return null;
  const labels = parsed.hostname.split('.');
  if (labels.length < 2 || labels.some((label) => label === '')) return null;
  return url;
}

const parsedDates = new Map<string, string | null>();
const PARSED_DATES_LIMIT = 10_000;

/** Dates as 'YYYY-MM-DD' from ISO dates, ISO timestamps (their own calendar day) and DD/MM/YYYY. */
export function parseDate(text: string): string | null {
  // A file repeats the same few dates: memoised (bounded, as the other memos).
  let parsed = parsedDates.get(text);
  if (parsed === undefined) {
    parsed = parseDateText(text);
    if (parsedDates.size >= PARSED_DATES_LIMIT) parsedDates.clear();
    parsedDates.set(text, parsed);
  }
  return parsed;
}

function parseDateText(text: string): string | null {
  let year: number;
  let month: number;
  let day: number;
  const iso =
    /^(\d{4})-(\d{1,2})-(\d{1,2})(?:[T ]\d{1,2}:\d{2}(?::\d{2}(?:[.,]\d+)?)?\s*(?:Z|[+-]\d{2}(?::?\d{2})?)?)?$/i.exec(
      text,
    );
  const french = iso ? null : /^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})$/.exec(text);
  if (iso) {
    [year, month, day] = [Number(iso[1]), Number(iso[2]), Number(iso[3])];
  } else if (french) {
    [day, month, year] = [Number(french[1]), Number(french[2]), Number(french[3])];
  } else {
    return null;
  }
  const date = new Date(Date.UTC(year, month - 1, day));
  if (date.getUTCFullYear() !== year || date.getUTCMonth() !== month - 1 || date.getUTCDate() !== day) {
    return null;
  }
  return date.toISOString().slice(0, 10);
}

const openingHoursValidity = new Map<string, boolean>();
const OPENING_HOURS_MEMO_LIMIT = 50_000;

/** Whether the opening_hours library parses the text; memoised because a parse costs ~0.5 ms. */
export function isValidOpeningHours(text: string): boolean {
  const known = openingHoursValidity.get(text);
  if (known !== undefined) return known;
  let valid: boolean;
  try {
    new OpeningHours(text, null);
    valid = true;
  } catch {
    valid = false;
  }
  // A bounded memo: an import of distinct strings must not grow memory forever.
  if (openingHoursValidity.size >= OPENING_HOURS_MEMO_LIMIT) openingHoursValidity.clear();
  openingHoursValidity.set(text, valid);
  return valid;
}

export function characterLength(text: string): number {
  let length = 0;
  for (const _ of text) length++;
  return length;
}

/**
 * Cuts a text to at most `max` characters (code points, as the schema counts them), at a word boundary,
 * ending with "…".
 */
function cutAtWordBoundary(text: string, max: number): string {
  const characters = Array.from(text);
  if (characters.length <= max) return text;
  const head = characters.slice(0, max - 1).join('');
  const next = characters[max - 1] ?? ' ';
  let cut = head;
  if (!/\s/u.test(next)) {
    const lastSpace = head.search(/\s\S*$/u);
    if (lastSpace > 0) cut = head.slice(0, lastSpace);
  }
  cut = cut.replace(/[\s,;:\-–—]+$/u, '');
  return `${cut === '' ? head : cut}…`;
}

/** The resume within the schema's limit, the full text kept at the head of the detail. */
export function fitPresentation(
  resume: string | null,
  detail: string | null,
): { resume: string | null; detail: string | null; cut: boolean } {
  if (resume === null || characterLength(resume) <= PRESENTATION_RESUME_MAX_LENGTH) {
    return { resume, detail, cut: false };
  }
  const fullDetail = detail === null ? resume : detail.startsWith(resume) ? detail : `${resume}\n\n${detail}`;
  return {
    resume: cutAtWordBoundary(resume, PRESENTATION_RESUME_MAX_LENGTH),
    detail: fullDetail,
    cut: true,
  };
}
