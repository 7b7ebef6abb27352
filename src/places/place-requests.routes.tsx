import { type Context, Hono } from 'hono';
import type { AppEnv } from '../http/app-env.ts';
import { requireSession } from '../http/auth.ts';
import { renderPage } from '../web/render.ts';
import { readEditForm } from './place-edit-form.ts';
import {
  findPlacesToAttach,
  proposeNewPlace,
  requestPlaceAttachment,
  startNewPlace,
} from './place-requests.service.ts';
import { AttachPlacePage, NewPlacePage } from './place-requests.views.tsx';

/** A structure's administrators propose a new place or ask to attach one of the directory. */
export function placeRequestsRoutes(): Hono<AppEnv> {
  const app = new Hono<AppEnv>();
  for (const path of ['/structures/:id/lieux/nouveau', '/structures/:id/lieux/rattacher'])
    app.use(path, async (c, next) => {
      await next();
      c.header('Cache-Control', 'no-store');
    });

  app.get('/structures/:id/lieux/nouveau', async (c) => {
    const auth = requireSession(c);
    if (auth instanceof Response) return auth;
    const start = await startNewPlace(c.get('db'), auth.actor, { structureId: c.req.param('id') });
    return renderPage(
      c,
      <NewPlacePage
        ctx={c.get('page')}
        csrf={c.get('csrfToken')()}
        structure={start.structure}
        form={start.form}
        errors={{}}
        today={start.today}
      />,
    );
  });

  app.post('/structures/:id/lieux/nouveau', async (c) => {
    const auth = requireSession(c);
    if (auth instanceof Response) return auth;
    const structureId = c.req.param('id');
    const form = readEditForm(await c.req.parseBody({ all: true }));
    const result = await proposeNewPlace(
      c.get('db'),
      auth.actor,
      { structureId, form, proposerLabel: auth.person.displayName },
      { config: c.get('config') },
    );
    if (result.ok) return c.redirect('/mes-lieux?fait=nouveau-lieu', 303);
    const start = await startNewPlace(c.get('db'), auth.actor, { structureId });
    return renderPage(
      c,
      <NewPlacePage
        ctx={c.get('page')}
        csrf={c.get('csrfToken')()}
        structure={start.structure}
        form={form}
        errors={result.errors}
        today={start.today}
      />,
      400,
    );
  });

  const attachPage = async (
    c: Context<AppEnv>,
    query: string,
    extra: { errors?: Record<string, string>; chosen?: string; message?: string } = {},
    status: 200 | 400 = 200,
  ) => {
    const auth = c.get('auth');
    if (!auth) throw new Error('signed-in page');
    const found = await findPlacesToAttach(c.get('db'), auth.actor, {
      structureId: c.req.param('id') ?? '',
      query,
    });
    return renderPage(
      c,
      <AttachPlacePage
        ctx={c.get('page')}
        csrf={c.get('csrfToken')()}
        structure={found.structure}
        search={found.search}
        errors={extra.errors ?? {}}
        chosen={extra.chosen ?? ''}
        message={extra.message ?? ''}
      />,
      status === 200 && found.search && !found.search.ok ? 400 : status,
    );
  };

  app.get('/structures/:id/lieux/rattacher', async (c) => {
    const auth = requireSession(c);
    if (auth instanceof Response) return auth;
    return attachPage(c, c.req.query('nom') ?? '');
  });

  app.post('/structures/:id/lieux/rattacher', async (c) => {
    const auth = requireSession(c);
    if (auth instanceof Response) return auth;
    const body = await c.req.parseBody();
    const text = (key: string) => (typeof body[key] === 'string' ? (body[key] as string) : '');
    const result = await requestPlaceAttachment(c.get('db'), auth.actor, {
      structureId: c.req.param('id'),
      placeId: text('lieu'),
      message: text('message'),
      proposerLabel: auth.person.displayName,
    });
    if (result.ok) return c.redirect('/mes-lieux?fait=rattachement', 303);
    return attachPage(
      c,
      text('nom'),
      { errors: result.errors, chosen: text('lieu'), message: text('message') },
      400,
    );
  });

  return app;
}
