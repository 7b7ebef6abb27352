import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { scanAxe } from './support/browser.ts';
import { DEMO_PASSWORD, demoSite, nextDemoTotpCode } from './support/session.ts';

// Demonstration accounts (README): the coordinator has a second factor with this demo secret.
const COORDINATOR = 'coordination.demo@example.org';

describe('sign-in and coverage pages in a browser (demonstration data)', () => {
  const { openPage } = demoSite();

  it('the coverage pages and their method have no axe violation, also 320 px wide', async () => {
    for (const viewport of [undefined, { width: 320, height: 800 }]) {
      const page = await openPage(viewport ? { viewport } : {});
      for (const path of [
        '/couverture',
        `/couverture?service=${encodeURIComponent('Parentalité et éducation avec le numérique')}&km=3`,
        '/couverture?tri=population',
        '/couverture/methode',
      ]) {
        const response = await page.goto(path);
        assert.equal(response?.status(), 200, path);
        await scanAxe(page, `${path}${viewport ? ' at 320 px' : ''}`);
        const scrollWidth = await page.evaluate(() => document.documentElement.scrollWidth);
        if (viewport) assert.ok(scrollWidth <= 320, `${path} scrolls sideways at 320 px (${scrollWidth})`);
      }
    }
  });

  it('the legal notice and personal-data pages have no axe violation', async () => {
    const page = await openPage();
    for (const path of ['/mentions-legales', '/donnees-personnelles']) {
      const response = await page.goto(path);
      assert.equal(response?.status(), 200, path);
      await scanAxe(page, path);
    }
  });

  it('a coordinator signs in with her second factor, with the keyboard, and sees the network coverage', async () => {
    const page = await openPage();
    const anonymous = await page.goto('/couverture/reseau');
    assert.match(
      new URL(page.url()).pathname,
      /^\/connexion/,
      `anonymous → sign-in (status ${anonymous?.status()})`,
    );
    await scanAxe(page, 'the sign-in page');

    // A wrong password: refused (401/422), with an error summary, still accessible.
    await page.locator('input[name="email"]').first().focus();
    await page.keyboard.type(COORDINATOR);
    await page.keyboard.press('Tab');
    await page.keyboard.type('pas-le-bon-mot-de-passe');
    const [wrong] = await Promise.all([page.waitForNavigation(), page.keyboard.press('Enter')]);
    assert.ok([401, 422].includes(wrong?.status() ?? 0), `a failed sign-in answers ${wrong?.status()}`);
    await scanAxe(page, 'the sign-in page with an error');

    await page.locator('input[name="email"]').first().fill(COORDINATOR);
    await page.locator('input[name="password"]').first().focus();
    await page.keyboard.type(DEMO_PASSWORD);
    await Promise.all([page.waitForNavigation(), page.keyboard.press('Enter')]);
    assert.match(new URL(page.url()).pathname, /^\/connexion\/code/);
    await scanAxe(page, 'the second-factor page');
    const code = await nextDemoTotpCode(page);
    await page.locator('input[name="code"]').first().focus();
    await page.keyboard.type(code);
    await Promise.all([page.waitForNavigation(), page.keyboard.press('Enter')]);

    const network = await page.goto('/couverture/reseau');
    assert.equal(network?.status(), 200);
    assert.match(await page.content(), /Lieu le plus proche/);
    await scanAxe(page, 'the network coverage page (coordinator)');
    const account = await page.goto('/compte');
    assert.equal(account?.status(), 200);
    await scanAxe(page, 'my account');
    const home = await page.goto('/espace');
    assert.equal(home?.status(), 200);
    assert.match(await page.content(), /La semaine du réseau/);
    await scanAxe(page, 'my home page (coordinator)');
  });
});
