import assert from 'node:assert/strict';
import { after, before } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import * as OTPAuth from 'otpauth';
import type { Browser, Page } from 'playwright-core';
import { type ContextOptions, launchBrowser, newContext } from './browser.ts';
import { failOnPageProblems } from './page-guard.ts';
import { type RunningServer, startServer } from './server.ts';

// Demonstration accounts (README): every one has this password; the coordinator also has a second
// factor with this demo secret.
export const DEMO_PASSWORD = 'demonstration-maillage';
export const DEMO_TOTP_SECRET = 'MAILLAGEDEMOTOTPSECRETAAAAAAAAAA';

const PERIOD_MS = 30_000;
/** The last period whose code the demo coordinator used, per server (origin), in this test process. */
const lastPeriodUsed = new Map<string, number>();

/**
 * The demo coordinator's code for her next sign-in on the page's server. Each code works once and the
 * server takes the current period's or the next one's (never one at or before the last used), so a
 * third sign-in within one 30 s period waits for the next period instead of failing — how fast the
 * machine runs the journeys no longer decides it. A sign-in made without this helper is caught by the
 * callers' second try.
 */
export async function nextDemoTotpCode(page: Page): Promise<string> {
  const origin = new URL(page.url()).origin;
  const now = Date.now();
  const current = Math.floor(now / PERIOD_MS);
  const period = Math.max(current, (lastPeriodUsed.get(origin) ?? current - 1) + 1);
  // Two periods ahead is refused: wait until the one before it has begun (with a margin).
  if (period > current + 1) await sleep((period - 1) * PERIOD_MS + 500 - now);
  lastPeriodUsed.set(origin, period);
  return new OTPAuth.TOTP({ secret: OTPAuth.Secret.fromBase32(DEMO_TOTP_SECRET) }).generate({
    timestamp: period * PERIOD_MS,
  });
}

/**
 * The app server over the demonstration data and Chromium, started before the tests of the enclosing
 * describe and stopped after them, and pages on that server. Each test fails on a CSP violation, console
 * error or page error in any of its pages (page-guard.ts).
 */
export function demoSite() {
  let server: RunningServer | undefined;
  let browser: Browser | undefined;
  before(async () => {
    server = await startServer();
    browser = await launchBrowser();
  });
  after(async () => {
    await browser?.close();
    await server?.stop();
  });
  failOnPageProblems();
  const started = () => {
    assert.ok(server && browser, 'the server and the browser are started');
    return { server, browser };
  };
  return {
    /** The server's base address, without a trailing slash. */
    url: () => started().server.url,
    /** A page in a context of its own (closed with the browser at the end). */
    async openPage(options: ContextOptions = {}): Promise<Page> {
      const { server, browser } = started();
      const context = await newContext(browser, { baseURL: server.url, ...options });
      return context.newPage();
    },
  };
}

const path = (page: Page) => new URL(page.url()).pathname;

/**
 * Signs in on the sign-in page (the fields filled, then Enter), with the demo TOTP code when asked for
 * one, and ends on "Mon espace".
 */
export async function signIn(page: Page, email: string, password = DEMO_PASSWORD): Promise<void> {
  await page.goto('/connexion');
  await page.locator('input[name="email"]').first().fill(email);
  await page.locator('input[name="password"]').first().fill(password);
  await Promise.all([
    page.waitForNavigation(),
    page.locator('input[name="password"]').first().press('Enter'),
  ]);
  // Each code works once (nextDemoTotpCode); a second try covers a code used by another way in.
  for (let attempt = 0; path(page) === '/connexion/code' && attempt < 2; attempt++) {
    await page
      .locator('input[name="code"]')
      .first()
      .fill(await nextDemoTotpCode(page));
    await Promise.all([page.waitForNavigation(), page.locator('input[name="code"]').first().press('Enter')]);
  }
  assert.equal(path(page), '/espace', `${email} is signed in`);
}
