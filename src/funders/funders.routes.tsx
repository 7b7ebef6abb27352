import { type Context, Hono } from 'hono';
import type { AppEnv } from '../http/app-env.ts';
import { requireSession } from '../http/auth.ts';
import { formFields } from '../http/input.ts';
import { localToday } from '../places/place-dates.ts';
import { ownEntry } from '../shared/own.ts';
import { renderPage } from '../web/render.ts';
import { EMPTY_FUNDING, type FormState, FunderPage } from './funder-page.views.tsx';
import {
  createFunder,
  endFunding,
  funderFigures,
  getFunder,
  inviteFunderMember,
  listFunders,
  listMyFunders,
  recordFunding,
  removeFunderMember,
  updateFunder,
  viewFunder,
} from './funders.service.ts';
import { type FunderValues, MESSAGES } from './funders.ts';
import {
  EditFunderPage,
  EMPTY_FUNDER,
  type Errors,
  FundersPage,
  MyFundersPage,
  NOTICES,
} from './funders.views.tsx';

const funderValues = (body: Record<string, string>): FunderValues => ({
  name: body.name ?? '',
  siren: body.siren ?? '',
  contactEmail: body.contactEmail ?? '',
  contactPhone: body.contactPhone ?? '',
});

/** The coordinator's pages of funders, and each funder's own page with its figures and their CSV. */
export function fundersRoutes(): Hono<AppEnv> {
  const app = new Hono<AppEnv>();
  const opts = (c: Context<AppEnv>) => ({ config: c.get('config') });
  // Names, addresses and per-person forms: never cached.
  for (const path of ['/financeurs', '/financeurs/*', '/financeur']) {
    app.use(path, async (c, next) => {
      await next();
      c.header('Cache-Control', 'no-store');
    });
  }

  const listPage = async (
    c: Context<AppEnv>,
    values = EMPTY_FUNDER,
    errors: Errors = {},
    status: 200 | 422 = 200,
  ) => {
    const auth = requireSession(c);
    if (auth instanceof Response) return auth;
    const funders = await listFunders(c.get('db'), auth.actor);
    return renderPage(
      c,
      <FundersPage
        ctx={c.get('page')}
        csrf={c.get('csrfToken')()}
        funders={funders}
        values={values}
        errors={errors}
        notice={ownEntry(NOTICES, c.req.query('fait'))}
      />,
      status,
    );
  };

  const funderPage = async (
    c: Context<AppEnv>,
    funderId: string,
    formState: FormState = {},
    status: 200 | 422 = 200,
  ) => {
    const auth = requireSession(c);
    if (auth instanceof Response) return auth;
    const view = await viewFunder(c.get('db'), auth.actor, {
      funderId,
      territory: c.get('config').territory,
      from: c.req.query('du'),
      to: c.req.query('au'),
    });
    return renderPage(
      c,
      <FunderPage
        ctx={c.get('page')}
        csrf={c.get('csrfToken')()}
        view={view}
        today={localToday(new Date())}
        form={formState}
        notice={ownEntry(NOTICES, c.req.query('fait'))}
      />,
      Object.keys(view.period.errors).length > 0 ? 422 : status,
    );
  };

  app.get('/financeurs', (c) => listPage(c));

  app.post('/financeurs', async (c) => {
    const auth = requireSession(c);
    if (auth instanceof Response) return auth;
    const values = funderValues(await formFields(c));
    const result = await createFunder(c.get('db'), auth.actor, values);
    if (!result.ok) return listPage(c, values, result.errors, 422);
    return c.redirect(`/financeurs/${result.funderId}?fait=cree`, 303);
  });

  // The signed-in person's own funder: its page when there is one, the list when several.
  app.get('/financeur', async (c) => {
    const auth = requireSession(c);
    if (auth instanceof Response) return auth;
    const mine = await listMyFunders(c.get('db'), auth.actor);
    const only = mine.length === 1 ? mine[0] : undefined;
    if (only) return funderPage(c, only.id);
    return renderPage(c, <MyFundersPage ctx={c.get('page')} funders={mine} message={MESSAGES.noFunder} />);
  });

  app.get('/financeurs/:id', (c) => funderPage(c, c.req.param('id')));

  app.get('/financeurs/:id/chiffres.csv', async (c) => {
    const auth = requireSession(c);
    if (auth instanceof Response) return auth;
    const { fileName, csv } = await funderFigures(c.get('db'), auth.actor, {
      funderId: c.req.param('id'),
      territory: c.get('config').territory,
      from: c.req.query('du'),
      to: c.req.query('au'),
    });
    c.header('Content-Type', 'text/csv; charset=utf-8');
    c.header('Content-Disposition', `attachment; filename="${fileName}"`);
    return c.body(csv);
  });

  const editPage = async (
    c: Context<AppEnv>,
    values?: FunderValues,
    errors: Errors = {},
    status: 200 | 422 = 200,
  ) => {
    const auth = requireSession(c);
    if (auth instanceof Response) return auth;
    const f = await getFunder(c.get('db'), auth.actor, { funderId: c.req.param('id') ?? '' });
    return renderPage(
      c,
      <EditFunderPage
        ctx={c.get('page')}
        csrf={c.get('csrfToken')()}
        funderId={f.id}
        funderName={f.name}
        values={
          values ?? {
            name: f.name,
            siren: f.siren ?? '',
            contactEmail: f.contactEmail ?? '',
            contactPhone: f.contactPhone ?? '',
          }
        }
        errors={errors}
      />,
      status,
    );
  };

  app.get('/financeurs/:id/modifier', (c) => editPage(c));

  app.post('/financeurs/:id/modifier', async (c) => {
    const auth = requireSession(c);
    if (auth instanceof Response) return auth;
    const values = funderValues(await formFields(c));
    const result = await updateFunder(c.get('db'), auth.actor, { ...values, funderId: c.req.param('id') });
    if (!result.ok) return editPage(c, values, result.errors, 422);
    return c.redirect(`/financeurs/${result.funderId}?fait=modifie`, 303);
  });

  app.post('/financeurs/:id/invitations', async (c) => {
    const auth = requireSession(c);
    if (auth instanceof Response) return auth;
    const funderId = c.req.param('id');
    const email = (await formFields(c)).email ?? '';
    const result = await inviteFunderMember(c.get('db'), auth.actor, { funderId, email }, opts(c));
    if (!result.ok) return funderPage(c, funderId, { invite: { email, errors: result.errors } }, 422);
    return c.redirect(`/financeurs/${funderId}?fait=invitation`, 303);
  });

  app.post('/financeurs/:id/membres/:person/retirer', async (c) => {
    const auth = requireSession(c);
    if (auth instanceof Response) return auth;
    const funderId = c.req.param('id');
    await removeFunderMember(c.get('db'), auth.actor, { funderId, personId: c.req.param('person') });
    return c.redirect(`/financeurs/${funderId}?fait=retire`, 303);
  });

  app.post('/financeurs/:id/financements', async (c) => {
    const auth = requireSession(c);
    if (auth instanceof Response) return auth;
    const funderId = c.req.param('id');
    const body = await formFields(c);
    const values = {
      ...EMPTY_FUNDING,
      structureId: body.structureId ?? '',
      startsOn: body.startsOn ?? '',
      endsOn: body.endsOn ?? '',
    };
    const result = await recordFunding(c.get('db'), auth.actor, { funderId, ...values });
    if (!result.ok) return funderPage(c, funderId, { funding: { values, errors: result.errors } }, 422);
    return c.redirect(`/financeurs/${funderId}?fait=financement`, 303);
  });

  app.post('/financeurs/:id/financements/:funding/fin', async (c) => {
    const auth = requireSession(c);
    if (auth instanceof Response) return auth;
    const funderId = c.req.param('id');
    const fundingId = c.req.param('funding');
    const endsOn = (await formFields(c)).endsOn ?? '';
    const result = await endFunding(c.get('db'), auth.actor, { funderId, fundingId, endsOn });
    if (!result.ok)
      return funderPage(c, funderId, { end: { fundingId, endsOn, errors: result.errors } }, 422);
    return c.redirect(`/financeurs/${funderId}?fait=fin`, 303);
  });

  return app;
}
