import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import type { Page } from 'playwright-core';
import { keyboardOnly, scanAxe } from './support/browser.ts';
import { demoSite, signIn } from './support/session.ts';

/**
 * A structure's API token in a browser, keyboard only (decision 0040): the demo structure's
 * administrator goes from the structure's page to its tokens, creates one (the secret shown once),
 * uses it against GET /api/v1/activites, and revokes it, after which the API refuses it. Axe on every
 * page, at 390 px and 1280 px; the page guard fails on a CSP violation or a console error.
 * SCREENSHOTS=<folder> keeps pictures of each page.
 */
const SHOTS = process.env.SCREENSHOTS;

async function shot(page: Page, name: string): Promise<void> {
  if (!SHOTS) return;
  fs.mkdirSync(SHOTS, { recursive: true });
  await page.screenshot({ path: path.join(SHOTS, `${name}.png`), fullPage: true });
}

const pathOf = (page: Page) => new URL(page.url()).pathname;

describe('API tokens of a structure, in a browser (demonstration data)', () => {
  const site = demoSite();

  for (const width of [1280, 390]) {
    it(`an administrator creates a token, it reads the structure's records, then she revokes it — keyboard only, at ${width} px`, async () => {
      const page = await site.openPage({ viewport: { width, height: 900 } });
      await signIn(page, 'admin.demo@example.org');
      await page.goto('/structures');
      const k = keyboardOnly(page);
      await k.tabTo(
        (el) => /^\/structures\/[0-9a-f-]{36}$/.test(new URL(el.href ?? '/', 'http://x').pathname),
        120,
      );
      await Promise.all([page.waitForNavigation(), k.press('Enter')]);
      await k.tabTo((el) => (el.href ?? '').endsWith('/jetons'), 120);
      await Promise.all([page.waitForNavigation(), k.press('Enter')]);
      assert.match(pathOf(page), /^\/structures\/[0-9a-f-]{36}\/jetons$/);
      await scanAxe(page, `the tokens page, ${width} px`);
      await shot(page, `tokens-empty-${width}`);

      const name = `Tableau de bord ${width}`;
      await k.tabTo((el) => el.id === 'name');
      await k.type(name);
      // The expiry offered (in 90 days) is kept.
      assert.match(await page.locator('#expiresOn').inputValue(), /^\d{4}-\d{2}-\d{2}$/);
      await k.tabTo('Créer le jeton');
      await Promise.all([page.waitForNavigation(), k.press('Enter')]);
      const secret = await page.locator('#secret').inputValue();
      assert.match(secret, /^mlg_[A-Za-z0-9_-]{43}$/);
      assert.match((await page.textContent('main')) ?? '', /il ne sera plus jamais affiché/);
      await scanAxe(page, `a token just created, ${width} px`);
      const scroll = await page.evaluate(() => document.documentElement.scrollWidth);
      assert.ok(scroll <= width, `the page scrolls sideways at ${width} px (${scroll})`);
      await shot(page, `token-created-${width}`);

      const api = (token: string) =>
        fetch(`${site.url()}/api/v1/activites?page[size]=5`, {
          headers: { Authorization: `Bearer ${token}` },
        });
      const served = await api(secret);
      assert.equal(served.status, 200);
      const body = (await served.json()) as { data: { type: string }[]; meta: { total_count: number } };
      assert.equal(body.data.length, 5);
      assert.ok(body.data.every((r) => r.type === 'activite'));
      assert.ok(body.meta.total_count > 100, 'a year of the demonstration');

      await page.goto(pathOf(page));
      assert.ok(!(await page.content()).includes(secret), 'the secret is never shown again');
      await k.tabTo(new RegExp(`^Révoquer le jeton « ${name} »$`), 120);
      await Promise.all([page.waitForNavigation(), k.press('Enter')]);
      const main = (await page.textContent('main')) ?? '';
      assert.match(main, /Le jeton est révoqué/);
      assert.match(main, /Révoqué le/);
      await scanAxe(page, `a token revoked, ${width} px`);
      await shot(page, `token-revoked-${width}`);
      const refused = await api(secret);
      assert.equal(refused.status, 401);
      assert.match(refused.headers.get('WWW-Authenticate') ?? '', /^Bearer/);
    });
  }
});
