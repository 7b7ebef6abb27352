import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { testApp } from '../../test/support/app.ts';
import { cookieBrowser } from '../../test/support/cookie-browser.ts';
import { closeTestTemplate, createDemoTestDb } from '../../test/support/test-db.ts';
import { importCoverageWeights } from './coverage.service.ts';

after(closeTestTemplate);

const PARENTALITE = 'Parentalité et éducation avec le numérique';

describe('the coverage pages', () => {
  it('shows the map, a legend with letters, proposals and an accessible sortable table', async () => {
    const t = await createDemoTestDb();
    try {
      const app = testApp(t.db, { TERRITORY: 'epci:244500468' });
      const res = await app.request(`/couverture?service=${encodeURIComponent(PARENTALITE)}&km=3`);
      assert.equal(res.status, 200);
      const html = await res.text();
      assert.match(html, /<svg [^>]*role="img" aria-labelledby="carte-titre carte-desc"/);
      // A choropleth one can project: a title with the threshold and the date, class bounds, names, sources.
      assert.match(
        html,
        /Seuil : 3 km à vol d&#39;oiseau · service « Parentalité[^<]*chiffres du \d{1,2} \S+ 20\d\d/,
      );
      assert.match(html, />A : moins de 1,5 km</);
      assert.match(html, />B : de 1,5 à 3 km</);
      assert.match(html, />C : plus de 3 km</);
      assert.match(html, /<text x="\d+" y="\d+">Orléans<\/text>/, 'the largest commune is named on the map');
      assert.match(html, /IGN – ADMIN EXPRESS, Licence Ouverte 2\.0/);
      assert.match(html, /href="\/couverture.svg\?service=[^"]*&amp;km=3"/);
      assert.match(html, /<title id="carte-titre">/);
      assert.match(html, /<desc id="carte-desc">/);
      assert.match(html, /url\(#motif-hachures\)/, 'a pattern, not only a colour');
      assert.match(html, /<caption>/);
      assert.match(html, /<th scope="col"/);
      assert.match(html, /<th scope="row"/);
      assert.match(html, /Proposition 1/);
      assert.match(html, /au-delà de 3 km/);
      assert.match(html, /href="\/couverture\?service=[^"]*&amp;km=3&amp;tri=population#tableau"/);
      assert.match(html, /href="\/couverture.csv\?/);
      assert.equal((html.match(/<tr>/g) ?? []).length, 23, 'a header row and 22 communes');
      assert.doesNotMatch(html, /nearest_place_id|source_id/, 'no internal data');

      const sorted = await (await app.request('/couverture?tri=population')).text();
      assert.match(sorted, /aria-sort="descending"/);
      const firstRow = sorted
        .split('<tbody>')[1]
        ?.match(/<th scope="row">([^<(]+)/)?.[1]
        ?.trim();
      assert.equal(firstRow, 'Orléans', 'the most populated commune first');
    } finally {
      await t.close();
    }
  });

  it('downloads the map as a standalone SVG with its title, legend and sources inside', async () => {
    const t = await createDemoTestDb();
    try {
      const app = testApp(t.db, { TERRITORY: 'epci:244500468' });
      const res = await app.request(`/couverture.svg?service=${encodeURIComponent(PARENTALITE)}&km=3`);
      assert.equal(res.status, 200);
      assert.match(res.headers.get('Content-Type') ?? '', /^image\/svg\+xml/);
      assert.equal(res.headers.get('Content-Disposition'), 'attachment; filename="couverture.svg"');
      const svg = await res.text();
      assert.match(
        svg,
        /^<\?xml version="1.0" encoding="UTF-8"\?>\n<svg xmlns="http:\/\/www.w3.org\/2000\/svg"/,
      );
      assert.match(svg, /Distance au lieu d&#39;aide au numérique le plus proche : Orléans Métropole/);
      assert.match(svg, />C : plus de 3 km</);
      assert.match(svg, /Sources : Contours des communes : IGN – ADMIN EXPRESS, Licence Ouverte 2\.0/);
      assert.match(svg, /<pattern id="motif-hachures"/);
      // The same drawing as the page's.
      const page = await (
        await app.request(`/couverture?service=${encodeURIComponent(PARENTALITE)}&km=3`)
      ).text();
      const inPage = page.slice(page.indexOf('<svg xmlns'), page.indexOf('</svg>') + 6);
      assert.equal(svg.trim().split('\n')[1], inPage);
      assert.ok(svg.length < 60_000, `${svg.length} characters`);
      assert.equal((await app.request('/couverture.svg?km=abc')).status, 400);
    } finally {
      await t.close();
    }
  });

  it('exports the same table as CSV and explains the method in plain French', async () => {
    const t = await createDemoTestDb();
    try {
      const app = testApp(t.db, { TERRITORY: 'epci:244500468' });
      const csv = await app.request('/couverture.csv?km=10');
      assert.equal(csv.status, 200);
      assert.match(csv.headers.get('Content-Type') ?? '', /text\/csv/);
      const lines = (await csv.text()).trim().split('\n');
      assert.equal(lines[0], 'code,nom,population,lat,lon,nearest_km,road_km,beyond');
      assert.equal(lines.length, 23);
      const method = await (await app.request('/couverture/methode')).text();
      for (const words of [/vol d(&#39;|')oiseau/, /1,3/, /transports en commun/, /point de référence/])
        assert.match(method, words);
    } finally {
      await t.close();
    }
  });

  it('answers a bad service or threshold with a French error page', async () => {
    const t = await createDemoTestDb();
    try {
      const app = testApp(t.db, { TERRITORY: 'epci:244500468' });
      const bad = await app.request('/couverture?service=Cuisine');
      assert.equal(bad.status, 400);
      assert.match(await bad.text(), /n&#39;existe pas|n'existe pas/);
      assert.equal((await app.request('/couverture?km=-4')).status, 400);
      const page = await app.request('/couverture?page=deux');
      assert.equal(page.status, 400);
      assert.match(await page.text(), /numéro de page du tableau[^<]*reçu : « deux »/);
    } finally {
      await t.close();
    }
  });
});

describe("the GeoJSON export and the coordinators' page", () => {
  it('exports the communes as GeoJSON with their figures, without internal data', async () => {
    const t = await createDemoTestDb();
    try {
      const app = testApp(t.db, { TERRITORY: 'epci:244500468' });
      const res = await app.request(`/couverture.geojson?service=${encodeURIComponent(PARENTALITE)}&km=3`);
      assert.equal(res.status, 200);
      assert.match(res.headers.get('Content-Type') ?? '', /application\/geo\+json/);
      const body = await res.json();
      assert.equal(body.type, 'FeatureCollection');
      assert.equal(body.features.length, 22);
      const f = body.features[0];
      assert.ok(['Point', 'Polygon', 'MultiPolygon'].includes(f.geometry.type));
      for (const key of ['code', 'nom', 'population', 'nearest_km', 'beyond', 'weekly_hours_within_reach'])
        assert.ok(key in f.properties, key);
      assert.ok(!('nearest_place_id' in f.properties));
      assert.ok(body.features.some((x: { properties: { beyond: boolean } }) => x.properties.beyond));
    } finally {
      await t.close();
    }
  });

  it('shows nearest place names and ids to signed-in coordinators only; the public page has none', async () => {
    const t = await createDemoTestDb();
    try {
      const app = testApp(t.db, { TERRITORY: 'epci:244500468' });
      const anonymous = await app.request('/couverture/reseau');
      assert.equal(anonymous.status, 303);
      assert.equal(anonymous.headers.get('Location'), '/connexion');

      const funder = cookieBrowser(app);
      await funder.signIn('financeur.demo@example.org');
      assert.equal((await funder.request('/couverture/reseau')).status, 403);

      const coordinator = cookieBrowser(app);
      await coordinator.signIn('coordination.demo@example.org');
      const res = await coordinator.request('/couverture/reseau?km=3');
      assert.equal(res.status, 200);
      assert.equal(res.headers.get('Cache-Control'), 'no-store');
      const html = await res.text();
      assert.match(html, /<th scope="col">Lieu le plus proche<\/th>/);
      assert.match(html, /<th scope="col">Identifiant du lieu<\/th>/);
      const ids = html.match(/<code>[0-9a-f-]{36}<\/code>/g) ?? [];
      assert.equal(ids.length, 22);
      assert.match(html, /href="\/couverture\/reseau\?km=3&amp;tri=nom#tableau"/);

      const pub = await (await coordinator.request('/couverture?km=3')).text();
      assert.doesNotMatch(pub, /Identifiant du lieu|Lieu le plus proche/);
      for (const id of ids) assert.ok(!pub.includes(id.slice(6, 42)), 'no place id on the public page');
      assert.match(pub, /Heures d(&#39;|')ouverture par semaine à portée/);
    } finally {
      await t.close();
    }
  });

  it('says on the page when need weights are applied', async () => {
    const t = await createDemoTestDb();
    try {
      const app = testApp(t.db, { TERRITORY: 'epci:244500468' });
      const before = await (await app.request('/couverture?km=3')).text();
      assert.doesNotMatch(before, /poids de besoin/);
      await importCoverageWeights(t.db, { kind: 'system' }, { text: 'code,weight\n45302,3\n' });
      const after = await (
        await app.request(`/couverture?service=${encodeURIComponent(PARENTALITE)}&km=3`)
      ).text();
      assert.match(after, /tiennent compte des poids de besoin importés/);
    } finally {
      await t.close();
    }
  });
});
