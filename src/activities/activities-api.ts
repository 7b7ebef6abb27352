import type { Selectable } from 'kysely';
import { getCommune } from '../communes/communes.ts';
import type { ActivityParticipantsTable, ActivityTable } from '../db/activity-rows.ts';
import { parseDateInput } from '../places/place-dates.ts';
import { isUuid } from '../shared/ids.ts';
import {
  AGE_BAND_LABELS,
  type AgeBand,
  GENDER_LABELS,
  type Gender,
  keysOf,
  SOCIAL_STATUS_LABELS,
  type SocialStatus,
} from './vocabulary.ts';

/**
 * `GET /api/v1/activites` (decision 0040), the pure part: the query read and checked, the records in the
 * resource shape of La Coop's API v1 (`apps/web/src/app/api/v1/activites/route.ts` of
 * coop-mediation-numerique: a JSON:API-like list `{ data, links, meta }`, each record
 * `{ type: 'activite', id, attributes }` with the Coop's attribute names and values), and the network's
 * figures for callers without a token, small counts hidden.
 */

/** A record as the API reads it: its row and its anonymous counts (null when it has none). */
export type ApiActivityRow = Selectable<ActivityTable> & {
  participants: Selectable<ActivityParticipantsTable> | null;
};

export const PAGE_SIZE_MAX = 500;
export const PAGE_SIZE_DEFAULT = 100;
/** A figure is published only when it counts at least this many records… */
export const MIN_RECORDS = 5;
/** …of at least this many structures (statistical confidentiality: no structure's own figures). */
export const MIN_STRUCTURES = 3;

export interface ApiQuery {
  from: string | null;
  to: string | null;
  size: number;
  after: { date: string; id: string } | null;
}

export type QueryCheck = { ok: true; query: ApiQuery } | { ok: false; message: string; field: string };

const KNOWN = new Set(['du', 'au', 'page[size]', 'page[after]']);

export function encodeCursor(date: string, id: string): string {
  return Buffer.from(`${date}~${id}`).toString('base64url');
}

function decodeCursor(text: string): { date: string; id: string } | null {
  if (!/^[A-Za-z0-9_-]{1,80}$/.test(text)) return null;
  const [date, id, ...rest] = Buffer.from(text, 'base64url').toString('utf8').split('~');
  if (rest.length > 0 || !date || !id || !isUuid(id) || parseDateInput(date) !== date) return null;
  return { date, id: id.toLowerCase() };
}

/**
 * The query of the list (and of the figures, which read only `du` and `au`): days as YYYY-MM-DD, `au`
 * not before `du`, `page[size]` 1–500, `page[after]` a cursor of a previous answer. Anything else is
 * refused with a French message naming the parameter.
 */
export function parseApiQuery(params: Record<string, string>): QueryCheck {
  for (const key of Object.keys(params))
    if (!KNOWN.has(key))
      return {
        ok: false,
        field: key,
        message: `Paramètre inconnu : « ${key.slice(0, 40)} ». Les paramètres sont du, au, page[size] et page[after].`,
      };
  const day = (field: 'du' | 'au'): string | null | false => {
    const v = params[field];
    if (v === undefined || v === '') return null;
    return /^\d{4}-\d{2}-\d{2}$/.test(v) && parseDateInput(v) === v ? v : false;
  };
  const from = day('du');
  if (from === false)
    return {
      ok: false,
      field: 'du',
      message: '« du » doit être une date AAAA-MM-JJ, par exemple 2026-01-31.',
    };
  const to = day('au');
  if (to === false)
    return {
      ok: false,
      field: 'au',
      message: '« au » doit être une date AAAA-MM-JJ, par exemple 2026-12-31.',
    };
  if (from && to && to < from)
    return { ok: false, field: 'au', message: `« au » (${to}) est avant « du » (${from}). Inversez-les.` };
  let size = PAGE_SIZE_DEFAULT;
  const sizeText = params['page[size]'];
  if (sizeText !== undefined && sizeText !== '') {
    size = /^\d{1,3}$/.test(sizeText) ? Number(sizeText) : 0;
    if (size < 1 || size > PAGE_SIZE_MAX)
      return {
        ok: false,
        field: 'page[size]',
        message: `« page[size] » doit être un nombre entier de 1 à ${PAGE_SIZE_MAX}.`,
      };
  }
  let after: ApiQuery['after'] = null;
  const afterText = params['page[after]'];
  if (afterText !== undefined && afterText !== '') {
    after = decodeCursor(afterText);
    if (!after)
      return {
        ok: false,
        field: 'page[after]',
        message:
          "« page[after] » n'est pas un curseur de cette API : reprenez le lien « next » de la réponse précédente.",
      };
  }
  return { ok: true, query: { from, to, size, after } };
}

export interface Beneficiaires {
  total: number;
  genres: Record<Gender, number>;
  tranches_age: Record<AgeBand, number>;
  statuts: Record<SocialStatus, number>;
}

/** One record as the Coop's API gives it (attribute names and values of its `ActiviteAttributes`). */
export interface ActiviteResource {
  type: 'activite';
  id: string;
  attributes: {
    type: 'individuel' | 'collectif';
    mediateur_id: string | null;
    user_id: string | null;
    accompagnements: number;
    date: string;
    duree: number;
    type_lieu: 'lieu_activite' | 'domicile' | 'a_distance' | 'autre';
    structure_id: string | null;
    lieu_nom: string | null;
    lieu_code_postal: string | null;
    lieu_commune: string | null;
    lieu_code_insee: string | null;
    creation: string;
    modification: string;
    suppression: null;
    autonomie: string | null;
    oriente_vers_structure: boolean | null;
    structure_de_redirection: string | null;
    materiel: string[];
    thematiques: string[];
    tags: string[];
    precisions_demarche: string | null;
    titre_atelier: string | null;
    niveau_atelier: string | null;
    beneficiaires: Beneficiaires;
  };
}

function beneficiaires(row: ApiActivityRow): Beneficiaires {
  const p = row.participants as unknown as Record<string, number> | null;
  const pick = <K extends string>(labels: Record<K, string>, prefix: string) =>
    Object.fromEntries(keysOf(labels).map((k) => [k, p?.[`${prefix}_${k}`] ?? 0])) as Record<K, number>;
  return {
    total: p?.total ?? 0,
    genres: pick<Gender>(GENDER_LABELS, 'gender'),
    tranches_age: pick<AgeBand>(AGE_BAND_LABELS, 'age'),
    statuts: pick<SocialStatus>(SOCIAL_STATUS_LABELS, 'status'),
  };
}

export function toResource(row: ApiActivityRow): ActiviteResource {
  const atPlace = row.place_kind === 'lieu_activite';
  const commune = !atPlace && row.commune_code ? getCommune(row.commune_code) : null;
  const b = beneficiaires(row);
  return {
    type: 'activite',
    id: row.id,
    attributes: {
      type: row.kind,
      // One id per person in Maillage: the mediator and the user are the same.
      mediateur_id: row.author_id,
      user_id: row.author_id,
      accompagnements: b.total,
      date: row.date,
      duree: row.duration_minutes,
      type_lieu: row.place_kind,
      // The Coop's "structure" of a record is its place of activity: here the Maillage place
      // (/api/v1/lieux/{id}), with its name as recorded.
      structure_id: atPlace ? row.place_id : null,
      lieu_nom: atPlace ? row.place_name : null,
      lieu_code_postal: atPlace ? null : row.postal_code,
      lieu_commune: commune?.nom ?? null,
      lieu_code_insee: atPlace ? null : row.commune_code,
      creation: row.created_at.toISOString(),
      modification: row.updated_at.toISOString(),
      suppression: null,
      autonomie: row.autonomy,
      oriente_vers_structure: row.oriented,
      structure_de_redirection: row.redirection,
      materiel: [...row.equipment],
      thematiques: [...row.themes],
      tags: [],
      precisions_demarche: row.procedure_details,
      titre_atelier: row.workshop_title,
      niveau_atelier: row.workshop_level,
      beneficiaires: b,
    },
  };
}

export function listHref(query: ApiQuery, after: string | null): string {
  const params = new URLSearchParams();
  if (query.from) params.set('du', query.from);
  if (query.to) params.set('au', query.to);
  if (query.size !== PAGE_SIZE_DEFAULT) params.set('page[size]', String(query.size));
  if (after) params.set('page[after]', after);
  const text = params.toString();
  return `/api/v1/activites${text ? `?${text}` : ''}`;
}

/** A figure, or null when it counts too few records or structures to be published. */
export function shown(records: number, structures: number, value: number): number | null {
  return records >= MIN_RECORDS && structures >= MIN_STRUCTURES ? value : null;
}
