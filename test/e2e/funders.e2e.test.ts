import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { keyboardOnly, scanAxe } from './support/browser.ts';
import { demoSite, signIn } from './support/session.ts';

/**
 * Funders in a browser: the funder reaches its organisation's figures from its home page with the
 * keyboard, chooses a period and finds the CSV; the coordinator's pages of funders. Axe on every page,
 * at 320 px and on a desktop, the CSP enforced by the page guard.
 */
describe('funder organisations, in a browser (demonstration data)', () => {
  const { openPage } = demoSite();

  for (const viewport of [undefined, { width: 320, height: 800 }]) {
    const where = viewport ? ' at 320 px' : '';
    it(`a funder goes from its home page to its figures, chooses a period and finds the CSV — keyboard only${where}`, async () => {
      const page = await openPage(viewport ? { viewport } : {});
      await signIn(page, 'financeur.demo@example.org');
      await scanAxe(page, `the funder's home page${where}`);
      assert.match(
        (await page.textContent('main')) ?? '',
        /Structures financées par Département \(démonstration\)/,
      );
      const journey = keyboardOnly(page);
      await journey.tabTo('Voir les chiffres et les exporter', 80);
      await Promise.all([page.waitForNavigation(), journey.press('Enter')]);
      assert.match(new URL(page.url()).pathname, /^\/financeurs\/[0-9a-f-]+$/);
      const text = (await page.textContent('main')) ?? '';
      assert.match(text, /Structures financées/);
      assert.match(text, /Chiffres du réseau/);
      await scanAxe(page, `the funder's figures${where}`);
      const csv = await page.getByRole('link', { name: /Télécharger ces chiffres/ }).getAttribute('href');
      assert.ok(csv?.includes('/chiffres.csv'), 'the CSV link');
      const response = await page.request.get(csv as string);
      assert.equal(response.status(), 200);
      assert.match(response.headers()['content-type'] ?? '', /text\/csv/);
      if (viewport) {
        const width = await page.evaluate(() => document.documentElement.scrollWidth);
        assert.ok(width <= 320, `the funder's page scrolls sideways at 320 px (${width})`);
      }
    });
  }

  it("the coordinator's list of funders, a funder's page and its edit page pass axe", async () => {
    const page = await openPage();
    await signIn(page, 'coordination.demo@example.org');
    const list = await page.goto('/financeurs');
    assert.equal(list?.status(), 200);
    await scanAxe(page, 'the list of funders');
    const funderPath = await page
      .getByRole('link', { name: 'Département (démonstration)' })
      .first()
      .getAttribute('href');
    assert.ok(funderPath, "a link to the demo funder's page");
    assert.equal((await page.goto(funderPath as string))?.status(), 200);
    await scanAxe(page, "a funder's page as the coordinator sees it (people, fundings)");
    const edit = await page.getByRole('link', { name: /Modifier le nom/ }).getAttribute('href');
    assert.equal((await page.goto(edit as string))?.status(), 200);
    await scanAxe(page, "a funder's edit page");
  });
});
