import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import type { Page } from 'playwright-core';
import { formatVoucherCode } from '../../src/vouchers/voucher-code.ts';
import { addQualifiedPlace } from '../../src/vouchers/vouchers.service.ts';
import { handOver, setUpPassProgramme } from '../support/pass-fixtures.ts';
import { check, keyboardOnly, shot } from './support/browser.ts';
import { demoBrowserSuite } from './support/demo-suite.ts';
import { signIn } from './support/session.ts';

/**
 * A qualified place's staff redeem a pass numérique voucher in a browser, with the keyboard only, on a
 * phone (390 × 844) and a desktop (1280 × 900): the code typed as read from the paper (dashes, lower
 * case), checked ("Vérifier le code": what the voucher is), a need ticked, the answer "Chèque encaissé";
 * the same code again, redeemed straight away as a trained person may, is refused, naming the day
 * and the place; the list of redemptions shows it. Axe on every page, no sideways scrolling, the page
 * guard (CSP, console and page errors). The programme is written before the server starts, through the
 * services, since the demonstration data has none yet. SCREENSHOTS=<folder> keeps a picture of each page.
 */
/** A4 with 10 mm margins and the browser's own header and footer, as a person prints (print.e2e.test.ts). */
const PRINT = {
  format: 'A4',
  margin: { top: '10mm', right: '10mm', bottom: '10mm', left: '10mm' },
  displayHeaderFooter: true,
} as const;

/** The page objects of a PDF (`/Type /Page`, not `/Pages`). */
async function printedPages(page: Page, name: string): Promise<number> {
  const pdf = await page.pdf(PRINT);
  const folder = process.env.SCREENSHOTS;
  if (folder) fs.writeFileSync(path.join(folder, `${name}.pdf`), pdf);
  return pdf.toString('latin1').match(/\/Type\s*\/Page(?![a-zA-Z])/g)?.length ?? 0;
}

/** The smallest font size (CSS px) of the visible text of main, as printed. */
async function smallestPrintedPx(page: Page): Promise<number> {
  await page.emulateMedia({ media: 'print' });
  const px = await page.evaluate(() => {
    let min = Number.POSITIVE_INFINITY;
    for (const el of Array.from(document.querySelectorAll('main *'))) {
      const own = Array.from(el.childNodes).some(
        (n) => n.nodeType === 3 && (n.textContent ?? '').trim() !== '',
      );
      if (!own || el.getClientRects().length === 0) continue;
      min = Math.min(min, Number.parseFloat(getComputedStyle(el).fontSize));
    }
    return min;
  });
  await page.emulateMedia({ media: null });
  return px;
}

describe('redeeming a pass numérique voucher, in a browser', () => {
  let codes: string[] = [];
  let letterPath = '';
  let printPath = '';
  let openBooklet = '';
  const suite = demoBrowserSuite('pass', async (db) => {
    const pass = await setUpPassProgramme(db, { booklets: 3 });
    const first = pass.booklets[0] as { id: string };
    codes = [
      ...(await handOver(db, first.id, { commune: { code: '45302', name: 'Saran' } })),
      ...(await handOver(db, (pass.booklets[1] as { id: string }).id)),
    ];
    letterPath = `/pass/carnets/${first.id}/lettre`;
    printPath = `/pass/carnets/${first.id}/imprimer`;
    openBooklet = (pass.booklets[2] as { id: string }).id;
    // More qualified places than the letter lists, so that it is printed at its longest.
    const others = await db
      .selectFrom('place')
      .select('id')
      .where('structure_id', 'is not', null)
      .where('id', '!=', pass.placeId)
      .orderBy('nom')
      .limit(6)
      .execute();
    for (const o of others)
      await addQualifiedPlace(db, { kind: 'system' }, { programmeId: pass.programmeId, placeId: o.id });
  });
  const openPage = suite.openPage;

  it('a prescriber hands a booklet to a person, keyboard only, and gets the letter', async () => {
    const viewport = { width: 390, height: 844 };
    const page = await openPage(viewport);
    await signIn(page, 'admin.demo@example.org');
    const kb = keyboardOnly(page);
    await kb.tabTo('Voir mes carnets', 300);
    await Promise.all([page.waitForURL('**/pass/carnets'), kb.press('Enter')]);
    await check(page, 'the list of booklets', viewport.width);
    await shot(page, 'prescripteur-1-carnets');
    // By its address: the demonstration's programmes have booklets of the same numbers in this list.
    await kb.tabTo((f) => f.href === `/pass/carnets/${openBooklet}`, 80);
    await Promise.all([page.waitForNavigation(), kb.press('Enter')]);
    await check(page, 'a booklet to hand over', viewport.width);
    await shot(page, 'prescripteur-2-carnet');
    // Sent without the declaration: refused, the summary has the focus.
    await kb.tabTo('Enregistrer la remise', 80);
    await Promise.all([page.waitForNavigation(), kb.press('Enter')]);
    await page.waitForSelector('.error-summary');
    assert.match((await page.textContent('.error-summary')) ?? '', /Cochez la case : vous déclarez/);
    await check(page, 'the hand-over refused', viewport.width);
    await kb.tabTo((f) => f.id === 'declared', 80);
    await kb.press('Space');
    await kb.tabTo((f) => f.id === 'commune', 5);
    await kb.type('Saran');
    await kb.tabTo('Enregistrer la remise', 5);
    await Promise.all([page.waitForNavigation(), kb.press('Enter')]);
    assert.match((await page.textContent('main')) ?? '', /La remise est enregistrée/);
    await check(page, 'the booklet handed over', viewport.width);
    await shot(page, 'prescripteur-3-remis');
    await kb.tabTo('Imprimer la lettre pour la personne', 80);
    await Promise.all([page.waitForNavigation(), kb.press('Enter')]);
    assert.match((await page.textContent('main')) ?? '', /Les lieux les plus proches de Saran/);
    await check(page, 'the letter', viewport.width);
  });

  for (const [viewport, index] of [
    [{ width: 390, height: 844 }, 0],
    [{ width: 1280, height: 900 }, 1],
  ] as const) {
    const size = `${viewport.width} × ${viewport.height}`;
    const tag = `${viewport.width}`;
    it(`the staff type a code and redeem it, keyboard only, ${size}`, async () => {
      const page = await openPage(viewport);
      await signIn(page, 'mediation.demo@example.org');
      await check(page, `the home page ${size}`, viewport.width);
      const kb = keyboardOnly(page);
      await kb.tabTo('Encaisser un chèque', 300);
      await Promise.all([page.waitForURL('**/pass/encaisser'), kb.press('Enter')]);
      await check(page, `the redemption form ${size}`, viewport.width);
      await shot(page, `${tag}-1-encaisser`);

      // As read from the paper: lower case, with its dashes.
      const code = formatVoucherCode(codes[index] as string).toLowerCase();
      await kb.tabTo((f) => f.id === 'code', 40);
      await kb.type(code);
      // First the check: the page says what the voucher is, and keeps the code.
      await kb.tabTo('Vérifier le code', 5);
      await Promise.all([page.waitForNavigation(), kb.press('Enter')]);
      const described = (await page.textContent('.voucher-described')) ?? '';
      assert.match(
        described,
        /Chèque de 10,00\s€ du programme « .+ », valable jusqu'au (?:1er|\d{1,2}) [a-zéû]+ \d{4}\./,
      );
      assert.match((await kb.focused()).text, /^Chèque de 10,00/, 'the description has the focus');
      assert.equal(await page.$eval('#code', (i) => (i as HTMLInputElement).value), code, 'the code is kept');
      assert.ok(await page.isVisible('.voucher-described'));
      await check(page, `the voucher checked ${size}`, viewport.width);
      await shot(page, `${tag}-1b-verifie`);
      await kb.tabTo((f) => f.id === 'besoin-caf', 5);
      await kb.press('Space');
      await kb.tabTo('Encaisser le chèque', 80);
      await Promise.all([page.waitForNavigation(), kb.press('Enter')]);
      const done = (await page.textContent('main')) ?? '';
      assert.match((await page.textContent('h1')) ?? '', /Chèque encaissé/);
      assert.match(
        done,
        /Le chèque de 10,00\s€ est encaissé pour « .+ », le (?:1er|\d{1,2}) [a-zéû]+ \d{4} à \d{1,2} h/,
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
      assert.equal(await page.locator('.letter-places > li').count(), 5, 'the five nearest places');
      await check(page, `the letter ${size}`, viewport.width);
      await shot(page, `${tag}-5-lettre`);
      if (index === 1) {
        // On paper: the letter on one A4 page, the booklet's five vouchers on one; 12 pt (16 px) at least.
        assert.equal(await printedPages(page, 'lettre'), 1, 'the letter prints on one page');
        assert.ok((await smallestPrintedPx(page)) >= 16, 'the printed letter keeps 12 pt');
        await page.emulateMedia({ media: 'print' });
        await shot(page, 'lettre-impression');
        await page.emulateMedia({ media: null });
        await page.goto(printPath);
        await check(page, `the vouchers to print ${size}`, viewport.width);
        await shot(page, `${tag}-6-cheques`);
        assert.equal(await printedPages(page, 'cheques'), 1, 'a booklet of five prints on one page');
        assert.ok((await smallestPrintedPx(page)) >= 16, 'the printed vouchers keep 12 pt');
        await page.emulateMedia({ media: 'print' });
        await shot(page, 'cheques-impression');
        await page.emulateMedia({ media: null });
      }
    });
  }
});
