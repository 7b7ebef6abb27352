import { type Need, needBySlug } from './needs.ts';
import type { SearchFilters } from './search.ts';
import { ACCOMPANIMENT_VALUES, PUBLIC_VALUES, SERVICE_VALUES, SUPPORT_VALUES } from './vocabulary.ts';

/**
 * The search's query string, one grammar for the page (/recherche) and the API (/api/v1/lieux).
 * Pure: every problem becomes `{ field, value, message }` with a French message.
 */
export interface QueryIssue {
  field: string;
  value: string | null;
  message: string;
}

export interface SearchInput {
  need: Need | null;
  service: string | null;
  /** What the person typed in "Où ?". */
  where: string | null;
  /** A commune chosen by its INSEE code. */
  commune: string | null;
  near: { lat: number; lon: number } | null;
  radiusKm: number | null;
  filters: SearchFilters;
  offset: number;
  limit: number;
}

export type ParsedQuery = { ok: true; input: SearchInput } | { ok: false; issues: QueryIssue[] };

type Params = Record<string, string[]>;

const MAX_TEXT = 200;
export const PAGE_SIZE = 10;
export const API_MAX_LIMIT = 100;

const PAGE_PARAMS = [
  'besoin',
  'ou',
  'commune',
  'lat',
  'lon',
  'rayon',
  'ouvert',
  'samedi',
  'gratuit',
  'public',
  'accueil',
  'accompagnement',
  'page',
  'vue',
  'falc',
];
const API_PARAMS = [
  'besoin',
  'service',
  'commune',
  'near',
  'radius',
  'ouvert_maintenant',
  'samedi',
  'gratuit',
  'public',
  'prise_en_charge',
  'accompagnement',
  'limit',
  'cursor',
];
const MULTI = new Set(['public', 'accueil', 'accompagnement', 'prise_en_charge']);

function flag(value: string | undefined, field: string, issues: QueryIssue[]): boolean {
  if (value === undefined || value === '') return false;
  if (['1', 'true', 'oui', 'maintenant', 'on'].includes(value)) return true;
  if (['0', 'false', 'non'].includes(value)) return false;
  issues.push({ field, value, message: `Le filtre « ${field} » attend oui ou non.` });
  return false;
}

function number(
  value: string | undefined,
  field: string,
  min: number,
  max: number,
  issues: QueryIssue[],
  label: string,
): number | null {
  if (value === undefined || value === '') return null;
  const n = Number(value.replace(',', '.'));
  if (!Number.isFinite(n) || n < min || n > max) {
    issues.push({
      field,
      value: value.slice(0, 50),
      message: `${label} doit être un nombre entre ${min} et ${max}.`,
    });
    return null;
  }
  return n;
}

function values(
  list: string[] | undefined,
  allowed: readonly string[],
  field: string,
  issues: QueryIssue[],
): string[] {
  const out: string[] = [];
  for (const v of list ?? []) {
    if (v === '') continue;
    if (!allowed.includes(v))
      issues.push({
        field,
        value: v.slice(0, 100),
        message: `Valeur inconnue pour « ${field} » : ${v.slice(0, 100)}.`,
      });
    else if (!out.includes(v)) out.push(v);
  }
  return out;
}

/** Parses the query of the search page or of the API. */
export function parseSearchQuery(params: Params, mode: 'page' | 'api'): ParsedQuery {
  const issues: QueryIssue[] = [];
  const known = mode === 'page' ? PAGE_PARAMS : API_PARAMS;
  const one = (name: string): string | undefined => params[name]?.[0]?.trim();
  for (const [name, list] of Object.entries(params)) {
    if (!known.includes(name)) {
      issues.push({
        field: name.slice(0, 50),
        value: null,
        message: `Le paramètre « ${name.slice(0, 50)} » n'existe pas.`,
      });
    } else if (list.length > 1 && !MULTI.has(name)) {
      issues.push({
        field: name,
        value: null,
        message: `Le paramètre « ${name} » est donné plusieurs fois.`,
      });
    } else if (list.some((v) => v.length > MAX_TEXT)) {
      issues.push({
        field: name,
        value: null,
        message: `Le paramètre « ${name} » est trop long (${MAX_TEXT} caractères au plus).`,
      });
    }
  }
  if (issues.length) return { ok: false, issues };

  let need: Need | null = null;
  let service: string | null = null;
  const besoin = one('besoin');
  if (besoin) {
    need = needBySlug(besoin);
    if (!need) {
      if (SERVICE_VALUES.includes(besoin)) service = besoin;
      else
        issues.push({
          field: 'besoin',
          value: besoin,
          message: `Le besoin « ${besoin} » n'existe pas. Choisissez un besoin dans la liste.`,
        });
    }
  }
  const serviceParam = one('service');
  if (serviceParam) {
    if (SERVICE_VALUES.includes(serviceParam)) service = serviceParam;
    else
      issues.push({
        field: 'service',
        value: serviceParam,
        message: `Le service « ${serviceParam} » n'existe pas dans le schéma national.`,
      });
  }

  const commune = one('commune') || null;
  if (commune && !/^(\d{5}|2[AB]\d{3})$/i.test(commune)) {
    issues.push({
      field: 'commune',
      value: commune,
      message: 'Le code commune doit être un code INSEE à 5 caractères, par exemple 45234.',
    });
  }

  let near: SearchInput['near'] = null;
  if (mode === 'api') {
    const raw = one('near');
    if (raw) {
      const m = /^\s*(-?\d+(?:\.\d+)?)\s*,\s*(-?\d+(?:\.\d+)?)\s*$/.exec(raw);
      const lat = m ? Number(m[1]) : Number.NaN;
      const lon = m ? Number(m[2]) : Number.NaN;
      if (!m || Math.abs(lat) > 90 || Math.abs(lon) > 180) {
        issues.push({
          field: 'near',
          value: raw.slice(0, 50),
          message: 'near doit être « latitude,longitude », par exemple near=47.90,1.90.',
        });
      } else near = { lat, lon };
    }
  } else {
    const lat = number(one('lat'), 'lat', -90, 90, issues, 'La latitude');
    const lon = number(one('lon'), 'lon', -180, 180, issues, 'La longitude');
    if ((lat === null) !== (lon === null))
      issues.push({
        field: lat === null ? 'lat' : 'lon',
        value: null,
        message: 'La position demande une latitude et une longitude.',
      });
    else if (lat !== null && lon !== null)
      near = { lat: Math.round(lat * 1000) / 1000, lon: Math.round(lon * 1000) / 1000 };
  }
  const radiusKm = number(
    one(mode === 'api' ? 'radius' : 'rayon'),
    mode === 'api' ? 'radius' : 'rayon',
    0.1,
    1000,
    issues,
    'Le rayon (en km)',
  );

  const filters: SearchFilters = {
    openNow: flag(
      one(mode === 'api' ? 'ouvert_maintenant' : 'ouvert'),
      mode === 'api' ? 'ouvert_maintenant' : 'ouvert',
      issues,
    ),
    saturday: flag(one('samedi'), 'samedi', issues),
    free: flag(one('gratuit'), 'gratuit', issues),
    publics: values(params.public, PUBLIC_VALUES, 'public', issues),
    support: values(
      params[mode === 'api' ? 'prise_en_charge' : 'accueil'],
      SUPPORT_VALUES,
      mode === 'api' ? 'prise_en_charge' : 'accueil',
      issues,
    ),
    accompaniment: values(params.accompagnement, ACCOMPANIMENT_VALUES, 'accompagnement', issues),
  };

  let offset = 0;
  let limit = PAGE_SIZE;
  if (mode === 'page') {
    const page = number(one('page'), 'page', 1, 1000, issues, 'Le numéro de page');
    offset = ((page ?? 1) - 1) * PAGE_SIZE;
  } else {
    const l = number(one('limit'), 'limit', 1, API_MAX_LIMIT, issues, 'limit');
    if (l !== null && !Number.isInteger(l))
      issues.push({ field: 'limit', value: String(l), message: 'limit doit être un entier.' });
    limit = l ?? 20;
    const cursor = one('cursor');
    if (cursor) {
      const decoded = decodeCursor(cursor);
      if (decoded === null)
        issues.push({
          field: 'cursor',
          value: cursor.slice(0, 50),
          message: 'Ce curseur est invalide : reprenez depuis la première page.',
        });
      else offset = decoded;
    }
  }
  if (issues.length) return { ok: false, issues };
  return {
    ok: true,
    input: {
      need,
      service,
      where: one('ou') || null,
      commune: commune ? commune.toUpperCase() : null,
      near,
      radiusKm,
      filters,
      offset,
      limit,
    },
  };
}

export function encodeCursor(offset: number): string {
  return Buffer.from(`o:${offset}`).toString('base64url');
}

export function decodeCursor(cursor: string): number | null {
  const m = /^o:(\d{1,7})$/.exec(Buffer.from(cursor, 'base64url').toString('utf8'));
  return m ? Number(m[1]) : null;
}
