import assert from 'node:assert/strict';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import type { AxeResults, Result, RunOnly } from 'axe-core';
import {
  type Browser,
  type BrowserContext,
  type BrowserContextOptions,
  chromium,
  type FileChooser,
  type Page,
} from 'playwright-core';
import { assertPageClean, watchContext } from './page-guard.ts';

/** Debian's Chromium, as set by test/run-e2e.ts. */
export function launchBrowser(): Promise<Browser> {
  const executablePath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
  return chromium.launch({
    executablePath,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-quic',
      '--no-first-run',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}

/** A context's options: any but `bypassCSP`, since the journeys run with our CSP on. */
export type ContextOptions = Omit<BrowserContextOptions, 'bypassCSP'>;

/**
 * A browser context for our pages, with our Content-Security-Policy enforced as in production (never
 * `bypassCSP`): every page it opens is watched for CSP violations, console errors and page errors
 * (page-guard.ts), which fail the journey.
 */
export async function newContext(browser: Browser, options: ContextOptions = {}): Promise<BrowserContext> {
  assert.ok(!('bypassCSP' in options), 'the journeys run with the Content-Security-Policy on');
  const context = await browser.newContext({ locale: 'fr-FR', ...options });
  await watchContext(context, options.javaScriptEnabled !== false);
  return context;
}

const require = createRequire(import.meta.url);
let axeSource: string | undefined;
/**
 * axe-core's source as one script to evaluate: `void 0` last, so that the evaluation's result (which
 * Playwright would send back) is nothing.
 */
function loadAxeSource(): string {
  axeSource ??= `${fs.readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8')}\n;void 0;`;
  return axeSource;
}

/** What the scan checks by default: WCAG 2.0 and 2.1, levels A and AA, every rule of those tags. */
export const WCAG_AA: RunOnly = { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] };

/**
 * Rules outside the WCAG tags that we hold our pages to as well: all content in landmarks, one main,
 * one banner, one h1, headings without jumps.
 */
export const STRUCTURE_RULES: RunOnly = {
  type: 'rule',
  values: [
    'region',
    'landmark-one-main',
    'landmark-unique',
    'landmark-no-duplicate-banner',
    'landmark-no-duplicate-contentinfo',
    'landmark-no-duplicate-main',
    'page-has-heading-one',
    'heading-order',
  ],
};

/** One line per violation and per element: rule, impact, where, what to do. */
export function describeViolations(violations: Result[]): string {
  return violations
    .map((v) => {
      const nodes = v.nodes
        .map((n) => `    - ${n.target.map((t) => JSON.stringify(t)).join(' > ')}${summary(n.failureSummary)}`)
        .join('\n');
      return `  • ${v.id} [${v.impact ?? 'unknown impact'}] ${v.help} (${v.helpUrl})\n${nodes}`;
    })
    .join('\n');
}

function summary(text: string | undefined): string {
  if (!text) return '';
  return `\n      ${text.replace(/\s*\n\s*/g, ' ').slice(0, 300)}`;
}

/**
 * Runs axe-core on the page as it is now (by default WCAG 2.0 and 2.1, levels A and AA, no rule disabled)
 * and fails with a readable list of violations. `label` names the page in the failure message. Fails
 * first if the page has had a CSP violation, console error or page error (a blocked script or style can
 * be what axe then finds).
 *
 * axe-core is evaluated with page.evaluate, not added as a <script>: our CSP (script-src 'self', no
 * 'unsafe-inline') refuses inline scripts, rightly. Playwright evaluates through the DevTools protocol
 * (Runtime.callFunctionOn), which the page's CSP does not govern, while the page's own inline scripts
 * and eval() stay refused (test/e2e/page-guard.e2e.test.ts checks both). axe then lives in the page's
 * main world, where it sees the DOM and styles as the page's scripts left them.
 */
export async function scanAxe(page: Page, label: string, runOnly: RunOnly = WCAG_AA): Promise<AxeResults> {
  await assertPageClean(page, label);
  const hasAxe = await page.evaluate(() => 'axe' in window);
  if (!hasAxe) await page.evaluate(loadAxeSource());
  const results = await page.evaluate(
    (only) => (window as unknown as { axe: typeof import('axe-core') }).axe.run(document, { runOnly: only }),
    runOnly,
  );
  assert.ok(results.passes.length > 0, `axe-core checked nothing on ${label}: is the page empty?`);
  if (results.violations.length > 0) {
    assert.fail(
      `axe-core found ${results.violations.length} accessibility violation(s) on ${label} (${page.url()}):\n` +
        describeViolations(results.violations),
    );
  }
  return results;
}

/** What has the keyboard focus. */
export interface FocusedElement {
  tag: string;
  /** Text content, spaces collapsed (or aria-label). */
  text: string;
  href: string | null;
  id: string;
  outlineStyle: string;
  outlineWidth: string;
  boxShadow: string;
}

export type FocusMatch = string | RegExp | ((focused: FocusedElement) => boolean);

/** Methods that act with the mouse, fill fields or navigate without the keyboard. */
const FORBIDDEN = new Set([
  'click',
  'dblclick',
  'tap',
  'hover',
  'goto',
  'goBack',
  'goForward',
  'reload',
  'fill',
  'check',
  'uncheck',
  'setChecked',
  'selectOption',
  'setInputFiles',
  'dragAndDrop',
  'dragTo',
  'focus',
  'dispatchEvent',
  'setContent',
  'mouse',
  'touchscreen',
  'selectText',
]);

function forbidden(name: string): never {
  throw new Error(
    `keyboard-only journey: "${name}" is not allowed here. Use press(), type() or tabTo() so the journey ` +
      'uses the keyboard alone.',
  );
}

/**
 * Wraps Playwright objects (page, locators, frames, element handles) so that every mouse, fill or
 * navigation method throws; reading and waiting stay available.
 */
function guard<T extends object>(target: T): T {
  return new Proxy(target, {
    get(obj, prop) {
      if (typeof prop === 'string' && FORBIDDEN.has(prop)) {
        // page.mouse and page.touchscreen are objects: any use of them throws too.
        return prop === 'mouse' || prop === 'touchscreen'
          ? new Proxy({}, { get: (_, method) => () => forbidden(`${prop}.${String(method)}`) })
          : () => forbidden(prop);
      }
      const value = Reflect.get(obj, prop);
      if (typeof value !== 'function') return value;
      return (...args: unknown[]) => {
        const result = (value as (...a: unknown[]) => unknown).apply(obj, args);
        return wrapResult(result);
      };
    },
  });
}

function isPlaywrightHandle(value: unknown): value is object {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as { click?: unknown }).click === 'function' &&
    typeof (value as { then?: unknown }).then !== 'function'
  );
}

function wrapResult(result: unknown): unknown {
  if (isPlaywrightHandle(result)) return guard(result);
  if (result instanceof Promise) return result.then((r) => (isPlaywrightHandle(r) ? guard(r) : r));
  return result;
}

type ForbiddenPageMethods =
  | 'click'
  | 'dblclick'
  | 'tap'
  | 'hover'
  | 'goto'
  | 'goBack'
  | 'goForward'
  | 'reload'
  | 'fill'
  | 'check'
  | 'uncheck'
  | 'setChecked'
  | 'selectOption'
  | 'setInputFiles'
  | 'dragAndDrop'
  | 'focus'
  | 'dispatchEvent'
  | 'setContent'
  | 'mouse'
  | 'touchscreen';

export interface KeyboardJourney extends Omit<Page, ForbiddenPageMethods | 'press' | 'type'> {
  /** Presses one key (`Tab`, `Enter`, `Shift+Tab`, `Space`…) with the keyboard. */
  press(key: string): Promise<void>;
  /** Types text with the keyboard, key by key. */
  type(text: string): Promise<void>;
  /** The element that has the focus now. */
  focused(): Promise<FocusedElement>;
  /**
   * Presses Tab until the focused element matches (text equal to a string, a RegExp on its text, or a
   * predicate); fails after `maxTabs` presses, listing what was focused on the way.
   */
  tabTo(match: FocusMatch, maxTabs?: number): Promise<FocusedElement & { tabs: number }>;
  /** Always throws: a keyboard journey does not click. */
  click(...args: unknown[]): never;
  /** Always throws: after the first visit, a keyboard journey moves with links and the keyboard. */
  goto(...args: unknown[]): never;
}

function readFocused(page: Page): Promise<FocusedElement> {
  return page.evaluate(() => {
    const el = document.activeElement ?? document.body;
    const style = getComputedStyle(el);
    const text = (el.textContent || el.getAttribute('aria-label') || '').replace(/\s+/g, ' ');
    return {
      tag: el.tagName.toLowerCase(),
      text: text.trim(),
      href: el.getAttribute('href'),
      id: el.id,
      outlineStyle: style.outlineStyle,
      outlineWidth: style.outlineWidth,
      boxShadow: style.boxShadow,
    };
  });
}

function matches(focused: FocusedElement, match: FocusMatch): boolean {
  if (typeof match === 'string') return focused.text === match;
  if (match instanceof RegExp) return match.test(focused.text);
  return match(focused);
}

function describeFocused(f: FocusedElement): string {
  return `<${f.tag}>${f.text ? ` "${f.text.slice(0, 60)}"` : ''}${f.href ? ` (${f.href})` : ''}`;
}

/**
 * Wraps a page for a keyboard-only journey, after its first `goto`: the journey then uses press(),
 * type() and tabTo(); reading and waiting go through to the page; clicks, fills and navigation throw.
 */
export function keyboardOnly(page: Page): KeyboardJourney {
  const tools = {
    async press(key: string) {
      await page.keyboard.press(key);
    },
    async type(text: string) {
      await page.keyboard.type(text);
    },
    focused: () => readFocused(page),
    async tabTo(match: FocusMatch, maxTabs = 80) {
      const seen: string[] = [];
      for (let tabs = 1; tabs <= maxTabs; tabs++) {
        await page.keyboard.press('Tab');
        const focused = await readFocused(page);
        if (matches(focused, match)) return { ...focused, tabs };
        seen.push(describeFocused(focused));
      }
      return assert.fail(
        `no element matching ${String(match)} was reached in ${maxTabs} Tab presses on ${page.url()}. ` +
          `Focused on the way:\n${seen.map((s, i) => `  ${i + 1}. ${s}`).join('\n')}`,
      );
    },
  };
  const guarded = guard(page);
  return new Proxy(guarded, {
    get(obj, prop, receiver) {
      if (typeof prop === 'string' && Object.hasOwn(tools, prop)) return tools[prop as keyof typeof tools];
      return Reflect.get(obj, prop, receiver);
    },
  }) as unknown as KeyboardJourney;
}

/**
 * A full-page picture when SCREENSHOTS=<folder> is set (to look at the pages a journey walked), else
 * nothing.
 */
export async function shot(page: Page, name: string) {
  const folder = process.env.SCREENSHOTS;
  if (!folder) return;
  fs.mkdirSync(folder, { recursive: true });
  await page.screenshot({ path: path.join(folder, `${name}.png`), fullPage: true });
}

/** Axe (WCAG AA and the structure rules) on the page, and no sideways scrolling at this width. */
export async function check(page: Page, label: string, width: number) {
  await scanAxe(page, label);
  await scanAxe(page, label, STRUCTURE_RULES);
  const scroll = await page.evaluate(() => document.documentElement.scrollWidth);
  assert.ok(scroll <= width, `${label} scrolls sideways (${scroll} > ${width})`);
}

/** A file as given to a file chooser. */
export type ChosenFile = { name: string; mimeType: string; buffer: Buffer };

/**
 * Files chosen through the file chooser a keyboard key opens. Call it once, right after the page is
 * opened: the listener asks the browser to intercept file choosers, and that request travels
 * asynchronously (Playwright sends it without waiting), so a listener added just before the key press
 * can miss the chooser (puppeteer#6040, playwright#28023) — the journey failed that way once in 118
 * tests under load. `choose(open, files)` then runs `open` (the key press) and sets the files on the
 * chooser it opened; no chooser within 30 s fails the journey.
 */
export function fileChoosers(page: Page) {
  const waiting: Array<(chooser: FileChooser) => void> = [];
  page.on('filechooser', (chooser) => waiting.shift()?.(chooser));
  return async function choose(open: () => Promise<unknown>, files: ChosenFile): Promise<void> {
    let timer: NodeJS.Timeout | undefined;
    const opened = new Promise<FileChooser>((resolve, reject) => {
      waiting.push(resolve);
      timer = setTimeout(
        () => reject(new Error('no file chooser opened within 30 s of the key press')),
        30_000,
      );
    });
    try {
      await open();
      await (await opened).setFiles(files);
    } finally {
      clearTimeout(timer);
    }
  };
}
