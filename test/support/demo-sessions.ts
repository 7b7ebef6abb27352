import { randomBytes } from 'node:crypto';
import {
  findPersonByEmail,
  firstStructures,
  insertSession,
  upsertMembership,
} from '../../src/accounts/accounts.repository.ts';
import { DEMO_ACCOUNTS } from '../../src/accounts/accounts.service.ts';
import { hashToken } from '../../src/accounts/sessions.service.ts';
import type { Db } from '../../src/db/database.ts';
import { addMember, findDemoFunder } from '../../src/funders/funders.repository.ts';
import type { testApp } from './app.ts';
import { type CookieBrowser, cookieBrowser } from './cookie-browser.ts';

/**
 * Tests that walk every route as every role need many sessions: signing in each time (with the demo
 * coordinator's TOTP, one code per 30 s) would be slow and would run out of codes. A complete session is
 * written directly for the demo account instead; the sign-in itself has its own tests.
 */
export async function demoSessionBrowser(
  app: ReturnType<typeof testApp>,
  db: Db,
  email: string,
): Promise<CookieBrowser> {
  const person = await findPersonByEmail(db, email);
  if (!person) throw new Error(`no demo account ${email}`);
  const token = randomBytes(32).toString('base64url');
  const now = new Date();
  await insertSession(db, {
    id: hashToken(token),
    person_id: person.id,
    stage: 'full',
    created_at: now,
    last_seen_at: now,
    expires_at: new Date(now.getTime() + 3600_000),
  });
  const browser = cookieBrowser(app);
  browser.jar.set('maillage_session', token);
  return browser;
}

/**
 * Gives the demo accounts their memberships back (a walk may remove a member or change a role), the
 * demo funder account's attachment to the demo funder included.
 */
export async function restoreDemoMemberships(db: Db): Promise<void> {
  const funder = await findDemoFunder(db);
  const funderPerson = await findPersonByEmail(db, 'financeur.demo@example.org');
  if (funder && funderPerson) await addMember(db, funder.id, funderPerson.id);
  const structures = await firstStructures(db, 2);
  for (const account of DEMO_ACCOUNTS) {
    if (!('structure' in account)) continue;
    const person = await findPersonByEmail(db, account.email);
    const structure = structures[account.structure];
    if (person && structure)
      await upsertMembership(db, { person_id: person.id, structure_id: structure.id, role: account.role });
  }
}
