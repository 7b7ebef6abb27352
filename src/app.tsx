import { Hono, type MiddlewareHandler } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import type { Logger } from 'pino';
import { accountsMiddleware, accountsRoutes } from './accounts/accounts.routes.tsx';
import { privacyRoutes } from './accounts/privacy.routes.tsx';
import { activitiesApi } from './activities/activities.api.ts';
import { activitiesRoutes } from './activities/activities.routes.tsx';
import { apiTokensRoutes } from './activities/api-tokens.routes.tsx';
import { beneficiariesRoutes } from './activities/beneficiaries.routes.tsx';
import {
  COOP_IMPORT_BODY_LIMIT,
  COOP_IMPORT_PATH,
  coopExchangeRoutes,
  coopUploadTooLarge,
} from './activities/coop-exchange.routes.tsx';
import { coordinationRoutes } from './activities/coordination.routes.tsx';
import { funderLinksRoutes } from './activities/funder-links.routes.tsx';
import { openDataRoutes } from './activities/open-data.routes.tsx';
import { reportRoutes } from './activities/report.routes.tsx';
import { statisticsRoutes } from './activities/statistics.routes.tsx';
import { auditRoutes } from './audit/audit.routes.tsx';
import { callbacksRoutes } from './callbacks/callbacks.routes.tsx';
import { resolveTerritory } from './communes/communes.ts';
import type { Config } from './config.ts';
import { coverageRoutes } from './coverage/coverage.routes.tsx';
import type { Db } from './db/database.ts';
import { diagnosticRoutes } from './diagnostic/diagnostic.routes.tsx';
import { fundersRoutes } from './funders/funders.routes.tsx';
import { homeRoutes } from './home/home.routes.tsx';
import type { AppEnv } from './http/app-env.ts';
import { acceptedEncoding, compression } from './http/compression.ts';
import { mapError } from './http/errors.ts';
import { cleanRequestInput } from './http/input.ts';
import { loggablePath, observeRequests } from './http/observe.ts';
import { securityHeaders } from './http/security.ts';
import { messagesRoutes } from './messages/messages.routes.tsx';
import { moderationRoutes } from './moderation/moderation.routes.tsx';
import { placeRequestsModerationRoutes } from './moderation/place-requests.routes.tsx';
import { opsRoutes, type PoolSizes } from './ops/ops.routes.tsx';
import { IMPORT_UPLOAD_PATH, importsRoutes, UPLOADS_BUSY, uploadTooLarge } from './places/imports.routes.tsx';
import { placeEditRoutes } from './places/place-edit.routes.tsx';
import { placeRequestsRoutes } from './places/place-requests.routes.tsx';
import { placesApi } from './places/places.api.ts';
import { placesRoutes } from './places/places.routes.tsx';
import { hasDemoPlaces } from './places/places.service.ts';
import { placesHistoryRoutes } from './places/places-history.routes.tsx';
import { placesMergesRoutes } from './places/places-merges.routes.tsx';
import { privateContactsRoutes } from './places/private-contacts.routes.tsx';
import { sourceQualityRoutes } from './places/source-quality.routes.tsx';
import { publicationRoutes } from './publication/publication.routes.tsx';
import { referralsRoutes } from './referrals/referrals.routes.tsx';
import { isResourceUpload, resourcesRoutes, resourceTooLarge } from './resources/resources.routes.tsx';
import { searchApi } from './search/search.api.ts';
import { searchRoutes } from './search/search.routes.tsx';
import { DomainError } from './shared/domain-error.ts';
import { structureAdminRoutes } from './structures/structure-admin.routes.tsx';
import { structuresRoutes } from './structures/structures.routes.tsx';
import { setUsageCounting } from './usage/usage-counter.ts';
import { volunteersRoutes } from './volunteers/volunteers.routes.tsx';
import { bookletsRoutes } from './vouchers/booklets.routes.tsx';
import { closingRoutes } from './vouchers/closing.routes.tsx';
import { dashboardRoutes } from './vouchers/dashboard.routes.tsx';
import { programmesRoutes } from './vouchers/programmes.routes.tsx';
import { redemptionsRoutes } from './vouchers/redemptions.routes.tsx';
import { statementsRoutes } from './vouchers/statements.routes.tsx';
import { ASSETS } from './web/assets.ts';
import { ErrorPage } from './web/error-page.tsx';
import type { PageContext } from './web/layout.tsx';
import { readPrefs } from './web/prefs.ts';
import { renderPage } from './web/render.ts';
import { agendaRoutes } from './workshops/agenda.routes.tsx';
import { agendaFeedsRoutes } from './workshops/agenda-feeds.routes.tsx';
import { agendaStaffRoutes } from './workshops/agenda-staff.routes.tsx';
import { networkDaysRoutes } from './workshops/network-days.routes.tsx';

export interface AppDeps {
  db: Db;
  config: Config;
  logger: Logger;
  /** PostgreSQL's pool, for /metrics; absent on the embedded database. */
  pool?: PoolSizes | null;
}

/** The operator's probes: no page context, no database read before their own checks. */
const PROBES = new Set(['/healthz', '/readyz', '/metrics']);

const DEMO_FLAG_TTL_MS = 5_000;

/** Builds the Hono application (no listen: tests call app.request()). */
export function createApp(deps: AppDeps): Hono<AppEnv> {
  const { db, config, logger } = deps;
  const app = new Hono<AppEnv>();
  const territoryLabel = resolveTerritory(config.territory).label;
  setUsageCounting(config.usageCounters);

  // Whether demonstration records exist, re-read at most every few seconds (shown on every page). The
  // app itself asks, once for all visitors, hence the system actor.
  let demo = { value: false, at: 0 };
  const demoFlag = async (): Promise<boolean> => {
    if (Date.now() - demo.at > DEMO_FLAG_TTL_MS)
      demo = { value: await hasDemoPlaces(db, { kind: 'system' }), at: Date.now() };
    return demo.value;
  };

  // A request id in every log line, the X-Request-Id header and error pages; metrics; the request log.
  app.use(observeRequests({ logger, trustedProxies: config.trustedProxies }));
  app.use(
    securityHeaders({ https: config.publicUrl.startsWith('https://'), tileOrigins: config.tileOrigins }),
  );
  app.use(compression());
  app.use(async (c, next) => {
    c.set('db', db);
    c.set('config', config);
    c.set('logger', logger);
    c.set('territoryLabel', territoryLabel);
    const page: PageContext = {
      networkContact: config.networkContact,
      demo: false,
      prefs: readPrefs(c.req.header('Cookie')),
    };
    if (config.tileServerUrl && config.tileAttribution) {
      page.tiles = { url: config.tileServerUrl, attribution: config.tileAttribution };
    }
    c.set('page', page);
    if (
      c.req.method === 'GET' &&
      !c.req.path.startsWith('/api/') &&
      !c.req.path.startsWith('/static/') &&
      !PROBES.has(c.req.path)
    ) {
      page.demo = await demoFlag();
    }
    await next();
  });
  // One limit for every request body (forms are a few kilobytes), checked before the CSRF middleware
  // reads the body; the HTTPException's 413 becomes a French page or JSON error through mapError.
  // Only requests that may carry a body: the middleware reads `c.req.raw.body`, which under
  // @hono/node-server builds a full web Request (and an AbortController) for every GET otherwise.
  const limitBody = bodyLimit({ maxSize: 1024 * 1024 });
  // The one exception: a file of places uploaded for import (IMPORT_UPLOAD_MAX_MB), for a signed-in
  // coordinator only (the session is resolved first: it reads a cookie, never the body), and at most
  // two at a time in this process: nobody else makes the server hold a 200 MB body.
  const limitUpload = bodyLimit({
    maxSize: config.importUploadMaxBytes + 64 * 1024,
    onError: () => {
      throw new DomainError('payload_too_large', uploadTooLarge(config.importUploadMaxBytes), {
        maxBytes: config.importUploadMaxBytes,
      });
    },
  });
  // A Coop export of activities (decision 0039) for a signed-in person: its own, smaller, limit.
  const limitCoopUpload = bodyLimit({
    maxSize: COOP_IMPORT_BODY_LIMIT,
    onError: () => {
      throw new DomainError('payload_too_large', coopUploadTooLarge(), { maxBytes: COOP_IMPORT_BODY_LIMIT });
    },
  });
  // A file shared in the resource bank (RESOURCE_MAX_MB, decision 0042): for a signed-in member of a
  // structure only, within the same two uploads at a time.
  const limitResource = bodyLimit({
    maxSize: config.resourceMaxBytes + 64 * 1024,
    onError: () => {
      throw new DomainError('payload_too_large', resourceTooLarge(config.resourceMaxBytes), {
        field: 'fichier',
        maxBytes: config.resourceMaxBytes,
      });
    },
  });
  let uploadsInFlight = 0;
  const [resolveSessionOf, checkCsrf] = accountsMiddleware({ db, config }) as [
    MiddlewareHandler<AppEnv>,
    MiddlewareHandler<AppEnv>,
  ];
  // The probes read no session and no CSRF secret: they must answer while the database does not.
  const unlessProbe =
    (middleware: MiddlewareHandler<AppEnv>): MiddlewareHandler<AppEnv> =>
    (c, next) =>
      (c.req.method === 'GET' || c.req.method === 'HEAD') && PROBES.has(c.req.path)
        ? next()
        : middleware(c, next);
  app.use(unlessProbe(resolveSessionOf));
  app.use(async (c, next) => {
    if (c.req.method === 'GET' || c.req.method === 'HEAD') return next();
    const auth = c.get('auth');
    const coordinator = auth?.stage === 'full' && auth.person.networkRole === 'coordinator';
    const member =
      auth?.stage === 'full' && auth.actor.kind === 'person' && auth.actor.memberships.length > 0;
    const upload =
      c.req.path === IMPORT_UPLOAD_PATH && coordinator
        ? limitUpload
        : isResourceUpload(c.req.path) && member
          ? limitResource
          : c.req.path === COOP_IMPORT_PATH && auth?.stage === 'full'
            ? limitCoopUpload
            : null;
    if (!upload) return limitBody(c, next);
    if (uploadsInFlight >= 2) throw new DomainError('unavailable', UPLOADS_BUSY);
    uploadsInFlight++;
    try {
      return await upload(c, next);
    } finally {
      uploadsInFlight--;
    }
  });
  // Every query parameter and form field cleaned once, before any handler (and the CSRF check) reads it.
  app.use(cleanRequestInput());
  app.use(unlessProbe(checkCsrf));
  // A page seen by a signed-in person may depend on who she is (links, names): shared caches must not
  // keep it, unless its route chose its own Cache-Control.
  app.use(async (c, next) => {
    await next();
    if (c.get('auth') && !c.res.headers.has('Cache-Control')) c.header('Cache-Control', 'private, no-store');
  });

  app.get('/healthz', (c) => c.json({ status: 'ok' }));
  app.route('/', opsRoutes({ pool: deps.pool ?? null }));

  app.get('/static/:file', (c) => {
    const asset = ASSETS.get(c.req.path);
    if (!asset) return c.notFound();
    const encoding = acceptedEncoding(c.req.header('Accept-Encoding'));
    c.header('Content-Type', asset.type);
    c.header('Cache-Control', 'public, max-age=31536000, immutable');
    c.header('ETag', asset.etag);
    c.header('Vary', 'Accept-Encoding');
    if (encoding) c.header('Content-Encoding', encoding);
    const body = encoding === 'br' ? asset.brotli : encoding === 'gzip' ? asset.gzip : asset.body;
    return c.body(new Uint8Array(body));
  });

  app.route('/api/v1', placesApi());
  app.route('/api/v1', searchApi());
  app.route('/api/v1', activitiesApi());
  // The public search pages first: they own `/` and `/lieux/:id`; the directory keeps `/lieux`.
  app.route('/', searchRoutes());
  app.route('/', placesRoutes());
  app.route('/', placesHistoryRoutes());
  app.route('/', sourceQualityRoutes());
  app.route('/', importsRoutes());
  app.route('/', placesMergesRoutes());
  app.route('/', coverageRoutes());
  app.route('/', publicationRoutes());
  app.route('/', openDataRoutes());
  app.route('/', accountsRoutes());
  app.route('/', privacyRoutes());
  app.route('/', structuresRoutes());
  app.route('/', structureAdminRoutes());
  app.route('/', apiTokensRoutes());
  app.route('/', placeEditRoutes());
  app.route('/', placeRequestsRoutes());
  app.route('/', privateContactsRoutes());
  app.route('/', moderationRoutes());
  app.route('/', placeRequestsModerationRoutes());
  app.route('/', auditRoutes());
  app.route('/', diagnosticRoutes());
  app.route('/', referralsRoutes());
  app.route('/', fundersRoutes());
  app.route('/', programmesRoutes());
  app.route('/', messagesRoutes());
  app.route('/', callbacksRoutes());
  app.route('/', bookletsRoutes());
  app.route('/', redemptionsRoutes());
  app.route('/', statementsRoutes());
  app.route('/', dashboardRoutes());
  app.route('/', closingRoutes());
  // Before the activity records' pages: /activites/import and /activites/export are not a record's id.
  app.route('/', coopExchangeRoutes());
  app.route('/', coordinationRoutes());
  app.route('/', statisticsRoutes());
  app.route('/', reportRoutes());
  app.route('/', funderLinksRoutes());
  app.route('/', beneficiariesRoutes());
  app.route('/', resourcesRoutes());
  app.route('/', activitiesRoutes());
  app.route('/', agendaFeedsRoutes());
  app.route('/', agendaRoutes());
  app.route('/', agendaStaffRoutes());
  app.route('/', volunteersRoutes());
  app.route('/', networkDaysRoutes());
  app.route('/', homeRoutes());

  app.notFound(async (c) => {
    if (c.req.path.startsWith('/api/')) {
      return c.json(
        { error: { code: 'not_found', message: "Cette adresse de l'API n'existe pas.", details: null } },
        404,
      );
    }
    const ctx = c.get('page') ?? { networkContact: config.networkContact, demo: false };
    return renderPage(
      c,
      <ErrorPage
        ctx={ctx}
        status={404}
        message="Cette page n'existe pas. Vérifiez l'adresse."
        reference={c.get('requestId')}
      />,
      404,
    );
  });

  app.onError(async (error, c) => {
    const mapped = mapError(error);
    if (mapped.unexpected) logger.error({ err: error, path: loggablePath(c) }, 'unexpected error');
    if (c.req.path.startsWith('/api/') || c.req.path === '/healthz')
      return c.json(mapped.body, mapped.status);
    const ctx = c.get('page') ?? { networkContact: config.networkContact, demo: false };
    return renderPage(
      c,
      <ErrorPage
        ctx={ctx}
        status={mapped.status}
        message={mapped.body.error.message}
        reference={c.get('requestId')}
      />,
      mapped.status,
    );
  });

  return app;
}
