import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { check, keyboardOnly, shot } from './support/browser.ts';
import { demoBrowserSuite } from './support/demo-suite.ts';
import { signIn } from './support/session.ts';

/**
 * The network's day of the demonstration (decision 0043), keyboard only, on a phone (390 × 844) and a
 * desktop (1280 × 900): a resident opens the day from `/agenda`, reads the programme by track and
 * registers to a session; the coordinator opens the day's management page and prints the programme on
 * one A4 sheet. Axe on every page, no sideways scrolling, the page guard (CSP, console and page errors).
 * SCREENSHOTS=<folder> keeps the pictures and the PDF.
 */
/** Page objects of a PDF (Chromium's output; print.e2e.test.ts checks the page tree as well). */
const pdfPages = (pdf: Buffer) => pdf.toString('latin1').match(/\/Type\s*\/Page(?![a-zA-Z])/g)?.length ?? 0;

describe('a network day, in a browser', () => {
  const suite = demoBrowserSuite('network-day');

  for (const viewport of [
    { width: 390, height: 844 },
    { width: 1280, height: 900 },
  ]) {
    const size = `${viewport.width} × ${viewport.height}`;
    const tag = `${viewport.width}`;
    it(`a resident opens the day's programme and registers to a session, keyboard only, ${size}`, async () => {
      const page = await suite.openPage(viewport);
      await page.goto('/agenda');
      await check(page, `the agenda ${size}`, viewport.width);
      const kb = keyboardOnly(page);
      await kb.tabTo(/^Journée du réseau : Numérique en commun/, 80);
      await Promise.all([page.waitForURL('**/agenda/journees/*'), kb.press('Enter')]);
      const main = (await page.textContent('main')) ?? '';
      assert.match(main, /Parcours 2 : Pass numérique sur le territoire/);
      assert.match(main, /Salle 2/);
      assert.match(main, /Sam Leroy/);
      await check(page, `the day's programme ${size}`, viewport.width);
      await shot(page, `${tag}-1-programme`);

      await kb.tabTo('S’inscrire à « Atelier : distribuer des pass numériques »', 120);
      await Promise.all([page.waitForURL('**/agenda/ateliers/*'), kb.press('Enter')]);
      assert.match((await page.textContent('h1')) ?? '', /Atelier : distribuer des pass numériques/);
      await check(page, `the session ${size}`, viewport.width);
      await kb.tabTo((f) => f.id.startsWith('date-'), 80);
      await kb.press('Space');
      await kb.tabTo((f) => f.id === 'prenom', 10);
      await kb.type('Inès');
      await kb.tabTo((f) => f.id === 'courriel', 10);
      await kb.type(`ines.${tag}@example.org`);
      await kb.tabTo('M’inscrire', 10);
      await Promise.all([page.waitForNavigation(), kb.press('Enter')]);
      assert.match((await page.textContent('h1')) ?? '', /Vous êtes inscrit/);
      await check(page, `registered ${size}`, viewport.width);
      await shot(page, `${tag}-2-inscrit`);
    });
  }

  it('the coordinator opens the day and prints its programme on one A4 sheet, keyboard only', async () => {
    for (const viewport of [
      { width: 1280, height: 900 },
      { width: 390, height: 844 },
    ]) {
      const page = await suite.openPage(viewport);
      await signIn(page, 'coordination.demo@example.org');
      await page.goto('/agenda/gestion/journees');
      await check(page, `the network's days ${viewport.width}`, viewport.width);
      const kb = keyboardOnly(page);
      await kb.tabTo(/^Journée du réseau : Numérique en commun/, 80);
      await Promise.all([page.waitForURL('**/agenda/gestion/journees/*'), kb.press('Enter')]);
      // The registrations of the resident's journeys (when they ran first), counted without names.
      assert.match((await page.textContent('main')) ?? '', /\d+ inscrits sur 25/);
      await check(page, `the day's management ${viewport.width}`, viewport.width);
      await shot(page, `coordination-${viewport.width}-1-journee`);
      await kb.tabTo('Programme à imprimer', 40);
      await Promise.all([page.waitForURL('**/programme'), kb.press('Enter')]);
      assert.equal(await page.locator('table.programme-table tbody tr').count(), 8);
      await check(page, `the printable programme ${viewport.width}`, viewport.width);
      await shot(page, `coordination-${viewport.width}-2-programme`);
      if (viewport.width === 1280) {
        const pdf = await page.pdf({
          format: 'A4',
          margin: { top: '10mm', right: '10mm', bottom: '10mm', left: '10mm' },
        });
        if (process.env.SCREENSHOTS)
          fs.writeFileSync(path.join(process.env.SCREENSHOTS, 'programme.pdf'), pdf);
        assert.equal(pdfPages(pdf), 1, 'the programme prints on one A4 page');
        await page.emulateMedia({ media: 'print' });
        await shot(page, 'coordination-3-programme-impression');
        await page.emulateMedia({ media: null });
      }
      await page.context().close();
    }
  });
});
