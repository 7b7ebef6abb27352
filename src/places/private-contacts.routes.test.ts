import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { testApp } from '../../test/support/app.ts';
import { cookieBrowser } from '../../test/support/cookie-browser.ts';
import { closeTestTemplate, createDemoTestDb, type TestDb } from '../../test/support/test-db.ts';
import { listAudit } from '../audit/audit.service.ts';
import { getReferralContact, seedDemoPrivateContacts } from './private-contacts.service.ts';

after(closeTestTemplate);

const browser = cookieBrowser;

const DISTINCT = {
  directPhone: '02 38 99 77 55',
  referralEmail: 'ligne-secrete-orientation@example.org',
  acceptsOrientations: 'yes',
  instructions: 'Consigne-privée-unique-7f3a : appeler le mardi.',
};

describe('private professional contacts of places', () => {
  let t: TestDb;
  let app: ReturnType<typeof testApp>;
  /** A place of demo structure 0 (where admin.demo and mediation.demo are members). */
  let ownPlace: string;
  /** A place of a structure without members. */
  let otherPlace: string;
  before(async () => {
    t = await createDemoTestDb();
    app = testApp(t.db);
    const own = await t.db
      .selectFrom('place')
      .innerJoin('membership', 'membership.structure_id', 'place.structure_id')
      .innerJoin('person', 'person.id', 'membership.person_id')
      .select('place.id')
      .where('person.email', '=', 'mediation.demo@example.org')
      .orderBy('place.nom')
      .executeTakeFirstOrThrow();
    ownPlace = own.id;
    const other = await t.db
      .selectFrom('place')
      .select('place.id')
      .where(({ not, exists, selectFrom }) =>
        not(
          exists(
            selectFrom('membership')
              .select('person_id')
              .whereRef('membership.structure_id', '=', 'place.structure_id'),
          ),
        ),
      )
      .orderBy('place.nom', 'desc')
      .executeTakeFirstOrThrow();
    otherPlace = other.id;
  });
  after(() => t.close());

  it('seeds demo contacts for the demo structures’ places, a few others, one refusing orientations, once', async () => {
    const rows = await t.db.selectFrom('place_private_contact').selectAll().execute();
    const memberPlaces = await t.db
      .selectFrom('place')
      .select('place.id')
      .where('place.structure_id', 'in', (eb) =>
        eb
          .selectFrom('membership')
          .innerJoin('person', 'person.id', 'membership.person_id')
          .select('membership.structure_id')
          .where('person.is_demo', '=', true),
      )
      .execute();
    assert.ok(memberPlaces.length >= 2, 'structures 0 and 1 have places');
    const ids = new Set(rows.map((r) => r.place_id));
    for (const p of memberPlaces) assert.ok(ids.has(p.id), 'every place of a demo structure has a contact');
    assert.equal(rows.length, memberPlaces.length + 4);
    assert.equal(rows.filter((r) => r.accepts_orientations === 'no').length, 1);
    assert.ok(rows.every((r) => r.referral_email?.endsWith('@example.org')));
    assert.equal(await seedDemoPrivateContacts(t.db), 0, 'seeding again changes nothing');
    const contact = await getReferralContact(t.db, ownPlace);
    assert.equal(contact?.acceptsOrientations, 'yes');
    assert.match(contact?.referralEmail ?? '', /^orientation\..+@example\.org$/);
    assert.equal(await getReferralContact(t.db, 'pas-un-identifiant'), null);
  });

  it('sends anonymous visitors to sign in, refuses a funder, shows it read-only to another structure', async () => {
    const anonymous = await browser(app).request(`/lieux/${ownPlace}/contact-pro`);
    assert.equal(anonymous.status, 303);
    assert.equal(anonymous.headers.get('Location'), '/connexion');

    const funder = browser(app);
    await funder.signIn('financeur.demo@example.org');
    assert.equal((await funder.request(`/lieux/${ownPlace}/contact-pro`)).status, 403);
    // The place's sheet offers the link to visitors (signing in comes first) and to members, not to her.
    const link = `href="/lieux/${ownPlace}/contact-pro"`;
    assert.ok(!(await (await funder.request(`/lieux/${ownPlace}`)).text()).includes(link));
    assert.ok((await (await browser(app).request(`/lieux/${ownPlace}`)).text()).includes(link));

    const other = browser(app);
    await other.signIn('autre-structure.demo@example.org');
    const page = await other.request(`/lieux/${ownPlace}/contact-pro`);
    assert.equal(page.status, 200);
    assert.equal(page.headers.get('Cache-Control'), 'no-store');
    assert.ok((await (await other.request(`/lieux/${ownPlace}`)).text()).includes(link));
    const html = await page.text();
    assert.match(html, /orientation\..+@example\.org/);
    assert.ok(!html.includes('<form method="post" action="/lieux/'), 'no edit form for another structure');
    const refused = await other.request(`/lieux/${ownPlace}/contact-pro`, {
      form: { _csrf: await other.csrf(`/lieux/${ownPlace}/contact-pro`), ...DISTINCT },
    });
    assert.equal(refused.status, 403);
    assert.equal(
      (await other.request('/lieux/00000000-0000-0000-0000-000000000000/contact-pro')).status,
      404,
    );
  });

  it('lets a member of the place’s structure change it, with an audit entry naming the fields', async () => {
    const staff = browser(app);
    await staff.signIn('mediation.demo@example.org');
    const path = `/lieux/${ownPlace}/contact-pro`;
    const saved = await staff.request(path, { form: { _csrf: await staff.csrf(path), ...DISTINCT } });
    assert.equal(saved.status, 303);
    assert.equal(saved.headers.get('Location'), `${path}?enregistre=1`);
    const html = await (await staff.request(`${path}?enregistre=1`)).text();
    assert.match(html, /Le contact est enregistré/);
    assert.match(html, /ligne-secrete-orientation@example\.org/);
    assert.match(html, /href="tel:0238997755"/);
    const contact = await getReferralContact(t.db, ownPlace);
    assert.deepEqual(contact, {
      directPhone: '02 38 99 77 55',
      referralEmail: 'ligne-secrete-orientation@example.org',
      acceptsOrientations: 'yes',
      instructions: 'Consigne-privée-unique-7f3a : appeler le mardi.',
    });
    const [entry] = await listAudit(t.db, { action: 'place.private_contact.updated' });
    assert.equal(entry?.subjectId, ownPlace);
    assert.deepEqual(entry?.details.fields, ['directPhone', 'referralEmail', 'instructions']);

    // The same values again: nothing changes, no new entry.
    await staff.request(path, { form: { _csrf: await staff.csrf(path), ...DISTINCT } });
    assert.equal((await listAudit(t.db, { action: 'place.private_contact.updated' })).length, 1);

    // A place of another structure: refused to staff, allowed to the coordinator.
    const otherPath = `/lieux/${otherPlace}/contact-pro`;
    const refused = await staff.request(otherPath, {
      form: { _csrf: await staff.csrf(otherPath), ...DISTINCT, acceptsOrientations: 'no' },
    });
    assert.equal(refused.status, 403);
    const coordinator = browser(app);
    await coordinator.signIn('coordination.demo@example.org');
    const byCoordinator = await coordinator.request(otherPath, {
      form: { _csrf: await coordinator.csrf(otherPath), ...DISTINCT, acceptsOrientations: 'unknown' },
    });
    assert.equal(byCoordinator.status, 303);
    assert.equal((await getReferralContact(t.db, otherPlace))?.acceptsOrientations, 'unknown');
  });

  it('refuses bad input with messages naming the field and the value, keeps what was typed, keeps HTML inert', async () => {
    const admin = browser(app);
    await admin.signIn('admin.demo@example.org');
    const path = `/lieux/${ownPlace}/contact-pro`;
    const before = await getReferralContact(t.db, ownPlace);
    const res = await admin.request(path, {
      form: {
        _csrf: await admin.csrf(path),
        directPhone: 'appelez-moi',
        referralEmail: '<script>alert(1)</script>',
        acceptsOrientations: 'peut-être',
        instructions: `<img src=x onerror=alert(1)> ${'x'.repeat(1000)}`,
      },
    });
    assert.equal(res.status, 422);
    const html = await res.text();
    assert.match(html, /<title>Erreur : /);
    assert.match(html, /La ligne directe « appelez-moi » n&#39;est pas un numéro de téléphone/);
    assert.match(
      html,
      /L&#39;adresse e-mail pour les orientations « &lt;script&gt;alert\(1\)&lt;\/script&gt; »/,
    );
    assert.match(html, /Choisissez si le lieu accepte les orientations/);
    assert.match(html, /trop long \(1029 caractères\) : 1000 au plus/);
    assert.match(html, /href="#acceptsOrientations-yes"/);
    assert.match(html, /value="appelez-moi"/);
    assert.ok(!html.includes('<script>alert(1)</script>'));
    assert.ok(!html.includes('<img src=x'));
    assert.match(html, /&lt;img src=x onerror=alert\(1\)&gt;/);
    assert.deepEqual(await getReferralContact(t.db, ownPlace), before, 'nothing saved');
  });

  it('never shows the private contact on a public page, the API or an export', async () => {
    const anonymous = browser(app);
    const publicPage = await (await anonymous.request(`/lieux/${ownPlace}`)).text();
    assert.match(
      publicPage,
      new RegExp(`href="/lieux/${ownPlace}/contact-pro"`),
      'the public page links to it',
    );
    assert.match(publicPage, /Contact pour les professionnels \(connexion requise\)/);
    const secrets = [
      'ligne-secrete-orientation',
      '99 77 55',
      '0238997755',
      'Consigne-privée-unique-7f3a',
      'orientation.',
    ];
    const bodies = await Promise.all(
      [
        `/lieux/${ownPlace}`,
        '/lieux',
        '/recherche?ou=Orl%C3%A9ans',
        `/api/v1/lieux/${ownPlace}`,
        '/api/v1/lieux?limit=500',
        '/api/v1/lieux/export',
        '/api/v1/lieux/export?format=csv',
        '/api/v1/lieux/export?format=json',
      ].map(async (path) => [path, await (await anonymous.request(path)).text()] as const),
    );
    for (const [path, body] of bodies) {
      for (const secret of secrets) assert.ok(!body.includes(secret), `${path} shows ${secret}`);
    }
    // A signed-in member gets the same public page: still nothing private on it.
    const staff = browser(app);
    await staff.signIn('mediation.demo@example.org');
    const signedInPage = await (await staff.request(`/lieux/${ownPlace}`)).text();
    for (const secret of secrets) assert.ok(!signedInPage.includes(secret), `public page shows ${secret}`);
  });
});
