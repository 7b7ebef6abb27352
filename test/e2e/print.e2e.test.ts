import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import type { Page } from 'playwright-core';
import { PROJECT_ROOT } from './support/server.ts';
import { demoSite, signIn } from './support/session.ts';

/**
 * What a browser prints: the pages a person takes away on paper, printed by Chromium as a person would
 * (A4, 10 mm margins, the browser's own header and footer on), and the PDF's pages counted. A place's
 * sheet and a fiche de liaison fit on one sheet of paper, a results list of 10 and a diagnostic result on
 * two at most, in ordinary and FALC wording, on the demonstration place with the longest sheet.
 * SCREENSHOTS=<folder> keeps each PDF and a picture of the page as printed.
 */
const PRINT = {
  format: 'A4',
  margin: { top: '10mm', right: '10mm', bottom: '10mm', left: '10mm' },
  displayHeaderFooter: true,
} as const;

/**
 * The pages of a PDF: the page objects (`/Type /Page`, not `/Pages`) counted, checked against the page
 * tree's own `/Count` (the root's, the largest), so that a change of Chromium's writer fails loudly
 * rather than counting wrong.
 */
export function countPdfPages(pdf: Buffer): number {
  const text = pdf.toString('latin1');
  const objects = text.match(/\/Type\s*\/Page(?![a-zA-Z])/g)?.length ?? 0;
  const counts = [
    ...text.matchAll(/\/Type\s*\/Pages\b[^>]*?\/Count\s+(\d+)|\/Count\s+(\d+)[^>]*?\/Type\s*\/Pages\b/g),
  ].map((m) => Number(m[1] ?? m[2]));
  assert.ok(objects > 0, 'the PDF has no page object: is it a PDF?');
  if (counts.length > 0)
    assert.equal(Math.max(...counts), objects, 'page objects and the page tree disagree');
  return objects;
}

/** Prints the page as it is now; keeps the PDF and a picture of the print rendering when asked. */
async function printedPages(page: Page, name: string): Promise<number> {
  const pdf = await page.pdf(PRINT);
  const pages = countPdfPages(pdf);
  const folder = process.env.SCREENSHOTS;
  if (folder) {
    fs.mkdirSync(folder, { recursive: true });
    fs.writeFileSync(path.join(folder, `${name}.pdf`), pdf);
    await page.emulateMedia({ media: 'print' });
    await page.screenshot({ path: path.join(folder, `${name}-print.png`), fullPage: true });
    await page.emulateMedia({ media: null });
  }
  process.stdout.write(`# print: ${name} → ${pages} page(s) A4\n`);
  return pages;
}

/** The rendered text of a page's main content (tags, scripts and spaces aside). */
function mainText(html: string): string {
  const main = /<main[\s\S]*?<\/main>/.exec(html)?.[0] ?? '';
  return main
    .replace(/<(script|style)[\s\S]*?<\/\1>/g, '')
    .replace(/<[^>]+>/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
}

/** Every public place's address, from the public list's pages. */
async function allPlaces(base: string): Promise<string[]> {
  const found = new Set<string>();
  for (let n = 1; n < 50; n++) {
    const html = await (await fetch(`${base}/lieux?page=${n}`)).text();
    const before = found.size;
    for (const m of html.matchAll(/href="(\/lieux\/[0-9a-f-]{36})"/g)) found.add(m[1] as string);
    if (found.size === before) break;
  }
  return [...found];
}

/** The place whose sheet has the longest rendered text (in the wording given), and its services. */
async function longestPlace(
  base: string,
  falc: boolean,
): Promise<{ path: string; length: number; name: string }> {
  let best = { path: '', length: 0, name: '' };
  for (const p of await allPlaces(base)) {
    const html = await (
      await fetch(`${base}${p}`, {
        headers: falc ? { cookie: 'prefs=falc' } : {},
      })
    ).text();
    const text = mainText(html);
    if (text.length > best.length) {
      const name = /<h1>([^<]*)<\/h1>/.exec(html)?.[1] ?? p;
      best = { path: p, length: text.length, name };
    }
  }
  assert.ok(best.path, 'no place sheet was found');
  return best;
}

/** A diagnostic token: version, then question~answer pairs (answers of a multiple question joined by +). */
const token = (version: number, pairs: Array<[string, string]>) =>
  Buffer.from([String(version), ...pairs.map(([q, a]) => `${q}~${a}`)].join('.')).toString('base64url');

interface Questionnaire {
  version: number;
  questions: Array<{ id: string; multiple?: boolean; reponses: Array<{ id: string; seule?: boolean }> }>;
}

/** The latest questionnaire shipped (src/diagnostic/questionnaire.vN.json, the highest N). */
function latestQuestionnaire(): Questionnaire {
  const folder = path.join(PROJECT_ROOT, 'src/diagnostic');
  const latest = fs
    .readdirSync(folder)
    .flatMap((f) => /^questionnaire\.v(\d+)\.json$/.exec(f)?.[1] ?? [])
    .map(Number)
    .sort((a, b) => b - a)[0];
  assert.ok(latest, 'no questionnaire file');
  return JSON.parse(fs.readFileSync(path.join(folder, `questionnaire.v${latest}.json`), 'utf8'));
}

describe('printing on paper (demonstration data, Chromium, A4)', () => {
  const { openPage, url } = demoSite();

  for (const falc of [false, true]) {
    const mode = falc ? 'FALC' : 'ordinary';

    it(`prints the longest place sheet on one A4 page (${mode} wording), network phone and QR code kept`, async () => {
      const place = await longestPlace(url(), falc);
      process.stdout.write(
        `# print: longest sheet (${mode}) is ${place.name} (${place.length} characters)\n`,
      );
      const page = await openPage();
      if (falc) await page.context().addCookies([{ name: 'prefs', value: 'falc', url: url() }]);
      const response = await page.goto(place.path);
      assert.equal(response?.status(), 200);
      const pages = await printedPages(page, `fiche-lieu-${falc ? 'falc' : 'courant'}`);
      await page.emulateMedia({ media: 'print' });
      assert.ok(await page.locator('svg.qr').isVisible(), 'the QR code is printed');
      // The network's line is printed once: beside the QR code, where the site's footer was.
      assert.equal(
        await page.locator('.contact a[href^="tel:"]:visible').count(),
        1,
        "the network's phone number is printed once",
      );
      assert.ok(
        await page.locator('.qr-block .contact').isVisible(),
        "the network's phone number is beside the QR code",
      );
      for (const hidden of ['header nav', 'footer ul', '.skip-link', 'main button', 'main form']) {
        const shown = await page
          .locator(hidden)
          .evaluateAll(
            (els) =>
              els.filter((e) => (e as HTMLElement).offsetParent !== null || e.getClientRects().length > 0)
                .length,
          );
        assert.equal(shown, 0, `${hidden} is printed`);
      }
      const closedNow = await page.getByText(/^Fermé (maintenant|en ce moment)$/).count();
      if (closedNow > 0)
        assert.equal(
          await page
            .getByText(/^Fermé (maintenant|en ce moment)$/)
            .first()
            .isVisible(),
          false,
        );
      await page.emulateMedia({ media: null });
      assert.equal(pages, 1, `${place.name} prints on ${pages} pages`);
    });
  }

  it('keeps every number with its unit on a 390 px phone (place sheet and results, ordinary and FALC)', async () => {
    const place = await longestPlace(url(), false);
    for (const falc of [false, true]) {
      const page = await openPage({ viewport: { width: 390, height: 844 } });
      if (falc) await page.context().addCookies([{ name: 'prefs', value: 'falc', url: url() }]);
      for (const path of [place.path, '/recherche?ou=Orl%C3%A9ans']) {
        await page.goto(path);
        const text = (await page.locator('main').textContent()) ?? '';
        const split =
          text.match(/\d[ \t\n](h|min|km|m|€|mètres|kilomètres)(?![\p{L}])|\d h [0-9]{2}/gu) ?? [];
        assert.deepEqual(split, [], `${path}${falc ? ' (FALC)' : ''}: a unit may be split from its number`);
        const width = await page.evaluate(() => document.documentElement.scrollWidth);
        assert.ok(width <= 390, `${path} scrolls sideways at 390 px (${width})`);
        const folder = process.env.SCREENSHOTS;
        // Two screens' worth each, readable at full size.
        if (folder && path === place.path)
          for (const [n, y] of [
            [1, 0],
            [2, 1100],
          ] as const)
            await page.screenshot({
              path: `${folder}/fiche-lieu-390-${falc ? 'falc' : 'courant'}-${n}.png`,
              fullPage: true,
              clip: { x: 0, y, width: 390, height: 1100 },
            });
      }
    }
  });

  it('prints a fiche de liaison to the longest place on one A4 page', async () => {
    const place = await longestPlace(url(), false);
    const page = await openPage();
    await signIn(page, 'mediation.demo@example.org');
    const id = place.path.split('/').pop() as string;
    const form = await page.goto(`/orientations/nouvelle?lieu=${id}`);
    assert.equal(form?.status(), 200);
    // As many needs as the form takes (10) among those the place offers: the longest sentence the sheet has.
    for (const box of (await page.locator('input[name="besoin"]').all()).slice(0, 10)) await box.check();
    await page.locator('#message').fill('Elle veut faire ses démarches seule et imprimer son CV.');
    await page.locator('input[name="contact"][value="self"]').check();
    await page.locator('#nom').fill('Martine');
    await page.locator('#contact_orienteur').fill('02 61 91 00 00');
    await page.locator('#consentement').check();
    await Promise.all([
      page.waitForNavigation(),
      page.locator('form[action="/orientations/nouvelle"] button[type="submit"]').click(),
    ]);
    const orientation = new URL(page.url()).pathname;
    assert.match(
      orientation,
      /^\/orientations\/[0-9a-f-]{36}$/,
      `the orientation was not sent: ${await page
        .locator('.error-summary')
        .textContent()
        .catch(() => page.url())}`,
    );
    const sheet = await page.goto(`${orientation}/fiche`);
    assert.equal(sheet?.status(), 200);
    const pages = await printedPages(page, 'fiche-de-liaison');
    await page.emulateMedia({ media: 'print' });
    assert.ok(await page.locator('svg.qr').isVisible(), 'the QR code is printed');
    // The network's line is printed once: beside the QR code, where the site's footer was.
    assert.equal(
      await page.locator('.contact a[href^="tel:"]:visible').count(),
      1,
      "the network's phone number is printed once",
    );
    assert.ok(
      await page.locator('.qr-block .contact').isVisible(),
      "the network's phone number is beside the QR code",
    );
    assert.equal(await page.locator('header nav').isVisible(), false, 'the menu is printed');
    await page.emulateMedia({ media: null });
    assert.equal(pages, 1, `the fiche de liaison prints on ${pages} pages`);
  });

  for (const [label, query] of [
    ['list', '/recherche?ou=Orl%C3%A9ans'],
    ['map', '/recherche?ou=Orl%C3%A9ans&vue=carte'],
  ] as const) {
    it(`prints a results ${label} of 10 on two A4 pages at most`, async () => {
      for (const falc of [false, true]) {
        const page = await openPage();
        if (falc) await page.context().addCookies([{ name: 'prefs', value: 'falc', url: url() }]);
        await page.goto(query);
        assert.equal(await page.locator('main li.card').count(), 10);
        const pages = await printedPages(page, `resultats-${label}-${falc ? 'falc' : 'courant'}`);
        assert.ok(pages <= 2, `a results ${label} of 10 prints on ${pages} pages`);
      }
    });
  }

  it('prints a diagnostic result on two A4 pages at most, with the most needs the questionnaire gives', async () => {
    // Each question answered with its first, its last, then its middle answer (a multiple-answer question
    // with every answer that may go with others): the longest result is printed.
    const { version, questions } = latestQuestionnaire();
    const pick = (at: (n: number) => number) =>
      token(
        version,
        questions.map((q) => [
          q.id,
          q.multiple
            ? q.reponses
                .filter((r) => !r.seule)
                .map((r) => r.id)
                .join('+')
            : (q.reponses[at(q.reponses.length)] as { id: string }).id,
        ]),
      );
    const candidates = [pick(() => 0), pick((n) => n - 1), pick((n) => Math.floor(n / 2))];
    let longest = { path: '', length: 0 };
    for (const d of candidates) {
      const p = `/diagnostic/resultat?d=${d}&ou=Orl%C3%A9ans`;
      const response = await fetch(`${url()}${p}`);
      assert.equal(response.status, 200, p);
      const length = mainText(await response.text()).length;
      if (length > longest.length) longest = { path: p, length };
    }
    for (const falc of [false, true]) {
      const page = await openPage();
      const response = await page.goto(`${longest.path}${falc ? '&falc=1' : ''}`);
      assert.equal(response?.status(), 200);
      const pages = await printedPages(page, `diagnostic-${falc ? 'falc' : 'courant'}`);
      assert.ok(pages <= 2, `the diagnostic result prints on ${pages} pages`);
    }
  });
});
