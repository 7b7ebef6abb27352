import type { Actor } from '../accounts/policy.ts';
import { can } from '../accounts/policy.ts';
import type { Db } from '../db/database.ts';
import type { HomeBlock } from '../shared/home-block.ts';
import { listProgrammeRows } from './vouchers.repository.ts';

/**
 * The pass numérique on the home page of the coordinators and of a funder's people: where the
 * programmes are, and for a funder, the programmes that wait for its confirmation (nothing can be
 * emitted before it).
 */
export async function homeBlocks(db: Db, actor: Actor): Promise<HomeBlock[]> {
  if (actor.kind !== 'person' || !can(actor, 'listProgrammes')) return [];
  const items = (rows: { id: string; name: string; confirmed_at: Date | null }[]) =>
    rows.slice(0, 5).map((p) => ({
      label: p.name,
      detail: p.confirmed_at ? 'Confirmé' : 'À confirmer par le financeur',
      href: `/pass/programmes/${p.id}`,
    }));
  if (actor.networkRole === 'coordinator') {
    const rows = await listProgrammeRows(db);
    const waiting = rows.filter((p) => !p.confirmed_at).length;
    return [
      {
        id: 'vouchers.programmes',
        audience: 'coordinator',
        kind: 'figures',
        title: 'Pass numérique',
        count: rows.length,
        summary:
          rows.length === 0
            ? 'Aucun programme de pass numérique pour le moment.'
            : `${rows.length} programme${rows.length > 1 ? 's' : ''}, dont ${waiting} à confirmer par leur financeur.`,
        href: '/pass',
        linkLabel: rows.length === 0 ? 'Créer un programme' : 'Voir les programmes',
        items: items(rows),
      },
    ];
  }
  const funderIds = actor.funderIds ?? [];
  if (funderIds.length === 0) return [];
  const rows = await listProgrammeRows(db, funderIds);
  if (rows.length === 0) return [];
  const waiting = rows.filter((p) => !p.confirmed_at);
  return [
    {
      id: 'vouchers.to_confirm',
      audience: 'funder',
      title: 'Programmes de pass numérique à confirmer',
      count: waiting.length,
      summary:
        waiting.length === 0
          ? 'Tous vos programmes de pass numérique sont confirmés.'
          : `${waiting.length} programme${waiting.length > 1 ? 's attendent' : ' attend'} votre confirmation du budget et de la validité.`,
      href: '/pass',
      linkLabel: 'Voir mes programmes',
      items: items(waiting.length > 0 ? waiting : rows),
    },
  ];
}
