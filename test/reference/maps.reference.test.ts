import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Browser } from 'playwright-core';
import { buildDemoOutlines, serializeDemoOutlines } from '../../src/demo/demo-outlines.ts';
import { launchBrowser, newContext, scanAxe } from '../e2e/support/browser.ts';
import { measurePage, smallestMapLabelPx } from '../e2e/support/page-budget.ts';
import { type RunningServer, startServer } from '../e2e/support/server.ts';
import { runCliInProcess } from '../support/processes.ts';
import { readReference, referencePath } from '../support/reference-data.ts';

const COMMITTED = new URL('../../src/demo/demo-outlines.json', import.meta.url);

describe('the demonstration outlines committed with the project', () => {
  it('are exactly what `demo outlines` makes from the reference file (IGN ADMIN EXPRESS)', () => {
    const built = buildDemoOutlines(
      JSON.parse(readReference('geo', 'communes-orleans-metropole.geojson').toString('utf8')),
    );
    const committed = fs.readFileSync(COMMITTED, 'utf8');
    assert.equal(committed, serializeDemoOutlines(built), 'run: npm run -s cli -- demo outlines');
    assert.equal(built.communes.length, 22);
    assert.match(built.licence, /Licence Ouverte 2\.0/);
    assert.match(built.attribution, /IGN – ADMIN EXPRESS/);
    assert.ok(Buffer.byteLength(committed) < 40 * 1024, `${Buffer.byteLength(committed)} bytes`);
    // Five decimals at most, and no commune outline over 3 KB.
    assert.doesNotMatch(committed, /\d\.\d{6,}/);
    for (const c of built.communes)
      assert.ok(JSON.stringify(c.geometry).length < 3072, `${c.nom}: ${JSON.stringify(c.geometry).length}`);
  });
});

describe('the coverage map of the Loiret (325 communes) within its budget', () => {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'maillage-ref-maps-'));
  let server: RunningServer | undefined;
  let browser: Browser | undefined;

  before(async () => {
    // The demonstration is seeded on the first start; the Loiret's outlines are loaded with the command
    // line while the server is stopped (one process at a time on the embedded database).
    const env = { DATA_DIR: dataDir, TERRITORY: 'dep:45' };
    const first = await startServer(env);
    await first.stop();
    const result = await runCliInProcess(
      ['geo', 'import', referencePath('geo', 'communes-45-loiret-cog-actuel.geojson'), '--format', 'json'],
      { DATA_DIR: dataDir },
    );
    assert.equal(result.code, 0, result.stderr);
    assert.equal(JSON.parse(result.stdout).imported, 325);
    server = await startServer(env);
    browser = await launchBrowser();
  });
  after(async () => {
    await browser?.close();
    await server?.stop();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it('stays within 100 KB, 5 requests and EcoIndex B at 1280 × 720, names at least 12 px, no axe violation', async () => {
    assert.ok(browser && server);
    const page = await (await newContext(browser, { viewport: { width: 1280, height: 720 } })).newPage();
    const budget = await measurePage(page, `${server.url}/couverture`);
    process.stdout.write(`# dep:45 coverage budget: ${JSON.stringify({ ...budget, urls: undefined })}\n`);
    assert.ok(budget.bytes <= 100 * 1024, `${budget.bytes} bytes transferred`);
    assert.ok(budget.requests <= 5, budget.urls.join(', '));
    assert.ok(budget.ecoindex > 70, `EcoIndex ${budget.ecoindex} (${budget.grade})`);
    assert.ok(
      budget.urls.every((u) => u.startsWith(server?.url ?? '-')),
      'a request left our origin',
    );
    const labels = await smallestMapLabelPx(page, 'svg.coverage-map');
    assert.ok(labels.count >= 40, `${labels.count} commune names on the map`);
    assert.ok(labels.px >= 12, `names drawn at ${labels.px.toFixed(1)} px`);
    await scanAxe(page, '/couverture (dep:45)');
    const folder = process.env.SCREENSHOTS;
    if (folder) {
      fs.mkdirSync(folder, { recursive: true });
      await page.locator('svg.coverage-map').screenshot({ path: path.join(folder, 'coverage-dep45.png') });
    }
    // The table in pages of 25 (the CSV has every commune).
    const first = await page.content();
    assert.equal((first.split('<tbody>')[1]?.match(/<tr>/g) ?? []).length, 25);
    assert.match(first, /communes 1 à 25 sur 325/);
    assert.match(first, /Communes suivantes \(26 à 50 sur 325\)/);
    const last = await (await fetch(`${server.url}/couverture?page=13&tri=nom`)).text();
    assert.match(last, /communes 301 à 325 sur 325/);
    assert.doesNotMatch(last, /Communes suivantes/);
    const csv = await (await fetch(`${server.url}/couverture.csv`)).text();
    assert.equal(csv.trim().split('\n').length, 326);
    const svg = await fetch(`${server.url}/couverture.svg`);
    assert.equal(svg.status, 200);
    const text = await svg.text();
    assert.ok(text.length < 150_000, `${text.length} characters for 325 communes`);
  });
});
