import { type Context, Hono } from 'hono';
import type { AppEnv } from '../http/app-env.ts';
import { requireSession } from '../http/auth.ts';
import { localToday } from '../places/place-dates.ts';
import { renderPage } from '../web/render.ts';
import {
  type DashboardQuery,
  type ProgrammeChoice,
  passDashboard,
  placeDashboard,
  prescriberDashboard,
  programmeDashboard,
} from './dashboard.service.ts';
import type { DashboardErrors } from './dashboard.ts';
import {
  DashboardPage,
  placeDashboardCsv,
  prescriberDashboardCsv,
  programmeDashboardCsv,
} from './dashboard.views.tsx';

/**
 * The pass numérique's dashboard (decision 0051): `/pass/tableau-de-bord` shows each section the
 * person's roles open (programmes, booklets, redemptions) for a period and a programme; each section's
 * tables as a CSV file. A bad period is the page again with its French messages (422); an unknown or
 * another funder's programme is "not found" (404).
 */
export function dashboardRoutes(): Hono<AppEnv> {
  const app = new Hono<AppEnv>();

  const queryOf = (c: Context<AppEnv>): DashboardQuery => ({
    programme: c.req.query('programme')?.slice(0, 100),
    annee: c.req.query('annee')?.slice(0, 40),
    du: c.req.query('du')?.slice(0, 40),
    au: c.req.query('au')?.slice(0, 40),
  });
  /** The years offered: from 2020 to this one (a year not begun is refused), newest first. */
  const years = () => {
    const now = Number(localToday(new Date()).slice(0, 4));
    return Array.from({ length: now - 2019 }, (_, k) => now - k);
  };
  const selectedYear = (q: DashboardQuery) =>
    /^\d{4}$/.test((q.annee ?? '').trim())
      ? Number(q.annee?.trim())
      : Number(localToday(new Date()).slice(0, 4));

  const refused = (
    c: Context<AppEnv>,
    q: DashboardQuery,
    errors: DashboardErrors,
    choices: ProgrammeChoice[],
  ) =>
    renderPage(
      c,
      <DashboardPage
        ctx={c.get('page')}
        query={q}
        choices={choices}
        sections={null}
        errors={errors}
        years={years()}
        selectedYear={selectedYear(q)}
      />,
      422,
    );

  app.get('/pass/tableau-de-bord', async (c) => {
    const auth = requireSession(c);
    if (auth instanceof Response) return auth;
    const q = queryOf(c);
    const r = await passDashboard(c.get('db'), auth.actor, q);
    if (!r.ok) return refused(c, q, r.errors, r.choices);
    return renderPage(
      c,
      <DashboardPage
        ctx={c.get('page')}
        query={q}
        choices={r.choices}
        sections={r.sections}
        years={years()}
        selectedYear={selectedYear(q)}
      />,
    );
  });

  /** One section's CSV file: the same figures as its tables, never cached. */
  const csvRoute = <T,>(
    path: string,
    read: typeof programmeDashboard | typeof prescriberDashboard | typeof placeDashboard,
    write: (d: T) => { csv: string; filename: string },
  ) =>
    app.get(path, async (c) => {
      const auth = requireSession(c);
      if (auth instanceof Response) return auth;
      const q = queryOf(c);
      const r = await read(c.get('db'), auth.actor, q);
      if (!r.ok) return refused(c, q, r.errors, r.choices);
      const file = write(r.dashboard as T);
      c.header('Content-Type', 'text/csv; charset=utf-8');
      c.header('Content-Disposition', `attachment; filename="${file.filename}"`);
      c.header('Cache-Control', 'no-store');
      return c.body(file.csv);
    });

  csvRoute('/pass/tableau-de-bord/programmes.csv', programmeDashboard, programmeDashboardCsv);
  csvRoute('/pass/tableau-de-bord/carnets.csv', prescriberDashboard, prescriberDashboardCsv);
  csvRoute('/pass/tableau-de-bord/encaissements.csv', placeDashboard, placeDashboardCsv);

  return app;
}
