import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import type { Page } from 'playwright-core';
import { type KeyboardJourney, keyboardOnly, scanAxe } from './support/browser.ts';
import { demoSite, signIn } from './support/session.ts';

const QUESTIONS = 14;
/** Question 8 of version 2: which organisations, several boxes. */
const ORGANISATIONS = 8;
const TICKED = ['caf', 'impots', 'papiers'];
/** The places headings each organisation ticked must get. */
const TICKED_HEADINGS = [
  'Lieux pour « Faire une démarche CAF »',
  'Lieux pour « Déclarer ses impôts en ligne »',
  'Lieux pour « Carte grise, permis, carte d’identité (ANTS) »',
];

/** SCREENSHOTS=<folder> keeps the whole page and its first screen. */
async function shot(page: Page, name: string) {
  const folder = process.env.SCREENSHOTS;
  if (!folder) return;
  fs.mkdirSync(folder, { recursive: true });
  await page.screenshot({ path: path.join(folder, `${name}.png`), fullPage: true });
  await page.screenshot({ path: path.join(folder, `${name}-ecran.png`) });
}

describe('the needs diagnostic in a browser (demonstration data)', () => {
  const { openPage } = demoSite();

  const questionUrl = (n: number) => (url: URL) => url.pathname === `/diagnostic/question/${n}`;
  const radio = (f: { tag: string; id: string }) => f.tag === 'input' && f.id.startsWith('r-');

  /** Ticks boxes by their answer ids with Tab and Space, then "Continuer". */
  async function tick(kb: KeyboardJourney, ids: readonly string[]): Promise<void> {
    for (const id of ids) {
      await kb.tabTo((f) => f.tag === 'input' && f.id === `r-${id}`, 20);
      await kb.press('Space');
    }
    await kb.tabTo('Continuer');
    await kb.press('Enter');
  }

  /** Chooses the answer at `index` (from 0) with Tab and the arrow keys, then "Continuer". */
  async function answer(kb: KeyboardJourney, index: number): Promise<void> {
    const ids = await kb.locator('input[name="r"]').evaluateAll((els) => els.map((e) => e.id));
    const target = ids[Math.min(index, ids.length - 1)];
    let focused = await kb.tabTo(radio);
    for (let i = 0; focused.id !== target && i < ids.length; i++) {
      await kb.press('ArrowDown');
      focused = { ...(await kb.focused()), tabs: 0 };
    }
    assert.equal(focused.id, target);
    await kb.press('Space');
    await kb.tabTo('Continuer');
    await kb.press('Enter');
  }

  /**
   * The whole diagnostic with the keyboard alone, after the first page load: start, 14 questions (one
   * passed, one error, one "Précédent"), the commune, the result, changing an answer, printing. axe-core
   * is a script: it scans every page of the journey with JavaScript; without it, the same HTML.
   */
  for (const [js, width, height] of [
    [true, 390, 844],
    [true, 1280, 900],
    [false, 390, 844],
  ] as const) {
    const mode = `${js ? 'with JavaScript' : 'without JavaScript'} at ${width} × ${height}`;
    const tag = `${js ? 'js' : 'sans-js'}-${width}`;

    it(`the whole diagnostic with the keyboard alone, ${mode}, no axe violation on any page`, async () => {
      const page = await openPage({ javaScriptEnabled: js, viewport: { width, height } });
      const start = await page.goto('/diagnostic');
      assert.equal(start?.status(), 200);
      const scan = async (label: string) => {
        if (js) await scanAxe(page, `${label} (${mode})`);
      };
      await scan('the start page');
      const kb = keyboardOnly(page);
      await kb.tabTo('Commencer le diagnostic');
      await kb.press('Enter');
      await kb.waitForURL(questionUrl(1));

      for (let n = 1; n <= QUESTIONS; n++) {
        assert.match(
          (await kb.locator('.diagnostic-progress').textContent()) ?? '',
          new RegExp(`Question ${n} sur ${QUESTIONS}`),
        );
        await scan(`question ${n}`);
        if (n === 2) {
          // "Continuer" without an answer: an error summary, focused when the script runs.
          await kb.tabTo('Continuer');
          await kb.press('Enter');
          await kb.waitForURL((url) => url.pathname === '/diagnostic/repondre');
          assert.match((await kb.locator('.error-summary').textContent()) ?? '', /Choisissez une réponse/);
          if (js) assert.equal(await kb.evaluate(() => document.activeElement?.className), 'error-summary');
          await scan('question 2 with an error');
        }
        if (n === 3) {
          // Back to question 2: its answer is still chosen; then forward again.
          await kb.tabTo(/^Précédent/);
          await kb.press('Enter');
          await kb.waitForURL(questionUrl(2));
          assert.ok(await kb.locator('input[name="r"]:checked').count(), 'the answer to question 2 is kept');
          await kb.tabTo('Continuer');
          await kb.press('Enter');
          await kb.waitForURL(questionUrl(3));
        }
        if (n === ORGANISATIONS) {
          assert.equal(await kb.locator('input[type="checkbox"][name="r"]').count(), 7);
          assert.match((await kb.locator('fieldset').textContent()) ?? '', /cocher plusieurs réponses/);
          await shot(page, `diagnostic-question-8-${tag}`);
          await tick(kb, TICKED);
        } else if (n === 5) {
          await kb.tabTo('Passer cette question');
          await kb.press('Enter');
        } else {
          // Varied answers: the lowest ones for the questions on reading and on devices.
          await answer(kb, n === 12 || n === 2 ? 2 : n % 2);
        }
        await kb.waitForURL(
          n < QUESTIONS ? questionUrl(n + 1) : (url) => url.pathname === '/diagnostic/lieu',
        );
      }

      await scan('the commune page');
      await kb.tabTo((f) => f.id === 'ou');
      await kb.type('Orléans');
      await kb.press('Enter');
      await kb.waitForURL((url) => url.pathname === '/diagnostic/resultat');
      assert.equal(((await kb.locator('h1').textContent()) ?? '').trim(), 'Votre résultat');
      const main = (await kb.locator('main').textContent()) ?? '';
      assert.match(main, /Vous avez répondu à 13 questions sur 14/);
      assert.match(main, /Questionnaire version 2/);
      assert.match(main, /Centre de ressources Lire, écrire, compter du Loiret/);
      assert.ok((await kb.locator('main li.card').count()) >= 3, 'nearby places are listed');
      assert.equal(await kb.getByRole('link', { name: /^Orienter vers ce lieu/ }).count(), 0);
      // What the person wants to do first (question 14: her phone), then each organisation ticked, with places.
      const headings = (await kb.locator('main h3').allTextContents()).map((h) => h.trim());
      assert.equal(
        headings[0],
        'Lieux pour « Apprendre à me servir de mon téléphone »',
        headings.join(' | '),
      );
      for (const heading of TICKED_HEADINGS) {
        assert.ok(headings.includes(heading), `${heading} in ${headings.join(' | ')}`);
        const section = kb.locator('section.diagnostic-need', {
          has: kb.getByRole('heading', { name: heading }),
        });
        assert.ok((await section.locator('li.card').count()) >= 1, `places for ${heading}`);
      }
      // At most 5 needs first; the others behind "Voir tout", opened with the keyboard.
      assert.ok((await kb.locator('main ul.diagnostic-needs').first().locator('li').count()) <= 5);
      const more = kb.locator('details.diagnostic-more').first();
      assert.equal(await more.evaluate((d) => (d as HTMLDetailsElement).open), false);
      await scan('the result');
      await shot(page, `diagnostic-resultat-${tag}`);
      await kb.tabTo(/^Voir tout/, 120);
      await kb.press('Enter');
      assert.equal(await more.evaluate((d) => (d as HTMLDetailsElement).open), true, '"Voir tout" opens');
      assert.ok(await more.locator('li').first().isVisible());
      await scan('the result with "Voir tout" open');

      // Change the answer to question 1, and come back to the result.
      await kb.tabTo(/^Modifier la réponse à la question 1$/);
      await kb.press('Enter');
      await kb.waitForURL(questionUrl(1));
      await scan('question 1 changed from the result');
      await answer(kb, 2);
      await kb.waitForURL((url) => url.pathname === '/diagnostic/resultat');
      assert.match((await kb.locator('main').textContent()) ?? '', /Non, je les lis moi-même/);

      assert.equal(await kb.getByRole('button', { name: 'Imprimer ce résumé' }).isVisible(), js);
      await kb.emulateMedia({ media: 'print' });
      assert.equal(await kb.locator('header nav').isVisible(), false, 'the menu is printed');
      assert.equal(await kb.getByRole('heading', { name: 'Vos réponses' }).isVisible(), false);
      assert.ok(await kb.getByRole('heading', { name: 'Où vous en êtes, thème par thème' }).isVisible());
      assert.ok(await kb.locator('main li.card').first().isVisible(), 'the places are printed');
      // What stays folded says how much it holds on paper too.
      const folded = kb.locator('details.diagnostic-more summary').first();
      assert.ok(await folded.isVisible(), 'the count of what is folded is printed');
      assert.match((await folded.textContent()) ?? '', /^Voir tout : \d+ autre/);
    });
  }

  it('the FALC wording, the professional view with "Orienter vers ce lieu", and 320 px have no axe violation', async () => {
    const token = Buffer.from('2.courrier~difficile.organisme~caf+sante.appareil~aucun').toString(
      'base64url',
    );
    const result = `/diagnostic/resultat?d=${token}&ou=Saran`;
    const narrow = await openPage({ viewport: { width: 320, height: 800 } });
    for (const path of [
      '/diagnostic?falc=1',
      '/diagnostic/question/12?d=Mg&falc=1',
      '/diagnostic/question/8?d=Mg&falc=1',
      `${result}&falc=1`,
      result,
    ]) {
      const response = await narrow.goto(path);
      assert.equal(response?.status(), 200, path);
      await scanAxe(narrow, `${path} at 320 px`);
      const width = await narrow.evaluate(() => document.documentElement.scrollWidth);
      assert.ok(width <= 320, `${path} scrolls sideways at 320 px (${width})`);
    }
    // The FALC result's headings say what follows them.
    await narrow.goto(`${result}&falc=1`);
    const falcHeadings = (await narrow.locator('main h2').allTextContents()).map((h) => h.trim());
    assert.ok(falcHeadings.includes('Ce qui est facile ou difficile pour vous'), falcHeadings.join(' | '));
    assert.ok(!falcHeadings.includes('Ce que vous savez faire'));
    await shot(narrow, 'diagnostic-resultat-falc-320');
    for (const path of [
      '/diagnostic/question/1?d=%%%',
      `/diagnostic/resultat?d=${Buffer.from('9').toString('base64url')}`,
    ]) {
      await narrow.goto(path);
      await scanAxe(narrow, `the problem page ${path}`);
    }

    const page = await openPage();
    await signIn(page, 'mediation.demo@example.org');
    await page.goto(result);
    assert.match((await page.locator('main').textContent()) ?? '', /Pour le professionnel/);
    assert.ok((await page.getByRole('link', { name: /^Orienter vers ce lieu/ }).count()) >= 3);
    await scanAxe(page, 'the result seen by a member of a structure');
    await page.emulateMedia({ media: 'print' });
    assert.equal(await page.getByRole('heading', { name: 'Pour le professionnel' }).isVisible(), false);
    assert.equal(
      await page
        .getByRole('link', { name: /^Orienter vers ce lieu/ })
        .first()
        .isVisible(),
      false,
    );
  });

  it('the coordinator sees the versions page and an upload with errors, without axe violation', async () => {
    const page = await openPage();
    await signIn(page, 'coordination.demo@example.org');
    const versions = await page.goto('/diagnostic/versions');
    assert.equal(versions?.status(), 200);
    await scanAxe(page, 'the versions page');
    await page.locator('#document').fill('{"version": 2, "titre": 3}');
    const [upload] = await Promise.all([
      page.waitForNavigation(),
      page.getByRole('button', { name: 'Vérifier et enregistrer' }).click(),
    ]);
    assert.equal(upload?.status(), 422);
    assert.match(
      (await page.locator('.error-summary').textContent()) ?? '',
      /« titre » : doit être un texte/,
    );
    await scanAxe(page, 'the versions page with upload errors');
  });
});
