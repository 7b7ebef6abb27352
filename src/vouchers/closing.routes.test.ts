import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { testApp } from '../../test/support/app.ts';
import { demoSessionBrowser } from '../../test/support/demo-sessions.ts';
import { closeTestTemplate, createDemoTestDb, type TestDb } from '../../test/support/test-db.ts';

after(closeTestTemplate);

const unescaped = (html: string) =>
  html
    .replace(/&#39;/g, "'")
    .replace(/&quot;/g, '"')
    .replace(/&amp;/g, '&');

// The demonstration's programmes near and past their end (decision 0050).
describe('the end of validity over HTTP', () => {
  let t: TestDb;
  let app: ReturnType<typeof testApp>;
  let nearEnd = '';
  let closed = '';
  before(async () => {
    t = await createDemoTestDb();
    app = testApp(t.db, { TERRITORY: 'epci:244500468' });
    const rows = await t.db.selectFrom('voucher_programme').select(['id', 'name']).execute();
    nearEnd = rows.find((r) => /fin dans 20 jours/.test(r.name))?.id ?? '';
    closed = rows.find((r) => /programme clos/.test(r.name))?.id ?? '';
    assert.ok(nearEnd && closed);
  });
  after(async () => {
    await t.close();
  });

  it('shows the funder, 30 days before the end, where the booklets stand on the programme’s page', async () => {
    const funder = await demoSessionBrowser(app, t.db, 'financeur.demo@example.org');
    const page = await funder.page(`/pass/programmes/${nearEnd}`);
    assert.equal(page.res.status, 200);
    const html = unescaped(page.html);
    assert.match(html, /<h2 id="fin-de-validite">Fin de validité<\/h2>/);
    assert.match(html, /Arrêt de la distribution des carnets/);
    assert.match(html, /Entamés \(au moins un chèque encaissé\)/);
  });

  it('shows the credit note and the reconciliation report, printable and as CSV, to the funder only', async () => {
    const funder = await demoSessionBrowser(app, t.db, 'financeur.demo@example.org');
    const page = await funder.page(`/pass/programmes/${closed}/cloture`);
    assert.equal(page.res.status, 200);
    const html = unescaped(page.html);
    assert.match(html, /Avoir de fin de validité/);
    assert.match(html, /Montant de l’avoir/);
    assert.match(html, /<strong>120,00\s€<\/strong>/);
    assert.match(html, /Émis = encaissés \+ expirés : 15 = 3 \+ 12 \(équilibré\)/);
    assert.match(html, /Rapport de rapprochement/);
    assert.match(html, /class="no-print"/);
    const csv = await funder.request(`/pass/programmes/${closed}/cloture/csv`);
    assert.equal(csv.status, 200);
    const bytes = new Uint8Array(await csv.arrayBuffer());
    assert.deepEqual([...bytes.slice(0, 3)], [0xef, 0xbb, 0xbf]);
    const text = new TextDecoder().decode(bytes);
    assert.match(text, /avoir \(chèques payés et expirés\);12;120,00\r\n/);
    const staff = await demoSessionBrowser(app, t.db, 'mediation.demo@example.org');
    assert.equal((await staff.request(`/pass/programmes/${closed}/cloture`)).status, 403);
    assert.equal((await funder.request('/pass/programmes/pas-un-identifiant/cloture')).status, 404);
    // The credit note is listed with the programme's statements.
    const list = await funder.page(`/pass/programmes/${closed}/releves`);
    assert.match(unescaped(list.html), /Avoir/);
  });
});
