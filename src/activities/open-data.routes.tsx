import { Hono } from 'hono';
import type { AppEnv } from '../http/app-env.ts';
import { publicActor } from '../http/auth.ts';
import { OPEN_ACTIVITY_DATA_PATH, readOpenActivityData } from './open-data.service.ts';

/** The open data files of activity records (decision 0053): public, aggregates only. */
export function openDataRoutes() {
  const app = new Hono<AppEnv>();
  app.get(`${OPEN_ACTIVITY_DATA_PATH}/:file{[^/]+\\.csv}`, async (c) => {
    const name = c.req.param('file').replace(/\.csv$/, '');
    const file = await readOpenActivityData(c.get('db'), publicActor(c), {
      territory: c.get('config').territory,
      name,
    });
    c.header('Content-Type', 'text/csv; charset=utf-8');
    c.header('Content-Disposition', `attachment; filename="${file.name}.csv"`);
    return c.body(file.csv);
  });
  return app;
}
