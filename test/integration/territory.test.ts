import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { importCommuneGeometry } from '../../src/communes/communes.service.ts';
import { loadConfig } from '../../src/config.ts';
import type { Db } from '../../src/db/database.ts';
import { encodeDiagnosticToken } from '../../src/diagnostic/diagnostic.service.ts';
import { listAllPlaces } from '../../src/places/places.service.ts';
import { importPlacesFile } from '../../src/places/places-import.service.ts';
import { viewStructure } from '../../src/structures/structures.service.ts';
import { testApp } from '../support/app.ts';
import { cookieBrowser } from '../support/cookie-browser.ts';
import { bytes, sampleRow, toCsv } from '../support/fixtures.ts';
import { closeTestTemplate, createDemoTestDb, createTestDb, type TestDb } from '../support/test-db.ts';

/**
 * The territory is kept (docs/decisions/0025): with TERRITORY=com:45302 (Saran) and Saran's outline
 * loaded, a place 5 km across the border is public, places farther are imported (with a warning) but
 * never public; no public result is ever farther than SEARCH_MAX_KM (50 km) from the person, also with
 * TERRITORY=fr.
 */

const SYSTEM = { kind: 'system' } as const;
const SARAN_ONLY = { TERRITORY: 'com:45302' };
const WHOLE_COUNTRY = { TERRITORY: 'fr' };

/** Saran as a rectangle (lon 1.82–1.93, lat 47.92–47.98), and the reference points of two other towns. */
const GEOMETRY = {
  type: 'FeatureCollection',
  features: [
    {
      type: 'Feature',
      properties: { code: '45302', nom: 'Saran', centre: [1.87609, 47.95006] },
      geometry: {
        type: 'Polygon',
        coordinates: [
          [
            [1.82, 47.92],
            [1.93, 47.92],
            [1.93, 47.98],
            [1.82, 47.98],
            [1.82, 47.92],
          ],
        ],
      },
    },
    { type: 'Feature', properties: { code: '45208', centre: [2.733, 47.997] }, geometry: null },
    { type: 'Feature', properties: { code: '31555', centre: [1.444, 43.6045] }, geometry: null },
  ],
};

/** Rows 2 to 6 of the file (row 1 is the header). */
const ROWS = {
  saran: sampleRow({
    nom: 'Espace numérique de Saran',
    commune: 'Saran',
    code_postal: '45770',
    code_insee: '45302',
    latitude: '47.95',
    longitude: '1.875',
  }),
  // 5 km north of Saran's border (lat 47.98): just across it.
  cercottes: sampleRow({
    nom: 'Médiathèque de Cercottes',
    commune: 'Cercottes',
    code_postal: '45520',
    code_insee: '45062',
    latitude: '48.025',
    longitude: '1.89',
  }),
  // 37 km from Saran: beyond the margin, within 50 km.
  pithiviers: sampleRow({
    nom: 'France services de Pithiviers',
    commune: 'Pithiviers',
    code_postal: '45300',
    code_insee: '45252',
    latitude: '48.172',
    longitude: '2.252',
  }),
  // 64 km from Saran.
  montargis: sampleRow({
    nom: 'Maison numérique de Montargis',
    commune: 'Montargis',
    code_postal: '45200',
    code_insee: '45208',
    latitude: '47.997',
    longitude: '2.733',
  }),
  // 484 km from Saran: another region's file.
  toulouse: sampleRow({
    nom: 'Tiers-lieu de Toulouse',
    commune: 'Toulouse',
    code_postal: '31000',
    code_insee: '31555',
    latitude: '43.6045',
    longitude: '1.444',
  }),
};
const NAMES = Object.fromEntries(Object.entries(ROWS).map(([k, r]) => [k, r.nom as string])) as Record<
  keyof typeof ROWS,
  string
>;

const escaped = (text: string) => text.replaceAll("'", '&#39;');

/** Which of the file's places a text names. */
function named(text: string): string[] {
  return (Object.keys(NAMES) as (keyof typeof NAMES)[]).filter(
    (k) => text.includes(NAMES[k]) || text.includes(escaped(NAMES[k])),
  );
}

async function world(db: Db) {
  await importCommuneGeometry(db, SYSTEM, {
    bytes: bytes(JSON.stringify(GEOMETRY)),
    fileName: 'communes.geojson',
  });
  const report = await importPlacesFile(db, SYSTEM, bytes(toCsv(Object.values(ROWS))), {
    fileName: 'autre-region.csv',
    scope: loadConfig({ DATA_DIR: '/nonexistent', ...SARAN_ONLY }).publicScope,
  });
  const ids = new Map((await listAllPlaces(db)).map((p) => [p.nom, p.id]));
  const idOf = (k: keyof typeof NAMES) => ids.get(NAMES[k]) as string;
  return { report, idOf };
}

after(closeTestTemplate);

describe('the territory is kept', () => {
  let t: TestDb;
  let idOf: (k: keyof typeof NAMES) => string;
  let report: Awaited<ReturnType<typeof importPlacesFile>>;
  before(async () => {
    t = await createTestDb();
    ({ report, idOf } = await world(t.db));
  });
  after(() => t.close());

  it('imports places outside the territory with a warning naming the row and the commune', () => {
    assert.equal(report.imported, 5);
    const outside = report.warnings.filter((w) => w.message.includes('hors du territoire'));
    assert.deepEqual(
      outside.map((w) => [w.row, w.field, w.value]),
      [
        [3, 'commune', 'Cercottes (45062)'],
        [4, 'commune', 'Pithiviers (45252)'],
        [5, 'commune', 'Montargis (45208)'],
        [6, 'commune', 'Toulouse (31555)'],
      ],
    );
    assert.match(
      outside[0]?.message ?? '',
      /Lieu hors du territoire \(Saran\) : Cercottes \(45062\) est à 5 km de sa limite\. Il est affiché au public/,
    );
    assert.match(
      outside[3]?.message ?? '',
      /Toulouse \(31555\) est à environ 4\d\d km de sa limite, plus que les 10 km admis\. Le lieu est importé mais n'est pas affiché au public/,
    );
  });

  it('shows on the search page the places of the territory and just across its border, never farther', async () => {
    const app = testApp(t.db, SARAN_ONLY);
    const html = await (await app.request('/recherche?ou=Saran')).text();
    assert.deepEqual(named(html), ['saran', 'cercottes']);
    // Nothing matches the need: the nearest places anyway are the territory's, never another region's.
    const none = await (await app.request('/recherche?ou=Saran&accueil=Illettrisme')).text();
    assert.match(none, /Les lieux les plus proches, quand même/);
    assert.deepEqual(named(none), ['saran', 'cercottes']);
  });

  it('says that nothing was found nearby, with the network phone, when nothing public is within 50 km', async () => {
    const html = await (await testApp(t.db, SARAN_ONLY).request('/recherche?ou=Montargis')).text();
    assert.match(html, /<h1[^>]*>Aucun lieu trouvé près de chez vous<\/h1>/);
    assert.match(html, /Nous n&#39;avons trouvé aucun lieu à moins de 50 km de Montargis\./);
    assert.match(html, /<p class="notice">Montargis est hors du territoire du réseau \(Saran\)\.<\/p>/);
    assert.match(html, /Appelez le réseau au <a href="tel:0261910000"><strong>02 61 91 00 00<\/strong><\/a>/);
    assert.deepEqual(named(html), []);
  });

  it('counts and lists only public places on the home page and in the directory', async () => {
    const app = testApp(t.db, SARAN_ONLY);
    const home = await (await app.request('/')).text();
    assert.match(home, /Voir les 2 lieux/);
    const list = await (await app.request('/lieux')).text();
    assert.match(list, /2 lieux, classés par nom/);
    assert.deepEqual(named(list), ['saran', 'cercottes']);
  });

  it('answers a direct link to a place outside the territory with a 404 naming the reason', async () => {
    const app = testApp(t.db, SARAN_ONLY);
    const far = await app.request(`/lieux/${idOf('toulouse')}`);
    assert.equal(far.status, 404);
    assert.match(
      await far.text(),
      /Ce lieu est hors du territoire de ce réseau \(Saran\) : il n&#39;est pas affiché ici\./,
    );
    assert.equal((await app.request(`/lieux/${idOf('toulouse')}/signaler`)).status, 404);
    assert.equal((await app.request(`/lieux/${idOf('cercottes')}`)).status, 200);
  });

  it("shows a structure's place outside the territory to its members without a link to a page that does not exist", async () => {
    const structureId = (
      await t.db
        .insertInto('structure')
        .values({ pivot: '00000000000000', nom: 'Réseau test des deux régions', typologie: [] })
        .returning('id')
        .executeTakeFirstOrThrow()
    ).id;
    await t.db
      .updateTable('place')
      .set({ structure_id: structureId })
      .where('id', 'in', [idOf('toulouse'), idOf('cercottes')])
      .execute();
    const view = await viewStructure(t.db, SYSTEM, {
      structureId,
      scope: loadConfig({ DATA_DIR: '/nonexistent', ...SARAN_ONLY }).publicScope,
    });
    assert.deepEqual(
      view.places.map((p) => [p.name, p.isPublic]),
      [
        [NAMES.cercottes, true],
        [NAMES.toulouse, false],
      ],
    );
    await t.db
      .updateTable('place')
      .set({ structure_id: null })
      .where('structure_id', '=', structureId)
      .execute();
    await t.db.deleteFrom('structure').where('id', '=', structureId).execute();
  });

  it('keeps the API and the open-data export to the public places', async () => {
    const app = testApp(t.db, SARAN_ONLY);
    const near = (await (await app.request('/api/v1/lieux?near=47.95,1.876')).json()) as {
      data: { nom: string; distance_m: number }[];
    };
    assert.deepEqual(named(JSON.stringify(near.data)), ['saran', 'cercottes']);
    const byName = (await (await app.request('/api/v1/lieux?limit=50')).json()) as {
      data: { nom: string }[];
    };
    assert.deepEqual(named(JSON.stringify(byName.data)), ['saran', 'cercottes']);
    assert.equal((await app.request(`/api/v1/lieux/${idOf('toulouse')}`)).status, 404);
    assert.equal((await app.request(`/api/v1/lieux/${idOf('cercottes')}`)).status, 200);
    const exported = await (await app.request('/api/v1/lieux/export?format=csv')).text();
    assert.deepEqual(named(exported), ['saran', 'cercottes']);
  });

  it('suggests in the diagnostic only public places', async () => {
    const d = encodeDiagnosticToken({ version: 1, answers: { appareil: 'aucun', organisme: 'caf' } });
    const html = await (
      await testApp(t.db, SARAN_ONLY).request(`/diagnostic/resultat?d=${d}&ou=Saran`)
    ).text();
    assert.match(html, /<h3>Lieux pour « Faire une démarche CAF »<\/h3>/);
    const shown = named(html);
    assert.ok(shown.includes('saran'), 'the place of Saran is suggested');
    assert.deepEqual(
      shown.filter((k) => k !== 'saran' && k !== 'cercottes'),
      [],
    );
  });

  it('with TERRITORY=fr shows every place within 50 km and none beyond, counting them all', async () => {
    const app = testApp(t.db, WHOLE_COUNTRY);
    assert.deepEqual(named(await (await app.request('/recherche?ou=Saran')).text()), [
      'saran',
      'cercottes',
      'pithiviers',
    ]);
    const api = await (await app.request('/api/v1/lieux?near=47.95,1.876&limit=50')).text();
    assert.deepEqual(named(api), ['saran', 'cercottes', 'pithiviers']);
    // Asking for a larger radius changes nothing: 50 km is the most.
    const wide = await (await app.request('/api/v1/lieux?near=47.95,1.876&radius=500&limit=50')).text();
    assert.deepEqual(named(wide), ['saran', 'cercottes', 'pithiviers']);
    const d = encodeDiagnosticToken({ version: 1, answers: { appareil: 'aucun', organisme: 'caf' } });
    const diagnostic = await (await app.request(`/diagnostic/resultat?d=${d}&ou=Saran`)).text();
    assert.deepEqual(
      named(diagnostic).filter((k) => k === 'montargis' || k === 'toulouse'),
      [],
    );
    // The territory filter itself changes nothing: every place is counted, listed, exported, has its sheet.
    assert.match(await (await app.request('/')).text(), /Voir les 5 lieux/);
    assert.match(await (await app.request('/lieux')).text(), /5 lieux, classés par nom/);
    assert.equal((await app.request(`/lieux/${idOf('toulouse')}`)).status, 200);
    assert.equal(named(await (await app.request('/api/v1/lieux/export')).text()).length, 5);
  });
});

describe('the data-quality page lists places outside the territory', () => {
  it('lists them, hidden ones first, with their distance and whether the public sees them', async () => {
    const t = await createDemoTestDb();
    try {
      await world(t.db);
      const b = cookieBrowser(testApp(t.db, SARAN_ONLY));
      await b.signIn('coordination.demo@example.org');
      const html = await (await b.request('/qualite')).text();
      const section = /<h2>Lieux hors du territoire \((\d+)\)<\/h2>([\s\S]*?)<h2>/.exec(html);
      assert.ok(section, 'a section lists the places outside the territory');
      assert.match(section[2] ?? '', /Le territoire du réseau est Saran\./);
      assert.match(
        section[2] ?? '',
        /<th scope="row">Tiers-lieu de Toulouse<\/th><td>Toulouse \(31555\)<\/td><td>4\d\d km<\/td><td>non<\/td>/,
      );
      assert.match(
        section[2] ?? '',
        /<a href="\/lieux\/[0-9a-f-]{36}">Médiathèque de Cercottes<\/a><\/th><td>Cercottes \(45062\)<\/td><td>5 km<\/td><td>oui<\/td>/,
      );
      const toulouse = section[2]?.indexOf('Tiers-lieu de Toulouse') ?? -1;
      assert.ok(
        toulouse >= 0 && toulouse < (section[2]?.indexOf('Médiathèque de Cercottes') ?? -1),
        'hidden first',
      );
    } finally {
      await t.close();
    }
  });
});
