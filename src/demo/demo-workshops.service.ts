import type { Actor } from '../accounts/policy.ts';
import type { Db } from '../db/database.ts';
import { listStructuresPlaces } from '../places/places.service.ts';
import { listStructures } from '../structures/structures.service.ts';
import { seedDemoWorkshops } from '../workshops/workshops-demo.service.ts';
import type { DemoStructure } from './demo-activities.ts';
import type { DemoMember } from './demo-orientations.service.ts';
import { demoWorkshops } from './demo-workshops.ts';

/**
 * Seeds the demonstration's agenda (src/demo/demo-workshops.ts) for demo structures 0 and 1 (their
 * mediators create the workshops) and a third one, in their places with a commune. The demonstration's
 * first start only (`seedDemoIfFresh`); `demo remove` deletes it.
 */
export async function seedWorkshopsDemo(
  db: Db,
  actor: Actor,
  members: { first: DemoMember; second: DemoMember },
  opts: { now?: Date },
): Promise<number> {
  const third = (await listStructures(db, actor))
    .map((s) => s.id)
    .find((id) => id !== members.first.structureId && id !== members.second.structureId);
  const owners: [string, string | null][] = [
    [members.first.structureId, members.first.personId],
    [members.second.structureId, members.second.personId],
    ...(third ? [[third, null] as [string, null]] : []),
  ];
  const structures: DemoStructure[] = [];
  for (const [structureId, authorId] of owners) {
    const places = (await listStructuresPlaces(db, [structureId])).filter((p) => p.codeInsee).slice(0, 3);
    structures.push({
      structureId,
      authorId,
      places: places.map((p) => ({
        id: p.id,
        name: p.nom,
        communeCode: p.codeInsee ?? '',
        postalCode: p.codePostal,
      })),
    });
  }
  const seeded = await seedDemoWorkshops(db, actor, {
    workshops: demoWorkshops(structures, opts.now ?? new Date()),
  });
  return seeded.dates;
}
