import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { pageText as text } from '../../test/support/activity-pages.ts';
import { testApp } from '../../test/support/app.ts';
import { type CookieBrowser, cookieBrowser } from '../../test/support/cookie-browser.ts';
import { demoSessionBrowser } from '../../test/support/demo-sessions.ts';
import { closeTestTemplate, createDemoTestDb, type TestDb } from '../../test/support/test-db.ts';
import { addDays, localToday } from '../places/place-dates.ts';
import { createFunderLink } from './funder-links.service.ts';
import { hashLinkSecret } from './funder-links.ts';

after(closeTestTemplate);

const figure = (html: string, label: string) => {
  const m = new RegExp(`<dt>${label}</dt><dd><strong>([\\d\\s\\u202f]+)</strong>`).exec(html);
  assert.ok(m, `figure ${label}`);
  return Number((m[1] as string).replace(/\D/g, ''));
};

describe("a funder's read-only link over HTTP", () => {
  let t: TestDb;
  let app: ReturnType<typeof testApp>;
  let coordinator: CookieBrowser;
  let funder: CookieBrowser;
  let funderId: string;
  let base: string;
  before(async () => {
    t = await createDemoTestDb();
    app = testApp(t.db, { TERRITORY: 'epci:244500468' });
    coordinator = await demoSessionBrowser(app, t.db, 'coordination.demo@example.org');
    funder = await demoSessionBrowser(app, t.db, 'financeur.demo@example.org');
    funderId = (
      await t.db.selectFrom('funder').select('id').where('is_demo', '=', true).executeTakeFirstOrThrow()
    ).id;
    base = `/activites/statistiques/financeur/${funderId}/liens`;
  });
  after(async () => {
    await t.close();
  });

  const openings = async (action: string) =>
    (
      await t.db
        .selectFrom('audit_log')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .where('action', '=', action)
        .where('subject_id', '=', funderId)
        .executeTakeFirstOrThrow()
    ).n;

  it('is created by a coordinator, shown once, stored hashed, and opens the funder’s figures without an account', async () => {
    const res = await coordinator.post(base, base, {
      name: 'Comité de suivi',
      expiresOn: addDays(localToday(new Date()), 30),
    });
    assert.equal(res.status, 201);
    const html = text(await res.text());
    const m = /\/statistiques\/lien\/(mfl_[A-Za-z0-9_-]{43})/.exec(html);
    assert.ok(m, 'the link is shown');
    const secret = m[1] as string;
    const stored = await t.db.selectFrom('funder_statistics_link').selectAll().execute();
    assert.equal(stored.length, 1);
    assert.equal(stored[0]?.secret_hash, hashLinkSecret(secret));
    assert.ok(!JSON.stringify(stored).includes(secret), 'the secret itself is not stored');
    // The list never shows it again.
    assert.ok(!(await coordinator.page(base)).html.includes(secret));

    const before = Number(await openings('funder_link.opened'));
    const visitor = cookieBrowser(app);
    const q = 'periode=annee-precedente';
    const opened = await visitor.page(`/statistiques/lien/${secret}?${q}`);
    assert.equal(opened.res.status, 200);
    const page = text(opened.html);
    assert.match(page, /Statistiques des activités financées/);
    const own = text((await funder.page(`/activites/statistiques/financeur/${funderId}?${q}`)).html);
    assert.equal(figure(page, 'Accompagnements'), figure(own, 'Accompagnements'));
    const csv = await visitor.request(`/statistiques/lien/${secret}/export?format=csv&${q}`);
    assert.equal(csv.status, 200);
    assert.match(csv.headers.get('Content-Type') ?? '', /text\/csv/);
    await csv.arrayBuffer();
    assert.equal(Number(await openings('funder_link.opened')), before + 2, 'each opening is audited');

    // Revoked: a French page, 410, and the refusal audited.
    const revoke = await coordinator.post(base, `${base}/${stored[0]?.id}/revoquer`, {});
    assert.equal(revoke.status, 303);
    const refusedBefore = Number(await openings('funder_link.refused'));
    const gone = await visitor.page(`/statistiques/lien/${secret}`);
    assert.equal(gone.res.status, 410);
    assert.match(text(gone.html), /Ce lien a été révoqué/);
    assert.equal(Number(await openings('funder_link.refused')), refusedBefore + 1);
    assert.equal((await visitor.request(`/statistiques/lien/${secret}/export?format=csv`)).status, 410);
  });

  it('answers an expired link with 410 and an unknown or malformed one with 404, in French', async () => {
    const longAgo = new Date(Date.now() - 40 * 86_400_000);
    const created = await createFunderLink(
      t.db,
      { kind: 'system' },
      { funderId, values: { name: 'Ancien', expiresOn: addDays(localToday(longAgo), 5) } },
      { now: longAgo },
    );
    assert.ok(created.ok);
    const visitor = cookieBrowser(app);
    const expired = await visitor.page(`/statistiques/lien/${created.secret}`);
    assert.equal(expired.res.status, 410);
    assert.match(text(expired.html), /Ce lien a expiré/);
    for (const path of [`/statistiques/lien/mfl_${'a'.repeat(43)}`, '/statistiques/lien/nimporte-quoi']) {
      const r = await visitor.page(path);
      assert.equal(r.res.status, 404, path);
      assert.match(text(r.html), /Ce lien n'existe pas/);
    }
  });

  it('refuses a bad form naming its field, and the management to the funder’s own people', async () => {
    const res = await coordinator.post(base, base, { name: '', expiresOn: '31/02/2020' });
    assert.equal(res.status, 422);
    const html = text(await res.text());
    assert.match(html, /Nom du lien : écrivez un nom/);
    assert.match(html, /Date d'expiration/);
    assert.equal((await funder.page(base)).res.status, 403);
    const unknown = await coordinator.page(
      '/activites/statistiques/financeur/00000000-0000-4000-8000-000000000000/liens',
    );
    assert.equal(unknown.res.status, 404);
  });
});
