import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { frenchDate, localToday } from '../../src/places/place-dates.ts';
import { check, keyboardOnly, shot } from './support/browser.ts';
import { demoBrowserSuite } from './support/demo-suite.ts';
import { signIn } from './support/session.ts';

/**
 * The pass numérique's monthly statements in a browser (decision 0045), on the demonstration's last
 * month's statements: a place's staff member finds her structure's statement from the pass page with the
 * keyboard only on a phone, and it prints on one A4 sheet; the funder records a payment on another
 * place's statement on a desktop, keyboard only, refused first for more than is owed. Axe on every page,
 * no sideways scrolling. SCREENSHOTS=<folder> keeps a picture of each page.
 */
describe('monthly statements of the pass numérique, in a browser', () => {
  let programmeId = '';
  const suite = demoBrowserSuite('statements', async (db) => {
    programmeId = (
      await db
        .selectFrom('voucher_programme')
        .select('id')
        .where('is_demo', '=', true)
        // The year's programme (the demonstration also has one near its end and one closed, decision 0050).
        .where('name', 'not like', 'Pass numérique —%')
        .executeTakeFirstOrThrow()
    ).id;
  });

  it('a place’s staff member finds her statement with the keyboard, and it prints on one A4 sheet', async () => {
    const viewport = { width: 390, height: 844 };
    const page = await suite.openPage(viewport);
    await signIn(page, 'mediation.demo@example.org');
    await page.goto('/pass');
    const kb = keyboardOnly(page);
    await kb.tabTo('Relevés de ma structure', 200);
    await Promise.all([page.waitForURL('**/pass/releves'), kb.press('Enter')]);
    await check(page, 'the structure’s statements', viewport.width);
    await shot(page, 'releves-1-liste');
    await kb.tabTo((f) => /\/pass\/releves\/[0-9a-f-]{36}$/.test(f.href ?? ''), 80);
    await Promise.all([page.waitForNavigation(), kb.press('Enter')]);
    await check(page, 'a place’s statement', viewport.width);
    assert.match((await page.textContent('main')) ?? '', /Payé à/);
    await shot(page, 'releves-2-releve');
    const pdf = await page.pdf({
      format: 'A4',
      margin: { top: '10mm', right: '10mm', bottom: '10mm', left: '10mm' },
    });
    assert.equal(
      pdf.toString('latin1').match(/\/Type\s*\/Page(?![a-zA-Z])/g)?.length ?? 0,
      1,
      'one A4 sheet',
    );
  });

  it('the funder records a payment with the keyboard, refused first for more than is owed', async () => {
    const viewport = { width: 1280, height: 900 };
    const page = await suite.openPage(viewport);
    await signIn(page, 'financeur.demo@example.org');
    await page.goto(`/pass/programmes/${programmeId}`);
    const kb = keyboardOnly(page);
    await kb.tabTo('Relevés mensuels des lieux et du financeur', 200);
    await Promise.all([page.waitForURL('**/releves'), kb.press('Enter')]);
    await check(page, 'the programme’s statements', viewport.width);
    await shot(page, 'releves-3-programme');
    // The first place's statement still to pay.
    const unpaid = await page.locator('tr', { hasText: 'à payer' }).first().locator('a').getAttribute('href');
    assert.ok(unpaid);
    await kb.tabTo((f) => (f.href ?? '').endsWith(unpaid), 80);
    await Promise.all([page.waitForNavigation(), kb.press('Enter')]);
    await check(page, 'a statement to pay', viewport.width);
    await kb.tabTo((f) => f.id === 'amount', 80);
    await kb.type('9999');
    await kb.press('Tab');
    await kb.type(frenchDate(localToday(new Date())));
    await kb.press('Tab');
    await kb.type('VIR-E2E-001');
    await Promise.all([page.waitForNavigation(), kb.press('Enter')]);
    await page.waitForSelector('.error-summary');
    assert.match((await page.textContent('.error-summary')) ?? '', /dépasse ce qui reste dû/);
    await check(page, 'the payment refused', viewport.width);
    await shot(page, 'releves-4-refus');
    await kb.tabTo((f) => f.id === 'amount', 80);
    await kb.press('Control+A');
    await kb.type('5');
    await kb.tabTo('Enregistrer le paiement', 10);
    await Promise.all([page.waitForNavigation(), kb.press('Enter')]);
    assert.match((await page.textContent('main')) ?? '', /Le paiement est enregistré/);
    assert.match((await page.textContent('main')) ?? '', /\(référence VIR-E2E-001\)/);
    await check(page, 'the payment recorded', viewport.width);
    await shot(page, 'releves-5-paye');
  });
});
