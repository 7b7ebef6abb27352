import { type Actor, authorize } from '../accounts/policy.ts';
import type { Db } from '../db/database.ts';
import { localToday } from '../places/place-dates.ts';
import { listStructuresPlaces } from '../places/places.service.ts';
import { listStructures } from '../structures/structures.service.ts';
import { addNetworkSession, addNetworkTrack, createNetworkDay } from '../workshops/network-days.service.ts';

/**
 * The demonstration's network day (decision 0043): a local day of digital inclusion next month, at a
 * place of its organising structure (not a demo account's), with four tracks and eight sessions (after the founding
 * report's day: round tables, workshops, a plenary). Written through the agenda's own services, marked
 * as demonstration data; `demo remove` deletes it (removeDemoNetworkDays).
 */

const TRACKS = [
  'Inclusion numérique et politique territoriale',
  'Pass numérique sur le territoire',
  'Nouveaux lieux de médiation',
  'Communs numériques',
] as const;

const SESSIONS: {
  track: number;
  title: string;
  start: string;
  end: string;
  room: string;
  speakers: string;
  theme: string;
  capacity: string;
  description: string;
}[] = [
  {
    track: 0,
    title: 'Ouverture : un an de réseau',
    start: '09:30',
    end: '10:15',
    room: 'Grande salle',
    speakers: 'Camille Martin, coordination du réseau\nÉlu·e de la métropole, vice-présidence au numérique',
    theme: 'culture_numerique',
    capacity: '120',
    description: 'Ce que le réseau a fait cette année, et ce qu’il prépare.',
  },
  {
    track: 0,
    title: 'Table ronde : l’inclusion numérique dans les politiques locales',
    start: '10:30',
    end: '12:00',
    room: 'Grande salle',
    speakers: 'Nadia Benali, centre social\nPaul Girard, médiathèque\nLéa Morel, conseil départemental',
    theme: 'aide_aux_demarches_administratives',
    capacity: '120',
    description: 'Communes, département, associations : qui fait quoi, et comment travailler ensemble.',
  },
  {
    track: 1,
    title: 'Atelier : distribuer des pass numériques',
    start: '10:30',
    end: '12:00',
    room: 'Salle 2',
    speakers: 'Sam Leroy, médiation numérique',
    theme: 'diagnostic_numerique',
    capacity: '25',
    description: 'Repérer les personnes, remettre un carnet, suivre les chèques utilisés.',
  },
  {
    track: 1,
    title: 'Retour d’expérience : un an de pass numérique',
    start: '14:00',
    end: '15:00',
    room: 'Salle 2',
    speakers: 'Alex Durand, structure qualifiée',
    theme: 'diagnostic_numerique',
    capacity: '25',
    description: 'Chiffres, difficultés et bonnes idées d’une structure qualifiée.',
  },
  {
    track: 2,
    title: 'Ouvrir un point d’accès en bibliothèque',
    start: '14:00',
    end: '15:30',
    room: 'Salle 3',
    speakers: 'Paul Girard, médiathèque\nInès Haddad, bibliothèque de quartier',
    theme: 'navigation_sur_internet',
    capacity: '30',
    description: 'Deux bibliothèques racontent comment elles accueillent les démarches en ligne.',
  },
  {
    track: 2,
    title: 'Médiation numérique en France services',
    start: '15:45',
    end: '16:45',
    room: 'Salle 3',
    speakers: 'Hugo Petit, France services',
    theme: 'aide_aux_demarches_administratives',
    capacity: '30',
    description: 'Orienter et accompagner : le lien entre agents et médiateurs.',
  },
  {
    track: 3,
    title: 'Atelier : partager ses ressources dans la banque du réseau',
    start: '14:00',
    end: '15:30',
    room: 'Salle 4',
    speakers: 'Jeanne Roux, tiers-lieu',
    theme: 'culture_numerique',
    capacity: '20',
    description: 'Déposer une fiche, une vidéo ou un support d’atelier, et retrouver ceux des autres.',
  },
  {
    track: 3,
    title: 'Clôture : les communs numériques, pour quoi faire ?',
    start: '16:45',
    end: '17:30',
    room: 'Grande salle',
    speakers: 'Camille Martin, coordination du réseau',
    theme: 'culture_numerique',
    capacity: '120',
    description: 'Outils libres, données ouvertes : ce que le réseau peut mettre en commun.',
  },
];

/** The first Tuesday at least 28 days after today (Paris calendar). */
export function demoNetworkDayDate(now: Date): string {
  const today = localToday(now);
  const d = new Date(`${today}T12:00:00Z`);
  d.setUTCDate(d.getUTCDate() + 28);
  while (d.getUTCDay() !== 2) d.setUTCDate(d.getUTCDate() + 1);
  return d.toISOString().slice(0, 10);
}

/**
 * The organiser: the first structure with a place other than those to avoid — the demo accounts'
 * structures, so that their own workshop lists stay theirs; one of them when no other has a place.
 */
async function organiserOf(
  db: Db,
  actor: Actor,
  avoid: readonly string[],
): Promise<{ structureId: string; placeId: string } | null> {
  const structures = (await listStructures(db, actor)).map((s) => s.id);
  const ordered = [...structures.filter((id) => !avoid.includes(id)), ...avoid];
  for (const structureId of ordered) {
    const place = (await listStructuresPlaces(db, [structureId]))[0];
    if (place) return { structureId, placeId: place.id };
  }
  return null;
}

/**
 * Seeds the demonstration's network day at a place of its organising structure; nothing when no
 * structure has a place. The server's first start (demonstration mode) only.
 */
export async function seedDemoNetworkDay(
  db: Db,
  actor: Actor,
  input: { avoid: readonly string[] },
  opts: { now?: Date } = {},
): Promise<string | null> {
  authorize(actor, 'seedDemoNetworkDay');
  const now = opts.now ?? new Date();
  const organiser = await organiserOf(db, actor, input.avoid);
  if (!organiser) return null;
  const created = await createNetworkDay(
    db,
    actor,
    {
      day: {
        structureId: organiser.structureId,
        title: 'Journée du réseau : Numérique en commun[s] local',
        description:
          'La journée annuelle des acteurs de la médiation numérique du territoire : tables rondes, ateliers et retours d’expérience, en quatre parcours. Gratuit, sur inscription à chaque séance.',
        day: demoNetworkDayDate(now),
        placeId: organiser.placeId,
        status: 'confirmed',
      },
      tracks: [],
    },
    { now, isDemo: true },
  );
  if (!created.ok) return null;
  const dayId = created.day.id;
  const trackIds: string[] = [];
  for (const name of TRACKS) {
    const t = await addNetworkTrack(db, actor, { dayId, name }, { now });
    if (t.ok) trackIds.push(t.trackId);
  }
  for (const s of SESSIONS)
    await addNetworkSession(
      db,
      actor,
      { dayId, session: { ...s, trackId: trackIds[s.track] ?? '' } },
      { now, isDemo: true },
    );
  return dayId;
}
