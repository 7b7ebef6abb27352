import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import * as XLSX from '@e965/xlsx';
import { pageText as text } from '../../test/support/activity-pages.ts';
import { testApp } from '../../test/support/app.ts';
import type { CookieBrowser } from '../../test/support/cookie-browser.ts';
import { demoSessionBrowser } from '../../test/support/demo-sessions.ts';
import { closeTestTemplate, createDemoTestDb, type TestDb } from '../../test/support/test-db.ts';

after(closeTestTemplate);

/** The key figure of a page: the number after its label. */
const figure = (html: string, label: string) => {
  const m = new RegExp(`<dt>${label}</dt><dd><strong>([\\d\\s\\u202f]+)</strong>`).exec(html);
  assert.ok(m, `figure ${label}`);
  return Number((m[1] as string).replace(/\D/g, ''));
};

describe('activity statistics over HTTP', () => {
  let t: TestDb;
  let app: ReturnType<typeof testApp>;
  let staff: CookieBrowser;
  let coordinator: CookieBrowser;
  let funder: CookieBrowser;
  let other: CookieBrowser;
  let structureId: string;
  let funderId: string;
  before(async () => {
    t = await createDemoTestDb();
    app = testApp(t.db, { TERRITORY: 'epci:244500468' });
    staff = await demoSessionBrowser(app, t.db, 'mediation.demo@example.org');
    coordinator = await demoSessionBrowser(app, t.db, 'coordination.demo@example.org');
    funder = await demoSessionBrowser(app, t.db, 'financeur.demo@example.org');
    other = await demoSessionBrowser(app, t.db, 'autre-structure.demo@example.org');
    structureId = (
      await t.db
        .selectFrom('membership')
        .innerJoin('person', 'person.id', 'membership.person_id')
        .select('membership.structure_id')
        .where('person.email', '=', 'mediation.demo@example.org')
        .executeTakeFirstOrThrow()
    ).structure_id;
    funderId = (
      await t.db.selectFrom('funder').select('id').where('is_demo', '=', true).executeTakeFirstOrThrow()
    ).id;
  });
  after(async () => {
    await t.close();
  });

  it("shows a structure's figures, each saying what it counts, with charts and their tables", async () => {
    const { res, html } = await staff.page('/activites/statistiques?periode=annee-precedente');
    assert.equal(res.status, 200);
    const page = text(html);
    assert.ok(figure(page, 'Activités') > 0, 'the demonstration has records');
    assert.ok(figure(page, 'Accompagnements') >= figure(page, 'Activités'));
    assert.match(page, /Personnes identifiées \(avec une fiche\), comptées une seule fois/);
    assert.match(page, /Comptés une fois par activité/);
    assert.match(page, /<svg[^>]*role="img"/);
    assert.match(page, /<caption>Accompagnements par durée<\/caption>/);
    assert.match(page, /Moins de 30 min/);
    assert.match(page, /<th scope="col">Accompagnements<\/th>/);
    assert.match(page, /Bénéficiaires \(personnes suivies et participants anonymes\)/);
  });

  it('exports the same figures as CSV for French spreadsheets and as XLSX', async () => {
    const csv = await staff.request('/activites/statistiques/export?periode=annee-precedente&format=csv');
    assert.equal(csv.status, 200);
    assert.match(csv.headers.get('Content-Type') ?? '', /text\/csv/);
    assert.match(
      csv.headers.get('Content-Disposition') ?? '',
      /attachment; filename="statistiques-structure-\d{4}-01-01-\d{4}-12-31\.csv"/,
    );
    const bytes = new Uint8Array(await csv.arrayBuffer());
    assert.deepEqual([...bytes.slice(0, 3)], [0xef, 0xbb, 0xbf], 'a BOM for Excel');
    const body = new TextDecoder().decode(bytes);
    assert.match(body, /\r\nActivités;\d+\r\n/);
    const page = text((await staff.page('/activites/statistiques?periode=annee-precedente')).html);
    assert.match(body, new RegExp(`\\r\\nAccompagnements;${figure(page, 'Accompagnements')}\\r\\n`));
    const xlsx = await staff.request('/activites/statistiques/export?periode=annee-precedente&format=xlsx');
    assert.equal(xlsx.status, 200);
    const book = XLSX.read(new Uint8Array(await xlsx.arrayBuffer()), { type: 'array' });
    const rows = XLSX.utils.sheet_to_json<(string | number)[]>(book.Sheets.Statistiques as XLSX.WorkSheet, {
      header: 1,
    });
    const accompaniments = rows.find((r) => r[0] === 'Accompagnements');
    assert.equal(accompaniments?.[1], figure(page, 'Accompagnements'));
  });

  it('gives the coordinator the network, narrowed to a structure, and sends them there from a structure page', async () => {
    const network = text(
      (await coordinator.page('/activites/statistiques/reseau?periode=annee-precedente')).html,
    );
    const mine = text((await staff.page('/activites/statistiques?periode=annee-precedente')).html);
    assert.ok(figure(network, 'Activités') >= figure(mine, 'Activités'));
    const narrowed = await coordinator.page(
      `/activites/statistiques/reseau?periode=annee-precedente&structure=${structureId}`,
    );
    assert.equal(narrowed.res.status, 200);
    assert.equal(figure(text(narrowed.html), 'Activités'), figure(mine, 'Activités'));
    const sent = await coordinator.request(
      `/activites/statistiques?structure=${structureId}&periode=annee-precedente`,
    );
    assert.equal(sent.status, 303);
    assert.match(sent.headers.get('Location') ?? '', /^\/activites\/statistiques\/reseau\?.*structure=/);
  });

  it('shows a funder its aggregates only, and nothing of another perimeter', async () => {
    const own = await funder.page(`/activites/statistiques/financeur/${funderId}`);
    assert.equal(own.res.status, 200);
    assert.match(text(own.html), /pendant les jours de chaque financement/);
    assert.equal((await funder.request('/activites/statistiques/reseau')).status, 403);
    assert.equal((await funder.request('/activites/statistiques')).status, 403);
    assert.equal((await other.request(`/activites/statistiques/financeur/${funderId}`)).status, 403);
    assert.equal((await other.request(`/activites/statistiques?structure=${structureId}`)).status, 403);
    // Another funder's id: refused like an unknown one, before anything is read.
    assert.equal(
      (await funder.request('/activites/statistiques/financeur/00000000-0000-4000-8000-000000000000')).status,
      403,
    );
    assert.equal(
      (await coordinator.request('/activites/statistiques/financeur/00000000-0000-4000-8000-000000000000'))
        .status,
      404,
    );
    assert.equal((await coordinator.request('/activites/statistiques/financeur/pas-un-id')).status, 404);
  });

  it('refuses bad periods and filters in French, naming the field, never with a 500', async () => {
    const cases: [string, RegExp][] = [
      [
        'du=31/03/2026&au=01/01/2026',
        /La fin de la période \(champ « Au », 01\/01\/2026\) est avant son début \(champ « Du », 31\/03\/2026\)/,
      ],
      ['du=01/01/2099', /La date du champ « Du » \(01\/01\/2099\) est dans le futur/],
      ['du=01/01/2026&au=31/12/2099', /La date du champ « Au » \(31\/12\/2099\) est dans le futur/],
      ['du=32/13/2026', /La date « 32\/13\/2026 » du champ « Du » n'est pas une date/],
      ['du=01/01/2019', /avant le premier jour possible d'une activité/],
      ['periode=siecle', /La période « siecle » n'existe pas \(champ « Période »\)/],
      ['par=semaine', /Le regroupement « semaine » n'existe pas/],
      ['thematique=cuisine', /La thématique « cuisine » n'existe pas/],
      ['type=visite', /Le type « visite » n'existe pas/],
      [
        'lieu=00000000-0000-4000-8000-000000000000',
        /Ce lieu n'est pas dans votre périmètre \(champ « Lieu »\)/,
      ],
    ];
    for (const [query, message] of cases) {
      const { res, html } = await staff.page(`/activites/statistiques?${query}`);
      assert.equal(res.status, 422, query);
      assert.match(text(html), message, query);
      const file = await staff.request(`/activites/statistiques/export?${query}&format=csv`);
      assert.equal(file.status, 400, query);
      assert.match(text(await file.text()), message, query);
    }
    const outside = await coordinator.page(
      '/activites/statistiques/reseau?structure=00000000-0000-4000-8000-000000000000',
    );
    assert.equal(outside.res.status, 422);
    assert.match(
      text(outside.html),
      /Cette structure n'est pas dans votre périmètre \(champ « Structure »\)/,
    );
    const format = await staff.request('/activites/statistiques/export?format=pdf');
    assert.equal(format.status, 400);
    assert.match(text(await format.text()), /Le format « pdf » n'existe pas/);
  });
});
