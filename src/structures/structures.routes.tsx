import { Hono } from 'hono';
import type { AppEnv } from '../http/app-env.ts';

/** Structures of the network, their members, invitations and join requests (issue 5 §3). */
export function structuresRoutes(): Hono<AppEnv> {
  const app = new Hono<AppEnv>();
  return app;
}
