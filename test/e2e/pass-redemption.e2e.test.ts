import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { openDatabase } from '../../src/db/create-db.ts';
import { migrate } from '../../src/db/migrate.ts';
import { seedDemoIfFresh } from '../../src/demo/demo.service.ts';
import { formatVoucherCode } from '../../src/vouchers/voucher-code.ts';
import { handOver, setUpPassProgramme } from '../support/pass-fixtures.ts';
import { keyboardOnly, launchBrowser, newContext, STRUCTURE_RULES, scanAxe } from './support/browser.ts';
import { failOnPageProblems } from './support/page-guard.ts';
import { type RunningServer, startServer } from './support/server.ts';
import { signIn } from './support/session.ts';

/**
 * A qualified place's staff redeem a pass numérique voucher in a browser, with the keyboard only, on a
 * phone (390 × 844) and a desktop (1280 × 900): the code typed as read from the paper (dashes, lower
 * case), a need ticked, the answer "Chèque encaissé"; the same code again is refused, naming the day
 * and the place; the list of redemptions shows it. Axe on every page, no sideways scrolling, the page
 * guard (CSP, console and page errors). The programme is written before the server starts, through the
 * services, since the demonstration data has none yet. SCREENSHOTS=<folder> keeps a picture of each page.
 */
async function shot(page: Page, name: string) {
  const folder = process.env.SCREENSHOTS;
  if (!folder) return;
  fs.mkdirSync(folder, { recursive: true });
  await page.screenshot({ path: path.join(folder, `${name}.png`), fullPage: true });
}

async function check(page: Page, label: string, width: number) {
  await scanAxe(page, label);
  await scanAxe(page, label, STRUCTURE_RULES);
  const scroll = await page.evaluate(() => document.documentElement.scrollWidth);
  assert.ok(scroll <= width, `${label} scrolls sideways (${scroll} > ${width})`);
}

describe('redeeming a pass numérique voucher, in a browser', () => {
  let server: RunningServer | undefined;
  let browser: Browser | undefined;
  let dataDir = '';
  let codes: string[] = [];
  let letterPath = '';
  before(async () => {
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'maillage-e2e-pass-'));
    const handle = await openDatabase({ dataDir, databaseUrl: null });
    try {
      await migrate(handle.db);
      await seedDemoIfFresh(handle.db, { kind: 'system' });
      const pass = await setUpPassProgramme(handle.db, { booklets: 2 });
      const first = pass.booklets[0] as { id: string };
      codes = [
        ...(await handOver(handle.db, first.id, { commune: { code: '45302', name: 'Saran' } })),
        ...(await handOver(handle.db, (pass.booklets[1] as { id: string }).id)),
      ];
      letterPath = `/pass/carnets/${first.id}/lettre`;
    } finally {
      await handle.close();
    }
    server = await startServer({ DATA_DIR: dataDir });
    browser = await launchBrowser();
  });
  after(async () => {
    await browser?.close();
    await server?.stop();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });
  failOnPageProblems();

  const openPage = async (viewport: { width: number; height: number }) => {
    assert.ok(server && browser);
    const context = await newContext(browser, { baseURL: server.url, viewport });
    return context.newPage();
  };

  for (const [viewport, index] of [
    [{ width: 390, height: 844 }, 0],
    [{ width: 1280, height: 900 }, 1],
  ] as const) {
    const size = `${viewport.width} × ${viewport.height}`;
    const tag = `${viewport.width}`;
    it(`the staff type a code and redeem it, keyboard only, ${size}`, async () => {
      const page = await openPage(viewport);
      await signIn(page, 'mediation.demo@example.org');
      // The home page's link to this page belongs to the home domain; the address is typed here.
      await page.goto('/pass/encaisser');
      const kb = keyboardOnly(page);
      await check(page, `the redemption form ${size}`, viewport.width);
      await shot(page, `${tag}-1-encaisser`);

      // As read from the paper: lower case, with its dashes.
      const code = formatVoucherCode(codes[index] as string).toLowerCase();
      await kb.tabTo((f) => f.id === 'code', 40);
      await kb.type(code);
      await kb.tabTo((f) => f.id === 'besoin-caf', 5);
      await kb.press('Space');
      await kb.tabTo('Encaisser le chèque', 80);
      await Promise.all([page.waitForNavigation(), kb.press('Enter')]);
      const done = (await page.textContent('main')) ?? '';
      assert.match((await page.textContent('h1')) ?? '', /Chèque encaissé/);
      assert.match(
        done,
        /Le chèque de 10,00\s€ est encaissé pour « .+ », le \d{1,2} [a-zéû]+ \d{4} à \d{1,2} h/,
      );
      await check(page, `the answer ${size}`, viewport.width);
      await shot(page, `${tag}-2-encaisse`);

      // The same code again: refused, naming when and where.
      await kb.tabTo('Encaisser un autre chèque', 40);
      await Promise.all([page.waitForNavigation(), kb.press('Enter')]);
      await kb.tabTo((f) => f.id === 'code', 40);
      await kb.type(code);
      await kb.tabTo((f) => f.id === 'besoin-caf', 5);
      await kb.press('Space');
      await kb.tabTo('Encaisser le chèque', 80);
      await Promise.all([page.waitForNavigation(), kb.press('Enter')]);
      await page.waitForSelector('.error-summary');
      assert.match(
        (await page.textContent('.error-summary')) ?? '',
        /Ce chèque a déjà été encaissé le \d\d\/\d\d\/\d{4} à « .+ »/,
      );
      assert.ok((await kb.focused()).text.startsWith('Il y a un problème'), 'the summary has the focus');
      assert.equal(await page.$eval('#code', (i) => (i as HTMLInputElement).value), code, 'the code is kept');
      await check(page, `the refusal ${size}`, viewport.width);
      await shot(page, `${tag}-3-deja-encaisse`);

      await kb.tabTo('Voir les encaissements', 120);
      await Promise.all([page.waitForURL('**/pass/encaissements'), kb.press('Enter')]);
      assert.match((await page.textContent('main')) ?? '', /Encaissé le/);
      await check(page, `the list of redemptions ${size}`, viewport.width);
      await shot(page, `${tag}-4-encaissements`);

      await page.goto(letterPath);
      assert.match((await page.textContent('h1')) ?? '', /Votre pass numérique/);
      await check(page, `the letter ${size}`, viewport.width);
      await shot(page, `${tag}-5-lettre`);
    });
  }
});
