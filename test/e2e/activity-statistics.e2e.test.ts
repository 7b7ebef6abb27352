import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import type { Page } from 'playwright-core';
import { check, keyboardOnly } from './support/browser.ts';
import { demoSite, signIn } from './support/session.ts';

/**
 * The activity statistics in a browser (demonstration data), on a phone and a desktop: a mediator's
 * structure, the coordinator's network, the funder's own page; the period is chosen with the keyboard
 * only; a period in the wrong order comes back with its message. Axe on every page, no sideways
 * scrolling. SCREENSHOTS=<folder> keeps a picture of each page.
 */
async function shot(page: Page, name: string) {
  const folder = process.env.SCREENSHOTS;
  if (!folder) return;
  fs.mkdirSync(folder, { recursive: true });
  await page.screenshot({ path: path.join(folder, `stats-${name}.png`), fullPage: true });
}

describe('activity statistics, in a browser (demonstration data)', () => {
  const { openPage } = demoSite();

  for (const viewport of [
    { width: 390, height: 844 },
    { width: 1280, height: 900 },
  ]) {
    const size = `${viewport.width} × ${viewport.height}`;
    it(`a mediator reads the structure's figures and chooses a period with the keyboard, ${size}`, async () => {
      const page = await openPage({ viewport });
      await signIn(page, 'mediation.demo@example.org');
      assert.equal((await page.goto('/activites/statistiques'))?.status(), 200);
      const main = (await page.textContent('main')) ?? '';
      assert.match(main, /Personnes suivies/);
      assert.match(main, /Participants anonymes/);
      await check(page, `the structure's statistics ${size}`, viewport.width);
      await shot(page, `${viewport.width}-1-structure`);
      const kb = keyboardOnly(page);
      await page.selectOption('#periode', '');
      await page.fill('#du', '31/03/2026');
      await page.fill('#au', '01/01/2026');
      await kb.tabTo('Voir les statistiques', 40);
      await Promise.all([page.waitForNavigation(), kb.press('Enter')]);
      const refused = (await page.textContent('main')) ?? '';
      assert.match(refused, /est avant son début/);
      await check(page, `the refused period ${size}`, viewport.width);
      await shot(page, `${viewport.width}-2-refus`);
    });
  }

  it("the coordinator reads the network's figures and a funder its own", async () => {
    const page = await openPage({ viewport: { width: 1280, height: 900 } });
    await signIn(page, 'coordination.demo@example.org');
    assert.equal((await page.goto('/activites/statistiques/reseau?periode=annee-precedente'))?.status(), 200);
    await check(page, "the network's statistics", 1280);
    await shot(page, '3-reseau');
    const funder = await openPage({ viewport: { width: 390, height: 844 } });
    await signIn(funder, 'financeur.demo@example.org');
    await funder.goto('/financeur');
    await Promise.all([
      funder.waitForNavigation(),
      funder.click('text=Statistiques des activités des structures financées'),
    ]);
    assert.match(funder.url(), /\/activites\/statistiques\/financeur\/[0-9a-f-]{36}$/);
    assert.match((await funder.textContent('main')) ?? '', /pendant les jours de chaque financement/);
    await check(funder, "the funder's statistics", 390);
    await shot(funder, '4-financeur');
  });
});
