import { Hono } from 'hono';
import type { AppEnv } from '../http/app-env.ts';
import { requireSession } from '../http/auth.ts';
import { formFields } from '../http/input.ts';
import { ownEntry } from '../shared/own.ts';
import { renderPage } from '../web/render.ts';
import {
  confirmPlaceMerge,
  getMergeReview,
  listMergeReviews,
  separatePlaceMerge,
} from './places-merges.service.ts';
import { parseMergeListQuery } from './places-merges.ts';
import { MERGE_NOTICES, MergePage, MergesPage } from './places-merges.views.tsx';

/**
 * The coordinators' review of merges (docs/decisions/0029): the list with its filters, one merge's page,
 * and the « Confirmer » / « Séparer » forms, which lead back to where they were sent from with a
 * message saying what was done. Coordinators only, decided by the services.
 */

/** Where a form leads back: the list it was sent from (its filter and page), else the merge's page. */
function backTo(id: string, body: Record<string, string>, done: string): string {
  if (body.etat !== undefined) {
    try {
      const { filter, page } = parseMergeListQuery({ etat: body.etat, page: body.page });
      return `/fusions?etat=${filter}${page > 1 ? `&page=${page}` : ''}&fait=${done}#contenu`;
    } catch {
      // A list that no longer parses: the merge's own page says what was done.
    }
  }
  return `/fusions/${encodeURIComponent(id)}?fait=${done}`;
}

const doneOf = (value: string | undefined) =>
  ownEntry(MERGE_NOTICES, value) !== undefined ? (value as string) : null;

export function placesMergesRoutes(): Hono<AppEnv> {
  const app = new Hono<AppEnv>();
  for (const path of ['/fusions', '/fusions/*'])
    app.use(path, async (c, next) => {
      await next();
      c.header('Cache-Control', 'no-store');
    });

  app.get('/fusions', async (c) => {
    const auth = requireSession(c);
    if (auth instanceof Response) return auth;
    const query = parseMergeListQuery({ etat: c.req.query('etat'), page: c.req.query('page') });
    const list = await listMergeReviews(c.get('db'), auth.actor, query);
    return renderPage(
      c,
      <MergesPage
        ctx={c.get('page')}
        csrf={c.get('csrfToken')()}
        list={list}
        done={doneOf(c.req.query('fait'))}
      />,
    );
  });

  app.get('/fusions/:id', async (c) => {
    const auth = requireSession(c);
    if (auth instanceof Response) return auth;
    const merge = await getMergeReview(c.get('db'), auth.actor, { id: c.req.param('id') });
    return renderPage(
      c,
      <MergePage
        ctx={c.get('page')}
        csrf={c.get('csrfToken')()}
        merge={merge}
        done={doneOf(c.req.query('fait'))}
      />,
    );
  });

  app.post('/fusions/:id/confirmer', async (c) => {
    const auth = requireSession(c);
    if (auth instanceof Response) return auth;
    const body = await formFields(c);
    const id = c.req.param('id');
    const result = await confirmPlaceMerge(c.get('db'), auth.actor, {
      id,
      reviewerLabel: auth.person.displayName,
    });
    return c.redirect(backTo(id, body, result.applied ? 'appliquee' : 'confirmee'), 303);
  });

  app.post('/fusions/:id/separer', async (c) => {
    const auth = requireSession(c);
    if (auth instanceof Response) return auth;
    const body = await formFields(c);
    const id = c.req.param('id');
    const result = await separatePlaceMerge(c.get('db'), auth.actor, {
      id,
      reviewerLabel: auth.person.displayName,
    });
    return c.redirect(backTo(id, body, result.wasPending ? 'refusee' : 'separee'), 303);
  });

  return app;
}
