import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { type KeyboardJourney, keyboardOnly, scanAxe } from './support/browser.ts';
import { demoSite, signIn } from './support/session.ts';

const QUESTIONS = 14;

describe('the needs diagnostic in a browser (demonstration data)', () => {
  const { openPage } = demoSite();

  const questionUrl = (n: number) => (url: URL) => url.pathname === `/diagnostic/question/${n}`;
  const radio = (f: { tag: string; id: string }) => f.tag === 'input' && f.id.startsWith('r-');

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
  for (const js of [true, false]) {
    const mode = js ? 'with JavaScript' : 'without JavaScript';

    it(`the whole diagnostic with the keyboard alone, ${mode}, no axe violation on any page`, async () => {
      const page = await openPage({ javaScriptEnabled: js });
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
        if (n === 5) {
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
      assert.match(main, /Questionnaire version 1/);
      assert.match(main, /Centre de ressources Lire, écrire, compter du Loiret/);
      assert.ok((await kb.locator('main li.card').count()) >= 3, 'nearby places are listed');
      assert.equal(await kb.getByRole('link', { name: /^Orienter vers ce lieu/ }).count(), 0);
      await scan('the result');

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
      assert.ok(await kb.getByRole('heading', { name: 'Où vous en êtes' }).isVisible());
      assert.ok(await kb.locator('main li.card').first().isVisible(), 'the places are printed');
    });
  }

  it('the FALC wording, the professional view with "Orienter vers ce lieu", and 320 px have no axe violation', async () => {
    const token = Buffer.from('1.courrier~difficile.organisme~caf.appareil~aucun').toString('base64url');
    const result = `/diagnostic/resultat?d=${token}&ou=Saran`;
    const narrow = await openPage({ viewport: { width: 320, height: 800 } });
    for (const path of [
      '/diagnostic?falc=1',
      '/diagnostic/question/12?d=MQ&falc=1',
      `${result}&falc=1`,
      result,
    ]) {
      const response = await narrow.goto(path);
      assert.equal(response?.status(), 200, path);
      await scanAxe(narrow, `${path} at 320 px`);
      const width = await narrow.evaluate(() => document.documentElement.scrollWidth);
      assert.ok(width <= 320, `${path} scrolls sideways at 320 px (${width})`);
    }
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
