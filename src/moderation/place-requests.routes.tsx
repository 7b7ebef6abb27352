import { type Context, Hono } from 'hono';
import type { Actor } from '../accounts/policy.ts';
import type { AppEnv } from '../http/app-env.ts';
import { requireSession } from '../http/auth.ts';
import { formFields } from '../http/input.ts';
import { renderPage } from '../web/render.ts';
import {
  decideAttachRequest,
  decideNewPlace,
  getAttachRequestReview,
  getNewPlaceReview,
} from './place-requests.service.ts';
import { AttachReviewPage, NewPlaceReviewPage } from './place-requests.views.tsx';

type Refused = { errors: Record<string, string>; message: string };

async function newPlaceReview(c: Context<AppEnv>, actor: Actor, changeId: string, refused?: Refused) {
  const review = await getNewPlaceReview(c.get('db'), actor, { changeId });
  return renderPage(
    c,
    <NewPlaceReviewPage
      ctx={c.get('page')}
      csrf={c.get('csrfToken')()}
      review={review}
      errors={refused?.errors ?? {}}
      message={refused?.message ?? ''}
    />,
    refused ? 400 : 200,
  );
}

async function attachReview(c: Context<AppEnv>, actor: Actor, requestId: string, refused?: Refused) {
  const review = await getAttachRequestReview(c.get('db'), actor, { requestId });
  return renderPage(
    c,
    <AttachReviewPage
      ctx={c.get('page')}
      csrf={c.get('csrfToken')()}
      review={review}
      errors={refused?.errors ?? {}}
      message={refused?.message ?? ''}
    />,
    refused ? 400 : 200,
  );
}

/** The coordinator's decisions on structures' new places and attach requests (listed on /moderation). */
export function placeRequestsModerationRoutes(): Hono<AppEnv> {
  const app = new Hono<AppEnv>();
  for (const path of ['/moderation/nouveaux-lieux/*', '/moderation/rattachements/*'])
    app.use(path, async (c, next) => {
      await next();
      c.header('Cache-Control', 'no-store');
    });

  app.get('/moderation/nouveaux-lieux/:id', async (c) => {
    const auth = requireSession(c);
    if (auth instanceof Response) return auth;
    return newPlaceReview(c, auth.actor, c.req.param('id'));
  });

  app.post('/moderation/nouveaux-lieux/:id', async (c) => {
    const auth = requireSession(c);
    if (auth instanceof Response) return auth;
    const body = await formFields(c);
    const decision = body.decision === 'reject' ? 'reject' : 'approve';
    const result = await decideNewPlace(
      c.get('db'),
      auth.actor,
      { changeId: c.req.param('id'), decision, message: body.message ?? '' },
      { config: c.get('config') },
    );
    if (!result.ok)
      return newPlaceReview(c, auth.actor, c.req.param('id'), {
        errors: result.errors,
        message: body.message ?? '',
      });
    return c.redirect(`/moderation?fait=${decision === 'approve' ? 'lieu-valide' : 'lieu-refuse'}`, 303);
  });

  app.get('/moderation/rattachements/:id', async (c) => {
    const auth = requireSession(c);
    if (auth instanceof Response) return auth;
    return attachReview(c, auth.actor, c.req.param('id'));
  });

  app.post('/moderation/rattachements/:id', async (c) => {
    const auth = requireSession(c);
    if (auth instanceof Response) return auth;
    const body = await formFields(c);
    const decision = body.decision === 'reject' ? 'reject' : 'approve';
    const result = await decideAttachRequest(
      c.get('db'),
      auth.actor,
      { requestId: c.req.param('id'), decision, message: body.message ?? '' },
      { config: c.get('config') },
    );
    if (!result.ok)
      return attachReview(c, auth.actor, c.req.param('id'), {
        errors: result.errors,
        message: body.message ?? '',
      });
    return c.redirect(
      `/moderation?fait=${decision === 'approve' ? 'rattachement-valide' : 'rattachement-refuse'}`,
      303,
    );
  });

  return app;
}
