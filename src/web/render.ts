import type { Context } from 'hono';
import type { ContentfulStatusCode } from 'hono/utils/http-status';

/** Renders a JSX page with its doctype. */
export async function renderPage(
  c: Context,
  page: unknown,
  status: ContentfulStatusCode = 200,
): Promise<Response> {
  const html = await Promise.resolve(String(await page));
  return c.html(`<!doctype html>${html}`, status);
}
