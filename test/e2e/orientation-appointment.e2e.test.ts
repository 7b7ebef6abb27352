import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import type { Page } from 'playwright-core';
import { closeTestTemplate, createDemoTestDb } from '../support/test-db.ts';
import { type KeyboardJourney, keyboardOnly, scanAxe } from './support/browser.ts';
import { demoSite, signIn } from './support/session.ts';

/**
 * Walk-through: a mediator sends an orientation to a place whose structure answers in Maillage; a
 * member of that structure accepts it with an appointment; the mediator sees the appointment, and the
 * fiche de liaison shows it. Keyboard only, axe-core with zero violations, the CSP on (the page guard),
 * the receiving member on a 320 px phone and the mediator on a desktop.
 */

/**
 * A demonstration place of the structure of mediation.demo@example.org that takes orientations (its
 * structure has members: they answer in their inbox). Read from a database seeded here: the
 * demonstration data is the same on every fresh database.
 */
async function placeAnsweredInInbox(): Promise<string> {
  const t = await createDemoTestDb();
  try {
    const row = await t.db
      .selectFrom('place')
      .innerJoin('membership', 'membership.structure_id', 'place.structure_id')
      .innerJoin('person', 'person.id', 'membership.person_id')
      .leftJoin('place_private_contact', 'place_private_contact.place_id', 'place.id')
      .select('place.nom')
      .where('person.email', '=', 'mediation.demo@example.org')
      .where((eb) =>
        eb.or([
          eb('place_private_contact.accepts_orientations', 'is', null),
          eb('place_private_contact.accepts_orientations', '!=', 'no'),
        ]),
      )
      .orderBy('place.nom')
      .executeTakeFirstOrThrow();
    return row.nom;
  } finally {
    await t.close();
    await closeTestTemplate();
  }
}

const DAY_MS = 86_400_000;

describe('an orientation accepted with an appointment, in a browser (demonstration data)', () => {
  let placeName: string;
  before(async () => {
    placeName = await placeAnsweredInInbox();
  });
  const { openPage } = demoSite();

  /** Activates the focused link or button, waits for the next page, and scans it. */
  async function follow(page: Page, kb: KeyboardJourney, label: string, status = 200) {
    const [response] = await Promise.all([kb.waitForNavigation(), kb.press('Enter')]);
    assert.equal(response?.status(), status, `${label}: ${page.url()}`);
    await kb.waitForLoadState('load');
    await scanAxe(page, label);
  }

  async function noSidewaysScroll(page: Page, label: string) {
    const width = await page.evaluate(() => document.documentElement.scrollWidth);
    assert.ok(width <= 320, `${label} scrolls sideways at 320 px (${width})`);
  }

  it('mediator sends → receiving staff accepts with an appointment (320 px) → the sender sees it, the fiche de liaison shows it', async () => {
    // The mediator (desktop) finds the place by its name and sends the orientation.
    const sender = await openPage();
    await signIn(sender, 'autre-structure.demo@example.org');
    await sender.goto('/orientations/nouvelle');
    await scanAxe(sender, 'the orientation form');
    const s = keyboardOnly(sender);
    await s.tabTo((f) => f.id === 'q');
    await s.type(placeName);
    await follow(sender, s, 'the places found');
    await s.tabTo((f) => f.text.startsWith(`Orienter vers ${placeName},`), 120);
    await follow(sender, s, 'the orientation form for the place');
    assert.match((await s.locator('#envoi').textContent()) ?? '', /boîte Maillage/);
    await s.tabTo((f) => f.id === 'besoin');
    await s.press('Space');
    await s.tabTo((f) => f.id === 'message');
    await s.type('Elle veut faire sa demande de logement en ligne.');
    await s.tabTo((f) => f.id === 'contact');
    await s.press('Space');
    await s.tabTo((f) => f.id === 'nom');
    await s.type('Martine');
    await s.tabTo((f) => f.id === 'telephone');
    await s.type('06 12 34 56 78');
    await s.tabTo((f) => f.id === 'consentement', 120);
    await s.press('Space');
    await s.tabTo('Envoyer l’orientation', 20);
    await follow(sender, s, 'the orientation just sent');
    const orientationPath = new URL(sender.url()).pathname;
    assert.match(orientationPath, /^\/orientations\/[0-9a-f-]{36}$/);

    // A member of the receiving structure, on a 320 px phone: the inbox opens on "à traiter".
    const staff = await openPage({ viewport: { width: 320, height: 800 } });
    await signIn(staff, 'mediation.demo@example.org');
    await staff.goto('/orientations');
    await scanAxe(staff, 'the inbox at 320 px');
    await noSidewaysScroll(staff, 'the inbox');
    const r = keyboardOnly(staff);
    assert.equal(await r.locator('a[aria-current="page"]', { hasText: 'À traiter' }).count(), 1);
    await r.tabTo((f) => f.href?.endsWith(orientationPath) ?? false, 200);
    await follow(staff, r, 'the orientation to answer at 320 px');
    await noSidewaysScroll(staff, 'the orientation to answer');

    // A date in the past first: refused, the summary names the field and links to it.
    await r.tabTo((f) => f.id === 'rdv_date', 200);
    await r.type('01/01/2020');
    await r.tabTo('Accepter l’orientation', 20);
    await follow(staff, r, 'the answer with an error', 422);
    const summary = (await r.locator('.error-summary').textContent()) ?? '';
    assert.match(summary, /Date du rendez-vous : le 1 janvier 2020 est passé/);
    await r.tabTo((f) => f.href?.endsWith('#rdv_date') ?? false, 40);

    // The right day, a time, with whom and a message.
    const day = new Date(Date.now() + 14 * DAY_MS).toISOString().slice(0, 10);
    const [y, m, d] = day.split('-');
    await r.tabTo((f) => f.id === 'rdv_date', 200);
    await r.press('Control+A');
    await r.type(`${d}/${m}/${y}`);
    await r.tabTo((f) => f.id === 'rdv_heure');
    await r.type('14:30');
    await r.tabTo((f) => f.id === 'rdv_avec');
    await r.type('Mme Durand');
    await r.tabTo((f) => f.id === 'message-acceptation');
    await r.type('Venez avec votre avis d’imposition.');
    await r.tabTo('Accepter l’orientation', 20);
    await follow(staff, r, 'the orientation accepted at 320 px');
    assert.match((await r.locator('main').textContent()) ?? '', /Acceptée/);

    // The mediator sees the appointment and prints the fiche de liaison, which shows it.
    const again = await sender.context().newPage();
    await again.goto(orientationPath);
    await scanAxe(again, 'the accepted orientation, for its sender');
    const main = (await again.locator('main').textContent()) ?? '';
    const when = new Intl.DateTimeFormat('fr-FR', {
      weekday: 'long',
      day: 'numeric',
      month: 'long',
      year: 'numeric',
      timeZone: 'UTC',
    }).format(new Date(`${day}T00:00:00Z`));
    const said = `${when} à 14 h 30, avec Mme Durand`;
    assert.ok(main.includes(said), `the sender sees "${said}"`);
    assert.ok(main.includes('Venez avec votre avis d’imposition.'));
    const a = keyboardOnly(again);
    await a.tabTo('Imprimer la fiche de liaison');
    await follow(again, a, 'the fiche de liaison');
    await a.emulateMedia({ media: 'print' });
    const printed = (await a.locator('main').textContent()) ?? '';
    assert.ok(
      printed.includes('Votre rendez-vous') && printed.includes(said),
      'the sheet shows the appointment',
    );
    assert.ok(await a.locator('h2', { hasText: 'Votre rendez-vous' }).isVisible(), 'and prints it');
    await a.emulateMedia({ media: 'screen' });
  });
});
