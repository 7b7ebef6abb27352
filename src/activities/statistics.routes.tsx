import { type Context, Hono } from 'hono';
import type { AppEnv } from '../http/app-env.ts';
import { requireSession } from '../http/auth.ts';
import { DomainError } from '../shared/domain-error.ts';
import { renderPage } from '../web/render.ts';
import {
  funderStatistics,
  networkStatistics,
  type StatisticsView,
  structureStatistics,
} from './statistics.service.ts';
import { exportRefusal, STATISTICS_MESSAGES } from './statistics.ts';
import { StatisticsPage } from './statistics.views.tsx';
import { type StatisticsFormat, statisticsFile } from './statistics-sheet.ts';

type C = Context<AppEnv>;
type Auth = Exclude<ReturnType<typeof requireSession>, Response>;

/** The query's fields as single strings (the last one when repeated), cut short. */
function queryOf(c: C): Record<string, string> {
  const out: Record<string, string> = {};
  for (const k of ['periode', 'du', 'au', 'par', 'type', 'thematique', 'structure', 'lieu', 'format']) {
    const all = c.req.queries(k);
    const last = all?.at(-1);
    if (typeof last === 'string') out[k] = last.slice(0, 60);
  }
  return out;
}

/** The structure of the page: `?structure=` among the person's, else her first (403 otherwise). */
function structureOf(auth: Auth, asked: string): { id: string; name: string } {
  const mine = auth.person.memberships.map((m) => ({ id: m.structureId, name: m.structureName }));
  if (mine.length === 0) throw new DomainError('forbidden', STATISTICS_MESSAGES.noStructure);
  const found = asked === '' ? mine[0] : mine.find((s) => s.id === asked.toLowerCase());
  if (!found) throw new DomainError('forbidden', STATISTICS_MESSAGES.structure);
  return found;
}

function formatOf(q: Record<string, string>): StatisticsFormat {
  const f = q.format ?? 'csv';
  if (f !== 'csv' && f !== 'xlsx')
    throw new DomainError('invalid_input', STATISTICS_MESSAGES.format(f), { field: 'format' });
  return f;
}

function download(c: C, view: StatisticsView, format: StatisticsFormat, stem: string): Response {
  const refused = exportRefusal(view.errors);
  if (refused) throw refused;
  const perimeter = view.perimeter.kind === 'network' ? 'Tout le réseau' : view.perimeter.name;
  const file = statisticsFile(
    format,
    perimeter,
    view.figures,
    `${stem}-${view.figures.from}-${view.figures.to}`,
  );
  c.header('Content-Type', file.contentType);
  c.header('Content-Disposition', `attachment; filename="${file.fileName}"`);
  c.header('Cache-Control', 'no-store');
  c.header('X-Content-Type-Options', 'nosniff');
  return c.body(file.body as never);
}

/**
 * The statistics of activity records (decision 0052): a structure's (`/activites/statistiques`), the
 * network's (`/activites/statistiques/reseau`, coordinators) and a funder's
 * (`/activites/statistiques/financeur/:id`), each with its CSV/XLSX export. A refused period or filter
 * comes back on the page with its message (422); on an export it is a 400 naming the field.
 */
export function statisticsRoutes(): Hono<AppEnv> {
  const app = new Hono<AppEnv>();

  const structurePage = async (c: C, exportFile: boolean) => {
    const auth = requireSession(c);
    if (auth instanceof Response) return auth;
    const q = queryOf(c);
    // A coordinator belongs to no structure: the network's page shows one structure's figures.
    if (
      auth.actor.kind === 'person' &&
      auth.actor.networkRole === 'coordinator' &&
      auth.person.memberships.length === 0
    ) {
      const { format: _f, ...rest } = q;
      const path = exportFile ? '/activites/statistiques/reseau/export' : '/activites/statistiques/reseau';
      return c.redirect(`${path}?${new URLSearchParams(exportFile ? q : rest)}`, 303);
    }
    const structure = structureOf(auth, q.structure ?? '');
    const format = exportFile ? formatOf(q) : 'csv';
    const view = await structureStatistics(c.get('db'), auth.actor, {
      structureId: structure.id,
      structureName: structure.name,
      query: q,
    });
    if (exportFile) return download(c, view, format, 'statistiques-structure');
    const hidden = auth.person.memberships.length > 1 ? { structure: structure.id } : {};
    return renderPage(
      c,
      <StatisticsPage ctx={c.get('page')} view={view} action="/activites/statistiques" hidden={hidden} />,
      Object.keys(view.errors).length > 0 ? 422 : 200,
    );
  };
  app.get('/activites/statistiques', (c) => structurePage(c, false));
  app.get('/activites/statistiques/export', (c) => structurePage(c, true));

  const networkPage = async (c: C, exportFile: boolean) => {
    const auth = requireSession(c);
    if (auth instanceof Response) return auth;
    const q = queryOf(c);
    const format = exportFile ? formatOf(q) : 'csv';
    const view = await networkStatistics(c.get('db'), auth.actor, { query: q });
    if (exportFile) return download(c, view, format, 'statistiques-reseau');
    return renderPage(
      c,
      <StatisticsPage ctx={c.get('page')} view={view} action="/activites/statistiques/reseau" />,
      Object.keys(view.errors).length > 0 ? 422 : 200,
    );
  };
  app.get('/activites/statistiques/reseau', (c) => networkPage(c, false));
  app.get('/activites/statistiques/reseau/export', (c) => networkPage(c, true));

  const funderPage = async (c: C, exportFile: boolean) => {
    const auth = requireSession(c);
    if (auth instanceof Response) return auth;
    const q = queryOf(c);
    const format = exportFile ? formatOf(q) : 'csv';
    const funderId = c.req.param('id')?.slice(0, 60) ?? '';
    const view = await funderStatistics(c.get('db'), auth.actor, { funderId, query: q });
    if (exportFile) return download(c, view, format, 'statistiques-financeur');
    const action = `/activites/statistiques/financeur/${view.perimeter.id}`;
    return renderPage(
      c,
      <StatisticsPage ctx={c.get('page')} view={view} action={action} />,
      Object.keys(view.errors).length > 0 ? 422 : 200,
    );
  };
  app.get('/activites/statistiques/financeur/:id', (c) => funderPage(c, false));
  app.get('/activites/statistiques/financeur/:id/export', (c) => funderPage(c, true));

  return app;
}
