import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { frenchDate, localToday } from '../../src/places/place-dates.ts';
import { check, keyboardOnly, shot } from './support/browser.ts';
import { demoBrowserSuite } from './support/demo-suite.ts';
import { signIn } from './support/session.ts';

/**
 * A programme's year closing in a browser (decision 0050), on the demonstration's closed programme:
 * vouchers redeemed at places, monthly statements issued; a place's staff member reads her statement; the
 * funder records "payé" on the statement still to pay; then, the vouchers left having expired after the
 * grace period, the funder reads the credit note and the reconciliation report, printable. Keyboard
 * only, axe on every page, the Content-Security-Policy enforced (the suite's page guard).
 * SCREENSHOTS=<folder> keeps a picture of each page.
 */
describe('the end of a pass numérique programme, in a browser', () => {
  let closedId = '';
  const suite = demoBrowserSuite('end-of-validity', async (db) => {
    closedId = (
      await db
        .selectFrom('voucher_programme')
        .select('id')
        .where('name', 'like', '%programme clos%')
        .executeTakeFirstOrThrow()
    ).id;
  });

  it('a place’s staff member reads her statement of the closed programme with the keyboard', async () => {
    const viewport = { width: 390, height: 844 };
    const page = await suite.openPage(viewport);
    await signIn(page, 'mediation.demo@example.org');
    await page.goto('/pass');
    const kb = keyboardOnly(page);
    await kb.tabTo('Relevés de ma structure', 200);
    await Promise.all([page.waitForURL('**/pass/releves'), kb.press('Enter')]);
    await check(page, 'the structure’s statements', viewport.width);
    const href = await page
      .locator('tr', { hasText: 'programme clos' })
      .first()
      .locator('a')
      .getAttribute('href');
    assert.ok(href, 'a statement of the closed programme');
    await kb.tabTo((f) => (f.href ?? '').endsWith(href), 120);
    await Promise.all([page.waitForNavigation(), kb.press('Enter')]);
    await check(page, 'a statement of the closed programme', viewport.width);
    assert.match((await page.textContent('main')) ?? '', /Chèques encaissés/);
    await shot(page, 'fin-1-releve-lieu');
  });

  it('the funder pays a statement, then reads the credit note and the reconciliation report, keyboard only', async () => {
    const viewport = { width: 1280, height: 900 };
    const page = await suite.openPage(viewport);
    await signIn(page, 'financeur.demo@example.org');
    await page.goto(`/pass/programmes/${closedId}`);
    await check(page, 'the closed programme', viewport.width);
    assert.match((await page.textContent('#fin-de-validite')) ?? '', /Fin de validité/);
    const kb = keyboardOnly(page);
    await kb.tabTo('Relevés mensuels des lieux et du financeur', 200);
    await Promise.all([page.waitForURL('**/releves'), kb.press('Enter')]);
    await check(page, 'the closed programme’s statements', viewport.width);
    assert.match((await page.textContent('main')) ?? '', /Avoir de fin de validité/);
    const unpaid = await page.locator('tr', { hasText: 'à payer' }).first().locator('a').getAttribute('href');
    assert.ok(unpaid, 'a statement still to pay');
    await kb.tabTo((f) => (f.href ?? '').endsWith(unpaid), 80);
    await Promise.all([page.waitForNavigation(), kb.press('Enter')]);
    await check(page, 'a statement to pay', viewport.width);
    const left = /reste : ([\d\s\u202f]+,\d{2})/.exec((await page.textContent('main')) ?? '')?.[1];
    assert.ok(left, 'what is left to pay');
    await kb.tabTo((f) => f.id === 'amount', 80);
    await kb.type(left.replace(/[\s\u202f]/g, ''));
    await kb.press('Tab');
    await kb.type(frenchDate(localToday(new Date())));
    await kb.press('Tab');
    await kb.type('VIR-CLOTURE-E2E');
    await Promise.all([page.waitForNavigation(), kb.press('Enter')]);
    assert.match((await page.textContent('main')) ?? '', /Le paiement est enregistré/);
    await check(page, 'the statement paid', viewport.width);
    await shot(page, 'fin-2-paye');

    // The programme's page leads to the credit note.
    await page.goto(`/pass/programmes/${closedId}`);
    await kb.tabTo('Avoir et rapport de rapprochement', 200);
    await Promise.all([page.waitForURL('**/cloture'), kb.press('Enter')]);
    await check(page, 'the credit note', viewport.width);
    const main = (await page.textContent('main')) ?? '';
    assert.match(main, /Avoir de fin de validité/);
    assert.match(main, /Montant de l’avoir/);
    assert.match(main, /120,00\s€/);
    assert.match(main, /Émis = encaissés \+ expirés : 15 = 3 \+ 12 \(équilibré\)/);
    // The payment just recorded shows per place (the demonstration had paid 10 € of the 30 € owed).
    assert.match(main, /Total330,00\s€30,00\s€20,00\s€/);
    await shot(page, 'fin-3-avoir');
    const pdf = await page.pdf({
      format: 'A4',
      margin: { top: '10mm', right: '10mm', bottom: '10mm', left: '10mm' },
    });
    const sheets = pdf.toString('latin1').match(/\/Type\s*\/Page(?![a-zA-Z])/g)?.length ?? 0;
    assert.equal(sheets, 1, `one A4 sheet (${sheets})`);
  });
});
