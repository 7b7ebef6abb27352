import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { encodeDiagnosticToken } from '../../src/diagnostic/diagnostic.service.ts';
import { sampleRow, toCsv } from '../support/fixtures.ts';
import { runCliInProcess } from '../support/processes.ts';
import { type ContextOptions, keyboardOnly, launchBrowser, newContext, scanAxe } from './support/browser.ts';
import { fillDemoDataDir } from './support/demo-data.ts';
import { failOnPageProblems } from './support/page-guard.ts';
import { type RunningServer, startServer } from './support/server.ts';

/**
 * Walk-through 4 (docs/decisions/0025): the network of Orléans Métropole (the default territory) imports
 * another region's file by mistake. A Saran resident's search, the diagnostic's places and the API show
 * nothing beyond 50 km, and the home page's count is unchanged.
 */

/** Another region's places: Toulouse (484 km from Saran), Marseille, Lyon. */
const OTHER_REGION = [
  sampleRow({
    nom: 'Tiers-lieu numérique de Toulouse',
    commune: 'Toulouse',
    code_postal: '31000',
    code_insee: '31555',
    latitude: '43.6045',
    longitude: '1.444',
  }),
  sampleRow({
    nom: 'Espace public numérique de Marseille',
    commune: 'Marseille',
    code_postal: '13001',
    code_insee: '13055',
    latitude: '43.2965',
    longitude: '5.3698',
  }),
  sampleRow({
    nom: 'Fabrique numérique de Lyon',
    commune: 'Lyon',
    code_postal: '69001',
    code_insee: '69123',
    latitude: '45.767',
    longitude: '4.834',
  }),
];
const FAR_NAMES = OTHER_REGION.map((r) => r.nom as string);
const farNamed = (text: string) =>
  FAR_NAMES.filter((n) => text.includes(n) || text.includes(n.replaceAll("'", '&#39;')));

/** "Voir les 75 lieux" on the home page. */
async function homeCount(base: string): Promise<number> {
  const html = await (await fetch(`${base}/`)).text();
  const m = /Voir les ([\d  ]+) lieux/.exec(html);
  assert.ok(m, 'the home page counts the places');
  return Number((m[1] ?? '').replace(/\D/g, ''));
}

describe('the territory is kept after importing another region’s file (walk-through 4)', () => {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'maillage-e2e-territory-'));
  let server: RunningServer | undefined;
  let browser: Browser | undefined;
  let countBefore = 0;
  let importReport: { imported: number; warnings: { row: number; message: string }[] } | undefined;

  before(async () => {
    // The demonstration as a server's first start seeds it (the suite's template, demo-data.ts: seeding
    // here again took over a minute on a loaded machine); the file is imported with the command line
    // while the server is stopped (the embedded database has one process at a time), then it restarts.
    await fillDemoDataDir(dataDir);
    const first = await startServer({ DATA_DIR: dataDir });
    countBefore = await homeCount(first.url);
    await first.stop();
    const file = path.join(dataDir, 'lieux-autre-region.csv');
    fs.writeFileSync(file, toCsv(OTHER_REGION));
    const result = await runCliInProcess(['places', 'import', file, '--format', 'json'], {
      DATA_DIR: dataDir,
    });
    assert.equal(result.code, 0, result.stderr);
    importReport = JSON.parse(result.stdout);
    server = await startServer({ DATA_DIR: dataDir });
    browser = await launchBrowser();
  });
  after(async () => {
    await browser?.close();
    await server?.stop();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });
  failOnPageProblems();

  const base = () => {
    assert.ok(server);
    return server.url;
  };
  async function openPage(options: ContextOptions = {}): Promise<Page> {
    assert.ok(browser && server);
    return (await newContext(browser, { baseURL: server.url, ...options })).newPage();
  }

  it('imports the file with a warning "hors du territoire" per row, naming the commune', () => {
    assert.equal(importReport?.imported, 3);
    const outside = (importReport?.warnings ?? []).filter((w) => w.message.includes('hors du territoire'));
    assert.deepEqual(
      outside.map((w) => w.row),
      [2, 3, 4],
    );
    assert.match(outside[0]?.message ?? '', /Toulouse \(31555\)/);
  });

  it('keeps the home page count unchanged', async () => {
    assert.ok(countBefore > 0);
    assert.equal(await homeCount(base()), countBefore);
  });

  for (const viewport of [
    { width: 1280, height: 900 },
    { width: 320, height: 800 },
  ]) {
    const size = `at ${viewport.width} px`;

    it(`a Saran resident's search with the keyboard alone shows nothing beyond 50 km, ${size}`, async () => {
      const page = await openPage({ viewport });
      assert.equal((await page.goto('/'))?.status(), 200);
      await scanAxe(page, `the home page ${size}`);
      const kb = keyboardOnly(page);
      await kb.tabTo((f) => f.id === 'ou');
      await kb.type('Saran');
      await kb.press('Enter');
      await kb.waitForURL((url) => url.pathname === '/recherche' && url.hash === '#resultats');
      await scanAxe(page, `the results ${size}`);
      const main = (await kb.locator('main').textContent()) ?? '';
      assert.deepEqual(farNamed(main), []);
      const km = [...main.matchAll(/à ([\d,]+)[ \u00a0]km/g)].map((m) =>
        Number((m[1] ?? '').replace(',', '.')),
      );
      assert.ok(km.length > 0, 'distances are shown');
      assert.ok(
        km.every((d) => d <= 50),
        `every distance within 50 km: ${km.join(', ')}`,
      );
      const width = await page.evaluate(() => document.documentElement.scrollWidth);
      assert.ok(width <= viewport.width, `no sideways scroll ${size} (${width})`);

      // Where nothing public is within 50 km (Toulouse), the page says so and gives the network's phone.
      assert.equal((await page.goto('/recherche?lat=43.6045&lon=1.444'))?.status(), 200);
      await scanAxe(page, `nothing nearby ${size}`);
      const none = (await page.locator('main').textContent()) ?? '';
      assert.match(none, /Aucun lieu trouvé près de chez vous/);
      assert.match(none, /aucun lieu à moins de 50 km/);
      assert.match(none, /Appelez le réseau au 02 61 91 00 00/);
      assert.deepEqual(farNamed(none), []);
    });

    it(`the diagnostic's places for Saran, chosen with the keyboard, are all within reach, ${size}`, async () => {
      const page = await openPage({ viewport });
      const d = encodeDiagnosticToken({ version: 1, answers: { appareil: 'aucun', organisme: 'caf' } });
      assert.equal((await page.goto(`/diagnostic/resultat?d=${d}`))?.status(), 200);
      const kb = keyboardOnly(page);
      await kb.tabTo((f) => f.id === 'ou');
      await kb.type('Saran');
      await kb.press('Enter');
      await kb.waitForURL(
        (url) => url.pathname === '/diagnostic/resultat' && url.searchParams.get('ou') === 'Saran',
      );
      await scanAxe(page, `the diagnostic's result ${size}`);
      const main = (await kb.locator('main').textContent()) ?? '';
      assert.match(main, /Lieux pour « Faire une démarche CAF »/);
      assert.ok((await kb.locator('main li.card').count()) > 0, 'places are suggested');
      assert.deepEqual(farNamed(main), []);
    });
  }

  it('the API shows nothing beyond 50 km, nor another region by name', async () => {
    const near = (await (
      await fetch(`${base()}/api/v1/lieux?near=47.95,1.876&limit=50&radius=1000`)
    ).json()) as {
      data: { nom: string; distance_m: number }[];
    };
    assert.ok(near.data.length > 0);
    assert.ok(near.data.every((p) => p.distance_m <= 50_000));
    assert.deepEqual(farNamed(JSON.stringify(near)), []);
    const byName = await (await fetch(`${base()}/api/v1/lieux?limit=100`)).text();
    assert.deepEqual(farNamed(byName), []);
    const far = (await (await fetch(`${base()}/api/v1/lieux?near=43.6045,1.444`)).json()) as {
      data: unknown[];
    };
    assert.deepEqual(far.data, []);
  });
});
