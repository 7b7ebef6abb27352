import { Hono } from 'hono';
import type { AppEnv } from '../http/app-env.ts';

/** Orientations between structures, inboxes, parcours and the fiche de liaison (issue 7 §2–§5). */
export function referralsRoutes(): Hono<AppEnv> {
  const app = new Hono<AppEnv>();
  return app;
}
