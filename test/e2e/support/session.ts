import assert from 'node:assert/strict';
import { after, before } from 'node:test';
import * as OTPAuth from 'otpauth';
import type { Browser, Page } from 'playwright-core';
import { type ContextOptions, launchBrowser, newContext } from './browser.ts';
import { failOnPageProblems } from './page-guard.ts';
import { type RunningServer, startServer } from './server.ts';

// Demonstration accounts (README): every one has this password; the coordinator also has a second
// factor with this demo secret.
export const DEMO_PASSWORD = 'demonstration-maillage';
export const DEMO_TOTP_SECRET = 'MAILLAGEDEMOTOTPSECRETAAAAAAAAAA';

/** The demo second factor's code now, or `periodsAhead` periods of 30 s later. */
export function demoTotpCode(periodsAhead = 0): string {
  return new OTPAuth.TOTP({ secret: OTPAuth.Secret.fromBase32(DEMO_TOTP_SECRET) }).generate({
    timestamp: Date.now() + periodsAhead * 30_000,
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
  // Each code works once: when this account already used the current one (another sign-in within
  // 30 s), the next period's code, still accepted (±30 s), completes this one.
  for (let ahead = 0; path(page) === '/connexion/code' && ahead < 2; ahead++) {
    await page.locator('input[name="code"]').first().fill(demoTotpCode(ahead));
    await Promise.all([page.waitForNavigation(), page.locator('input[name="code"]').first().press('Enter')]);
  }
  assert.equal(path(page), '/espace', `${email} is signed in`);
}
