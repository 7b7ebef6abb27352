import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import type { Page } from 'playwright-core';
import { coopLine, coopRows, xlsxOf } from '../support/coop-fixtures.ts';
import { check, keyboardOnly } from './support/browser.ts';
import { demoSite, signIn } from './support/session.ts';

/**
 * The exchange with La Coop in a browser, on a phone (390 × 844) and a desktop (1280 × 900): a member of
 * a demonstration structure opens /activites/import, sends a file with errors (every row and column
 * named, nothing imported), then a good one (the counts). The file is chosen by the test (a file dialog
 * is the system's), the rest with the keyboard only. Axe on every page, no sideways scrolling.
 * SCREENSHOTS=<folder> keeps a picture of each page.
 */
async function shot(page: Page, name: string) {
  const folder = process.env.SCREENSHOTS;
  if (!folder) return;
  fs.mkdirSync(folder, { recursive: true });
  await page.screenshot({ path: path.join(folder, `coop-${name}.png`), fullPage: true });
}

describe('importing a Coop export, in a browser (demonstration data)', () => {
  const { openPage } = demoSite();

  for (const viewport of [
    { width: 390, height: 844 },
    { width: 1280, height: 900 },
  ]) {
    const size = `${viewport.width} × ${viewport.height}`;
    it(`a mediator imports an export, errors first, keyboard only, ${size}`, async () => {
      const page = await openPage({ viewport });
      await signIn(page, 'mediation.demo@example.org');
      assert.equal((await page.goto('/activites/import'))?.status(), 200);
      await check(page, `the exchange page ${size}`, viewport.width);
      await shot(page, `${viewport.width}-1-page`);
      const kb = keyboardOnly(page);
      const send = async (lines: ReturnType<typeof coopLine>[]) => {
        await page.setInputFiles('#fichier', {
          name: 'export-coop.xlsx',
          mimeType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
          buffer: Buffer.from(xlsxOf(coopRows(lines))),
        });
        await kb.tabTo('Importer', 20);
        await Promise.all([page.waitForNavigation(), kb.press('Enter')]);
      };

      await send([coopLine({ idCra: `e2e-${viewport.width}-bad`, duration: 0 })]);
      const refused = (await page.textContent('main')) ?? '';
      assert.match(refused, /rien n’a été importé/);
      assert.match(refused, /Durée \(min\)/);
      await check(page, `the refusal ${size}`, viewport.width);
      await shot(page, `${viewport.width}-2-refus`);

      await page.goto('/activites/import');
      await send([
        coopLine({ idCra: `e2e-${viewport.width}-1` }),
        coopLine({ idCra: `e2e-${viewport.width}-2` }),
      ]);
      const done = (await page.textContent('main')) ?? '';
      assert.match(done, /2 activités ajoutées/);
      await check(page, `the result ${size}`, viewport.width);
      await shot(page, `${viewport.width}-3-resultat`);
    });
  }
});
