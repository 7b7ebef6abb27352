import type { Page } from 'playwright-core';
import { ecoIndex } from '../../support/ecoindex.ts';

export interface PageBudget {
  bytes: number;
  requests: number;
  elements: number;
  ecoindex: number;
  grade: string;
  urls: string[];
}

/**
 * What loading `path` costs, measured the EcoIndex way: bytes transferred (compressed, cache disabled),
 * requests, DOM elements, and the EcoIndex score and grade (test/support/ecoindex.ts).
 */
export async function measurePage(page: Page, url: string): Promise<PageBudget> {
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('Network.enable');
  await cdp.send('Network.setCacheDisabled', { cacheDisabled: true });
  const urls: string[] = [];
  let bytes = 0;
  cdp.on('Network.requestWillBeSent', (e) => urls.push(e.request.url));
  cdp.on('Network.loadingFinished', (e) => {
    bytes += e.encodedDataLength;
  });
  await page.goto(url);
  await page.waitForLoadState('networkidle');
  const elements = await page.evaluate(() => document.getElementsByTagName('*').length);
  await cdp.detach();
  const eco = ecoIndex({ elements, requests: urls.length, kilobytes: bytes / 1024 });
  return { bytes, requests: urls.length, elements, ecoindex: eco.score, grade: eco.grade, urls };
}

/** The smallest on-screen size, in CSS pixels, of the commune names drawn in the page's maps. */
export async function smallestMapLabelPx(
  page: Page,
  selector: string,
): Promise<{ count: number; px: number }> {
  return page.evaluate((sel) => {
    const texts = Array.from(document.querySelectorAll(`${sel} g[text-anchor="middle"] text`));
    let px = Number.POSITIVE_INFINITY;
    for (const t of texts) {
      const svg = (t as SVGGraphicsElement).ownerSVGElement;
      if (!svg) continue;
      const scale = svg.getBoundingClientRect().width / svg.viewBox.baseVal.width;
      const size = Number.parseFloat(getComputedStyle(t).fontSize) * scale;
      if (size < px) px = size;
    }
    return { count: texts.length, px };
  }, selector);
}
