import { Hono } from 'hono';
import type { AppEnv } from '../http/app-env.ts';
import { requireSession } from '../http/auth.ts';
import { formFields } from '../http/input.ts';
import { renderPage } from '../web/render.ts';
import {
  answerForwardedReport,
  forwardErrorReport,
  getForwardedReport,
  listForwardedReports,
} from './error-report-forwarding.service.ts';
import { ForwardedReportPage, ForwardedReportsPage } from './forwarded-reports.views.tsx';
import {
  decideErrorReport,
  decidePlaceChange,
  getErrorReportReview,
  getPlaceChangeReview,
  listModerationQueue,
} from './moderation.service.ts';
import { ChangeReviewPage, QueuePage, ReportReviewPage } from './moderation.views.tsx';
import { addReviewRoutes } from './review-routes.tsx';

/** The coordinator's moderation queue: proposed place changes and public error reports. */
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
    const queue = await listModerationQueue(c.get('db'), auth.actor);
    return renderPage(c, <QueuePage ctx={c.get('page')} queue={queue} done={c.req.query('fait') ?? null} />);
  });

  addReviewRoutes(app, {
    path: '/moderation/modifications/:id',
    load: (db, actor, changeId) => getPlaceChangeReview(db, actor, { changeId }),
    View: ChangeReviewPage,
    decide: async (c, actor, changeId, body) => {
      const decision = body.decision === 'reject' ? 'reject' : 'approve';
      const result = await decidePlaceChange(
        c.get('db'),
        actor,
        { changeId, decision, message: body.message ?? '' },
        { config: c.get('config') },
      );
      return result.ok ? { ok: true, done: decision === 'approve' ? 'valide' : 'refuse' } : result;
    },
  });

  addReviewRoutes(app, {
    path: '/moderation/signalements/:id',
    load: (db, actor, reportId) => getErrorReportReview(db, actor, { reportId }),
    View: ReportReviewPage,
    decide: async (c, actor, reportId, body) => {
      if (body.decision === 'forward') {
        await forwardErrorReport(c.get('db'), actor, { reportId }, { config: c.get('config') });
        return { ok: true, done: 'transmis' };
      }
      const decision = body.decision === 'rejected' ? 'rejected' : 'done';
      const result = await decideErrorReport(
        c.get('db'),
        actor,
        { reportId, decision, message: body.message ?? '' },
        { config: c.get('config') },
      );
      return result.ok ? { ok: true, done: decision === 'done' ? 'traite' : 'rejete' } : result;
    },
  });

  // A structure's members answer the error reports the coordinator forwarded to them.
  for (const path of ['/signalements', '/signalements/*'])
    app.use(path, async (c, next) => {
      await next();
      c.header('Cache-Control', 'no-store');
    });

  app.get('/signalements', async (c) => {
    const auth = requireSession(c);
    if (auth instanceof Response) return auth;
    const reports = await listForwardedReports(c.get('db'), auth.actor);
    return renderPage(
      c,
      <ForwardedReportsPage ctx={c.get('page')} reports={reports} done={c.req.query('fait') ?? null} />,
    );
  });

  app.get('/signalements/:id', async (c) => {
    const auth = requireSession(c);
    if (auth instanceof Response) return auth;
    const report = await getForwardedReport(c.get('db'), auth.actor, { reportId: c.req.param('id') });
    return renderPage(
      c,
      <ForwardedReportPage
        ctx={c.get('page')}
        csrf={c.get('csrfToken')()}
        report={report}
        errors={{}}
        answer=""
        note=""
      />,
    );
  });

  app.post('/signalements/:id', async (c) => {
    const auth = requireSession(c);
    if (auth instanceof Response) return auth;
    const body = await formFields(c);
    const input = { reportId: c.req.param('id'), answer: body.reponse ?? '', note: body.note ?? '' };
    const result = await answerForwardedReport(c.get('db'), auth.actor, input, { config: c.get('config') });
    if (result.ok) return c.redirect('/signalements?fait=repondu', 303);
    const report = await getForwardedReport(c.get('db'), auth.actor, { reportId: input.reportId });
    return renderPage(
      c,
      <ForwardedReportPage
        ctx={c.get('page')}
        csrf={c.get('csrfToken')()}
        report={report}
        errors={result.errors}
        answer={input.answer}
        note={input.note}
      />,
      400,
    );
  });

  return app;
}
