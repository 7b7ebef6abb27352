import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { recordActivity } from '../../src/activities/activities.service.ts';
import { actorOf, demoStructurePlace } from '../support/pass-fixtures.ts';
import { check, keyboardOnly, shot } from './support/browser.ts';
import { demoBrowserSuite } from './support/demo-suite.ts';
import { signIn } from './support/session.ts';

/**
 * Activity records' people, in a browser, with the keyboard only, on a phone (390 × 844) and a desktop
 * (1280 × 900): a network coordinator records an animation (first sent incomplete: the summary has the
 * focus, what was typed is kept), and finds it at the top of the coordination activities; a mediator
 * names a followed person (refused without her consent and with a wrong e-mail, then recorded) and
 * links one of the structure's records to her as a first accompaniment. Axe on every page, no sideways
 * scrolling, the page guard (CSP, console and page errors). SCREENSHOTS=<folder> keeps a picture of
 * each page.
 */
const VIEWPORTS = [
  { width: 390, height: 844 },
  { width: 1280, height: 900 },
] as const;

describe('coordination activities and followed persons, in a browser', () => {
  const suite = demoBrowserSuite('people', async (db) => {
    // Two records of the demo structure to link (the demonstration data has none yet).
    const demo = await demoStructurePlace(db);
    const actor = await actorOf(db, 'mediation.demo@example.org');
    for (const date of ['2026-01-12', '2026-02-03']) {
      const r = await recordActivity(db, actor, {
        structureId: demo.structureId,
        values: {
          kind: 'individuel',
          date,
          duration: '45',
          placeKind: 'lieu_activite',
          placeId: demo.placeId,
          themes: ['email'],
        },
      });
      assert.ok(r.ok, JSON.stringify(r));
    }
  });
  const openPage = suite.openPage;

  for (const viewport of VIEWPORTS) {
    const size = `${viewport.width} × ${viewport.height}`;
    const tag = `${viewport.width}`;

    it(`a coordinator records an animation, keyboard only, ${size}`, async () => {
      const page = await openPage(viewport);
      await signIn(page, 'coordination.demo@example.org');
      await page.goto('/activites/coordination');
      await check(page, `the coordination activities ${size}`, viewport.width);
      await shot(page, `${tag}-coordination-1-liste`);
      const kb = keyboardOnly(page);
      await kb.tabTo('Enregistrer une animation', 80);
      await Promise.all([page.waitForURL('**/activites/coordination/nouvelle/animation'), kb.press('Enter')]);
      await check(page, `the animation form ${size}`, viewport.width);
      await shot(page, `${tag}-coordination-2-formulaire`);

      // Sent with a name only: refused, the summary has the focus, the name is kept.
      await kb.tabTo((f) => f.id === 'name', 20);
      await kb.type('Réunion des médiateurs du Giennois');
      await kb.tabTo((f) => f.tag === 'button' && f.text === 'Enregistrer une animation', 80);
      await Promise.all([page.waitForNavigation(), kb.press('Enter')]);
      await page.waitForSelector('.error-summary');
      const summary = (await page.textContent('.error-summary')) ?? '';
      assert.match(summary, /Indiquez la durée de l’animation/);
      assert.match(summary, /Indiquez le type d’animation/);
      assert.match(summary, /Indiquez au moins un médiateur, une structure ou un autre acteur/);
      assert.ok((await kb.focused()).text.startsWith('Il y a un problème'), 'the summary has the focus');
      assert.equal(
        await page.$eval('#name', (i) => (i as HTMLInputElement).value),
        'Réunion des médiateurs du Giennois',
      );
      await check(page, `the animation refused ${size}`, viewport.width);
      await shot(page, `${tag}-coordination-3-erreurs`);

      await kb.tabTo((f) => f.id === 'duration', 40);
      await kb.type('90');
      await kb.tabTo((f) => f.id === 'mediatorsCount', 10);
      await kb.type('12');
      await kb.tabTo((f) => f.id === 'structuresCount', 5);
      await kb.type('4');
      // The first type of animation, then down to « Réunion de coordination ».
      await kb.tabTo((f) => f.id === 'animationType-assemblee', 10);
      for (let i = 0; i < 4; i++) await kb.press('ArrowDown');
      assert.equal((await kb.focused()).id, 'animationType-reunion_coordination');
      await kb.tabTo((f) => f.id === 'animationThemes-reseau', 20);
      await kb.press('Space');
      await kb.tabTo((f) => f.tag === 'button' && f.text === 'Enregistrer une animation', 40);
      await Promise.all([page.waitForURL('**/activites/coordination?fait=animation'), kb.press('Enter')]);
      const main = (await page.textContent('main')) ?? '';
      assert.match(main, /L’animation est enregistrée/);
      assert.match(
        (await page.textContent('.cards li:first-child h2')) ?? '',
        /Réunion des médiateurs du Giennois/,
      );
      assert.match(main, /Réunion de coordination/);
      assert.match(main, /12 médiateur\(s\), 4 structure\(s\)/);
      await check(page, `the animation recorded ${size}`, viewport.width);
      await shot(page, `${tag}-coordination-4-enregistree`);
    });

    it(`a mediator names a followed person and links a record, keyboard only, ${size}`, async () => {
      const page = await openPage(viewport);
      await signIn(page, 'mediation.demo@example.org');
      await page.goto('/activites/personnes');
      await check(page, `the followed persons ${size}`, viewport.width);
      await shot(page, `${tag}-personnes-1-liste`);
      const kb = keyboardOnly(page);
      await kb.tabTo('Ajouter une personne suivie', 80);
      await Promise.all([page.waitForURL('**/activites/personnes/nouvelle?**'), kb.press('Enter')]);
      assert.match(
        (await page.textContent('#pourquoi')) ?? '',
        /effacés 24 mois après le dernier accompagnement/,
      );
      await check(page, `the new person form ${size}`, viewport.width);
      await shot(page, `${tag}-personnes-2-formulaire`);

      const first = viewport.width === 390 ? 'Josiane' : 'Marcel';
      await kb.tabTo((f) => f.id === 'firstName', 40);
      await kb.type(first);
      await kb.tabTo((f) => f.id === 'email', 10);
      await kb.type('josiane@');
      await kb.tabTo('Enregistrer la personne suivie', 40);
      await Promise.all([page.waitForNavigation(), kb.press('Enter')]);
      await page.waitForSelector('.error-summary');
      const summary = (await page.textContent('.error-summary')) ?? '';
      assert.match(summary, /L’adresse « josiane@ » n’est pas une adresse e-mail/);
      assert.match(summary, /Cochez la case du consentement/);
      assert.ok((await kb.focused()).text.startsWith('Il y a un problème'), 'the summary has the focus');
      assert.equal(await page.$eval('#firstName', (i) => (i as HTMLInputElement).value), first);
      await check(page, `the person refused ${size}`, viewport.width);
      await shot(page, `${tag}-personnes-3-erreurs`);

      await kb.tabTo((f) => f.id === 'email', 40);
      await kb.press('ControlOrMeta+A');
      await kb.type('josiane@example.org');
      await kb.tabTo((f) => f.id === 'gender-aucun', 10);
      await kb.press('ArrowDown');
      await kb.press('ArrowDown');
      assert.equal((await kb.focused()).id, 'gender-feminin');
      await kb.tabTo((f) => f.id === 'consent', 40);
      await kb.press('Space');
      await kb.tabTo('Enregistrer la personne suivie', 10);
      await Promise.all([page.waitForURL('**/activites/personnes/*?fait=cree'), kb.press('Enter')]);
      assert.equal((await page.textContent('h1')) ?? '', first);
      assert.match((await page.textContent('main')) ?? '', /La personne suivie est enregistrée/);
      await check(page, `the person recorded ${size}`, viewport.width);
      await shot(page, `${tag}-personnes-4-fiche`);

      // Links the latest record as her first accompaniment.
      await kb.tabTo((f) => f.id === 'activityId', 80);
      await kb.press('ArrowDown');
      const chosen = await page.$eval(
        '#activityId',
        (select) => (select as HTMLSelectElement).selectedOptions[0]?.textContent ?? '',
      );
      assert.ok(chosen !== '' && !chosen.startsWith('Choisissez'), 'a record is chosen');
      await kb.tabTo((f) => f.id === 'firstTime', 5);
      await kb.press('Space');
      await kb.tabTo('Lier l’activité', 5);
      await Promise.all([page.waitForURL('**/activites/personnes/*?fait=lie'), kb.press('Enter')]);
      const linked = (await page.textContent('main')) ?? '';
      assert.match(linked, /L’activité est liée à la personne/);
      assert.ok(
        linked.includes(`${chosen.replace(/…$/, '')}`.slice(0, 40)) && /premier accompagnement/.test(linked),
        `the chosen record (${chosen}) is linked as her first accompaniment`,
      );
      await check(page, `the record linked ${size}`, viewport.width);
      await shot(page, `${tag}-personnes-5-liee`);
    });
  }
});
