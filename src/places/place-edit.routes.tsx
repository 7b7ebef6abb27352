import { Hono } from 'hono';
import type { AppEnv } from '../http/app-env.ts';

/** Editing a place by its structure's members: proposals, closures, private contacts (issue 5 §3). */
export function placeEditRoutes(): Hono<AppEnv> {
  const app = new Hono<AppEnv>();
  return app;
}
