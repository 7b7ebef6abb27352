import { type Actor, can } from '../accounts/policy.ts';
import type { Db } from '../db/database.ts';
import { localToday } from '../places/place-dates.ts';
import type { HomeBlock } from '../shared/home-block.ts';
import { recordsPerStructure } from './report.repository.ts';
import { funderStatistics } from './statistics.service.ts';

/**
 * The /espace blocks of the statistics (decision 0056): for the coordinators, the structures that have
 * recorded nothing this month (a reminder to send, not a reproach: a structure may be closed); for a
 * funder's people, the accompaniments of what it funds since 1 January. (A structure's staff already
 * have their month's records, block `activities.month`.)
 */
export async function homeBlocks(db: Db, actor: Actor, now = new Date()): Promise<HomeBlock[]> {
  if (actor.kind !== 'person') return [];
  const today = localToday(now);
  const blocks: HomeBlock[] = [];
  if (actor.networkRole === 'coordinator' && can(actor, 'networkStatistics')) {
    const all = await recordsPerStructure(db, `${today.slice(0, 7)}-01`, today);
    const silent = all.filter((s) => s.records === 0);
    blocks.push({
      id: 'activities.silent_structures',
      audience: 'coordinator',
      kind: 'figures',
      title: 'Structures sans activité ce mois-ci',
      count: silent.length,
      summary:
        silent.length === 0
          ? 'Toutes les structures ont enregistré au moins une activité ce mois-ci.'
          : `${silent.length} structure${silent.length > 1 ? 's' : ''} sur ${all.length} n’${silent.length > 1 ? 'ont' : 'a'} enregistré aucune activité ce mois-ci.`,
      href: '/activites/statistiques/reseau?periode=mois',
      linkLabel: 'Voir les statistiques du mois',
      more: { href: '/activites/rapport-annuel', label: 'Rapport d’évaluation annuel' },
      items: silent.slice(0, 5).map((s) => ({ label: s.name })),
    });
  }
  for (const funderId of actor.funderIds ?? []) {
    if (!can(actor, 'funderStatistics', { funderId })) continue;
    const view = await funderStatistics(db, actor, { funderId, query: { periode: 'annee' } }, { now });
    const f = view.figures;
    blocks.push({
      id: 'activities.funder_figures',
      audience: 'funder',
      kind: 'figures',
      title: `Accompagnements financés cette année — ${view.perimeter.name}`,
      count: f.accompaniments.total,
      summary: `${f.accompaniments.total} accompagnement${f.accompaniments.total > 1 ? 's' : ''} depuis le 1er janvier dans les structures financées : ${f.people} personne${f.people > 1 ? 's' : ''} suivie${f.people > 1 ? 's' : ''} et ${f.anonymousParticipants} participation${f.anonymousParticipants > 1 ? 's' : ''} anonyme${f.anonymousParticipants > 1 ? 's' : ''} (comptées une fois par activité).`,
      href: `/activites/statistiques/financeur/${funderId}?periode=annee`,
      linkLabel: 'Voir les statistiques',
    });
  }
  return blocks;
}
