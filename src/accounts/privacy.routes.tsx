import { Hono } from 'hono';
import type { AppEnv } from '../http/app-env.ts';
import { renderPage } from '../web/render.ts';
import { LegalNoticePage, PersonalDataPage } from './privacy.views.tsx';

/** The legal notice and the personal-data page: public, from the config only. */
export function privacyRoutes(): Hono<AppEnv> {
  const app = new Hono<AppEnv>();
  app.get('/mentions-legales', (c) =>
    renderPage(
      c,
      <LegalNoticePage
        ctx={c.get('page')}
        territoryLabel={c.get('territoryLabel')}
        publicUrl={c.get('config').publicUrl}
      />,
    ),
  );
  app.get('/donnees-personnelles', (c) =>
    renderPage(
      c,
      <PersonalDataPage
        ctx={c.get('page')}
        sessionIdleMinutes={c.get('config').sessionIdleMinutes}
        sessionMaxHours={c.get('config').sessionMaxHours}
        retention={c.get('config').retention}
        geocoderOn={c.get('config').geocoderUrl !== null}
      />,
    ),
  );
  return app;
}
