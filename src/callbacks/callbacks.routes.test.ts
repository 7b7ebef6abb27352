import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { testApp } from '../../test/support/app.ts';
import { cookieBrowser, csrfOf } from '../../test/support/cookie-browser.ts';
import { demoSessionBrowser } from '../../test/support/demo-sessions.ts';
import { closeTestTemplate, createDemoTestDb, type TestDb } from '../../test/support/test-db.ts';
import { PREFS_COOKIE, prefsCookieValue } from '../web/prefs.ts';

after(closeTestTemplate);

/** The form's fields, as a person fills them in (the day: "as soon as possible"). */
const FILLED = {
  prenom: 'Nadia',
  telephone: '06 12 34 56 78',
  jour: '',
  moment: 'indifferent',
  accord: 'oui',
};

describe('"Être rappelé" over HTTP', () => {
  let t: TestDb;
  let app: ReturnType<typeof testApp>;
  let place: string;
  let other: string;
  before(async () => {
    t = await createDemoTestDb();
    app = testApp(t.db, { LIMIT_CALLBACKS_PER_ADDRESS_PER_HOUR: '3' });
    // A demonstration place of the structure of admin.demo and mediation.demo.
    const row = await t.db
      .selectFrom('place')
      .innerJoin('membership', 'membership.structure_id', 'place.structure_id')
      .innerJoin('person', 'person.id', 'membership.person_id')
      .select('place.id')
      .where('person.email', '=', 'mediation.demo@example.org')
      .orderBy('place.nom')
      .executeTakeFirstOrThrow();
    place = row.id;
    other = (
      await t.db
        .selectFrom('place')
        .select('id')
        .where('id', '!=', place)
        .orderBy('nom')
        .executeTakeFirstOrThrow()
    ).id;
  });
  after(async () => {
    await t.close();
  });

  /** Posts the form of `path` from a fresh visitor at `address`. */
  const ask = async (path: string, fields: Record<string, string>, address: string) => {
    const visitor = cookieBrowser(app, { address });
    const html = await (await visitor.request(path)).text();
    const res = await visitor.request(path, { form: { _csrf: csrfOf(html), ...fields } });
    return { res, html: await res.text() };
  };

  it('links a place sheet to its form, which says who calls, the days, and why we ask', async () => {
    const visitor = cookieBrowser(app);
    const sheet = await (await visitor.request(`/lieux/${place}`)).text();
    assert.match(sheet, new RegExp(`<a href="/lieux/${place}/rappel">Être rappelé</a>`));
    // Nobody promises that "the place" calls: with nobody of its structure in Maillage, the network does.
    assert.ok(sheet.includes('Être rappelé</a> : laissez votre numéro, une personne vous rappelle.'));
    assert.ok(!sheet.includes('le lieu vous appelle'));
    const res = await visitor.request(`/lieux/${place}/rappel`);
    assert.equal(res.status, 200);
    assert.equal(res.headers.get('Cache-Control'), 'no-store');
    const html = await res.text();
    assert.match(html, /<h1>Être rappelé par /);
    assert.match(
      html,
      /name="prenom"[^>]*autocomplete="given-name"|autocomplete="given-name"[^>]*name="prenom"/,
    );
    assert.match(html, /type="tel"/);
    assert.match(html, /<option value="" selected="">Dès que possible<\/option>/);
    assert.ok((html.match(/<option value="\d{4}-\d{2}-\d{2}"/g) ?? []).length >= 3, 'days to choose from');
    assert.match(html, /Pourquoi nous demandons cela/);
    assert.match(html, /effacés 30 jours après votre demande/);
    const unknown = await visitor.request('/lieux/00000000-0000-4000-8000-000000000000/rappel');
    assert.equal(unknown.status, 404);
  });

  it('answers a reference and what happens next, and the member sees the request on /rappels', async () => {
    const { res, html } = await ask(`/lieux/${place}/rappel`, FILLED, '192.0.2.10');
    assert.equal(res.status, 200);
    assert.equal(res.headers.get('Cache-Control'), 'no-store');
    const reference = /<strong class="callback-ref">([A-Z0-9]{6})<\/strong>/.exec(html)?.[1];
    assert.ok(reference, 'a reference');
    assert.match(html, /Ce qui va se passer/);
    assert.match(
      html,
      /vous appellera dès que possible, au <strong class="callback-phone">06 12 34 56 78<\/strong>/,
    );
    assert.match(html, /Si personne n’a appelé le [a-z]+ \d+ [a-zéû]+ au soir, appelez le/);

    const staff = await demoSessionBrowser(app, t.db, 'mediation.demo@example.org');
    const list = await (await staff.request('/rappels')).text();
    assert.ok(list.includes(`référence ${reference}`));
    assert.match(list, /Nadia — <a href="tel:\+33612345678" class="callback-phone">06 12 34 56 78<\/a>/);
    const home = await (await staff.request('/espace')).text();
    assert.match(home, /Personnes à rappeler/);

    const id = /action="\/rappels\/([0-9a-f-]{36})"/.exec(list)?.[1] as string;
    const stranger = await demoSessionBrowser(app, t.db, 'autre-structure.demo@example.org');
    assert.ok(!(await (await stranger.request('/rappels')).text()).includes('Nadia'), 'another structure');
    const refused = await stranger.request(`/rappels/${id}`, {
      form: { _csrf: await stranger.csrf('/rappels'), issue: 'done' },
    });
    assert.equal(refused.status, 403);

    const bad = await staff.request(`/rappels/${id}`, { form: { _csrf: csrfOf(list), issue: '<b>x</b>' } });
    assert.equal(bad.status, 400);
    const badHtml = await bad.text();
    assert.match(badHtml, /« &lt;b&gt;x&lt;\/b&gt; » n’est pas un choix/);

    const done = await staff.request(`/rappels/${id}`, { form: { _csrf: csrfOf(list), issue: 'done' } });
    assert.equal(done.status, 303);
    assert.equal(done.headers.get('Location'), '/rappels?fait=done');
    const after = await (await staff.request('/rappels?fait=done')).text();
    assert.match(after, /C’est noté : la personne a été rappelée/);
    assert.match(after, /Traités ces 7 derniers jours/);
    // A query naming a property every object has is no notice (it used to render an empty one).
    for (const word of ['constructor', '__proto__', 'toString', 'hasOwnProperty']) {
      const page = await (await staff.request(`/rappels?fait=${word}`)).text();
      assert.ok(!page.includes('class="notice"'), word);
    }
    const twice = await staff.request(`/rappels/${id}`, { form: { _csrf: csrfOf(list), issue: 'retry' } });
    assert.equal(twice.status, 409);
    assert.match(await twice.text(), /déjà close/);
  });

  it('answers the same reference when the confirmation is reloaded, storing and mailing once', async () => {
    const visitor = cookieBrowser(app, { address: '192.0.2.40' });
    const path = `/lieux/${place}/rappel`;
    const csrf = csrfOf(await (await visitor.request(path)).text());
    const fields = { _csrf: csrf, ...FILLED, telephone: '06 98 76 54 32' };
    const mails = async () =>
      (await t.db.selectFrom('mail_outbox').select('id').where('kind', '=', 'callback_waiting').execute())
        .length;
    const before = await mails();
    const refs: string[] = [];
    for (let i = 0; i < 2; i++) {
      const res = await visitor.request(path, { form: fields }); // the browser posts the form again
      assert.equal(res.status, 200);
      refs.push(/<strong class="callback-ref">([A-Z0-9]{6})<\/strong>/.exec(await res.text())?.[1] ?? '');
    }
    assert.ok(refs[0]);
    assert.equal(refs[1], refs[0]);
    const stored = await t.db
      .selectFrom('callback_request')
      .select('id')
      .where('phone', '=', '+33698765432')
      .execute();
    assert.equal(stored.length, 1);
    const sent = (await mails()) - before;
    assert.ok(sent >= 1, 'the members are mailed');
    // One mail per member, once: as many mails as the place's structure has members.
    const members = await t.db
      .selectFrom('membership')
      .innerJoin('place', 'place.structure_id', 'membership.structure_id')
      .select('membership.person_id')
      .where('place.id', '=', place)
      .execute();
    assert.equal(sent, members.length);
  });

  it('refuses bad input with French messages naming the field and the value, never a 500', async () => {
    const { res, html } = await ask(
      `/lieux/${place}/rappel`,
      {
        prenom: '<script>alert(1)</script>',
        telephone: '12 34 56',
        jour: '2020-01-01',
        moment: 'la nuit',
        accord: '',
      },
      '192.0.2.20',
    );
    assert.equal(res.status, 400);
    assert.ok(!html.includes('<script>alert(1)</script>'), 'inert');
    assert.match(html, /Prénom : « &lt;script&gt;alert\(1\)&lt;\/script&gt; » n’est pas un prénom/);
    assert.match(html, /Numéro de téléphone : « 12 34 56 » n’est pas un numéro français/);
    assert.match(html, /Jour : le mercredi 1 janvier est passé/);
    assert.match(html, /Moment : « la nuit » n’est pas un choix possible/);
    assert.match(html, /Accord : cochez la case/);
    assert.match(html, /<title>Erreur : /);
    assert.match(html, /value="12 34 56"/, 'what was typed is kept');
    const long = await ask(
      '/rappel',
      { ...FILLED, prenom: 'é'.repeat(100_000), telephone: '6'.repeat(100_000) },
      '192.0.2.21',
    );
    assert.equal(long.res.status, 400);
    assert.match(long.html, /Prénom : « é+… » est trop long \(40 signes au plus\)/);
    assert.ok(long.html.length < 60_000, 'nothing long echoed');
    assert.equal(
      (
        await t.db
          .selectFrom('callback_request')
          .select('id')
          .where('first_name', 'like', '%script%')
          .execute()
      ).length,
      0,
    );
  });

  it('limits repeated requests, saying so in plain words and whom to call instead', async () => {
    const statuses: number[] = [];
    let last = '';
    for (let i = 0; i < 4; i++) {
      const { res, html } = await ask('/rappel', { ...FILLED, telephone: `07 00 00 00 1${i}` }, '192.0.2.30');
      statuses.push(res.status);
      last = html;
    }
    assert.deepEqual(statuses, [200, 200, 200, 429]);
    assert.match(last, /<h1>Trop de demandes de rappel<\/h1>/);
    assert.match(last, /Cet appareil a déjà envoyé 3 demandes de rappel dans l’heure/);
    assert.match(last, /réessayez dans une heure/);
    assert.match(
      last,
      /Si c’est pressé, appelez le <a href="tel:0261910000" class="callback-phone"><strong>02 61 91 00 00<\/strong><\/a>/,
    );
    // The same number from elsewhere, for other places: twice a day.
    const again = await ask(
      `/lieux/${place}/rappel`,
      { ...FILLED, telephone: '07 00 00 00 10' },
      '192.0.2.31',
    );
    assert.equal(again.res.status, 200);
    const third = await ask(
      `/lieux/${other}/rappel`,
      { ...FILLED, telephone: '07.00.00.00.10' },
      '192.0.2.32',
    );
    assert.equal(third.res.status, 429);
    assert.match(third.html, /Ce numéro a déjà fait 2 demandes de rappel dans les 24 heures/);
  });

  it('offers the network form on an empty result, and lists it on /donnees-personnelles', async () => {
    const visitor = cookieBrowser(app);
    const empty = await (
      await visitor.request('/recherche?besoin=pix&ou=Saran&public=Femmes&accueil=Surdit%C3%A9&ouvert=oui')
    ).text();
    assert.match(empty, /<a href="\/rappel">Être rappelé par le réseau<\/a>/);
    const form = await (await visitor.request('/rappel')).text();
    assert.match(form, /<h1>Être rappelé par le réseau<\/h1>/);
    assert.match(form, /une personne de la coordination du réseau Maillage vous appellera/);
    const falc = cookieBrowser(app);
    falc.jar.set(
      PREFS_COOKIE,
      prefsCookieValue({ largeText: false, highContrast: false, spacing: false, falc: true }),
    );
    const easySheet = await (await falc.request(`/lieux/${place}`)).text();
    assert.ok(easySheet.includes('Être rappelé</a> : écrivez votre numéro. Une personne vous appelle.'));
    const easyEmpty = await (
      await falc.request('/recherche?besoin=pix&ou=Saran&public=Femmes&accueil=Surdit%C3%A9&ouvert=oui')
    ).text();
    assert.match(
      easyEmpty,
      /Être rappelé par le réseau<\/a> : écrivez votre numéro\. Une personne du réseau vous appelle\./,
    );
    const easy = await (await falc.request('/rappel')).text();
    assert.match(easy, /<h1>Être appelé par le réseau<\/h1>/);
    assert.match(easy, /Une personne de la coordination du réseau Maillage vous appelle une fois\./);
    const easyError = await falc.request('/rappel', {
      form: { _csrf: csrfOf(easy), ...FILLED, moment: '', accord: '' },
    });
    assert.equal(easyError.status, 400);
    const easyErrorHtml = await easyError.text();
    assert.match(easyErrorHtml, /Accord : cochez la case\. Vous êtes d’accord pour être appelé une fois\./);
    assert.match(easyErrorHtml, /Moment : choisissez le matin ou l’après-midi\./);
    const privacy = await (await visitor.request('/donnees-personnelles')).text();
    assert.match(privacy, /Les demandes « Être rappelé »/);
    assert.match(privacy, /Effacées 30 jours après la demande/);
  });
});
