import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { before, describe, it } from 'node:test';
import { closeTestTemplate, createDemoTestDb } from '../support/test-db.ts';
import { keyboardOnly, scanAxe } from './support/browser.ts';
import { demoSite, signIn } from './support/session.ts';

/**
 * The name of a demonstration place reached by an e-mailed link (no member in its structure, a referral
 * address, accepts orientations). The demonstration data is the same on every fresh database, so it is
 * read from a database seeded here, not from the server's (embedded, locked by the server).
 */
async function placeReachedByEmail(): Promise<string> {
  const t = await createDemoTestDb();
  try {
    const row = await t.db
      .selectFrom('place')
      .innerJoin('place_private_contact', 'place_private_contact.place_id', 'place.id')
      .select('place.nom')
      .where('place_private_contact.accepts_orientations', '=', 'yes')
      .where('place_private_contact.referral_email', 'is not', null)
      .where((eb) =>
        eb.not(
          eb.exists(
            eb
              .selectFrom('membership')
              .select('membership.person_id')
              .whereRef('membership.structure_id', '=', 'place.structure_id'),
          ),
        ),
      )
      .orderBy('place.nom')
      .executeTakeFirstOrThrow();
    return row.nom;
  } finally {
    await t.close();
    await closeTestTemplate();
  }
}

describe('an orientation in a browser (demonstration data)', () => {
  let placeName: string;

  before(async () => {
    placeName = await placeReachedByEmail();
  });
  const { openPage } = demoSite();

  it('place → orientation → sheet → accepted by the e-mailed link → closed as "came", keyboard only, no axe violation', async () => {
    // A member of a structure signs in, then opens the orientation form.
    const page = await openPage();
    await signIn(page, 'autre-structure.demo@example.org');
    const form = await page.goto('/orientations/nouvelle');
    assert.equal(form?.status(), 200);
    await scanAxe(page, 'the orientation form (choose a place)');
    const kb = keyboardOnly(page);
    const step = async (label: string) => {
      await kb.waitForLoadState('load');
      await scanAxe(page, label);
    };

    // Find the place by name, with the keyboard.
    await kb.tabTo((f) => f.id === 'q');
    await kb.type(placeName);
    await Promise.all([kb.waitForNavigation(), kb.press('Enter')]);
    await step('the places found');
    await kb.tabTo((f) => f.text.startsWith(`Orienter vers ${placeName},`), 120);
    await Promise.all([kb.waitForNavigation(), kb.press('Enter')]);
    await step('the orientation form for the place');
    assert.match(
      (await kb.locator('#envoi').textContent()) ?? '',
      /lien par e-mail/,
      'told how the place receives it, before sending',
    );

    // Send without consent first: refused, with the error summary.
    await kb.tabTo((f) => f.id === 'besoin');
    await kb.press('Space');
    await kb.tabTo((f) => f.id === 'message');
    await kb.type('Elle veut imprimer son CV et le scanner.');
    await kb.tabTo((f) => f.id === 'contact');
    await kb.press('Space');
    await kb.tabTo((f) => f.id === 'nom');
    await kb.type('Martine');
    await kb.tabTo((f) => f.id === 'telephone');
    await kb.type('06 12 34 56 78');
    await kb.tabTo('Envoyer l’orientation', 120);
    const [refused] = await Promise.all([kb.waitForNavigation(), kb.press('Enter')]);
    assert.equal(refused?.status(), 422);
    await step('the orientation form with an error');
    assert.match((await kb.locator('.error-summary').textContent()) ?? '', /consentement/);
    await kb.tabTo((f) => f.id === 'consentement', 120);
    await kb.press('Space');
    await kb.tabTo('Envoyer l’orientation', 20);
    await Promise.all([kb.waitForNavigation(), kb.press('Enter')]);
    await step('the orientation just sent');
    assert.match((await kb.locator('h1').textContent()) ?? '', new RegExp(`Orientation vers ${placeName}`));
    const orientationUrl = kb.url();

    // Print the sheet.
    await kb.tabTo('Imprimer la fiche de liaison');
    await Promise.all([kb.waitForNavigation(), kb.press('Enter')]);
    await step('the fiche de liaison');
    assert.match((await kb.locator('main').textContent()) ?? '', /Qui vous oriente/);
    // The map: the start and the place joined by a line whose length is written, over named communes.
    const sheetMap = kb.locator('figure.map svg[role="img"]');
    const said = (await sheetMap.locator('desc').textContent()) ?? '';
    assert.match(said, /est à \d+(,\d)? km à vol d’oiseau de .+ \(point de départ\)/);
    assert.match((await kb.locator('figure.map figcaption').textContent()) ?? '', /km à vol d’oiseau/);
    assert.equal(await sheetMap.locator('path[stroke-dasharray]').count(), 1, 'the way between them');
    assert.ok((await sheetMap.locator('g.communes text').count()) >= 2, 'communes named on the map');
    if (process.env.SCREENSHOTS) {
      fs.mkdirSync(process.env.SCREENSHOTS, { recursive: true });
      await sheetMap.screenshot({ path: path.join(process.env.SCREENSHOTS, 'fiche-de-liaison-map.png') });
    }
    await kb.emulateMedia({ media: 'print' });
    assert.ok(await kb.locator('svg[role="img"]:not(.qr)').isVisible(), 'the map prints');
    assert.ok(await kb.locator('svg.qr').isVisible(), "the QR code to the place's sheet prints");
    await kb.emulateMedia({ media: 'screen' });

    // The coordinator reads the link in the demonstration outbox.
    const coordinator = await openPage();
    await signIn(coordinator, 'coordination.demo@example.org');
    await coordinator.goto('/compte/courriels');
    const outbox = await coordinator.content();
    const link = /\/orientations\/lien\/[A-Za-z0-9._-]+/.exec(outbox)?.[0];
    assert.ok(link, 'the link is in the outbox');

    // The place, without an account, accepts with the keyboard, then closes as "came".
    const place = await openPage();
    const linkPage = await place.goto(link);
    assert.equal(linkPage?.status(), 200);
    await scanAxe(place, 'the orientation opened from the e-mailed link');
    const pk = keyboardOnly(place);
    await pk.tabTo('Accepter l’orientation');
    await Promise.all([pk.waitForNavigation(), pk.press('Enter')]);
    await pk.waitForLoadState('load');
    await scanAxe(place, 'the answer recorded');
    await pk.tabTo('Dire si la personne est venue');
    await Promise.all([pk.waitForNavigation(), pk.press('Enter')]);
    await pk.waitForLoadState('load');
    await scanAxe(place, 'the closing page');
    await pk.tabTo((f) => f.id === 'outcome');
    await pk.press('Space');
    await pk.tabTo('Clôturer l’orientation');
    await Promise.all([pk.waitForNavigation(), pk.press('Enter')]);
    await pk.waitForLoadState('load');
    await scanAxe(place, 'the orientation closed');
    assert.match((await pk.locator('h1').textContent()) ?? '', /venue/);

    // The sender sees it closed, with its history.
    const back = await page.context().newPage();
    await back.goto(orientationUrl);
    assert.match((await back.locator('main').textContent()) ?? '', /La personne est venue/);
    await scanAxe(back, 'the closed orientation, for its sender');
    const inbox = await back.goto('/orientations?boite=envoyees');
    assert.equal(inbox?.status(), 200);
    await scanAxe(back, 'the sent orientations');
    const stats = await coordinator.goto('/orientations/statistiques');
    assert.equal(stats?.status(), 200);
    await scanAxe(coordinator, 'the statistics');
  });
});
