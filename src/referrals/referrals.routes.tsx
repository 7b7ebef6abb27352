import { type Context, Hono } from 'hono';
import { ANONYMOUS } from '../accounts/policy.ts';
import type { AppEnv } from '../http/app-env.ts';
import { requireSession } from '../http/auth.ts';
import { isUuid } from '../shared/ids.ts';
import { countUsage } from '../usage/usage-counter.ts';
import { renderPage } from '../web/render.ts';
import {
  answerOrientation,
  closeOrientation,
  getOrientation,
  getReferralSheet,
  listOrientations,
} from './inbox.service.ts';
import { InboxPage, OrientationPage, SheetPage } from './inbox.views.tsx';
import {
  answerOrientationByLink,
  closeOrientationByLink,
  type LinkFailure,
  viewOrientationByLink,
} from './mailed-links.service.ts';
import { LinkDonePage, LinkFailurePage, LinkPage } from './mailed-links.views.tsx';
import { createOrientation, prepareOrientation } from './orientation-form.service.ts';
import { NewOrientationPage } from './orientation-form.views.tsx';
import { eraseParcoursData, exportParcoursData, getParcours } from './parcours.service.ts';
import { EraseConfirmPage, ParcoursPage } from './parcours.views.tsx';
import type { Orientation } from './referrals.service.ts';
import {
  type InboxFilter,
  type LinkPurpose,
  type OrientationState,
  readOrientationForm,
  STATES,
  validateOrientationForm,
} from './referrals.ts';
import type { AnswerValues } from './referrals.views.tsx';
import { exportOrientationStatistics, orientationStatistics } from './statistics.service.ts';
import type { PeriodQuery } from './statistics.ts';
import { StatisticsPage } from './statistics.views.tsx';

type Auth = Exclude<ReturnType<typeof requireSession>, Response>;

const structuresOf = (auth: Auth) =>
  auth.person.memberships.map((m) => ({ id: m.structureId, name: m.structureName }));
const opts = (c: Context<AppEnv>) => ({ config: c.get('config') });

async function formBody(c: Context<AppEnv>): Promise<Record<string, string | string[]>> {
  const body = await c.req.parseBody({ all: true });
  const out: Record<string, string | string[]> = {};
  for (const [k, v] of Object.entries(body)) {
    if (typeof v === 'string') out[k] = v;
    else if (Array.isArray(v)) out[k] = v.filter((x): x is string => typeof x === 'string');
  }
  return out;
}
const one = (body: Record<string, string | string[]>, k: string): string => {
  const v = body[k];
  return typeof v === 'string' ? v : (v?.[0] ?? '');
};

/** The answer forms' fields: the decision, a refusal's reason, a message, an appointment. */
const answerValues = (body: Record<string, string | string[]>): AnswerValues => ({
  decision: one(body, 'decision'),
  reason: one(body, 'reason'),
  message: one(body, 'message'),
  rdv_date: one(body, 'rdv_date'),
  rdv_heure: one(body, 'rdv_heure'),
  rdv_avec: one(body, 'rdv_avec'),
});

/**
 * The inbox's filter: a state, everything (`etat=toutes`), or what is left to do (`etat=a_traiter`),
 * where the received box opens.
 */
function inboxFilter(c: Context<AppEnv>): InboxFilter {
  const state = c.req.query('etat') ?? '';
  if ((STATES as readonly string[]).includes(state)) return state as OrientationState;
  if (state === 'toutes') return null;
  if (state === 'a_traiter' || c.req.query('boite') !== 'envoyees') return 'to_do';
  return null;
}

/** Which inbox a page or an API call asks for: a structure of the person's, received or sent. */
const inboxQuery = (c: Context<AppEnv>, auth: Auth, state: InboxFilter) => ({
  structures: structuresOf(auth),
  structureId: c.req.query('structure') ?? null,
  box: c.req.query('boite') === 'envoyees' ? ('sent' as const) : ('received' as const),
  state,
});

/** A mailed link that does not work: a changed one is refused (403), the others are gone (410). */
const linkFailure = (c: Context<AppEnv>, reason: LinkFailure) =>
  renderPage(c, <LinkFailurePage ctx={c.get('page')} reason={reason} />, reason === 'tampered' ? 403 : 410);

/** The page of a mailed link: the orientation, and the form its purpose calls for (with errors, if any). */
const linkPage = (
  c: Context<AppEnv>,
  token: string,
  purpose: LinkPurpose,
  orientation: Orientation,
  form: { errors?: Record<string, string>; values?: AnswerValues } = {},
  status: 200 | 422 = 200,
) =>
  renderPage(
    c,
    <LinkPage
      ctx={c.get('page')}
      csrf={c.get('csrfToken')()}
      token={token}
      purpose={purpose}
      orientation={orientation}
      {...form}
    />,
    status,
  );

/** The complete session behind a JSON call, or a 401 answer: an API caller is not sent to a page. */
function apiSession(c: Context<AppEnv>): Auth | Response {
  const auth = c.get('auth');
  if (auth?.stage === 'full') return auth;
  return c.json(
    { error: { code: 'unauthorized', message: 'Connectez-vous pour voir les orientations.', details: null } },
    401,
  );
}

/** Orientations between structures, inboxes, parcours and the fiche de liaison. */
export function referralsRoutes(): Hono<AppEnv> {
  const app = new Hono<AppEnv>();
  // Personal data: never cached.
  for (const path of ['/orientations', '/orientations/*', '/api/v1/orientations', '/api/v1/orientations/*']) {
    app.use(path, async (c, next) => {
      await next();
      c.header('Cache-Control', 'no-store');
      c.header('Referrer-Policy', 'no-referrer');
    });
  }

  const newPage = async (
    c: Context<AppEnv>,
    auth: Auth,
    values: ReturnType<typeof readOrientationForm>,
    errors: Record<string, string>,
    text: string,
    status: 200 | 422 = 200,
  ) => {
    const draft = await prepareOrientation(
      c.get('db'),
      auth.actor,
      {
        structures: structuresOf(auth),
        placeId: values.lieu || null,
        needs: values.besoin,
        text: text || null,
        diagnosticToken: values.diagnostic || null,
        previousId: values.suite || null,
      },
      opts(c),
    );
    if (!values.structure) values.structure = draft.structures[0]?.id ?? '';
    if (!values.contact_orienteur) values.contact_orienteur = auth.person.email;
    if (draft.previous && !values.nom && !values.contact) {
      values.nom = draft.previous.person.name ?? '';
      values.telephone = draft.previous.person.phone ?? '';
      values.courriel = draft.previous.person.email ?? '';
      values.contact = draft.previous.contactPreference;
    }
    if (draft.diagnostic?.readable && values.besoin.length === 0) values.besoin = draft.diagnostic.needs;
    return renderPage(
      c,
      <NewOrientationPage
        ctx={c.get('page')}
        csrf={c.get('csrfToken')()}
        draft={draft}
        values={values}
        errors={errors}
        text={text}
      />,
      status,
    );
  };

  app.get('/orientations/nouvelle', async (c) => {
    const auth = requireSession(c);
    if (auth instanceof Response) return auth;
    const q = c.req.queries();
    const values = readOrientationForm({
      lieu: q.lieu?.[0] ?? '',
      besoin: q.besoin ?? [],
      diagnostic: q.diagnostic?.[0] ?? '',
      suite: q.suite?.[0] ?? '',
    });
    return newPage(c, auth, values, {}, (q.q?.[0] ?? '').slice(0, 200));
  });

  app.post('/orientations/nouvelle', async (c) => {
    const auth = requireSession(c);
    if (auth instanceof Response) return auth;
    const values = readOrientationForm(await formBody(c));
    const checked = validateOrientationForm(values);
    if (!checked.ok) return newPage(c, auth, values, checked.errors as Record<string, string>, '', 422);
    const result = await createOrientation(
      c.get('db'),
      auth.actor,
      {
        form: checked.input,
        sender: { name: auth.person.displayName, email: auth.person.email, structures: structuresOf(auth) },
      },
      opts(c),
    );
    if (!result.ok) return newPage(c, auth, values, result.errors as Record<string, string>, '', 422);
    countUsage('orientation_sent');
    return c.redirect(`/orientations/${result.orientation.id}?envoyee=1`, 303);
  });

  app.get('/orientations', async (c) => {
    const auth = requireSession(c);
    if (auth instanceof Response) return auth;
    const inbox = await listOrientations(c.get('db'), auth.actor, inboxQuery(c, auth, inboxFilter(c)));
    return renderPage(c, <InboxPage ctx={c.get('page')} inbox={inbox} />);
  });

  const periodQuery = (c: Context<AppEnv>): PeriodQuery => ({
    annee: c.req.query('annee'),
    du: c.req.query('du'),
    au: c.req.query('au'),
  });
  /** The years the statistics offer: from 2020 to next year, newest first. */
  const statisticsYears = () => {
    const next = new Date().getUTCFullYear() + 1;
    return Array.from({ length: next - 2019 }, (_, k) => next - k);
  };

  app.get('/orientations/statistiques', async (c) => {
    const auth = requireSession(c);
    if (auth instanceof Response) return auth;
    const query = periodQuery(c);
    const result = await orientationStatistics(c.get('db'), auth.actor, query);
    return renderPage(
      c,
      <StatisticsPage
        ctx={c.get('page')}
        stats={result.ok ? result.stats : null}
        query={query}
        years={statisticsYears()}
        selectedYear={
          result.ok && result.stats.period.kind === 'year'
            ? Number(result.stats.period.from.slice(0, 4))
            : new Date().getUTCFullYear()
        }
        {...(result.ok ? {} : { errors: result.errors })}
      />,
      result.ok ? 200 : 422,
    );
  });

  app.get('/orientations/statistiques.csv', async (c) => {
    const auth = requireSession(c);
    if (auth instanceof Response) return auth;
    const query = periodQuery(c);
    const result = await exportOrientationStatistics(c.get('db'), auth.actor, query);
    if (!result.ok)
      return renderPage(
        c,
        <StatisticsPage
          ctx={c.get('page')}
          stats={null}
          query={query}
          years={statisticsYears()}
          selectedYear={new Date().getUTCFullYear()}
          errors={result.errors}
        />,
        422,
      );
    c.header('Content-Type', 'text/csv; charset=utf-8');
    c.header('Content-Disposition', `attachment; filename="${result.filename}"`);
    return c.body(result.csv);
  });

  app.get('/orientations/parcours/:id', async (c) => {
    const auth = requireSession(c);
    if (auth instanceof Response) return auth;
    const parcours = await getParcours(c.get('db'), auth.actor, { id: c.req.param('id') });
    const notice = c.req.query('efface') ? 'Les données de la personne sont effacées.' : null;
    return renderPage(
      c,
      <ParcoursPage
        ctx={c.get('page')}
        csrf={c.get('csrfToken')()}
        id={parcours.id}
        steps={parcours.steps}
        notice={notice}
      />,
    );
  });

  app.get('/orientations/parcours/:id/donnees', async (c) => {
    const auth = requireSession(c);
    if (auth instanceof Response) return auth;
    const data = await exportParcoursData(c.get('db'), auth.actor, { id: c.req.param('id') });
    c.header('Content-Disposition', 'attachment; filename="donnees-orientation.json"');
    return c.json(data);
  });

  app.get('/orientations/parcours/:id/effacer', async (c) => {
    const auth = requireSession(c);
    if (auth instanceof Response) return auth;
    const parcours = await getParcours(c.get('db'), auth.actor, { id: c.req.param('id') });
    return renderPage(
      c,
      <EraseConfirmPage ctx={c.get('page')} csrf={c.get('csrfToken')()} id={parcours.id} />,
    );
  });

  app.post('/orientations/parcours/:id/effacer', async (c) => {
    const auth = requireSession(c);
    if (auth instanceof Response) return auth;
    await eraseParcoursData(c.get('db'), auth.actor, { id: c.req.param('id') });
    return c.redirect(`/orientations/parcours/${c.req.param('id').toLowerCase()}?efface=1`, 303);
  });

  // The mailed link: GET shows the orientation (mail scanners opening links use nothing up); the
  // POST answers or closes, once. The link is the key: whoever opens it acts as nobody, signed in or not.
  app.get('/orientations/lien/:token', async (c) => {
    const token = c.req.param('token');
    const view = await viewOrientationByLink(c.get('db'), ANONYMOUS, { token });
    if (!view.ok) return linkFailure(c, view.reason);
    return linkPage(c, token, view.purpose, view.orientation);
  });

  app.post('/orientations/lien/:token', async (c) => {
    const token = c.req.param('token');
    const body = await formBody(c);
    const view = await viewOrientationByLink(c.get('db'), ANONYMOUS, { token });
    if (!view.ok) return linkFailure(c, view.reason);
    const result =
      view.purpose === 'answer'
        ? await answerOrientationByLink(c.get('db'), ANONYMOUS, { token, ...answerValues(body) }, opts(c))
        : await closeOrientationByLink(c.get('db'), ANONYMOUS, { token, outcome: one(body, 'outcome') });
    if (result.ok)
      return renderPage(
        c,
        <LinkDonePage
          ctx={c.get('page')}
          orientation={result.orientation}
          closeUrl={result.closeToken ? `/orientations/lien/${result.closeToken}` : null}
        />,
      );
    if (result.reason === 'invalid_input')
      return linkPage(
        c,
        token,
        view.purpose,
        result.orientation,
        { errors: result.errors, values: answerValues(body) },
        422,
      );
    return linkFailure(c, result.reason);
  });

  app.get('/orientations/:id', async (c) => {
    const auth = requireSession(c);
    if (auth instanceof Response) return auth;
    const view = await getOrientation(c.get('db'), auth.actor, { id: c.req.param('id') });
    const notice = c.req.query('envoyee')
      ? view.orientation.delivery === 'sheet'
        ? 'L’orientation est enregistrée. Imprimez la fiche de liaison et donnez-la à la personne.'
        : 'L’orientation est envoyée. Imprimez la fiche de liaison pour la personne.'
      : c.req.query('fait')
        ? 'C’est enregistré.'
        : null;
    return renderPage(
      c,
      <OrientationPage ctx={c.get('page')} csrf={c.get('csrfToken')()} view={view} notice={notice} />,
    );
  });

  app.post('/orientations/:id/reponse', async (c) => {
    const auth = requireSession(c);
    if (auth instanceof Response) return auth;
    const body = await formBody(c);
    const id = c.req.param('id');
    const values = answerValues(body);
    const result = await answerOrientation(
      c.get('db'),
      auth.actor,
      { id, actorName: auth.person.displayName, ...values },
      opts(c),
    );
    if (result.ok) return c.redirect(`/orientations/${result.orientation.id}?fait=1`, 303);
    const view = await getOrientation(c.get('db'), auth.actor, { id });
    return renderPage(
      c,
      <OrientationPage
        ctx={c.get('page')}
        csrf={c.get('csrfToken')()}
        view={view}
        errors={result.errors}
        values={values}
      />,
      422,
    );
  });

  app.post('/orientations/:id/cloture', async (c) => {
    const auth = requireSession(c);
    if (auth instanceof Response) return auth;
    const body = await formBody(c);
    const result = await closeOrientation(c.get('db'), auth.actor, {
      id: c.req.param('id'),
      actorName: auth.person.displayName,
      outcome: one(body, 'outcome'),
    });
    if (result.kind === 'redirect')
      return c.redirect(`/orientations/nouvelle?suite=${result.previousId}`, 303);
    return c.redirect(`/orientations/${result.orientation.id}?fait=1`, 303);
  });

  app.get('/orientations/:id/fiche', async (c) => {
    const auth = requireSession(c);
    if (auth instanceof Response) return auth;
    const sheet = await getReferralSheet(c.get('db'), auth.actor, { id: c.req.param('id') });
    return renderPage(
      c,
      <SheetPage ctx={c.get('page')} sheet={sheet} publicUrl={c.get('config').publicUrl} />,
    );
  });

  // JSON: the same services, for a signed-in session (an anonymous call gets 401, not a redirect).
  app.get('/api/v1/orientations', async (c) => {
    const auth = apiSession(c);
    if (auth instanceof Response) return auth;
    const inbox = await listOrientations(c.get('db'), auth.actor, inboxQuery(c, auth, null));
    return c.json(inbox);
  });

  app.get('/api/v1/orientations/:id', async (c) => {
    const auth = apiSession(c);
    if (auth instanceof Response) return auth;
    const id = c.req.param('id');
    const view = await getOrientation(c.get('db'), auth.actor, { id: isUuid(id) ? id : 'inconnu' });
    return c.json(view);
  });

  return app;
}
