import assert from 'node:assert/strict';
import { afterEach } from 'node:test';
import type { BrowserContext, ConsoleMessage, Page, Response } from 'playwright-core';

/**
 * The browser journeys run with our Content-Security-Policy on (no `bypassCSP`), and every page they open
 * is watched: a CSP violation, a console error or an uncaught exception fails the journey, naming the page
 * and the browser's message. A CSP that blocked the map or a script in production fails here first.
 *
 * What is recorded, through Playwright's page events and a script of the context (both in place when a
 * page is created, so nothing of its first load is missed):
 * - `console` messages of type error: Chromium reports CSP violations there ("Loading the script …
 *   violates the following Content Security Policy directive …"), with or without JavaScript in the page,
 *   as well as a script or stylesheet that failed to load and the pages' own console.error calls;
 * - `securitypolicyviolation` events, which the page's document fires for every violation, including
 *   eval() refused inside a try (no console message then). The listener is a context init script, which
 *   Chromium runs in every document whatever its CSP (DevTools' Page.addScriptToEvaluateOnNewDocument);
 *   most violations are therefore listed twice, in the browser's words and in the event's;
 * - `pageerror`: an exception no script caught;
 * - a page (main document) served without a Content-Security-Policy header: the journey would then not
 *   run with the CSP on.
 * The one console error left out: "Failed to load resource" for a main document that answered an error
 * status (a 404 page, a refused form), which the journeys ask for and check themselves.
 * test/e2e/page-guard.e2e.test.ts shows that each kind is caught.
 */
export interface PageProblem {
  kind: 'CSP violation' | 'console error' | 'page error' | 'no CSP header';
  /** The page's address (path, query and fragment) when it happened. */
  page: string;
  message: string;
}

interface Recorded extends PageProblem {
  /** The console message's source address (a failed resource's own address). */
  source: string;
}

interface Watch {
  /** Whether the page runs scripts (then a violation event may still be on its way at a check). */
  javaScript: boolean;
  problems: Recorded[];
  /** Main documents that answered 400 or more: the browser's "Failed to load resource" for them is expected. */
  errorDocuments: Set<string>;
}

const watches = new Map<Page, Watch>();

const LOAD_FAILED = /^Failed to load resource: the server responded with a status of \d+/;

function where(url: string): string {
  try {
    const { pathname, search, hash } = new URL(url);
    return `${pathname}${search}${hash}`;
  } catch {
    return url;
  }
}

function record(page: Page, kind: PageProblem['kind'], message: string, source = '', at = page.url()): void {
  watches.get(page)?.problems.push({ kind, page: where(at), message, source });
}

function watchPage(page: Page, javaScript: boolean): void {
  if (watches.has(page)) return;
  const watch: Watch = { javaScript, problems: [], errorDocuments: new Set() };
  watches.set(page, watch);

  page.on('console', (message: ConsoleMessage) => {
    if (message.type() !== 'error' && message.type() !== 'assert') return;
    const text = message.text();
    record(
      page,
      /Content Security Policy/i.test(text) ? 'CSP violation' : 'console error',
      text,
      message.location().url,
    );
  });
  page.on('pageerror', (error: Error) => {
    const at = error.stack?.split('\n').find((line) => /^\s+at /.test(line));
    record(page, 'page error', `${error.name}: ${error.message}${at ? ` (${at.trim()})` : ''}`);
  });
  page.on('response', (response: Response) => {
    if (!response.request().isNavigationRequest() || response.frame() !== page.mainFrame()) return;
    const status = response.status();
    if (status >= 300 && status < 400) return; // a redirect: the page is the next answer
    if (status >= 400) watch.errorDocuments.add(response.url());
    if (!response.headers()['content-security-policy']) {
      // Named by its own address: the page's changes only once the document is committed.
      const message = `answered ${status} without a Content-Security-Policy`;
      record(page, 'no CSP header', message, '', response.url());
    }
  });
  page.once('close', () => {
    // A closed page cannot report anything more: its problems are kept until the next check.
    if (watch.problems.length === 0) watches.delete(page);
  });
}

/** What the page's listener passes on, from a SecurityPolicyViolationEvent. */
interface Violation {
  directive: string;
  blocked: string;
  at: string;
  sample: string;
}

const BINDING = '__maillageCspViolation';

/** Watches every page of the context, from its creation. `javaScript`: the context runs scripts. */
export async function watchContext(context: BrowserContext, javaScript: boolean): Promise<void> {
  await context.exposeBinding(BINDING, ({ page }, v: Violation) => {
    const sample = v.sample ? ` "${v.sample}"` : '';
    record(page, 'CSP violation', `'${v.directive}' refused ${v.blocked || 'inline'}${sample} (at ${v.at})`);
  });
  // No named function inside: tsx would wrap it with a helper that the page does not have.
  await context.addInitScript((binding: string) => {
    document.addEventListener('securitypolicyviolation', (e) => {
      const report = (window as unknown as Record<string, (v: Violation) => void>)[binding];
      report?.({
        directive: e.effectiveDirective,
        blocked: e.blockedURI,
        at: `${e.sourceFile || e.documentURI}:${e.lineNumber}`,
        sample: e.sample,
      });
    });
  }, BINDING);
  for (const page of context.pages()) watchPage(page, javaScript);
  context.on('page', (page) => watchPage(page, javaScript));
}

/**
 * Waits until the browser's reports on the page so far have been received: a round trip to the page
 * (messages come in order), and in a page with scripts one more task (violation events are queued).
 */
async function settle(page: Page): Promise<void> {
  if (page.isClosed()) return;
  try {
    await page.title();
    if (watches.get(page)?.javaScript) await page.evaluate(() => new Promise((done) => setTimeout(done, 0)));
  } catch {
    // Closed or navigating meanwhile: what it reported is in.
  }
}

/**
 * Takes (and forgets) the problems recorded so far on the page, or on every watched page, once their
 * reports are in.
 */
export async function takePageProblems(page?: Page): Promise<PageProblem[]> {
  const pages = page ? [page] : [...watches.keys()];
  await Promise.all(pages.map(settle));
  const found: PageProblem[] = [];
  for (const p of pages) {
    const watch = watches.get(p);
    if (!watch) continue;
    for (const { source, ...problem } of watch.problems) {
      const expected = LOAD_FAILED.test(problem.message) && watch.errorDocuments.has(source);
      if (!expected) found.push(problem);
    }
    watch.problems = [];
    if (p.isClosed()) watches.delete(p);
  }
  return found;
}

/** One line per problem, the first 20 (a blocked map makes dozens of the same). */
function describeProblems(problems: readonly PageProblem[]): string {
  const shown = problems.slice(0, 20);
  const more = problems.length > shown.length ? `\n  … and ${problems.length - shown.length} more` : '';
  return shown.map((p) => `  • ${p.kind} on ${p.page}: ${p.message.replace(/\s+/g, ' ')}`).join('\n') + more;
}

function failOn(problems: readonly PageProblem[], context: string): void {
  if (problems.length === 0) return;
  assert.fail(`${problems.length} problem(s) in the browser ${context}:\n${describeProblems(problems)}`);
}

/** Fails if the page has had a CSP violation, console error or page error since the last check. */
export async function assertPageClean(page: Page, label: string): Promise<void> {
  failOn(await takePageProblems(page), `on ${label}`);
}

/** Fails if any watched page has had a CSP violation, console error or page error since the last check. */
export async function assertNoPageProblems(): Promise<void> {
  failOn(await takePageProblems(), 'during this journey');
}

/**
 * Checks every watched page after each test of the enclosing describe: a journey fails on any problem,
 * including those of its pages that no axe scan looked at (without JavaScript, on the way).
 */
export function failOnPageProblems(): void {
  afterEach(assertNoPageProblems);
}
