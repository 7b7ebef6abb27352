import { removeDemoAccounts, seedDemoAccounts } from '../accounts/accounts.service.ts';
import { ensureReferencePoints } from '../communes/communes.service.ts';
import type { Db } from '../db/database.ts';
import {
  countAllPlaces,
  DEMO_SOURCE,
  importPlaceRecords,
  removeDemoPlaces,
} from '../places/places.service.ts';
import { seedDemoPrivateContacts } from '../places/private-contacts.service.ts';
import { readSetting, writeSetting } from './demo.repository.ts';
import { DEMO_COMMUNE_POINTS } from './demo-communes.ts';
import { DEMO_PLACES } from './demo-places.ts';

const SEEDED_KEY = 'demo_seeded_at';

/**
 * Seeds the demonstration data on the first start of an empty embedded database, once: after
 * `demo remove`, it never comes back. The caller decides that the database is embedded (never with
 * DATABASE_URL). Returns the number of places seeded.
 */
export async function seedDemoIfFresh(db: Db): Promise<number> {
  if ((await readSetting(db, SEEDED_KEY)) !== undefined) return 0;
  if ((await countAllPlaces(db)) > 0) return 0;
  await ensureReferencePoints(db, DEMO_COMMUNE_POINTS);
  const report = await importPlaceRecords(
    db,
    DEMO_PLACES.map((data, i) => ({ row: i + 1, data })),
    [],
    { fileName: 'demonstration', source: DEMO_SOURCE, actor: 'server (démonstration)' },
  );
  await seedDemoAccounts(db);
  await seedDemoPrivateContacts(db);
  await writeSetting(db, SEEDED_KEY, new Date().toISOString());
  return report.imported;
}

/** Deletes every demonstration record (places and the structures left without a place). */
export async function removeDemo(db: Db): Promise<{ places: number }> {
  await removeDemoAccounts(db);
  const places = await removeDemoPlaces(db);
  await writeSetting(db, SEEDED_KEY, new Date().toISOString());
  return { places };
}
