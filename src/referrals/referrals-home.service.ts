import { type Actor, authorize, can } from '../accounts/policy.ts';
import type { Db } from '../db/database.ts';
import { listStructuresPlaces } from '../places/places.service.ts';
import type { HomeBlock } from '../shared/home-block.ts';
import { formatPhone } from '../shared/phone.ts';
import {
  countStructureMembers,
  listMyStructures,
  listStructures,
  viewStructure,
} from '../structures/structures.service.ts';
import { countSentWaiting, countUnansweredByReceiver, listWaitingFor } from './referrals.repository.ts';
import { nowOf } from './referrals.service.ts';
import { addDays, formatDate, needLabel, URGENCY_LABELS } from './referrals.ts';

/**
 * The orientations' blocks of a signed-in person's home page (`/espace`): for a member of a
 * structure, what waits for its answer (oldest first) and what it sent that waits for the place's
 * answer; for the coordinator, per receiving structure, how many orientations are still unanswered
 * after the reminder delay, with the structure's public contact. The coordinator never opens an
 * orientation: counts only, no person, no need, no sender (rule `structure_member_only`).
 */

const ITEMS = 5;

export interface WaitingOrientations {
  count: number;
  /** The oldest first, at most five: when, what, from whom; never the person. */
  oldest: {
    id: string;
    sentAt: Date;
    needs: string[];
    senderStructureName: string;
    placeName: string;
    urgency: string;
  }[];
}

/** What waits for a structure's answer (received, or sheet-only ones it sent), oldest first. */
export async function orientationsToAnswer(
  db: Db,
  actor: Actor,
  input: { structureId: string },
): Promise<WaitingOrientations> {
  authorize(actor, 'orientationsToAnswer', { structureId: input.structureId });
  const { rows, count } = await listWaitingFor(db, { structureId: input.structureId, limit: ITEMS });
  return {
    count,
    oldest: rows.map((r) => ({
      id: r.id,
      sentAt: r.sent_at,
      needs: r.needs.map(needLabel),
      senderStructureName: r.sender_structure_name,
      placeName: r.place_name,
      urgency: URGENCY_LABELS[r.urgency],
    })),
  };
}

/** How many orientations a structure sent still wait for the place's answer, and since when. */
export async function sentOrientationsWaiting(
  db: Db,
  actor: Actor,
  input: { structureId: string },
): Promise<{ count: number; oldest: Date | null }> {
  authorize(actor, 'sentOrientationsWaiting', { structureId: input.structureId });
  return countSentWaiting(db, input.structureId);
}

export interface UnansweredByStructure {
  reminderDays: number | null;
  structures: { id: string; name: string; count: number; since: Date; contact: string | null }[];
}

/**
 * For the coordinator: per receiving structure, how many orientations are still unanswered after the
 * reminder delay (those the reminder job has reminded, or sent `reminderDays` ago or more), with the
 * structure's contact (its own, or else the phone and e-mail its places publish). Counts only.
 */
export async function unansweredOrientationsByStructure(
  db: Db,
  actor: Actor,
  opts: { reminderDays?: number; now?: Date } = {},
): Promise<UnansweredByStructure> {
  authorize(actor, 'unansweredOrientationsByStructure');
  const sentBefore = opts.reminderDays ? addDays(nowOf(opts), -opts.reminderDays) : null;
  const counts = await countUnansweredByReceiver(db, sentBefore);
  if (counts.length === 0) return { reminderDays: opts.reminderDays ?? null, structures: [] };
  const ids = counts.map((c) => c.structureId);
  const [structures, placesOf, own] = await Promise.all([
    listStructures(db, actor),
    Promise.all(ids.map((id) => listStructuresPlaces(db, [id]))),
    Promise.all(ids.map((id) => viewStructure(db, actor, { structureId: id }).catch(() => null))),
  ]);
  const names = new Map(structures.map((s) => [s.id, s.name]));
  // The structure's own contact first (set by the coordinator), else what its places publish.
  const contact = (k: number): string | null => {
    const mine = placesOf[k] ?? [];
    const phone = own[k]?.structure.contactPhone ?? mine.find((p) => p.telephone)?.telephone ?? null;
    const email =
      own[k]?.structure.contactEmail ?? mine.find((p) => p.courriels.length > 0)?.courriels[0] ?? null;
    const parts = [phone ? formatPhone(phone) : null, email].filter((x): x is string => x !== null);
    return parts.length ? parts.join(', ') : null;
  };
  return {
    reminderDays: opts.reminderDays ?? null,
    structures: counts.map((c, k) => ({
      id: c.structureId,
      name: names.get(c.structureId) ?? 'Structure retirée',
      count: c.n,
      since: c.oldest,
      contact: contact(k),
    })),
  };
}

const plural = (n: number, one: string, many: string) => `${n} ${n > 1 ? many : one}`;

/**
 * The blocks of the home page about orientations that concern the actor: for each structure the actor
 * belongs to, what waits for its answer and what it sent that waits; for a coordinator, the structures
 * that leave orientations unanswered. Nothing for anyone else. "Unanswered after the delay" is what the
 * reminder job (`referrals.deadlines`, hourly) has reminded after `ORIENTATION_REMINDER_DAYS`; given
 * `reminderDays`, those sent that long ago count too, before the job's next run.
 */
export async function homeBlocks(
  db: Db,
  actor: Actor,
  now: Date = new Date(),
  config: { reminderDays?: number } = {},
): Promise<HomeBlock[]> {
  if (actor.kind !== 'person') return [];
  const opts = { now, ...config };
  const blocks: HomeBlock[] = [];
  if (can(actor, 'unansweredOrientationsByStructure')) {
    const late = await unansweredOrientationsByStructure(db, actor, opts);
    const total = late.structures.reduce((a, s) => a + s.count, 0);
    const delay = late.reminderDays ? `depuis plus de ${late.reminderDays} jours` : 'après le rappel';
    const shown = late.structures.slice(0, ITEMS);
    // A structure without members gets its orientations by e-mail: nobody there to write to.
    const withMembers = await Promise.all(
      shown.map(async (s) => (await countStructureMembers(db, s.id)) > 0),
    );
    blocks.push({
      id: 'referrals.unanswered_by_structure',
      audience: 'coordinator',
      title: 'Orientations sans réponse',
      count: total,
      summary:
        total === 0
          ? `Aucune orientation n’attend de réponse ${delay}.`
          : `${plural(total, 'orientation attend', 'orientations attendent')} une réponse ${delay}, dans ${plural(late.structures.length, 'structure', 'structures')}. Vous voyez les nombres, pas les orientations.`,
      href: '/orientations/statistiques',
      linkLabel: 'Voir les statistiques des orientations',
      items: shown.map((s, k) => ({
        label: `${s.name} : ${plural(s.count, 'orientation sans réponse', 'orientations sans réponse')}`,
        detail: `La plus ancienne date du ${formatDate(s.since)}. Contact : ${s.contact ?? 'aucun contact public'}.`,
        href: `/structures/${s.id}`,
        // The coordinator writes to the structure's members from here: the form comes prefilled.
        ...(withMembers[k]
          ? {
              action: {
                href: `/messages/nouveau?structure=${s.id}&motif=orientations`,
                label: `Écrire aux membres de ${s.name}`,
              },
            }
          : {}),
      })),
    });
  }
  const mine = actor.memberships.filter((m) =>
    can(actor, 'orientationsToAnswer', { structureId: m.structureId }),
  );
  const names = mine.length
    ? new Map((await listMyStructures(db, actor)).map((s) => [s.id, s.name]))
    : new Map<string, string>();
  for (const m of mine) {
    const [toAnswer, sent] = await Promise.all([
      orientationsToAnswer(db, actor, { structureId: m.structureId }),
      sentOrientationsWaiting(db, actor, { structureId: m.structureId }),
    ]);
    const name = names.get(m.structureId);
    const inbox = `/orientations?structure=${m.structureId}`;
    blocks.push({
      id: 'referrals.to_answer',
      audience: 'structure',
      title: 'Orientations à traiter',
      count: toAnswer.count,
      summary:
        toAnswer.count === 0
          ? 'Aucune orientation n’attend votre réponse.'
          : toAnswer.count === 1
            ? '1 orientation attend votre réponse.'
            : `${toAnswer.count} orientations attendent votre réponse ; la plus ancienne est en premier.`,
      href: `${inbox}&etat=sent`,
      linkLabel: 'Répondre aux orientations',
      items: toAnswer.oldest.map((o) => ({
        label: `Envoyée le ${formatDate(o.sentAt)} : ${o.needs.join(', ')}`,
        detail: `Par « ${o.senderStructureName} », vers ${o.placeName}. ${o.urgency}.`,
        href: `/orientations/${o.id}`,
      })),
      ...(name ? { structureName: name } : {}),
    });
    blocks.push({
      id: 'referrals.sent_waiting',
      audience: 'structure',
      title: 'Orientations envoyées en attente',
      count: sent.count,
      summary:
        sent.count === 0 || !sent.oldest
          ? 'Aucune orientation envoyée n’attend de réponse.'
          : sent.count === 1
            ? `1 orientation envoyée attend la réponse du lieu depuis le ${formatDate(sent.oldest)}.`
            : `${sent.count} orientations envoyées attendent la réponse du lieu, la plus ancienne depuis le ${formatDate(sent.oldest)}.`,
      href: `${inbox}&boite=envoyees&etat=sent`,
      linkLabel: 'Voir les orientations envoyées',
      ...(name ? { structureName: name } : {}),
    });
  }
  return blocks;
}
