import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { openDatabase } from '../../../src/db/create-db.ts';
import type { Db } from '../../../src/db/database.ts';
import { launchBrowser, newContext } from './browser.ts';
import { fillDemoDataDir } from './demo-data.ts';
import { failOnPageProblems } from './page-guard.ts';
import { type RunningServer, startServer } from './server.ts';

/**
 * The frame of a browser journey on the demonstration: a fresh data folder with the demonstration seeded
 * (a copy of the one a server's first start makes, demo-data.ts), then
 * `prepare` writes what the journey needs before the server starts (one process per data folder); the
 * server and Chromium start once for the suite and stop after it, and the page guard (CSP, console and
 * page errors) watches every page. Call it inside `describe`.
 */
export function demoBrowserSuite(name: string, prepare?: (db: Db) => Promise<void>) {
  let server: RunningServer | undefined;
  let browser: Browser | undefined;
  let dataDir = '';
  before(async () => {
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), `maillage-e2e-${name}-`));
    await fillDemoDataDir(dataDir);
    const handle = await openDatabase({ dataDir, databaseUrl: null });
    try {
      await prepare?.(handle.db);
    } finally {
      await handle.close();
    }
    server = await startServer({ DATA_DIR: dataDir });
    browser = await launchBrowser();
  });
  after(async () => {
    await browser?.close();
    await server?.stop();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });
  failOnPageProblems();
  return {
    /** The running server's address (after `before`). */
    url(): string {
      assert.ok(server, 'the server is started');
      return server.url;
    },
    /** A new page in a fresh context of this size, on the server. */
    async openPage(viewport: { width: number; height: number }): Promise<Page> {
      assert.ok(server && browser);
      const context = await newContext(browser, { baseURL: server.url, viewport });
      return context.newPage();
    },
  };
}
