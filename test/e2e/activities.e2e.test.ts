import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { orientationTo } from '../support/activity-fixtures.ts';
import { check, keyboardOnly, shot } from './support/browser.ts';
import { demoBrowserSuite } from './support/demo-suite.ts';
import { signIn } from './support/session.ts';

/**
 * A mediator records her work in a browser, with the keyboard only, on a phone (390 × 844) and a desktop
 * (1280 × 900): an orientation sent to her structure is closed as "came", the page offers to record the
 * accompaniment, the form opens filled (today, the place, the themes of the person's need) and takes
 * at most 6 inputs — counted here, each key that changes a field — before it is sent; the record is
 * then on `/activites`. On the desktop she also records a workshop, first with counts that do not add
 * up (refused, the summary has the focus), then right. Axe on every page, no sideways scrolling, the page
 * guard (CSP, console and page errors). SCREENSHOTS=<folder> keeps a picture of each page.
 */
describe('recording activities, in a browser', () => {
  const orientations: string[] = [];
  const suite = demoBrowserSuite('activities', async (db) => {
    // Two people sent by another structure to the mediator's, accepted, waiting to be closed.
    for (let i = 0; i < 2; i++) {
      const o = await orientationTo(db, {
        from: 'autre-structure.demo@example.org',
        to: 'mediation.demo@example.org',
        state: 'accepted',
      });
      orientations.push(o.id);
    }
  });
  const openPage = suite.openPage;

  for (const [viewport, index] of [
    [{ width: 390, height: 844 }, 0],
    [{ width: 1280, height: 900 }, 1],
  ] as const) {
    const size = `${viewport.width} × ${viewport.height}`;
    const tag = `${viewport.width}`;
    it(`an orientation closed as "came" is recorded in at most 6 inputs, keyboard only, ${size}`, async () => {
      const page = await openPage(viewport);
      await signIn(page, 'mediation.demo@example.org');
      await check(page, `the home page ${size}`, viewport.width);
      assert.match((await page.textContent('main')) ?? '', /Activités du mois/);
      const opened = await page.goto(`/orientations/${orientations[index]}`);
      assert.equal(opened?.status(), 200);
      const kb = keyboardOnly(page);
      // Close the orientation: the person came.
      await kb.tabTo((f) => f.id === 'outcome', 120);
      await kb.press('Space');
      await kb.tabTo('Clôturer l’orientation', 10);
      await Promise.all([kb.waitForNavigation(), kb.press('Enter')]);
      await check(page, `the orientation closed ${size}`, viewport.width);
      await shot(page, `${tag}-1-orientation-cloturee`);
      await kb.tabTo('Enregistrer l’accompagnement', 40);
      await Promise.all([kb.waitForNavigation(), kb.press('Enter')]);
      await check(page, `the accompaniment's form ${size}`, viewport.width);
      await shot(page, `${tag}-2-formulaire`);
      assert.match((await page.textContent('main')) ?? '', /Accompagnement de la personne orientée/);
      assert.ok(await page.isChecked('input[name="lieu"]:checked'), 'a place is chosen');
      assert.ok(await page.isChecked('input[name="themes"]:checked'), 'the need checked a theme');
      assert.equal(await page.isVisible('#procedureDetails'), false, 'the rare fields are folded away');

      // Fast entry: each key that changes a field is an input.
      let inputs = 0;
      // The duration: the next preset (arrow keys move within the radio group).
      await kb.tabTo((f) => f.id.startsWith('duree-'), 20);
      await kb.press('ArrowRight');
      inputs++;
      // A box is ticked only when the defaults (the last record) have not ticked it already.
      const tick = async (id: string, maxTabs: number) => {
        if (await page.isChecked(`#${id}`)) return;
        await kb.tabTo((f) => f.id === id, maxTabs);
        await kb.press('Space');
        inputs++;
      };
      await tick('theme-email', 60);
      await kb.tabTo((f) => f.id.startsWith('autonomie-'), 60);
      await kb.press('Space');
      inputs++;
      await tick('materiel-telephone', 10);
      await kb.tabTo('Enregistrer l’accompagnement', 10);
      await Promise.all([kb.waitForURL('**/activites?**'), kb.press('Enter')]);
      assert.ok(inputs <= 6, `${inputs} inputs`);

      const main = (await page.textContent('main')) ?? '';
      assert.match(main, /L’accompagnement est enregistré\./);
      assert.match(main, /E-mail/);
      await check(page, `the list of activities ${size}`, viewport.width);
      await shot(page, `${tag}-3-liste`);
      await kb.tabTo('Voir l’activité enregistrée', 40);
      await Promise.all([kb.waitForNavigation(), kb.press('Enter')]);
      const detail = (await page.textContent('main')) ?? '';
      assert.match(detail, /Téléphone/);
      assert.match(detail, /Voir l’orientation qui a amené la personne/);
      await check(page, `one activity ${size}`, viewport.width);
      await shot(page, `${tag}-4-activite`);
    });
  }

  it('a workshop is recorded, its counts checked, keyboard only, 1280 × 900', async () => {
    const viewport = { width: 1280, height: 900 };
    const page = await openPage(viewport);
    await signIn(page, 'mediation.demo@example.org');
    await page.goto('/activites');
    const kb = keyboardOnly(page);
    await kb.tabTo('Enregistrer un atelier', 80);
    await Promise.all([kb.waitForNavigation(), kb.press('Enter')]);
    await check(page, 'the workshop form', viewport.width);
    await shot(page, '1280-5-atelier');
    await kb.tabTo((f) => f.id === 'workshopTitle', 40);
    await kb.type('Premiers pas sur la tablette');
    await kb.tabTo((f) => f.id === 'participantsTotal', 80);
    await kb.type('8');
    // The breakdown is folded: open it, and give more women than participants.
    await kb.tabTo(/^Plus de précisions : répartition/, 5);
    await kb.press('Enter');
    await kb.tabTo((f) => f.id === 'pg_feminin', 5);
    await kb.type('9');
    await kb.tabTo('Enregistrer l’atelier', 60);
    await Promise.all([kb.waitForNavigation(), kb.press('Enter')]);
    await page.waitForSelector('.error-summary');
    assert.match(
      (await page.textContent('.error-summary')) ?? '',
      /la somme \(9\) dépasse le nombre de participants \(8\)/,
    );
    assert.equal(
      (await kb.focused()).id === 'erreurs-titre' || /Il y a un problème/.test((await kb.focused()).text),
      true,
    );
    await check(page, 'the workshop refused', viewport.width);
    await shot(page, '1280-6-atelier-erreur');
    await kb.tabTo((f) => f.id === 'pg_feminin', 120);
    await kb.press('Control+A');
    await kb.type('5');
    await kb.tabTo('Enregistrer l’atelier', 60);
    await Promise.all([kb.waitForURL('**/activites?**'), kb.press('Enter')]);
    const main = (await page.textContent('main')) ?? '';
    assert.match(main, /L’atelier est enregistré\./);
    assert.match(main, /Premiers pas sur la tablette/);
    assert.match(main, /8 participants/);
    await check(page, 'the list with the workshop', viewport.width);
    await shot(page, '1280-7-liste-atelier');
  });
});
