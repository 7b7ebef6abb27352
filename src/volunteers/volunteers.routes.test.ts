import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { testApp } from '../../test/support/app.ts';
import { type CookieBrowser, cookieBrowser } from '../../test/support/cookie-browser.ts';
import { demoSessionBrowser } from '../../test/support/demo-sessions.ts';
import { closeTestTemplate, createDemoTestDb, type TestDb } from '../../test/support/test-db.ts';
import { removeDemo } from '../demo/demo.service.ts';

after(closeTestTemplate);

const SYSTEM = { kind: 'system' } as const;
const PASSWORD = 'une phrase de passe solide';

const SIGN_UP = {
  nom: 'Nina Bénévole',
  email: 'nina@example.org',
  telephone: '',
  mot_de_passe: PASSWORD,
  confirmation: PASSWORD,
  disponibilites: ['mar_matin', 'jeu_matin'],
  competences: ['demarches'],
  communes: 'Orléans',
  charte: 'oui',
};

describe('volunteering over HTTP', () => {
  let t: TestDb;
  let app: ReturnType<typeof testApp>;
  let coordinator: CookieBrowser;
  let mediator: CookieBrowser;
  let funder: CookieBrowser;
  let placeOfMediator = '';
  const count = async (table: 'volunteer' | 'mission' | 'mission_match' | 'person') =>
    Number(
      (
        await t.db
          .selectFrom(table)
          .select((eb) => eb.fn.countAll<string>().as('n'))
          .executeTakeFirstOrThrow()
      ).n,
    );
  before(async () => {
    t = await createDemoTestDb();
    app = testApp(t.db, { TERRITORY: 'epci:244500468' });
    coordinator = await demoSessionBrowser(app, t.db, 'coordination.demo@example.org');
    mediator = await demoSessionBrowser(app, t.db, 'mediation.demo@example.org');
    funder = await demoSessionBrowser(app, t.db, 'financeur.demo@example.org');
    const form = await mediator.page('/benevolat/missions/nouvelle');
    placeOfMediator = /<option value="([0-9a-f-]{36})"/.exec(form.html)?.[1] ?? '';
    assert.ok(placeOfMediator, 'the form lists the structure’s places');
  });
  after(async () => t.close());

  it('lists the open missions to everybody, without naming any volunteer', async () => {
    const { res, html } = await cookieBrowser(app).page('/benevolat');
    assert.equal(res.status, 200);
    assert.match(html, /Accueillir au point numérique/);
    assert.doesNotMatch(html, /Remettre en état des ordinateurs/, 'a draft is not listed');
    assert.doesNotMatch(html, /Claude|Yanis|Marie|benevole\.demo/);
  });

  it('refuses a sign-up without availability, naming the field, and writes nothing', async () => {
    const before = [await count('person'), await count('volunteer')];
    const anonymous = cookieBrowser(app);
    const res = await anonymous.post('/benevolat/inscription', '/benevolat/inscription', {
      ...SIGN_UP,
      disponibilites: [],
    });
    assert.equal(res.status, 400);
    const html = await res.text();
    assert.match(html, /Disponibilités : cochez au moins une demi-journée/);
    assert.match(html, /href="#disponibilites"/);
    assert.match(html, /value="nina@example.org"/, 'the form keeps what was typed');
    assert.deepEqual([await count('person'), await count('volunteer')], before);
  });

  it('refuses a second sign-up with an address already used, in French', async () => {
    const res = await cookieBrowser(app).post('/benevolat/inscription', '/benevolat/inscription', {
      ...SIGN_UP,
      email: 'BENEVOLE.demo@example.org',
    });
    assert.equal(res.status, 400);
    assert.match(await res.text(), /Adresse e-mail : un compte existe déjà avec cette adresse e-mail/);
  });

  it('limits sign-ups per client address (each makes an account), saying so in French with a 429', async () => {
    const limited = testApp(t.db, {
      TERRITORY: 'epci:244500468',
      LIMIT_REGISTRATIONS_PER_ADDRESS_PER_HOUR: '1',
    });
    const send = (email: string) =>
      cookieBrowser(limited, { address: '198.51.100.9' }).post(
        '/benevolat/inscription',
        '/benevolat/inscription',
        {
          ...SIGN_UP,
          email,
        },
      );
    const people = await count('person');
    assert.equal((await send('premiere.limite@example.org')).status, 303);
    const second = await send('seconde.limite@example.org');
    assert.equal(second.status, 429);
    assert.match(await second.text(), /Trop d’inscriptions depuis cet appareil \(au plus 1 par heure\)/);
    assert.equal(await count('person'), people + 1, 'the second account is not made');
  });

  it('signs a volunteer up and in; the coordinator validates them; they ask to join a mission', async () => {
    const nina = cookieBrowser(app);
    const res = await nina.post('/benevolat/inscription', '/benevolat/inscription', SIGN_UP);
    assert.equal(res.status, 303);
    assert.equal(res.headers.get('Location'), '/benevolat/mon-espace?fait=inscrit');
    const mine = await nina.page('/benevolat/mon-espace?fait=inscrit');
    assert.match(mine.html, /attend la validation de la coordination/);
    const list = await coordinator.page('/benevolat/benevoles');
    assert.match(list.html, /Nina Bénévole/);
    const id = (
      await t.db.selectFrom('volunteer').select('person_id').where('state', '=', 'pending').execute()
    )
      .map((r) => r.person_id)
      .find((pid) => list.html.includes(`/benevolat/benevoles/${pid}/valider`) && pid);
    const row = await t.db
      .selectFrom('person')
      .select('id')
      .where('email', '=', 'nina@example.org')
      .executeTakeFirstOrThrow();
    assert.ok(id);
    const validated = await coordinator.post(
      '/benevolat/benevoles',
      `/benevolat/benevoles/${row.id}/valider`,
      {},
    );
    assert.equal(validated.status, 303);
    const mission = await t.db
      .selectFrom('mission')
      .select('id')
      .where('title', '=', 'Accueillir au point numérique')
      .executeTakeFirstOrThrow();
    const asked = await nina.post(
      `/benevolat/missions/${mission.id}`,
      `/benevolat/missions/${mission.id}/demander`,
      {},
    );
    assert.equal(asked.status, 303);
    // The structure sees Nina's name and contact now that a request involves her.
    const page = await mediator.page(`/benevolat/missions/${mission.id}`);
    assert.match(page.html, /Nina Bénévole/);
    assert.match(page.html, /nina@example\.org/);
    // Another structure's member, a funder, an anonymous visitor: the mission, no volunteer.
    for (const b of [funder, cookieBrowser(app)]) {
      const other = await b.page(`/benevolat/missions/${mission.id}`);
      assert.equal(other.res.status, 200);
      assert.doesNotMatch(other.html, /Nina|nina@example|Yanis/);
    }
  });

  it('refuses a mission with no place or an end before its start, naming the fields, writing nothing', async () => {
    const before = await count('mission');
    const res = await mediator.post('/benevolat/missions/nouvelle', '/benevolat/missions/nouvelle', {
      titre: 'Aider aux démarches',
      description: 'Accompagner.',
      lieu: '',
      debut: '2027-03-01',
      fin: '2027-02-01',
      competences: 'demarches',
      engagement: 'one_off',
      public: 'tous',
      places: '2',
    });
    assert.equal(res.status, 400);
    const html = await res.text();
    assert.match(html, /Lieu : choisissez le lieu de la mission/);
    assert.match(html, /Date de fin : la fin \(2027-02-01\) est avant le début \(2027-03-01\)/);
    assert.equal(await count('mission'), before);
    const ok = await mediator.post('/benevolat/missions/nouvelle', '/benevolat/missions/nouvelle', {
      titre: 'Aider aux démarches',
      description: 'Accompagner.',
      lieu: placeOfMediator,
      debut: '2027-03-01',
      fin: '2027-03-01',
      competences: 'demarches',
      engagement: 'one_off',
      public: 'tous',
      places: '2',
    });
    assert.equal(ok.status, 303);
    assert.match(ok.headers.get('Location') ?? '', /^\/benevolat\/missions\/[0-9a-f-]{36}\?fait=publiee$/);
  });

  it('answers malformed or unknown ids with a French 4xx, never a 500', async () => {
    const volunteer = await demoSessionBrowser(app, t.db, 'benevole.demo@example.org');
    const cases: [CookieBrowser, string, 'GET' | 'POST', Record<string, string>][] = [
      [cookieBrowser(app), '/benevolat/missions/pas-un-id', 'GET', {}],
      [cookieBrowser(app), '/benevolat/missions/00000000-0000-4000-8000-000000000000', 'GET', {}],
      [mediator, '/benevolat/missions/pas-un-id/proposer', 'POST', { benevole: 'x' }],
      [mediator, '/benevolat/candidatures/%27%3B--/repondre', 'POST', { reponse: 'accepter' }],
      [mediator, '/benevolat/candidatures/pas-un-id/terminer', 'POST', {}],
      [coordinator, '/benevolat/benevoles/pas-un-id/valider', 'POST', {}],
      [volunteer, '/benevolat/propositions/pas-un-id/repondre', 'POST', { reponse: 'accepter' }],
      [volunteer, '/benevolat/propositions/pas-un-id/retirer', 'POST', {}],
      [volunteer, '/benevolat/missions/pas-un-id/demander', 'POST', {}],
    ];
    for (const [b, path, method, form] of cases) {
      const res = method === 'GET' ? await b.request(path) : await b.post('/compte', path, form);
      const html = await res.text();
      assert.ok(res.status >= 400 && res.status < 500, `${method} ${path}: ${res.status}`);
      assert.match(html, /n’existe pas/, `${method} ${path}`);
    }
    // A proposal answered with a word that is not an answer: the field is named.
    const proposal = await t.db
      .selectFrom('mission_match')
      .select('id')
      .where('origin', '=', 'structure')
      .where('state', '=', 'proposed')
      .executeTakeFirstOrThrow();
    const res = await volunteer.post('/compte', `/benevolat/propositions/${proposal.id}/repondre`, {
      reponse: 'peut-être',
    });
    assert.equal(res.status, 400);
    assert.match(await res.text(), /Réponse : choisissez « Accepter » ou « Refuser »/);
  });

  it('keeps the volunteers’ list to the coordinator and the volunteer’s page to volunteers', async () => {
    for (const b of [mediator, funder]) {
      assert.equal((await b.request('/benevolat/benevoles')).status, 403);
      assert.equal((await b.request('/benevolat/mon-espace')).status, 403);
    }
  });

  it('removes the demonstration’s missions and volunteers with `demo remove`', async () => {
    await removeDemo(t.db, SYSTEM);
    const demo = await t.db.selectFrom('mission').select('id').where('is_demo', '=', true).execute();
    assert.deepEqual(demo, []);
    const people = await t.db
      .selectFrom('volunteer')
      .select('person_id')
      .where('is_demo', '=', true)
      .execute();
    assert.deepEqual(people, []);
  });
});
