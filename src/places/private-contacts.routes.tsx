import { type Context, Hono } from 'hono';
import type { AppEnv } from '../http/app-env.ts';
import { requireSession } from '../http/auth.ts';
import { renderPage } from '../web/render.ts';
import {
  type PrivateContactView,
  updatePrivateContact,
  viewPrivateContact,
} from './private-contacts.service.ts';
import type { ContactForm } from './private-contacts.ts';
import { PrivateContactPage } from './private-contacts.views.tsx';

/** The private contact of a place for professionals: signed-in members only. */

function formOf(view: PrivateContactView): ContactForm {
  const c = view.contact;
  return {
    directPhone: c?.directPhone ?? '',
    referralEmail: c?.referralEmail ?? '',
    acceptsOrientations: c?.acceptsOrientations ?? 'unknown',
    instructions: c?.instructions ?? '',
  };
}

async function readForm(c: Context<AppEnv>): Promise<ContactForm> {
  const body = await c.req.parseBody();
  const text = (name: string) => {
    const v = body[name];
    return typeof v === 'string' ? v : '';
  };
  return {
    directPhone: text('directPhone'),
    referralEmail: text('referralEmail'),
    acceptsOrientations: text('acceptsOrientations'),
    instructions: text('instructions'),
  };
}

export function privateContactsRoutes(): Hono<AppEnv> {
  const app = new Hono<AppEnv>();
  app.use('/lieux/:id/contact-pro', async (c, next) => {
    await next();
    c.header('Cache-Control', 'no-store');
  });

  app.get('/lieux/:id/contact-pro', async (c) => {
    const auth = requireSession(c);
    if (auth instanceof Response) return auth;
    const view = await viewPrivateContact(c.get('db'), auth.actor, c.req.param('id'));
    return renderPage(
      c,
      <PrivateContactPage
        ctx={c.get('page')}
        view={view}
        form={formOf(view)}
        issues={{}}
        csrf={c.get('csrfToken')()}
        saved={c.req.query('enregistre') === '1'}
      />,
    );
  });

  app.post('/lieux/:id/contact-pro', async (c) => {
    const auth = requireSession(c);
    if (auth instanceof Response) return auth;
    const form = await readForm(c);
    const result = await updatePrivateContact(c.get('db'), auth.actor, c.req.param('id'), form);
    if (result.ok) return c.redirect(`/lieux/${result.contact.placeId}/contact-pro?enregistre=1`, 303);
    const view = await viewPrivateContact(c.get('db'), auth.actor, c.req.param('id'));
    return renderPage(
      c,
      <PrivateContactPage
        ctx={c.get('page')}
        view={view}
        form={form}
        issues={result.issues}
        csrf={c.get('csrfToken')()}
      />,
      422,
    );
  });

  return app;
}
