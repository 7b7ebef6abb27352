import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { testApp } from '../../test/support/app.ts';
import { demoSessionBrowser } from '../../test/support/demo-sessions.ts';
import { closeTestTemplate, createDemoTestDb, type TestDb } from '../../test/support/test-db.ts';
import { addDays, frenchDate, localToday } from '../places/place-dates.ts';
import { createProgramme } from './vouchers.service.ts';

after(closeTestTemplate);

const unescaped = (html: string) =>
  html
    .replace(/&#39;/g, "'")
    .replace(/&quot;/g, '"')
    .replace(/&amp;/g, '&');

// The demonstration's programme (decision 0037's seed): 6 booklets of 5 emitted (30 vouchers), 4 paid
// and allocated to the demo structure, 2 handed out, one cancelled; 6 redemptions, one undone. Every fact
// lies within the last 60 days, so the period asked is those days.
describe('the pass numérique dashboard over HTTP', () => {
  let t: TestDb;
  let app: ReturnType<typeof testApp>;
  let period = '';
  let codes: string[] = [];
  let otherProgramme = '';
  let yearProgramme = '';
  let closedProgramme = '';
  before(async () => {
    t = await createDemoTestDb();
    app = testApp(t.db, { TERRITORY: 'epci:244500468' });
    const today = localToday(new Date());
    period = `du=${encodeURIComponent(frenchDate(addDays(today, -60)))}&au=${encodeURIComponent(frenchDate(today))}`;
    codes = (await t.db.selectFrom('voucher').select('code').execute()).map((v) => v.code);
    assert.ok(codes.length >= 30);
    const funder = await t.db
      .insertInto('funder')
      .values({ name: 'Autre financeur' })
      .returning('id')
      .executeTakeFirstOrThrow();
    const created = await createProgramme(
      t.db,
      { kind: 'system' },
      {
        funderId: funder.id,
        name: 'Programme d’un autre financeur',
        faceValue: '10',
        bookletSize: '5',
        validFrom: '01/01/2026',
        validUntil: '31/12/2026',
        graceDays: '31',
        perimeter: 'epci:244500468',
        budget: '500',
        publics: [],
      },
    );
    assert.ok(created.ok);
    otherProgramme = created.programmeId;
    const programmes = await t.db
      .selectFrom('voucher_programme')
      .select(['id', 'name', 'valid_until'])
      .execute();
    yearProgramme = programmes.find((p) => /^Pass numérique \d{4} \(démonstration\)$/.test(p.name))?.id ?? '';
    closedProgramme = programmes.find((p) => /programme clos/.test(p.name))?.id ?? '';
    assert.ok(yearProgramme && closedProgramme, 'the demonstration has its year’s and its closed programme');
  });
  after(async () => {
    await t.close();
  });

  const noPersonalData = (text: string) => {
    // The pass records no person's name: what could point at someone is a voucher's code.
    for (const code of codes) assert.ok(!text.includes(code), `voucher code ${code} shown`);
  };

  it('shows the funder its programme’s figures with charts and tables, and no personal data', async () => {
    const funder = await demoSessionBrowser(app, t.db, 'financeur.demo@example.org');
    // The demonstration's programme of the year (beside it: one ending soon, one closed).
    const page = await funder.page(`/pass/tableau-de-bord?programme=${yearProgramme}&${period}`);
    assert.equal(page.res.status, 200);
    assert.equal(page.res.headers.get('Cache-Control'), 'no-store');
    const html = unescaped(page.html);
    assert.match(html, /<h1>Tableau de bord du pass numérique<\/h1>/);
    assert.match(html, /<h2 id="programmes">Programmes du /);
    assert.match(html, /<svg role="img"/);
    assert.match(html, /<caption>Chèques encaissés par mois<\/caption>/);
    assert.match(html, /<th scope="row">Chèques encaissés<\/th><td class="num">5<\/td>/);
    assert.match(html, /<th scope="row">Chèques émis<\/th><td class="num">30<\/td>/);
    assert.match(html, /<th scope="row">Chèques remis à des personnes<\/th><td class="num">10<\/td>/);
    assert.doesNotMatch(html, /Programme d’un autre financeur/, 'another funder’s programme is not offered');
    assert.doesNotMatch(
      html,
      /id="carnets"|id="encaissements"/,
      'a funder holds no booklet and redeems nothing',
    );
    noPersonalData(html);
    const csv = await funder.request(
      `/pass/tableau-de-bord/programmes.csv?programme=${yearProgramme}&${period}`,
    );
    assert.equal(csv.status, 200);
    assert.match(csv.headers.get('Content-Type') ?? '', /text\/csv/);
    assert.equal(csv.headers.get('Cache-Control'), 'no-store');
    const bytes = new Uint8Array(await csv.arrayBuffer());
    assert.deepEqual([...bytes.slice(0, 3)], [0xef, 0xbb, 0xbf], 'a BOM for spreadsheets');
    const text = new TextDecoder().decode(bytes);
    assert.ok(text.split('\r\n').includes('période;total;chèques encaissés;5'));
    assert.ok(text.split('\r\n').includes('période;total;chèques émis;30'));
    noPersonalData(text);
  });

  it('counts the closed programme’s expired vouchers and puts its credit note on the funder’s home page', async () => {
    const funder = await demoSessionBrowser(app, t.db, 'financeur.demo@example.org');
    const expired = await t.db
      .selectFrom('voucher_entry')
      .select(['created_at'])
      .where('programme_id', '=', closedProgramme)
      .where('kind', '=', 'expiry')
      .execute();
    assert.equal(expired.length, 12, 'the demonstration’s closed programme: 12 vouchers expired');
    const year = localToday(expired[0]?.created_at as Date).slice(0, 4);
    const page = unescaped(
      (await funder.page(`/pass/tableau-de-bord?programme=${closedProgramme}&annee=${year}`)).html,
    );
    assert.match(page, /<th scope="row">Chèques expirés<\/th><td class="num">12<\/td>/);
    const home = unescaped((await funder.page('/espace')).html);
    assert.match(home, /Avoirs de fin de validité du pass numérique/);
    assert.match(home, new RegExp(`href="/pass/programmes/${closedProgramme}/cloture"`));
    assert.match(home, /avoir de 120,00/);
  });

  it('answers 404 for another funder’s programme or an unknown one, never a 500', async () => {
    const funder = await demoSessionBrowser(app, t.db, 'financeur.demo@example.org');
    for (const path of [
      `/pass/tableau-de-bord?programme=${otherProgramme}`,
      `/pass/tableau-de-bord/programmes.csv?programme=${otherProgramme}`,
      '/pass/tableau-de-bord?programme=pas-un-programme',
      '/pass/tableau-de-bord?programme=00000000-0000-4000-8000-000000000000',
    ]) {
      const res = await funder.request(path);
      await res.arrayBuffer();
      assert.equal(res.status, 404, path);
    }
    // The coordinators see every programme.
    const coordinator = await demoSessionBrowser(app, t.db, 'coordination.demo@example.org');
    assert.equal(
      (await coordinator.request(`/pass/tableau-de-bord?programme=${otherProgramme}`)).status,
      200,
    );
  });

  it('refuses a period in the wrong order or in the future with a French message naming the field (422)', async () => {
    const funder = await demoSessionBrowser(app, t.db, 'financeur.demo@example.org');
    const wrong = await funder.request('/pass/tableau-de-bord?du=31/03/2026&au=01/03/2026');
    assert.equal(wrong.status, 422);
    assert.match(unescaped(await wrong.text()), /Au : le dernier jour est avant le premier/);
    const future = await funder.request('/pass/tableau-de-bord/programmes.csv?annee=2099');
    assert.equal(future.status, 422);
    assert.match(unescaped(await future.text()), /Année : 2099 n’a pas commencé/);
    const notAYear = await funder.request('/pass/tableau-de-bord?annee=deux-mille');
    assert.equal(notAYear.status, 422);
    assert.match(unescaped(await notAYear.text()), /Année : « deux-mille » n’est pas une année/);
  });

  it('shows a place’s staff its booklets and redemptions, never the programmes’ figures', async () => {
    const staff = await demoSessionBrowser(app, t.db, 'mediation.demo@example.org');
    const page = await staff.page(`/pass/tableau-de-bord?${period}`);
    assert.equal(page.res.status, 200);
    const html = unescaped(page.html);
    assert.doesNotMatch(html, /id="programmes"/);
    assert.match(html, /<h2 id="carnets">Mes carnets/);
    assert.match(html, /<h2 id="encaissements">Mes encaissements/);
    assert.match(html, /href="\/pass\/releves\/[0-9a-f-]{36}"/, 'its statements link to their pages');
    noPersonalData(html);
    assert.equal((await staff.request(`/pass/tableau-de-bord/programmes.csv?${period}`)).status, 403);
    const booklets = await staff.request(`/pass/tableau-de-bord/carnets.csv?${period}`);
    assert.equal(booklets.status, 200);
    const text = await booklets.text();
    // The demo structure received 4 booklets and handed out 2.
    assert.ok(text.split('\r\n').includes('période;total;carnets reçus;4'), text);
    assert.ok(text.split('\r\n').includes('période;total;carnets remis;2'));
    noPersonalData(text);
    const redemptions = await staff.request(`/pass/tableau-de-bord/encaissements.csv?${period}`);
    assert.equal(redemptions.status, 200);
    noPersonalData(await redemptions.text());
  });

  it('lists the statements to pay on the funder’s home page, linked to the dashboard', async () => {
    const funder = await demoSessionBrowser(app, t.db, 'financeur.demo@example.org');
    const home = unescaped((await funder.page('/espace')).html);
    assert.match(home, /Relevés du pass numérique à payer/);
    assert.match(home, /href="\/pass\/tableau-de-bord"/);
    const hub = unescaped((await funder.page('/pass')).html);
    assert.match(hub, /href="\/pass\/tableau-de-bord"/, 'the pass page links to its dashboard');
  });
});
