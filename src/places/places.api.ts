import { Hono } from 'hono';
import { z } from 'zod';
import type { AppEnv } from '../http/app-env.ts';
import { publicActor } from '../http/auth.ts';
import { DomainError } from '../shared/domain-error.ts';
import { parseTerritory } from '../shared/territory.ts';
import { exportPlaces } from './places.service.ts';

const exportQuery = z.object({
  format: z.enum(['csv', 'csv-excel', 'json']).default('csv'),
  territory: z.string().max(2000).optional(),
});

const CONTENT_TYPES = {
  csv: 'text/csv; charset=utf-8',
  'csv-excel': 'text/csv; charset=utf-8',
  json: 'application/json; charset=utf-8',
} as const;

/** The places JSON API (open data). */
export function placesApi(): Hono<AppEnv> {
  const app = new Hono<AppEnv>();

  app.get('/lieux/export', async (c) => {
    const parsed = exportQuery.safeParse(c.req.query());
    if (!parsed.success) {
      throw new DomainError('invalid_input', 'Le paramètre « format » doit valoir csv, csv-excel ou json.', {
        issues: parsed.error.issues.map((i) => ({ field: i.path.join('.'), message: i.message })),
      });
    }
    const { format, territory } = parsed.data;
    let scope = null;
    if (territory !== undefined) {
      const t = parseTerritory(territory);
      if (!t.ok) throw new DomainError('invalid_input', t.message, { field: 'territory', value: territory });
      scope = t.territory;
    }
    const body = await exportPlaces(c.get('db'), publicActor(c), {
      format,
      territory: scope,
      scope: c.get('config').publicScope,
    });
    const ext = format === 'json' ? 'json' : 'csv';
    c.header('Content-Type', CONTENT_TYPES[format]);
    c.header('Content-Disposition', `attachment; filename="lieux-mediation-numerique.${ext}"`);
    c.header('Access-Control-Allow-Origin', '*');
    c.header('Cache-Control', 'public, max-age=300');
    return c.body(body);
  });

  return app;
}
