import { Hono } from 'hono';
import type { AppEnv } from '../http/app-env.ts';
import { requireSession } from '../http/auth.ts';
import { renderPage } from '../web/render.ts';
import { downloadSourceCorrections, listSourceCorrections } from './source-quality.service.ts';
import { CorrectionsPage } from './source-quality.views.tsx';

/**
 * Corrections to send back to the sources (docs/decisions/0059): the page listing them per source and
 * each source's CSV. Coordinators only, decided by the services with the policy module; anonymous
 * visitors are sent to the sign-in page.
 */
export function sourceQualityRoutes(): Hono<AppEnv> {
  const app = new Hono<AppEnv>();
  for (const path of ['/qualite/corrections', '/qualite/corrections.csv']) {
    app.use(path, async (c, next) => {
      await next();
      c.header('Cache-Control', 'no-store');
    });
  }

  app.get('/qualite/corrections', async (c) => {
    const auth = requireSession(c);
    if (auth instanceof Response) return auth;
    const sources = await listSourceCorrections(c.get('db'), auth.actor);
    return renderPage(c, <CorrectionsPage ctx={c.get('page')} sources={sources} />);
  });

  app.get('/qualite/corrections.csv', async (c) => {
    const auth = requireSession(c);
    if (auth instanceof Response) return auth;
    const file = await downloadSourceCorrections(c.get('db'), auth.actor, {
      source: c.req.query('source'),
      publicUrl: c.get('config').publicUrl,
    });
    c.header('Content-Type', file.contentType);
    c.header('Content-Disposition', `attachment; filename="${file.fileName}"`);
    return c.body(file.body);
  });

  return app;
}
