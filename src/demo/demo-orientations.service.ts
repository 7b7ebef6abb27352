import type { Db, OrientationState } from '../db/database.ts';
import { listStructuresPlaces, type Place } from '../places/places.service.ts';
import {
  type PastOrientation,
  placeDelivery,
  recordPastOrientations,
} from '../referrals/referrals.service.ts';
import {
  addDays,
  type ContactPreference,
  placeOffersNeed,
  type RefusalReason,
  type Urgency,
} from '../referrals/referrals.ts';
import { NEEDS } from '../search/needs.ts';

/** A demo account that sends and receives the demonstration orientations, with its structure. */
export interface DemoMember {
  personId: string;
  name: string;
  email: string;
  structureId: string;
  structureName: string;
}

/** The consent terms printed on demonstration orientations (the defaults of config.ts). */
const DEMO_TERMS = { months: 24, unansweredMonths: 3 };

interface DemoScenario {
  from: DemoMember;
  to: DemoMember;
  personName: string;
  urgency: Urgency;
  contactPreference: ContactPreference;
  personPhone: string | null;
  message: string;
  /** Days before now: sent, answered, closed. */
  days: [number, number | null, number | null];
  path: OrientationState[];
  refusalReason?: RefusalReason;
  stateMessage?: string;
}

/**
 * Seeds a few demonstration orientations between two demo structures (called only by the demo seeding,
 * on the embedded database): one waiting for an answer, one accepted, one closed as "came" — all sent
 * by `second` to a place of `first`'s structure — and one sent by `first` and refused. Each has its
 * events, so a newcomer signed in as a demo member finds an inbox with something in it. The people are
 * fictitious ("Personne Exemple"); no mail is sent and no audit entry is written: nothing happened.
 * Returns the parcours created, for `demo remove`.
 */
export async function seedDemoOrientations(
  db: Db,
  input: { first: DemoMember; second: DemoMember },
  opts: { now?: Date } = {},
): Promise<string[]> {
  const now = opts.now ?? new Date();
  const { first, second } = input;
  const scenarios: DemoScenario[] = [
    {
      from: second,
      to: first,
      personName: 'Personne Exemple',
      urgency: 'soon',
      contactPreference: 'phone',
      personPhone: '01 02 03 04 05',
      message: 'Exemple de démonstration : elle veut faire seule ses démarches en ligne.',
      days: [2, null, null],
      path: ['sent'],
    },
    {
      from: second,
      to: first,
      personName: 'Personne Fictive',
      urgency: 'normal',
      contactPreference: 'self',
      personPhone: null,
      message: 'Exemple de démonstration : il vient avec son téléphone neuf.',
      days: [6, 5, null],
      path: ['sent', 'accepted'],
    },
    {
      from: second,
      to: first,
      personName: 'Exemple Démonstration',
      urgency: 'normal',
      contactPreference: 'via_sender',
      personPhone: null,
      message: 'Exemple de démonstration : elle a besoin d’aide pour son dossier.',
      days: [20, 19, 12],
      path: ['sent', 'accepted', 'came'],
    },
    {
      from: first,
      to: second,
      personName: 'Personne Imaginaire',
      urgency: 'urgent',
      contactPreference: 'phone',
      personPhone: '01 02 03 04 06',
      message: 'Exemple de démonstration : il doit envoyer un document cette semaine.',
      days: [8, 7, null],
      path: ['sent', 'refused'],
      refusalReason: 'full',
      stateMessage: 'Exemple : plus de place avant le mois prochain.',
    },
  ];
  const placeOf = new Map<string, { place: Place; needs: string[] } | null>();
  const destination = async (structureId: string) => {
    if (!placeOf.has(structureId)) {
      let found: { place: Place; needs: string[] } | null = null;
      for (const place of await listStructuresPlaces(db, [structureId])) {
        const needs = NEEDS.filter((n) => placeOffersNeed(place, n)).map((n) => n.slug);
        if (needs.length && (await placeDelivery(db, place.id)) === 'inbox') {
          found = { place, needs };
          break;
        }
      }
      placeOf.set(structureId, found);
    }
    return placeOf.get(structureId) ?? null;
  };
  // Read before the transaction: the embedded database has one connection, held by the transaction.
  const orientations: PastOrientation[] = [];
  for (const [i, sc] of scenarios.entries()) {
    const target = await destination(sc.to.structureId);
    if (!target) continue;
    orientations.push({
      sender: { ...sc.from, contact: '01 02 03 04 00 (numéro de démonstration)' },
      receiver: sc.to,
      place: { id: target.place.id, name: target.place.nom },
      needs: [target.needs[i % target.needs.length] as string],
      urgency: sc.urgency,
      contactPreference: sc.contactPreference,
      person: { name: sc.personName, phone: sc.personPhone },
      message: sc.message,
      consentTerms: DEMO_TERMS,
      path: sc.path.map((state, k) => ({ state, at: addDays(now, -(sc.days[k] as number)) })),
      refusalReason: sc.refusalReason ?? null,
      stateMessage: sc.stateMessage ?? null,
    });
  }
  return recordPastOrientations(db, orientations);
}
