import { type Context, Hono } from 'hono';
import { z } from 'zod';
import type { AppEnv } from '../http/app-env.ts';
import { requireSession } from '../http/auth.ts';
import { renderPage } from '../web/render.ts';
import { exportAuditLog, listAuditLog } from './audit.service.ts';
import { type AuditFilterForm, checkAuditFilter } from './audit.ts';
import { AuditLogPageView } from './audit.views.tsx';

const pageQuery = z.coerce.number().int().min(1).max(1_000_000).catch(1);

function formOf(c: Context<AppEnv>): AuditFilterForm {
  const q = (name: string) => c.req.query(name) ?? '';
  return { action: q('action'), actor: q('actor'), subject: q('subject'), from: q('from'), to: q('to') };
}

/** The coordinator's audit log page and its CSV export. */
export function auditRoutes(): Hono<AppEnv> {
  const app = new Hono<AppEnv>();
  for (const path of ['/journal', '/journal.csv']) {
    app.use(path, async (c, next) => {
      await next();
      c.header('Cache-Control', 'no-store');
    });
  }

  app.get('/journal', async (c) => {
    const auth = requireSession(c);
    if (auth instanceof Response) return auth;
    const form = formOf(c);
    const checked = checkAuditFilter(form);
    const filter = checked.ok
      ? checked.value
      : { action: null, actor: null, subject: null, from: null, to: null };
    // Invalid filters: the page still needs the list of actions, so the service is called without them.
    const log = await listAuditLog(c.get('db'), auth.actor, {
      filter,
      page: pageQuery.parse(c.req.query('page')),
    });
    return renderPage(
      c,
      <AuditLogPageView
        ctx={c.get('page')}
        form={form}
        issues={checked.ok ? {} : checked.issues}
        filter={checked.ok ? checked.value : null}
        log={checked.ok ? log : null}
        actions={log.actions}
      />,
      checked.ok ? 200 : 422,
    );
  });

  app.get('/journal.csv', async (c) => {
    const auth = requireSession(c);
    if (auth instanceof Response) return auth;
    const checked = checkAuditFilter(formOf(c));
    if (!checked.ok) return c.redirect(`/journal?${new URL(c.req.url).searchParams.toString()}`, 303);
    const { csv } = await exportAuditLog(c.get('db'), auth.actor, { filter: checked.value });
    c.header('Content-Type', 'text/csv; charset=utf-8');
    c.header('Content-Disposition', 'attachment; filename="journal.csv"');
    return c.body(csv);
  });

  return app;
}
