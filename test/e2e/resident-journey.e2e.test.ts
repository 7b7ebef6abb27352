import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import type { Page } from 'playwright-core';
import { type KeyboardJourney, keyboardOnly, scanAxe } from './support/browser.ts';
import { demoSite } from './support/session.ts';

/**
 * A resident's journey on a phone and on a desktop, with the keyboard alone and axe-core on every page:
 * the home page with "Où ?" on the first screens, a misspelt commune ("Sarran") answered by "Vouliez-vous
 * dire Saran ?", the results near Saran for the need chosen, a place's page. Each step is one function
 * taking the journey as the previous step left it, so that later steps (being called back…) append to it.
 * SCREENSHOTS=<folder> keeps a picture of each page (whole page, and the first screen).
 */

const PHONE = { width: 390, height: 844 };
const DESKTOP = { width: 1280, height: 900 };
/** On a 390 px phone, the top of "Où ?" lies within this many pixels of the top of the page. */
const MAX_WHERE_OFFSET_PX = 1300;
const PLACE_PATH = /^\/lieux\/[0-9a-f-]{36}$/;

interface Journey {
  page: Page;
  kb: KeyboardJourney;
  /** "phone" or "desktop", and whether scripts run. */
  tag: string;
  js: boolean;
  step: number;
}

async function shot(j: Journey, name: string): Promise<void> {
  const folder = process.env.SCREENSHOTS;
  if (!folder) return;
  fs.mkdirSync(folder, { recursive: true });
  const file = `resident-${j.tag}${j.js ? '' : '-sans-js'}-${j.step}-${name}`;
  await j.page.screenshot({ path: path.join(folder, `${file}.png`), fullPage: true });
  await j.page.screenshot({ path: path.join(folder, `${file}-ecran.png`) });
}

/** axe-core is a script: it scans when the journey runs with JavaScript; without, the same HTML. */
async function checkPage(j: Journey, label: string, name: string): Promise<void> {
  j.step += 1;
  if (j.js) await scanAxe(j.page, `${label} (${j.tag})`);
  await shot(j, name);
}

const heading = async (j: Journey) => ((await j.kb.locator('h1').textContent()) ?? '').trim();

/** The top of the "Où ?" field (its label), from the top of the page, in CSS pixels. */
function whereOffset(page: Page): Promise<number> {
  return page.evaluate(() => {
    const label = document.querySelector('label[for="ou"]');
    if (!label) return Number.POSITIVE_INFINITY;
    return Math.round(label.getBoundingClientRect().top + window.scrollY);
  });
}

/** Step 1: the home page, "Où ?" near the top on a phone. */
async function openHome(j: Journey): Promise<void> {
  const response = await j.page.goto('/');
  assert.equal(response?.status(), 200);
  const offset = await whereOffset(j.page);
  process.stdout.write(`# "Où ?" offset (${j.tag}, ${j.page.viewportSize()?.width} px): ${offset} px\n`);
  if (j.tag === 'phone')
    assert.ok(offset <= MAX_WHERE_OFFSET_PX, `"Où ?" is ${offset} px down the home page on a phone`);
  // The first needs follow the field: the first group is open, its first choice below "Où ?".
  const firstNeed = await j.page.evaluate(() => {
    const radio = document.querySelector('input[name="besoin"]');
    return radio ? radio.getBoundingClientRect().top + window.scrollY : Number.POSITIVE_INFINITY;
  });
  assert.ok(firstNeed > offset && firstNeed - offset < 600, `the first need is at ${firstNeed} px`);
  j.kb = keyboardOnly(j.page);
  await checkPage(j, 'the home page', 'accueil');
}

/** Step 2: types a commune in "Où ?", chooses a need, sends the form. */
async function searchFrom(j: Journey, where: string, needId: string): Promise<void> {
  await j.kb.tabTo((f) => f.id === 'ou');
  await j.kb.type(where);
  await j.kb.tabTo((f) => f.id === needId);
  await j.kb.press('Space');
  assert.ok(await j.kb.locator(`#${needId}`).isChecked());
  await j.kb.tabTo('Voir les lieux');
  await j.kb.press('Enter');
  await j.kb.waitForURL((url) => url.pathname === '/recherche');
}

/** Step 3: "Vouliez-vous dire Saran ?", then the link to Saran. */
async function followSuggestion(j: Journey, commune: string): Promise<void> {
  assert.equal(await heading(j), `Vouliez-vous dire ${commune} ?`);
  await checkPage(j, 'the suggestions', 'vouliez-vous-dire');
  const link = await j.kb.tabTo((f) => f.tag === 'a' && f.text.startsWith(`${commune} (`));
  // The suggestions' own address is already /recherche…#resultats: wait for the link's (a commune).
  await j.kb.press('Enter');
  await j.kb.waitForURL((url) => url.pathname === '/recherche' && url.searchParams.has('commune'));
  assert.ok(link.href?.includes('commune='), link.href ?? '');
}

/** Step 4: the results near the commune, for the need chosen. */
async function seeResults(j: Journey, title: RegExp): Promise<void> {
  assert.match(await heading(j), title);
  if (j.js) assert.equal((await j.kb.focused()).id, 'resultats', 'the focus is not on the results heading');
  assert.ok((await j.kb.locator('li.card').count()) > 0, 'no place listed');
  await checkPage(j, 'the results', 'resultats');
}

/** Step 5: the first place of the list, by its link. */
async function openFirstPlace(j: Journey): Promise<string> {
  const link = await j.kb.tabTo((f) => f.href !== null && PLACE_PATH.test(f.href));
  await j.kb.press('Enter');
  await j.kb.waitForURL((url) => url.pathname === link.href);
  assert.equal(await heading(j), link.text);
  await checkPage(j, "a place's page", 'lieu');
  return link.href ?? '';
}

/** Step 6: "Être rappelé" from the place's page: a first name, a number, the consent, and the reference. */
async function askToBeCalledBack(
  j: Journey,
  placePath: string,
  firstName: string,
  phone: string,
): Promise<void> {
  await j.kb.tabTo('Être rappelé', 150);
  await j.kb.press('Enter');
  await j.kb.waitForURL((url) => url.pathname === `${placePath}/rappel`);
  await checkPage(j, 'the call-back form', 'rappel');
  await j.kb.tabTo((f) => f.id === 'prenom', 40);
  await j.kb.type(firstName);
  await j.kb.tabTo((f) => f.id === 'telephone', 5);
  await j.kb.type(phone);
  await j.kb.tabTo((f) => f.id === 'accord', 10);
  await j.kb.press('Space');
  await j.kb.tabTo('Demander à être rappelé·e', 20);
  await Promise.all([j.page.waitForNavigation(), j.kb.press('Enter')]);
  await j.kb.locator('.callback-ref').waitFor();
  const reference = ((await j.kb.locator('.callback-ref').textContent()) ?? '').trim();
  assert.match(reference, /^[A-Z0-9]{6}$/, `the reference shown is "${reference}"`);
  assert.match((await j.kb.locator('main').textContent()) ?? '', new RegExp(`au ${phone}`));
  await checkPage(j, 'the call-back reference', 'rappel-reference');
}

describe("a resident's journey: the town first, a misspelling forgiven, a place (demonstration data)", () => {
  const { openPage } = demoSite();

  for (const [tag, viewport] of [
    ['phone', PHONE],
    ['desktop', DESKTOP],
  ] as const) {
    for (const js of [true, false]) {
      it(`"Sarran" → "Vouliez-vous dire Saran ?" → results → a place${tag === 'phone' || js ? ' → "Être rappelé"' : ''}, keyboard only, ${tag}${js ? '' : ', without JavaScript'}`, async () => {
        const page = await openPage({ viewport, javaScriptEnabled: js });
        const j: Journey = { page, kb: keyboardOnly(page), tag, js, step: 0 };
        await openHome(j);
        await searchFrom(j, 'Sarran', 'besoin-caf');
        await followSuggestion(j, 'Saran');
        await seeResults(j, /^Faire une démarche CAF : lieux près de Saran$/);
        const placePath = await openFirstPlace(j);
        // Being called back: on the phone, and on the desktop with scripts (three requests from one address,
        // the limit an hour; two numbers, each within its limit of two a day).
        if (tag === 'phone' || js)
          await askToBeCalledBack(j, placePath, 'Nadia', js ? '06 12 34 56 78' : '07 98 76 54 32');
      });
    }
  }

  it('"Chercher autour de moi" first keeps the choice of a need: the position waits for the form, keyboard only', async () => {
    const page = await openPage({
      viewport: PHONE,
      permissions: ['geolocation'],
      geolocation: { latitude: 47.950061, longitude: 1.876093 },
    });
    await page.goto('/');
    const kb = keyboardOnly(page);
    await kb.tabTo('Chercher autour de moi');
    await kb.press('Enter');
    await kb.locator('#autour-statut', { hasText: 'Votre position est trouvée' }).waitFor();
    await scanAxe(page, 'the home page with the position found');
    await kb.tabTo((f) => f.id === 'besoin-caf');
    await kb.press('Space');
    await kb.tabTo('Voir les lieux');
    await kb.press('Enter');
    await kb.waitForURL((url) => url.pathname === '/recherche');
    const url = new URL(page.url());
    assert.deepEqual(
      [url.searchParams.get('besoin'), url.searchParams.get('lat'), url.searchParams.get('lon')],
      ['caf', '47.95', '1.876'],
    );
    assert.match(
      (await kb.locator('h1').textContent()) ?? '',
      /^Faire une démarche CAF : lieux près de votre position$/,
    );
  });

  it('has no axe violation and no sideways scrolling on the answers to "Où ?", at 320 px and on a desktop', async () => {
    const pages: Array<[string, number]> = [
      ['/recherche?besoin=caf&ou=Sarran', 200],
      ['/recherche?ou=Chessy&falc=1', 200],
      ['/recherche?ou=Marseile', 200],
      ['/recherche?besoin=caf&ou=Marseille', 200],
      ['/recherche?ou=45140', 200],
      ['/recherche?ou=Zzyzxville', 404],
      ['/embed?ou=Sarran', 200],
      ['/', 200],
    ];
    for (const viewport of [{ width: 320, height: 800 }, DESKTOP]) {
      const page = await openPage({ viewport });
      for (const [path, status] of pages) {
        const response = await page.goto(path);
        assert.equal(response?.status(), status, path);
        await scanAxe(page, `${path} at ${viewport.width} px`);
        const width = await page.evaluate(() => document.documentElement.scrollWidth);
        assert.ok(width <= viewport.width, `${path} scrolls sideways at ${viewport.width} px (${width})`);
      }
    }
  });

  it('reaches the display preferences from the header of a page, with the keyboard, and comes back', async () => {
    const page = await openPage({ viewport: PHONE });
    await page.goto('/recherche?ou=Saran');
    const kb = keyboardOnly(page);
    const link = await kb.tabTo(/^Affichage/);
    // Right after the skip link and the site's name: the third stop of the page.
    assert.ok(link.tabs <= 3, `the preferences are ${link.tabs} Tab presses away`);
    const box = await page.locator('a.prefs-link').boundingBox();
    assert.ok(box && box.y < 60 && box.height <= 48, `the link is at ${JSON.stringify(box)}`);
    await kb.press('Enter');
    await kb.waitForURL((url) => url.pathname === '/preferences');
    await scanAxe(page, 'the preferences reached from the header');
  });
});
