import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import type { Page } from 'playwright-core';
import { keyboardOnly, scanAxe } from './support/browser.ts';
import { demoSite, signIn } from './support/session.ts';

/**
 * Volunteering in a browser, keyboard only (decision 0044): a person signs up as a volunteer (once
 * refused without availability), the coordinator validates them from the home page, the volunteer asks
 * to join a mission ranked for them, and the mission's structure accepts from its home page. Axe on
 * every page, at 1280 px and 390 px; the page guard fails the journey on a CSP violation or a console
 * error. SCREENSHOTS=<folder> keeps pictures of each page.
 */
const SHOTS = process.env.SCREENSHOTS;

async function shot(page: Page, name: string): Promise<void> {
  if (!SHOTS) return;
  fs.mkdirSync(SHOTS, { recursive: true });
  await page.screenshot({ path: path.join(SHOTS, `${name}.png`), fullPage: true });
}

const pathOf = (page: Page) => new URL(page.url()).pathname;

async function noSidewaysScroll(page: Page, width: number, what: string): Promise<void> {
  const scroll = await page.evaluate(() => document.documentElement.scrollWidth);
  assert.ok(scroll <= width, `${what} scrolls sideways at ${width} px (${scroll})`);
}

const MISSION = 'Accueillir au point numérique';

describe('volunteering, in a browser (demonstration data)', () => {
  const { openPage } = demoSite();

  for (const width of [1280, 390]) {
    it(`a volunteer signs up, is validated, asks for a mission and the structure accepts — keyboard only, at ${width} px`, async () => {
      const viewport = { width, height: 900 };
      const name = `Nina ${width}`;
      const volunteer = await openPage({ viewport });
      await volunteer.goto('/benevolat');
      await scanAxe(volunteer, `the missions, ${width} px`);
      await noSidewaysScroll(volunteer, width, 'the missions');
      await shot(volunteer, `missions-${width}`);
      const v = keyboardOnly(volunteer);
      await v.tabTo('Devenir bénévole', 60);
      await Promise.all([volunteer.waitForNavigation(), v.press('Enter')]);
      assert.equal(pathOf(volunteer), '/benevolat/inscription');
      await scanAxe(volunteer, `the sign-up form, ${width} px`);
      await shot(volunteer, `sign-up-${width}`);

      await v.tabTo((el) => el.id === 'nom', 60);
      await v.type(name);
      await v.tabTo((el) => el.id === 'email');
      await v.type(`nina.${width}@example.org`);
      await v.tabTo((el) => el.id === 'mot-de-passe');
      await v.type('une phrase de passe solide');
      await v.tabTo((el) => el.id === 'confirmation');
      await v.type('une phrase de passe solide');
      await v.tabTo((el) => el.id === 'competences', 40);
      await v.press('Space');
      await v.tabTo((el) => el.id === 'communes', 20);
      await v.type('Orléans');
      await v.tabTo((el) => el.id === 'charte');
      await v.press('Space');
      // Sent without a half-day: refused, the field named, what was typed kept.
      await v.tabTo('M’inscrire comme bénévole');
      await Promise.all([volunteer.waitForNavigation(), v.press('Enter')]);
      assert.match(
        (await volunteer.textContent('main')) ?? '',
        /Disponibilités : cochez au moins une demi-journée/,
      );
      await scanAxe(volunteer, `the sign-up form with an error, ${width} px`);
      await shot(volunteer, `sign-up-error-${width}`);
      assert.equal(await volunteer.locator('#email').inputValue(), `nina.${width}@example.org`);
      await v.tabTo((el) => el.id === 'mot-de-passe', 60);
      await v.type('une phrase de passe solide');
      await v.tabTo((el) => el.id === 'confirmation');
      await v.type('une phrase de passe solide');
      await v.tabTo((el) => el.id === 'disponibilites-mar_matin', 20);
      await v.press('Space');
      await v.tabTo('M’inscrire comme bénévole', 60);
      await Promise.all([volunteer.waitForNavigation(), v.press('Enter')]);
      assert.equal(pathOf(volunteer), '/benevolat/mon-espace');
      assert.match((await volunteer.textContent('main')) ?? '', /attend la validation de la coordination/);
      await scanAxe(volunteer, `the volunteer's page, waiting, ${width} px`);
      await noSidewaysScroll(volunteer, width, "the volunteer's page");
      await shot(volunteer, `mine-waiting-${width}`);

      // The coordinator validates from the home page's block.
      const coordinator = await openPage({ viewport });
      await signIn(coordinator, 'coordination.demo@example.org');
      assert.match((await coordinator.textContent('main')) ?? '', /Bénévoles à valider/);
      const c = keyboardOnly(coordinator);
      await c.tabTo((el) => el.href === '/benevolat/benevoles', 250);
      await Promise.all([coordinator.waitForNavigation(), c.press('Enter')]);
      await scanAxe(coordinator, `the volunteers to validate, ${width} px`);
      await noSidewaysScroll(coordinator, width, 'the volunteers to validate');
      await shot(coordinator, `volunteers-${width}`);
      await c.tabTo(`Valider ${name}`, 120);
      await Promise.all([coordinator.waitForNavigation(), c.press('Enter')]);
      assert.match((await coordinator.textContent('main')) ?? '', /Le bénévole est validé/);

      // The volunteer finds the mission ranked for them and asks to join it.
      await v.tabTo(MISSION, 120);
      await Promise.all([volunteer.waitForNavigation(), v.press('Enter')]);
      assert.match(pathOf(volunteer), /^\/benevolat\/missions\/[0-9a-f-]{36}$/);
      const missionPath = pathOf(volunteer);
      await scanAxe(volunteer, `a mission, volunteer, ${width} px`);
      await shot(volunteer, `mission-${width}`);
      await v.tabTo('Proposer mon aide pour cette mission', 80);
      await Promise.all([volunteer.waitForNavigation(), v.press('Enter')]);
      assert.match((await volunteer.textContent('main')) ?? '', /Votre demande est envoyée/);

      // The structure sees the request on its home page and accepts it.
      const structure = await openPage({ viewport });
      await signIn(structure, 'mediation.demo@example.org');
      assert.match((await structure.textContent('main')) ?? '', /Bénévoles qui proposent leur aide/);
      const s = keyboardOnly(structure);
      await s.tabTo((el) => el.href === missionPath, 300);
      await Promise.all([structure.waitForNavigation(), s.press('Enter')]);
      const page = (await structure.textContent('main')) ?? '';
      assert.match(page, new RegExp(name));
      assert.match(page, new RegExp(`nina\\.${width}@example\\.org`));
      await scanAxe(structure, `a mission, its structure, ${width} px`);
      await noSidewaysScroll(structure, width, "the structure's mission page");
      await shot(structure, `mission-structure-${width}`);
      await s.tabTo(`Accepter ${name}`, 200);
      await Promise.all([structure.waitForNavigation(), s.press('Enter')]);
      assert.match((await structure.textContent('main')) ?? '', /C’est accepté/);
      await scanAxe(structure, `the structure's missions, ${width} px`);
      await shot(structure, `missions-structure-${width}`);
    });
  }
});
