import { Hono } from 'hono';
import { z } from 'zod';
import type { AppEnv } from '../http/app-env.ts';
import { renderPage } from '../web/render.ts';
import { countAllPlaces, getPlace, listPlacesPage } from './places.service.ts';
import { HomePage, PlaceListPage, PlacePage } from './places.views.tsx';

const PAGE_SIZE = 20;
const listQuery = z.object({ page: z.coerce.number().int().min(1).max(100_000).catch(1) });

/** The directory's HTML pages (first version; the public search goes further). */
export function placesRoutes(): Hono<AppEnv> {
  const app = new Hono<AppEnv>();

  app.get('/', async (c) => {
    const { db, territoryLabel } = c.var;
    const total = await countAllPlaces(db);
    return renderPage(c, <HomePage ctx={c.var.page} total={total} territoryLabel={territoryLabel} />);
  });

  app.get('/lieux', async (c) => {
    const { page } = listQuery.parse({ page: c.req.query('page') });
    const { places, total } = await listPlacesPage(c.var.db, {
      limit: PAGE_SIZE,
      offset: (page - 1) * PAGE_SIZE,
    });
    const pageCount = Math.max(1, Math.ceil(total / PAGE_SIZE));
    return renderPage(
      c,
      <PlaceListPage
        ctx={c.var.page}
        places={places}
        total={total}
        page={Math.min(page, pageCount)}
        pageCount={pageCount}
      />,
    );
  });

  app.get('/lieux/:id', async (c) => {
    const place = await getPlace(c.var.db, c.req.param('id'));
    return renderPage(c, <PlacePage ctx={c.var.page} place={place} />);
  });

  return app;
}
