import pg from 'pg';

/**
 * For tests against real server processes: one query on a PostgreSQL database, and a browser without
 * JavaScript over fetch (a cookie jar, redirects not followed: statuses are what the tests check).
 */
export async function pgQuery<T extends pg.QueryResultRow>(
  url: string,
  text: string,
  values: unknown[] = [],
): Promise<T[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query<T>(text, values)).rows;
  } finally {
    await client.end();
  }
}

/**
 * A cookie jar over fetch, for every server under `baseUrl` (empty: paths are whole addresses, so one
 * person can go from one server to another). A body that is a plain record is posted as a form.
 */
export function fetchBrowser(baseUrl = '') {
  const jar = new Map<string, string>();
  const request = async (path: string, body?: Record<string, string> | URLSearchParams | FormData) => {
    const headers: Record<string, string> = {};
    if (jar.size) headers.Cookie = [...jar].map(([k, v]) => `${k}=${v}`).join('; ');
    const sent = body === undefined || body instanceof FormData ? body : new URLSearchParams(body);
    if (sent instanceof URLSearchParams) headers['Content-Type'] = 'application/x-www-form-urlencoded';
    const res = await fetch(`${baseUrl}${path}`, {
      method: sent ? 'POST' : 'GET',
      headers,
      redirect: 'manual',
      ...(sent ? { body: sent instanceof URLSearchParams ? sent.toString() : sent } : {}),
    });
    for (const cookie of res.headers.getSetCookie()) {
      const [name, value] = (cookie.split(';')[0] ?? '').split('=') as [string, string];
      if (/Max-Age=0/i.test(cookie) || value === '') jar.delete(name);
      else jar.set(name, value);
    }
    return res;
  };
  const csrf = async (path: string) =>
    /name="_csrf" value="([^"]+)"/.exec(await (await request(path)).text())?.[1] ?? '';
  return { request, csrf };
}
