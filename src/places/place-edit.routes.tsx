import { Hono } from 'hono';
import type { AppEnv } from '../http/app-env.ts';
import { requireSession } from '../http/auth.ts';
import { ownEntry } from '../shared/own.ts';
import { renderPage } from '../web/render.ts';
import {
  confirmPlaceUpToDate,
  getPlaceEditor,
  listEditablePlaces,
  type PositionSource,
  proposePlaceChange,
} from './place-edit.service.ts';
import { type EditNotice, EditPlacePage, MyPlacesPage } from './place-edit.views.tsx';
import { formOfValues, readEditForm } from './place-edit-form.ts';
import { listMyPlaceRequests } from './place-requests.service.ts';

const NOTICES: Record<string, EditNotice> = {
  envoye: 'sent',
  'fermeture-publiee': 'closurePublic',
  retire: 'withdrawn',
  'a-jour': 'confirmed',
};
const POSITIONS = new Set<PositionSource>(['manual', 'geocoder', 'commune']);

/** Editing a place by its structure's members: proposals, closures, "still up to date". */
export function placeEditRoutes(): Hono<AppEnv> {
  const app = new Hono<AppEnv>();
  for (const path of ['/mes-lieux', '/lieux/:id/modifier', '/lieux/:id/a-jour']) {
    app.use(path, async (c, next) => {
      await next();
      c.header('Cache-Control', 'no-store');
    });
  }

  app.get('/mes-lieux', async (c) => {
    const auth = requireSession(c);
    if (auth instanceof Response) return auth;
    const places = await listEditablePlaces(c.get('db'), auth.actor);
    const requests = await listMyPlaceRequests(c.get('db'), auth.actor);
    const done = c.req.query('fait');
    return renderPage(
      c,
      <MyPlacesPage
        ctx={c.get('page')}
        places={places}
        coordinator={auth.person.networkRole === 'coordinator'}
        administered={auth.person.memberships
          .filter((m) => m.role === 'structure_admin')
          .map((m) => ({ id: m.structureId, name: m.structureName }))}
        requests={requests}
        notice={done === 'nouveau-lieu' || done === 'rattachement' ? done : null}
      />,
    );
  });

  app.get('/lieux/:id/modifier', async (c) => {
    const auth = requireSession(c);
    if (auth instanceof Response) return auth;
    const editor = await getPlaceEditor(c.get('db'), auth.actor, { placeId: c.req.param('id') });
    const done = c.req.query('fait');
    const position = c.req.query('position') as PositionSource | undefined;
    return renderPage(
      c,
      <EditPlacePage
        ctx={c.get('page')}
        csrf={c.get('csrfToken')()}
        editor={editor}
        form={formOfValues(editor.start, editor.today)}
        errors={{}}
        notice={ownEntry(NOTICES, done) ?? null}
        position={position && POSITIONS.has(position) ? position : null}
      />,
    );
  });

  app.post('/lieux/:id/modifier', async (c) => {
    const auth = requireSession(c);
    if (auth instanceof Response) return auth;
    const form = readEditForm(await c.req.parseBody({ all: true }));
    const result = await proposePlaceChange(
      c.get('db'),
      auth.actor,
      { placeId: c.req.param('id'), form, proposerLabel: auth.person.displayName },
      { config: c.get('config') },
    );
    if (!result.ok) {
      const editor = await getPlaceEditor(c.get('db'), auth.actor, { placeId: c.req.param('id') });
      return renderPage(
        c,
        <EditPlacePage
          ctx={c.get('page')}
          csrf={c.get('csrfToken')()}
          editor={editor}
          form={form}
          errors={result.errors}
          notice={null}
          position={null}
        />,
        400,
      );
    }
    const id = c.req.param('id').toLowerCase();
    const query =
      result.outcome === 'withdrawn'
        ? 'fait=retire'
        : `fait=${result.closuresPublished ? 'fermeture-publiee' : 'envoye'}${POSITIONS.has(result.position) ? `&position=${result.position}` : ''}`;
    return c.redirect(`/lieux/${id}/modifier?${query}`, 303);
  });

  app.post('/lieux/:id/a-jour', async (c) => {
    const auth = requireSession(c);
    if (auth instanceof Response) return auth;
    await confirmPlaceUpToDate(c.get('db'), auth.actor, {
      placeId: c.req.param('id'),
      proposerLabel: auth.person.displayName,
    });
    return c.redirect(`/lieux/${c.req.param('id').toLowerCase()}/modifier?fait=a-jour`, 303);
  });

  return app;
}
