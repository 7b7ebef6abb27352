import type { Context } from 'hono';
import { Hono } from 'hono';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import { can } from '../accounts/policy.ts';
import { resolveTerritory } from '../communes/communes.ts';
import type { AppEnv } from '../http/app-env.ts';
import { publicActor } from '../http/auth.ts';
import { clientOf } from '../http/client-address.ts';
import { mapError } from '../http/errors.ts';
import { frameableCsp } from '../http/security.ts';
import { reportPlaceError } from '../places/error-reports.service.ts';
import { checkErrorReport } from '../places/error-reports.ts';
import { countAllPlaces } from '../places/places.service.ts';
import { getPublicPlace } from '../places/public-places.service.ts';
import { isDomainError } from '../shared/domain-error.ts';
import { countUsage } from '../usage/usage-counter.ts';
import type { PageContext } from '../web/layout.tsx';
import { DEFAULT_PREFS, PREFS_COOKIE, PREFS_MAX_AGE_S, prefsCookieValue } from '../web/prefs.ts';
import { renderPage } from '../web/render.ts';
import { seatWords, whenWords } from '../workshops/agenda.views.tsx';
import { workshopPath } from '../workshops/ical.ts';
import { listUpcomingWorkshops } from '../workshops/workshops.service.ts';
import { AccessibilityPage, PreferencesPage } from './accessibility.views.tsx';
import { ReportLimitedPage, ReportPage, ReportThanksPage } from './error-report.views.tsx';
import { EmbedHomePage, HomePage } from './home.views.tsx';
import { PlaceSheetPage } from './place-sheet.views.tsx';
import { ChooseCommunePage, FiltersPage, ResultsPage, SearchErrorPage } from './results.views.tsx';
import { findIndexedPlace, mapOutlines, searchPlaces } from './search.service.ts';
import { type FieldIssue, mapPositions, type Params } from './search.views.tsx';
import { PAGE_SIZE, parseSearchQuery } from './search-query.ts';
import { searchStrings } from './strings.ts';

type C = Context<AppEnv>;

/** `falc=1` in a search address shows that page in FALC wording, whatever the cookie says. */
function pageContext(c: C, params: Params): PageContext {
  const ctx = c.get('page');
  if (params.falc?.[0] !== '1') return ctx;
  return { ...ctx, prefs: { ...(ctx.prefs ?? DEFAULT_PREFS), falc: true } };
}

/** Something typed in "Où ?" that looks like a postcode but is not five digits (e.g. 45A00). */
function postcodeProblem(text: string, falc: boolean): string | null {
  const t = text.replace(/\s+/g, '');
  if (/\d/.test(t) && /^[\dA-Za-z]{3,7}$/.test(t) && !/^(\d{5}|2[AB]\d{3})$/i.test(t)) {
    return searchStrings(falc).postcodeDigits;
  }
  return null;
}

/** The search form again, with what was typed (bounded) and what is wrong with it. */
function searchError(
  c: C,
  ctx: PageContext,
  params: Params,
  issues: FieldIssue[],
  status: ContentfulStatusCode,
  embed: boolean,
): Promise<Response> {
  return renderPage(
    c,
    <SearchErrorPage
      ctx={ctx}
      status={status}
      issues={issues}
      besoin={params.besoin?.[0]?.slice(0, 100) ?? null}
      where={params.ou?.[0]?.slice(0, 200) ?? null}
      embed={embed}
    />,
    status,
  );
}

/** A place's next five workshop dates, cancelled ones left out, in words for its sheet. */
async function placeWorkshops(c: C, placeId: string) {
  const entries = await listUpcomingWorkshops(c.get('db'), publicActor(c), { placeId, limit: 20 });
  return entries
    .filter((e) => e.date.status !== 'cancelled')
    .slice(0, 5)
    .map((e) => ({
      href: workshopPath(e.workshop.id),
      title: e.workshop.title,
      when: whenWords(e.date),
      seats: seatWords(e.date),
    }));
}

/** The public search pages: home, results, filters, a place's sheet, preferences, statement. */
export function searchRoutes(): Hono<AppEnv> {
  const app = new Hono<AppEnv>();
  let preferred: ReadonlySet<string> | null = null;
  const preferredCommunes = (c: C) => {
    preferred ??= new Set(resolveTerritory(c.get('config').territory).communes.map((x) => x.code));
    return preferred;
  };

  app.get('/', async (c) => {
    const total = await countAllPlaces(c.get('db'), publicActor(c), { scope: c.get('config').publicScope });
    return renderPage(
      c,
      <HomePage ctx={c.get('page')} total={total} territoryLabel={c.get('territoryLabel')} />,
    );
  });

  async function search(c: C, embed: boolean): Promise<Response> {
    const params = c.req.queries();
    const ctx = pageContext(c, params);
    const parsed = parseSearchQuery(params, 'page');
    if (!parsed.ok) return searchError(c, ctx, params, parsed.issues, 400, embed);
    let outcome: Awaited<ReturnType<typeof searchPlaces>>;
    try {
      outcome = await searchPlaces(c.get('db'), publicActor(c), parsed.input, {
        preferredCommunes: preferredCommunes(c),
        scope: c.get('config').publicScope,
      });
    } catch (error) {
      if (!isDomainError(error)) throw error;
      const mapped = mapError(error);
      const field = (error.details as { field?: unknown } | null)?.field;
      const issues: FieldIssue[] = [
        { field: typeof field === 'string' ? field : 'ou', message: error.message },
      ];
      return searchError(c, ctx, params, issues, mapped.status, embed);
    }
    if (outcome.kind === 'choose-commune') {
      const problem = postcodeProblem(outcome.text, (ctx.prefs ?? DEFAULT_PREFS).falc);
      const status = problem ? 400 : outcome.candidates.length || outcome.outside ? 200 : 404;
      return renderPage(
        c,
        <ChooseCommunePage
          ctx={ctx}
          params={params}
          text={outcome.text}
          candidates={problem ? [] : outcome.candidates}
          match={outcome.match}
          outside={outcome.outside}
          territory={{ codes: preferredCommunes(c), label: c.get('territoryLabel') }}
          embed={embed}
          problem={problem}
        />,
        status,
      );
    }
    const f = parsed.input.filters;
    const showMap = params.vue?.[0] === 'carte';
    const outlines = showMap
      ? await mapOutlines(c.get('db'), publicActor(c), mapPositions(outcome.hits, outcome.origin))
      : [];
    // A search is counted once, on its first page of results ("Voir plus" is the same search).
    if (parsed.input.offset === 0) countUsage('search');
    return renderPage(
      c,
      <ResultsPage
        ctx={ctx}
        params={params}
        need={parsed.input.need}
        origin={outcome.origin}
        hits={outcome.hits}
        nearestAnyway={outcome.nearestAnyway}
        maxKm={outcome.maxKm}
        outside={outcome.outside ? c.get('territoryLabel') : null}
        hasMore={outcome.hasMore}
        offset={parsed.input.offset}
        page={parsed.input.offset / PAGE_SIZE + 1}
        map={showMap}
        outlines={outlines}
        filters={{
          openNow: f.openNow === true,
          saturday: f.saturday === true,
          free: f.free === true,
          others: [...(f.accompaniment ?? []), ...(f.publics ?? []), ...(f.support ?? [])],
        }}
        embed={embed}
      />,
    );
  }

  app.get('/recherche', (c) => search(c, false));

  app.get('/recherche/filtres', async (c) => {
    const params = c.req.queries();
    const ctx = pageContext(c, params);
    const parsed = parseSearchQuery(params, 'page');
    if (!parsed.ok) return searchError(c, ctx, params, parsed.issues, 400, false);
    return renderPage(c, <FiltersPage ctx={ctx} params={params} />);
  });

  // The search inside a partner's page: framed only by the configured origins.
  app.use('/embed', async (c, next) => {
    await next();
    c.res.headers.set('Content-Security-Policy', frameableCsp(c.get('config').embedOrigins));
  });
  app.get('/embed', async (c) => {
    if (new URL(c.req.url).search === '') return renderPage(c, <EmbedHomePage ctx={c.get('page')} />);
    return search(c, true);
  });

  app.get('/lieux/:id', async (c) => {
    const scope = c.get('config').publicScope;
    const found = await findIndexedPlace(c.get('db'), publicActor(c), { id: c.req.param('id') }, { scope });
    // Not in the index (unknown, malformed, just removed, or outside the territory): the directory's own
    // "not found" (docs/decisions/0025).
    const place =
      found?.place ??
      (await getPublicPlace(c.get('db'), publicActor(c), { placeId: c.req.param('id'), scope }));
    const status = found?.status ?? { openNow: null, today: null, nextOpening: null, saturday: null };
    countUsage('place_view');
    const auth = c.get('auth');
    const at =
      place.latitude !== null && place.longitude !== null
        ? { lat: place.latitude, lon: place.longitude }
        : null;
    return renderPage(
      c,
      <PlaceSheetPage
        ctx={c.get('page')}
        place={place}
        status={status}
        publicUrl={c.get('config').publicUrl}
        closures={found?.closures ?? []}
        canRefer={auth?.stage === 'full' && auth.person.memberships.length > 0}
        // Visitors are offered it (signing in comes first); a signed-in person only if she may open it.
        proContact={auth?.stage !== 'full' || can(auth.actor, 'viewPrivateContact')}
        routePlanner={c.get('config').routePlannerUrl}
        outlines={at ? await mapOutlines(c.get('db'), publicActor(c), [at]) : []}
        workshops={await placeWorkshops(c, place.id)}
      />,
    );
  });

  // "Signaler une erreur": no account, minimal data. The app-wide CSRF check (http/csrf.ts) covers the POST.
  app.get('/lieux/:id/signaler', async (c) => {
    const place = await getPublicPlace(c.get('db'), publicActor(c), {
      placeId: c.req.param('id'),
      scope: c.get('config').publicScope,
    });
    return renderPage(
      c,
      <ReportPage
        ctx={c.get('page')}
        place={place}
        values={{ message: '', contact: '' }}
        errors={{}}
        csrf={c.get('csrfToken')()}
      />,
    );
  });

  // No bodyLimit here: the app-wide CSRF check has already read the body (a global limit belongs there).
  app.post('/lieux/:id/signaler', async (c) => {
    const scope = c.get('config').publicScope;
    const place = await getPublicPlace(c.get('db'), publicActor(c), { placeId: c.req.param('id'), scope });
    const form = await c.req.parseBody();
    const values = {
      message: typeof form.message === 'string' ? form.message : '',
      contact: typeof form.contact === 'string' ? form.contact : '',
    };
    const checked = checkErrorReport(values);
    if (!checked.ok) {
      const s = searchStrings((c.get('page').prefs ?? DEFAULT_PREFS).falc);
      const words: Record<string, string> = {
        message_missing: s.reportMessageMissing,
        message_too_long: s.reportMessageTooLong,
        contact_too_long: s.reportContactTooLong,
      };
      const errors: { message?: string; contact?: string } = {};
      for (const i of checked.issues) errors[i.field] ??= words[i.code] ?? s.reportMessageMissing;
      return renderPage(
        c,
        <ReportPage
          ctx={c.get('page')}
          place={place}
          values={values}
          errors={errors}
          csrf={c.get('csrfToken')()}
        />,
        400,
      );
    }
    const config = c.get('config');
    const result = await reportPlaceError(
      c.get('db'),
      publicActor(c),
      { placeId: c.req.param('id'), ...checked.value },
      {
        client: clientOf(c),
        limits: config.limits,
      },
    );
    if (!result.ok)
      return renderPage(
        c,
        <ReportLimitedPage ctx={c.get('page')} place={place} reason={result.reason} />,
        429,
      );
    return renderPage(c, <ReportThanksPage ctx={c.get('page')} place={place} />);
  });

  app.get('/preferences', (c) =>
    renderPage(
      c,
      <PreferencesPage
        ctx={c.get('page')}
        saved={c.req.query('enregistre') === '1'}
        csrf={c.get('csrfToken')()}
      />,
    ),
  );

  app.post('/preferences', async (c) => {
    const form = await c.req.parseBody();
    const on = (k: string) => form[k] === '1';
    const value = prefsCookieValue({
      largeText: on('grand'),
      highContrast: on('contraste'),
      spacing: on('espace'),
      falc: on('falc'),
    });
    const secure = c.get('config').publicUrl.startsWith('https://') ? '; Secure' : '';
    c.header(
      'Set-Cookie',
      `${PREFS_COOKIE}=${value}; Path=/; Max-Age=${value ? PREFS_MAX_AGE_S : 0}; SameSite=Lax; HttpOnly${secure}`,
    );
    return c.redirect('/preferences?enregistre=1', 303);
  });

  app.get('/accessibilite', (c) => renderPage(c, <AccessibilityPage ctx={c.get('page')} />));

  return app;
}
