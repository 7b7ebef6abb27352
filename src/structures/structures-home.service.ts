import { countPendingInvitations, listStructureInvitations } from '../accounts/invitations.service.ts';
import { type Actor, can } from '../accounts/policy.ts';
import type { Db } from '../db/database.ts';
import { placeRequestsQueue } from '../moderation/place-requests.service.ts';
import { staleBefore } from '../places/freshness.service.ts';
import { listStructuresPlaces } from '../places/places.service.ts';
import { formatIsoDate } from '../shared/format.ts';
import type { HomeBlock } from '../shared/home-block.ts';
import { searchNetworkStructures } from './structure-admin.service.ts';
import { networkCounts } from './structure-list.repository.ts';
import { countMembers, listStructureSummaries } from './structures.repository.ts';

/**
 * The structures' blocks of the home page (`/espace`). For each structure a person belongs to: its
 * places not updated for 12 months, and its members with the invitations waiting (administrators see
 * those). For coordinators: structures without an administrator, invitations and join requests waiting,
 * new places and attach requests to decide — each a count with a link to the filtered list.
 */

const ITEMS = 5;
const plural = (n: number, one: string, many: string) => `${n} ${n > 1 ? many : one}`;

async function structureBlocks(
  db: Db,
  actor: Extract<Actor, { kind: 'person' }>,
  structure: { id: string; name: string; role: 'structure_admin' | 'staff' },
  now: Date,
): Promise<HomeBlock[]> {
  const before = staleBefore(now);
  const stale = (await listStructuresPlaces(db, [structure.id]))
    .filter((p) => p.dateMaj === null || p.dateMaj < before)
    .sort((a, b) => (a.dateMaj ?? '').localeCompare(b.dateMaj ?? '') || a.nom.localeCompare(b.nom, 'fr'));
  const members = await countMembers(db, structure.id);
  const scope = { structureId: structure.id };
  const invitations = can(actor, 'listStructureInvitations', scope)
    ? (await listStructureInvitations(db, actor, scope, { now })).filter((i) => !i.expired)
    : null;
  return [
    {
      id: 'structures.places_to_update',
      audience: 'structure',
      structureName: structure.name,
      title: 'Lieux à mettre à jour',
      count: stale.length,
      summary:
        stale.length === 0
          ? 'Tous les lieux de la structure ont été mis à jour depuis moins de 12 mois.'
          : `${plural(stale.length, 'lieu n’a', 'lieux n’ont')} pas été mis à jour depuis plus de 12 mois.`,
      href: '/mes-lieux',
      linkLabel: 'Voir mes lieux',
      items: stale.slice(0, ITEMS).map((p) => ({
        label: p.nom,
        detail: p.dateMaj ? `mis à jour le ${formatIsoDate(p.dateMaj)}` : 'jamais mis à jour',
        href: `/lieux/${p.id}/modifier`,
      })),
    },
    {
      id: 'structures.members',
      audience: 'structure',
      kind: 'figures',
      structureName: structure.name,
      title: 'Membres et invitations',
      count: members,
      summary:
        invitations === null
          ? `${plural(members, 'membre', 'membres')} dans la structure.`
          : `${plural(members, 'membre', 'membres')}, ${plural(invitations.length, 'invitation en attente', 'invitations en attente')}.`,
      href: `/structures/${structure.id}#membres`,
      linkLabel: invitations === null ? 'Voir les membres' : 'Gérer les membres et les invitations',
      items: (invitations ?? []).slice(0, ITEMS).map((i) => ({
        label: `${i.name} (${i.email})`,
        detail: `invitation envoyée le ${formatIsoDate(i.sentAt.toISOString().slice(0, 10))}`,
        href: `/structures/${structure.id}#invitations`,
      })),
    },
  ];
}

async function coordinatorBlocks(db: Db, actor: Actor, now: Date): Promise<HomeBlock[]> {
  const [counts, invitations, withoutAdmin, requests] = await Promise.all([
    networkCounts(db),
    countPendingInvitations(db, undefined, { now }),
    searchNetworkStructures(db, actor, { admin: 'sans' }),
    placeRequestsQueue(db),
  ]);
  const invited = [...invitations.values()].reduce((a, b) => a + b, 0);
  const asked = requests.counts.newPlaces + requests.counts.attachRequests;
  return [
    {
      id: 'structures.without_admin',
      audience: 'coordinator',
      title: 'Structures sans administrateur',
      count: counts.withoutAdmin,
      summary: `${plural(counts.withoutAdmin, 'structure n’a', 'structures n’ont')} personne pour l’administrer : personne n’y tient ${counts.withoutAdmin > 1 ? 'leurs' : 'ses'} lieux à jour.`,
      href: '/structures?admin=sans',
      linkLabel: 'Voir les structures sans administrateur',
      items: withoutAdmin.structures.slice(0, ITEMS).map((s) => ({
        label: s.name,
        detail: plural(s.places, 'lieu', 'lieux'),
        href: `/structures/${s.id}`,
      })),
    },
    {
      id: 'structures.pending',
      audience: 'coordinator',
      title: 'Invitations et demandes en attente',
      count: invited + counts.joinRequests,
      summary: `${plural(invited, 'invitation n’est', 'invitations ne sont')} pas encore ${invited > 1 ? 'acceptées' : 'acceptée'}, ${plural(counts.joinRequests, 'demande pour rejoindre une structure attend', 'demandes pour rejoindre une structure attendent')}.`,
      href: '/structures?attente=oui',
      linkLabel: 'Voir les structures concernées',
    },
    {
      id: 'structures.place_requests',
      audience: 'coordinator',
      title: 'Nouveaux lieux et rattachements',
      count: asked,
      summary: `${plural(requests.counts.newPlaces, 'nouveau lieu', 'nouveaux lieux')} et ${plural(requests.counts.attachRequests, 'demande de rattachement', 'demandes de rattachement')} à examiner.`,
      href: '/moderation',
      linkLabel: 'Examiner dans la modération',
      items: [
        ...requests.newPlaces.map((p) => ({
          label: `Nouveau lieu : ${p.name} (${p.commune})`,
          ...(p.structureName ? { detail: p.structureName } : {}),
          href: `/moderation/nouveaux-lieux/${p.id}`,
        })),
        ...requests.attachRequests.map((r) => ({
          label: `Rattachement : ${r.placeName} (${r.commune})`,
          detail: r.structureName,
          href: `/moderation/rattachements/${r.id}`,
        })),
      ].slice(0, ITEMS),
    },
  ];
}

/**
 * The structures' blocks that concern the actor: per structure they belong to, places to update and
 * members (with invitations for administrators); for coordinators, the network's structures without an
 * administrator, what waits (invitations, join requests) and structures' place requests. Empty for
 * anyone else.
 */
export async function homeBlocks(db: Db, actor: Actor, now = new Date()): Promise<HomeBlock[]> {
  if (actor.kind !== 'person') return [];
  const blocks: HomeBlock[] = [];
  if (actor.networkRole === 'coordinator') blocks.push(...(await coordinatorBlocks(db, actor, now)));
  const names = await structureNamesOf(
    db,
    actor.memberships.map((m) => m.structureId),
  );
  for (const m of actor.memberships)
    blocks.push(
      ...(await structureBlocks(
        db,
        actor,
        { id: m.structureId, name: names.get(m.structureId) ?? '', role: m.role },
        now,
      )),
    );
  return blocks;
}

async function structureNamesOf(db: Db, ids: string[]): Promise<Map<string, string>> {
  return new Map((await listStructureSummaries(db, ids)).map((r) => [r.id, r.nom]));
}
