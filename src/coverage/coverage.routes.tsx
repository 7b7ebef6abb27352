import type { Context } from 'hono';
import { Hono } from 'hono';
import type { AppEnv } from '../http/app-env.ts';
import { SERVICES } from '../places/places.ts';
import { renderPage } from '../web/render.ts';
import { analyseTerritoryCoverage } from './coverage.service.ts';
import { parseCoverageOptions } from './coverage.ts';
import { CoveragePage, coverageCsv, MethodPage, SORTS, type Sort } from './coverage.views.tsx';

/** How many sites the public page proposes. */
const PUBLIC_SUGGESTIONS = 3;

async function analyse(c: Context<AppEnv>) {
  const options = parseCoverageOptions({ service: c.req.query('service'), maxKm: c.req.query('km') });
  const result = await analyseTerritoryCoverage(c.var.db, {
    territory: c.var.config.territory,
    service: options.service,
    threshold: options.threshold,
    suggest: PUBLIC_SUGGESTIONS,
    itinerant: 0,
    withOutlines: true,
  });
  return { options, result };
}

/** The public coverage pages: map, table, CSV and method (no internal data). */
export function coverageRoutes(): Hono<AppEnv> {
  const app = new Hono<AppEnv>();

  app.get('/couverture', async (c) => {
    const { options, result } = await analyse(c);
    const tri = c.req.query('tri');
    const sort: Sort = SORTS.includes(tri as Sort) ? (tri as Sort) : 'distance';
    return renderPage(
      c,
      <CoveragePage
        ctx={c.var.page}
        label={result.label}
        analysis={result.analysis}
        outlines={result.outlines}
        missing={result.missingReferencePoints}
        services={SERVICES}
        service={options.service}
        km={options.threshold.kind === 'km' ? options.threshold.maxKm : result.analysis.radiusKm}
        sort={sort}
      />,
    );
  });

  app.get('/couverture.csv', async (c) => {
    const { result } = await analyse(c);
    c.header('Content-Type', 'text/csv; charset=utf-8');
    c.header('Content-Disposition', 'attachment; filename="couverture.csv"');
    return c.body(coverageCsv(result.analysis));
  });

  app.get('/couverture/methode', (c) => renderPage(c, <MethodPage ctx={c.var.page} />));

  return app;
}
