import assert from 'node:assert/strict';
import type { Actor } from '../../src/accounts/policy.ts';
import type { Db } from '../../src/db/database.ts';
import { importPlacesFile } from '../../src/places/places-import.service.ts';
import { createWorkshop, type WorkshopView } from '../../src/workshops/workshops.service.ts';
import type { DateInput, WorkshopInput } from '../../src/workshops/workshops.ts';
import { bytes, sampleRow, toCsv } from './fixtures.ts';

/**
 * The agenda's test network: two structures of the directory, each with a place — "Médiathèque"
 * (a facilitator, a colleague) and "Centre social" (a mediator) — a coordinator and a funder's person,
 * members of neither.
 */
export interface WorkshopNetwork {
  a: string;
  b: string;
  placeA: string;
  placeB: string;
  facilitator: Actor;
  colleague: Actor;
  other: Actor;
  coordinator: Actor;
  funder: Actor;
}

const SYSTEM: Actor = { kind: 'system' };

export async function workshopNetwork(db: Db): Promise<WorkshopNetwork> {
  await importPlacesFile(
    db,
    SYSTEM,
    bytes(
      toCsv([
        sampleRow({ id: 'm1', nom: 'Médiathèque Sud', pivot: '21450234600019' }),
        sampleRow({ id: 'c1', nom: 'Centre social Nord', pivot: '00000000000009', code_insee: '45075' }),
      ]),
    ),
    { fileName: 'essai.csv' },
  );
  const places = Object.fromEntries(
    (await db.selectFrom('place').select(['id', 'source_id', 'structure_id']).execute()).map((p) => [
      p.source_id,
      p,
    ]),
  );
  const a = places.m1?.structure_id as string;
  const b = places.c1?.structure_id as string;
  assert.ok(a && b && a !== b, 'two structures');
  const person = async (email: string, role: 'coordinator' | 'funder' | null) =>
    (
      await db
        .insertInto('person')
        .values({ email, display_name: email.split('@')[0] as string, network_role: role })
        .returning('id')
        .executeTakeFirstOrThrow()
    ).id;
  const member = async (email: string, structureId: string): Promise<Actor> => {
    const id = await person(email, null);
    await db
      .insertInto('membership')
      .values({ person_id: id, structure_id: structureId, role: 'staff' })
      .execute();
    return { kind: 'person', personId: id, networkRole: null, memberships: [{ structureId, role: 'staff' }] };
  };
  return {
    a,
    b,
    placeA: places.m1?.id as string,
    placeB: places.c1?.id as string,
    facilitator: await member('animatrice@example.org', a),
    colleague: await member('collegue@example.org', a),
    other: await member('autre@example.org', b),
    coordinator: {
      kind: 'person',
      personId: await person('coordination@example.org', 'coordinator'),
      networkRole: 'coordinator',
      memberships: [],
    },
    funder: {
      kind: 'person',
      personId: await person('financeur@example.org', 'funder'),
      networkRole: 'funder',
      memberships: [],
      funderIds: ['00000000-0000-4000-8000-000000000001'],
    },
  };
}

export const workshopForm = (placeId: string, over: WorkshopInput = {}): WorkshopInput => ({
  title: 'Premiers pas sur le smartphone',
  description: 'Allumer, appeler, envoyer un message.',
  needs: [],
  themes: ['prendre_en_main_du_materiel'],
  level: 'debutant',
  mode: 'place',
  placeId,
  audience: 'Adultes',
  accessibility: 'Accès de plain-pied',
  capacity: '8',
  price: '',
  ...over,
});

/** Creates a workshop (failing the test on a refusal) and returns it. */
export async function aWorkshop(
  db: Db,
  actor: Actor,
  structureId: string,
  form: WorkshopInput,
  dates: readonly DateInput[],
  now: Date,
): Promise<WorkshopView> {
  const r = await createWorkshop(db, actor, { structureId, workshop: form, dates }, { now });
  assert.ok(r.ok, JSON.stringify(r));
  return r.workshop;
}
