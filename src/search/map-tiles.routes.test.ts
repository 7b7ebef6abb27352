import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { brotliDecompressSync } from 'node:zlib';
import { testApp } from '../../test/support/app.ts';
import { closeTestTemplate, createDemoTestDb, type createTestDb } from '../../test/support/test-db.ts';
import { countAllPlaces } from '../places/places.service.ts';

after(closeTestTemplate);

type T = Awaited<ReturnType<typeof createTestDb>>;

const TILES = 'https://{s}.tile.openstreetmap.org/{z}/{x}/{y}.png';
const MAP = '/recherche?besoin=caf&ou=Saran&vue=carte';
const LIST = '/recherche?besoin=caf&ou=Saran';
const MAP_SCRIPT = /<script src="(\/static\/leaflet-map\.[0-9a-f]{12}\.js)" defer=""><\/script>/;
const MAP_STYLE = /data-map-style="(\/static\/leaflet-map\.[0-9a-f]{12}\.css)"/;

describe('the results map over a tile server (TILE_SERVER_URL), over HTTP', () => {
  let t: T;
  let plain: ReturnType<typeof testApp>;
  let tiled: ReturnType<typeof testApp>;
  before(async () => {
    t = await createDemoTestDb();
    assert.ok((await countAllPlaces(t.db, { kind: 'system' })) >= 60);
    plain = testApp(t.db, { EMBED_ORIGINS: 'https://www.mairie-saran.example.org' });
    tiled = testApp(t.db, {
      EMBED_ORIGINS: 'https://www.mairie-saran.example.org',
      TILE_SERVER_URL: TILES,
      TILE_ATTRIBUTION: '© les contributeurs d’OpenStreetMap <b>gras</b>',
    });
  });
  after(() => t.close());

  const get = async (app: ReturnType<typeof testApp>, path: string, init?: RequestInit) => {
    const res = await app.request(path, init);
    return { res, html: await res.text() };
  };

  it('without a tile server, the map view is the SVG alone: no Leaflet, no data for it, the strict CSP', async () => {
    const { res, html } = await get(plain, MAP);
    assert.equal(res.status, 200);
    assert.match(html, /<figure class="map"><svg viewBox="0 0 600 400" role="img"/);
    assert.doesNotMatch(html, /leaflet|data-tiles|data-lat|data-href/i);
    assert.match(res.headers.get('Content-Security-Policy') ?? '', /; img-src 'self' data:; /);
  });

  it('with a tile server, the map view loads Leaflet from our origin and gives it each numbered place', async () => {
    const { res, html } = await get(tiled, MAP);
    assert.equal(res.status, 200);
    assert.match(html, MAP_SCRIPT);
    assert.match(html, MAP_STYLE);
    assert.equal((html.match(/<script/g) ?? []).length, 2, 'enhance.js and the map script, nothing else');
    assert.doesNotMatch(html, /<script>|<script type=/, 'no inline script');
    assert.doesNotMatch(html, /(src|href)="(https?:)?\/\/[^"]*leaflet/i, 'Leaflet from a third party');
    assert.match(
      html,
      /<figure class="map" data-tiles="https:\/\/\{s\}\.tile\.openstreetmap\.org\/\{z\}\/\{x\}\/\{y\}\.png"/,
    );
    // The attribution is text: its markup arrives escaped, and map-tiles.js keeps it text.
    assert.match(html, /data-attribution="© les contributeurs d’OpenStreetMap &lt;b&gt;gras&lt;\/b&gt;"/);
    assert.match(html, /data-zoom-in="Agrandir la carte"/);
    assert.match(html, /data-origin="Départ" data-lat="[\d.]+" data-lon="[\d.]+"/);
    const places = [
      ...html.matchAll(
        /<g data-n="(\d+)" data-lat="[\d.]+" data-lon="[\d.]+" data-name="([^"]+)" data-href="(\/lieux\/[0-9a-f-]{36})" data-link="Voir la fiche de ([^"]+)">/g,
      ),
    ];
    assert.deepEqual(
      places.map((m) => Number(m[1])),
      [1, 2, 3, 4, 5, 6, 7, 8, 9, 10],
    );
    for (const m of places) {
      assert.equal(m[2], m[4]);
      // The same place as the list's card with the same number.
      assert.match(html, new RegExp(`<span class="num">${m[1]}\\.</span> <a href="${m[3]}">`));
    }
    const tiles =
      'https://a.tile.openstreetmap.org https://b.tile.openstreetmap.org https://c.tile.openstreetmap.org';
    assert.match(
      res.headers.get('Content-Security-Policy') ?? '',
      new RegExp(`; img-src 'self' data: ${tiles}; `),
    );
  });

  it('with a tile server, the list view, the home page and the embed’s map carry nothing of Leaflet', async () => {
    for (const path of [LIST, '/', '/embed?besoin=caf&ou=Saran&vue=carte', '/lieux']) {
      const { res, html } = await get(tiled, path);
      assert.equal(res.status, 200, path);
      assert.doesNotMatch(html, /leaflet|data-tiles/i, path);
    }
    // The embed keeps its own policy: the partner's visitors never reach the tile server.
    const embed = await tiled.request('/embed?besoin=caf&ou=Saran&vue=carte');
    assert.match(embed.headers.get('Content-Security-Policy') ?? '', /; img-src 'self' data:; /);
  });

  it('changes nothing else: the tiled map page is the plain one plus the map’s data and script', async () => {
    const a = await get(plain, MAP);
    const b = await get(tiled, MAP);
    const stripped = b.html
      .replace(/ data-[a-z-]+="[^"]*"/g, '')
      .replace(/<script src="\/static\/leaflet-map\.[0-9a-f]{12}\.js" defer=""><\/script>/, '');
    assert.equal(stripped, a.html.replace(/ data-[a-z-]+="[^"]*"/g, ''));
    // …and the plain page has no data attribute in its map at all.
    const figure = a.html.slice(a.html.indexOf('<figure'), a.html.indexOf('</figure>'));
    assert.doesNotMatch(figure, / data-/);
  });

  it('serves Leaflet and the map code fingerprinted, pre-compressed and cached for a year', async () => {
    const { html } = await get(tiled, MAP);
    const script = MAP_SCRIPT.exec(html)?.[1];
    const style = MAP_STYLE.exec(html)?.[1];
    assert.ok(script && style);
    const js = await tiled.request(script, { headers: { 'Accept-Encoding': 'br, gzip' } });
    assert.equal(js.status, 200);
    assert.equal(js.headers.get('Content-Encoding'), 'br');
    assert.equal(js.headers.get('Content-Type'), 'text/javascript; charset=utf-8');
    assert.equal(js.headers.get('Cache-Control'), 'public, max-age=31536000, immutable');
    const source = brotliDecompressSync(Buffer.from(await js.arrayBuffer())).toString('utf8');
    assert.match(source, /^\/\* @preserve\n \* Leaflet 1\.9\.\d+/, 'Leaflet first, with its licence header');
    assert.match(source, /figure\.map\[data-tiles\]/, 'then map-tiles.js');
    assert.match(source, /referrerPolicy: 'no-referrer'/);
    assert.doesNotMatch(source, /sourceMappingURL/);
    const css = await tiled.request(style, { headers: { 'Accept-Encoding': 'gzip' } });
    assert.equal(css.headers.get('Content-Encoding'), 'gzip');
    const plainCss = await (await tiled.request(style)).text();
    assert.match(plainCss, /\.leaflet-container/);
    assert.match(plainCss, /\.map-marker/);
    // The same assets exist without configuration (they are built at start), but no page names them.
    assert.equal((await plain.request(script)).status, 200);
  });

  it('says on the personal data page, only when configured, what the tile server receives', async () => {
    const sentence =
      /le fond de plan vient du serveur tile\.openstreetmap\.org : il\s+reçoit votre adresse IP et les coordonnées de la zone affichée, jamais ce que vous cherchez/;
    assert.match((await get(tiled, '/donnees-personnelles')).html, sentence);
    assert.doesNotMatch((await get(plain, '/donnees-personnelles')).html, /fond de plan/);
  });
});
