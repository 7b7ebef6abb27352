import type { Actor } from '../../src/accounts/policy.ts';
import type { Db } from '../../src/db/database.ts';
import { importPlacesFile } from '../../src/places/places-import.service.ts';
import { allocateBooklets, distributeBooklet, getBooklet } from '../../src/vouchers/booklets.service.ts';
import {
  addPrescriber,
  addQualifiedPlace,
  confirmProgramme,
  createProgramme,
  emitBooklets,
  recordPayment,
} from '../../src/vouchers/vouchers.service.ts';
import type { ProgrammeValues } from '../../src/vouchers/vouchers.ts';
import { bytes, sampleRow, toCsv } from './fixtures.ts';

/**
 * A small pass numérique network for the service tests (decision 0037), written through the services
 * as a coordinator and a funder would: structure A with two places and a staff member, structure B with
 * one place, a prescriber structure (a CCAS) with one member, a coordinator, and a funder whose person
 * confirms programmes. Every date follows NOW, so that the tests never depend on the day they run.
 */
export const NOW = new Date('2026-06-15T08:00:00Z');
export const HOUR = 3_600_000;
export const DAY = 24 * HOUR;
export const SYSTEM: Actor = { kind: 'system' };
export const noCommune = () => null;

export interface PassNetwork {
  funderId: string;
  places: { a1: string; a2: string; b1: string };
  structures: { a: string; b: string; prescriber: string };
  coordinator: Actor;
  funder: Actor;
  staffA: Actor;
  staffB: Actor;
  prescriber: Actor;
}

let networks = 0;

export async function passNetwork(db: Db): Promise<PassNetwork> {
  const n = ++networks;
  await importPlacesFile(
    db,
    SYSTEM,
    bytes(
      toCsv([
        sampleRow({ id: `a1-${n}`, nom: 'Médiathèque Nord', pivot: '21450234600019' }),
        sampleRow({ id: `a2-${n}`, nom: 'Médiathèque Sud', pivot: '21450234600019' }),
        sampleRow({ id: `b1-${n}`, nom: 'Espace B', pivot: '00000000000009' }),
      ]),
    ),
    { fileName: `pass-${n}.csv` },
  );
  const rows = await db.selectFrom('place').select(['id', 'source_id', 'structure_id']).execute();
  const place = (id: string) => rows.find((r) => r.source_id === `${id}-${n}`) as (typeof rows)[number];
  const a = place('a1').structure_id as string;
  const b = place('b1').structure_id as string;
  await db.updateTable('structure').set({ nom: 'Médiathèques' }).where('id', '=', a).execute();
  await db.updateTable('structure').set({ nom: 'Espace B' }).where('id', '=', b).execute();
  const ccas = await db
    .insertInto('structure')
    .values({ pivot: '00000000000017', nom: 'CCAS de Saran' })
    .returning('id')
    .executeTakeFirstOrThrow();
  const person = async (name: string, role: 'coordinator' | null = null) =>
    (
      await db
        .insertInto('person')
        .values({ email: `${name}-${n}@example.org`, display_name: name, network_role: role })
        .returning('id')
        .executeTakeFirstOrThrow()
    ).id;
  const funder = await db
    .insertInto('funder')
    .values({ name: 'Département du Loiret' })
    .returning('id')
    .executeTakeFirstOrThrow();
  const funderPerson = await person('financeur');
  await db.insertInto('funder_member').values({ funder_id: funder.id, person_id: funderPerson }).execute();
  const member = async (name: string, structureId: string): Promise<Actor> => {
    const id = await person(name);
    await db
      .insertInto('membership')
      .values({ person_id: id, structure_id: structureId, role: 'staff' })
      .execute();
    return { kind: 'person', personId: id, networkRole: null, memberships: [{ structureId, role: 'staff' }] };
  };
  return {
    funderId: funder.id,
    places: { a1: place('a1').id, a2: place('a2').id, b1: place('b1').id },
    structures: { a, b, prescriber: ccas.id },
    coordinator: {
      kind: 'person',
      personId: await person('coordination', 'coordinator'),
      networkRole: 'coordinator',
      memberships: [],
    },
    funder: {
      kind: 'person',
      personId: funderPerson,
      networkRole: null,
      memberships: [],
      funderIds: [funder.id],
    },
    staffA: await member('equipe-a', a),
    staffB: await member('equipe-b', b),
    prescriber: await member('ccas', ccas.id),
  };
}

export const programmeValues = (net: PassNetwork, over: Partial<ProgrammeValues> = {}): ProgrammeValues => ({
  funderId: net.funderId,
  name: 'Pass numérique 2026',
  faceValue: '10',
  bookletSize: '5',
  validFrom: '01/01/2026',
  validUntil: '31/12/2026',
  graceDays: '31',
  perimeter: 'epci:244500468',
  budget: '1000',
  publics: [],
  ...over,
});

/** A programme created, confirmed by the funder, with places A1, A2 (and B1 unless told) and the CCAS. */
export async function readyProgramme(
  db: Db,
  net: PassNetwork,
  over: Partial<ProgrammeValues> = {},
  opts: { placeB?: boolean; confirm?: boolean; isDemo?: boolean } = {},
): Promise<string> {
  const created = await createProgramme(db, net.coordinator, programmeValues(net, over), {
    isDemo: opts.isDemo ?? false,
  });
  if (!created.ok) throw new Error(JSON.stringify(created.errors));
  const id = created.programmeId;
  if (opts.confirm ?? true) {
    const c = await confirmProgramme(db, net.funder, { programmeId: id, confirmed: true }, { now: NOW });
    if (!c.ok) throw new Error(JSON.stringify(c.errors));
  }
  const places = [net.places.a1, net.places.a2, ...(opts.placeB === false ? [] : [net.places.b1])];
  for (const placeId of places) await addQualifiedPlace(db, net.coordinator, { programmeId: id, placeId });
  await addPrescriber(db, net.coordinator, { programmeId: id, structureId: net.structures.prescriber });
  return id;
}

/** Emits booklets and takes them as far as told: paid, allocated to the CCAS, handed to a person. */
export async function bookletsAt(
  db: Db,
  net: PassNetwork,
  programmeId: string,
  stage: { booklets?: number; paid?: boolean; allocated?: boolean; distributed?: boolean; now?: Date } = {},
): Promise<{ emissionId: number; bookletIds: string[]; codes: string[][] }> {
  const now = stage.now ?? NOW;
  const e = await emitBooklets(
    db,
    net.coordinator,
    { programmeId, booklets: String(stage.booklets ?? 1) },
    { now },
  );
  if (!e.ok) throw new Error(JSON.stringify(e.errors));
  if (stage.paid ?? true) {
    const emitted = await db
      .selectFrom('voucher_entry')
      .select('amount_cents')
      .where('id', '=', e.emissionId)
      .executeTakeFirstOrThrow();
    const p = await recordPayment(
      db,
      net.coordinator,
      {
        programmeId,
        emissionId: String(e.emissionId),
        amount: String(Number(emitted.amount_cents) / 100),
        reference: `MANDAT-${e.emissionId}`,
      },
      { now },
    );
    if (!p.ok) throw new Error(JSON.stringify(p.errors));
  }
  const ids = (
    await db
      .selectFrom('voucher_booklet')
      .select('id')
      .where('emission_entry_id', '=', e.emissionId)
      .orderBy('number')
      .execute()
  ).map((b) => b.id);
  const allocated = stage.allocated ?? true;
  if (allocated) {
    const a = await allocateBooklets(
      db,
      net.coordinator,
      { programmeId, structureId: net.structures.prescriber, bookletIds: ids },
      { now },
    );
    if (!a.ok) throw new Error(JSON.stringify(a.errors));
    // An unpaid booklet cannot be handed out: it stays allocated unless asked otherwise.
    if (stage.distributed ?? stage.paid ?? true)
      for (const bookletId of ids) {
        const d = await distributeBooklet(
          db,
          net.prescriber,
          { bookletId, declared: true, ageBand: '', commune: '' },
          { now, resolveCommune: noCommune },
        );
        if (!d.ok) throw new Error(JSON.stringify(d.errors));
      }
  }
  const codes: string[][] = [];
  for (const bookletId of ids)
    codes.push((await getBooklet(db, net.coordinator, { bookletId })).vouchers.map((v) => v.code));
  return { emissionId: e.emissionId, bookletIds: ids, codes };
}

/** Counts of every ledger table, to prove a refusal wrote nothing. */
export async function ledgerCounts(db: Db): Promise<Record<string, number>> {
  const count = async (table: 'voucher_entry' | 'voucher_booklet' | 'voucher' | 'voucher_seal') =>
    Number(
      (
        await db
          .selectFrom(table)
          .select((eb) => eb.fn.countAll().as('n'))
          .executeTakeFirstOrThrow()
      ).n,
    );
  return {
    entries: await count('voucher_entry'),
    booklets: await count('voucher_booklet'),
    vouchers: await count('voucher'),
    seals: await count('voucher_seal'),
  };
}
