import assert from 'node:assert/strict';
import type { Actor } from '../../src/accounts/policy.ts';
import type { Db } from '../../src/db/database.ts';
import { createWorkshop, type WorkshopView } from '../../src/workshops/workshops.service.ts';
import type { DateInput, WorkshopInput } from '../../src/workshops/workshops.ts';
import { type TwoStructures, twoStructures } from './two-structures.ts';

/**
 * The agenda's test network: the two structures of `twoStructures`, whose first structure's mediator is
 * the facilitator (animatrice@example.org).
 */
export interface WorkshopNetwork extends Omit<TwoStructures, 'mediator'> {
  facilitator: Actor;
}

export async function workshopNetwork(db: Db): Promise<WorkshopNetwork> {
  const { mediator, ...rest } = await twoStructures(db, { mediatorEmail: 'animatrice@example.org' });
  return { ...rest, facilitator: mediator };
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
