import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { type KeyboardJourney, keyboardOnly, launchBrowser, newContext, scanAxe } from './support/browser.ts';
import { failOnPageProblems } from './support/page-guard.ts';
import { type RunningServer, startServer } from './support/server.ts';
import { signIn } from './support/session.ts';

/**
 * A demonstration place whose structure has no member and which takes orientations by e-mail (its
 * private referral contact): the orientation reaches it by a signed link.
 */
const PLACE = 'Bibliothèque de Saint-Cyr-en-Val';
const COMMUNE = 'Saint-Cyr-en-Val';
/**
 * Answers (index from 0, in the order of questionnaire v2) of a person at ease with everything except
 * sending the photo of a document: the diagnostic then recommends scanning and printing, which the
 * library offers.
 */
const ANSWERS = [2, 0, 0, 0, 0, 2, 0, 6, 0, 0, 0, 0, 0, 6];

describe('diagnostic → place → orientation → sheet → accepted by e-mail → closed, in a browser', () => {
  let server: RunningServer;
  let browser: Browser;

  before(async () => {
    server = await startServer();
    browser = await launchBrowser();
  });
  after(async () => {
    await browser?.close();
    await server?.stop();
  });
  failOnPageProblems();

  async function openPage(): Promise<Page> {
    return (await newContext(browser, { baseURL: server.url })).newPage();
  }

  async function answer(kb: KeyboardJourney, index: number): Promise<void> {
    const ids = await kb.locator('input[name="r"]').evaluateAll((els) => els.map((e) => e.id));
    const target = ids[Math.min(index, ids.length - 1)];
    if (await kb.locator('input[name="r"][type="checkbox"]').count()) {
      // Question 8 of version 2 takes several answers: each box is its own stop.
      await kb.tabTo((f) => f.tag === 'input' && f.id === target);
      await kb.press('Space');
      await kb.tabTo('Continuer');
      await Promise.all([kb.waitForNavigation(), kb.press('Enter')]);
      return;
    }
    let focused = await kb.tabTo((f) => f.tag === 'input' && f.id.startsWith('r-'));
    for (let i = 0; focused.id !== target && i < ids.length; i++) {
      await kb.press('ArrowDown');
      focused = { ...(await kb.focused()), tabs: 0 };
    }
    assert.equal(focused.id, target);
    await kb.press('Space');
    await kb.tabTo('Continuer');
    await Promise.all([kb.waitForNavigation(), kb.press('Enter')]);
  }

  it('keyboard only after the first page, no axe violation on any page', async () => {
    // A mediator of a member structure does the diagnostic with the person.
    const page = await openPage();
    await signIn(page, 'autre-structure.demo@example.org');
    assert.equal((await page.goto('/diagnostic'))?.status(), 200);
    await scanAxe(page, 'the diagnostic start page');
    const kb = keyboardOnly(page);
    await kb.tabTo('Commencer le diagnostic');
    await Promise.all([kb.waitForNavigation(), kb.press('Enter')]);
    for (const [n, index] of ANSWERS.entries()) {
      await scanAxe(page, `question ${n + 1}`);
      await answer(kb, index);
    }
    await scanAxe(page, 'the commune page');
    await kb.tabTo((f) => f.id === 'ou');
    await kb.type(COMMUNE);
    await Promise.all([kb.waitForNavigation(), kb.press('Enter')]);
    assert.equal(new URL(kb.url()).pathname, '/diagnostic/resultat');
    await scanAxe(page, 'the result, for a professional');
    const result = (await kb.locator('main').textContent()) ?? '';
    assert.match(result, /scanner|imprimer/i, 'scanning or printing recommended');

    // From the result, straight to the orientation form for that place, diagnostic attached.
    await kb.tabTo((f) => f.text.includes('Orienter vers ce lieu') && f.text.includes(PLACE), 400);
    await Promise.all([kb.waitForNavigation(), kb.press('Enter')]);
    assert.equal(new URL(kb.url()).pathname, '/orientations/nouvelle');
    await scanAxe(page, 'the orientation form from the diagnostic');
    assert.match((await kb.locator('main').textContent()) ?? '', new RegExp(PLACE));
    assert.match((await kb.locator('#envoi').textContent()) ?? '', /lien par e-mail/);
    assert.ok(
      await kb.locator('input[name="besoin"]:checked').count(),
      'the needs of the diagnostic are ticked',
    );
    await kb.tabTo((f) => f.id === 'message', 200);
    await kb.type('Elle veut scanner ses justificatifs pour la CAF.');
    // No personal data needed: the person will go by herself.
    await kb.tabTo((f) => f.id === 'contact', 60);
    for (let i = 0; i < 4; i++) await kb.press('ArrowDown');
    await kb.press('Space');
    assert.equal(await kb.locator('input[name="contact"]:checked').getAttribute('value'), 'self');
    await kb.tabTo((f) => f.id === 'consentement', 200);
    await kb.press('Space');
    await kb.tabTo((f) => f.id === 'consentement_diagnostic', 20);
    await kb.press('Space');
    await kb.tabTo('Envoyer l’orientation', 60);
    await Promise.all([kb.waitForNavigation(), kb.press('Enter')]);
    assert.equal(
      await kb.locator('.error-summary').count(),
      0,
      `refused: ${await kb.locator('.error-summary').allTextContents()}`,
    );
    await scanAxe(page, 'the orientation sent');
    assert.match((await kb.locator('h1').textContent()) ?? '', new RegExp(`Orientation vers ${PLACE}`));
    const orientationUrl = kb.url();

    // The sheet for the person.
    await kb.tabTo('Imprimer la fiche de liaison');
    await Promise.all([kb.waitForNavigation(), kb.press('Enter')]);
    await scanAxe(page, 'the fiche de liaison');
    assert.match((await kb.locator('main').textContent()) ?? '', new RegExp(PLACE));

    // The link mailed to the place (read in the demonstration outbox by the coordinator).
    const coordinator = await openPage();
    await signIn(coordinator, 'coordination.demo@example.org');
    await coordinator.goto('/compte/courriels');
    const link = /\/orientations\/lien\/[A-Za-z0-9._-]+/.exec(await coordinator.content())?.[0];
    assert.ok(link, 'the link is in the outbox');

    // The place, without an account: sees the diagnostic's summary, accepts, then closes as "came".
    const place = await openPage();
    assert.equal((await place.goto(link))?.status(), 200);
    await scanAxe(place, 'the orientation opened from the mailed link');
    const received = (await place.locator('main').textContent()) ?? '';
    assert.match(received, /diagnostic/i);
    // Said to the professional who receives the person, not to the person.
    assert.match(received, /La personne a ce qu'il faut pour aller sur internet/);
    assert.doesNotMatch(received, /Vous avez ce qu'il faut/);
    const pk = keyboardOnly(place);
    await pk.tabTo('Accepter l’orientation');
    await Promise.all([pk.waitForNavigation(), pk.press('Enter')]);
    await scanAxe(place, 'accepted');
    await pk.tabTo('Dire si la personne est venue');
    await Promise.all([pk.waitForNavigation(), pk.press('Enter')]);
    await pk.tabTo((f) => f.id === 'outcome');
    await pk.press('Space');
    await pk.tabTo('Clôturer l’orientation');
    await Promise.all([pk.waitForNavigation(), pk.press('Enter')]);
    await scanAxe(place, 'closed');
    assert.match((await pk.locator('h1').textContent()) ?? '', /venue/);
    // The used link is refused.
    assert.equal((await (await openPage()).goto(link))?.status(), 410);

    const back = await page.context().newPage();
    await back.goto(orientationUrl);
    assert.match((await back.locator('main').textContent()) ?? '', /La personne est venue/);
  });
});
