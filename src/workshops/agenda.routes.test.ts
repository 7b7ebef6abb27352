import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { testApp } from '../../test/support/app.ts';
import { cookieBrowser, csrfOf } from '../../test/support/cookie-browser.ts';
import { closeTestTemplate, createTestDb, type TestDb } from '../../test/support/test-db.ts';
import {
  aWorkshop,
  type WorkshopNetwork,
  workshopForm,
  workshopNetwork,
} from '../../test/support/workshop-fixtures.ts';
import { cancelWorkshop, type WorkshopView } from './workshops.service.ts';

after(closeTestTemplate);

const Y = new Date().getUTCFullYear() + 1;

describe('the public agenda over HTTP', () => {
  let t: TestDb;
  let n: WorkshopNetwork;
  let app: ReturnType<typeof testApp>;
  let small: WorkshopView;
  let other: WorkshopView;
  let cancelled: WorkshopView;
  before(async () => {
    t = await createTestDb();
    n = await workshopNetwork(t.db);
    app = testApp(t.db, { PUBLIC_URL: 'https://agenda.example.org' });
    small = await aWorkshop(
      t.db,
      n.facilitator,
      n.a,
      workshopForm(n.placeA, { title: 'Smartphone pour débuter', capacity: '1', needs: ['smartphone'] }),
      [
        { startsAt: `${Y}-01-12T14:00`, endsAt: '16:00' },
        { startsAt: `${Y}-07-06T09:30`, endsAt: '11:00' },
      ],
      new Date(),
    );
    other = await aWorkshop(
      t.db,
      n.other,
      n.b,
      workshopForm(n.placeB, { title: 'Écrire un CV', themes: [], needs: ['cv'], price: '2,50' }),
      [{ startsAt: `${Y}-02-02T10:00`, endsAt: '12:00' }],
      new Date(),
    );
    cancelled = await aWorkshop(
      t.db,
      n.other,
      n.b,
      workshopForm(n.placeB, { title: 'Atelier supprimé' }),
      [{ startsAt: `${Y}-03-02T10:00`, endsAt: '12:00' }],
      new Date(),
    );
    await cancelWorkshop(t.db, n.other, { workshopId: cancelled.id });
  });
  after(async () => {
    await t.close();
  });

  const page = async (path: string) => {
    const res = await app.request(path);
    return { status: res.status, html: await res.text(), res };
  };

  /** Registers through the form as a fresh visitor; returns the answer. */
  const register = async (w: WorkshopView, fields: Record<string, string>, address = '192.0.2.10') => {
    const visitor = cookieBrowser(app, { address });
    const html = await (await visitor.request(`/agenda/ateliers/${w.id}`)).text();
    const res = await visitor.request(`/agenda/ateliers/${w.id}/inscription`, {
      form: { _csrf: csrfOf(html), ...fields },
    });
    return { status: res.status, html: await res.text(), visitor, res };
  };

  it('lists the coming dates, filtered by commune and need like the places', async () => {
    const all = await page('/agenda');
    assert.equal(all.status, 200);
    assert.match(all.html, /Smartphone pour débuter/);
    assert.match(all.html, /Écrire un CV/);
    assert.match(all.html, /Annulé/);
    assert.match(all.html, /action="\/agenda"/);
    assert.match(all.html, /href="\/agenda.ics"/);
    const cv = await page('/agenda?besoin=cv');
    assert.ok(cv.html.includes('Écrire un CV') && !cv.html.includes('Smartphone pour débuter'));
    assert.match(cv.html, /href="\/agenda\/themes\/cv.ics"/);
    const orleans = await page('/agenda?ou=45234');
    assert.match(orleans.html, /<h1>Ateliers près de Orléans<\/h1>/);
    assert.ok(orleans.html.includes('Smartphone pour débuter'));
    const far = await page('/agenda?ou=Brest');
    assert.equal(far.status, 200);
    assert.ok(!far.html.includes('Smartphone pour débuter'));
    const bad = await page('/agenda?besoin=%3Cscript%3E');
    assert.equal(bad.status, 400);
    assert.match(bad.html, /Ce besoin n’est pas dans la liste/);
    assert.ok(!bad.html.includes('<script>'));
  });

  it("lists a place's next workshops on its page, with its feed", async () => {
    const { status, html } = await page(`/lieux/${n.placeA}`);
    assert.equal(status, 200);
    assert.match(html, /<h2>Prochains ateliers<\/h2>/);
    assert.match(html, new RegExp(`<a href="/agenda/ateliers/${small.id}">Smartphone pour débuter</a>`));
    assert.match(html, new RegExp(`href="/agenda/lieux/${n.placeA}.ics"`));
    const b = await page(`/lieux/${n.placeB}`);
    assert.ok(b.html.includes('Écrire un CV') && !b.html.includes('Atelier supprimé'));
  });

  it('shows a workshop: dates and seats, place link, price, public, structure; 404 for bad ids', async () => {
    const { status, html, res } = await page(`/agenda/ateliers/${other.id}`);
    assert.equal(status, 200);
    assert.equal(res.headers.get('Cache-Control'), 'no-store');
    assert.match(html, /<h1>Écrire un CV<\/h1>/);
    assert.match(html, new RegExp(`<a href="/lieux/${n.placeB}">Centre social Nord</a>`));
    assert.match(html, /2,50 €/);
    assert.match(html, /Adultes/);
    assert.match(html, /8 places libres/);
    assert.match(html, /M’inscrire/);
    const gone = await page(`/agenda/ateliers/${cancelled.id}`);
    assert.match(gone.html, /cet atelier n’aura pas lieu/);
    assert.ok(!gone.html.includes('M’inscrire'));
    for (const path of [
      '/agenda/ateliers/pas-un-id',
      '/agenda/ateliers/00000000-0000-4000-8000-000000000000',
      "/agenda/ateliers/'%20or%201=1",
    ])
      assert.equal((await page(path)).status, 404, path);
  });

  it('registers without an account, says full plainly, and refuses bad input field by field', async () => {
    const date = small.dates[0]?.id as string;
    const missing = await register(small, { date, prenom: '', telephone: '', courriel: '' });
    assert.equal(missing.status, 400);
    assert.match(missing.html, /href="#prenom">Donnez un prénom/);
    assert.match(missing.html, /href="#telephone">Donnez un numéro de téléphone ou une adresse e-mail/);
    const badPhone = await register(small, { date, prenom: 'Nadia', telephone: '12', courriel: 'x@' });
    assert.equal(badPhone.status, 400);
    assert.match(badPhone.html, /Ce numéro de téléphone n’est pas valide/);
    assert.match(badPhone.html, /Cette adresse e-mail n’est pas valide/);
    assert.match(badPhone.html, /value="Nadia"/);
    const noDate = await register(small, { prenom: 'Nadia', telephone: '06 12 34 56 78' });
    assert.equal(noDate.status, 400);
    assert.match(noDate.html, /Choisissez une date/);
    // Another workshop's date is not a date of this form.
    const wrong = await register(small, {
      date: other.dates[0]?.id as string,
      prenom: 'N',
      telephone: '0612345678',
    });
    assert.equal(wrong.status, 400);

    const first = await register(small, { date, prenom: 'Nadia', telephone: '06 12 34 56 78', courriel: '' });
    assert.equal(first.status, 200);
    assert.equal(first.res.headers.get('Cache-Control'), 'no-store');
    assert.match(first.html, /<h1>Vous êtes inscrit<\/h1>/);
    const link = /https:\/\/agenda\.example\.org(\/agenda\/annulation\/[A-Za-z0-9_-]{32})/.exec(first.html);
    assert.ok(link, 'the cancellation link is shown once');
    const dup = await register(small, { date, prenom: 'Nadia', telephone: '0612345678' }, '192.0.2.11');
    assert.equal(dup.status, 400);
    assert.match(dup.html, /Ce numéro est déjà inscrit à cette date/);
    // The only seat is taken: the next person is on the waiting list, and told so.
    const second = await register(
      small,
      { date, prenom: 'Paul', courriel: 'paul@example.org' },
      '192.0.2.12',
    );
    assert.equal(second.status, 200);
    assert.match(second.html, /<h1>Vous êtes sur la liste d’attente<\/h1>/);
    assert.match(second.html, /la première personne/);
    assert.ok(!second.html.includes(link[1] as string), 'never someone else’s link');
    const full = await page(`/agenda/ateliers/${small.id}`);
    assert.match(full.html, /Complet : inscription sur liste d’attente/);

    // The link: GET asks, cancels nothing; POST cancels (and Paul gets the seat).
    const visitor = cookieBrowser(app, { address: '192.0.2.13' });
    const ask = await visitor.request(link[1] as string);
    assert.equal(ask.status, 200);
    const askHtml = await ask.text();
    assert.match(askHtml, /Nadia, vous êtes inscrit à/);
    assert.match(askHtml, /Oui, annuler mon inscription/);
    const still = await t.db.selectFrom('workshop_registration').select(['first_name', 'state']).execute();
    assert.deepEqual(still.map((r) => `${r.first_name}:${r.state}`).sort(), [
      'Nadia:registered',
      'Paul:waiting',
    ]);
    const done = await visitor.request(link[1] as string, { form: { _csrf: csrfOf(askHtml) } });
    assert.equal(done.status, 200);
    assert.match(await done.text(), /Inscription annulée/);
    const after = await t.db.selectFrom('workshop_registration').select(['first_name', 'state']).execute();
    assert.deepEqual(after.map((r) => `${r.first_name}:${r.state}`).sort(), [
      'Nadia:cancelled',
      'Paul:registered',
    ]);
    const again = await visitor.request(link[1] as string, { form: { _csrf: csrfOf(askHtml) } });
    assert.equal(again.status, 404);
    assert.equal((await app.request('/agenda/annulation/nimportequoi')).status, 404);
  });

  it('refuses a cancelled workshop, and says the limit per address plainly (429)', async () => {
    // Its page has no form any more: a token from another page of the same visit, as a stale tab would.
    const tab = cookieBrowser(app, { address: '192.0.2.40' });
    const csrf = csrfOf(await (await tab.request(`/agenda/ateliers/${other.id}`)).text());
    const res = await tab.request(`/agenda/ateliers/${cancelled.id}/inscription`, {
      form: {
        _csrf: csrf,
        date: cancelled.dates[0]?.id as string,
        prenom: 'Nadia',
        telephone: '06 12 34 56 70',
      },
    });
    const gone = { status: res.status, html: await res.text() };
    assert.equal(gone.status, 400);
    assert.match(gone.html, /Cet atelier est annulé/);
    const limited = testApp(t.db, { LIMIT_REGISTRATIONS_PER_ADDRESS_PER_HOUR: '1' });
    const visitor = cookieBrowser(limited, { address: '198.51.100.7' });
    const send = async (phone: string) => {
      const html = await (await visitor.request(`/agenda/ateliers/${other.id}`)).text();
      return visitor.request(`/agenda/ateliers/${other.id}/inscription`, {
        form: { _csrf: csrfOf(html), date: other.dates[0]?.id as string, prenom: 'Léa', telephone: phone },
      });
    };
    assert.equal((await send('06 11 11 11 11')).status, 200);
    const second = await send('06 22 22 22 22');
    assert.equal(second.status, 429);
    assert.match(await second.text(), /Trop d’inscriptions depuis cet appareil \(au plus 1 par heure\)/);
  });
});
