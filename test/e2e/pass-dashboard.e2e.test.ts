import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { check, keyboardOnly, shot } from './support/browser.ts';
import { demoBrowserSuite } from './support/demo-suite.ts';
import { signIn } from './support/session.ts';

/**
 * The pass numérique's dashboard in a browser (decision 0051), on the demonstration's programme: the
 * funder reaches it from the pass page with the keyboard only on a desktop, reads the charts and their
 * tables, and a period typed in the wrong order is refused with its message at the top; a place's staff
 * member reads her booklets and redemptions on a phone. Axe on every page, no sideways scrolling.
 * SCREENSHOTS=<folder> keeps a picture of each page.
 */
describe('the pass numérique dashboard, in a browser', () => {
  const suite = demoBrowserSuite('pass-dashboard');

  it('the funder reaches the dashboard with the keyboard, and a period in the wrong order is refused', async () => {
    const viewport = { width: 1280, height: 900 };
    const page = await suite.openPage(viewport);
    await signIn(page, 'financeur.demo@example.org');
    await page.goto('/pass');
    const kb = keyboardOnly(page);
    await kb.tabTo('Tableau de bord', 200);
    await Promise.all([page.waitForURL('**/pass/tableau-de-bord'), kb.press('Enter')]);
    await check(page, 'the funder’s dashboard', viewport.width);
    assert.ok((await page.locator('svg[role="img"]').count()) >= 3, 'charts drawn on the server');
    assert.match((await page.textContent('main')) ?? '', /Chèques encaissés par mois/);
    await shot(page, 'tableau-1-financeur');
    await kb.tabTo((f) => f.id === 'du', 200);
    await kb.type('31/03/2026');
    await kb.tabTo((f) => f.id === 'au', 5);
    await kb.type('01/03/2026');
    await kb.tabTo('Afficher', 5);
    await Promise.all([page.waitForNavigation(), kb.press('Enter')]);
    await page.waitForSelector('.error-summary');
    assert.match(
      (await page.textContent('.error-summary')) ?? '',
      /Au : le dernier jour est avant le premier/,
    );
    await check(page, 'the dashboard refusing a period', viewport.width);
    await shot(page, 'tableau-2-refus');
  });

  it('a place’s staff member reads her booklets and redemptions on a phone', async () => {
    const viewport = { width: 390, height: 844 };
    const page = await suite.openPage(viewport);
    await signIn(page, 'mediation.demo@example.org');
    await page.goto('/pass/tableau-de-bord');
    const main = (await page.textContent('main')) ?? '';
    assert.match(main, /Mes carnets/);
    assert.match(main, /Mes encaissements/);
    assert.doesNotMatch(main, /Dû aux lieux/);
    await check(page, 'the staff’s dashboard', viewport.width);
    await shot(page, 'tableau-3-lieu');
  });
});
