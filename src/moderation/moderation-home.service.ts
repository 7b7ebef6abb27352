import type { Actor } from '../accounts/policy.ts';
import type { Db } from '../db/database.ts';
import { countStalePlacesAt, STALE_MONTHS } from '../places/freshness.service.ts';
import { formatDay, localToday } from '../places/place-dates.ts';
import { listPlaceImports } from '../places/places-history.service.ts';
import { countMergesToReview } from '../places/places-merges.service.ts';
import type { HomeBlock } from '../shared/home-block.ts';
import { countForwardedTo, countQueue, listNewReports, listPendingChanges } from './moderation.repository.ts';

/**
 * The blocks of the home page (`/espace`) about keeping the directory right. A coordinator sees the
 * changes and closures awaiting moderation, the open error reports, the merges proposed by imports and
 * awaiting a decision, the places not updated for 12 months and the last imports with their counts; a structure's member sees, per structure, the error
 * reports forwarded to it. Others get none.
 */
const ITEMS = 5;
const IMPORTS_SHOWN = 3;

const plural = (n: number, one: string, many: string) => (n > 1 ? many : one);
const day = (d: Date) => formatDay(localToday(d));

async function coordinatorBlocks(db: Db, actor: Actor, now: Date): Promise<HomeBlock[]> {
  const [counts, changes, reports, stale, imports, merges] = await Promise.all([
    countQueue(db),
    listPendingChanges(db, ITEMS),
    listNewReports(db, ITEMS),
    countStalePlacesAt(db, now),
    listPlaceImports(db, actor),
    countMergesToReview(db, actor),
  ]);
  const appliedUnreviewed = merges.toReview - merges.pending;
  const open = counts.reports + counts.forwarded;
  const lastImports = imports.filter((i) => !i.dryRun).slice(0, IMPORTS_SHOWN);
  const n = (key: string, i: (typeof lastImports)[number]) => i.counts[key] ?? 0;
  return [
    {
      id: 'moderation.pending',
      audience: 'coordinator',
      title: 'Modifications et fermetures à vérifier',
      count: counts.changes,
      summary: `${plural(counts.changes, 'modification proposée par une structure attend', 'modifications proposées par les structures attendent')} votre décision${counts.closuresPublic > 0 ? `, dont ${counts.closuresPublic} avec une fermeture temporaire déjà publique` : ''}.`,
      href: '/moderation',
      linkLabel: 'Vérifier les modifications',
      items: changes.map((c) => ({
        label: `${c.place_nom} (${c.place_commune})`,
        detail: `proposée le ${day(c.proposed_at)} par ${c.proposed_by_label}${c.closures_applied_at ? ', fermeture déjà publique' : ''}`,
        href: `/moderation/modifications/${c.id}`,
      })),
    },
    {
      id: 'moderation.error_reports',
      audience: 'coordinator',
      title: "Signalements d'erreur",
      count: open,
      summary: `${plural(open, 'signalement ouvert', 'signalements ouverts')} : ${counts.reports} à traiter, ${counts.forwarded} ${plural(counts.forwarded, 'transmis à une structure', 'transmis aux structures')} qui doi${counts.forwarded > 1 ? 'vent' : 't'} répondre.`,
      href: '/moderation',
      linkLabel: 'Traiter les signalements',
      items: reports.map((r) => ({
        label: `${r.place_nom} (${r.place_commune})`,
        detail: `reçu le ${day(r.created_at)}`,
        href: `/moderation/signalements/${r.id}`,
      })),
    },
    {
      id: 'places.merges_to_review',
      audience: 'coordinator',
      title: 'Fusions à vérifier',
      count: merges.pending,
      summary: `${plural(merges.pending, 'fusion proposée par un import attend', 'fusions proposées par les imports attendent')} votre décision : les deux lieux restent affichés séparément en attendant.${appliedUnreviewed > 0 ? ` ${appliedUnreviewed} ${plural(appliedUnreviewed, 'fusion appliquée n’a', 'fusions appliquées n’ont')} pas encore été vérifiée${appliedUnreviewed > 1 ? 's' : ''}.` : ''}`,
      href: '/fusions?etat=a-verifier',
      linkLabel: 'Vérifier les fusions',
    },
    {
      id: 'places.stale',
      audience: 'coordinator',
      title: `Lieux non mis à jour depuis ${STALE_MONTHS} mois`,
      count: stale,
      summary: `${plural(stale, 'lieu n’a pas été mis', 'lieux n’ont pas été mis')} à jour depuis plus de ${STALE_MONTHS} mois (ou jamais). Leurs structures reçoivent un rappel par e-mail.`,
      href: '/qualite',
      linkLabel: 'Voir les lieux à mettre à jour',
    },
    {
      id: 'places.imports',
      audience: 'coordinator',
      kind: 'figures',
      title: 'Derniers imports',
      count: lastImports.length,
      summary:
        lastImports.length === 0
          ? 'import : aucun fichier de lieux importé pour le moment.'
          : lastImports.length === 1
            ? 'import de fichier de lieux.'
            : 'derniers imports de fichiers de lieux, du plus récent au plus ancien.',
      href: '/imports',
      linkLabel: 'Voir tous les imports, importer un fichier',
      items: lastImports.map((i) => ({
        label: `${day(i.startedAt)} — ${i.fileName ?? 'fichier sans nom'}${i.undoneAt ? ' (annulé)' : ''}`,
        detail: `${n('imported', i)} ${plural(n('imported', i), 'créé', 'créés')}, ${n('updated', i)} mis à jour, ${n('rejected', i)} ${plural(n('rejected', i), 'ligne refusée', 'lignes refusées')}`,
      })),
    },
  ];
}

async function structureBlocks(db: Db, actor: Actor & { kind: 'person' }): Promise<HomeBlock[]> {
  const forwarded = await countForwardedTo(
    db,
    actor.memberships.map((m) => m.structureId),
  );
  return [...forwarded.values()].map(({ name, count }) => ({
    id: 'moderation.forwarded_reports',
    audience: 'structure',
    structureName: name,
    title: 'Signalements transmis à votre structure',
    count,
    summary: `${plural(count, 'personne a signalé une erreur', 'personnes ont signalé une erreur')} sur vos lieux : vérifiez et répondez.`,
    href: '/signalements',
    linkLabel: 'Répondre aux signalements',
  }));
}

/** The home page's blocks about moderation and the directory's freshness that concern the actor. */
export async function homeBlocks(db: Db, actor: Actor, now = new Date()): Promise<HomeBlock[]> {
  if (actor.kind !== 'person') return [];
  const blocks: HomeBlock[] = [];
  if (actor.memberships.length > 0) blocks.push(...(await structureBlocks(db, actor)));
  if (actor.networkRole === 'coordinator') blocks.push(...(await coordinatorBlocks(db, actor, now)));
  return blocks;
}
