import { Hono } from 'hono';
import type { AppEnv } from '../http/app-env.ts';
import { requireSession } from '../http/auth.ts';
import { renderPage } from '../web/render.ts';
import { downloadImportReport, viewDataQuality } from './freshness.service.ts';
import { QualityPage } from './places-history.views.tsx';

/**
 * Import reports and the data-quality page: coordinators only, decided by the service with
 * the policy module; anonymous visitors are sent to the sign-in page.
 */
export function placesHistoryRoutes(): Hono<AppEnv> {
  const app = new Hono<AppEnv>();
  for (const path of ['/imports/*', '/qualite']) {
    app.use(path, async (c, next) => {
      await next();
      c.header('Cache-Control', 'no-store');
    });
  }

  for (const format of ['json', 'csv'] as const) {
    app.get(`/imports/:id/rapport.${format}`, async (c) => {
      const auth = requireSession(c);
      if (auth instanceof Response) return auth;
      const file = await downloadImportReport(c.get('db'), auth.actor, { id: c.req.param('id'), format });
      c.header('Content-Type', file.contentType);
      c.header('Content-Disposition', `attachment; filename="${file.fileName}"`);
      return c.body(file.body);
    });
  }

  app.get('/qualite', async (c) => {
    const auth = requireSession(c);
    if (auth instanceof Response) return auth;
    const quality = await viewDataQuality(c.get('db'), auth.actor, { scope: c.get('config').publicScope });
    return renderPage(c, <QualityPage ctx={c.get('page')} quality={quality} />);
  });

  return app;
}
