import type { Context } from 'hono';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import { withRawBody } from '../http/compression.ts';

/** Renders a JSX page with its doctype. */
export async function renderPage(
  c: Context,
  page: unknown,
  status: ContentfulStatusCode = 200,
): Promise<Response> {
  const html = `<!doctype html>${String(await page)}`;
  return withRawBody(c.html(html, status), html);
}
