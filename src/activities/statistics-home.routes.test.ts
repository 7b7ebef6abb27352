import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { sql } from 'kysely';
import { pageText as text } from '../../test/support/activity-pages.ts';
import { testApp } from '../../test/support/app.ts';
import { demoSessionBrowser } from '../../test/support/demo-sessions.ts';
import { closeTestTemplate, createDemoTestDb, type TestDb } from '../../test/support/test-db.ts';
import { localToday } from '../places/place-dates.ts';

after(closeTestTemplate);

/** The text of a home block (its <li>), by its identifier. */
function block(html: string, id: string): string {
  const match = html.match(
    new RegExp(`<li class="card home-block" id="bloc-${id}">([\\s\\S]*?)</li>\\s*(?:<li class="card|</ul>)`),
  );
  return match?.[1] ?? '';
}
const countOf = (b: string) =>
  Number((/<strong>([\d\s\u202f]+)<\/strong>/.exec(b)?.[1] ?? 'NaN').replace(/\D/g, ''));

describe('the statistics blocks of /espace', () => {
  let t: TestDb;
  let app: ReturnType<typeof testApp>;
  before(async () => {
    t = await createDemoTestDb();
    app = testApp(t.db, { TERRITORY: 'epci:244500468' });
  });
  after(async () => {
    await t.close();
  });

  it('shows the coordinator the structures without any record this month, counted apart', async () => {
    const today = localToday(new Date());
    const expected = await sql<{ n: number }>`
      select count(*)::int as n from structure s
      where not exists (select 1 from activity a where a.structure_id = s.id
        and a.date >= ${`${today.slice(0, 7)}-01`}::date and a.date <= ${today}::date)`.execute(t.db);
    const coordinator = await demoSessionBrowser(app, t.db, 'coordination.demo@example.org');
    const html = await (await coordinator.request('/espace')).text();
    const b = block(html, 'activities-silent-structures');
    assert.ok(b !== '', 'the block is there');
    assert.equal(countOf(b), expected.rows[0]?.n);
    assert.match(html, /href="\/activites\/rapport-annuel"/);
  });

  it("shows a funder its year's accompaniments, equal to its statistics page, and the staff neither block", async () => {
    const funder = await demoSessionBrowser(app, t.db, 'financeur.demo@example.org');
    const html = await (await funder.request('/espace')).text();
    const b = block(html, 'activities-funder-figures');
    assert.ok(b !== '', 'the block is there');
    const funderId = (
      await t.db.selectFrom('funder').select('id').where('is_demo', '=', true).executeTakeFirstOrThrow()
    ).id;
    const page = text(
      (await funder.page(`/activites/statistiques/financeur/${funderId}?periode=annee`)).html,
    );
    const m = /<dt>Accompagnements<\/dt><dd><strong>([\d\s\u202f]+)<\/strong>/.exec(page);
    assert.ok(m);
    assert.equal(countOf(b), Number((m[1] as string).replace(/\D/g, '')));
    assert.doesNotMatch(html, /activities-silent-structures/);
    const staff = await demoSessionBrowser(app, t.db, 'mediation.demo@example.org');
    const staffHtml = await (await staff.request('/espace')).text();
    assert.doesNotMatch(staffHtml, /activities-silent-structures|activities-funder-figures/);
  });
});
