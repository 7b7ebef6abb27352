import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { Secret, TOTP } from 'otpauth';
import { testApp } from '../../test/support/app.ts';
import { cookieBrowser } from '../../test/support/cookie-browser.ts';
import { closeTestTemplate, createDemoTestDb } from '../../test/support/test-db.ts';
import { listAudit } from '../audit/audit.service.ts';
import { loadConfig } from '../config.ts';
import { runQueuedJobs } from '../jobs/job-queue.service.ts';
import { defaultQueuedHandlers } from '../jobs/schedule.service.ts';
import { listRecentMessages } from '../mail/mail.service.ts';
import { DEMO_TOTP_SECRET } from './accounts.service.ts';

after(closeTestTemplate);

describe('sign-in pages over HTTP', () => {
  it('refuses a POST without a valid CSRF token with 403, and answers a failed sign-in 422 or 401, never 200', async () => {
    const t = await createDemoTestDb();
    try {
      const app = testApp(t.db);
      const b = cookieBrowser(app);
      const page = await b.request('/connexion');
      assert.equal(page.status, 200);
      const html = await page.text();
      assert.match(html, /<h1>Se connecter<\/h1>/);
      assert.match(html, /href="\/connexion">Se connecter<\/a>/);
      const csrf = b.csrfOf(html);
      assert.ok(csrf);
      const anonCookie = page.headers.getSetCookie().join('\n');
      assert.match(anonCookie, /maillage_csrf=.*HttpOnly/i);
      assert.match(anonCookie, /SameSite=Lax/i);

      const noToken = await b.request('/connexion', {
        form: { email: 'admin.demo@example.org', password: 'x' },
      });
      assert.equal(noToken.status, 403);
      const forged = await b.request('/connexion', {
        form: { _csrf: `${csrf.slice(0, -2)}xx`, email: 'admin.demo@example.org', password: 'x' },
      });
      assert.equal(forged.status, 403);
      const otherBrowser = cookieBrowser(app);
      const stolen = await otherBrowser.request('/connexion', {
        form: { _csrf: csrf, email: 'a@b.fr', password: 'x' },
      });
      assert.equal(stolen.status, 403, 'a token works only with the cookie it was made for');

      const invalid = await b.request('/connexion', {
        form: { _csrf: csrf, email: 'pas-une-adresse', password: '' },
      });
      assert.equal(invalid.status, 422);
      const invalidHtml = await invalid.text();
      assert.match(invalidHtml, /<title>Erreur : Se connecter/);
      assert.match(invalidHtml, /class="error-summary"/);
      assert.match(invalidHtml, /href="#email">L&#39;adresse e-mail n&#39;est pas valide/);
      assert.match(invalidHtml, /href="#password">Indiquez votre mot de passe/);
      assert.match(invalidHtml, /aria-invalid="true"/);

      const wrong = await b.request('/connexion', {
        form: { _csrf: csrf, email: 'admin.demo@example.org', password: 'ce n’est pas le bon' },
      });
      assert.equal(wrong.status, 401);
      assert.match(await wrong.text(), /est incorrect/);
    } finally {
      await t.close();
    }
  });

  it('signs a demo coordinator in with password then TOTP, with a secure session cookie, and signs out', async () => {
    const t = await createDemoTestDb();
    try {
      const app = testApp(t.db, { PUBLIC_URL: 'https://maillage.example.org' });
      const b = cookieBrowser(app);
      const csrf = b.csrfOf(await (await b.request('/connexion')).text());
      assert.ok(b.jar.has('__Host-maillage_csrf'));
      const signIn = await b.request('/connexion', {
        form: { _csrf: csrf, email: 'Coordination.Demo@example.org', password: 'demonstration-maillage' },
      });
      assert.equal(signIn.status, 303);
      assert.equal(signIn.headers.get('Location'), '/connexion/code');
      const cookie = signIn.headers.getSetCookie().find((c) => c.startsWith('__Host-maillage_session='));
      assert.ok(cookie);
      for (const flag of [/HttpOnly/i, /SameSite=Lax/i, /Secure/i, /Path=\//]) assert.match(cookie, flag);
      assert.equal((await b.request('/compte')).headers.get('Location'), '/connexion/code');

      const codePage = await b.request('/connexion/code');
      const csrf2 = b.csrfOf(await codePage.text());
      const wrongCode = await b.request('/connexion/code', { form: { _csrf: csrf2, code: '000000' } });
      assert.equal(wrongCode.status, 401);
      const code = new TOTP({ secret: Secret.fromBase32(DEMO_TOTP_SECRET) }).generate();
      const ok = await b.request('/connexion/code', { form: { _csrf: csrf2, code } });
      assert.equal(ok.status, 303);
      assert.equal(ok.headers.get('Location'), '/espace', 'the second factor lands on the home page');
      const home = await b.request('/espace');
      assert.equal(home.status, 200);
      assert.equal(home.headers.get('Cache-Control'), 'no-store');
      const homeHtml = await home.text();
      assert.match(homeHtml, /<h1>Mon espace<\/h1>/);
      assert.match(
        homeHtml,
        /href="\/compte\/courriels"/,
        "the coordinator's work links are on the home page",
      );
      assert.match(homeHtml, /href="\/compte"/, 'the home page leads to the account');
      const account = await b.request('/compte');
      assert.equal(account.status, 200);
      assert.equal(account.headers.get('Cache-Control'), 'no-store');
      const accountHtml = await account.text();
      assert.match(accountHtml, /Camille \(coordination\)/);
      assert.match(accountHtml, /href="\/espace"/);
      for (const header of ['Content-Security-Policy', 'X-Content-Type-Options', 'Referrer-Policy'])
        assert.ok(account.headers.get(header), header);
      assert.match(account.headers.get('Strict-Transport-Security') ?? '', /max-age=/);

      const data = await b.request('/compte/donnees');
      assert.equal(data.status, 200);
      assert.match(data.headers.get('Content-Disposition') ?? '', /attachment/);
      assert.equal(
        ((await data.json()) as { account: { email: string } }).account.email,
        'coordination.demo@example.org',
      );

      const out = await b.request('/deconnexion', { form: { _csrf: b.csrfOf(accountHtml) } });
      assert.equal(out.status, 200);
      const outHtml = await out.text();
      assert.match(outHtml, /href="\/connexion">Se connecter</, 'the menu offers to sign in again');
      assert.doesNotMatch(outHtml, /Mon espace/);
      assert.equal((await b.request('/compte')).headers.get('Location'), '/connexion');
    } finally {
      await t.close();
    }
  });

  it('shows invitation links in the demo outbox to coordinators only, and the invitation sets a password', async () => {
    const t = await createDemoTestDb();
    try {
      const app = testApp(t.db);
      const staff = cookieBrowser(app);
      const csrf = staff.csrfOf(await (await staff.request('/connexion')).text());
      const signIn = await staff.request('/connexion', {
        form: { _csrf: csrf, email: 'mediation.demo@example.org', password: 'demonstration-maillage' },
      });
      assert.equal(signIn.headers.get('Location'), '/espace');
      assert.equal((await staff.request('/compte/courriels')).status, 403);
      const linkRequest = await staff.request('/mot-de-passe-oublie', {
        form: {
          _csrf: staff.csrfOf(await (await staff.request('/mot-de-passe-oublie')).text()),
          email: 'admin.demo@example.org',
        },
      });
      assert.equal(linkRequest.status, 200);
      const tooLate = await staff.request('/invitation/AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA');
      assert.equal(tooLate.status, 410);
      assert.match(await tooLate.text(), /n&#39;est plus valable/);
    } finally {
      await t.close();
    }
  });

  it('shows coordinators who was mailed what kind of message, never the link outside demonstration mode, and audits every view', async () => {
    const t = await createDemoTestDb();
    try {
      const publicApp = testApp(t.db, { PUBLIC_URL: 'https://maillage.example.org' });
      const visitor = cookieBrowser(publicApp);
      const asked = await visitor.post('/connexion', '/connexion/lien', { email: 'admin.demo@example.org' });
      assert.equal(asked.status, 200);
      await runQueuedJobs(
        t.db,
        defaultQueuedHandlers(loadConfig({ PUBLIC_URL: 'https://maillage.example.org' })),
        {
          now: new Date(),
        },
      );
      const mail = (await listRecentMessages(t.db)).find((m) => m.kind === 'sign_in_link');
      const token = /\/connexion\/lien\/([\w-]{43})/.exec(mail?.text ?? '')?.[1];
      assert.ok(token, 'the link was mailed');

      const coordinator = cookieBrowser(publicApp);
      await coordinator.signIn('coordination.demo@example.org');
      const page = await coordinator.page('/compte/courriels');
      assert.equal(page.res.status, 200);
      assert.match(page.html, /admin\.demo@example\.org/);
      assert.match(page.html, /Lien de connexion/);
      assert.ok(!page.html.includes(token), 'no token on the page');
      assert.doesNotMatch(page.html, /\/connexion\/lien\/|\/invitation\/|\/mot-de-passe\//);
      assert.match(
        page.html,
        /les messages de Maillage \(invitations, liens de connexion, orientations\) ne partent pas/,
      );
      const home = await coordinator.page('/compte');
      assert.match(
        home.html,
        /ne partent pas/,
        'every page of the coordinator says that mails are not delivered',
      );

      // In demonstration mode (a loopback address) the whole messages are shown, for the demo accounts.
      const demo = cookieBrowser(testApp(t.db));
      await demo.signIn('coordination.demo@example.org');
      const demoPage = await demo.page('/compte/courriels');
      assert.ok(demoPage.html.includes(token));
      assert.doesNotMatch(demoPage.html, /ne partent pas/);
      const views = await listAudit(t.db, { action: 'outbox.viewed' });
      assert.deepEqual(views.map((v) => (v.details as { whole: boolean }).whole).sort(), [false, true]);
    } finally {
      await t.close();
    }
  });
});
