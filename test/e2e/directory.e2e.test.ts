import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Locator, Page } from 'playwright-core';
import { keyboardOnly, STRUCTURE_RULES, scanAxe } from './support/browser.ts';
import { demoSite } from './support/session.ts';

const MISSING_PLACE = '/lieux/00000000-0000-0000-0000-000000000000';
const MISSING_PAGE = '/nimporte-quoi';
const PLACE_PATH = /^\/lieux\/[0-9a-f-]{36}$/;

/** The text of the first element found, spaces collapsed. */
async function textOf(locator: Locator): Promise<string> {
  return ((await locator.first().textContent()) ?? '').replace(/\s+/g, ' ').trim();
}

describe('the directory in a browser (demonstration data)', () => {
  const { openPage } = demoSite();

  /** Visits a path and checks the HTTP status of the answer. */
  async function visit(page: Page, path: string, status = 200): Promise<void> {
    const response = await page.goto(path);
    assert.ok(response, `no answer for ${path}`);
    assert.equal(response.status(), status, `${path} answered ${response.status()}, expected ${status}`);
  }

  /** The address of the first place of the list, read from its link. */
  async function firstPlacePath(page: Page): Promise<string> {
    await visit(page, '/lieux');
    const href = await page.locator('main .cards a').first().getAttribute('href');
    assert.ok(href && PLACE_PATH.test(href), `the first link of the list is not a place's page: ${href}`);
    return href;
  }

  /** Home, list, second page of the list, a place's page and two missing pages, with their status. */
  async function allPages(page: Page): Promise<Array<{ path: string; status: number }>> {
    const place = await firstPlacePath(page);
    return [
      { path: '/', status: 200 },
      { path: '/lieux', status: 200 },
      { path: '/lieux?page=2', status: 200 },
      { path: place, status: 200 },
      { path: MISSING_PLACE, status: 404 },
      { path: MISSING_PAGE, status: 404 },
    ];
  }

  it("the home page, the list of places, a place's page, the second page of the list and a missing page have no axe violation", async () => {
    const page = await openPage();
    await visit(page, '/');
    await scanAxe(page, 'the home page');
    await visit(page, '/lieux');
    await scanAxe(page, 'the list of places');
    // A place's page: the first link of the list, followed.
    const link = page.locator('main .cards a').first();
    const name = await textOf(link);
    await link.click();
    await page.waitForURL((url) => PLACE_PATH.test(url.pathname));
    await scanAxe(page, `the page of the place "${name}"`);
    const placePath = new URL(page.url()).pathname;
    await visit(page, '/lieux?page=2');
    await scanAxe(page, 'the second page of the list');
    await visit(page, MISSING_PLACE, 404);
    await scanAxe(page, 'the page of a missing place');
    await visit(page, MISSING_PAGE, 404);
    await scanAxe(page, 'a missing page');

    // A small phone, 320 px wide: still no violation, and nothing to scroll sideways.
    const narrow = await openPage({ viewport: { width: 320, height: 800 } });
    for (const path of ['/', '/lieux', '/lieux?page=2', placePath, MISSING_PLACE, MISSING_PAGE]) {
      await visit(narrow, path, path === MISSING_PLACE || path === MISSING_PAGE ? 404 : 200);
      await scanAxe(narrow, `${path} at 320 px wide`);
      const { scrollWidth, wideElements } = await narrow.evaluate(() => ({
        scrollWidth: document.documentElement.scrollWidth,
        wideElements: Array.from(document.querySelectorAll('body *'))
          .filter((el) => el.getBoundingClientRect().right > 320.5)
          .slice(0, 5)
          .map((el) => `${el.tagName.toLowerCase()}${el.className ? `.${el.className}` : ''}`),
      }));
      assert.ok(
        scrollWidth <= 320,
        `${path} scrolls sideways at 320 px wide (scrollWidth ${scrollWidth}); too wide: ${wideElements.join(', ')}`,
      );
    }
  });

  it("a person reaches a place's page and its hours with the keyboard alone", async () => {
    const page = await openPage();
    await visit(page, '/');
    const kb = keyboardOnly(page);
    assert.throws(() => kb.click('a'), /keyboard-only/);
    assert.throws(() => kb.goto('/lieux'), /keyboard-only/);

    const assertFocusVisible = async (what: string) => {
      const f = await kb.focused();
      const outlined = f.outlineStyle !== 'none' && f.outlineWidth !== '0px';
      assert.ok(
        outlined || f.boxShadow !== 'none',
        `the focus on ${what} is not visible (outline ${f.outlineStyle} ${f.outlineWidth}, box-shadow ${f.boxShadow})`,
      );
    };

    // The first Tab reaches the skip link, which shows itself and leads to the main content.
    await kb.press('Tab');
    const skip = await kb.focused();
    assert.equal(skip.text, 'Aller au contenu', `the first Tab focused ${skip.tag} "${skip.text}"`);
    await assertFocusVisible('the skip link');
    const skipBox = await kb.locator('.skip-link').boundingBox();
    assert.ok(skipBox && skipBox.x >= 0 && skipBox.y >= 0, 'the skip link stays off screen when focused');
    await kb.press('Enter');
    assert.equal((await kb.focused()).id, 'contenu', 'the skip link did not move the focus to the content');

    // The home page's button to the list.
    const button = await kb.tabTo(/^Voir les \d+ lieux$/);
    assert.equal(button.href, '/lieux');
    await assertFocusVisible(`"${button.text}"`);
    await kb.press('Enter');
    await kb.waitForURL((url) => url.pathname === '/lieux');

    // The first place of the list.
    const placeLink = await kb.tabTo((f) => f.href !== null && PLACE_PATH.test(f.href));
    await assertFocusVisible(`the link "${placeLink.text}"`);
    await kb.press('Enter');
    await kb.waitForURL((url) => url.pathname === placeLink.href);

    assert.equal(await textOf(kb.locator('h1')), placeLink.text);
    assert.equal(await kb.getByRole('heading', { level: 2, name: 'Horaires', exact: true }).count(), 1);
    assert.match(await textOf(kb.locator('main')), /Informations vérifiées le \S/);
    // The place's page is reachable further with the keyboard too (its first link after the skip link).
    await kb.press('Tab');
    assert.equal((await kb.focused()).text, 'Aller au contenu');
  });

  it('the pages work without JavaScript', async () => {
    const page = await openPage({ javaScriptEnabled: false });
    const bannerShown = async (path: string) => {
      const banner = page.locator('.demo-banner');
      assert.ok(await banner.isVisible(), `no demonstration banner on ${path}`);
      assert.match(await textOf(banner), /Démonstration/);
    };

    await visit(page, '/');
    assert.match(await textOf(page.locator('h1')), /Trouver de l'aide/);
    assert.match(await textOf(page.locator('main a.button')), /^Voir les \d+ lieux$/);
    await bannerShown('/');

    await visit(page, '/lieux');
    const links = page.locator('main .cards a');
    assert.equal(await links.count(), 20, 'the first page of the list does not show 20 places');
    assert.ok(await page.getByRole('link', { name: 'Page suivante' }).isVisible());
    await bannerShown('/lieux');

    const href = await links.first().getAttribute('href');
    const name = await textOf(links.first());
    assert.ok(href);
    await visit(page, href);
    assert.equal(await textOf(page.locator('h1')), name);
    assert.ok(await page.getByRole('heading', { name: 'Horaires', exact: true }).isVisible());
    assert.ok(await page.getByRole('heading', { name: 'Adresse et contact' }).isVisible());
    await bannerShown(href);

    await visit(page, MISSING_PAGE, 404);
    await bannerShown(MISSING_PAGE);
  });

  it('every page has one h1, a unique title ending with "— Maillage", lang="fr" and all its content in landmarks', async () => {
    const page = await openPage();
    const titles = new Map<string, string>();
    for (const { path, status } of await allPages(page)) {
      await visit(page, path, status);
      assert.equal(await page.locator('h1').count(), 1, `${path} does not have exactly one h1`);
      assert.ok(await textOf(page.locator('h1')), `the h1 of ${path} is empty`);
      assert.equal(await page.locator('html').getAttribute('lang'), 'fr', `${path} is not lang="fr"`);
      await scanAxe(page, `${path} (landmarks and headings)`, STRUCTURE_RULES);
      const title = await page.title();
      assert.match(title, /^\S.* — Maillage$/, `the title of ${path} is "${title}"`);
      if (status === 404) {
        assert.equal(title, 'Page introuvable — Maillage', `the title of ${path} does not say it is missing`);
        continue;
      }
      const other = [...titles].find(([, t]) => t === title);
      assert.equal(other, undefined, `${path} has the same title as ${other?.[0]}: "${title}"`);
      titles.set(path, title);
    }
  });

  it("a place's page prints its content and the network's phone, without the menu", async () => {
    const page = await openPage();
    const place = await firstPlacePath(page);
    await visit(page, place);
    await page.emulateMedia({ media: 'print' });

    assert.ok(await page.locator('main').isVisible(), 'the main content is hidden when printed');
    assert.ok(await page.locator('main h1').isVisible());
    assert.ok(await page.getByRole('heading', { name: 'Horaires', exact: true }).isVisible());
    // Once: beside the QR code when the sheet prints one, else in the footer.
    const phone = page.locator('.contact a[href^="tel:"]:visible');
    assert.equal(await phone.count(), 1, "the network's phone is printed once");
    assert.ok(await phone.isVisible(), "the network's phone is hidden when printed");
    assert.match(await textOf(phone), /^0\d( \d{2}){4}$/);
    assert.equal(await page.locator('header nav').isVisible(), false, 'the menu is printed');

    // Printed text stays readable in black and white: 12 pt (16 px) at least, dark on white paper
    // (browsers do not print backgrounds, so text colour is compared with white).
    // Elements that show text of their own. (No named function inside evaluate: tsx would wrap it with
    // a helper that the page does not have.)
    const printed = await page.evaluate(() =>
      Array.from(document.querySelectorAll('body *'))
        .filter(
          (el) =>
            // Laid out (an SVG element has no offsetParent: its boxes tell whether it is shown).
            el.getClientRects().length > 0 &&
            Array.from(el.childNodes).some((n) => n.nodeType === Node.TEXT_NODE && n.textContent?.trim()),
        )
        .map((el) => {
          const style = getComputedStyle(el);
          const [r = 0, g = 0, b = 0] = (style.color.match(/[\d.]+/g) ?? []).map((v) => {
            const c = Number(v) / 255;
            return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
          });
          return {
            what: `${el.tagName.toLowerCase()}${el.className ? `.${el.className}` : ''} "${el.textContent?.trim().slice(0, 30)}"`,
            color: style.color,
            contrastOnWhite: 1.05 / (0.2126 * r + 0.7152 * g + 0.0722 * b + 0.05),
            fontSize: Number.parseFloat(style.fontSize),
          };
        }),
    );
    assert.ok(printed.length > 20, 'almost no text is printed');
    const pale = printed.filter((t) => t.contrastOnWhite < 4.5).map((t) => `${t.what} (${t.color})`);
    assert.deepEqual(pale, [], `text too pale to print on white paper: ${pale.join(', ')}`);
    const small = printed.filter((t) => t.fontSize < 16).map((t) => `${t.what} (${t.fontSize}px)`);
    assert.deepEqual(small, [], `text smaller than 12 pt when printed: ${small.join(', ')}`);
  });
});
