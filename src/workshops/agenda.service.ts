import { type Actor, authorize } from '../accounts/policy.ts';
import { searchCommunes } from '../communes/commune-search.ts';
import { getReferencePoints } from '../communes/communes.service.ts';
import type { Commune } from '../communes/communes.ts';
import type { Db } from '../db/database.ts';
import { distanceMeters } from '../places/places-match.ts';
import { type Need, needBySlug } from '../search/needs.ts';
import { type AgendaEntry, listUpcomingWorkshops } from './workshops.service.ts';

/** "Ateliers près de chez moi": the communes within this distance of the person's (reference points). */
export const NEAR_KM = 15;

export interface AgendaSearch {
  /** What the person typed in "Où ?", trimmed. */
  where: string;
  commune: Commune | null;
  /** "Quelle commune ?": when what was typed names several, or none exactly. */
  candidates: Commune[];
  need: Need | null;
  /** The need's slug was not one of the list (the page says so and shows every need). */
  unknownNeed: boolean;
  entries: AgendaEntry[];
}

/**
 * The public agenda as residents search it (decision 0041), the same way as places: "Où ?" is a
 * commune's name, postcode or INSEE code (the territory's communes first), the need one of the
 * search's everyday needs. A commune found, the agenda keeps the workshops in it and in the communes
 * whose reference point is within NEAR_KM of its own (only the commune itself when no point is
 * loaded). Anybody: fields, dates and counts, never a person.
 */
export async function searchAgenda(
  db: Db,
  actor: Actor,
  input: { where?: string; commune?: string; need?: string },
  opts: { now?: Date; preferred?: ReadonlySet<string>; limit?: number } = {},
): Promise<AgendaSearch> {
  authorize(actor, 'searchAgenda');
  const where = (input.where ?? '').trim().slice(0, 200);
  const needSlug = (input.need ?? '').trim();
  const need = needSlug ? needBySlug(needSlug) : null;
  let commune: Commune | null = null;
  let candidates: Commune[] = [];
  const byCode = (input.commune ?? '').trim();
  const text = /^(\d{5}|2[AB]\d{3})$/.test(byCode) ? byCode : where;
  if (text) {
    const found = searchCommunes(text, opts.preferred ?? new Set());
    commune = found.exact;
    if (!commune) candidates = found.candidates;
    else if (found.candidates.length > 1 && !byCode) candidates = found.candidates;
    if (commune && candidates.length > 1) commune = null;
  }
  const base = { where, commune, candidates, need, unknownNeed: needSlug !== '' && need === null };
  // Several communes answer what was typed: the person chooses first.
  if (text && !commune) return { ...base, entries: [] };
  let communeCodes: string[] | undefined;
  if (commune) {
    const all = await listUpcomingWorkshops(db, actor, need ? { need: need.slug } : {}, opts);
    const codes = [...new Set(all.map((e) => e.workshop.communeCode).filter((c): c is string => !!c))];
    const points = new Map((await getReferencePoints(db, [commune.code, ...codes])).map((p) => [p.code, p]));
    const home = points.get(commune.code);
    communeCodes = [commune.code];
    if (home)
      for (const code of codes) {
        const p = points.get(code);
        if (p && code !== commune.code && distanceMeters(home.lat, home.lon, p.lat, p.lon) <= NEAR_KM * 1000)
          communeCodes.push(code);
      }
  }
  const entries = await listUpcomingWorkshops(
    db,
    actor,
    {
      ...(need ? { need: need.slug } : {}),
      ...(communeCodes ? { communeCodes } : {}),
      limit: opts.limit ?? 100,
    },
    opts,
  );
  return { ...base, entries };
}
