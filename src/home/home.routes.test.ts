import assert from 'node:assert/strict';
import { after, beforeEach, describe, it } from 'node:test';
import { testApp } from '../../test/support/app.ts';
import { cookieBrowser } from '../../test/support/cookie-browser.ts';
import { demoSessionBrowser } from '../../test/support/demo-sessions.ts';
import { closeTestTemplate, createDemoTestDb, createTestDb } from '../../test/support/test-db.ts';
import { flushUsage } from '../usage/usage.service.ts';
import { takePendingUsage } from '../usage/usage-counter.ts';

after(closeTestTemplate);
// The counter is one per process: each test starts from an empty one.
beforeEach(() => void takePendingUsage());

const SYSTEM = { kind: 'system' } as const;

/** The text of a home block (its <li>), by its identifier. */
function block(html: string, id: string): string {
  const match = html.match(
    new RegExp(`<li class="card home-block" id="bloc-${id}">([\\s\\S]*?)</li>\\s*(?:<li class="card|</ul>)`),
  );
  return match?.[1] ?? '';
}

describe('the home page, /espace', () => {
  it('sends an anonymous visitor to the sign-in page', async () => {
    const t = await createTestDb();
    try {
      const res = await testApp(t.db).request('/espace');
      assert.equal(res.status, 303);
      assert.equal(res.headers.get('Location'), '/connexion');
    } finally {
      await t.close();
    }
  });

  it("shows the coordinator the week's figures as counted by the public pages, and no one else", async () => {
    const t = await createDemoTestDb();
    try {
      const app = testApp(t.db);
      const visitor = cookieBrowser(app);
      // Two searches (the second page of results is the same search), one API search and its next
      // page, one place page viewed.
      assert.equal((await visitor.request('/recherche?besoin=caf&ou=Saran')).status, 200);
      assert.equal((await visitor.request('/recherche?besoin=caf&ou=Saran&page=2')).status, 200);
      assert.equal((await visitor.request('/recherche?ou=Orl%C3%A9ans')).status, 200);
      const api = await visitor.request('/api/v1/lieux?commune=45302&limit=1');
      assert.equal(api.status, 200);
      const first = (await api.json()) as { data: { id: string }[]; next_cursor: string };
      assert.equal(
        (await visitor.request(`/api/v1/lieux?commune=45302&limit=1&cursor=${first.next_cursor}`)).status,
        200,
      );
      assert.equal((await visitor.request(`/lieux/${first.data[0]?.id}`)).status, 200);
      // Nothing reaches the database before the flush: counts wait in memory.
      assert.equal((await t.db.selectFrom('usage_count').selectAll().execute()).length, 0);
      assert.equal(await flushUsage(t.db, SYSTEM), 4);
      const stored = await t.db.selectFrom('usage_count').select(['kind', 'count']).orderBy('kind').execute();
      assert.deepEqual(stored, [
        { kind: 'place_view', count: 1 },
        { kind: 'search', count: 3 },
      ]);

      const coordinator = await demoSessionBrowser(app, t.db, 'coordination.demo@example.org');
      const home = await coordinator.request('/espace');
      assert.equal(home.status, 200);
      const html = await home.text();
      const week = block(html, 'usage-week');
      assert.match(week, /<strong>3<\/strong>/);
      assert.match(week, /3 recherches de lieux/);
      assert.match(week, /1 fiches de lieux consultées/);
      assert.match(week, /0 diagnostics terminés/);
      assert.match(week, /0 orientations envoyées/);

      const staff = await demoSessionBrowser(app, t.db, 'mediation.demo@example.org');
      const staffHome = await (await staff.request('/espace')).text();
      assert.match(staffHome, /<h1>Mon espace<\/h1>/);
      assert.doesNotMatch(staffHome, /La semaine du réseau/);
    } finally {
      await t.close();
    }
  });

  it("shows a funder its organisation's structures funded today, and the coordinator the funders", async () => {
    const t = await createDemoTestDb();
    try {
      const app = testApp(t.db);
      const funder = await demoSessionBrowser(app, t.db, 'financeur.demo@example.org');
      const html = await (await funder.request('/espace')).text();
      const funded = block(html, 'funders-funded-now');
      assert.match(funded, /Structures financées par Département \(démonstration\)/);
      assert.match(funded, /<strong>2<\/strong>/);
      assert.match(html, /href="\/financeur"/);
      assert.doesNotMatch(html, /La semaine du réseau/);
      const coordinator = await demoSessionBrowser(app, t.db, 'coordination.demo@example.org');
      const coordinatorHtml = await (await coordinator.request('/espace')).text();
      assert.match(block(coordinatorHtml, 'funders-list'), /<strong>1<\/strong>/);
      assert.doesNotMatch(coordinatorHtml, /funders-funded-now/);
    } finally {
      await t.close();
    }
  });

  it('adds the counts of several flushes and servers, and a failed write loses nothing', async () => {
    const t = await createDemoTestDb();
    try {
      const app = testApp(t.db);
      const second = testApp(t.db);
      await app.request('/recherche?ou=Saran');
      await flushUsage(t.db, SYSTEM);
      await second.request('/recherche?ou=Saran');
      await app.request('/diagnostic/resultat?ou=Saran');
      // The database refuses the write (the table is gone for a moment): the counts stay in memory.
      await t.db.schema.alterTable('usage_count').renameTo('usage_count_away').execute();
      await assert.rejects(flushUsage(t.db, SYSTEM));
      await t.db.schema.alterTable('usage_count_away').renameTo('usage_count').execute();
      assert.equal(await flushUsage(t.db, SYSTEM), 2);
      const stored = await t.db.selectFrom('usage_count').select(['kind', 'count']).orderBy('kind').execute();
      assert.deepEqual(stored, [
        { kind: 'diagnostic_finished', count: 1 },
        { kind: 'search', count: 2 },
      ]);
    } finally {
      await t.close();
    }
  });

  it('counts nothing with USAGE_COUNTERS=off', async () => {
    const t = await createDemoTestDb();
    try {
      const app = testApp(t.db, { USAGE_COUNTERS: 'off' });
      await app.request('/recherche?ou=Saran');
      assert.equal(await flushUsage(t.db, SYSTEM), 0);
      testApp(t.db, { USAGE_COUNTERS: 'on' });
    } finally {
      await t.close();
    }
  });
});
