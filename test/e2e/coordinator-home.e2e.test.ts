import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Page } from 'playwright-core';
import { keyboardOnly, scanAxe } from './support/browser.ts';
import { DEMO_PASSWORD, demoSite, nextDemoTotpCode, signIn } from './support/session.ts';

const PLACE = 'Bibliothèque de Boigny-sur-Bionne';
const COORDINATOR = 'coordination.demo@example.org';

/** The text of the home block "Modifications et fermetures à vérifier". */
async function pendingBlock(page: Page): Promise<string> {
  return (await page.locator('#bloc-moderation-pending').textContent()) ?? '';
}

describe("the coordinator's home, in a browser (demonstration data)", () => {
  const { openPage } = demoSite();

  /** A member of the place's structure proposes a change (the setup: the journey is the coordinator's). */
  async function proposeChange(summary: string): Promise<void> {
    const member = await openPage();
    await signIn(member, 'mediation.demo@example.org');
    await member.goto('/mes-lieux');
    await Promise.all([
      member.waitForNavigation(),
      member.getByText(`Modifier la fiche de ${PLACE}`).click(),
    ]);
    await member.locator('#presentation_resume').fill(summary);
    await Promise.all([
      member.waitForNavigation(),
      member.getByRole('button', { name: 'Envoyer pour validation' }).click(),
    ]);
    assert.match((await member.textContent('main')) ?? '', /En attente de validation par la coordination/);
    await member.context().close();
  }

  for (const viewport of [undefined, { width: 320, height: 800 }]) {
    const where = viewport ? ' at 320 px' : '';
    it(`signs in with the second factor, sees 1 edit to moderate, approves it, and the block says "rien à faire"${where}`, async () => {
      await proposeChange(`Atelier numérique le jeudi${where}.`);

      const page = await openPage(viewport ? { viewport } : {});
      await page.goto('/connexion');
      const journey = keyboardOnly(page);
      await scanAxe(page, `the sign-in page${where}`);
      await journey.tabTo((f) => f.id === 'email', 40);
      await journey.type(COORDINATOR);
      await journey.tabTo((f) => f.id === 'password', 5);
      await journey.type(DEMO_PASSWORD);
      await Promise.all([page.waitForNavigation(), journey.press('Enter')]);
      assert.equal(new URL(page.url()).pathname, '/connexion/code', 'the second factor is asked for');
      await scanAxe(page, `the second factor's page${where}`);
      // Each code works once (nextDemoTotpCode); a second try covers a code used by another way in.
      for (let attempt = 0; new URL(page.url()).pathname === '/connexion/code' && attempt < 2; attempt++) {
        await journey.tabTo((f) => f.id === 'code', 40);
        await journey.type(await nextDemoTotpCode(page));
        await Promise.all([page.waitForNavigation(), journey.press('Enter')]);
      }
      assert.equal(new URL(page.url()).pathname, '/espace', 'signed in, on the home page');

      // The home page: one edit to moderate, named, with a link to it.
      await scanAxe(page, `the coordinator's home${where}`);
      const before = await pendingBlock(page);
      assert.match(before, /Modifications et fermetures à vérifier/);
      assert.match(before, /1\s*modification proposée par une structure attend votre décision/);
      assert.match(before, new RegExp(PLACE));
      if (viewport) {
        const width = await page.evaluate(() => document.documentElement.scrollWidth);
        assert.ok(width <= 320, `the home page scrolls sideways at 320 px (${width})`);
      }

      await journey.tabTo(new RegExp(`^${PLACE} \\(Boigny-sur-Bionne\\)$`), 200);
      await Promise.all([page.waitForNavigation(), journey.press('Enter')]);
      assert.match(new URL(page.url()).pathname, /^\/moderation\/modifications\/[0-9a-f-]+$/);
      await scanAxe(page, `the review of the change${where}`);
      assert.match((await page.textContent('main')) ?? '', /Atelier numérique le jeudi/);
      await journey.tabTo('Valider la modification', 300);
      await Promise.all([page.waitForNavigation(), journey.press('Enter')]);
      assert.match((await page.textContent('main')) ?? '', /La modification est validée/);

      // Back home through the menu: nothing left to moderate.
      await journey.tabTo('Mon espace', 40);
      await Promise.all([page.waitForNavigation(), journey.press('Enter')]);
      assert.equal(new URL(page.url()).pathname, '/espace');
      const after = await pendingBlock(page);
      assert.match(after, /Modifications et fermetures à vérifier/);
      assert.match(after, /0\s*— rien à faire\./);
      await scanAxe(page, `the coordinator's home with nothing to moderate${where}`);
      await page.context().close();
    });
  }

  it('a structure answers with the keyboard the error report the coordinator forwarded, also 320 px wide', async () => {
    // Setup: a visitor reports an error on the place's sheet, the coordinator forwards it.
    const staff = await openPage();
    await signIn(staff, 'mediation.demo@example.org');
    await staff.goto('/mes-lieux');
    const edit = await staff
      .getByRole('link', { name: `Modifier la fiche de ${PLACE}` })
      .getAttribute('href');
    assert.ok(edit, 'the place of the structure');
    const visitor = await openPage();
    await visitor.goto(edit.replace(/\/modifier$/, '/signaler'));
    await visitor.locator('#message').fill('Le numéro de téléphone ne répond plus.');
    await visitor.locator('#contact').fill('habitant@example.org');
    await Promise.all([
      visitor.waitForNavigation(),
      visitor.locator('form[action$="/signaler"] button[type="submit"]').click(),
    ]);
    const coordinator = await openPage();
    await signIn(coordinator, COORDINATOR);
    await coordinator.goto('/moderation');
    await Promise.all([
      coordinator.waitForNavigation(),
      coordinator
        .getByText(new RegExp(`Traiter le signalement sur ${PLACE}`))
        .first()
        .click(),
    ]);
    await scanAxe(coordinator, 'the review of an error report, with "transmettre"');
    await Promise.all([
      coordinator.waitForNavigation(),
      coordinator.getByRole('button', { name: /Transmettre à la structure/ }).click(),
    ]);
    assert.match((await coordinator.textContent('main')) ?? '', /Le signalement est transmis/);

    // The structure's member answers, keyboard only.
    await staff.goto('/signalements');
    const journey = keyboardOnly(staff);
    await scanAxe(staff, 'the reports forwarded to a structure');
    await journey.tabTo(new RegExp(`Répondre au signalement sur ${PLACE}`));
    await Promise.all([staff.waitForNavigation(), journey.press('Enter')]);
    await scanAxe(staff, 'a forwarded report');
    assert.doesNotMatch((await staff.textContent('main')) ?? '', /habitant@example\.org/);
    // Sent without a note: the summary names the field and gets the focus.
    await journey.tabTo('Envoyer la réponse', 60);
    const [refused] = await Promise.all([staff.waitForNavigation(), journey.press('Enter')]);
    assert.equal(refused?.status(), 400);
    assert.equal(await staff.evaluate(() => document.activeElement?.className), 'error-summary');
    await scanAxe(staff, 'a forwarded report with errors');
    await journey.tabTo((f) => f.id === 'reponse-done', 60);
    await journey.press('Space');
    await journey.tabTo((f) => f.id === 'note', 10);
    await journey.type('Le nouveau numéro est sur la fiche.');
    await journey.tabTo('Envoyer la réponse', 10);
    await Promise.all([staff.waitForNavigation(), journey.press('Enter')]);
    assert.match((await staff.textContent('main')) ?? '', /Merci, votre réponse est enregistrée/);
    assert.match((await staff.textContent('main')) ?? '', /À vérifier \(0\)/);
    await scanAxe(staff, 'the forwarded reports after an answer');

    const narrow = await openPage({ viewport: { width: 320, height: 800 } });
    await signIn(narrow, 'admin.demo@example.org');
    await narrow.goto('/signalements');
    await Promise.all([
      narrow.waitForNavigation(),
      narrow.getByRole('link', { name: PLACE }).first().click(),
    ]);
    await scanAxe(narrow, 'an answered report at 320 px');
    const width = await narrow.evaluate(() => document.documentElement.scrollWidth);
    assert.ok(width <= 320, `the report page scrolls sideways at 320 px (${width})`);
  });
});
