import { type Context, Hono } from 'hono';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import type { AppEnv } from '../http/app-env.ts';
import { publicActor, requireSession } from '../http/auth.ts';
import { clientOf } from '../http/client-address.ts';
import { mapError } from '../http/errors.ts';
import { isDomainError } from '../shared/domain-error.ts';
import { ownEntry } from '../shared/own.ts';
import { renderPage } from '../web/render.ts';
import { listCallbacks, markCallback, prepareCallback, requestCallback } from './callbacks.service.ts';
import type { CallbackForm } from './callbacks.ts';
import {
  CALLBACK_NOTICES,
  CallbackDonePage,
  CallbackFormPage,
  type CallbackFormValues,
  CallbackLimitedPage,
  CallbacksPage,
  EMPTY_FORM,
} from './callbacks.views.tsx';

type C = Context<AppEnv>;

/** A posted field as one string (the last one if repeated), or '' when absent. */
const one = (value: unknown): string => {
  const last = Array.isArray(value) ? value.at(-1) : value;
  return typeof last === 'string' ? last : '';
};

const options = (c: C) => {
  const config = c.get('config');
  return {
    scope: config.publicScope,
    networkName: config.networkName,
    networkContact: config.networkContact,
  };
};

/**
 * "Être rappelé": the public form of a place (`/lieux/:id/rappel`) or of the network (`/rappel`), no
 * account, the app-wide CSRF check on the POST; and `/rappels`, where the structures' members and the
 * coordinators see whom to call and record how it went (POST, then a redirect: refreshing repeats
 * nothing). Pages with a person's number are never cached.
 */
export function callbacksRoutes(): Hono<AppEnv> {
  const app = new Hono<AppEnv>();
  for (const path of ['/rappel', '/lieux/:id/rappel', '/rappels', '/rappels/*']) {
    app.use(path, async (c, next) => {
      await next();
      c.header('Cache-Control', 'no-store');
    });
  }

  const showForm = async (c: C, placeId: string | null) => {
    const target = await prepareCallback(c.get('db'), publicActor(c), { placeId }, options(c));
    return renderPage(
      c,
      <CallbackFormPage
        ctx={c.get('page')}
        target={target}
        values={EMPTY_FORM}
        issues={[]}
        csrf={c.get('csrfToken')()}
        retentionDays={c.get('config').retention.callbackDays}
      />,
    );
  };

  const submit = async (c: C, placeId: string | null) => {
    const body = await c.req.parseBody({ all: true });
    const values: CallbackFormValues = {
      prenom: one(body.prenom).slice(0, 200),
      telephone: one(body.telephone).slice(0, 200),
      jour: one(body.jour).slice(0, 40),
      moment: one(body.moment).slice(0, 40),
      accord: one(body.accord) === 'oui',
    };
    const form: CallbackForm = {
      firstName: values.prenom,
      phone: values.telephone,
      day: values.jour,
      part: values.moment,
      consent: values.accord,
    };
    const config = c.get('config');
    const result = await requestCallback(
      c.get('db'),
      publicActor(c),
      { placeId, form },
      { ...options(c), client: clientOf(c), limits: config.limits, publicUrl: config.publicUrl },
    );
    if (result.ok)
      return renderPage(
        c,
        <CallbackDonePage ctx={c.get('page')} done={result.confirmation} target={result.target} />,
      );
    if (result.reason === 'invalid')
      return renderPage(
        c,
        <CallbackFormPage
          ctx={c.get('page')}
          target={result.target}
          values={values}
          issues={result.issues}
          csrf={c.get('csrfToken')()}
          retentionDays={config.retention.callbackDays}
        />,
        400,
      );
    return renderPage(
      c,
      <CallbackLimitedPage
        ctx={c.get('page')}
        target={result.target}
        reason={result.reason}
        max={result.max}
      />,
      429,
    );
  };

  app.get('/rappel', (c) => showForm(c, null));
  app.post('/rappel', (c) => submit(c, null));
  app.get('/lieux/:id/rappel', (c) => showForm(c, c.req.param('id')));
  app.post('/lieux/:id/rappel', (c) => submit(c, c.req.param('id')));

  const list = async (
    c: C,
    extra: { notice?: string | undefined; error?: string; status?: ContentfulStatusCode } = {},
  ) => {
    const auth = requireSession(c);
    if (auth instanceof Response) return auth;
    const { open, closed } = await listCallbacks(c.get('db'), auth.actor);
    return renderPage(
      c,
      <CallbacksPage
        ctx={c.get('page')}
        csrf={c.get('csrfToken')()}
        open={open}
        closed={closed}
        notice={extra.notice}
        error={extra.error}
      />,
      extra.status ?? 200,
    );
  };

  app.get('/rappels', (c) => list(c, { notice: ownEntry(CALLBACK_NOTICES, c.req.query('fait')) }));

  app.post('/rappels/:id', async (c) => {
    const auth = requireSession(c);
    if (auth instanceof Response) return auth;
    const body = await c.req.parseBody({ all: true });
    try {
      const { outcome } = await markCallback(c.get('db'), auth.actor, {
        id: c.req.param('id'),
        outcome: one(body.issue),
      });
      return c.redirect(`/rappels?fait=${outcome}`, 303);
    } catch (error) {
      if (!isDomainError(error) || (error.code !== 'invalid_input' && error.code !== 'conflict')) throw error;
      return list(c, { error: error.message, status: mapError(error).status });
    }
  });

  return app;
}
