import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { testApp } from '../../test/support/app.ts';
import { cookieBrowser } from '../../test/support/cookie-browser.ts';
import { closeTestTemplate, createDemoTestDb, type TestDb } from '../../test/support/test-db.ts';
import { listAudit, recordAudit, startOfFrenchDay } from './audit.service.ts';
import { checkAuditFilter } from './audit.ts';

after(closeTestTemplate);

describe('audit log filters (pure)', () => {
  it('reads dates in France, both days included, and names the field and the value when wrong', () => {
    assert.equal(startOfFrenchDay('2026-03-29').toISOString(), '2026-03-28T23:00:00.000Z');
    assert.equal(startOfFrenchDay('2026-03-30').toISOString(), '2026-03-29T22:00:00.000Z');
    assert.equal(startOfFrenchDay('2026-12-01').toISOString(), '2026-11-30T23:00:00.000Z');
    const bad = checkAuditFilter({ from: '2026-02-30', to: 'hier', actor: 'x'.repeat(201) });
    assert.equal(bad.ok, false);
    assert.ok(!bad.ok);
    assert.match(bad.issues.from ?? '', /La date « du » « 2026-02-30 » n'est pas une date/);
    assert.match(bad.issues.to ?? '', /« hier »/);
    assert.match(bad.issues.actor ?? '', /trop long \(201 caractères\)/);
    const reversed = checkAuditFilter({ from: '2026-05-10', to: '2026-05-01' });
    assert.ok(!reversed.ok && /avant la date « du »/.test(reversed.issues.to ?? ''));
  });
});

describe('the audit log page and its CSV export', () => {
  let t: TestDb;
  let app: ReturnType<typeof testApp>;
  let coordinator: ReturnType<typeof cookieBrowser>;
  let adminId: string;
  before(async () => {
    t = await createDemoTestDb();
    app = testApp(t.db);
    adminId = (
      await t.db
        .selectFrom('person')
        .select('id')
        .where('email', '=', 'admin.demo@example.org')
        .executeTakeFirstOrThrow()
    ).id;
    // 60 entries by the structure's administrator on 2026-05-04 (Paris), one at 23:30 Paris on 05-04
    // (21:30 UTC), one just after midnight Paris on 05-05 (22:10 UTC on 05-04), and a formula-like value.
    for (let i = 0; i < 60; i++) {
      await recordAudit(t.db, {
        actorId: adminId,
        actorLabel: 'personne',
        action: 'membership.invited',
        subjectType: 'structure',
        subjectId: `s-${i}`,
        details: { email: `invite-${i}@example.org` },
        at: new Date(Date.UTC(2026, 4, 4, 8, i)),
      });
    }
    await recordAudit(t.db, {
      actorId: null,
      actorLabel: 'cli',
      action: 'role.coordinator_granted',
      subjectType: 'person',
      subjectId: 'late-evening',
      details: { note: '=HYPERLINK("http://x")', html: '<script>alert(1)</script>' },
      at: new Date('2026-05-04T21:30:00Z'),
    });
    await recordAudit(t.db, {
      actorId: null,
      actorLabel: 'cli',
      action: 'role.coordinator_granted',
      subjectType: 'person',
      subjectId: 'after-midnight',
      at: new Date('2026-05-04T22:10:00Z'),
    });
    coordinator = cookieBrowser(app);
    await coordinator.signIn('coordination.demo@example.org');
  });
  after(() => t.close());

  it('is for coordinators only: anonymous visitors sign in first, others get 403', async () => {
    for (const path of ['/journal', '/journal.csv']) {
      const res = await app.request(path);
      assert.equal(res.status, 303);
      assert.equal(res.headers.get('Location'), '/connexion');
    }
    for (const email of ['admin.demo@example.org', 'financeur.demo@example.org']) {
      const b = cookieBrowser(app);
      await b.signIn(email);
      assert.equal((await b.request('/journal')).status, 403, email);
      const csv = await b.request('/journal.csv');
      assert.equal(csv.status, 403, email);
      assert.doesNotMatch(await csv.text(), /invite-/);
    }
  });

  it('filters by action, author, subject and dates in France with a GET form, and pages through', async () => {
    const all = await coordinator.request('/journal');
    assert.equal(all.status, 200);
    const html = await all.text();
    assert.match(html, /<form method="get" action="\/journal">/);
    assert.match(html, /<option value="membership.invited">Invitation dans une structure<\/option>/);
    assert.ok(!html.includes('<script>alert(1)</script>'), 'details stay inert');
    assert.match(html, /&lt;script&gt;alert\(1\)&lt;\/script&gt;/);

    const byAction = await (await coordinator.request('/journal?action=membership.invited')).text();
    assert.match(byAction, /<h2>60 entrées<\/h2>/);
    assert.match(byAction, /page 1 sur 2/);
    assert.match(byAction, /href="\/journal\?action=membership.invited&amp;page=2">Page suivante/);
    assert.match(byAction, /href="\/journal.csv\?action=membership.invited"/);
    const page2 = await (await coordinator.request('/journal?action=membership.invited&page=2')).text();
    assert.equal((page2.match(/<tr><td><time/g) ?? []).length, 10);
    assert.match(page2, /invite-0@example\.org</, 'the oldest entry is on the last page');
    // Subjects in words, never an identifier.
    assert.doesNotMatch(page2, /s-0|structure s-/);
    assert.match(page2, /Une structure supprimée depuis/);

    const byActor = await (await coordinator.request('/journal?actor=ADMIN.demo&subject=structure')).text();
    assert.match(byActor, /<h2>60 entrées<\/h2>/);
    assert.match(byActor, /admin\.demo@example\.org/);
    const bySubject = await (await coordinator.request('/journal?subject=s-7')).text();
    assert.match(bySubject, /<h2>1 entrée<\/h2>/);
    assert.match(bySubject, /invite-7@example\.org/);

    // 2026-05-04 in France ends at 22:00 UTC: 23:30 Paris is in, 00:10 Paris the next day is out.
    const day = await (
      await coordinator.request('/journal?action=role.coordinator_granted&from=2026-05-04&to=2026-05-04')
    ).text();
    assert.match(day, /<h2>1 entrée<\/h2>/);
    assert.match(day, /04\/05\/2026 23:30:00/);
    const next = await (
      await coordinator.request('/journal?action=role.coordinator_granted&from=2026-05-05')
    ).text();
    assert.match(next, /<h2>1 entrée<\/h2>/);
    assert.match(next, /05\/05\/2026 00:10:00/);
  });

  it('refuses a wrong date with a message naming the field and the value, keeping what was typed', async () => {
    const res = await coordinator.request('/journal?from=31%2F02%2F2026&actor=%3Cb%3Ex');
    assert.equal(res.status, 422);
    const html = await res.text();
    assert.match(html, /<title>Erreur : Journal/);
    assert.match(html, /href="#from">La date « du » « 31\/02\/2026 » n&#39;est pas une date/);
    assert.match(html, /value="31\/02\/2026"/);
    assert.match(html, /value="&lt;b&gt;x"/);
    const csv = await coordinator.request('/journal.csv?from=demain');
    assert.equal(csv.status, 303, 'the export sends back to the page with the message');
  });

  it('exports the same filtered entries as CSV with French headers, inert formulas, and logs the export', async () => {
    const res = await coordinator.request(
      '/journal.csv?action=role.coordinator_granted&from=2026-05-04&to=2026-05-04',
    );
    assert.equal(res.status, 200);
    assert.match(res.headers.get('content-type') ?? '', /text\/csv/);
    assert.match(res.headers.get('content-disposition') ?? '', /attachment; filename="journal.csv"/);
    const bytes = new Uint8Array(await res.arrayBuffer());
    assert.deepEqual([...bytes.subarray(0, 3)], [0xef, 0xbb, 0xbf]);
    const text = new TextDecoder().decode(bytes);
    const lines = text.split('\r\n').filter(Boolean);
    assert.equal(
      lines[0],
      "Date (heure de Paris);Action;Action (en clair);Auteur;Adresse e-mail de l'auteur;Type d'auteur;Identifiant de l'auteur;Sujet;Type de sujet;Identifiant du sujet;Détails",
    );
    assert.equal(lines.length, 2, 'one entry and the header');
    assert.match(
      lines[1] ?? '',
      /^04\/05\/2026 23:30:00;role.coordinator_granted;Rôle de coordination donné;ligne de commande;;cli;;Un compte supprimé depuis;person;late-evening;/,
    );
    assert.ok(!/;=HYPERLINK/.test(text));

    const exports = await listAudit(t.db, { action: 'audit_log.exported' });
    assert.equal(exports.length, 1);
    assert.deepEqual(exports[0]?.details, {
      filter: { action: 'role.coordinator_granted', from: '2026-05-04', to: '2026-05-04' },
      rows: 1,
    });
    assert.ok(exports[0]?.actorId, 'the export names who made it');
    // The export is itself on the page.
    const page = await (await coordinator.request('/journal?action=audit_log.exported')).text();
    assert.match(page, /Journal exporté/);
    assert.match(page, /coordination\.demo@example\.org/);
  });
});
