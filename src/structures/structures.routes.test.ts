import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { testApp } from '../../test/support/app.ts';
import { cookieBrowser } from '../../test/support/cookie-browser.ts';
import { closeTestTemplate, createDemoTestDb, type TestDb } from '../../test/support/test-db.ts';
import type { Db } from '../db/database.ts';

after(closeTestTemplate);

/** A browser from one client address (the join requests are limited per client). */
const browser = (app: ReturnType<typeof testApp>, address = '192.0.2.10') => cookieBrowser(app, { address });

async function demo(): Promise<{ t: TestDb; app: ReturnType<typeof testApp>; s0: string; s0Name: string }> {
  const t = await createDemoTestDb();
  const app = testApp(t.db);
  const row = await t.db
    .selectFrom('membership')
    .innerJoin('person', 'person.id', 'membership.person_id')
    .innerJoin('structure', 'structure.id', 'membership.structure_id')
    .select(['structure.id', 'structure.nom'])
    .where('person.email', '=', 'admin.demo@example.org')
    .executeTakeFirstOrThrow();
  return { t, app, s0: row.id, s0Name: row.nom };
}

async function outbox(db: Db, to: string) {
  return db
    .selectFrom('mail_outbox')
    .select(['subject', 'text_body'])
    .where('to_address', '=', to)
    .orderBy('created_at')
    .execute();
}

const personId = async (db: Db, email: string) =>
  (await db.selectFrom('person').select('id').where('email', '=', email).executeTakeFirstOrThrow()).id;

/** Every link of the "Mon travail" list of /compte answers 200 for the person who sees it. */
async function hubLinksAnswer(b: ReturnType<typeof browser>, account: string, who: string) {
  const list = /<h2>Mon travail<\/h2>\s*<ul>([\s\S]*?)<\/ul>/.exec(account)?.[1] ?? '';
  const hrefs = [...list.matchAll(/href="([^"]+)"/g)].map((m) => m[1] as string);
  assert.ok(hrefs.length > 0, `${who} has work links`);
  for (const href of hrefs) assert.equal((await b.request(href)).status, 200, `${who}: ${href}`);
}

describe('signed-in navigation', () => {
  it('shows "Mon espace" once signed in, and the work pages of each role on /espace', async () => {
    const { t, app, s0 } = await demo();
    try {
      const anonymous = browser(app);
      assert.match(await (await anonymous.request('/lieux')).text(), /href="\/connexion">Se connecter<\/a>/);

      const staff = browser(app);
      await staff.signIn('mediation.demo@example.org');
      const page = await (await staff.request('/lieux')).text();
      assert.match(page, /href="\/espace">Mon espace<\/a>/);
      assert.doesNotMatch(page, /href="\/connexion">Se connecter/);
      const account = await (await staff.request('/espace')).text();
      assert.match(account, /<h2>Mon travail<\/h2>/);
      for (const href of [`/structures/${s0}`, '/mes-lieux', '/orientations', '/diagnostic'])
        assert.ok(account.includes(`href="${href}"`), href);
      assert.ok(!account.includes('href="/moderation"'));
      await hubLinksAnswer(staff, account, 'staff');

      const funder = browser(app);
      await funder.signIn('financeur.demo@example.org');
      const funderAccount = await (await funder.request('/espace')).text();
      assert.ok(funderAccount.includes('href="/couverture"'));
      assert.ok(!funderAccount.includes('href="/structures"'));
      await hubLinksAnswer(funder, funderAccount, 'funder');

      const admin = browser(app);
      await admin.signIn('admin.demo@example.org');
      const adminAccount = await (await admin.request('/espace')).text();
      assert.ok(adminAccount.includes('href="/mes-lieux"'));
      await hubLinksAnswer(admin, adminAccount, 'structure administrator');

      const coordinator = browser(app);
      await coordinator.signIn('coordination.demo@example.org');
      const coordinatorAccount = await (await coordinator.request('/espace')).text();
      for (const href of [
        '/structures',
        '/moderation',
        '/journal',
        '/qualite',
        '/couverture/reseau',
        '/diagnostic/versions',
        '/orientations/statistiques',
        '/compte/courriels',
      ])
        assert.ok(coordinatorAccount.includes(`href="${href}"`), href);
      await hubLinksAnswer(coordinator, coordinatorAccount, 'coordinator');
    } finally {
      await t.close();
    }
  });
});

describe('structures pages', () => {
  it('lets the coordinator list every structure and create one, keeping what was typed when it is wrong', async () => {
    const { t, app, s0Name } = await demo();
    try {
      const b = browser(app);
      await b.signIn('coordination.demo@example.org');
      const list = await b.request('/structures');
      assert.equal(list.status, 200);
      assert.equal(list.headers.get('Cache-Control'), 'no-store');
      const html = await list.text();
      assert.match(html, /<h1>Les structures du réseau<\/h1>/);
      assert.ok(html.includes(s0Name.replace(/'/g, '&#39;')), 'the demo structure is listed');
      assert.match(html, /<th scope="col">En attente<\/th>/);

      const bad = await b.post('/structures', '/structures', {
        name: '<img src=x onerror=alert(1)>',
        pivot: '12345',
        kind: '',
        adminEmail: 'pas une adresse',
        adminName: '',
      });
      assert.equal(bad.status, 422);
      const badHtml = await bad.text();
      assert.match(badHtml, /<title>Erreur : Les structures du réseau/);
      assert.match(badHtml, /href="#pivot">« 12345 » n&#39;est ni un SIRET ni un numéro RNA/);
      assert.match(badHtml, /href="#kind">Choisissez le type/);
      assert.match(badHtml, /href="#adminEmail">L&#39;adresse e-mail n&#39;est pas valide/);
      assert.match(badHtml, /value="&lt;img src=x onerror=alert\(1\)&gt;"/, 'what was typed is kept, inert');
      assert.ok(!badHtml.includes('<img src=x'));
      assert.match(badHtml, /value="pas une adresse"/);

      const created = await b.post('/structures', '/structures', {
        name: 'Tiers-lieu des Aydes',
        pivot: 'W452001234',
        kind: 'TIERS_LIEUX',
        adminEmail: 'Responsable@Example.org',
        adminName: 'Rose',
      });
      assert.equal(created.status, 303);
      const location = created.headers.get('Location') ?? '';
      assert.match(location, /^\/structures\/[0-9a-f-]{36}\?fait=creee$/);
      const page = await (await b.request(location)).text();
      assert.match(page, /<h1>Tiers-lieu des Aydes<\/h1>/);
      assert.match(page, /La structure est créée/);
      assert.match(page, /Tiers-lieu, coworking/);
      const [mail] = await outbox(t.db, 'responsable@example.org');
      assert.match(mail?.text_body ?? '', /\/invitation\/[A-Za-z0-9_-]{43}/);

      const again = await b.post('/structures', '/structures', {
        name: 'Doublon',
        pivot: 'w 452 001 234',
        kind: 'ASSO',
        adminEmail: 'x@example.org',
        adminName: '',
      });
      assert.equal(again.status, 422);
      assert.match(await again.text(), /déjà ce SIRET ou ce numéro RNA : « Tiers-lieu des Aydes »/);
    } finally {
      await t.close();
    }
  });

  it('lets the structure administrator invite, change roles and remove members, never the last administrator', async () => {
    const { t, app, s0 } = await demo();
    try {
      const staff = browser(app);
      await staff.signIn('mediation.demo@example.org');
      const staffView = await (await staff.request(`/structures/${s0}`)).text();
      assert.match(staffView, /<h2 id="membres">Membres<\/h2>/);
      assert.ok(!staffView.includes('Inviter une personne'));
      assert.ok(!staffView.includes('id="demandes"'));
      const mediation = await personId(t.db, 'mediation.demo@example.org');
      const admin = await personId(t.db, 'admin.demo@example.org');
      const forbidden = await staff.post(`/structures/${s0}`, `/structures/${s0}/membres/${mediation}/role`, {
        role: 'structure_admin',
      });
      assert.equal(forbidden.status, 403);

      const b = browser(app);
      await b.signIn('admin.demo@example.org');
      const page = await b.request(`/structures/${s0}`);
      assert.equal(page.headers.get('Cache-Control'), 'no-store');
      const html = await page.text();
      assert.match(html, /mediation\.demo@example\.org/);
      assert.match(html, /Inviter une personne/);
      assert.match(html, /href="\/lieux\/[0-9a-f-]{36}\/modifier"/);

      const badInvite = await b.post(`/structures/${s0}`, `/structures/${s0}/membres`, {
        email: 'nour@',
        name: 'Nour',
        role: 'staff',
      });
      assert.equal(badInvite.status, 422);
      const badHtml = await badInvite.text();
      assert.match(badHtml, /href="#email">L&#39;adresse e-mail n&#39;est pas valide/);
      assert.match(badHtml, /value="nour@"/);
      assert.match(badHtml, /value="Nour"/);
      const invite = await b.post(`/structures/${s0}`, `/structures/${s0}/membres`, {
        email: 'nour@example.org',
        name: 'Nour',
        role: 'structure_admin',
      });
      assert.equal(invite.status, 303);
      assert.match(invite.headers.get('Location') ?? '', /fait=invitation/);
      assert.equal((await outbox(t.db, 'nour@example.org')).length, 1);

      const lastAdmin = await b.post(`/structures/${s0}`, `/structures/${s0}/membres/${admin}/role`, {
        role: 'staff',
      });
      assert.equal(lastAdmin.status, 409);
      assert.match(await lastAdmin.text(), /dernier administrateur de la structure/);

      const promote = await b.post(`/structures/${s0}`, `/structures/${s0}/membres/${mediation}/role`, {
        role: 'structure_admin',
      });
      assert.equal(promote.status, 303);
      const confirm = await b.request(`/structures/${s0}/membres/${mediation}/retirer`);
      assert.equal(confirm.status, 200);
      assert.match(await confirm.text(), /<h1>Retirer Sam \(médiation\) de /);
      const removed = await b.post(
        `/structures/${s0}/membres/${mediation}/retirer`,
        `/structures/${s0}/membres/${mediation}/retirer`,
        {},
      );
      assert.equal(removed.status, 303);
      const after = await (await b.request(removed.headers.get('Location') ?? '')).text();
      assert.match(after, /ne fait plus partie de la structure/);
      assert.ok(!after.includes('mediation.demo@example.org'));
      // The removed member no longer sees the members, at once (roles are read on every request).
      const staffAfter = await (await staff.request(`/structures/${s0}`)).text();
      assert.ok(!staffAfter.includes('<h2 id="membres">'));
      assert.match(staffAfter, /Rejoindre cette structure/);
      const actions = (await t.db.selectFrom('audit_log').select('action').execute()).map((r) => r.action);
      for (const a of ['membership.invited', 'membership.role_changed', 'membership.removed'])
        assert.ok(actions.includes(a), a);
    } finally {
      await t.close();
    }
  });

  it('lets anybody find a structure and ask to join it, inertly, with a limit; the administrator accepts', async () => {
    const { t, app, s0, s0Name } = await demo();
    try {
      const visitor = browser(app, '198.51.100.23');
      const start = await visitor.request('/structures/rejoindre');
      assert.equal(start.status, 200);
      assert.equal(start.headers.get('Cache-Control'), 'no-store');
      const word = s0Name
        .normalize('NFD')
        .replace(/\p{Diacritic}/gu, '')
        .toUpperCase()
        .split(/[\s'’-]+/)
        .filter((w) => w.length > 3)
        .slice(0, 2)
        .join(' ');
      const search = await (
        await visitor.request(`/structures/rejoindre?nom=${encodeURIComponent(word)}`)
      ).text();
      assert.ok(search.includes(`href="/structures/rejoindre?structure=${s0}"`), `"${word}" finds ${s0Name}`);
      const short = await visitor.request('/structures/rejoindre?nom=a');
      assert.equal(short.status, 422);
      assert.match(await short.text(), /au moins 2 lettres/);

      const formPage = `/structures/rejoindre?structure=${s0}`;
      const form = await (await visitor.request(formPage)).text();
      assert.match(form, /<h1>Rejoindre /);
      const bad = await visitor.post(formPage, '/structures/rejoindre', {
        structure: s0,
        name: 'Zoé',
        email: 'zoe@@example.org',
        message: 'Bonjour',
      });
      assert.equal(bad.status, 422);
      const badHtml = await bad.text();
      assert.match(badHtml, /value="zoe@@example.org"/);
      assert.match(badHtml, />Bonjour<\/textarea>/);

      const sent = await visitor.post(formPage, '/structures/rejoindre', {
        structure: s0,
        name: '<script>alert("x")</script> Zoé',
        email: 'Zoe@Example.org',
        message: '<b>gras</b>',
      });
      assert.equal(sent.status, 200);
      assert.match(await sent.text(), /<h1>Demande envoyée<\/h1>/);
      const [notice] = await outbox(t.db, 'admin.demo@example.org');
      assert.match(notice?.text_body ?? '', /zoe@example\.org\) demande à rejoindre/);

      const admin = browser(app);
      await admin.signIn('admin.demo@example.org');
      const page = await (await admin.request(`/structures/${s0}`)).text();
      assert.ok(
        page.includes('&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; Zoé'),
        'the name is shown as text',
      );
      assert.ok(page.includes('&lt;b&gt;gras&lt;/b&gt;'));
      assert.ok(!page.includes('<script>alert'));
      const requestId =
        /action="\/structures\/[0-9a-f-]{36}\/demandes\/([0-9a-f-]{36})"/.exec(page)?.[1] ?? '';
      assert.ok(requestId);
      const accepted = await admin.post(`/structures/${s0}`, `/structures/${s0}/demandes/${requestId}`, {
        decision: 'accept',
        message: 'Bienvenue',
      });
      assert.equal(accepted.status, 303);
      assert.match(accepted.headers.get('Location') ?? '', /fait=acceptee-invitation/);
      const mails = await outbox(t.db, 'zoe@example.org');
      assert.equal(mails.length, 2);
      assert.ok(mails.some((m) => /Bienvenue/.test(m.text_body)));
      assert.ok(mails.some((m) => /\/invitation\/[A-Za-z0-9_-]{43}/.test(m.text_body)));
      const twice = await admin.post(`/structures/${s0}`, `/structures/${s0}/demandes/${requestId}`, {
        decision: 'refuse',
      });
      assert.equal(twice.status, 409);
      assert.match(await twice.text(), /déjà reçu une réponse/);

      // Three requests per address and per hour; the fourth gets a clear message, and keeps the form.
      for (let i = 0; i < 2; i++) {
        const ok = await visitor.post(formPage, '/structures/rejoindre', {
          structure: s0,
          name: 'Zoé',
          email: 'zoe@example.org',
          message: '',
        });
        assert.equal(ok.status, 200);
      }
      const limited = await visitor.post(formPage, '/structures/rejoindre', {
        structure: s0,
        name: 'Zoé',
        email: 'zoe@example.org',
        message: 'encore',
      });
      assert.equal(limited.status, 429);
      const limitedHtml = await limited.text();
      assert.match(limitedHtml, /trop de demandes en peu de temps/);
      assert.match(limitedHtml, />encore<\/textarea>/);
    } finally {
      await t.close();
    }
  });

  it('lets a signed-in person outside the structure ask to join from its page', async () => {
    const { t, app, s0 } = await demo();
    try {
      const b = browser(app);
      await b.signIn('autre-structure.demo@example.org');
      const page = await (await b.request(`/structures/${s0}`)).text();
      assert.ok(!page.includes('<h2 id="membres">'), 'members are hidden from other structures');
      assert.match(page, /Rejoindre cette structure/);
      const tooLong = await b.post(`/structures/${s0}`, `/structures/${s0}/demande`, {
        message: 'x'.repeat(1001),
      });
      assert.equal(tooLong.status, 422);
      assert.match(await tooLong.text(), /au plus 1\u202f000 caractères/);
      const asked = await b.post(`/structures/${s0}`, `/structures/${s0}/demande`, { message: 'Bonjour' });
      assert.equal(asked.status, 303);
      const after = await (await b.request(asked.headers.get('Location') ?? '')).text();
      assert.match(after, /Votre demande est envoyée/);
      assert.match(after, /Votre demande attend la réponse/);
      const mine = await (await b.request('/structures')).text();
      assert.match(mine, /<h1>Mes structures<\/h1>/);
      assert.ok(!mine.includes(`href="/structures/${s0}"`));
    } finally {
      await t.close();
    }
  });
});
