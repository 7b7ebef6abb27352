import { Hono } from 'hono';
import type { AppEnv } from '../http/app-env.ts';

/** The coordinator's audit log page and its CSV export (issue 5 §8). */
export function auditRoutes(): Hono<AppEnv> {
  const app = new Hono<AppEnv>();
  return app;
}
