/**
 * Display preferences without an account, kept in a cookie (`prefs`): larger text, high contrast, more
 * spacing, FALC wording. Only these four words are read back; anything else in the cookie is ignored.
 */
export interface Prefs {
  largeText: boolean;
  highContrast: boolean;
  spacing: boolean;
  falc: boolean;
}

export const DEFAULT_PREFS: Prefs = Object.freeze({
  largeText: false,
  highContrast: false,
  spacing: false,
  falc: false,
});

const WORDS: ReadonlyArray<[keyof Prefs, string]> = [
  ['largeText', 'grand'],
  ['highContrast', 'contraste'],
  ['spacing', 'espace'],
  ['falc', 'falc'],
];

export const PREFS_COOKIE = 'prefs';
export const PREFS_MAX_AGE_S = 365 * 24 * 3600;

/** Reads the `prefs` cookie from a Cookie header. */
export function readPrefs(cookieHeader: string | undefined): Prefs {
  const match = /(?:^|;\s*)prefs=([a-z-]{0,40})(?:;|$)/.exec(cookieHeader ?? '');
  const words = new Set((match?.[1] ?? '').split('-'));
  const prefs = { ...DEFAULT_PREFS };
  for (const [key, word] of WORDS) prefs[key] = words.has(word);
  return prefs;
}

/** The cookie's value ("grand-falc"); empty when nothing is chosen. */
export function prefsCookieValue(prefs: Prefs): string {
  return WORDS.filter(([key]) => prefs[key])
    .map(([, word]) => word)
    .join('-');
}

/** Classes on <html> that the stylesheet reads. */
export function prefsClasses(prefs: Prefs): string {
  return [
    prefs.largeText ? 'p-grand' : '',
    prefs.highContrast ? 'p-contraste' : '',
    prefs.spacing ? 'p-espace' : '',
  ]
    .filter(Boolean)
    .join(' ');
}
