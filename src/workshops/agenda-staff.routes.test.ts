import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { DEMO_EMAILS } from '../../test/authorization/matrix.ts';
import { testApp } from '../../test/support/app.ts';
import type { CookieBrowser } from '../../test/support/cookie-browser.ts';
import { demoSessionBrowser } from '../../test/support/demo-sessions.ts';
import { closeTestTemplate, createDemoTestDb, type TestDb } from '../../test/support/test-db.ts';
import { insertOccurrences, insertRegistration, insertWorkshop } from './workshops.repository.ts';
import { removeDemoWorkshops } from './workshops-demo.service.ts';

after(closeTestTemplate);

describe("the structure's agenda pages over HTTP", () => {
  let t: TestDb;
  let app: ReturnType<typeof testApp>;
  let staff: CookieBrowser;
  let other: CookieBrowser;
  let dateId = '';
  let laterId = '';
  let nadia = '';
  let paul = '';
  before(async () => {
    t = await createDemoTestDb();
    // The demonstration's agenda is not this test's: its own workshop and people only.
    await removeDemoWorkshops(t.db, { kind: 'system' });
    app = testApp(t.db);
    const structure = await t.db
      .selectFrom('membership')
      .innerJoin('person', 'person.id', 'membership.person_id')
      .select('membership.structure_id')
      .where('person.email', '=', DEMO_EMAILS.staff)
      .executeTakeFirstOrThrow();
    const now = new Date();
    const w = await insertWorkshop(t.db, {
      structure_id: structure.structure_id,
      title: 'Atelier du matin',
      needs: ['smartphone'],
      themes: [],
      level: null,
      mode: 'online',
      place_id: null,
      place_name: null,
      commune_code: null,
      online_url: 'https://visio.example.org/matin',
      capacity: 2,
      created_at: now,
      updated_at: now,
    });
    // Started an hour ago: attendance may be taken.
    const [date] = await insertOccurrences(t.db, [
      {
        workshop_id: w.id,
        starts_at: new Date(now.getTime() - 3_600_000),
        ends_at: new Date(now.getTime() + 3_600_000),
        created_at: now,
        updated_at: now,
      },
    ]);
    dateId = date?.id as string;
    const [later] = await insertOccurrences(t.db, [
      {
        workshop_id: w.id,
        starts_at: new Date(now.getTime() + 7 * 86_400_000),
        ends_at: new Date(now.getTime() + 7 * 86_400_000 + 3_600_000),
        created_at: now,
        updated_at: now,
      },
    ]);
    laterId = later?.id as string;
    const person = async (first: string, email: string) =>
      (
        await insertRegistration(t.db, {
          occurrence_id: dateId,
          first_name: first,
          phone: null,
          email,
          created_at: now,
          updated_at: now,
        })
      ).id;
    nadia = await person('Nadia', 'nadia@example.org');
    paul = await person('Paul', 'paul@example.org');
    staff = await demoSessionBrowser(app, t.db, DEMO_EMAILS.staff);
    other = await demoSessionBrowser(app, t.db, DEMO_EMAILS.other_structure);
  });
  after(async () => {
    await t.close();
  });

  const states = async () =>
    Object.fromEntries(
      (await t.db.selectFrom('workshop_registration').select(['first_name', 'state']).execute()).map((r) => [
        r.first_name,
        r.state,
      ]),
    );

  it('lists the workshops, a date’s people and the attendance sheet to the structure’s staff alone', async () => {
    const list = await staff.request('/agenda/gestion');
    assert.equal(list.status, 200);
    assert.equal(list.headers.get('Cache-Control'), 'no-store');
    const html = await list.text();
    assert.match(html, /Atelier du matin/);
    assert.match(html, new RegExp(`href="/agenda/gestion/dates/${dateId}"`));
    const page = await staff.request(`/agenda/gestion/dates/${dateId}`);
    assert.equal(page.status, 200);
    const body = await page.text();
    assert.match(body, /Nadia/);
    assert.match(body, /nadia@example.org/);
    const sheet = await (await staff.request(`/agenda/gestion/dates/${dateId}/emargement`)).text();
    assert.match(sheet, /<h1>Feuille d’émargement<\/h1>/);
    assert.match(sheet, /<td>Nadia<\/td>/);
    // Another structure's staff: refused, nothing of the people shown.
    const refused = await other.request(`/agenda/gestion/dates/${dateId}`);
    assert.equal(refused.status, 403);
    assert.ok(!(await refused.text()).includes('nadia@example.org'));
    // An id nobody may see tells nothing (the service refuses before looking): 403, never a 500.
    for (const path of [
      '/agenda/gestion/dates/pas-un-id',
      '/agenda/gestion/dates/00000000-0000-4000-8000-000000000000',
    ])
      assert.equal((await staff.request(path)).status, 403, path);
  });

  it('takes attendance, refuses a wrong mark, registers someone without contact, removes a registration', async () => {
    const csrf = (await staff.csrf(`/agenda/gestion/dates/${dateId}`)) as string;
    const bad = await staff.request(`/agenda/gestion/dates/${dateId}/presences`, {
      form: { _csrf: csrf, [`presence-${nadia}`]: 'peut-etre' },
    });
    assert.equal(bad.status, 400);
    assert.match(await bad.text(), /Choisissez : présent ou absent/);
    assert.equal((await states()).Nadia, 'registered', 'nothing written');
    const ok = await staff.request(`/agenda/gestion/dates/${dateId}/presences`, {
      form: { _csrf: csrf, [`presence-${nadia}`]: 'present', [`presence-${paul}`]: 'absent' },
    });
    assert.equal(ok.status, 303);
    assert.deepEqual(await states(), { Nadia: 'attended', Paul: 'absent' });

    // Registering on behalf: a first name is needed, a contact is not. The date is full: waiting list.
    const empty = await staff.request(`/agenda/gestion/dates/${dateId}/inscrire`, { form: { _csrf: csrf } });
    assert.equal(empty.status, 400);
    assert.match(await empty.text(), /Donnez un prénom/);
    const started = await staff.request(`/agenda/gestion/dates/${dateId}/inscrire`, {
      form: { _csrf: csrf, prenom: 'Lucie' },
    });
    // The date has started: nobody registers to it any more, said plainly.
    assert.equal(started.status, 400);
    assert.match(await started.text(), /Cette date est passée/);

    // A coming date: Lucie has neither phone nor address; a mediator of another structure registers Sam.
    const lucie = await staff.request(`/agenda/gestion/dates/${laterId}/inscrire`, {
      form: { _csrf: csrf, prenom: 'Lucie' },
    });
    assert.equal(lucie.status, 303);
    assert.equal(lucie.headers.get('Location'), `/agenda/gestion/dates/${laterId}?fait=inscrite`);
    const otherCsrf = (await other.csrf('/compte')) as string;
    const sam = await other.request(`/agenda/gestion/dates/${laterId}/inscrire`, {
      form: { _csrf: otherCsrf, prenom: 'Sam' },
    });
    assert.equal(sam.status, 303);
    const rows = await t.db
      .selectFrom('workshop_registration')
      .select(['first_name', 'state', 'by_mediator', 'phone', 'email'])
      .where('occurrence_id', '=', laterId)
      .orderBy('first_name')
      .execute();
    assert.deepEqual(
      rows.map((r) => `${r.first_name}:${r.state}:${r.by_mediator}:${r.phone}:${r.email}`),
      ['Lucie:registered:true:null:null', 'Sam:registered:true:null:null'],
    );
    const removeByOther = await other.request(`/agenda/gestion/inscriptions/${nadia}/retirer`, {
      form: { _csrf: otherCsrf },
    });
    assert.equal(removeByOther.status, 403);
    const removed = await staff.request(`/agenda/gestion/inscriptions/${paul}/retirer`, {
      form: { _csrf: csrf },
    });
    // Paul was marked absent: a removal is for registered or waiting people only.
    assert.equal(removed.status, 409);
    assert.equal(
      (await staff.request('/agenda/gestion/inscriptions/pas-un-id/retirer', { form: { _csrf: csrf } }))
        .status,
      403,
    );
  });

  it('puts a workshop in the agenda from the form, refusing bad input field by field, nothing written', async () => {
    const form = await staff.request('/agenda/gestion/nouveau');
    assert.equal(form.status, 200);
    const html = await form.text();
    assert.match(html, /<h1>Nouvel atelier<\/h1>/);
    const csrf = /name="_csrf" value="([^"]+)"/.exec(html)?.[1] as string;
    const place = /<option value="([0-9a-f-]{36})"/.exec(
      html.slice(html.indexOf('id="placeId"')),
    )?.[1] as string;
    assert.ok(place, 'the structure’s places are offered');
    const y = new Date().getUTCFullYear() + 1;
    const good = {
      _csrf: csrf,
      title: 'Démarches en ligne',
      need: 'caf',
      mode: 'place',
      placeId: place,
      capacity: '6',
      status: 'confirmed',
      'date-1-debut': `${y}-03-02T14:00`,
      'date-1-fin': '16:00',
    };
    const count = async () =>
      Number(
        (
          await t.db
            .selectFrom('workshop')
            .select(t.db.fn.countAll<number>().as('n'))
            .executeTakeFirstOrThrow()
        ).n,
      );
    const before = await count();
    const refusals: [Record<string, string>, RegExp][] = [
      [{ 'date-1-fin': '13:00' }, /Date 1 : la fin doit venir après le début/],
      [{ capacity: '0' }, /Il faut au moins 1 place/],
      [
        { mode: 'online', onlineUrl: 'javascript:alert(1)' },
        /Le lien doit commencer par http:\/\/ ou https:\/\//,
      ],
      [{ 'date-1-debut': '', 'date-1-fin': '' }, /Ajoutez au moins une date/],
      [{ title: '', need: '' }, /Donnez un titre à l’atelier/],
    ];
    for (const [change, message] of refusals) {
      const res = await staff.request('/agenda/gestion/nouveau', { form: { ...good, ...change } });
      assert.equal(res.status, 400, JSON.stringify(change));
      assert.match(await res.text(), message);
    }
    assert.equal(await count(), before, 'nothing written');
    const ok = await staff.request('/agenda/gestion/nouveau', { form: good });
    assert.equal(ok.status, 303);
    assert.equal(await count(), before + 1);
    assert.match(await (await staff.request('/agenda/gestion?fait=cree')).text(), /Démarches en ligne/);
    // Another structure's id in the form: refused.
    const otherCsrf = (await other.csrf('/compte')) as string;
    const theirs = await other.request('/agenda/gestion/nouveau', {
      form: {
        ...good,
        _csrf: otherCsrf,
        structure: /name="structure" value="([^"]+)"/.exec(html)?.[1] as string,
      },
    });
    assert.equal(theirs.status, 403);
  });

  it('cancels a date, then the workshop, each after a confirmation page; another structure may not', async () => {
    const csrf = (await staff.csrf('/agenda/gestion')) as string;
    const ask = await staff.request(`/agenda/gestion/dates/${laterId}/annuler`, { form: { _csrf: csrf } });
    assert.equal(ask.status, 200);
    const askHtml = await ask.text();
    assert.match(askHtml, /<h1>Annuler une date<\/h1>/);
    assert.match(askHtml, /les autres dates restent/);
    const dateState = async () =>
      (
        await t.db
          .selectFrom('workshop_occurrence')
          .select('status')
          .where('id', '=', laterId)
          .executeTakeFirstOrThrow()
      ).status;
    assert.equal(await dateState(), 'scheduled', 'nothing cancelled before the confirmation');
    const otherCsrf = (await other.csrf('/compte')) as string;
    const theirs = await other.request(`/agenda/gestion/dates/${laterId}/annuler`, {
      form: { _csrf: otherCsrf, confirme: 'oui' },
    });
    assert.equal(theirs.status, 403);
    const done = await staff.request(`/agenda/gestion/dates/${laterId}/annuler`, {
      form: { _csrf: csrf, confirme: 'oui' },
    });
    assert.equal(done.status, 303);
    assert.equal(await dateState(), 'cancelled');
    const occurrence = await t.db
      .selectFrom('workshop_occurrence')
      .select('workshop_id')
      .where('id', '=', laterId)
      .executeTakeFirstOrThrow();
    const ws = await staff.request(`/agenda/gestion/ateliers/${occurrence.workshop_id}/annuler`, {
      form: { _csrf: csrf },
    });
    assert.match(await ws.text(), /toutes ses dates à venir seront annulés/);
    const wsDone = await staff.request(`/agenda/gestion/ateliers/${occurrence.workshop_id}/annuler`, {
      form: { _csrf: csrf, confirme: 'oui' },
    });
    assert.equal(wsDone.status, 303);
    const w = await t.db
      .selectFrom('workshop')
      .select('status')
      .where('id', '=', occurrence.workshop_id)
      .executeTakeFirstOrThrow();
    assert.equal(w.status, 'cancelled');
  });
});
