import assert from 'node:assert/strict';
import type { Actor } from '../../src/accounts/policy.ts';
import type { Db } from '../../src/db/database.ts';
import { importPlacesFile } from '../../src/places/places-import.service.ts';
import { bytes, sampleRow, toCsv } from './fixtures.ts';

/**
 * The services' test network: two structures of the directory, each with a place — "Médiathèque Sud"
 * (structure `a`, place `placeA`: the mediator and a colleague) and "Centre social Nord" (structure `b`,
 * place `placeB` in commune 45075: `other`) — and a coordinator and a funder's person, members of
 * neither. Each person's display name is the local part of their email.
 */
export interface TwoStructures {
  a: string;
  b: string;
  placeA: string;
  placeB: string;
  mediator: Actor;
  colleague: Actor;
  other: Actor;
  coordinator: Actor;
  funder: Actor;
}

export interface TwoStructuresOptions {
  /** Email of the first structure's mediator (default `mediatrice@example.org`). */
  mediatorEmail?: string;
  /** Extra or replaced columns of the directory rows of the two places. */
  placeA?: Record<string, string>;
  placeB?: Record<string, string>;
}

const SYSTEM: Actor = { kind: 'system' };

/** The funder id the funder's actor carries. */
export const FUNDER_ID = '00000000-0000-4000-8000-000000000001';

export async function twoStructures(db: Db, options: TwoStructuresOptions = {}): Promise<TwoStructures> {
  await importPlacesFile(
    db,
    SYSTEM,
    bytes(
      toCsv([
        sampleRow({ id: 'm1', nom: 'Médiathèque Sud', pivot: '21450234600019', ...options.placeA }),
        sampleRow({
          id: 'c1',
          nom: 'Centre social Nord',
          pivot: '00000000000009',
          code_insee: '45075',
          ...options.placeB,
        }),
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
    mediator: await member(options.mediatorEmail ?? 'mediatrice@example.org', a),
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
      funderIds: [FUNDER_ID],
    },
  };
}
