import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { scanAxe } from './support/browser.ts';
import { demoSite, signIn } from './support/session.ts';

/**
 * The coordinator writes to the network in a browser: from the home page to the form, the preview (a
 * second page, no script needed), the send and the sent message. Axe on every page, at 320 px and on
 * a desktop; no sideways scrolling on a phone.
 */
describe('writing to the network, in a browser (demonstration data)', () => {
  const { openPage } = demoSite();

  for (const viewport of [undefined, { width: 320, height: 800 }]) {
    const where = viewport ? ' at 320 px' : '';
    it(`the coordinator writes to a structure's members, checks the preview and sends once${where}`, async () => {
      const page = await openPage(viewport ? { viewport } : {});
      await signIn(page, 'coordination.demo@example.org');
      const noScroll = async (what: string) => {
        if (!viewport) return;
        const width = await page.evaluate(() => document.documentElement.scrollWidth);
        assert.ok(width <= 320, `${what} scrolls sideways at 320 px (${width})`);
      };
      await Promise.all([
        page.waitForNavigation(),
        page.getByRole('link', { name: 'Écrire aux membres du réseau' }).first().click(),
      ]);
      assert.equal(new URL(page.url()).pathname, '/messages/nouveau');
      await scanAxe(page, `the form to write to the network${where}`);
      await noScroll('the form');
      // Sent empty: the error summary takes the focus and names the fields.
      await Promise.all([
        page.waitForNavigation(),
        page.getByRole('button', { name: /Voir l’aperçu/ }).click(),
      ]);
      assert.match((await page.textContent('.error-summary')) ?? '', /Objet : écrivez/);
      await scanAxe(page, `the form with its errors${where}`);
      await page.getByLabel('Objet').fill('Réunion du réseau');
      await page.getByLabel('Message').fill('Bonjour,\n\nLa réunion a lieu le 12 mars.');
      await page.getByLabel('Des structures choisies dans la liste').check();
      await page.locator('input[name="structures"]').first().check();
      await Promise.all([
        page.waitForNavigation(),
        page.getByRole('button', { name: /Voir l’aperçu/ }).click(),
      ]);
      assert.match((await page.textContent('main')) ?? '', /Ce message sera envoyé à \d+ personnes?\./);
      await scanAxe(page, `the preview${where}`);
      await noScroll('the preview');
      await Promise.all([page.waitForNavigation(), page.getByRole('button', { name: /^Envoyer à/ }).click()]);
      assert.match(new URL(page.url()).pathname, /^\/messages\/[0-9a-f-]{36}$/);
      assert.match((await page.textContent('main')) ?? '', /Le message est envoyé/);
      await scanAxe(page, `the sent message${where}`);
      await page.goto('/messages');
      await scanAxe(page, `the list of sent messages${where}`);
      await noScroll('the list');
    });
  }
});
