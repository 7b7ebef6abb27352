import { type Context, Hono } from 'hono';
import type { AppEnv } from '../http/app-env.ts';
import { requireSession } from '../http/auth.ts';
import { ownEntry } from '../shared/own.ts';
import { renderPage } from '../web/render.ts';
import {
  composeNetworkMessage,
  listNetworkMessages,
  prepareNetworkMessage,
  sendNetworkMessage,
  viewNetworkMessage,
} from './messages.service.ts';
import type { MessageForm } from './messages.ts';
import { ComposePage, MessagePage, MessagesPage, NOTICES, PreviewPage } from './messages.views.tsx';

/** A posted field as one string (the last one if repeated), or '' when absent. */
const one = (value: string | File | (string | File)[] | undefined): string => {
  const last = Array.isArray(value) ? value.at(-1) : value;
  return typeof last === 'string' ? last : '';
};
const many = (value: string | File | (string | File)[] | undefined): string[] =>
  (Array.isArray(value) ? value : value === undefined ? [] : [value]).filter(
    (v): v is string => typeof v === 'string',
  );

async function postedForm(c: Context<AppEnv>): Promise<{ form: MessageForm; body: Record<string, unknown> }> {
  const body = await c.req.parseBody({ all: true });
  return {
    form: {
      subject: one(body.subject),
      body: one(body.body),
      scope: one(body.scope),
      role: one(body.role),
      structures: many(body.structures),
      kind: one(body.kind),
      commune: one(body.commune),
    },
    body,
  };
}

/**
 * The coordination's messages to the network: the list, the form (`?structure=` prefills structures,
 * `?motif=` a subject), the preview (a POST, then a page), the send (POST, then a redirect to the
 * message: refreshing repeats nothing), and a sent message.
 */
export function messagesRoutes(): Hono<AppEnv> {
  const app = new Hono<AppEnv>();
  // Names and texts of the network's people: never cached.
  for (const path of ['/messages', '/messages/*']) {
    app.use(path, async (c, next) => {
      await next();
      c.header('Cache-Control', 'no-store');
    });
  }
  const settings = (c: Context<AppEnv>) => {
    const config = c.get('config');
    return {
      networkName: config.networkName,
      publicUrl: config.publicUrl,
      replyTo: config.networkContact.email,
    };
  };

  app.get('/messages', async (c) => {
    const auth = requireSession(c);
    if (auth instanceof Response) return auth;
    const { messages, total } = await listNetworkMessages(c.get('db'), auth.actor, { limit: 100 });
    return renderPage(
      c,
      <MessagesPage
        ctx={c.get('page')}
        messages={messages}
        total={total}
        notice={ownEntry(NOTICES, c.req.query('fait'))}
      />,
    );
  });

  app.get('/messages/nouveau', async (c) => {
    const auth = requireSession(c);
    if (auth instanceof Response) return auth;
    const motif = c.req.query('motif');
    const view = await composeNetworkMessage(c.get('db'), auth.actor, {
      structures: c.req.queries('structure') ?? [],
      ...(motif ? { motif } : {}),
    });
    const status = view.errors.structures ? 404 : 200;
    return renderPage(c, <ComposePage ctx={c.get('page')} csrf={c.get('csrfToken')()} view={view} />, status);
  });

  app.post('/messages/nouveau', async (c) => {
    const auth = requireSession(c);
    if (auth instanceof Response) return auth;
    const { form } = await postedForm(c);
    const result = await prepareNetworkMessage(c.get('db'), auth.actor, form);
    const csrf = c.get('csrfToken')();
    if (!result.ok)
      return renderPage(c, <ComposePage ctx={c.get('page')} csrf={csrf} view={result.view} />, 422);
    return renderPage(c, <PreviewPage ctx={c.get('page')} csrf={csrf} preview={result.preview} />);
  });

  // « Modifier » on the preview: back to the form with what was typed.
  app.post('/messages/modifier', async (c) => {
    const auth = requireSession(c);
    if (auth instanceof Response) return auth;
    const { form } = await postedForm(c);
    const view = await composeNetworkMessage(c.get('db'), auth.actor, { form });
    return renderPage(c, <ComposePage ctx={c.get('page')} csrf={c.get('csrfToken')()} view={view} />);
  });

  app.post('/messages/envoyer', async (c) => {
    const auth = requireSession(c);
    if (auth instanceof Response) return auth;
    const { form, body } = await postedForm(c);
    const result = await sendNetworkMessage(
      c.get('db'),
      auth.actor,
      {
        form,
        token: one(body.jeton as string | undefined),
        expectedRecipients: one(body.attendus as string | undefined),
      },
      settings(c),
    );
    const csrf = c.get('csrfToken')();
    if (result.ok)
      return c.redirect(`/messages/${result.messageId}?fait=${result.duplicate ? 'deja' : 'envoye'}`, 303);
    if ('view' in result)
      return renderPage(c, <ComposePage ctx={c.get('page')} csrf={csrf} view={result.view} />, 422);
    return renderPage(
      c,
      <PreviewPage ctx={c.get('page')} csrf={csrf} preview={result.preview} problem={result.problem} />,
      409,
    );
  });

  app.get('/messages/:id', async (c) => {
    const auth = requireSession(c);
    if (auth instanceof Response) return auth;
    const message = await viewNetworkMessage(c.get('db'), auth.actor, { id: c.req.param('id') });
    return renderPage(
      c,
      <MessagePage ctx={c.get('page')} message={message} notice={ownEntry(NOTICES, c.req.query('fait'))} />,
    );
  });

  return app;
}
