import assert from 'node:assert/strict';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import type { Browser, Page, Request } from 'playwright-core';
import { keyboardOnly, launchBrowser, newContext, scanAxe } from './support/browser.ts';
import { assertPageClean, failOnPageProblems } from './support/page-guard.ts';
import { type RunningServer, startServer } from './support/server.ts';

/** A 1 × 1 grey PNG: every tile of the local tile server. */
const TILE = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAAAAAA6fptVAAAACklEQVR4nGO4CwAA3wDeKXlwtgAAAABJRU5ErkJggg==',
  'base64',
);
const MAP = '/recherche?besoin=caf&ou=Saran&vue=carte';
const PLACE_PATH = /^\/lieux\/[0-9a-f-]{36}$/;

interface TileRequest {
  path: string;
  referer: string | undefined;
}

/**
 * The Géoplateforme's "Plan IGN" WMTS GetTile request (README), on the local tile server: the same query
 * parameters, the tile coordinates in TILEMATRIX, TILEROW and TILECOL.
 */
const WMTS_QUERY =
  'SERVICE=WMTS&REQUEST=GetTile&VERSION=1.0.0&LAYER=GEOGRAPHICALGRIDSYSTEMS.PLANIGNV2&STYLE=normal&TILEMATRIXSET=PM&FORMAT=image/png';
const WMTS_TILE =
  /^\/wmts\?SERVICE=WMTS&REQUEST=GetTile&VERSION=1\.0\.0&LAYER=GEOGRAPHICALGRIDSYSTEMS\.PLANIGNV2&STYLE=normal&TILEMATRIXSET=PM&FORMAT=image\/png&TILEMATRIX=\d+&TILEROW=\d+&TILECOL=\d+$/;

/** A tile server on 127.0.0.1 that answers one small PNG for any /z/x/y.png or WMTS GetTile, noting each request. */
async function startTileServer(): Promise<{
  origin: string;
  requests: TileRequest[];
  close(): Promise<void>;
}> {
  const requests: TileRequest[] = [];
  const server = http.createServer((req, res) => {
    requests.push({ path: req.url ?? '', referer: req.headers.referer });
    if (/^\/\d+\/\d+\/\d+\.png$/.test(req.url ?? '') || WMTS_TILE.test(req.url ?? '')) {
      res.writeHead(200, { 'Content-Type': 'image/png', 'Content-Length': TILE.length });
      res.end(TILE);
    } else {
      res.writeHead(404).end();
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    origin: `http://127.0.0.1:${port}`,
    requests,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

describe('the results map over a configured tile server, in a browser', () => {
  let tiles: Awaited<ReturnType<typeof startTileServer>>;
  let server: RunningServer;
  let browser: Browser;

  before(async () => {
    tiles = await startTileServer();
    server = await startServer({
      TILE_SERVER_URL: `${tiles.origin}/{z}/{x}/{y}.png`,
      TILE_ATTRIBUTION: '© OpenStreetMap',
    });
    browser = await launchBrowser();
  });
  after(async () => {
    await browser?.close();
    await server?.stop();
    await tiles?.close();
  });
  failOnPageProblems();

  async function openPage(options: Parameters<typeof newContext>[1] = {}): Promise<Page> {
    const context = await newContext(browser, { baseURL: server.url, ...options });
    return context.newPage();
  }

  async function visit(page: Page, path: string): Promise<void> {
    const response = await page.goto(path);
    assert.equal(response?.status(), 200, `${path} answered ${response?.status()}`);
  }

  /**
   * Waits until Leaflet has drawn the ten numbered places and some tiles have loaded. A map that never
   * comes is often a script or tiles that the CSP refused: then that is the failure, not the time out.
   */
  async function leafletReady(page: Page): Promise<void> {
    try {
      await page.locator('.map-leaflet .map-marker').nth(9).waitFor({ state: 'visible' });
      await page.waitForFunction(() =>
        Array.from(document.querySelectorAll('.map-leaflet img.leaflet-tile')).some(
          (img) => (img as HTMLImageElement).complete && (img as HTMLImageElement).naturalWidth > 0,
        ),
      );
    } catch (error) {
      await assertPageClean(page, 'the map page, whose Leaflet map was not drawn');
      throw error;
    }
  }

  it('loads Leaflet from our origin, asks the local tile server only for tiles, without referrer, and draws the numbered places', async () => {
    const page = await openPage();
    const requests: Request[] = [];
    page.on('request', (r) => requests.push(r));
    const before = tiles.requests.length;
    await visit(page, MAP);
    await leafletReady(page);

    const origins = new Set(requests.map((r) => new URL(r.url()).origin));
    assert.deepEqual([...origins].sort(), [server.url, tiles.origin].sort(), 'a request went elsewhere');
    const ours = requests.filter((r) => r.url().startsWith(server.url)).map((r) => new URL(r.url()).pathname);
    assert.ok(
      ours.some((p) => /^\/static\/leaflet-map\.[0-9a-f]{12}\.js$/.test(p)),
      'Leaflet script',
    );
    assert.ok(
      ours.some((p) => /^\/static\/leaflet-map\.[0-9a-f]{12}\.css$/.test(p)),
      'Leaflet stylesheet',
    );
    assert.ok(!ours.some((p) => p.includes('/images/')), 'Leaflet asked for a marker image');

    // Tiles may still be on their way (one tile drawn is enough for leafletReady): wait until the
    // browser has nothing more in flight and both sides count the same tiles (or 15 s have passed).
    await page.waitForLoadState('networkidle');
    const tileRequests = () => requests.filter((r) => r.url().startsWith(tiles.origin)).length;
    const deadline = Date.now() + 15_000;
    while (tileRequests() !== tiles.requests.length - before && Date.now() < deadline)
      await page.waitForTimeout(200);
    const seen = tiles.requests.slice(before);
    assert.ok(seen.length > 0, 'no tile was asked for');
    for (const t of seen) {
      assert.match(t.path, /^\/\d+\/\d+\/\d+\.png$/, 'the tile server got more than tile coordinates');
      assert.equal(t.referer, undefined, 'the tile server learnt the page address (the search)');
    }
    assert.equal(tileRequests(), seen.length, 'the browser and the tile server count other tiles');

    // Ten markers with the list's numbers and names, the origin, the attribution; the SVG gives way.
    const markers = page.locator('.map-leaflet .map-marker[role="button"]');
    assert.equal(await markers.count(), 10);
    const cards = await page.locator('li.card h2 a').allTextContents();
    for (let i = 0; i < 10; i++) {
      assert.equal(await markers.nth(i).getAttribute('aria-label'), `${i + 1}. ${cards[i]?.trim()}`);
      assert.equal((await markers.nth(i).textContent())?.trim(), String(i + 1));
    }
    assert.ok(await page.locator('.map-leaflet .map-origin').isVisible(), 'the origin is not marked');
    assert.equal(await page.locator('.map-leaflet .map-origin').textContent(), 'Départ');
    assert.match((await page.locator('.leaflet-control-attribution').textContent()) ?? '', /© OpenStreetMap/);
    assert.equal(await page.locator('svg.map-svg').isVisible(), false);
    assert.equal(await page.locator('li.card').count(), 10, 'the list stays under the map');
    assert.equal(
      await page.getByRole('button', { name: 'Agrandir la carte' }).count(),
      1,
      'the zoom buttons speak French',
    );
    await scanAxe(page, 'the Leaflet map');
  });

  it('is reached with the keyboard: the map pans with the arrows, Tab goes from place to place, Enter opens its name and link', async () => {
    const page = await openPage();
    await visit(page, MAP);
    await leafletReady(page);
    const kb = keyboardOnly(page);
    const isMap = () =>
      kb.evaluate(() => document.activeElement?.classList.contains('leaflet-container') ?? false);
    const focusedLabel = () => kb.evaluate(() => document.activeElement?.getAttribute('aria-label') ?? '');
    await kb.tabTo((f) => f.tag === 'div' && f.text.includes('Leaflet'));
    assert.ok(await isMap(), 'the map itself did not take the focus');
    assert.equal(await focusedLabel(), 'Carte des lieux');
    assert.match(
      (await kb.evaluate(() => {
        const id = document.activeElement?.getAttribute('aria-describedby');
        return id ? (document.getElementById(id)?.textContent ?? '') : '';
      })) ?? '',
      /flèches/,
    );
    const pane = kb.locator('.leaflet-map-pane');
    const before = await pane.getAttribute('style');
    await kb.press('ArrowRight');
    await kb.waitForFunction(
      (was) => document.querySelector('.leaflet-map-pane')?.getAttribute('style') !== was,
      before,
    );

    const first = await kb.tabTo((f) => f.tag === 'div' && f.text === '1');
    assert.ok(first.outlineStyle !== 'none' || first.boxShadow !== 'none', 'the focus is not visible');
    const name = (await focusedLabel()).replace(/^1\. /, '');
    await kb.press('Tab');
    assert.match(await focusedLabel(), /^2\. /);
    await kb.press('Shift+Tab');
    assert.equal(await focusedLabel(), `1. ${name}`);

    await kb.press('Enter');
    await kb.locator('.leaflet-popup').waitFor({ state: 'visible' });
    let focused = await kb.focused();
    assert.equal(focused.text, `Voir la fiche de ${name}`);
    assert.match(focused.href ?? '', PLACE_PATH);
    await kb.press('Escape');
    await kb.locator('.leaflet-popup').waitFor({ state: 'detached' });
    assert.equal(await focusedLabel(), `1. ${name}`, 'the focus did not come back to the place');

    await kb.press('Enter');
    await kb.locator('.leaflet-popup').waitFor({ state: 'visible' });
    focused = await kb.focused();
    await kb.press('Enter');
    await kb.waitForURL((url) => url.pathname === focused.href);
    assert.equal(((await kb.locator('h1').textContent()) ?? '').trim(), name);
  });

  it('has no axe violation and no sideways scrolling at 320 px with the Leaflet map', async () => {
    const page = await openPage({ viewport: { width: 320, height: 800 } });
    await visit(page, MAP);
    await leafletReady(page);
    await scanAxe(page, 'the Leaflet map at 320 px');
    const width = await page.evaluate(() => document.documentElement.scrollWidth);
    assert.ok(width <= 320, `the map page scrolls sideways at 320 px (${width})`);
  });

  it('without JavaScript, shows the server-rendered SVG and asks nothing of Leaflet nor of the tile server', async () => {
    const page = await openPage({ javaScriptEnabled: false });
    const requests: string[] = [];
    page.on('request', (r) => requests.push(r.url()));
    const before = tiles.requests.length;
    await visit(page, MAP);
    await page.waitForLoadState('networkidle');
    assert.ok(await page.locator('svg.map-svg').isVisible(), 'the SVG map is not shown');
    assert.equal(await page.locator('.map-leaflet').count(), 0);
    assert.equal(tiles.requests.length, before, 'a tile was asked for without JavaScript');
    assert.deepEqual(
      requests.filter((u) => /leaflet/.test(u)),
      [],
      'the Leaflet files are loaded without JavaScript',
    );
    assert.equal(await page.locator('li.card').count(), 10);
  });

  it('keeps the list view and the embed free of Leaflet and of tiles', async () => {
    const page = await openPage();
    const requests: string[] = [];
    page.on('request', (r) => requests.push(r.url()));
    const before = tiles.requests.length;
    for (const path of ['/recherche?besoin=caf&ou=Saran', '/embed?besoin=caf&ou=Saran&vue=carte']) {
      await visit(page, path);
      await page.waitForLoadState('networkidle');
    }
    assert.equal(tiles.requests.length, before);
    assert.deepEqual(
      requests.filter((u) => /leaflet/.test(u)),
      [],
    );
    assert.ok(await page.locator('svg.map-svg').isVisible(), 'the embed keeps the SVG map');
  });
});

describe('the results map over a WMTS template with query parameters (the shape of "Plan IGN"), in a browser', () => {
  let tiles: Awaited<ReturnType<typeof startTileServer>>;
  let server: RunningServer;
  let browser: Browser;

  before(async () => {
    tiles = await startTileServer();
    server = await startServer({
      TILE_SERVER_URL: `${tiles.origin}/wmts?${WMTS_QUERY}&TILEMATRIX={z}&TILEROW={y}&TILECOL={x}`,
      TILE_ATTRIBUTION: '© IGN – Géoplateforme',
    });
    browser = await launchBrowser();
  });
  after(async () => {
    await browser?.close();
    await server?.stop();
    await tiles?.close();
  });
  failOnPageProblems();

  it('asks the tile server for GetTile requests with the coordinates in the query, and shows the attribution', async () => {
    const page = await (await newContext(browser, { baseURL: server.url })).newPage();
    const response = await page.goto(MAP);
    assert.equal(response?.status(), 200);
    await page.locator('.map-leaflet .map-marker').nth(9).waitFor({ state: 'visible' });
    await page.waitForFunction(() =>
      Array.from(document.querySelectorAll('.map-leaflet img.leaflet-tile')).some(
        (img) => (img as HTMLImageElement).complete && (img as HTMLImageElement).naturalWidth > 0,
      ),
    );
    assert.ok(tiles.requests.length > 0, 'no tile was asked for');
    for (const t of tiles.requests) {
      assert.match(t.path, WMTS_TILE, 'a tile request of another shape');
      assert.equal(t.referer, undefined, 'the tile server was told which page asked');
      const zoom = Number(/TILEMATRIX=(\d+)/.exec(t.path)?.[1]);
      assert.ok(zoom >= 10 && zoom <= 19, `zoom ${zoom} for a town's map`);
    }
    assert.match((await page.locator('.map-leaflet').textContent()) ?? '', /© IGN – Géoplateforme/);
    await scanAxe(page, 'the map over WMTS tiles');
  });
});
