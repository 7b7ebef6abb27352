import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { pageText as text } from '../../test/support/activity-pages.ts';
import { testApp } from '../../test/support/app.ts';
import type { CookieBrowser } from '../../test/support/cookie-browser.ts';
import { demoSessionBrowser } from '../../test/support/demo-sessions.ts';
import { closeTestTemplate, createDemoTestDb, type TestDb } from '../../test/support/test-db.ts';
import { localToday } from '../places/place-dates.ts';
import { checkReportYear } from './report.ts';

after(closeTestTemplate);

/** A key figure of the statistics page: the number after its label. */
const statFigure = (html: string, label: string) => {
  const m = new RegExp(`<dt>${label}</dt><dd><strong>([\\d\\s\\u202f]+)</strong>`).exec(html);
  assert.ok(m, `figure ${label}`);
  return Number((m[1] as string).replace(/\D/g, ''));
};
/** A key figure of the report: the cell after its row heading. */
const reportFigure = (html: string, label: string) => {
  const m = new RegExp(`<th scope="row">${label}</th><td>([\\d\\s\\u202f]+)</td>`).exec(html);
  assert.ok(m, `report figure ${label}`);
  return Number((m[1] as string).replace(/\D/g, ''));
};

describe('the year to report', () => {
  it('cuts the current year at today and refuses a future year, a year before the records, a word', () => {
    assert.deepEqual(checkReportYear('2025', '2026-12-07', '2024-03-01'), {
      ok: true,
      year: 2025,
      from: '2025-01-01',
      to: '2025-12-31',
      partial: false,
    });
    assert.deepEqual(checkReportYear('', '2026-12-07', '2024-03-01'), {
      ok: true,
      year: 2026,
      from: '2026-01-01',
      to: '2026-12-07',
      partial: true,
    });
    const future = checkReportYear('2027', '2026-12-07', '2024-03-01');
    assert.ok(!future.ok && /2027 n'a pas encore commencé/.test(future.message));
    const old = checkReportYear('2023', '2026-12-07', '2024-03-01');
    assert.ok(!old.ok && /avant 2024/.test(old.message));
    const word = checkReportYear('deux', '2026-12-07', null);
    assert.ok(!word.ok && /« deux » n'est pas une année/.test(word.message));
  });
});

describe('the annual evaluation report over HTTP', () => {
  let t: TestDb;
  let app: ReturnType<typeof testApp>;
  let coordinator: CookieBrowser;
  let staff: CookieBrowser;
  let funder: CookieBrowser;
  let structureId: string;
  const lastYear = Number(localToday(new Date()).slice(0, 4)) - 1;
  before(async () => {
    t = await createDemoTestDb();
    app = testApp(t.db, { TERRITORY: 'epci:244500468' });
    coordinator = await demoSessionBrowser(app, t.db, 'coordination.demo@example.org');
    staff = await demoSessionBrowser(app, t.db, 'mediation.demo@example.org');
    funder = await demoSessionBrowser(app, t.db, 'financeur.demo@example.org');
    structureId = (
      await t.db
        .selectFrom('membership')
        .innerJoin('person', 'person.id', 'membership.person_id')
        .select('membership.structure_id')
        .where('person.email', '=', 'mediation.demo@example.org')
        .executeTakeFirstOrThrow()
    ).structure_id;
  });
  after(async () => {
    await t.close();
  });

  it("prints the network's year with the statistics' own figures, the places, the method and the limits", async () => {
    const { res, html } = await coordinator.page(`/activites/rapport-annuel?annee=${lastYear}`);
    assert.equal(res.status, 200);
    const page = text(html);
    const stats = text(
      (await coordinator.page(`/activites/statistiques/reseau?du=${lastYear}-01-01&au=${lastYear}-12-31`))
        .html,
    );
    assert.ok(reportFigure(page, 'Activités') > 0, 'the demonstration has records last year');
    for (const [r, s] of [
      ['Activités', 'Activités'],
      ['Accompagnements', 'Accompagnements'],
      ['Personnes suivies', 'Personnes suivies'],
      ['Participants anonymes', 'Participants anonymes'],
    ] as const)
      assert.equal(reportFigure(page, r), statFigure(stats, s), `${r} equals the statistics page`);
    assert.match(page, /<caption>Accompagnements par mois<\/caption>/);
    assert.match(page, /<svg[^>]*role="img"/);
    assert.match(page, /<h2>Les lieux<\/h2>/);
    assert.match(page, /<h2>Orientations<\/h2>/);
    assert.match(page, /<h2>Couverture du territoire<\/h2>/);
    assert.match(page, /<h2>Limites<\/h2>/);
    assert.match(page, /ne sont jamais additionnés aux personnes suivies/);
  });

  it("narrows the report to one structure, equal to the structure's statistics", async () => {
    const { res, html } = await coordinator.page(
      `/activites/rapport-annuel?annee=${lastYear}&structure=${structureId}`,
    );
    assert.equal(res.status, 200);
    const page = text(html);
    const stats = text(
      (
        await staff.page(
          `/activites/statistiques?structure=${structureId}&du=${lastYear}-01-01&au=${lastYear}-12-31`,
        )
      ).html,
    );
    assert.equal(reportFigure(page, 'Accompagnements'), statFigure(stats, 'Accompagnements'));
    assert.doesNotMatch(
      page,
      /<h2>Orientations<\/h2>/,
      'the orientations are the network’s, not one structure’s',
    );
  });

  it('answers a bad year with a French message (400) and a structure outside the network with a 404', async () => {
    const next = Number(localToday(new Date()).slice(0, 4)) + 1;
    for (const [query, status, message] of [
      [`annee=${next}`, 400, `L'année ${next} n'a pas encore commencé`],
      ['annee=1999', 400, "Aucune activité n'est enregistrée avant"],
      ['annee=deux', 400, "« deux » n'est pas une année"],
      ['structure=00000000-0000-4000-8000-000000000000', 404, "Cette structure n'existe pas dans le réseau"],
      ['structure=pas-un-id', 404, "Cette structure n'existe pas dans le réseau"],
    ] as const) {
      const { res, html } = await coordinator.page(`/activites/rapport-annuel?${query}`);
      assert.equal(res.status, status, query);
      assert.ok(text(html).includes(message.replace(/'/g, '&#39;')) || text(html).includes(message), query);
    }
  });

  it('is refused to a structure’s staff and to a funder', async () => {
    assert.equal((await staff.page('/activites/rapport-annuel')).res.status, 403);
    assert.equal((await funder.page('/activites/rapport-annuel')).res.status, 403);
  });
});
