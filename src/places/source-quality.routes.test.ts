import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { testApp } from '../../test/support/app.ts';
import { cookieBrowser } from '../../test/support/cookie-browser.ts';
import { bytes, sampleRow, toCsv } from '../../test/support/fixtures.ts';
import { currentForm } from '../../test/support/place-edit-fixtures.ts';
import { closeTestTemplate, createDemoTestDb, type TestDb } from '../../test/support/test-db.ts';
import { DEFAULT_LIMITS } from '../config.ts';
import type { Db } from '../db/database.ts';
import { decideErrorReport, decidePlaceChange } from '../moderation/moderation.service.ts';
import { serializeRecordsJson } from '../publication/data-inclusion.ts';
import { parseTerritory, WHOLE_DIRECTORY } from '../shared/territory.ts';
import { reportPlaceError } from './error-reports.service.ts';
import { proposePlaceChange } from './place-edit.service.ts';
import { importPlacesFile } from './places-import.service.ts';

/** Tests act as the command line, which may do everything the directory allows. */
const SYSTEM = { kind: 'system' } as const;
const COORDINATOR_EMAIL = 'coordination.demo@example.org';

after(closeTestTemplate);

async function placeOf(db: Db, source: string, sourceId: string) {
  return db
    .selectFrom('place')
    .select(['id', 'nom', 'horaires'])
    .where('source', '=', source)
    .where('source_id', '=', sourceId)
    .executeTakeFirstOrThrow();
}

/** A data·inclusion structure and its one service, in Orléans unless placed elsewhere. */
function structure(source: string, id: string, over: Record<string, unknown> = {}) {
  return {
    structure: {
      source,
      id,
      nom: `Lieu ${id}`,
      date_maj: '2026-05-02',
      lien_source: null,
      siret: null,
      telephone: null,
      courriel: null,
      site_web: null,
      description: null,
      horaires_accueil: null,
      accessibilite_lieu: null,
      reseaux_porteurs: null,
      commune: 'Orléans',
      code_postal: '45000',
      code_insee: '45234',
      adresse: `${id.length} rue de la Source ${id}`,
      complement_adresse: null,
      longitude: 1.9,
      latitude: 47.9,
      ...over,
    },
    service: {
      source,
      structure_id: id,
      id: `${id}--s1`,
      nom: 'Accès libre',
      description: 'Ordinateurs en accès libre',
      date_maj: '2026-05-02',
      type: 'aide-materielle',
      thematiques: ['numerique--acceder-a-une-connexion-internet'],
    },
  };
}

const MARSEILLE = {
  commune: 'Marseille',
  code_postal: '13001',
  code_insee: '13201',
  adresse: '1 La Canebière',
  latitude: 43.2965,
  longitude: 5.3764,
};

async function withDemo(run: (t: TestDb) => Promise<void>): Promise<void> {
  const t = await createDemoTestDb();
  try {
    await run(t);
  } finally {
    await t.close();
  }
}

describe('data quality per source and corrections sent back (decision 0059)', () => {
  it('shows per source what the last import brought, the rows skipped outside per source of one national file, and the merged records that disagree, with the record shown', async () => {
    await withDemo(async (t) => {
      // The second publisher's record merged into the demonstration's médiathèque now gives other hours,
      // with an older date: the demonstration's record stays the one shown.
      const merged = await placeOf(t.db, 'demo-cartographie', 'carto-45-0102');
      const shown = await placeOf(t.db, 'demo', 'demo-002');
      assert.ok(shown.horaires);
      await importPlacesFile(
        t.db,
        SYSTEM,
        bytes(
          toCsv([
            sampleRow({
              id: 'carto-45-0102',
              nom: 'Médiathèque La Source',
              commune: 'Orléans',
              code_postal: '45100',
              code_insee: '45234',
              adresse: '4 pl. Sainte Beuve',
              latitude: '47.84075',
              longitude: '1.94112',
              telephone: '02 61 91 01 02',
              horaires: 'Mo-Fr 10:00-11:00',
              date_maj: '2026-04-01',
            }),
          ]),
        ),
        { fileName: 'cartographie.csv', source: 'demo-cartographie' },
      );
      // One data·inclusion file of two sources: each gets its own rows skipped outside the territory.
      const territory = parseTerritory('epci:244500468');
      assert.ok(territory.ok);
      const records = [
        structure('dora', 'dora-1'),
        structure('dora', 'dora-2', MARSEILLE),
        structure('france-services', 'fs-1', MARSEILLE),
        structure('france-services', 'fs-2', MARSEILLE),
      ];
      const report = await importPlacesFile(
        t.db,
        SYSTEM,
        Buffer.from(serializeRecordsJson(records.map((r) => r.structure))),
        {
          fileName: 'structures.json',
          services: {
            bytes: Buffer.from(serializeRecordsJson(records.map((r) => r.service))),
            fileName: 'services.json',
          },
          scope: { ...WHOLE_DIRECTORY, territory: territory.territory, marginKm: 10 },
        },
      );
      assert.equal(report.outsideSkipped, 3);
      assert.equal(report.imported, 1);

      const b = cookieBrowser(testApp(t.db));
      await b.signIn(COORDINATOR_EMAIL);
      const page = await b.request('/qualite');
      assert.equal(page.status, 200);
      const html = await page.text();
      assert.match(html, /<h2 id="sources">Par source<\/h2>/);
      assert.match(html, /<caption>Lieux et dernier import, par source<\/caption>/);
      const row = (source: string) =>
        new RegExp(`<th scope="row">${source}</th>(.*?)</tr>`)
          .exec(html)?.[1]
          ?.replace(/<a [^>]*>.*?<\/a>/, 'A');
      // Origin, places, hidden, last import, new, merged, outside, conflicts.
      assert.equal(
        row('dora'),
        '<td>data·inclusion</td><td>1</td><td>0</td><td>A</td><td>1</td><td>0</td><td>1</td><td>0</td>',
      );
      assert.equal(
        row('france-services'),
        '<td>système national (par son nom)</td><td>0</td><td>0</td><td>A</td><td>0</td><td>0</td><td>2</td><td>0</td>',
      );
      assert.equal(
        row('demo-cartographie'),
        '<td>fichier importé</td><td>2</td><td>1</td><td>A</td><td>0</td><td>0</td><td>0</td><td>1</td>',
      );
      assert.match(
        html,
        /<a href="\/imports\/[0-9a-f-]{36}\/rapport\.csv">[^<]+ \(structures\.json \+ services\.json\)<\/a>/,
      );

      assert.match(html, /<h2 id="conflits">Conflits entre sources \(1\)<\/h2>/);
      const conflict = new RegExp(
        `<th scope="row"><a href="/lieux/${shown.id}">${shown.nom}</a></th><td>Horaires</td>` +
          `<td>${shown.horaires}<br/>demo \\(identifiant demo-002\\), fiche affichée</td>` +
          `<td>Mo-Fr 10:00-11:00<br/>demo-cartographie \\(identifiant carto-45-0102\\)</td><td>demo</td>`,
      );
      assert.match(html, conflict);
      assert.ok(merged.id !== shown.id);
      assert.match(html, /<a href="\/qualite\/corrections">Corrections à renvoyer aux sources<\/a>/);
    });
  });

  it("lists per source the reports and accepted edits of other sources' places, and gives each source a CSV without the reporter, formulas inert", async () => {
    await withDemo(async (t) => {
      const carto = await placeOf(t.db, 'demo-cartographie', 'carto-45-0107');
      const report = (message: string, contact: string) =>
        reportPlaceError(
          t.db,
          SYSTEM,
          { placeId: carto.id, message, contact },
          { client: `c-${message}`, limits: DEFAULT_LIMITS },
        );
      const kept = await report(
        '=HYPERLINK("http://x") Le numéro ne répond plus.',
        'sam.signale@example.org',
      );
      assert.ok(kept.ok);
      const rejected = await report('Message sans objet.', '');
      assert.ok(rejected.ok);
      await decideErrorReport(
        t.db,
        SYSTEM,
        { reportId: rejected.id, decision: 'rejected', message: 'Sans objet.' },
        {
          config: { publicUrl: 'http://localhost' },
        },
      );
      const form = await currentForm(t, carto.id);
      form.text.telephone = '02 61 91 01 88';
      const proposed = await proposePlaceChange(
        t.db,
        SYSTEM,
        { placeId: carto.id, form, proposerLabel: 'Camille Proposante' },
        { config: { geocoderUrl: null } },
      );
      assert.ok(proposed.ok && proposed.changeId);
      await decidePlaceChange(
        t.db,
        SYSTEM,
        { changeId: proposed.changeId, decision: 'approve', message: '' },
        { config: { publicUrl: 'http://localhost' } },
      );

      const b = cookieBrowser(testApp(t.db));
      await b.signIn(COORDINATOR_EMAIL);
      const page = await b.request('/qualite/corrections');
      assert.equal(page.status, 200);
      assert.equal(page.headers.get('Cache-Control'), 'no-store');
      const html = await page.text();
      assert.match(html, /<h1>Corrections à renvoyer aux sources<\/h1>/);
      assert.match(
        html,
        /<th scope="row">demo-cartographie<\/th><td>1<\/td><td>1<\/td><td><a href="\/qualite\/corrections\.csv\?source=demo-cartographie" download="">/,
      );
      assert.match(
        html,
        /<caption>Corrections des lieux de « demo-cartographie », les plus anciennes d&#39;abord<\/caption>/,
      );
      assert.ok(!html.includes('sam.signale@example.org'), "the reporter's contact never shows");
      assert.ok(!html.includes('Camille Proposante'), 'nor who proposed the edit');
      assert.ok(!html.includes('Message sans objet'), 'a rejected report is not a correction');

      const csv = await b.request('/qualite/corrections.csv?source=demo-cartographie');
      assert.equal(csv.status, 200);
      assert.match(csv.headers.get('content-type') ?? '', /text\/csv/);
      assert.match(
        csv.headers.get('content-disposition') ?? '',
        /filename="corrections-demo-cartographie-\d{4}-\d{2}-\d{2}\.csv"/,
      );
      const text = new TextDecoder().decode(new Uint8Array(await csv.arrayBuffer()));
      const lines = text
        .replace(/^\uFEFF/, '')
        .trim()
        .split('\r\n');
      assert.equal(
        lines[0],
        'source;identifiant_dans_la_source;fiche_maillage;lieu;commune;date;nature;champ;ancienne_valeur;nouvelle_valeur;message_du_signalement;etat',
      );
      assert.equal(lines.length, 3, 'one report and one field edited');
      const reportLine = lines.find((l) => l.includes("Signalement d'erreur")) ?? '';
      assert.match(reportLine, /^demo-cartographie;carto-45-0107;https?:\/\/[^;]+\/lieux\/[0-9a-f-]{36};/);
      assert.match(reportLine, /;"'=HYPERLINK\(""http:\/\/x""\) Le numéro ne répond plus\.";nouveau$/);
      const editLine = lines.find((l) => l.includes('Modification validée')) ?? '';
      assert.match(
        editLine,
        /;Modification validée;Téléphone;\+33261910177;[^;]*88;;appliquée dans Maillage$/,
      );
      assert.ok(
        !text.includes('sam.signale') && !text.includes('Camille'),
        'nothing about who reported or edited',
      );
    });
  });

  it('answers an unknown, missing, own or malformed source with a French 404, never a 500; only coordinators get the pages', async () => {
    await withDemo(async (t) => {
      const app = testApp(t.db);
      for (const path of ['/qualite/corrections', '/qualite/corrections.csv?source=demo']) {
        const res = await app.request(path);
        assert.equal(res.status, 303, path);
        assert.equal(res.headers.get('Location'), '/connexion');
      }
      const admin = cookieBrowser(app);
      await admin.signIn('admin.demo@example.org');
      assert.equal((await admin.request('/qualite/corrections')).status, 403);
      assert.equal((await admin.request('/qualite/corrections.csv?source=demo')).status, 403);

      const b = cookieBrowser(app);
      await b.signIn(COORDINATOR_EMAIL);
      const cases: [string, RegExp][] = [
        ['/qualite/corrections.csv?source=inconnue', /Source inconnue : « inconnue »/],
        ['/qualite/corrections.csv', /Source inconnue : l&#39;adresse doit nommer une source/],
        ['/qualite/corrections.csv?source=', /Source inconnue : l&#39;adresse doit nommer une source/],
        ['/qualite/corrections.csv?source=maillage', /celle des lieux créés sur ce site/],
        ['/qualite/corrections.csv?source=a%00b', /Source inconnue/],
        ['/qualite/corrections.csv?source=%ED%A0%80', /Source inconnue/],
        ['/qualite/corrections.csv?source=%FF%FE', /Source inconnue/],
        [`/qualite/corrections.csv?source=${'x'.repeat(600)}`, /Source inconnue/],
      ];
      for (const [path, message] of cases) {
        const res = await b.request(path);
        assert.equal(res.status, 404, path);
        assert.match(await res.text(), message, path);
      }
      // A source known but without corrections: the file has its header only.
      const empty = await b.request('/qualite/corrections.csv?source=demo');
      assert.equal(empty.status, 200);
      assert.equal(
        (await empty.text())
          .replace(/^\uFEFF/, '')
          .trim()
          .split('\r\n').length,
        1,
      );
    });
  });
});
