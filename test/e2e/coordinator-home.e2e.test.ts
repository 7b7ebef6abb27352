import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Page } from 'playwright-core';
import { keyboardOnly, scanAxe } from './support/browser.ts';
import { DEMO_PASSWORD, demoSite, demoTotpCode, signIn } from './support/session.ts';

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
      // Each code works once: another sign-in within 30 s used this one, the next period's is accepted.
      for (let ahead = 0; new URL(page.url()).pathname === '/connexion/code' && ahead < 2; ahead++) {
        await journey.tabTo((f) => f.id === 'code', 40);
        await journey.type(demoTotpCode(ahead));
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
});
