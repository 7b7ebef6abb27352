import { Hono } from 'hono';
import type { AppEnv } from '../http/app-env.ts';
import { renderPage } from '../web/render.ts';
import { getDataQuality, getPlaceImport, importReportCsv } from './places.service.ts';
import { QualityPage } from './places-history.views.tsx';

/**
 * Import reports and the data-quality page (issue 3). Plain pages for now: the accounts issue puts them
 * behind sign-in.
 */
export function placesHistoryRoutes(): Hono<AppEnv> {
  const app = new Hono<AppEnv>();

  app.get('/imports/:id/rapport.json', async (c) => {
    const detail = await getPlaceImport(c.var.db, c.req.param('id'));
    c.header('Content-Disposition', `attachment; filename="rapport-import-${detail.id}.json"`);
    return c.json(detail);
  });

  app.get('/imports/:id/rapport.csv', async (c) => {
    const detail = await getPlaceImport(c.var.db, c.req.param('id'));
    const csv = await importReportCsv(c.var.db, detail.id);
    c.header('Content-Type', 'text/csv; charset=utf-8');
    c.header('Content-Disposition', `attachment; filename="rapport-import-${detail.id}.csv"`);
    return c.body(csv);
  });

  app.get('/qualite', async (c) => {
    const quality = await getDataQuality(c.var.db);
    return renderPage(c, <QualityPage ctx={c.var.page} quality={quality} />);
  });

  return app;
}
