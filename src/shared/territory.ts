import { isInseeCode } from './commune-codes.ts';
/**
 * The territory grammar, one for config, CLI and URLs:
 *   com:45234[,45232…]  one or more communes (INSEE codes)
 *   epci:244500468      an EPCI (SIREN)
 *   dep:45              a département
 *   reg:24              a région
 *   fr                  the whole country
 * Parsing is syntactic only; whether the code exists is checked by the communes domain.
 */
export type Territory =
  | { kind: 'com'; codes: string[] }
  | { kind: 'epci'; code: string }
  | { kind: 'dep'; code: string }
  | { kind: 'reg'; code: string }
  | { kind: 'fr' };

const EPCI_CODE = /^\d{9}$/;
const DEP_CODE = /^(?:\d{2}|2[AB]|97\d)$/;
const REG_CODE = /^\d{2}$/;

export type TerritoryParseResult = { ok: true; territory: Territory } | { ok: false; message: string };

const EXAMPLES = 'com:45234, epci:244500468, dep:45, reg:24 ou fr';

/** Parses a territory expression; the error message is French and says what form is expected. */
export function parseTerritory(input: string): TerritoryParseResult {
  const text = input.trim();
  if (text.toLowerCase() === 'fr') return { ok: true, territory: { kind: 'fr' } };
  const colon = text.indexOf(':');
  if (colon < 0) {
    return { ok: false, message: `Territoire « ${text} » non reconnu. Formes attendues : ${EXAMPLES}.` };
  }
  const kind = text.slice(0, colon).toLowerCase();
  const rest = text
    .slice(colon + 1)
    .trim()
    .toUpperCase();
  switch (kind) {
    case 'com': {
      const codes = rest
        .split(',')
        .map((c) => c.trim())
        .filter((c) => c !== '');
      const bad = codes.find((c) => !isInseeCode(c));
      if (codes.length === 0 || bad !== undefined) {
        return {
          ok: false,
          message: `Code commune « ${bad ?? ''} » invalide : un code INSEE a 5 caractères, par exemple com:45234.`,
        };
      }
      return { ok: true, territory: { kind: 'com', codes: [...new Set(codes)] } };
    }
    case 'epci':
      return EPCI_CODE.test(rest)
        ? { ok: true, territory: { kind: 'epci', code: rest } }
        : {
            ok: false,
            message: `Code EPCI « ${rest} » invalide : un SIREN a 9 chiffres, par exemple epci:244500468.`,
          };
    case 'dep':
      return DEP_CODE.test(rest)
        ? { ok: true, territory: { kind: 'dep', code: rest } }
        : { ok: false, message: `Code département « ${rest} » invalide, par exemple dep:45 ou dep:2A.` };
    case 'reg':
      return REG_CODE.test(rest)
        ? { ok: true, territory: { kind: 'reg', code: rest } }
        : { ok: false, message: `Code région « ${rest} » invalide : 2 chiffres, par exemple reg:24.` };
    default:
      return {
        ok: false,
        message: `Type de territoire « ${kind} » inconnu. Formes attendues : ${EXAMPLES}.`,
      };
  }
}

/** The canonical text of a territory (parse(format(t)) = t). */
export function formatTerritory(territory: Territory): string {
  switch (territory.kind) {
    case 'fr':
      return 'fr';
    case 'com':
      return `com:${territory.codes.join(',')}`;
    default:
      return `${territory.kind}:${territory.code}`;
  }
}

/**
 * What the public pages, counts, API and diagnostic show (docs/decisions/0025): the places of the
 * territory or within `marginKm` of its border, and none farther than `searchMaxKm` from the person.
 */
export interface PublicScope {
  territory: Territory;
  marginKm: number;
  searchMaxKm: number;
}

/** No filter at all: every place, at any distance (the command line, the coordinators' own tools). */
export const WHOLE_DIRECTORY: PublicScope = Object.freeze({
  territory: { kind: 'fr' } as Territory,
  marginKm: 0,
  searchMaxKm: Number.POSITIVE_INFINITY,
});

const keys = new WeakMap<PublicScope, string>();

/** A key telling two scopes apart (for caches), computed once per scope object (the search's hot path). */
export function scopeKey(scope: PublicScope): string {
  let key = keys.get(scope);
  if (key === undefined) {
    key = `${formatTerritory(scope.territory)}|${scope.marginKm}|${scope.searchMaxKm}`;
    keys.set(scope, key);
  }
  return key;
}
