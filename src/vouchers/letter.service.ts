import { type Actor, authorize } from '../accounts/policy.ts';
import { getReferencePoints } from '../communes/communes.service.ts';
import type { Db } from '../db/database.ts';
import { listStructuresPlaces } from '../places/places.service.ts';
import { straightLineKm } from '../search/search.ts';
import { DomainError } from '../shared/domain-error.ts';
import { findProgramme, listQualifiedPlaces, type ProgrammeRow } from './vouchers.repository.ts';
import { bookletOrThrow, type Programme, toProgramme } from './vouchers.service.ts';

/**
 * The letter a prescriber prints for the person who receives a booklet (decision 0037): what the
 * vouchers are worth, until when, how to use them, and the qualified places nearest to where the person
 * lives (the commune noted at hand-over), or else nearest to the prescriber. Never a name: the ledger
 * holds none.
 */

export const LETTER_MESSAGES = {
  notDistributed: "Ce carnet n'a pas encore été remis à une personne : la lettre s'imprime après la remise.",
  cancelled: "Ce carnet est annulé : il n'y a pas de lettre à remettre.",
} as const;

/** How many places the letter lists: enough to choose, few enough for one page. */
export const LETTER_PLACES = 5;

export interface LetterPlace {
  id: string;
  name: string;
  address: string;
  postcode: string;
  commune: string;
  phone: string | null;
  hours: string | null;
  /** Straight-line kilometres from the person's commune (or the prescriber), when both are located. */
  km: number | null;
}

export interface DistributionLetter {
  programme: Programme;
  bookletNumber: number;
  vouchers: number;
  distributedAt: Date;
  /** The commune noted at hand-over, when there is one. */
  communeName: string | null;
  /** What the places are sorted by: the person's commune, the prescriber, or nothing known (by name). */
  nearestTo: 'commune' | 'prescriber' | 'none';
  prescriberName: string;
  places: LetterPlace[];
}

/**
 * The letter of a booklet handed to a person: its prescriber's members (and the coordinators) print it.
 * The places listed are the programme's qualified places, the five nearest to the commune noted at
 * hand-over, else to the prescriber's own places, else the first five by name.
 */
export async function distributionLetter(
  db: Db,
  actor: Actor,
  input: { bookletId: string },
): Promise<DistributionLetter> {
  const b = await bookletOrThrow(db, input.bookletId);
  authorize(actor, 'distributionLetter', b.allocated_to ? { structureId: b.allocated_to } : {});
  if (b.cancelled_at) throw new DomainError('conflict', LETTER_MESSAGES.cancelled);
  if (!b.distributed_at || !b.allocated_to) throw new DomainError('conflict', LETTER_MESSAGES.notDistributed);
  const programme = toProgramme((await findProgramme(db, b.programme_id)) as ProgrammeRow);
  const qualified = await listQualifiedPlaces(db, b.programme_id);
  const details = b.distribution ?? {};
  const communeCode = typeof details.communeCode === 'string' ? details.communeCode : null;
  const communeName = typeof details.communeName === 'string' ? details.communeName : null;
  let origin: { lat: number; lon: number } | null = null;
  let nearestTo: DistributionLetter['nearestTo'] = 'none';
  if (communeCode) {
    const [point] = await getReferencePoints(db, [communeCode]);
    if (point) {
      origin = { lat: point.lat, lon: point.lon };
      nearestTo = 'commune';
    }
  }
  if (!origin) {
    const own = (await listStructuresPlaces(db, [b.allocated_to])).find(
      (p) => p.latitude !== null && p.longitude !== null,
    );
    if (own) {
      origin = { lat: own.latitude as number, lon: own.longitude as number };
      nearestTo = 'prescriber';
    }
  }
  // One line per place (a place qualified through two structures is listed once).
  const unique = [...new Map(qualified.map((q) => [q.place_id, q])).values()];
  const places: LetterPlace[] = unique.map((q) => ({
    id: q.place_id,
    name: q.place_name,
    address: q.adresse,
    postcode: q.code_postal,
    commune: q.commune,
    phone: q.telephone,
    hours: q.horaires,
    km:
      origin && q.latitude !== null && q.longitude !== null
        ? straightLineKm(origin, { lat: q.latitude, lon: q.longitude })
        : null,
  }));
  places.sort(
    (x, y) =>
      (x.km ?? Number.POSITIVE_INFINITY) - (y.km ?? Number.POSITIVE_INFINITY) ||
      x.name.localeCompare(y.name, 'fr'),
  );
  return {
    programme,
    bookletNumber: b.number,
    vouchers: b.vouchers,
    distributedAt: b.distributed_at,
    communeName,
    nearestTo,
    prescriberName: b.allocated_to_name ?? '',
    places: places.slice(0, LETTER_PLACES),
  };
}
