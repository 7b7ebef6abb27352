import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { pageCsp } from '../../src/http/security.ts';
import { type ContextOptions, launchBrowser, newContext, scanAxe } from './support/browser.ts';
import {
  assertPageClean,
  failOnPageProblems,
  type PageProblem,
  takePageProblems,
} from './support/page-guard.ts';
import { freePort } from './support/server.ts';

interface Answer {
  status?: number;
  type?: string;
  body: string;
  /** The Content-Security-Policy header: our pages' policy unless said otherwise; null for none. */
  csp?: string | null;
}

const html = (body: string) =>
  `<!doctype html><html lang="fr"><head><meta charset="utf-8"><title>Essai — Maillage</title></head>` +
  `<body><main><h1>Essai</h1>${body}</main></body></html>`;
const script = (body: string): Answer => ({ type: 'text/javascript', body });

/**
 * The guard of every journey (support/page-guard.ts), shown to catch each kind of problem, on small pages
 * served by the test itself (page.route) with the policy of our pages (pageCsp), and axe-core shown to run
 * without opening that policy.
 */
describe('the browser guard: CSP violations, console errors and page errors fail a journey', () => {
  let browser: Browser;
  /** Nothing listens on this port: every answer comes from the route. */
  let origin: string;
  before(async () => {
    origin = `http://127.0.0.1:${await freePort()}`;
    browser = await launchBrowser();
  });
  after(async () => {
    await browser?.close();
  });
  failOnPageProblems();

  async function site(answers: Record<string, Answer>, options: ContextOptions = {}): Promise<Page> {
    const context: BrowserContext = await newContext(browser, { baseURL: origin, ...options });
    await context.route(`${origin}/**`, (route) => {
      const answer = answers[new URL(route.request().url()).pathname];
      if (!answer) return route.fulfill({ status: 404, contentType: 'text/plain', body: 'absent' });
      const csp = answer.csp === undefined ? pageCsp() : answer.csp;
      return route.fulfill({
        status: answer.status ?? 200,
        contentType: answer.type ?? 'text/html; charset=utf-8',
        headers: csp === null ? {} : { 'Content-Security-Policy': csp },
        body: answer.body,
      });
    });
    return context.newPage();
  }

  const summary = (problems: PageProblem[]) => problems.map((p) => `${p.kind} on ${p.page}: ${p.message}`);

  it('names the page and what our CSP refused: an inline script (not run), an inline style, a script from elsewhere, eval()', async () => {
    const elsewhere = `http://localhost:${new URL(origin).port}/ailleurs.js`;
    const page = await site({
      '/refus': {
        body: html(
          '<p style="color: red">Rouge ?</p><script>document.title = "inline"</script>' +
            `<script src="${elsewhere}"></script><script src="/eval.js"></script>`,
        ),
      },
      '/eval.js': script('try { eval(\'document.title = "eval"\'); } catch {}'),
    });
    await page.goto('/refus?essai=1');
    assert.equal(await page.title(), 'Essai — Maillage', 'an inline script or eval() ran');
    await assert.rejects(assertPageClean(page, 'the page with violations'), (error: Error) => {
      assert.match(error.message, /problem\(s\) in the browser on the page with violations/);
      for (const refused of [
        /CSP violation on \/refus\?essai=1: .*inline style/,
        /CSP violation on \/refus\?essai=1: .*inline script/,
        /CSP violation on \/refus\?essai=1: .*ailleurs\.js/,
        /CSP violation on \/refus\?essai=1: 'script-src' refused eval/,
      ]) {
        assert.match(error.message, refused);
      }
      return true;
    });
    assert.deepEqual(await takePageProblems(page), [], 'the problems are reported once');
  });

  it('reports console errors, uncaught exceptions and a missing script, not the error status the journey asked for', async () => {
    const page = await site({
      '/erreurs': {
        status: 404,
        body: html('<script src="/erreurs.js"></script><script src="/absent.js"></script>'),
      },
      '/erreurs.js': script('console.error("Quelque chose ne va pas"); throw new TypeError("boum");'),
    });
    const response = await page.goto('/erreurs');
    assert.equal(response?.status(), 404);
    const problems = summary(await takePageProblems(page));
    assert.ok(problems.includes('console error on /erreurs: Quelque chose ne va pas'), problems.join('\n'));
    assert.ok(
      problems.some((p) => p.startsWith('page error on /erreurs: TypeError: boum')),
      problems.join('\n'),
    );
    const failedLoads = problems.filter((p) => p.includes('Failed to load resource'));
    assert.equal(failedLoads.length, 1, `only /absent.js failed to load:\n${problems.join('\n')}`);
    assert.equal(problems.length, 3, problems.join('\n'));
  });

  it('without JavaScript, still reports an inline style, and a page served without a CSP', async () => {
    const page = await site(
      {
        '/style': { body: html('<p style="color: red">Rouge ?</p>') },
        '/sans-csp': { body: html('<p>Sans politique</p>'), csp: null },
      },
      { javaScriptEnabled: false },
    );
    await page.goto('/style');
    await page.goto('/sans-csp');
    const problems = summary(await takePageProblems());
    assert.equal(problems.length, 2, problems.join('\n'));
    assert.match(problems[0] ?? '', /^CSP violation on \/style: .*inline style/);
    assert.match(problems[1] ?? '', /^no CSP header on \/sans-csp: .*without a Content-Security-Policy/);
  });

  it('runs axe-core with the CSP on: the page itself still cannot run inline scripts nor eval()', async () => {
    const page = await site({
      '/propre': { body: html('<p>Rien à redire.</p><script src="/sonde.js"></script>') },
      '/sonde.js': script(
        'window.tryEval = () => { try { return eval("\'allowed\'"); } catch { return "refused"; } };',
      ),
    });
    await page.goto('/propre');
    const results = await scanAxe(page, 'a clean page');
    assert.ok(results.passes.length > 0);
    // From a task of the page, not from the evaluation: the page's eval() is refused.
    const evaluated = await page.evaluate(
      () =>
        new Promise((resolve) =>
          setTimeout(() => resolve((window as unknown as { tryEval: () => string }).tryEval()), 0),
        ),
    );
    assert.equal(evaluated, 'refused');
    await assert.rejects(
      page.addScriptTag({ content: 'document.title = "inline"' }),
      /Content Security Policy/,
    );
    const problems = summary(await takePageProblems(page));
    assert.ok(
      problems.some((p) => /'script-src' refused eval/.test(p)),
      problems.join('\n'),
    );
    assert.ok(
      problems.some((p) => /inline script/.test(p)),
      problems.join('\n'),
    );
  });
});
