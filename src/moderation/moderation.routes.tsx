import { type Context, Hono } from 'hono';
import type { AppEnv } from '../http/app-env.ts';
import { requireSession } from '../http/auth.ts';
import { renderPage } from '../web/render.ts';
import {
  decideErrorReport,
  decidePlaceChange,
  getErrorReportReview,
  getPlaceChangeReview,
  listModerationQueue,
} from './moderation.service.ts';
import { ChangeReviewPage, QueuePage, ReportReviewPage } from './moderation.views.tsx';

async function form(c: Context<AppEnv>): Promise<Record<string, string>> {
  const body = await c.req.parseBody();
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(body)) if (typeof v === 'string') out[k] = v;
  return out;
}

/** The coordinator's moderation queue: proposed place changes and public error reports (issue 5 §4). */
export function moderationRoutes(): Hono<AppEnv> {
  const app = new Hono<AppEnv>();
  app.use('/moderation/*', async (c, next) => {
    await next();
    c.header('Cache-Control', 'no-store');
  });
  app.use('/moderation', async (c, next) => {
    await next();
    c.header('Cache-Control', 'no-store');
  });

  app.get('/moderation', async (c) => {
    const auth = requireSession(c);
    if (auth instanceof Response) return auth;
    const queue = await listModerationQueue(c.var.db, auth.actor);
    return renderPage(c, <QueuePage ctx={c.var.page} queue={queue} done={c.req.query('fait') ?? null} />);
  });

  app.get('/moderation/modifications/:id', async (c) => {
    const auth = requireSession(c);
    if (auth instanceof Response) return auth;
    const review = await getPlaceChangeReview(c.var.db, auth.actor, { changeId: c.req.param('id') });
    return renderPage(
      c,
      <ChangeReviewPage ctx={c.var.page} csrf={c.var.csrfToken()} review={review} errors={{}} message="" />,
    );
  });

  app.post('/moderation/modifications/:id', async (c) => {
    const auth = requireSession(c);
    if (auth instanceof Response) return auth;
    const body = await form(c);
    const decision = body.decision === 'reject' ? 'reject' : 'approve';
    const result = await decidePlaceChange(
      c.var.db,
      auth.actor,
      { changeId: c.req.param('id'), decision, message: body.message ?? '' },
      { config: c.var.config },
    );
    if (!result.ok) {
      const review = await getPlaceChangeReview(c.var.db, auth.actor, { changeId: c.req.param('id') });
      return renderPage(
        c,
        <ChangeReviewPage
          ctx={c.var.page}
          csrf={c.var.csrfToken()}
          review={review}
          errors={result.errors}
          message={body.message ?? ''}
        />,
        400,
      );
    }
    return c.redirect(`/moderation?fait=${decision === 'approve' ? 'valide' : 'refuse'}`, 303);
  });

  app.get('/moderation/signalements/:id', async (c) => {
    const auth = requireSession(c);
    if (auth instanceof Response) return auth;
    const review = await getErrorReportReview(c.var.db, auth.actor, { reportId: c.req.param('id') });
    return renderPage(
      c,
      <ReportReviewPage ctx={c.var.page} csrf={c.var.csrfToken()} review={review} errors={{}} message="" />,
    );
  });

  app.post('/moderation/signalements/:id', async (c) => {
    const auth = requireSession(c);
    if (auth instanceof Response) return auth;
    const body = await form(c);
    const decision = body.decision === 'rejected' ? 'rejected' : 'done';
    const result = await decideErrorReport(c.var.db, auth.actor, {
      reportId: c.req.param('id'),
      decision,
      message: body.message ?? '',
    });
    if (!result.ok) {
      const review = await getErrorReportReview(c.var.db, auth.actor, { reportId: c.req.param('id') });
      return renderPage(
        c,
        <ReportReviewPage
          ctx={c.var.page}
          csrf={c.var.csrfToken()}
          review={review}
          errors={result.errors}
          message={body.message ?? ''}
        />,
        400,
      );
    }
    return c.redirect(`/moderation?fait=${decision === 'done' ? 'traite' : 'rejete'}`, 303);
  });

  return app;
}
