import { Hono } from 'hono';
import type { AppEnv } from '../http/app-env.ts';

/** The needs diagnostic and its versions (issue 7 §1). */
export function diagnosticRoutes(): Hono<AppEnv> {
  const app = new Hono<AppEnv>();
  return app;
}
