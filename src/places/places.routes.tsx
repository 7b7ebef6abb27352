import { Hono } from 'hono';
import { z } from 'zod';
import type { AppEnv } from '../http/app-env.ts';
import { publicActor } from '../http/auth.ts';
import { renderPage } from '../web/render.ts';
import { listPlacesPage } from './places.service.ts';
import { PlaceListPage } from './places.views.tsx';

const PAGE_SIZE = 20;
const listQuery = z.object({ page: z.coerce.number().int().min(1).max(100_000).catch(1) });

/** The list of every place, by name (the home page, search and place pages are in src/search). */
export function placesRoutes(): Hono<AppEnv> {
  const app = new Hono<AppEnv>();

  app.get('/lieux', async (c) => {
    const { page } = listQuery.parse({ page: c.req.query('page') });
    const { places, total } = await listPlacesPage(c.get('db'), publicActor(c), {
      limit: PAGE_SIZE,
      offset: (page - 1) * PAGE_SIZE,
      scope: c.get('config').publicScope,
    });
    const pageCount = Math.max(1, Math.ceil(total / PAGE_SIZE));
    return renderPage(
      c,
      <PlaceListPage
        ctx={c.get('page')}
        places={places}
        total={total}
        page={Math.min(page, pageCount)}
        pageCount={pageCount}
      />,
    );
  });

  return app;
}
