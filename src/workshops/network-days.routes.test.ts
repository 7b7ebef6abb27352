import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { DEMO_EMAILS } from '../../test/authorization/matrix.ts';
import { testApp } from '../../test/support/app.ts';
import type { CookieBrowser } from '../../test/support/cookie-browser.ts';
import { demoSessionBrowser } from '../../test/support/demo-sessions.ts';
import { closeTestTemplate, createDemoTestDb, type TestDb } from '../../test/support/test-db.ts';
import { removeDemo } from '../demo/demo.service.ts';

after(closeTestTemplate);

describe('the network days over HTTP', () => {
  let t: TestDb;
  let app: ReturnType<typeof testApp>;
  let coordinator: CookieBrowser;
  let staff: CookieBrowser;
  let demoDay = '';
  let placeId = '';
  let structureId = '';
  before(async () => {
    t = await createDemoTestDb();
    app = testApp(t.db);
    demoDay = (await t.db.selectFrom('network_event').select('id').executeTakeFirstOrThrow()).id;
    const place = await t.db
      .selectFrom('network_event')
      .select(['place_id', 'structure_id'])
      .executeTakeFirstOrThrow();
    placeId = place.place_id as string;
    structureId = place.structure_id;
    coordinator = await demoSessionBrowser(app, t.db, DEMO_EMAILS.coordinator);
    staff = await demoSessionBrowser(app, t.db, DEMO_EMAILS.staff);
  });
  after(async () => {
    await t.close();
  });

  const count = async (table: 'network_event' | 'network_session' | 'workshop' | 'network_track') =>
    Number(
      (await t.db.selectFrom(table).select(t.db.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n,
    );

  it('shows the demo day’s programme by track to anybody, its A4 sheet, and the day on /agenda', async () => {
    const res = await app.request(`/agenda/journees/${demoDay}`);
    assert.equal(res.status, 200);
    const html = await res.text();
    assert.match(html, /<h1>Journée du réseau : Numérique en commun\[s\] local<\/h1>/);
    assert.match(html, /Parcours 1 : Inclusion numérique et politique territoriale/);
    assert.equal((html.match(/<h2 id="parcours-/g) ?? []).length, 4);
    assert.match(html, /href="\/agenda\/ateliers\/[0-9a-f-]{36}"/);
    assert.match(html, /Grande salle/);
    assert.match(html, /120 places libres/);
    const sheet = await (await app.request(`/agenda/journees/${demoDay}/programme`)).text();
    assert.match(sheet, /class="programme-table"/);
    assert.match(sheet, /Programme \(8 séances\)/);
    const agenda = await (await app.request('/agenda')).text();
    assert.match(agenda, /Journées du réseau/);
    assert.match(agenda, new RegExp(`href="/agenda/journees/${demoDay}"`));
    for (const path of [
      '/agenda/journees/pas-un-id',
      '/agenda/journees/00000000-0000-4000-8000-000000000000',
    ])
      assert.equal((await app.request(path)).status, 404, path);
  });

  it('lets a coordinator create a day, a track and a session, refusing bad input in French', async () => {
    const csrf = (await coordinator.csrf('/agenda/gestion/journees/nouvelle')) as string;
    const days = await count('network_event');
    const bad = await coordinator.request('/agenda/gestion/journees/nouvelle', {
      form: { _csrf: csrf, structureId, title: '', day: '2027-13-01', placeId, tracks: 'A\nA' },
    });
    assert.equal(bad.status, 400);
    const badHtml = await bad.text();
    assert.match(badHtml, /Titre : donnez un titre/);
    assert.match(badHtml, /Date : « 2027-13-01 »/);
    assert.equal(await count('network_event'), days);
    const created = await coordinator.request('/agenda/gestion/journees/nouvelle', {
      form: {
        _csrf: csrf,
        structureId,
        title: 'Journée test',
        day: '2099-06-08',
        placeId,
        tracks: 'Parcours A',
      },
    });
    assert.equal(created.status, 303);
    const path = created.headers.get('Location')?.split('?')[0] as string;
    assert.match(path, /^\/agenda\/gestion\/journees\/[0-9a-f-]{36}$/);
    const manage = await coordinator.request(path);
    assert.equal(manage.status, 200);
    const manageHtml = await manage.text();
    assert.match(manageHtml, /Enregistrer dans les activités/);
    const trackId = /<option value="([0-9a-f-]{36})"[^>]*>Parcours A<\/option>/.exec(
      manageHtml,
    )?.[1] as string;
    assert.ok(trackId);
    assert.equal(
      (await coordinator.request(`${path}/parcours`, { form: { _csrf: csrf, name: 'Parcours B' } })).status,
      303,
    );
    const sessions = await count('network_session');
    const session = {
      _csrf: csrf,
      title: 'Table ronde',
      trackId,
      start: '10:00',
      end: '11:00',
      room: 'Salle 1',
      speakers: 'Nadia Benali, centre social',
      theme: 'culture_numerique',
      capacity: '20',
    };
    for (const [over, words] of [
      [{ end: '09:00' }, /Fin : la fin doit venir après le début/],
      [{ start: '2099-06-09 10:00', end: '2099-06-09 11:00' }, /le jour de la journée \(2099-06-08\)/],
      [{ trackId: '00000000-0000-4000-8000-000000000000' }, /Parcours : choisissez un parcours/],
      [{ replayUrl: 'javascript:alert(1)' }, /Lien du replay : le lien doit commencer par http/],
    ] as const) {
      const res = await coordinator.request(`${path}/seances`, { form: { ...session, ...over } });
      assert.equal(res.status, 400);
      assert.match(await res.text(), words);
    }
    assert.equal(await count('network_session'), sessions);
    const added = await coordinator.request(`${path}/seances`, { form: session });
    assert.equal(added.status, 303);
    assert.equal(await count('network_session'), sessions + 1);
    const early = await coordinator.request(`${path}/activite`, { form: { _csrf: csrf } });
    assert.equal(early.status, 409);
    assert.match(await early.text(), /pas encore eu lieu/);
    // The session's form: a replay link that is not http(s) is refused, an https one kept.
    const sessionId = (
      await t.db
        .selectFrom('network_session')
        .select('workshop_id')
        .where('event_id', '=', path.split('/').at(-1) as string)
        .executeTakeFirstOrThrow()
    ).workshop_id;
    const edit = `/agenda/gestion/journees/seances/${sessionId}`;
    assert.equal((await coordinator.request(edit)).status, 200);
    const refused = await coordinator.request(edit, {
      form: { ...session, slidesUrl: 'ftp://x.example.org/a' },
    });
    assert.equal(refused.status, 400);
    assert.match(await refused.text(), /Lien des supports : /);
    const kept = await coordinator.request(edit, {
      form: { ...session, replayUrl: 'https://video.example.org/table-ronde' },
    });
    assert.equal(kept.status, 303);
    const row = await t.db
      .selectFrom('network_session')
      .select('replay_url')
      .where('workshop_id', '=', sessionId)
      .executeTakeFirstOrThrow();
    assert.equal(row.replay_url, 'https://video.example.org/table-ronde');
  });

  it('refuses the coordinator’s pages to a structure’s staff (403) and malformed ids (404), never a 500', async () => {
    assert.equal((await staff.request('/agenda/gestion/journees')).status, 403);
    assert.equal((await staff.request(`/agenda/gestion/journees/${demoDay}`)).status, 403);
    for (const path of [
      '/agenda/gestion/journees/pas-un-id',
      '/agenda/gestion/journees/00000000-0000-4000-8000-000000000000',
      '/agenda/gestion/journees/seances/pas-un-id',
    ])
      assert.equal((await coordinator.request(path)).status, 404, path);
  });

  it('removes the demo day and its sessions with the demonstration data', async () => {
    const demoWorkshops = await t.db
      .selectFrom('network_session')
      .innerJoin('network_event', 'network_event.id', 'network_session.event_id')
      .select('network_session.workshop_id')
      .where('network_event.is_demo', '=', true)
      .execute();
    assert.equal(demoWorkshops.length, 8);
    await removeDemo(t.db, { kind: 'system' });
    assert.equal(
      (await t.db.selectFrom('network_event').select('id').where('is_demo', '=', true).execute()).length,
      0,
    );
    assert.equal(
      (
        await t.db
          .selectFrom('workshop')
          .select('id')
          .where(
            'id',
            'in',
            demoWorkshops.map((w) => w.workshop_id),
          )
          .execute()
      ).length,
      0,
    );
  });
});
