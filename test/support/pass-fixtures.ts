import type { Actor } from '../../src/accounts/policy.ts';
import type { Db } from '../../src/db/database.ts';
import { findDemoFunder } from '../../src/funders/funders.repository.ts';
import { addDays, frenchDate, localToday } from '../../src/places/place-dates.ts';
import { allocateBooklets, distributeBooklet, getBooklet } from '../../src/vouchers/booklets.service.ts';
import {
  addPrescriber,
  addQualifiedPlace,
  confirmProgramme,
  createProgramme,
  emitBooklets,
  recordPayment,
} from '../../src/vouchers/vouchers.service.ts';

/**
 * A pass numérique programme over the demonstration data, built through the services as the
 * coordinators and the funder would (the command line's system actor): the demo structure of
 * admin.demo and mediation.demo is its prescriber, one of its places is qualified. For route tests,
 * the authorisation matrix and browser journeys, until the demonstration data has programmes of its own.
 */
const SYSTEM: Actor = { kind: 'system' };

/** A signed-in person's actor, read from the database (memberships included), for services in tests. */
export async function actorOf(db: Db, email: string): Promise<Actor> {
  const person = await db
    .selectFrom('person')
    .select(['id', 'network_role'])
    .where('email', '=', email)
    .executeTakeFirstOrThrow();
  const memberships = await db
    .selectFrom('membership')
    .select(['structure_id', 'role'])
    .where('person_id', '=', person.id)
    .execute();
  return {
    kind: 'person',
    personId: person.id,
    networkRole: person.network_role as never,
    memberships: memberships.map((m) => ({ structureId: m.structure_id, role: m.role as never })),
  };
}

/** The demo structure of admin.demo and mediation.demo, and its first place by name. */
export async function demoStructurePlace(
  db: Db,
): Promise<{ structureId: string; placeId: string; placeName: string }> {
  const row = await db
    .selectFrom('place')
    .innerJoin('membership', 'membership.structure_id', 'place.structure_id')
    .innerJoin('person', 'person.id', 'membership.person_id')
    .select(['place.id', 'place.nom', 'place.structure_id'])
    .where('person.email', '=', 'mediation.demo@example.org')
    .orderBy('place.nom')
    .executeTakeFirstOrThrow();
  return { structureId: row.structure_id as string, placeId: row.id, placeName: row.nom };
}

export interface PassProgramme {
  programmeId: string;
  structureId: string;
  placeId: string;
  placeName: string;
  /** Booklets allocated to the demo structure, in number order. */
  booklets: { id: string; number: number }[];
}

export interface PassOptions {
  name?: string;
  booklets?: number;
  allocate?: number;
  paid?: boolean;
  validFrom?: string;
  validUntil?: string;
  graceDays?: string;
  /** Qualify the demo place (default true). */
  qualify?: boolean;
}

export async function setUpPassProgramme(db: Db, opts: PassOptions = {}): Promise<PassProgramme> {
  // Valid from 90 days ago to a year from now, whatever today is: a fixed calendar year ends, and
  // distribution stops 15 days before the end (decision 0050), so a test run in late December would fail.
  const today = localToday(new Date());
  const funder = await findDemoFunder(db);
  const funderId =
    funder?.id ??
    (
      await db
        .insertInto('funder')
        .values({ name: 'Financeur du pass' })
        .returning('id')
        .executeTakeFirstOrThrow()
    ).id;
  const { structureId, placeId, placeName } = await demoStructurePlace(db);
  const count = opts.booklets ?? 4;
  const created = await createProgramme(db, SYSTEM, {
    funderId,
    name: opts.name ?? 'Pass numérique de démonstration',
    faceValue: '10',
    bookletSize: '5',
    validFrom: opts.validFrom ?? frenchDate(addDays(today, -90)),
    validUntil: opts.validUntil ?? frenchDate(addDays(today, 365)),
    graceDays: opts.graceDays ?? '31',
    perimeter: 'epci:244500468',
    budget: String(count * 50 + 1000),
    publics: [],
  });
  if (!created.ok) throw new Error(`programme: ${JSON.stringify(created.errors)}`);
  const programmeId = created.programmeId;
  const confirmed = await confirmProgramme(db, SYSTEM, { programmeId, confirmed: true });
  if (!confirmed.ok) throw new Error('confirmation');
  const emitted = await emitBooklets(db, SYSTEM, { programmeId, booklets: String(count) });
  if (!emitted.ok) throw new Error(`emission: ${JSON.stringify(emitted.errors)}`);
  if (opts.paid ?? true) {
    const paid = await recordPayment(db, SYSTEM, {
      programmeId,
      emissionId: String(emitted.emissionId),
      amount: String(count * 50),
      reference: `MANDAT-${programmeId.slice(0, 8)}`,
    });
    if (!paid.ok) throw new Error(`payment: ${JSON.stringify(paid.errors)}`);
  }
  if (opts.qualify ?? true) {
    const q = await addQualifiedPlace(db, SYSTEM, { programmeId, placeId });
    if (!q.ok) throw new Error(`place: ${JSON.stringify(q.errors)}`);
  }
  const pr = await addPrescriber(db, SYSTEM, { programmeId, structureId });
  if (!pr.ok) throw new Error(`prescriber: ${JSON.stringify(pr.errors)}`);
  const allocated = await allocateBooklets(db, SYSTEM, {
    programmeId,
    structureId,
    count: String(opts.allocate ?? count),
  });
  if (!allocated.ok) throw new Error(`allocation: ${JSON.stringify(allocated.errors)}`);
  return { programmeId, structureId, placeId, placeName, booklets: allocated.booklets };
}

/** Hands a booklet to a person as mediation.demo would (declared in the perimeter), and returns its codes. */
export async function handOver(
  db: Db,
  bookletId: string,
  opts: { commune?: { code: string; name: string }; now?: Date } = {},
): Promise<string[]> {
  const staff = await actorOf(db, 'mediation.demo@example.org');
  const done = await distributeBooklet(
    db,
    staff,
    { bookletId, declared: true, ageBand: '', commune: opts.commune ? opts.commune.name : '' },
    { resolveCommune: () => opts.commune ?? null, ...(opts.now ? { now: opts.now } : {}) },
  );
  if (!done.ok) throw new Error(`hand-over: ${JSON.stringify(done.errors)}`);
  return codesOf(db, bookletId);
}

/** A booklet's voucher codes, in position order. */
export async function codesOf(db: Db, bookletId: string): Promise<string[]> {
  return (await getBooklet(db, SYSTEM, { bookletId })).vouchers.map((v) => v.code);
}
