import { ensureDemoVolunteerPerson } from '../accounts/accounts.service.ts';
import { type Actor, authorize } from '../accounts/policy.ts';
import type { Db } from '../db/database.ts';
import { listStructuresPlaces } from '../places/places.service.ts';
import { DEMO_MISSIONS, DEMO_VOLUNTEERS } from './demo-volunteers.ts';
import { inTransaction } from './missions.service.ts';
import {
  deleteDemoMissions,
  deleteDemoVolunteers,
  insertMatch,
  insertMission,
  insertVolunteer,
} from './volunteers.repository.ts';
import { CHARTER_VERSION } from './volunteers.ts';

const DAY_MS = 86_400_000;
const isoDay = (d: Date) => d.toISOString().slice(0, 10);

/**
 * The demonstration's volunteering (demo-volunteers.ts): missions at the first place of demo structures
 * 0 and 1 (two validated, one to validate), three volunteers (the demo volunteer account, validated;
 * one validated who asked to join a mission; one to validate) and a mission proposed to the demo
 * volunteer. The server's first start only; returns the number of missions.
 */
export async function seedDemoVolunteers(
  db: Db,
  actor: Actor,
  input: {
    first: { structureId: string; personId: string };
    second: { structureId: string; personId: string };
  },
  opts: { now?: Date } = {},
): Promise<number> {
  authorize(actor, 'seedDemoVolunteers');
  const now = opts.now ?? new Date();
  const owners = [input.first, input.second];
  const placeOf = new Map<string, string>();
  for (const owner of owners) {
    const [place] = await listStructuresPlaces(db, [owner.structureId]);
    if (place) placeOf.set(owner.structureId, place.id);
  }
  return inTransaction(db, async (tx) => {
    const missionIds: (string | null)[] = [];
    for (const m of DEMO_MISSIONS) {
      const owner = owners[m.structure];
      const place = owner ? placeOf.get(owner.structureId) : undefined;
      if (!owner || !place) {
        missionIds.push(null);
        continue;
      }
      const start = new Date(now.getTime() + m.startInDays * DAY_MS);
      missionIds.push(
        await insertMission(tx, {
          structure_id: owner.structureId,
          place_id: place,
          author_id: owner.personId,
          title: m.title,
          description: m.description,
          starts_on: isoDay(start),
          ends_on: isoDay(new Date(start.getTime() + m.lengthDays * DAY_MS)),
          slots: [...m.slots],
          skills: [...m.skills],
          commitment: m.commitment,
          hours_per_week: m.hoursPerWeek,
          audience: m.audience,
          seats: m.seats,
          state: m.state,
          validated_at: m.state === 'validated' ? now : null,
          is_demo: true,
          created_at: now,
          updated_at: now,
        }),
      );
    }
    for (const v of DEMO_VOLUNTEERS) {
      const personId = await ensureDemoVolunteerPerson(tx, { email: v.email, name: v.name });
      await insertVolunteer(tx, {
        person_id: personId,
        phone: null,
        skills: [...v.skills],
        availability: [...v.availability],
        communes: [...v.communes],
        charter_version: CHARTER_VERSION,
        charter_accepted_at: now,
        state: v.state,
        validated_at: v.state === 'validated' ? now : null,
        is_demo: true,
        created_at: now,
      });
      const asks = 'asks' in v ? missionIds[v.asks] : null;
      if (asks)
        await insertMatch(tx, {
          mission_id: asks,
          volunteer_id: personId,
          origin: 'volunteer',
          created_at: now,
        });
      const proposed = 'proposed' in v ? missionIds[v.proposed] : null;
      if (proposed)
        await insertMatch(tx, {
          mission_id: proposed,
          volunteer_id: personId,
          origin: 'structure',
          created_at: now,
        });
    }
    return missionIds.filter((id) => id !== null).length;
  });
}

/** Deletes the demonstration's missions and volunteers' profiles (`demo remove`; accounts go after). */
export async function removeDemoVolunteers(db: Db, actor: Actor): Promise<number> {
  authorize(actor, 'removeDemoVolunteers');
  return inTransaction(db, async (tx) => {
    const missions = await deleteDemoMissions(tx);
    await deleteDemoVolunteers(tx);
    return missions;
  });
}
