import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { testApp } from '../../test/support/app.ts';
import { type CookieBrowser, cookieBrowser, type FormFields } from '../../test/support/cookie-browser.ts';
import { demoSessionBrowser } from '../../test/support/demo-sessions.ts';
import { closeTestTemplate, createDemoTestDb, type TestDb } from '../../test/support/test-db.ts';
import type { Db } from '../db/database.ts';

after(closeTestTemplate);

const UNKNOWN = '00000000-0000-4000-8000-000000000000';

async function demo() {
  const t: TestDb = await createDemoTestDb();
  const app = testApp(t.db, { TERRITORY: 'epci:244500468', NETWORK_NAME: 'Réseau du Loiret' });
  const coordinator = await demoSessionBrowser(app, t.db, 'coordination.demo@example.org');
  // The demo structure of the administrator and the staff member (Alex and Sam).
  const structure = await t.db
    .selectFrom('membership')
    .innerJoin('person', 'person.id', 'membership.person_id')
    .innerJoin('structure', 'structure.id', 'membership.structure_id')
    .select(['structure.id', 'structure.nom'])
    .where('person.email', '=', 'admin.demo@example.org')
    .executeTakeFirstOrThrow();
  return { t, app, coordinator, structure };
}

const decode = (s: string) =>
  s
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&');

/** The fields of the send form of a preview page, as the browser would post them. */
function sendForm(html: string): FormFields {
  const form = /<form method="post" action="\/messages\/envoyer">([\s\S]*?)<\/form>/.exec(html)?.[1] ?? '';
  const fields: FormFields = {};
  for (const m of form.matchAll(/<input type="hidden" name="([^"]+)" value="([^"]*)"/g)) {
    const [name, value] = [m[1] as string, decode(m[2] as string)];
    const prior = fields[name];
    fields[name] = prior === undefined ? value : [...(Array.isArray(prior) ? prior : [prior]), value];
  }
  return fields;
}

const summary = (html: string) => /<div class="error-summary"[\s\S]*?<\/div>/.exec(html)?.[0] ?? '';

const networkMails = (db: Db) =>
  db
    .selectFrom('mail_outbox')
    .select(['to_address', 'text_body'])
    .where('kind', '=', 'network_message')
    .orderBy('to_address')
    .execute();

const messages = async (db: Db) =>
  Number(
    (
      await db
        .selectFrom('network_message')
        .select(db.fn.countAll<string>().as('n'))
        .executeTakeFirstOrThrow()
    ).n,
  );

async function preview(b: CookieBrowser, form: FormFields) {
  const res = await b.post('/messages/nouveau', '/messages/nouveau', form);
  return { res, html: await res.text() };
}

describe('the coordinator writes to the network', () => {
  it('previews on a second page, sends once through the outbox, then redirects to the message (PRG)', async () => {
    const { t, coordinator, structure } = await demo();
    try {
      const form = await coordinator.page('/messages/nouveau');
      assert.equal(form.res.status, 200);
      assert.match(form.html, /<h1>Écrire aux membres du réseau<\/h1>/);
      assert.match(form.html, /<label for="subject">Objet<\/label>/);
      const { res, html } = await preview(coordinator, {
        subject: 'Réunion « numérique » & café',
        body: 'Bonjour,\n\nRéunion le 12 mars à 9 h.\nÀ bientôt.',
        scope: 'structures',
        structures: structure.id,
        role: 'all',
        kind: '',
        commune: '',
      });
      assert.equal(res.status, 200);
      assert.match(html, /Ce message sera envoyé à 2 personnes\./);
      assert.match(html, new RegExp(`${structure.nom} : 2 personnes`));
      assert.match(html, /Envoyer à 2 personnes/);
      assert.equal(await messages(t.db), 0, 'the preview writes nothing');
      const fields = sendForm(html);
      assert.equal(fields.body, 'Bonjour,\n\nRéunion le 12 mars à 9 h.\nÀ bientôt.');
      assert.equal(fields.subject, 'Réunion « numérique » & café');
      const sent = await coordinator.post('/messages/nouveau', '/messages/envoyer', fields);
      assert.equal(sent.status, 303);
      const location = sent.headers.get('Location') ?? '';
      assert.match(location, /^\/messages\/[0-9a-f-]{36}\?fait=envoye$/);
      const page = await coordinator.page(location);
      assert.equal(page.res.status, 200);
      assert.match(page.html, /<h1>Réunion « numérique » &amp; café<\/h1>/);
      assert.match(page.html, /Le message est envoyé/);
      assert.match(page.html, /0 remis sur 2, 2 en attente/);
      const mails = await networkMails(t.db);
      assert.deepEqual(
        mails.map((m) => m.to_address),
        ['admin.demo@example.org', 'mediation.demo@example.org'],
      );
      assert.match(mails[0]?.text_body ?? '', /^Bonjour Alex \(administration\),/);
      assert.match(
        mails[0]?.text_body ?? '',
        new RegExp(
          `car vous êtes administratrice ou administrateur de la structure « ${structure.nom} » dans le réseau « Réseau du Loiret »`,
        ),
      );
      assert.match(mails[1]?.text_body ?? '', /Message de Camille \(coordination\), coordination du réseau/);
      // The browser's back button and « Envoyer » again: nothing more is sent.
      const again = await coordinator.post('/messages/nouveau', '/messages/envoyer', fields);
      assert.equal(again.status, 303);
      assert.match(again.headers.get('Location') ?? '', /\?fait=deja$/);
      assert.equal((await networkMails(t.db)).length, 2);
      const list = await coordinator.page('/messages');
      assert.match(list.html, /Réunion « numérique » &amp; café<\/a>/);
      assert.match(list.html, /2 personnes : 0 remis sur 2, 2 en attente\./);
    } finally {
      await t.close();
    }
  });

  it('goes back to the form with what was typed when « Modifier » is chosen on the preview', async () => {
    const { t, coordinator } = await demo();
    try {
      const { html } = await preview(coordinator, {
        subject: 'Objet gardé',
        body: 'Texte gardé',
        scope: 'network',
        role: 'admins',
      });
      const back = await coordinator.request('/messages/modifier', { form: sendForm(html) });
      const page = await back.text();
      assert.equal(back.status, 200);
      assert.match(page, /value="Objet gardé"/);
      assert.match(page, />Texte gardé<\/textarea>/);
      assert.match(page, /id="role-admins" name="role" value="admins" checked/);
    } finally {
      await t.close();
    }
  });

  it('refuses bad input with a 422 naming the field, writing nothing', async () => {
    const { t, coordinator } = await demo();
    try {
      const cases: [FormFields, RegExp][] = [
        [{ subject: '', body: 'x', scope: 'network', role: 'all' }, /Objet : écrivez l’objet du message/],
        [
          { subject: 'x', body: 'y'.repeat(10_001), scope: 'network', role: 'all' },
          /Message : 10\s000 caractères au plus/,
        ],
        [
          { subject: 'x', body: 'y', scope: 'structures', role: 'all' },
          /Structures : cochez au moins une structure/,
        ],
        [
          { subject: 'x', body: 'y', scope: 'structures', structures: UNKNOWN, role: 'all' },
          /n’existe pas ou plus/,
        ],
        [
          { subject: 'x', body: 'y', scope: 'kind', kind: 'NIMPORTE', role: 'all' },
          /Type de structure : « NIMPORTE »/,
        ],
        [{ subject: 'x', body: 'y', scope: 'commune', commune: '99999', role: 'all' }, /Commune : « 99999 »/],
        [{ subject: 'x', body: 'y', scope: 'partout', role: 'all' }, /Destinataires : choisissez/],
      ];
      for (const [form, message] of cases) {
        const { res, html } = await preview(coordinator, form);
        assert.equal(res.status, 422, JSON.stringify(form));
        assert.match(summary(html), message);
        assert.match(html, /<title>Erreur : /);
      }
      // A forged send (no preview, a list of people of its own): the server resolves the audience itself.
      const forged = await coordinator.post('/messages/nouveau', '/messages/envoyer', {
        subject: 'x',
        body: 'y',
        scope: 'network',
        role: 'all',
        jeton: 'forge',
        attendus: '1',
        destinataires: 'quelquun@example.org',
      });
      assert.equal(forged.status, 409);
      assert.match(summary(await forged.text()), /Le formulaire d’envoi a expiré/);
      assert.equal(await messages(t.db), 0);
      assert.equal((await networkMails(t.db)).length, 0);
    } finally {
      await t.close();
    }
  });

  it('prefills the form from ?structure= and says clearly when the structure does not exist', async () => {
    const { t, coordinator, structure } = await demo();
    try {
      const ok = await coordinator.page(`/messages/nouveau?structure=${structure.id}&motif=orientations`);
      assert.equal(ok.res.status, 200);
      assert.match(ok.html, new RegExp(`name="structures" value="${structure.id}" checked`));
      assert.match(ok.html, /id="scope-structures" name="scope" value="structures" checked/);
      assert.match(ok.html, /value="Des orientations attendent votre réponse sur Maillage"/);
      const unknown = await coordinator.page(`/messages/nouveau?structure=${UNKNOWN}`);
      assert.equal(unknown.res.status, 404);
      assert.match(
        summary(unknown.html),
        /Le lien demandait la structure « 00000000-0000-4000-8000-000000000000 », qui n’existe pas/,
      );
      const missing = await coordinator.page(`/messages/${UNKNOWN}`);
      assert.equal(missing.res.status, 404);
    } finally {
      await t.close();
    }
  });

  it('is for coordinators only, and refuses a POST without its CSRF token', async () => {
    const { t, app, coordinator } = await demo();
    try {
      const admin = await demoSessionBrowser(app, t.db, 'admin.demo@example.org');
      for (const path of ['/messages', '/messages/nouveau'])
        assert.equal((await admin.request(path)).status, 403, path);
      const csrf = await admin.csrf('/compte');
      const post = await admin.request('/messages/envoyer', {
        form: {
          _csrf: csrf,
          subject: 'x',
          body: 'y',
          scope: 'network',
          role: 'all',
          jeton: UNKNOWN,
          attendus: '3',
        },
      });
      assert.equal(post.status, 403);
      const anonymous = await cookieBrowser(app).request('/messages');
      assert.equal(anonymous.status, 303);
      assert.equal(anonymous.headers.get('Location'), '/connexion');
      const noToken = await coordinator.request('/messages/envoyer', {
        form: { subject: 'x', body: 'y', scope: 'network', role: 'all' },
      });
      assert.equal(noToken.status, 403);
      assert.equal((await networkMails(t.db)).length, 0);
    } finally {
      await t.close();
    }
  });

  it('shows the coordinator’s home block « Messages au réseau » with the last message', async () => {
    const { t, coordinator } = await demo();
    try {
      const empty = await coordinator.page('/espace');
      assert.match(empty.html, /<h3>Messages au réseau<\/h3>/);
      assert.match(empty.html, /Aucun message envoyé au réseau pour le moment\./);
      const { html } = await preview(coordinator, {
        subject: 'Bienvenue',
        body: 'Texte',
        scope: 'network',
        role: 'all',
      });
      await coordinator.post('/messages/nouveau', '/messages/envoyer', sendForm(html));
      const home = await coordinator.page('/espace');
      assert.match(home.html, /1<\/strong> message envoyé au réseau, le dernier le/);
      assert.match(home.html, />Bienvenue<\/a>/);
      assert.match(home.html, /<a href="\/messages\/nouveau">Écrire aux membres du réseau<\/a>/);
      assert.match(home.html, /<a href="\/messages">Voir tous les messages envoyés au réseau<\/a>/);
    } finally {
      await t.close();
    }
  });
});
