import { type Context, Hono } from 'hono';
import type { AppEnv } from '../http/app-env.ts';
import { publicActor } from '../http/auth.ts';
import { clientOf } from '../http/client-address.ts';
import { DomainError } from '../shared/domain-error.ts';
import { parseApiQuery } from './activities-api.ts';
import { activityAggregates, listActivitiesWithToken } from './api-tokens.service.ts';
import { API_MESSAGES } from './api-tokens.ts';

/**
 * `GET /api/v1/activites` (decision 0040): with `Authorization: Bearer <jeton>`, the records of the
 * token's structure in La Coop's API shape; without it, the network's figures. No CORS: a structure's
 * tools call it from a server or a spreadsheet, never from a web page of another site (no
 * Access-Control-* header, and OPTIONS has no route here).
 */
export function activitiesApi(): Hono<AppEnv> {
  const app = new Hono<AppEnv>();

  const problem = (
    c: Context<AppEnv>,
    status: 401 | 403 | 429,
    code: string,
    message: string,
    extra: Record<string, string> = {},
  ) => {
    for (const [k, v] of Object.entries(extra)) c.header(k, v);
    c.header('Cache-Control', 'no-store');
    return c.json({ error: { code, message, details: null } }, status);
  };

  app.get('/activites', async (c) => {
    const parsed = parseApiQuery(c.req.query());
    if (!parsed.ok) throw new DomainError('invalid_input', parsed.message, { field: parsed.field });
    const authorization = c.req.header('Authorization');
    c.header('Vary', 'Authorization');
    if (authorization === undefined) {
      if (parsed.query.from !== null || parsed.query.to !== null || parsed.query.after !== null)
        throw new DomainError('invalid_input', API_MESSAGES.windowIsFixed, {
          field: parsed.query.from !== null ? 'du' : parsed.query.to !== null ? 'au' : 'page[after]',
        });
      const figures = await activityAggregates(c.get('db'), publicActor(c), { client: clientOf(c) });
      if ('kind' in figures)
        return problem(c, 429, 'too_many_requests', figures.message, { 'Retry-After': '60' });
      c.header('Cache-Control', 'public, max-age=300');
      return c.json(figures);
    }
    const outcome = await listActivitiesWithToken(c.get('db'), publicActor(c), {
      authorization,
      query: parsed.query,
      client: clientOf(c),
    });
    switch (outcome.kind) {
      case 'unauthorized':
        return problem(c, 401, 'unauthorized', outcome.message, {
          'WWW-Authenticate': `Bearer realm="maillage", error="${outcome.error}"`,
        });
      case 'forbidden':
        return problem(c, 403, 'forbidden', outcome.message, {
          'WWW-Authenticate':
            'Bearer realm="maillage", error="insufficient_scope", scope="activites:lecture"',
        });
      case 'too_many':
        return problem(c, 429, 'too_many_requests', outcome.message, { 'Retry-After': '60' });
      default:
        c.header('Cache-Control', 'no-store');
        return c.json(outcome.body);
    }
  });

  return app;
}
