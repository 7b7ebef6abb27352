import { Hono } from 'hono';
import type { AppEnv } from '../http/app-env.ts';

/** The coordinator's moderation queue and the freshness of records (issue 5 §4). */
export function moderationRoutes(): Hono<AppEnv> {
  const app = new Hono<AppEnv>();
  return app;
}
