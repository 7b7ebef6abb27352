import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { addDays, localToday } from '../../src/places/place-dates.ts';
import { check } from './support/browser.ts';
import { demoSite, signIn } from './support/session.ts';

/**
 * The annual evaluation report and a funder's read-only link in a browser (demonstration data, decision
 * 0056): axe on every page, no sideways scrolling on a phone; the report printed on A4 (its page count
 * in the output); a link created, opened without an account, revoked, then refused.
 */
/** Page objects of a PDF (`/Type /Page`, not `/Pages`). */
const pdfPages = (pdf: Buffer) => pdf.toString('latin1').match(/\/Type\s*\/Page(?![a-zA-Z])/g)?.length ?? 0;

describe('the annual report and the funder links, in a browser (demonstration data)', () => {
  const { openPage } = demoSite();
  // A year with records: the demonstration's cover the 365 days up to today, in Paris as the server
  // counts (usually last year; on 31 December only this one).
  const reportYear = Number(addDays(localToday(new Date()), -364).slice(0, 4));

  it('the coordinator reads and prints the report, on a desktop and a phone', async () => {
    // One sign-in for both sizes: the demo account's code works once per 30 seconds.
    const page = await openPage({ viewport: { width: 1280, height: 900 } });
    await signIn(page, 'coordination.demo@example.org');
    for (const viewport of [
      { width: 1280, height: 900 },
      { width: 390, height: 844 },
    ]) {
      await page.setViewportSize(viewport);
      await page.emulateMedia({ media: null });
      assert.equal((await page.goto(`/activites/rapport-annuel?annee=${reportYear}`))?.status(), 200);
      const main = (await page.textContent('main')) ?? '';
      assert.match(main, /Personnes suivies/);
      assert.match(main, /Limites/);
      await check(page, `the annual report ${viewport.width}`, viewport.width);
      if (viewport.width === 1280) {
        const pdf = await page.pdf({
          format: 'A4',
          margin: { top: '10mm', right: '10mm', bottom: '10mm', left: '10mm' },
        });
        const pages = pdfPages(pdf);
        assert.ok(pages > 0);
        console.log(`# print: annual report ${reportYear} of the network → ${pages} page(s) A4`);
        await page.emulateMedia({ media: 'print' });
        assert.equal(await page.locator('form.filters').isVisible(), false, 'the form is not printed');
      }
      const refused = await page.goto(`/activites/rapport-annuel?annee=${reportYear + 2}`);
      assert.equal(refused?.status(), 400);
      await check(page, `the refused year ${viewport.width}`, viewport.width);
    }
  });

  it('a coordinator creates a link, a visitor opens it without an account, then it is revoked', async () => {
    const page = await openPage({ viewport: { width: 1280, height: 900 } });
    await signIn(page, 'coordination.demo@example.org');
    await page.goto('/financeurs');
    const href = await page.locator('a[href^="/financeurs/"]').first().getAttribute('href');
    assert.ok(href);
    await page.goto(href);
    await Promise.all([page.waitForNavigation(), page.click('text=Liens de consultation sans compte')]);
    await check(page, 'the funder links page', 1280);
    await page.fill('#name', 'Comité de suivi');
    await Promise.all([page.waitForNavigation(), page.click('button:has-text("Créer le lien")')]);
    const url = await page.inputValue('#lien');
    assert.match(url, /\/statistiques\/lien\/mfl_/);
    await check(page, 'the link shown once', 1280);
    const visitor = await openPage({ viewport: { width: 390, height: 844 } });
    const opened = await visitor.goto(new URL(url).pathname);
    assert.equal(opened?.status(), 200);
    assert.match((await visitor.textContent('main')) ?? '', /Statistiques des activités financées/);
    await check(visitor, 'the statistics opened by a link', 390);
    await Promise.all([page.waitForNavigation(), page.click('button:has-text("Révoquer")')]);
    const gone = await visitor.goto(new URL(url).pathname);
    assert.equal(gone?.status(), 410);
    await check(visitor, 'the revoked link', 390);
  });
});
