import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import * as XLSX from '@e965/xlsx';
import { testApp } from '../../test/support/app.ts';
import { type CookieBrowser, cookieBrowser } from '../../test/support/cookie-browser.ts';
import { coopLine, coopRows, xlsxOf } from '../../test/support/coop-fixtures.ts';
import { closeTestTemplate, createDemoTestDb, type TestDb } from '../../test/support/test-db.ts';
import { type Cell, dayToSerial } from './coop-sheet.ts';

after(closeTestTemplate);

const STAFF = 'mediation.demo@example.org';
const COORDINATOR = 'coordination.demo@example.org';

describe('the pages of the exchange with La Coop', () => {
  let t: TestDb;
  let app: ReturnType<typeof testApp>;
  let staff: CookieBrowser;
  before(async () => {
    t = await createDemoTestDb();
    app = testApp(t.db);
    staff = cookieBrowser(app);
    await staff.signIn(STAFF);
  });
  after(async () => {
    await t.close();
  });

  const count = async () =>
    Number(
      (
        await t.db
          .selectFrom('activity')
          .select((eb) => eb.fn.countAll<number>().as('n'))
          .where('source', '=', 'coop_import')
          .executeTakeFirstOrThrow()
      ).n,
    );

  const upload = async (b: CookieBrowser, bytes: Uint8Array, name: string) => {
    const form = new FormData();
    form.append('_csrf', await b.csrf('/activites/import'));
    form.append('fichier', new File([bytes as Uint8Array<ArrayBuffer>], name));
    const res = await b.request('/activites/import', { body: form });
    return { res, html: await res.text() };
  };

  it('shows the import and export forms to the structure’s staff, never cached', async () => {
    const { res, html } = await staff.page('/activites/import');
    assert.equal(res.status, 200);
    assert.equal(res.headers.get('Cache-Control'), 'no-store');
    assert.match(html, /enctype="multipart\/form-data"/);
    assert.match(html, /action="\/activites\/export"/);
  });

  it('imports an export, then the same export again adds nothing and says so', async () => {
    const before = await count();
    const file = xlsxOf(
      coopRows([
        coopLine({ idCra: 'route-1' }),
        ...[1, 2].map((i) =>
          coopLine({
            idCra: 'route-2',
            type: 'Atelier collectif',
            participants: `${i}/2`,
            stars: '2/3',
            oriented: '',
            workshopTitle: 'Smartphone',
          }),
        ),
      ]),
    );
    const first = await upload(staff, file, 'coop.xlsx');
    assert.equal(first.res.status, 200, first.html);
    assert.match(first.html, /2 activités ajoutées/);
    assert.equal(await count(), before + 2);
    const again = await upload(staff, file, 'coop.xlsx');
    assert.equal(again.res.status, 200);
    assert.match(again.html, /0 activité ajoutée/);
    assert.match(again.html, /2 activités déjà là/);
    assert.equal(await count(), before + 2);
  });

  it('refuses a bad file with every row and column named, and writes nothing', async () => {
    const before = await count();
    const future = new Date(Date.now() + 400 * 86_400_000).toISOString().slice(0, 10);
    const file = xlsxOf(
      coopRows([
        coopLine({ idCra: 'bad-ok' }),
        coopLine({ idCra: 'bad-1', date: dayToSerial(future) }),
        coopLine({ idCra: 'bad-2', duration: 1500 }),
        coopLine({ idCra: 'bad-3', themes: 'Justice' }),
      ]),
    );
    const { res, html } = await upload(staff, file, 'coop.xlsx');
    assert.equal(res.status, 422);
    assert.match(html, /rien n’a été importé/);
    assert.match(html, /3 erreurs/);
    assert.match(html, /<td>7<\/td><td>Date<\/td><td>La date de l’activité .* est dans le futur/);
    assert.match(html, /<td>8<\/td><td>Durée \(min\)<\/td>/);
    assert.match(html, /<td>9<\/td><td>Thématique\(s\) d’accompagnement<\/td>/);
    assert.equal(await count(), before);
  });

  it('refuses a PDF renamed .xlsx, another layout and a missing file with a French message', async () => {
    const pdf = await upload(staff, new TextEncoder().encode('%PDF-1.7 faux'), 'export.xlsx');
    assert.equal(pdf.res.status, 422);
    assert.match(pdf.html, /Ce fichier est un PDF/);
    const other = await upload(staff, xlsxOf([['Nom', 'Date', 'Montant']] as Cell[][]), 'autre.xlsx');
    assert.equal(other.res.status, 422);
    assert.match(other.html, /« ID CRA »/);
    const form = new FormData();
    form.append('_csrf', await staff.csrf('/activites/import'));
    const none = await staff.request('/activites/import', { body: form });
    assert.equal(none.status, 422);
    assert.match(await none.text(), /Choisissez le fichier exporté de La Coop/);
  });

  it('refuses a file over the limit with a French 413', async () => {
    const big = new Uint8Array(6 * 1024 * 1024).fill(0x41);
    const { res, html } = await upload(staff, big, 'gros.csv');
    assert.equal(res.status, 413);
    assert.match(html, /dépasse 5 Mo/);
  });

  it('exports the records as an attachment in the Coop layout, XLSX or CSV', async () => {
    const res = await staff.request('/activites/export?format=xlsx');
    assert.equal(res.status, 200);
    assert.equal(
      res.headers.get('Content-Type'),
      'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
    );
    assert.match(
      res.headers.get('Content-Disposition') ?? '',
      /^attachment; filename="activites-coop-\d{4}-\d{2}-\d{2}\.xlsx"$/,
    );
    assert.equal(res.headers.get('Cache-Control'), 'no-store');
    const sheet = XLSX.read(new Uint8Array(await res.arrayBuffer()), { type: 'array' }).Sheets.Activités;
    assert.ok(sheet);
    const rows = XLSX.utils.sheet_to_json<Cell[]>(sheet, { header: 1, raw: true, defval: null });
    assert.ok(rows.some((r) => r.includes('route-1')));
    const csv = await staff.request('/activites/export?format=csv&du=01/01/2026&au=2026-12-31');
    assert.equal(csv.status, 200);
    assert.match(csv.headers.get('Content-Type') ?? '', /^text\/csv/);
    assert.match(await csv.text(), /route-2/);
    const bad = await staff.request('/activites/export?du=hier');
    assert.equal(bad.status, 400);
    assert.match(await bad.text(), /« hier » n’est pas une date/);
  });

  it('refuses a coordinator: the records are the structure’s', async () => {
    const coordinator = cookieBrowser(app);
    await coordinator.signIn(COORDINATOR);
    const structure = await t.db
      .selectFrom('membership')
      .innerJoin('person', 'person.id', 'membership.person_id')
      .select('membership.structure_id')
      .where('person.email', '=', STAFF)
      .executeTakeFirstOrThrow();
    const res = await coordinator.request(`/activites/export?structure=${structure.structure_id}`);
    assert.equal(res.status, 403);
    const page = await coordinator.request(`/activites/import?structure=${structure.structure_id}`);
    assert.equal(page.status, 403);
  });
});
