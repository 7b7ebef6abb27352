import { type Actor, can } from '../accounts/policy.ts';
import type { Db } from '../db/database.ts';
import type { HomeBlock } from '../shared/home-block.ts';
import { structureNames } from '../structures/structures.service.ts';
import { seated } from './seats.service.ts';
import { countRegistrationsOf, listUpcomingRows } from './workshops.repository.ts';
import { dateWords } from './workshops.ts';

/** How many coming dates a block lists (the count covers more). */
const SHOWN = 5;
/** The most coming dates a block counts. */
const COUNTED = 100;

/**
 * The agenda's blocks on `/espace` (issue 21: "its blocks go on /espace"): for each of the person's
 * structures, its next workshop dates with their registrations, a link to the structure's agenda pages
 * and to a new workshop. Counts only, never a person. Nothing for anyone else (the staff's own, as
 * `listStructureWorkshops`).
 */
export async function homeBlocks(db: Db, actor: Actor, now: Date): Promise<HomeBlock[]> {
  if (actor.kind !== 'person') return [];
  const mine = actor.memberships.filter((m) =>
    can(actor, 'listStructureWorkshops', { structureId: m.structureId }),
  );
  if (mine.length === 0) return [];
  const names = await structureNames(
    db,
    mine.map((m) => m.structureId),
  );
  const blocks: HomeBlock[] = [];
  for (const m of mine) {
    const rows = (
      await listUpcomingRows(db, {
        from: now,
        to: null,
        structureId: m.structureId,
        placeId: null,
        communeCodes: null,
        need: null,
        theme: null,
        limit: COUNTED,
      })
    ).filter((r) => r.status === 'scheduled' && r.w.status !== 'cancelled' && r.starts_at > now);
    const counts = await countRegistrationsOf(
      db,
      rows.slice(0, SHOWN).map((r) => r.id),
    );
    const n = rows.length;
    blocks.push({
      id: 'workshops.next',
      audience: 'structure',
      structureName: names.get(m.structureId) ?? 'Ma structure',
      kind: 'figures',
      title: 'Prochains ateliers',
      count: n,
      summary: `${n}${n >= COUNTED ? ' ou plus' : ''} ${n > 1 ? 'dates d’atelier à venir' : 'date d’atelier à venir'} dans l’agenda.`,
      href: '/agenda/gestion',
      linkLabel: 'Gérer les ateliers',
      more: { href: '/agenda/gestion/nouveau', label: 'Nouvel atelier' },
      items: rows.slice(0, SHOWN).map((r) => {
        const c = counts.get(r.id);
        const taken = c ? seated(c) : 0;
        const waiting = c?.waiting ?? 0;
        return {
          label: `${r.w.title} — ${dateWords(r.starts_at)}`,
          detail: `${taken} inscrit(s) sur ${r.w.capacity} places${waiting ? `, ${waiting} en attente` : ''}`,
          href: `/agenda/gestion/dates/${r.id}`,
        };
      }),
    });
  }
  return blocks;
}
