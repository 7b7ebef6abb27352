import fs from 'node:fs';
import {
  countDemoAccounts,
  DEMO_ACCOUNTS,
  listAccounts,
  removeDemoAccounts,
  seedDemoAccounts,
} from '../accounts/accounts.service.ts';
import { type Actor, authorize } from '../accounts/policy.ts';
import { removeDemoActivities, seedDemoActivities } from '../activities/activities-demo.service.ts';
import { ensureReferencePoints } from '../communes/communes.service.ts';
import type { Db } from '../db/database.ts';
import { removeDemoFunders, seedDemoFunder } from '../funders/funders.service.ts';
import { localToday } from '../places/place-dates.ts';
import {
  countAllPlaces,
  DEMO_PARTNER_SOURCE,
  DEMO_SOURCE,
  listStructuresPlaces,
  removeDemoPlaces,
} from '../places/places.service.ts';
import { importPlaceRecords } from '../places/places-import.service.ts';
import { seedDemoPrivateContacts } from '../places/private-contacts.service.ts';
import { removeDemoOrientations } from '../referrals/referrals.service.ts';
import { removeDemoResources, seedDemoResources } from '../resources/resources.service.ts';
import { listStructures } from '../structures/structures.service.ts';
import { removeDemoVolunteers, seedDemoVolunteers } from '../volunteers/demo-volunteers.service.ts';
import { removeDemoVouchers } from '../vouchers/vouchers.service.ts';
import { removeDemoNetworkDays } from '../workshops/network-days.service.ts';
import { removeDemoWorkshops } from '../workshops/workshops-demo.service.ts';
import { readSetting, writeSetting } from './demo.repository.ts';
import { type DemoStructure, demoActivities, demoCoordination } from './demo-activities.ts';
import { DEMO_COMMUNE_POINTS } from './demo-communes.ts';
import { seedDemoNetworkDay } from './demo-network-day.service.ts';
import { type DemoMember, seedDemoOrientations } from './demo-orientations.service.ts';
import type { DemoOutlines } from './demo-outlines.ts';
import { DEMO_PARTNER_PLACES, DEMO_PLACES } from './demo-places.ts';
import { seedDemoVouchers } from './demo-vouchers.service.ts';
import { seedWorkshopsDemo } from './demo-workshops.service.ts';

const SEEDED_KEY = 'demo_seeded_at';
/** MERGE_REVIEW_BELOW's default: the second publisher's two places then show both kinds of merge. */
const DEMO_MERGE_REVIEW_BELOW = 0.75;
/** The parcours of the demonstration orientations, deleted by `demo remove`. */
const PARCOURS_KEY = 'demo_parcours';

/**
 * The demonstration's reference points with their simplified outlines (demo-outlines.json, IGN ADMIN
 * EXPRESS, Licence Ouverte 2.0), so that the maps show the communes out of the box.
 */
export function demoCommunePoints() {
  const file = JSON.parse(
    fs.readFileSync(new URL('./demo-outlines.json', import.meta.url), 'utf8'),
  ) as DemoOutlines;
  const outlines = new Map(file.communes.map((c) => [c.code, c.geometry]));
  return DEMO_COMMUNE_POINTS.map((p) => ({ ...p, geometry: outlines.get(p.code) ?? null }));
}

/** The staff accounts of demo structures 0 and 1, who send each other the demonstration orientations. */
async function demoMembers(db: Db, actor: Actor): Promise<{ first: DemoMember; second: DemoMember } | null> {
  const people = await listAccounts(db, actor);
  const memberOf = (structure: number): DemoMember | null => {
    const account = DEMO_ACCOUNTS.find(
      (a) => 'structure' in a && a.structure === structure && a.role === 'staff',
    );
    const person = people.find((p) => p.email === account?.email);
    const m = person?.memberships[0];
    return person && m
      ? {
          personId: person.id,
          name: person.displayName,
          email: person.email,
          structureId: m.structureId,
          structureName: m.structureName,
        }
      : null;
  };
  const first = memberOf(0);
  const second = memberOf(1);
  return first && second && first.structureId !== second.structureId ? { first, second } : null;
}

/**
 * Seeds the demonstration data on the first start of an empty embedded database, once: after
 * `demo remove`, it never comes back. The caller decides that the server is in demonstration mode (the
 * embedded database, a loopback or private-network address: never with DATABASE_URL, never public).
 * Places, demo accounts, private contacts, a few orientations between demo structures 0 and 1 (sent
 * `opts.now` minus a few days), a funder of both whose people are the demo funder account, and a second
 * publisher's file whose places show a merge applied and one proposed (below `opts.mergeReviewBelow`).
 * The funder's pass numérique programme (a demonstration one: booklets at every stage, redemptions).
 * Returns the number of places seeded by the first file. The server's start only.
 */
export async function seedDemoIfFresh(
  db: Db,
  actor: Actor,
  opts: { now?: Date; mergeReviewBelow?: number } = {},
): Promise<number> {
  authorize(actor, 'seedDemoIfFresh');
  if ((await readSetting(db, SEEDED_KEY)) !== undefined) return 0;
  if ((await countAllPlaces(db, { kind: 'system' })) > 0) return 0;
  await ensureReferencePoints(db, demoCommunePoints());
  const report = await importPlaceRecords(
    db,
    { kind: 'system' },
    DEMO_PLACES.map((data, i) => ({ row: i + 1, data })),
    [],
    { fileName: 'demonstration', source: DEMO_SOURCE },
  );
  // A second publisher's file: one merge applied, one proposed below the threshold (docs/decisions/0029).
  await importPlaceRecords(
    db,
    { kind: 'system' },
    DEMO_PARTNER_PLACES.map((data, i) => ({ row: i + 1, data })),
    [],
    {
      fileName: 'demonstration-cartographie',
      source: DEMO_PARTNER_SOURCE,
      mergeReviewBelow: opts.mergeReviewBelow ?? DEMO_MERGE_REVIEW_BELOW,
    },
  );
  await seedDemoAccounts(db);
  await seedDemoPrivateContacts(db);
  const members = await demoMembers(db, actor);
  if (members) await writeSetting(db, PARCOURS_KEY, await seedDemoOrientations(db, members, opts));
  // The demonstration funder account belongs to a funder that funds demo structures 0 and 1.
  const funderAccount = DEMO_ACCOUNTS.find((a) => 'networkRole' in a && a.networkRole === 'funder');
  const funderPerson = (await listAccounts(db, actor)).find((p) => p.email === funderAccount?.email);
  const funderId = await seedDemoFunder(
    db,
    {
      personIds: funderPerson ? [funderPerson.id] : [],
      structureIds: members ? [members.first.structureId, members.second.structureId] : [],
    },
    opts,
  );
  // The pass numérique: a demonstration programme of this funder, structure 0 prescribing.
  if (members)
    await seedDemoVouchers(
      db,
      actor,
      { funderId, funderPersonId: funderPerson?.id ?? null, first: members.first, second: members.second },
      opts,
    );
  // A year of activity records: demo structures 0 and 1 (by their mediators) and a third one, so that
  // the network's figures pass their small-count threshold; coordination activities by the coordinator.
  if (members) await seedActivities(db, actor, members, opts);
  // A month of the agenda: workshops of the same three structures, registrations, attendance taken.
  if (members) await seedWorkshopsDemo(db, actor, members, opts);
  // The resource bank: a few files and links of structures 0 and 1, a collection, one report.
  if (members)
    await seedDemoResources(
      db,
      actor,
      {
        first: { structureId: members.first.structureId, personId: members.first.personId },
        second: { structureId: members.second.structureId, personId: members.second.personId },
      },
      opts,
    );
  // Volunteering: missions of structures 0 and 1, the demo volunteer and two others (decision 0044).
  if (members)
    await seedDemoVolunteers(
      db,
      actor,
      {
        first: { structureId: members.first.structureId, personId: members.first.personId },
        second: { structureId: members.second.structureId, personId: members.second.personId },
      },
      opts,
    );
  // The network's day next month (decision 0043), organised by a structure other than 0 and 1.
  if (members)
    await seedDemoNetworkDay(
      db,
      actor,
      { avoid: [members.first.structureId, members.second.structureId] },
      opts,
    );
  await writeSetting(db, SEEDED_KEY, new Date().toISOString());
  return report.imported;
}

async function seedActivities(
  db: Db,
  actor: Actor,
  members: { first: DemoMember; second: DemoMember },
  opts: { now?: Date },
): Promise<void> {
  const today = localToday(opts.now ?? new Date());
  const others = (await listStructures(db, actor))
    .map((s) => s.id)
    .filter((id) => id !== members.first.structureId && id !== members.second.structureId);
  const owners: [string, string | null][] = [
    [members.first.structureId, members.first.personId],
    [members.second.structureId, members.second.personId],
    ...(others[0] ? [[others[0], null] as [string, null]] : []),
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
  const coordinatorAccount = DEMO_ACCOUNTS.find((a) => 'networkRole' in a && a.networkRole === 'coordinator');
  const coordinator = (await listAccounts(db, actor)).find((p) => p.email === coordinatorAccount?.email);
  await seedDemoActivities(db, actor, {
    activities: demoActivities(structures, today),
    coordination: demoCoordination(coordinator?.id ?? null, today),
  });
}

/**
 * Whether the server may start with this database: outside demonstration mode, demonstration accounts
 * (whose password and second factor are published) must not exist. Returns the French message that
 * says what to do, or null when the start may go on. The server's start only.
 */
export async function demoAccountsBlockStart(
  db: Db,
  actor: Actor,
  input: { demoMode: boolean; publicUrl: string },
): Promise<string | null> {
  authorize(actor, 'demoAccountsBlockStart');
  if (input.demoMode) return null;
  const count = await countDemoAccounts(db);
  if (count === 0) return null;
  return [
    `Cette base contient ${count} compte${count > 1 ? 's' : ''} de démonstration, dont le mot de passe est publié.`,
    `Maillage refuse de démarrer à l'adresse ${input.publicUrl}, qui n'est pas une adresse de démonstration.`,
    'Supprimez les données de démonstration : npm run -s cli -- demo remove',
    '(ou, pour une démonstration dans une salle de formation, utilisez une adresse http du réseau local avec DEMO=1).',
  ].join('\n');
}

/**
 * Deletes every demonstration record: the demonstration orientations, the pass numérique's demonstration
 * programme with its ledger, the activity and coordination records of the demonstration, the resource bank's
 * demonstration resources, the demo funder, the demo accounts, the places
 * and the structures left without a place. The command line only (`demo remove`).
 */
export async function removeDemo(
  db: Db,
  actor: Actor,
): Promise<{ places: number; orientations: number; activities: number }> {
  authorize(actor, 'removeDemo');
  const parcours = await readSetting(db, PARCOURS_KEY);
  const orientations = await removeDemoOrientations(
    db,
    Array.isArray(parcours) ? parcours.filter((id): id is string => typeof id === 'string') : [],
  );
  await writeSetting(db, PARCOURS_KEY, []);
  // Before the funders and places it names: its programme holds the demo funder (on delete restrict).
  await removeDemoVouchers(db, actor);
  const activities = await removeDemoActivities(db, actor);
  await removeDemoWorkshops(db, actor);
  await removeDemoResources(db, actor);
  await removeDemoVolunteers(db, actor);
  await removeDemoNetworkDays(db, actor);
  await removeDemoFunders(db);
  await removeDemoAccounts(db);
  const places = await removeDemoPlaces(db);
  await writeSetting(db, SEEDED_KEY, new Date().toISOString());
  return { places, orientations, activities };
}
