import { type Context, Hono } from 'hono';
import type { Actor } from '../accounts/policy.ts';
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

/** What a refused decision re-renders: its errors and the message typed. */
type Refused = { errors: Record<string, string>; message: string };

/** A proposed change's review page: empty on a first visit, or a refused decision's (400). */
async function changeReview(c: Context<AppEnv>, actor: Actor, changeId: string, refused?: Refused) {
  const review = await getPlaceChangeReview(c.get('db'), actor, { changeId });
  return renderPage(
    c,
    <ChangeReviewPage
      ctx={c.get('page')}
      csrf={c.get('csrfToken')()}
      review={review}
      errors={refused?.errors ?? {}}
      message={refused?.message ?? ''}
    />,
    refused ? 400 : 200,
  );
}

/** An error report's review page: empty on a first visit, or a refused decision's (400). */
async function reportReview(c: Context<AppEnv>, actor: Actor, reportId: string, refused?: Refused) {
  const review = await getErrorReportReview(c.get('db'), actor, { reportId });
  return renderPage(
    c,
    <ReportReviewPage
      ctx={c.get('page')}
      csrf={c.get('csrfToken')()}
      review={review}
      errors={refused?.errors ?? {}}
      message={refused?.message ?? ''}
    />,
    refused ? 400 : 200,
  );
}

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

  app.get('/moderation/modifications/:id', async (c) => {
    const auth = requireSession(c);
    if (auth instanceof Response) return auth;
    return changeReview(c, auth.actor, c.req.param('id'));
  });

  app.post('/moderation/modifications/:id', async (c) => {
    const auth = requireSession(c);
    if (auth instanceof Response) return auth;
    const body = await formFields(c);
    const decision = body.decision === 'reject' ? 'reject' : 'approve';
    const result = await decidePlaceChange(
      c.get('db'),
      auth.actor,
      { changeId: c.req.param('id'), decision, message: body.message ?? '' },
      { config: c.get('config') },
    );
    if (!result.ok)
      return changeReview(c, auth.actor, c.req.param('id'), {
        errors: result.errors,
        message: body.message ?? '',
      });
    return c.redirect(`/moderation?fait=${decision === 'approve' ? 'valide' : 'refuse'}`, 303);
  });

  app.get('/moderation/signalements/:id', async (c) => {
    const auth = requireSession(c);
    if (auth instanceof Response) return auth;
    return reportReview(c, auth.actor, c.req.param('id'));
  });

  app.post('/moderation/signalements/:id', async (c) => {
    const auth = requireSession(c);
    if (auth instanceof Response) return auth;
    const body = await formFields(c);
    if (body.decision === 'forward') {
      await forwardErrorReport(
        c.get('db'),
        auth.actor,
        { reportId: c.req.param('id') },
        { config: c.get('config') },
      );
      return c.redirect('/moderation?fait=transmis', 303);
    }
    const decision = body.decision === 'rejected' ? 'rejected' : 'done';
    const result = await decideErrorReport(
      c.get('db'),
      auth.actor,
      { reportId: c.req.param('id'), decision, message: body.message ?? '' },
      { config: c.get('config') },
    );
    if (!result.ok)
      return reportReview(c, auth.actor, c.req.param('id'), {
        errors: result.errors,
        message: body.message ?? '',
      });
    return c.redirect(`/moderation?fait=${decision === 'done' ? 'traite' : 'rejete'}`, 303);
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
