import { type Context, Hono } from 'hono';
import { resolveTerritory } from '../communes/communes.ts';
import type { AppEnv } from '../http/app-env.ts';
import { publicActor } from '../http/auth.ts';
import { clientOf } from '../http/client-address.ts';
import { renderPage } from '../web/render.ts';
import { searchAgenda } from './agenda.service.ts';
import {
  AgendaPage,
  CancelledPage,
  CancelPage,
  EMPTY_REGISTRATION,
  RegisteredPage,
  type RegistrationValues,
  WorkshopPage,
} from './agenda.views.tsx';
import { listUpcomingNetworkDays } from './network-days.service.ts';
import {
  cancelRegistrationByToken,
  describeRegistrationByToken,
  registerForWorkshop,
} from './registrations.service.ts';
import { getWorkshop } from './workshops.service.ts';

type C = Context<AppEnv>;

/** The cancellation link's path (`cancelLinkPath` of seats.service.ts, which the mails use). */
const cancelLinkPath = (token: string) => `/agenda/annulation/${token}`;

/** A posted field as one string (the last one if repeated), or '' when absent. */
const one = (value: unknown): string => {
  const last = Array.isArray(value) ? value.at(-1) : value;
  return typeof last === 'string' ? last : '';
};

/**
 * The public agenda (decision 0041): `/agenda` (search by commune and need, as for places),
 * a workshop's page with its registration form (no account), and the cancellation link (GET shows a
 * button, POST cancels). Pages with a form or a person's registration are never cached.
 */
export function agendaRoutes(): Hono<AppEnv> {
  const app = new Hono<AppEnv>();
  let preferred: ReadonlySet<string> | null = null;
  const preferredCommunes = (c: C) => {
    preferred ??= new Set(resolveTerritory(c.get('config').territory).communes.map((x) => x.code));
    return preferred;
  };
  for (const path of ['/agenda/ateliers/*', '/agenda/annulation/*']) {
    app.use(path, async (c, next) => {
      await next();
      c.header('Cache-Control', 'no-store');
    });
  }

  app.get('/agenda', async (c) => {
    const search = await searchAgenda(
      c.get('db'),
      publicActor(c),
      {
        where: c.req.query('ou') ?? '',
        commune: c.req.query('commune') ?? '',
        need: c.req.query('besoin') ?? '',
      },
      { preferred: preferredCommunes(c) },
    );
    const days = await listUpcomingNetworkDays(c.get('db'), publicActor(c), { limit: 5 });
    return renderPage(
      c,
      <AgendaPage ctx={c.get('page')} search={search} days={days} />,
      search.unknownNeed ? 400 : 200,
    );
  });

  const showWorkshop = async (
    c: C,
    values: RegistrationValues = EMPTY_REGISTRATION,
    errors: Record<string, string> = {},
    status?: 400 | 429,
  ) => {
    const workshop = await getWorkshop(c.get('db'), publicActor(c), { workshopId: c.req.param('id') ?? '' });
    return renderPage(
      c,
      <WorkshopPage
        ctx={c.get('page')}
        workshop={workshop}
        csrf={c.get('csrfToken')()}
        values={values}
        errors={errors}
      />,
      status ?? (Object.keys(errors).length ? 400 : 200),
    );
  };

  app.get('/agenda/ateliers/:id', (c) => showWorkshop(c));

  app.post('/agenda/ateliers/:id/inscription', async (c) => {
    const db = c.get('db');
    const workshop = await getWorkshop(db, publicActor(c), { workshopId: c.req.param('id') });
    const body = await c.req.parseBody({ all: true });
    const values: RegistrationValues = {
      date: one(body.date).slice(0, 60),
      prenom: one(body.prenom).slice(0, 200),
      telephone: one(body.telephone).slice(0, 200),
      courriel: one(body.courriel).slice(0, 300),
    };
    // Only a date of this workshop: another workshop's id is no date of this form.
    if (!workshop.dates.some((d) => d.id === values.date))
      return showWorkshop(c, values, { date: 'Choisissez une date.' });
    const config = c.get('config');
    const result = await registerForWorkshop(
      db,
      publicActor(c),
      {
        occurrenceId: values.date,
        form: { firstName: values.prenom, phone: values.telephone, email: values.courriel },
      },
      { client: clientOf(c), limits: config.limits, publicUrl: config.publicUrl },
    );
    // The limits' refusal (`form`) is a 429: come back later, nothing wrong with the fields.
    if (!result.ok) return showWorkshop(c, values, result.errors, result.errors.form ? 429 : 400);
    return renderPage(
      c,
      <RegisteredPage
        ctx={c.get('page')}
        workshop={workshop}
        startsAt={result.startsAt}
        state={result.state}
        position={result.position}
        cancelUrl={`${config.publicUrl.replace(/\/+$/, '')}${cancelLinkPath(result.token)}`}
        mailed={values.courriel.trim() !== ''}
      />,
    );
  });

  app.get('/agenda/annulation/:token', async (c) => {
    const token = c.req.param('token');
    const registration = await describeRegistrationByToken(c.get('db'), publicActor(c), { token });
    return renderPage(
      c,
      <CancelPage
        ctx={c.get('page')}
        registration={registration}
        csrf={c.get('csrfToken')()}
        action={cancelLinkPath(token)}
      />,
    );
  });

  app.post('/agenda/annulation/:token', async (c) => {
    const done = await cancelRegistrationByToken(
      c.get('db'),
      publicActor(c),
      { token: c.req.param('token') },
      { publicUrl: c.get('config').publicUrl },
    );
    return renderPage(
      c,
      <CancelledPage ctx={c.get('page')} workshopTitle={done.workshopTitle} startsAt={done.startsAt} />,
    );
  });

  return app;
}
