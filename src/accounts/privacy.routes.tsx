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
        ctx={c.var.page}
        territoryLabel={c.var.territoryLabel}
        publicUrl={c.var.config.publicUrl}
      />,
    ),
  );
  app.get('/donnees-personnelles', (c) =>
    renderPage(
      c,
      <PersonalDataPage
        ctx={c.var.page}
        sessionIdleMinutes={c.var.config.sessionIdleMinutes}
        sessionMaxHours={c.var.config.sessionMaxHours}
        retention={c.var.config.retention}
        geocoderOn={c.var.config.geocoderUrl !== null}
      />,
    ),
  );
  return app;
}
