import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { testApp } from '../../test/support/app.ts';
import { cookieBrowser } from '../../test/support/cookie-browser.ts';
import { demoSessionBrowser } from '../../test/support/demo-sessions.ts';
import { closeTestTemplate, createDemoTestDb, type TestDb } from '../../test/support/test-db.ts';
import type { Db } from '../db/database.ts';

after(closeTestTemplate);

const UNKNOWN = '00000000-0000-4000-8000-000000000000';

async function demo() {
  const t: TestDb = await createDemoTestDb();
  const app = testApp(t.db, { TERRITORY: 'epci:244500468' });
  const funder = await t.db
    .selectFrom('funder')
    .select('id')
    .where('is_demo', '=', true)
    .executeTakeFirstOrThrow();
  const coordinator = await demoSessionBrowser(app, t.db, 'coordination.demo@example.org');
  return { t, app, demoFunderId: funder.id, coordinator };
}

const count = async (db: Db, table: 'funder' | 'funding') =>
  (await db.selectFrom(table).select(db.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n;

/** The text of the page's error summary (its links' words). */
const summary = (html: string) => /<div class="error-summary"[\s\S]*?<\/div>/.exec(html)?.[0] ?? '';

describe('the coordinator’s pages of funders', () => {
  it('creates a funder, shows it in the list and on its page', async () => {
    const { t, coordinator } = await demo();
    try {
      const res = await coordinator.post('/financeurs', '/financeurs', {
        name: 'CAF du Loiret',
        siren: '214502346',
        contactEmail: 'contact@caf.example.org',
        contactPhone: '0238112233',
      });
      assert.equal(res.status, 303);
      const location = res.headers.get('Location') ?? '';
      assert.match(location, /^\/financeurs\/[0-9a-f-]{36}\?fait=cree$/);
      const page = await coordinator.page(location);
      assert.equal(page.res.status, 200);
      assert.match(page.html, /<h1>CAF du Loiret<\/h1>/);
      assert.match(page.html, /214 502 346/);
      assert.match(page.html, /02 38 11 22 33/);
      assert.match(page.html, /Le financeur est créé/);
      const list = await coordinator.page('/financeurs');
      assert.match(list.html, /CAF du Loiret<\/a>/);
    } finally {
      await t.close();
    }
  });

  it('refuses an empty name and a SIREN with a wrong checksum, naming the fields, writing nothing', async () => {
    const { t, coordinator } = await demo();
    try {
      const before = await count(t.db, 'funder');
      const res = await coordinator.post('/financeurs', '/financeurs', { name: ' ', siren: '214 502 347' });
      assert.equal(res.status, 422);
      const html = await res.text();
      assert.match(html, /<title>Erreur : Financeurs — Maillage<\/title>/);
      const top = summary(html);
      assert.match(top, /href="#name">Indiquez le nom du financeur/);
      assert.match(top, /href="#siren">Le SIREN « 214 502 347 » n&#39;est pas valide/);
      // The typed values come back in the form.
      assert.match(html, /name="siren" type="text" value="214 502 347"/);
      assert.equal(await count(t.db, 'funder'), before);
    } finally {
      await t.close();
    }
  });

  it('records a funding and refuses an end before the start and an unknown structure, writing nothing', async () => {
    const { t, coordinator, demoFunderId } = await demo();
    try {
      const page = `/financeurs/${demoFunderId}`;
      const action = `${page}/financements`;
      const structure = await t.db
        .selectFrom('structure')
        .select(['id', 'nom'])
        .orderBy('nom', 'desc')
        .executeTakeFirstOrThrow();
      const before = await count(t.db, 'funding');

      const reversed = await coordinator.post(page, action, {
        structureId: structure.id,
        startsOn: '2026-07-01',
        endsOn: '2026-06-30',
      });
      assert.equal(reversed.status, 422);
      const reversedHtml = await reversed.text();
      assert.match(
        summary(reversedHtml),
        /href="#endsOn">La date de fin \(30\/06\/2026\) est avant la date de début \(01\/07\/2026\)/,
      );
      assert.match(reversedHtml, /name="startsOn" type="date" value="2026-07-01"/);

      const unknown = await coordinator.post(page, action, {
        structureId: UNKNOWN,
        startsOn: '2026-07-01',
        endsOn: '',
      });
      assert.equal(unknown.status, 422);
      assert.match(summary(await unknown.text()), /href="#structureId">Cette structure n&#39;existe pas/);

      const garbage = await coordinator.post(page, action, {
        structureId: 'pas-un-id',
        startsOn: 'demain',
        endsOn: '',
      });
      assert.equal(garbage.status, 422);
      const garbageTop = summary(await garbage.text());
      assert.match(garbageTop, /href="#structureId">/);
      assert.match(garbageTop, /href="#startsOn">La date de début « demain » n&#39;est pas une date/);
      assert.equal(await count(t.db, 'funding'), before);

      const ok = await coordinator.post(page, action, {
        structureId: structure.id,
        startsOn: '2030-01-01',
        endsOn: '',
      });
      assert.equal(ok.status, 303);
      assert.equal(await count(t.db, 'funding'), before + 1);
      const shown = await coordinator.page(`${page}?fait=financement`);
      assert.match(shown.html, /Le financement est enregistré/);
      assert.match(shown.html, /01\/01\/2030/);
    } finally {
      await t.close();
    }
  });

  it('ends a funding from its row, and says which date is wrong', async () => {
    const { t, coordinator, demoFunderId } = await demo();
    try {
      const funding = await t.db
        .selectFrom('funding')
        .select(['id', 'starts_on'])
        .where('funder_id', '=', demoFunderId)
        .where('ends_on', 'is', null)
        .executeTakeFirstOrThrow();
      const page = `/financeurs/${demoFunderId}`;
      const action = `${page}/financements/${funding.id}/fin`;
      const bad = await coordinator.post(page, action, { endsOn: '1999-01-01' });
      assert.equal(bad.status, 422);
      assert.match(
        summary(await bad.text()),
        new RegExp(`href="#fin-${funding.id}">La date de fin \\(01/01/1999\\)`),
      );
      const good = await coordinator.post(page, action, { endsOn: '2099-12-31' });
      assert.equal(good.status, 303);
      const row = await t.db
        .selectFrom('funding')
        .select('ends_on')
        .where('id', '=', funding.id)
        .executeTakeFirstOrThrow();
      assert.equal(row.ends_on, '2099-12-31');
    } finally {
      await t.close();
    }
  });

  it('invites a person by e-mail and edits the funder', async () => {
    const { t, app, coordinator, demoFunderId } = await demo();
    try {
      const page = `/financeurs/${demoFunderId}`;
      const empty = await coordinator.post(page, `${page}/invitations`, { email: '' });
      assert.equal(empty.status, 422);
      assert.match(summary(await empty.text()), /href="#email">Indiquez l’adresse e-mail/);
      const sent = await coordinator.post(page, `${page}/invitations`, {
        email: 'agent@departement.example.org',
      });
      assert.equal(sent.status, 303);
      const mail = await t.db
        .selectFrom('mail_outbox')
        .select('subject')
        .where('to_address', '=', 'agent@departement.example.org')
        .executeTakeFirstOrThrow();
      assert.equal(mail.subject, 'Invitation à suivre Département (démonstration) sur Maillage');
      // The invitation's page says which funder the person joins.
      const body = await t.db
        .selectFrom('mail_outbox')
        .select('text_body')
        .where('to_address', '=', 'agent@departement.example.org')
        .executeTakeFirstOrThrow();
      const link = /\/invitation\/[A-Za-z0-9_-]{43}/.exec(body.text_body)?.[0];
      assert.ok(link);
      const invitation = await cookieBrowser(app).page(link);
      assert.equal(invitation.res.status, 200);
      assert.match(invitation.html, /vous rejoignez le financeur « Département \(démonstration\) »/);

      const edit = `${page}/modifier`;
      const refused = await coordinator.post(edit, edit, { name: 'Département', siren: '123' });
      assert.equal(refused.status, 422);
      assert.match(summary(await refused.text()), /href="#siren">/);
      const saved = await coordinator.post(edit, edit, { name: 'Département du Loiret', siren: '' });
      assert.equal(saved.status, 303);
      const row = await t.db
        .selectFrom('funder')
        .select(['name', 'siren'])
        .where('id', '=', demoFunderId)
        .executeTakeFirstOrThrow();
      assert.deepEqual(row, { name: 'Département du Loiret', siren: null });
    } finally {
      await t.close();
    }
  });
});

describe('the funder’s own page', () => {
  it('shows the demo funder its organisation, the structures it funds and the figures, without forms', async () => {
    const { t, app, demoFunderId } = await demo();
    try {
      const funder = cookieBrowser(app);
      await funder.signIn('financeur.demo@example.org');
      const mine = await funder.page('/financeur');
      assert.equal(mine.res.status, 200);
      assert.match(mine.html, /<h1>Département \(démonstration\)<\/h1>/);
      assert.equal((mine.html.match(/<h1>/g) ?? []).length, 1);
      assert.match(mine.html, /Structures financées/);
      assert.match(mine.html, /Chiffres du réseau/);
      assert.match(mine.html, /Recherches de lieux<\/h3>\s*<p>0 recherche de lieux sur la période/);
      assert.match(mine.html, new RegExp(`href="/financeurs/${demoFunderId}/chiffres.csv\\?du=`));
      assert.doesNotMatch(mine.html, /<form method="post"[^>]*financements/);
      assert.doesNotMatch(mine.html, /financeur\.demo@example\.org \(/);
    } finally {
      await t.close();
    }
  });

  it('refuses a funder the page and the CSV of another funder', async () => {
    const { t, app, coordinator } = await demo();
    try {
      const res = await coordinator.post('/financeurs', '/financeurs', { name: 'Autre financeur' });
      const other = (res.headers.get('Location') ?? '').replace(/\?.*$/, '');
      assert.match(other, /^\/financeurs\/[0-9a-f-]{36}$/);
      const funder = await demoSessionBrowser(app, t.db, 'financeur.demo@example.org');
      assert.equal((await funder.request(other)).status, 403);
      assert.equal((await funder.request(`${other}/chiffres.csv`)).status, 403);
      assert.equal((await funder.request('/financeurs')).status, 403);
      assert.equal((await funder.request(`/financeurs/${UNKNOWN}`)).status, 403);
      assert.equal((await coordinator.request(`/financeurs/${UNKNOWN}`)).status, 404);
    } finally {
      await t.close();
    }
  });

  it('exports the figures as a CSV file for spreadsheets', async () => {
    const { t, app, demoFunderId } = await demo();
    try {
      const funder = await demoSessionBrowser(app, t.db, 'financeur.demo@example.org');
      const res = await funder.request(`/financeurs/${demoFunderId}/chiffres.csv`);
      assert.equal(res.status, 200);
      assert.equal(res.headers.get('Content-Type'), 'text/csv; charset=utf-8');
      assert.match(
        res.headers.get('Content-Disposition') ?? '',
        /^attachment; filename="chiffres-financeur-\d{4}-\d{2}-\d{2}-\d{4}-\d{2}-\d{2}\.csv"$/,
      );
      assert.equal(res.headers.get('Cache-Control'), 'no-store');
      const csv = await res.text();
      const lines = csv
        .replace(/^\uFEFF/, '')
        .trimEnd()
        .split('\r\n');
      assert.equal(lines[0], 'rubrique;libelle;valeur');
      assert.equal(lines[1], 'financeur;nom;Département (démonstration)');
      const total = await t.db
        .selectFrom('orientation')
        .select(t.db.fn.countAll<number>().as('n'))
        .executeTakeFirstOrThrow();
      assert.ok(lines.includes(`orientations;total;${total.n}`));
      assert.ok(lines.some((l) => l.startsWith('orientations par besoin;')));
      assert.ok(lines.some((l) => l.startsWith('orientations par commune;')));
      assert.ok(lines.some((l) => /^couverture;lieux;\d+$/.test(l)));
    } finally {
      await t.close();
    }
  });

  it('shows and exports the figures of a chosen period, and names a wrong date', async () => {
    const { t, app, demoFunderId } = await demo();
    try {
      const funder = await demoSessionBrowser(app, t.db, 'financeur.demo@example.org');
      const page = `/financeurs/${demoFunderId}`;
      const year = await funder.page(`${page}?du=2025-01-01&au=31/12/2025`);
      assert.equal(year.res.status, 200);
      assert.match(year.html, /Du 01\/01\/2025 au 31\/12\/2025, pour tout le réseau/);
      assert.match(year.html, /chiffres\.csv\?du=2025-01-01&amp;au=2025-12-31"/);
      const csv = await (await funder.request(`${page}/chiffres.csv?du=2025-01-01&au=2025-12-31`)).text();
      assert.match(csv, /\r\nperiode;du;2025-01-01\r\nperiode;au;2025-12-31\r\n/);
      assert.match(csv, /\r\norientations;total;0\r\n/);

      const wrong = await funder.page(`${page}?du=2025-13-01`);
      assert.equal(wrong.res.status, 422);
      assert.match(
        summary(wrong.html),
        /href="#du">La date « 2025-13-01 » du champ « Du » n&#39;est pas une date/,
      );
      const reversed = await funder.page(`${page}?du=2025-06-01&au=2025-05-01`);
      assert.equal(reversed.res.status, 422);
      assert.match(
        summary(reversed.html),
        /href="#au">La fin de la période \(01\/05\/2025\) est avant son début/,
      );
      const badCsv = await funder.request(`${page}/chiffres.csv?au=demain`);
      assert.equal(badCsv.status, 400);
      assert.match(await badCsv.text(), /« demain » du champ « Au »/);
    } finally {
      await t.close();
    }
  });

  it('tells a signed-in person without a funder to ask the coordination', async () => {
    const { t, app } = await demo();
    try {
      const staff = await demoSessionBrowser(app, t.db, 'mediation.demo@example.org');
      const page = await staff.page('/financeur');
      assert.equal(page.res.status, 200);
      assert.match(page.html, /rattaché à aucun financeur/);
    } finally {
      await t.close();
    }
  });
});
