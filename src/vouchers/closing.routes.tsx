import { Hono } from 'hono';
import type { AppEnv } from '../http/app-env.ts';
import { requireSession } from '../http/auth.ts';
import { renderPage } from '../web/render.ts';
import { viewProgrammeClosing } from './closing.service.ts';
import { reconciliationCsv } from './closing.ts';
import { ClosingPage } from './closing.views.tsx';

/**
 * The end of validity's pages (decision 0050): a programme's closing page (calendar, booklets, credit
 * note and reconciliation report, printable) and the reconciliation as CSV, for its funder's people and
 * the coordinators.
 */
export function closingRoutes(): Hono<AppEnv> {
  const app = new Hono<AppEnv>();

  app.get('/pass/programmes/:id/cloture', async (c) => {
    const auth = requireSession(c);
    if (auth instanceof Response) return auth;
    const view = await viewProgrammeClosing(c.get('db'), auth.actor, { programmeId: c.req.param('id') });
    return renderPage(c, <ClosingPage ctx={c.get('page')} view={view} />);
  });

  app.get('/pass/programmes/:id/cloture/csv', async (c) => {
    const auth = requireSession(c);
    if (auth instanceof Response) return auth;
    const view = await viewProgrammeClosing(c.get('db'), auth.actor, { programmeId: c.req.param('id') });
    c.header('Content-Type', 'text/csv; charset=utf-8');
    c.header('Content-Disposition', `attachment; filename="cloture-${view.programme.id.slice(0, 8)}.csv"`);
    c.header('Cache-Control', 'no-store');
    return c.body(
      reconciliationCsv(
        { programme: view.programme.name, funder: view.programme.funderName },
        view.reconciliation,
      ),
    );
  });

  return app;
}
