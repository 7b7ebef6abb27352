import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { testApp } from '../../test/support/app.ts';
import { demoSessionBrowser } from '../../test/support/demo-sessions.ts';
import { closeTestTemplate, createDemoTestDb, type TestDb } from '../../test/support/test-db.ts';
import { frenchDate, localToday } from '../places/place-dates.ts';

after(closeTestTemplate);

const unescaped = (html: string) =>
  html
    .replace(/&#39;/g, "'")
    .replace(/&quot;/g, '"')
    .replace(/&amp;/g, '&');

// The demonstration's last month's statements (decision 0045): the demo structure's place's is paid, the
// other structure's is not.
describe('the monthly statements over HTTP', () => {
  let t: TestDb;
  let app: ReturnType<typeof testApp>;
  let paid = '';
  let unpaid = '';
  before(async () => {
    t = await createDemoTestDb();
    app = testApp(t.db, { TERRITORY: 'epci:244500468' });
    const rows = await t.db
      .selectFrom('voucher_statement')
      .select(['id', 'settled_cents', 'total_cents'])
      .where('scope', '=', 'place')
      .execute();
    paid = rows.find((r) => Number(r.settled_cents) > 0)?.id ?? '';
    unpaid = rows.find((r) => Number(r.settled_cents) === 0 && Number(r.total_cents) > 0)?.id ?? '';
    assert.ok(paid && unpaid);
  });
  after(async () => {
    await t.close();
  });

  it('shows a place’s staff its statements, printable, with its payment and as CSV', async () => {
    const staff = await demoSessionBrowser(app, t.db, 'mediation.demo@example.org');
    const list = await staff.page('/pass/releves');
    assert.equal(list.res.status, 200);
    assert.match(list.html, new RegExp(`href="/pass/releves/${paid}"`));
    assert.doesNotMatch(list.html, new RegExp(unpaid));
    const one = await staff.page(`/pass/releves/${paid}`);
    assert.equal(one.res.status, 200);
    const html = unescaped(one.html);
    assert.match(html, /Payé à/);
    assert.match(html, /Payé le /);
    assert.match(html, /\(référence DEMO-VIR-001\)/);
    assert.match(html, /class="no-print"/);
    assert.match(html, /<a href="\/pass\/releves">Mes relevés<\/a>/);
    assert.doesNotMatch(html, /Enregistrer un paiement/, 'staff do not record payments');
    const csv = await staff.request(`/pass/releves/${paid}/csv`);
    assert.equal(csv.status, 200);
    assert.match(csv.headers.get('Content-Type') ?? '', /text\/csv/);
    const bytes = new Uint8Array(await csv.arrayBuffer());
    assert.deepEqual([...bytes.slice(0, 3)], [0xef, 0xbb, 0xbf], 'a BOM for Excel');
    const text = new TextDecoder().decode(bytes);
    assert.match(text, /code;date;lieu;montant/);
    assert.equal((await staff.request(`/pass/releves/${unpaid}`)).status, 403);
    assert.equal((await staff.request('/pass/releves/pas-un-identifiant')).status, 404);
  });

  it('lets the funder record a payment, refusing more than is owed and a reused reference, in French', async () => {
    const funder = await demoSessionBrowser(app, t.db, 'financeur.demo@example.org');
    const page = await funder.page(`/pass/releves/${unpaid}`);
    assert.match(page.html, /Enregistrer un paiement/);
    // Back to the programme's statements: "my statements" are a place's, which she cannot open.
    assert.match(
      page.html,
      /<a href="\/pass\/programmes\/[0-9a-f-]{36}\/releves">Tous les relevés du programme<\/a>/,
    );
    assert.doesNotMatch(page.html, /href="\/pass\/releves"/);
    const today = frenchDate(localToday(new Date()));
    const tooMuch = await funder.post(`/pass/releves/${unpaid}`, `/pass/releves/${unpaid}/paiement`, {
      amount: '1000',
      paidOn: today,
      reference: 'VIR-HTTP-1',
    });
    assert.equal(tooMuch.status, 422);
    assert.match(
      unescaped(await tooMuch.text()),
      /Le montant payé \(1\u202f000,00\u00a0€\) dépasse ce qui reste dû/,
    );
    const reused = await funder.post(`/pass/releves/${unpaid}`, `/pass/releves/${unpaid}/paiement`, {
      amount: '5',
      paidOn: today,
      reference: 'DEMO-VIR-001',
    });
    assert.equal(reused.status, 422);
    assert.match(unescaped(await reused.text()), /a déjà servi à un autre paiement/);
    const ok = await funder.post(`/pass/releves/${unpaid}`, `/pass/releves/${unpaid}/paiement`, {
      amount: '5',
      paidOn: today,
      reference: 'VIR-HTTP-1',
    });
    assert.equal(ok.status, 303);
    assert.equal(ok.headers.get('Location'), `/pass/releves/${unpaid}?fait=paye`);
    const after = unescaped((await funder.page(`/pass/releves/${unpaid}?fait=paye`)).html);
    assert.match(after, /Le paiement est enregistré/);
    assert.match(after, /\(référence VIR-HTTP-1\)/);
    const staff = await demoSessionBrowser(app, t.db, 'mediation.demo@example.org');
    const refused = await staff.post(`/pass/releves/${paid}`, `/pass/releves/${paid}/paiement`, {
      amount: '1',
      paidOn: today,
      reference: 'VIR-HTTP-2',
    });
    assert.equal(refused.status, 403);
  });
});
