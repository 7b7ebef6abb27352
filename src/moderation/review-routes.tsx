import type { Context, Hono } from 'hono';
import type { Child } from 'hono/jsx';
import type { Actor } from '../accounts/policy.ts';
import type { Db } from '../db/database.ts';
import type { AppEnv } from '../http/app-env.ts';
import { requireSession } from '../http/auth.ts';
import { formFields } from '../http/input.ts';
import type { PageContext } from '../web/layout.tsx';
import { renderPage } from '../web/render.ts';

/**
 * The review pages of the moderation queue (a proposed change, an error report, a new place, an attach
 * request) share one shape: GET shows the item with its decision form; POST decides, and either goes
 * back to the queue with what was done, or shows the page again with the refused decision's errors and
 * the message typed (400). Each page gives what differs: how to read the item, its view, and its decision.
 */

/** What every review view receives. */
export interface ReviewProps<R> {
  ctx: PageContext;
  csrf: string;
  review: R;
  errors: Record<string, string>;
  message: string;
}

/** A decision's outcome: where it leaves the queue (`?fait=`), or the errors to show. */
export type ReviewDecision = { ok: true; done: string } | { ok: false; errors: Record<string, string> };

export function addReviewRoutes<R>(
  app: Hono<AppEnv>,
  spec: {
    path: string;
    load: (db: Db, actor: Actor, id: string) => Promise<R>;
    View: (props: ReviewProps<R>) => Child;
    decide: (
      c: Context<AppEnv>,
      actor: Actor,
      id: string,
      body: Record<string, string>,
    ) => Promise<ReviewDecision>;
  },
): void {
  const show = async (
    c: Context<AppEnv>,
    actor: Actor,
    refused?: { errors: Record<string, string>; message: string },
  ) => {
    const review = await spec.load(c.get('db'), actor, c.req.param('id') ?? '');
    return renderPage(
      c,
      spec.View({
        ctx: c.get('page'),
        csrf: c.get('csrfToken')(),
        review,
        errors: refused?.errors ?? {},
        message: refused?.message ?? '',
      }),
      refused ? 400 : 200,
    );
  };

  app.get(spec.path, async (c) => {
    const auth = requireSession(c);
    if (auth instanceof Response) return auth;
    return show(c, auth.actor);
  });

  app.post(spec.path, async (c) => {
    const auth = requireSession(c);
    if (auth instanceof Response) return auth;
    const body = await formFields(c);
    const result = await spec.decide(c, auth.actor, c.req.param('id') ?? '', body);
    if (!result.ok) return show(c, auth.actor, { errors: result.errors, message: body.message ?? '' });
    return c.redirect(`/moderation?fait=${result.done}`, 303);
  });
}
