import type { Actor } from '../../src/accounts/policy.ts';
import { removeDemoActivities } from '../../src/activities/activities-demo.service.ts';
import { testApp } from './app.ts';
import { createDemoTestDb, type TestDb } from './test-db.ts';

const SYSTEM: Actor = { kind: 'system' };

/** A page's text with the entities the views write for ', " and & turned back into the characters. */
export const pageText = (html: string) =>
  html
    .replace(/&#39;/g, "'")
    .replace(/&quot;/g, '"')
    .replace(/&amp;/g, '&');

/**
 * The demonstration network with no activity record yet (the demonstration's year goes), served by the
 * app on the demonstration's territory: where the activity pages' tests start.
 */
export async function demoWithoutRecords(): Promise<{ t: TestDb; app: ReturnType<typeof testApp> }> {
  const t = await createDemoTestDb();
  await removeDemoActivities(t.db, SYSTEM);
  return { t, app: testApp(t.db, { TERRITORY: 'epci:244500468' }) };
}
