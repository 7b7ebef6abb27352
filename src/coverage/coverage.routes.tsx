import type { Context } from 'hono';
import { Hono } from 'hono';
import type { AppEnv } from '../http/app-env.ts';
import { publicActor } from '../http/auth.ts';
import { SERVICES } from '../places/places.ts';
import { renderPage } from '../web/render.ts';
import { analyseNetworkCoverage, analyseTerritoryCoverage } from './coverage.service.ts';
import {
  CoveragePage,
  coverageCsv,
  MethodPage,
  parseTablePage,
  SORTS,
  type Sort,
} from './coverage.views.tsx';
import { coverageToGeoJson } from './coverage-export.ts';
import { CoverageMapSvg } from './coverage-map.views.tsx';
import { parseCoverageOptions } from './reach.ts';

/** How many sites the public page proposes. */
const PUBLIC_SUGGESTIONS = 3;

function request(c: Context<AppEnv>) {
  const options = parseCoverageOptions({ service: c.req.query('service'), maxKm: c.req.query('km') });
  return {
    options,
    request: {
      territory: c.get('config').territory,
      service: options.service,
      threshold: options.threshold,
      suggest: PUBLIC_SUGGESTIONS,
      itinerant: 0,
      withOutlines: true,
    },
  };
}

async function analyse(c: Context<AppEnv>) {
  const { options, request: r } = request(c);
  return { options, result: await analyseTerritoryCoverage(c.get('db'), publicActor(c), r) };
}

/** Today in Paris, in words ("6 décembre 2026"): the day the figures were computed. */
function figuresDate(now = new Date()): string {
  return new Intl.DateTimeFormat('fr-FR', {
    day: 'numeric',
    month: 'long',
    year: 'numeric',
    timeZone: 'Europe/Paris',
  }).format(now);
}

function sortOf(c: Context<AppEnv>): Sort {
  const tri = c.req.query('tri');
  return SORTS.includes(tri as Sort) ? (tri as Sort) : 'distance';
}

/** The public coverage pages: map, table, CSV and method (no internal data). */
/** The public and the coordinators' page differ only by `internal` (nearest place names and ids). */
function renderCoverage(
  c: Context<AppEnv>,
  options: ReturnType<typeof request>['options'],
  result: Awaited<ReturnType<typeof analyseTerritoryCoverage>>,
  internal: boolean,
) {
  return renderPage(
    c,
    <CoveragePage
      ctx={c.get('page')}
      label={result.label}
      analysis={result.analysis}
      outlines={result.outlines}
      missing={result.missingReferencePoints}
      services={SERVICES}
      service={options.service}
      km={options.threshold.kind === 'km' ? options.threshold.maxKm : result.analysis.radiusKm}
      sort={sortOf(c)}
      internal={internal}
      date={figuresDate()}
      tablePage={parseTablePage(c.req.query('page'))}
    />,
  );
}

export function coverageRoutes(): Hono<AppEnv> {
  const app = new Hono<AppEnv>();

  app.get('/couverture', async (c) => {
    const { options, result } = await analyse(c);
    return renderCoverage(c, options, result, false);
  });

  // The coordinators' version, with the nearest place's name and id: signed-in coordinators only
  // (the policy module decides; anonymous visitors are sent to the sign-in page).
  app.get('/couverture/reseau', async (c) => {
    const auth = c.get('auth');
    if (!auth) return c.redirect('/connexion', 303);
    if (auth.stage === 'second_factor') return c.redirect('/connexion/code', 303);
    if (auth.stage === 'totp_enrolment') return c.redirect('/compte/double-authentification', 303);
    const { options, request: r } = request(c);
    const result = await analyseNetworkCoverage(c.get('db'), auth.actor, r);
    c.header('Cache-Control', 'no-store');
    return renderCoverage(c, options, result, true);
  });

  app.get('/couverture.geojson', async (c) => {
    const { result } = await analyse(c);
    c.header('Content-Type', 'application/geo+json; charset=utf-8');
    c.header('Content-Disposition', 'attachment; filename="couverture.geojson"');
    return c.body(JSON.stringify(coverageToGeoJson(result.analysis, result.outlines, { internal: false })));
  });

  // The map alone, the same drawing as the page's, with its title, legend and sources inside.
  app.get('/couverture.svg', async (c) => {
    const { options, result } = await analyse(c);
    c.header('Content-Type', 'image/svg+xml; charset=utf-8');
    c.header('Content-Disposition', 'attachment; filename="couverture.svg"');
    const svg = (
      <CoverageMapSvg
        label={result.label}
        analysis={result.analysis}
        outlines={result.outlines}
        service={options.service}
        date={figuresDate()}
      />
    );
    return c.body(`<?xml version="1.0" encoding="UTF-8"?>\n${svg.toString()}\n`);
  });

  app.get('/couverture.csv', async (c) => {
    const { result } = await analyse(c);
    c.header('Content-Type', 'text/csv; charset=utf-8');
    c.header('Content-Disposition', 'attachment; filename="couverture.csv"');
    return c.body(coverageCsv(result.analysis));
  });

  app.get('/couverture/methode', (c) => renderPage(c, <MethodPage ctx={c.get('page')} />));

  return app;
}
