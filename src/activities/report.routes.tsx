import { Hono } from 'hono';
import type { AppEnv } from '../http/app-env.ts';
import { requireSession } from '../http/auth.ts';
import { renderPage } from '../web/render.ts';
import { annualReport } from './report.service.ts';
import { AnnualReportPage } from './report.views.tsx';

/**
 * The annual evaluation report (decision 0056): `/activites/rapport-annuel?annee=2025&structure=…`,
 * for the coordinators, a page printed on A4. A bad year is a 400 and a structure outside the network a
 * 404, both with a French message.
 */
export function reportRoutes(): Hono<AppEnv> {
  const app = new Hono<AppEnv>();
  app.get('/activites/rapport-annuel', async (c) => {
    const auth = requireSession(c);
    if (auth instanceof Response) return auth;
    const report = await annualReport(c.get('db'), auth.actor, {
      year: (c.req.query('annee') ?? '').slice(0, 20),
      structure: (c.req.query('structure') ?? '').slice(0, 60),
      territory: c.get('config').territory,
    });
    c.header('Cache-Control', 'no-store');
    return renderPage(c, <AnnualReportPage ctx={c.get('page')} report={report} />);
  });
  return app;
}
