import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { testApp } from '../../test/support/app.ts';
import type { CookieBrowser } from '../../test/support/cookie-browser.ts';
import { demoSessionBrowser } from '../../test/support/demo-sessions.ts';
import { handOver, type PassProgramme, setUpPassProgramme } from '../../test/support/pass-fixtures.ts';
import { closeTestTemplate, createDemoTestDb, type TestDb } from '../../test/support/test-db.ts';
import { formatVoucherCode } from './voucher-code.ts';

const NEXT_YEAR = new Date().getUTCFullYear() + 1;

after(closeTestTemplate);

describe("a prescriber's booklets over HTTP", () => {
  let t: TestDb;
  let app: ReturnType<typeof testApp>;
  let pass: PassProgramme;
  let staff: CookieBrowser;
  before(async () => {
    t = await createDemoTestDb();
    app = testApp(t.db, { TERRITORY: 'epci:244500468' });
    pass = await setUpPassProgramme(t.db, { booklets: 5, validUntil: `31/12/${NEXT_YEAR}` });
    staff = await demoSessionBrowser(app, t.db, 'mediation.demo@example.org');
  });
  after(async () => {
    await t.close();
  });
  const booklet = (i: number) => pass.booklets[i] as { id: string; number: number };

  it('lists the booklets of the structure with their stage and links, never cached', async () => {
    const { res, html } = await staff.page('/pass/carnets');
    assert.equal(res.status, 200);
    assert.equal(res.headers.get('Cache-Control'), 'no-store');
    assert.match(
      html,
      new RegExp(`<a href="/pass/carnets/${booklet(0).id}">Carnet n° ${booklet(0).number}</a>`),
    );
    assert.match(html, /Pass numérique de démonstration/);
    assert.match(html, /À remettre à une personne/);
    const other = await demoSessionBrowser(app, t.db, 'autre-structure.demo@example.org');
    const theirs = await other.page('/pass/carnets');
    assert.equal(theirs.res.status, 200);
    assert.ok(!theirs.html.includes(booklet(0).id), 'another structure does not see these booklets');
    assert.equal((await other.request(`/pass/carnets/${booklet(0).id}`)).status, 403);
  });

  it('refuses a hand-over without the declaration, naming the checkbox, and keeps what was typed', async () => {
    const path = `/pass/carnets/${booklet(0).id}`;
    const { html } = await staff.page(path);
    assert.match(html, /La personne habite dans le périmètre du programme \(périmètre : Orléans Métropole/);
    const res = await staff.post(path, `${path}/remise`, { ageBand: '60_74', commune: 'Saran' });
    assert.equal(res.status, 422);
    const page = await res.text();
    assert.match(page, /Cochez la case : vous déclarez que la personne habite dans le périmètre/);
    assert.match(page, /href="#declared"/);
    assert.match(page, /<option value="60_74" selected="">/);
    assert.match(page, /name="commune"[^>]*value="Saran"|value="Saran"[^>]*name="commune"/);
  });

  it('refuses a commune outside the perimeter, and an unknown one, in French', async () => {
    const path = `/pass/carnets/${booklet(0).id}`;
    const outside = await staff.post(path, `${path}/remise`, { declared: 'oui', commune: 'Tours' });
    assert.equal(outside.status, 422);
    assert.match(
      await outside.text(),
      /Tours n&#39;est pas dans le périmètre du programme|Tours n'est pas dans le périmètre du programme/,
    );
    const unknown = await staff.post(path, `${path}/remise`, { declared: 'oui', commune: 'Zzzyx' });
    assert.equal(unknown.status, 422);
    assert.match(await unknown.text(), /La commune « Zzzyx » n(&#39;|')est pas reconnue/);
  });

  it('records the hand-over with the declaration, then offers the letter, which lists the nearest places', async () => {
    const path = `/pass/carnets/${booklet(0).id}`;
    const res = await staff.post(path, `${path}/remise`, {
      declared: 'oui',
      ageBand: '25_59',
      commune: 'Saran',
    });
    assert.equal(res.status, 303);
    assert.equal(res.headers.get('Location'), `${path}?fait=remis`);
    const { html } = await staff.page(`${path}?fait=remis`);
    assert.match(html, /La remise est enregistrée/);
    assert.match(html, /Remis à une personne le/);
    assert.ok(!html.includes(`action="${path}/remise"`), 'no second hand-over');
    assert.match(html, new RegExp(`href="${path}/lettre"`));
    const again = await staff.post(path, `${path}/remise`, { declared: 'oui' });
    assert.equal(again.status, 422);
    assert.match(await again.text(), /Ce carnet a déjà été remis à une personne le/);

    const letter = await staff.page(`${path}/lettre`);
    assert.equal(letter.res.status, 200);
    assert.equal(letter.res.headers.get('Cache-Control'), 'no-store');
    assert.match(letter.html, /<h1>Votre pass numérique<\/h1>/);
    assert.match(letter.html, /un carnet de <strong>5 chèques<\/strong>/);
    assert.match(letter.html, /Chaque chèque vaut <strong>10,00\u00a0€<\/strong>/);
    assert.match(
      letter.html,
      new RegExp(`Utilisez vos chèques au plus tard le <strong>31 décembre ${NEXT_YEAR}</strong>`),
    );
    assert.match(letter.html, /Les lieux les plus proches de Saran :/);
    assert.ok(
      letter.html.includes(pass.placeName.replace(/'/g, '&#39;')) || letter.html.includes(pass.placeName),
    );
    assert.match(letter.html, /\(à (moins de 1|\d+)\u00a0km\)/);
    assert.ok(!/Sam|Alex|médiation\)/.test(letter.html.split('<main')[1] ?? ''), 'no name of a person');
  });

  it('refuses the letter of a booklet not handed over yet', async () => {
    const res = await staff.request(`/pass/carnets/${booklet(1).id}/lettre`);
    assert.equal(res.status, 409);
    assert.match(await res.text(), /la lettre s(&#39;|')imprime après la remise/);
  });

  it('prints a booklet: each voucher with its code in groups and a QR code to the redemption page', async () => {
    const { res, html } = await staff.page(`/pass/carnets/${booklet(1).id}/imprimer`);
    assert.equal(res.status, 200);
    assert.equal(res.headers.get('Cache-Control'), 'no-store');
    const codes = (await staff.page(`/pass/carnets/${booklet(1).id}`)).html;
    assert.ok(codes);
    const printed = [...html.matchAll(/<p class="voucher-code">([0-9A-Z-]+)<\/p>/g)].map((m) => m[1]);
    assert.equal(printed.length, 5);
    for (const code of printed) assert.match(code ?? '', /^[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{3}-[0-9A-Z]{3}$/);
    assert.equal((html.match(/<svg [^>]*class="qr"/g) ?? []).length, 5);
    assert.match(html, new RegExp(`aria-label="Code QR du chèque ${printed[0]}"`));
  });

  it('cancels a lost booklet with a reason, and refuses without one', async () => {
    const path = `/pass/carnets/${booklet(2).id}`;
    const empty = await staff.post(path, `${path}/annuler`, { reason: '' });
    assert.equal(empty.status, 422);
    assert.match(await empty.text(), /Indiquez la raison de l(&#39;|')annulation/);
    const done = await staff.post(path, `${path}/annuler`, { reason: 'carnet perdu' });
    assert.equal(done.status, 303);
    const { html } = await staff.page(`${path}?fait=annule`);
    assert.match(html, /Le carnet est annulé/);
    assert.match(html, /carnet perdu/);
    assert.ok(!html.includes(`${path}/annuler"`), 'no second cancellation form');
  });

  it('answers a malformed booklet id or form with a French page, never a 500', async () => {
    assert.equal((await staff.request('/pass/carnets/pas-un-id')).status, 404);
    assert.equal((await staff.request('/pass/carnets/pas-un-id/lettre')).status, 404);
    assert.equal((await staff.request('/pass/carnets/pas-un-id/imprimer')).status, 404);
    const path = `/pass/carnets/${booklet(3).id}`;
    const res = await staff.post(path, `${path}/remise`, {
      declared: ['oui', 'x'],
      ageBand: '<script>',
      commune: 'x'.repeat(5000),
    });
    assert.equal(res.status, 422);
    assert.match(await res.text(), /Cette tranche d(&#39;|')âge n(&#39;|')existe pas/);
    const bad = await staff.post(path, '/pass/carnets/pas-un-id/remise', { declared: 'oui' });
    assert.equal(bad.status, 404);
  });

  it('shows codes only to those who hold the booklet', async () => {
    const codes = await handOver(t.db, booklet(3).id);
    const funder = await demoSessionBrowser(app, t.db, 'financeur.demo@example.org');
    const res = await funder.request(`/pass/carnets/${booklet(3).id}/imprimer`);
    assert.equal(res.status, 403);
    assert.ok(!(await res.text()).includes(formatVoucherCode(codes[0] as string)));
    // Handed over without a commune: the letter's places are the nearest to the prescriber's own places.
    const letter = await staff.page(`/pass/carnets/${booklet(3).id}/lettre`);
    assert.equal(letter.res.status, 200);
    assert.match(letter.html, /Les lieux les plus proches de .+ :<\/h2>/);
    assert.ok(!letter.html.includes('Des lieux où aller'));
  });
});
