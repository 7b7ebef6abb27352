import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import type { Page } from 'playwright-core';
import { keyboardOnly, scanAxe } from './support/browser.ts';
import { demoSite, signIn } from './support/session.ts';

/**
 * A pass numérique programme in a browser, keyboard only: the coordinator creates it, the funder's
 * person confirms it, the coordinator emits booklets, records the payment and opens the booklets to
 * print, which Chromium prints one booklet a sheet, at 12 pt at least. Axe on every page, at 390 px and
 * 1280 px; the page guard fails the journey on a CSP violation or a console error. SCREENSHOTS=<folder>
 * keeps pictures of each page.
 */
const SHOTS = process.env.SCREENSHOTS;

async function shot(page: Page, name: string): Promise<void> {
  if (!SHOTS) return;
  fs.mkdirSync(SHOTS, { recursive: true });
  await page.screenshot({ path: path.join(SHOTS, `${name}.png`), fullPage: true });
}

const pathOf = (page: Page) => new URL(page.url()).pathname;

/** Page objects of a PDF (`/Type /Page`, not `/Pages`). */
const pdfPages = (pdf: Buffer) => pdf.toString('latin1').match(/\/Type\s*\/Page(?![a-zA-Z])/g)?.length ?? 0;

async function noSidewaysScroll(page: Page, width: number, what: string): Promise<void> {
  const scroll = await page.evaluate(() => document.documentElement.scrollWidth);
  assert.ok(scroll <= width, `${what} scrolls sideways at ${width} px (${scroll})`);
}

describe('pass numérique programmes, in a browser (demonstration data)', () => {
  const { openPage } = demoSite();

  for (const width of [1280, 390]) {
    it(`a coordinator creates a programme, the funder confirms it, booklets are emitted, paid and printed — keyboard only, at ${width} px`, async () => {
      const viewport = { width, height: 900 };
      const coordinator = await openPage({ viewport });
      await signIn(coordinator, 'coordination.demo@example.org');
      // From the home page's block of the pass numérique.
      const k = keyboardOnly(coordinator);
      await k.tabTo((el) => el.href === '/pass', 200);
      await Promise.all([coordinator.waitForNavigation(), k.press('Enter')]);
      assert.equal(pathOf(coordinator), '/pass');
      await scanAxe(coordinator, `the pass hub, coordinator, ${width} px`);
      await shot(coordinator, `hub-${width}`);
      const name = `Pass numérique ${width}`;
      await k.tabTo((f) => f.id === 'funderId');
      await k.type('Départ');
      assert.notEqual(
        await coordinator.locator('#funderId').inputValue(),
        '',
        'the funder is chosen by typing its name',
      );
      await k.tabTo((f) => f.id === 'name');
      await k.type(name);
      // Booklets of 10 (the default) on a desktop, of 5 on a phone: radio buttons move with the arrows.
      const size = width === 1280 ? 10 : 5;
      if (size === 5) {
        await k.tabTo((f) => f.id === 'bookletSize-10');
        await k.press('ArrowDown');
      }
      // The network's territory is offered as the perimeter.
      assert.equal(await coordinator.locator('#perimeter').inputValue(), 'epci:244500468');
      await k.tabTo((f) => f.id === 'budget');
      await k.type('1000');
      await k.tabTo((f) => f.id === 'publics-3');
      await k.press('Space');
      await k.tabTo('Créer le programme');
      await Promise.all([coordinator.waitForNavigation(), k.press('Enter')]);
      const programmePath = pathOf(coordinator);
      assert.match(programmePath, /^\/pass\/programmes\/[0-9a-f-]{36}$/);
      const created = (await coordinator.textContent('main')) ?? '';
      assert.match(created, new RegExp(name));
      assert.match(created, new RegExp(`Chèques par carnet\\s*${size}`));
      assert.match(created, /Seniors/);
      assert.match(created, /En attente de la confirmation du financeur/);
      await scanAxe(coordinator, `a programme just created, ${width} px`);

      const funder = await openPage({ viewport });
      await signIn(funder, 'financeur.demo@example.org');
      await funder.goto('/pass');
      await scanAxe(funder, `the pass hub, funder, ${width} px`);
      assert.match((await funder.textContent('main')) ?? '', new RegExp(name));
      await funder.goto(programmePath);
      await scanAxe(funder, `a programme to confirm, funder, ${width} px`);
      await shot(funder, `confirm-${width}`);
      const f = keyboardOnly(funder);
      await f.tabTo((el) => el.id === 'confirmed');
      await f.press('Space');
      await f.tabTo('Confirmer le programme');
      await Promise.all([funder.waitForNavigation(), f.press('Enter')]);
      assert.match((await funder.textContent('main')) ?? '', /Le programme est confirmé/);
      await scanAxe(funder, `a programme confirmed, funder, ${width} px`);

      await coordinator.goto(programmePath);
      await k.tabTo((el) => el.id === 'booklets', 120);
      await k.type('2');
      await Promise.all([coordinator.waitForNavigation(), k.press('Enter')]);
      assert.match((await coordinator.textContent('main')) ?? '', /Les carnets sont émis/);
      await scanAxe(coordinator, `a programme with an unpaid emission, ${width} px`);
      await k.tabTo((el) => /^paiement-\d+-reference$/.test(el.id), 120);
      await k.type('MANDAT-E2E');
      await Promise.all([coordinator.waitForNavigation(), k.press('Enter')]);
      const paid = (await coordinator.textContent('main')) ?? '';
      assert.match(paid, /Le paiement est enregistré/);
      assert.match(paid, /référence MANDAT-E2E/);
      await scanAxe(coordinator, `a programme paid, ${width} px`);
      await noSidewaysScroll(coordinator, width, "the programme's page");
      await shot(coordinator, `programme-${width}`);
      if (SHOTS)
        await coordinator
          .locator('section[aria-labelledby="emissions"]')
          .screenshot({ path: path.join(SHOTS, `emissions-${width}.png`) });

      await k.tabTo(/^Imprimer les carnets/, 120);
      await Promise.all([coordinator.waitForNavigation(), k.press('Enter')]);
      assert.match(pathOf(coordinator), /\/emissions\/\d+\/imprimer$/);
      await scanAxe(coordinator, `booklets to print, ${width} px`);
      await noSidewaysScroll(coordinator, width, 'the booklets to print');
      const codes = await coordinator.locator('.voucher .voucher-code').allTextContents();
      assert.equal(codes.length, 2 * size, 'two booklets');
      for (const code of codes) assert.match(code, /^[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{3}-[0-9A-Z]{3}$/);
      assert.equal(await coordinator.locator('.voucher svg.qr').count(), 2 * size);
      await shot(coordinator, `print-${width}`);

      if (width === 1280) {
        // On paper: one booklet a sheet, nothing under 12 pt (16 px), the site's menu and buttons gone.
        const pdf = await coordinator.pdf({
          format: 'A4',
          margin: { top: '10mm', right: '10mm', bottom: '10mm', left: '10mm' },
          displayHeaderFooter: true,
        });
        if (SHOTS) fs.writeFileSync(path.join(SHOTS, 'booklets.pdf'), pdf);
        assert.equal(pdfPages(pdf), 2, 'two booklets of ten print on two sheets');
        await coordinator.emulateMedia({ media: 'print' });
        await shot(coordinator, 'print-paper');
        const small = await coordinator.evaluate(() =>
          Array.from(document.querySelectorAll('main *'))
            .filter(
              (el) =>
                el.getClientRects().length > 0 &&
                Array.from(el.childNodes).some((n) => n.nodeType === Node.TEXT_NODE && n.textContent?.trim()),
            )
            .filter((el) => Number.parseFloat(getComputedStyle(el).fontSize) < 16)
            .map((el) => `${el.tagName.toLowerCase()} "${el.textContent?.trim().slice(0, 30)}"`),
        );
        assert.deepEqual(small, [], 'text under 12 pt on paper');
        await coordinator.emulateMedia({ media: null });
      }

      // The coordinator names a prescriber and hands it a booklet, with the keyboard alone.
      await coordinator.goto(programmePath);
      await k.tabTo((el) => el.id === 'prescriberId', 200);
      await k.press('ArrowDown');
      await k.tabTo('Ajouter ce prescripteur');
      await Promise.all([coordinator.waitForNavigation(), k.press('Enter')]);
      assert.match((await coordinator.textContent('main')) ?? '', /La structure est prescriptrice/);
      await k.tabTo((el) => el.id === 'allocationStructureId', 250);
      await k.press('ArrowDown');
      await k.tabTo((el) => el.id === 'allocationCount');
      await k.type('1');
      await Promise.all([coordinator.waitForNavigation(), k.press('Enter')]);
      const allocated = (await coordinator.textContent('main')) ?? '';
      assert.match(allocated, /Les carnets sont confiés au prescripteur/);
      assert.match(allocated, /1 confié à un prescripteur/);
      await scanAxe(coordinator, `a booklet allocated to a prescriber, ${width} px`);
    });
  }
});
