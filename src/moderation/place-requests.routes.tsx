import { Hono } from 'hono';
import type { AppEnv } from '../http/app-env.ts';
import {
  decideAttachRequest,
  decideNewPlace,
  getAttachRequestReview,
  getNewPlaceReview,
} from './place-requests.service.ts';
import { AttachReviewPage, NewPlaceReviewPage } from './place-requests.views.tsx';
import { addReviewRoutes } from './review-routes.tsx';

/** The coordinator's decisions on structures' new places and attach requests (listed on /moderation). */
export function placeRequestsModerationRoutes(): Hono<AppEnv> {
  const app = new Hono<AppEnv>();
  for (const path of ['/moderation/nouveaux-lieux/*', '/moderation/rattachements/*'])
    app.use(path, async (c, next) => {
      await next();
      c.header('Cache-Control', 'no-store');
    });

  addReviewRoutes(app, {
    path: '/moderation/nouveaux-lieux/:id',
    load: (db, actor, changeId) => getNewPlaceReview(db, actor, { changeId }),
    View: NewPlaceReviewPage,
    decide: async (c, actor, changeId, body) => {
      const decision = body.decision === 'reject' ? 'reject' : 'approve';
      const result = await decideNewPlace(
        c.get('db'),
        actor,
        { changeId, decision, message: body.message ?? '' },
        { config: c.get('config') },
      );
      return result.ok ? { ok: true, done: decision === 'approve' ? 'lieu-valide' : 'lieu-refuse' } : result;
    },
  });

  addReviewRoutes(app, {
    path: '/moderation/rattachements/:id',
    load: (db, actor, requestId) => getAttachRequestReview(db, actor, { requestId }),
    View: AttachReviewPage,
    decide: async (c, actor, requestId, body) => {
      const decision = body.decision === 'reject' ? 'reject' : 'approve';
      const result = await decideAttachRequest(
        c.get('db'),
        actor,
        { requestId, decision, message: body.message ?? '' },
        { config: c.get('config') },
      );
      return result.ok
        ? { ok: true, done: decision === 'approve' ? 'rattachement-valide' : 'rattachement-refuse' }
        : result;
    },
  });

  return app;
}
