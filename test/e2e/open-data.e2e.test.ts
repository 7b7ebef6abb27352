import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { keyboardOnly, scanAxe } from './support/browser.ts';
import { demoSite } from './support/session.ts';

/**
 * The open-data page in a browser, keyboard only: from the home page, the footer's "Données ouvertes"
 * link leads to /donnees, which lists the files the server's job runner generated at its start, with
 * their schema, version and records; the spreadsheet file downloads. Axe at 1280 px and 390 px.
 */
describe('the open-data files, in a browser (demonstration data)', () => {
  const { openPage } = demoSite();

  for (const width of [1280, 390]) {
    it(`a visitor reaches the files from the footer and downloads the spreadsheet one — keyboard only, at ${width} px`, async () => {
      const page = await openPage({ viewport: { width, height: 900 } });
      await page.goto('/');
      const k = keyboardOnly(page);
      await k.tabTo((el) => el.href === '/donnees', 300);
      await Promise.all([page.waitForURL('**/donnees'), k.press('Enter')]);
      // The leader generates the files at its first tick: at most a few seconds after the start.
      const deadline = Date.now() + 90_000;
      while ((await page.textContent('main'))?.includes('en préparation') && Date.now() < deadline) {
        await page.waitForTimeout(500);
        await page.reload();
      }
      const main = (await page.textContent('main')) ?? '';
      assert.doesNotMatch(main, /en préparation/);
      assert.match(main, /Schéma des lieux de médiation numérique, version 1\.0\.2/);
      assert.match(main, /\d+ structures/);
      assert.match(main, /\d+ services/);
      await scanAxe(page, `/donnees at ${width} px`);
      const scroll = await page.evaluate(() => document.documentElement.scrollWidth);
      // Wide tables scroll inside their own box at most; the page itself does not scroll sideways.
      assert.ok(scroll <= width + 1, `/donnees scrolls sideways at ${width} px (${scroll})`);
      await k.tabTo((el) => el.href === '/donnees/lieux-tableur.csv', 60);
      const [download] = await Promise.all([page.waitForEvent('download'), k.press('Enter')]);
      assert.equal(download.suggestedFilename(), 'lieux-tableur.csv');
    });
  }
});
