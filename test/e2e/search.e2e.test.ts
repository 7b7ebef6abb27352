import assert from 'node:assert/strict';
import fs from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import type { Page } from 'playwright-core';
import { keyboardOnly, scanAxe } from './support/browser.ts';
import { measurePage, smallestMapLabelPx } from './support/page-budget.ts';
import { demoSite } from './support/session.ts';

const PLACE_PATH = /^\/lieux\/[0-9a-f-]{36}$/;
const RESULTS = '/recherche?besoin=caf&ou=Saran';

describe('the public search in a browser (demonstration data)', () => {
  const { openPage, url } = demoSite();

  async function visit(page: Page, path: string, status = 200): Promise<void> {
    const response = await page.goto(path);
    assert.ok(response, `no answer for ${path}`);
    assert.equal(response.status(), status, `${path} answered ${response.status()}, expected ${status}`);
  }

  /**
   * "need → place → print", then "filter → map → place", with the keyboard alone after the first load.
   * axe-core is a script: it scans the pages of the journeys with JavaScript; without it, the same HTML.
   */
  for (const js of [true, false]) {
    const mode = js ? 'with JavaScript' : 'without JavaScript';

    it(`need → place → print with the keyboard alone, ${mode}, and no axe violation on the way`, async () => {
      const page = await openPage({ javaScriptEnabled: js });
      await visit(page, '/');
      if (js) await scanAxe(page, `the home page (${mode})`);
      const kb = keyboardOnly(page);
      // "Où ?" comes first; the needs are one radio group (one Tab stop per folded group of choices).
      await kb.tabTo((f) => f.id === 'ou');
      await kb.type('Saran');
      await kb.tabTo((f) => f.id === 'besoin-caf');
      await kb.press('Space');
      assert.ok(await kb.locator('#besoin-caf').isChecked());
      await kb.tabTo('Voir les lieux');
      await kb.press('Enter');
      await kb.waitForURL((url) => url.pathname === '/recherche' && url.hash === '#resultats');
      assert.match(
        (await kb.locator('h1').textContent()) ?? '',
        /Faire une démarche CAF : lieux près de Saran/,
      );
      if (js) assert.equal((await kb.focused()).id, 'resultats', 'the focus is not on the results heading');
      assert.equal(await kb.locator('li.card').count(), 10);
      if (js) await scanAxe(page, `the results (${mode})`);
      const link = await kb.tabTo((f) => f.href !== null && PLACE_PATH.test(f.href));
      await kb.press('Enter');
      await kb.waitForURL((url) => url.pathname === link.href);
      assert.equal(((await kb.locator('h1').textContent()) ?? '').trim(), link.text);
      if (js) await scanAxe(page, `a place's sheet (${mode})`);
      assert.equal(await kb.getByRole('button', { name: 'Imprimer la fiche' }).isVisible(), js);
      await kb.emulateMedia({ media: 'print' });
      assert.ok(await kb.locator('svg.qr').isVisible(), 'the QR code is not printed');
      assert.equal(await kb.locator('header nav').isVisible(), false, 'the menu is printed');
      assert.equal(await kb.getByRole('link', { name: /^Signaler une erreur/ }).isVisible(), false);
    });

    it(`filter → map → place with the keyboard alone, ${mode}`, async () => {
      const page = await openPage({ javaScriptEnabled: js });
      await visit(page, RESULTS);
      const kb = keyboardOnly(page);
      await kb.tabTo(/^Filtrer/);
      await kb.press('Enter');
      await kb.waitForURL((url) => url.pathname === '/recherche/filtres');
      if (js) await scanAxe(page, `the filters (${mode})`);
      await kb.tabTo((f) => f.id === 'gratuit');
      await kb.press('Space');
      await kb.tabTo('Voir les lieux');
      await kb.press('Enter');
      await kb.waitForURL(
        (url) => url.pathname === '/recherche' && url.searchParams.get('gratuit') === 'oui',
      );
      assert.match((await kb.locator('main').textContent()) ?? '', /Filtres choisis : gratuit/);
      await kb.tabTo('Voir ces lieux sur une carte');
      await kb.press('Enter');
      await kb.waitForURL((url) => url.searchParams.get('vue') === 'carte');
      assert.ok(await kb.locator('svg.map-svg').isVisible());
      if (js) await scanAxe(page, `the map (${mode})`);
      const link = await kb.tabTo((f) => f.href !== null && PLACE_PATH.test(f.href));
      await kb.press('Enter');
      await kb.waitForURL((url) => url.pathname === link.href);
      if (js) await scanAxe(page, `a place's sheet after the map (${mode})`);
    });
  }

  it('has no axe violation on the empty, error, choice, statement, preferences, report and embed pages, nor at 320 px', async () => {
    const pages: Array<[string, number]> = [
      ['/recherche?besoin=pix&ou=Saran&public=Femmes&accueil=Surdit%C3%A9&ouvert=oui', 200],
      ['/recherche?ou=45A00', 400],
      ['/recherche?lat=95&lon=1', 400],
      ['/recherche?ou=st%20jean%20de', 200],
      ['/recherche?ou=Zzyzxville', 404],
      ['/accessibilite', 200],
      ['/preferences', 200],
      ['/embed', 200],
      ['/embed?besoin=caf&ou=Saran', 200],
      [`${RESULTS}&vue=carte`, 200],
      [`${RESULTS}&falc=1`, 200],
    ];
    const page = await openPage();
    await visit(page, RESULTS);
    const place = await page.locator('main li.card a').first().getAttribute('href');
    assert.ok(place);
    pages.push([place, 200], [`${place}/signaler`, 200], ['/', 200], [RESULTS, 200]);
    for (const [path, status] of pages) {
      await visit(page, path, status);
      await scanAxe(page, path);
    }
    const narrow = await openPage({ viewport: { width: 320, height: 800 } });
    for (const [path, status] of pages) {
      await visit(narrow, path, status);
      await scanAxe(narrow, `${path} at 320 px`);
      const width = await narrow.evaluate(() => document.documentElement.scrollWidth);
      assert.ok(width <= 320, `${path} scrolls sideways at 320 px (${width})`);
    }
  });

  // The maps drawn on the server (communes' outlines and names) stay within the results page's budget.
  for (const [label, path] of [
    ['a results page', RESULTS],
    ['a results page with its map', `${RESULTS}&vue=carte`],
    ['the coverage map of the demonstration', '/couverture'],
  ] as const)
    it(`keeps ${label} within the budget: ≤ 30 KB transferred, ≤ 5 requests, ≤ 400 elements, EcoIndex A, nothing third-party`, async () => {
      const page = await openPage({ viewport: { width: 1280, height: 720 } });
      const budget = await measurePage(page, url() + path);
      const { bytes, elements, urls } = budget;
      process.stdout.write(`# ${label} budget: ${JSON.stringify(budget)}\n`);
      assert.ok(bytes <= 30 * 1024, `${bytes} bytes transferred`);
      assert.ok(urls.length <= 5, `${urls.length} requests: ${urls.join(', ')}`);
      assert.ok(elements <= 400, `${elements} elements`);
      assert.ok(
        budget.ecoindex >= 80 && budget.grade === 'A',
        `EcoIndex ${budget.ecoindex} (${budget.grade})`,
      );
      assert.deepEqual(
        urls.filter((u) => !u.startsWith(url())),
        [],
        'a request left our origin',
      );
      assert.ok(!urls.some((u) => /favicon/.test(u)), 'the browser asked for a favicon');
      if (path !== RESULTS) {
        const names = await smallestMapLabelPx(page, 'main');
        assert.ok(names.count >= 3, `${names.count} commune names on the map`);
        assert.ok(names.px >= 12, `commune names drawn at ${names.px.toFixed(1)} px at 1280 px`);
        const folder = process.env.SCREENSHOTS;
        if (folder) {
          fs.mkdirSync(folder, { recursive: true });
          const name = path === '/couverture' ? 'coverage-demo.png' : 'results-map.png';
          await page
            .locator('main figure')
            .first()
            .screenshot({ path: join(folder, name) });
        }
      }
    });
});
