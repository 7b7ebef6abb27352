import { type Context, Hono } from 'hono';
import { ANONYMOUS } from '../accounts/policy.ts';
import type { AppEnv } from '../http/app-env.ts';
import { requireSession } from '../http/auth.ts';
import { formFields } from '../http/input.ts';
import { localToday } from '../places/place-dates.ts';
import { ownEntry } from '../shared/own.ts';
import { renderPage } from '../web/render.ts';
import { defaultExpiry, latestExpiry, type TokenFormValues } from './api-tokens.ts';
import {
  createFunderLink,
  listFunderLinks,
  openFunderLink,
  revokeFunderLink,
} from './funder-links.service.ts';
import { LINK_MESSAGES } from './funder-links.ts';
import { DeadLinkPage, FunderLinksPage, LINK_NOTICES } from './funder-links.views.tsx';
import { exportRefusal, STATISTICS_MESSAGES } from './statistics.ts';
import { StatisticsPage } from './statistics.views.tsx';
import { statisticsFile } from './statistics-sheet.ts';

type C = Context<AppEnv>;

const QUERY_KEYS = ['periode', 'du', 'au', 'par', 'type', 'thematique', 'structure', 'lieu', 'format'];
function queryOf(c: C): Record<string, string> {
  const out: Record<string, string> = {};
  for (const k of QUERY_KEYS) {
    const last = c.req.queries(k)?.at(-1);
    if (typeof last === 'string') out[k] = last.slice(0, 60);
  }
  return out;
}

/**
 * Read-only links to a funder's statistics (decision 0056): the coordinators' page of a funder's links
 * (`/activites/statistiques/financeur/:id/liens`, create, revoke) and the page a link opens without an
 * account (`/statistiques/lien/:secret`, and its export). A revoked or expired link answers 410, an
 * unknown one 404, each with a French page.
 */
export function funderLinksRoutes(): Hono<AppEnv> {
  const app = new Hono<AppEnv>();

  const page = async (
    c: C,
    actor: Parameters<typeof listFunderLinks>[1],
    funderId: string,
    extra: {
      values?: TokenFormValues;
      errors?: Record<string, string>;
      created?: { url: string; name: string };
      status?: 200 | 201 | 422;
    } = {},
  ) => {
    const list = await listFunderLinks(c.get('db'), actor, { funderId });
    const today = localToday(new Date());
    return renderPage(
      c,
      <FunderLinksPage
        ctx={c.get('page')}
        csrf={c.get('csrfToken')()}
        funder={{ id: list.funderId, name: list.funderName }}
        links={list.links}
        values={extra.values ?? { name: '', expiresOn: defaultExpiry(today) }}
        errors={extra.errors ?? {}}
        latest={latestExpiry(today)}
        created={extra.created}
        notice={ownEntry(LINK_NOTICES, c.req.query('fait'))}
      />,
      extra.status ?? 200,
    );
  };

  app.get('/activites/statistiques/financeur/:id/liens', async (c) => {
    const auth = requireSession(c);
    if (auth instanceof Response) return auth;
    return page(c, auth.actor, c.req.param('id').slice(0, 60));
  });

  app.post('/activites/statistiques/financeur/:id/liens', async (c) => {
    const auth = requireSession(c);
    if (auth instanceof Response) return auth;
    const funderId = c.req.param('id').slice(0, 60);
    const body = await formFields(c);
    const values = { name: body.name ?? '', expiresOn: body.expiresOn ?? '' };
    const result = await createFunderLink(c.get('db'), auth.actor, { funderId, values });
    if (!result.ok) return page(c, auth.actor, funderId, { values, errors: result.errors, status: 422 });
    const origin = c.get('config').publicUrl;
    return page(c, auth.actor, funderId, {
      created: { url: `${origin.replace(/\/$/, '')}/statistiques/lien/${result.secret}`, name: result.name },
      status: 201,
    });
  });

  app.post('/activites/statistiques/financeur/:id/liens/:link/revoquer', async (c) => {
    const auth = requireSession(c);
    if (auth instanceof Response) return auth;
    const funderId = c.req.param('id').slice(0, 60).toLowerCase();
    const { revoked } = await revokeFunderLink(c.get('db'), auth.actor, {
      funderId,
      linkId: c.req.param('link').slice(0, 60),
    });
    return c.redirect(
      `/activites/statistiques/financeur/${funderId}/liens?fait=${revoked ? 'revoque' : 'deja-revoque'}#liste`,
      303,
    );
  });

  const opened = async (c: C, exportFile: boolean) => {
    const secret = c.req.param('secret')?.slice(0, 80) ?? '';
    const q = queryOf(c);
    const result = await openFunderLink(c.get('db'), ANONYMOUS, {
      secret,
      query: q,
      what: exportFile ? 'export' : 'page',
    });
    c.header('Cache-Control', 'no-store');
    c.header('Referrer-Policy', 'no-referrer');
    if (result.state !== 'active')
      return renderPage(
        c,
        <DeadLinkPage ctx={c.get('page')} message={LINK_MESSAGES[result.state]} />,
        result.state === 'unknown' ? 404 : 410,
      );
    const view = result.view;
    const action = `/statistiques/lien/${secret}`;
    if (!exportFile)
      return renderPage(
        c,
        <StatisticsPage ctx={c.get('page')} view={view} action={action} />,
        Object.keys(view.errors).length > 0 ? 422 : 200,
      );
    const format = q.format ?? 'csv';
    if (format !== 'csv' && format !== 'xlsx') return c.text(STATISTICS_MESSAGES.format(format), 400);
    const refused = exportRefusal(view.errors);
    if (refused) throw refused;
    const file = statisticsFile(
      format,
      view.perimeter.name,
      view.figures,
      `statistiques-financeur-${view.figures.from}-${view.figures.to}`,
    );
    c.header('Content-Type', file.contentType);
    c.header('Content-Disposition', `attachment; filename="${file.fileName}"`);
    c.header('X-Content-Type-Options', 'nosniff');
    return c.body(file.body as never);
  };
  app.get('/statistiques/lien/:secret', (c) => opened(c, false));
  app.get('/statistiques/lien/:secret/export', (c) => opened(c, true));
  return app;
}
