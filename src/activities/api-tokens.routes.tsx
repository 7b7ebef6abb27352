import type { Context } from 'hono';
import { Hono } from 'hono';
import type { AppEnv } from '../http/app-env.ts';
import { requireSession } from '../http/auth.ts';
import { formFields } from '../http/input.ts';
import { localToday } from '../places/place-dates.ts';
import { ownEntry } from '../shared/own.ts';
import { viewStructure } from '../structures/structures.service.ts';
import { renderPage } from '../web/render.ts';
import { createApiToken, listApiTokens, revokeApiToken } from './api-tokens.service.ts';
import { defaultExpiry, latestExpiry, type TokenFormValues } from './api-tokens.ts';
import { ApiTokensPage, NOTICES } from './api-tokens.views.tsx';

/** A structure's API tokens (decision 0040): its administrators list, create and revoke them. */
export function apiTokensRoutes(): Hono<AppEnv> {
  const app = new Hono<AppEnv>();

  const page = async (
    c: Context<AppEnv>,
    actor: Parameters<typeof listApiTokens>[1],
    structureId: string,
    extra: {
      values?: TokenFormValues;
      errors?: Record<string, string>;
      created?: { secret: string; name: string };
      status?: 200 | 201 | 422;
    } = {},
  ) => {
    const db = c.get('db');
    // The tokens first: their rule (the structure's administrators only) refuses everyone else.
    const tokens = await listApiTokens(db, actor, { structureId });
    const view = await viewStructure(db, actor, { structureId });
    const today = localToday(new Date());
    const notice = ownEntry(NOTICES, c.req.query('fait'));
    return renderPage(
      c,
      <ApiTokensPage
        ctx={c.get('page')}
        csrf={c.get('csrfToken')()}
        structure={{ id: view.structure.id, name: view.structure.name }}
        tokens={tokens}
        values={extra.values ?? { name: '', expiresOn: defaultExpiry(today) }}
        errors={extra.errors ?? {}}
        latest={latestExpiry(today)}
        created={extra.created}
        notice={notice}
      />,
      extra.status ?? 200,
    );
  };

  app.get('/structures/:id/jetons', async (c) => {
    const auth = requireSession(c);
    if (auth instanceof Response) return auth;
    return page(c, auth.actor, c.req.param('id'));
  });

  app.post('/structures/:id/jetons', async (c) => {
    const auth = requireSession(c);
    if (auth instanceof Response) return auth;
    const structureId = c.req.param('id');
    const body = await formFields(c);
    const values = { name: body.name ?? '', expiresOn: body.expiresOn ?? '' };
    const result = await createApiToken(c.get('db'), auth.actor, { structureId, values });
    if (!result.ok) return page(c, auth.actor, structureId, { values, errors: result.errors, status: 422 });
    // The secret is shown on this answer only: no redirect, so that it never sits in an address.
    return page(c, auth.actor, structureId, {
      created: { secret: result.secret, name: result.name },
      status: 201,
    });
  });

  app.post('/structures/:id/jetons/:token/revoquer', async (c) => {
    const auth = requireSession(c);
    if (auth instanceof Response) return auth;
    const structureId = c.req.param('id');
    const { revoked } = await revokeApiToken(c.get('db'), auth.actor, {
      structureId,
      tokenId: c.req.param('token'),
    });
    return c.redirect(
      `/structures/${structureId.toLowerCase()}/jetons?fait=${revoked ? 'revoque' : 'deja-revoque'}#liste`,
      303,
    );
  });

  return app;
}
