import { Hono } from 'hono';
import type { AppEnv } from '../http/app-env.ts';
import { requireSession } from '../http/auth.ts';
import { renderPage } from '../web/render.ts';
import { showHome } from './home.service.ts';
import { HomePage } from './home.views.tsx';

/** `/espace`: the page every signed-in person lands on. */
export function homeRoutes(): Hono<AppEnv> {
  const app = new Hono<AppEnv>();
  app.get('/espace', async (c) => {
    const auth = requireSession(c);
    if (auth instanceof Response) return auth;
    const blocks = await showHome(c.get('db'), auth.actor, {
      reminderDays: c.get('config').orientation.reminderDays,
      passGuessAlertPerHour: c.get('config').limits.passGuessAlertPerHour,
    });
    return renderPage(
      c,
      <HomePage ctx={c.get('page')} csrf={c.get('csrfToken')()} person={auth.person} blocks={blocks} />,
    );
  });
  return app;
}
