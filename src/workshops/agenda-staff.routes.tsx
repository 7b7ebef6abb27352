import { type Context, Hono } from 'hono';
import type { AppEnv } from '../http/app-env.ts';
import { requireSession } from '../http/auth.ts';
import { DomainError } from '../shared/domain-error.ts';
import { renderPage } from '../web/render.ts';
import {
  AttendanceSheetPage,
  DateRegistrationsPage,
  datePath,
  StaffWorkshopsPage,
} from './agenda-staff.views.tsx';
import {
  listRegistrations,
  recordAttendance,
  registerOnBehalf,
  removeRegistration,
} from './registrations.service.ts';
import { listStructureWorkshops } from './workshops.service.ts';
import type { FieldErrors } from './workshops.ts';

type C = Context<AppEnv>;

const one = (value: unknown): string => {
  const last = Array.isArray(value) ? value.at(-1) : value;
  return typeof last === 'string' ? last : '';
};

const NOTICES: Record<string, string> = {
  presences: 'Les présences sont enregistrées.',
  retiree: 'L’inscription est retirée ; la première personne en attente a la place.',
  inscrite: 'La personne est inscrite.',
  attente: 'L’atelier est complet : la personne est sur la liste d’attente.',
};

/**
 * The structure's staff pages of the agenda (decision 0041): their workshops, a date's registrations
 * with attendance taken on a phone, a registration removed, someone registered without contact, and
 * the printable attendance sheet. Pages with people's names are never cached.
 */
export function agendaStaffRoutes(): Hono<AppEnv> {
  const app = new Hono<AppEnv>();
  app.use('/agenda/gestion/*', async (c, next) => {
    await next();
    c.header('Cache-Control', 'no-store');
  });
  app.use('/agenda/gestion', async (c, next) => {
    await next();
    c.header('Cache-Control', 'no-store');
  });

  app.get('/agenda/gestion', async (c) => {
    const auth = requireSession(c);
    if (auth instanceof Response) return auth;
    const memberships = auth.person.memberships;
    if (memberships.length === 0)
      throw new DomainError('forbidden', 'Cette page est pour les membres d’une structure.');
    const workshops = (
      await Promise.all(
        memberships.map((m) =>
          listStructureWorkshops(c.get('db'), auth.actor, { structureId: m.structureId }),
        ),
      )
    ).flat();
    return renderPage(
      c,
      <StaffWorkshopsPage
        ctx={c.get('page')}
        workshops={workshops}
        notice={NOTICES[c.req.query('fait') ?? '']}
      />,
    );
  });

  const showDate = async (
    c: C,
    extra: {
      notice?: string | undefined;
      errors?: FieldErrors;
      values?: { prenom: string; telephone: string; courriel: string };
    } = {},
  ) => {
    const auth = requireSession(c);
    if (auth instanceof Response) return auth;
    const dateId = c.req.param('id') ?? '';
    const date = await listRegistrations(c.get('db'), auth.actor, { occurrenceId: dateId });
    return renderPage(
      c,
      <DateRegistrationsPage
        ctx={c.get('page')}
        date={date}
        dateId={dateId}
        csrf={c.get('csrfToken')()}
        notice={extra.notice}
        errors={extra.errors ?? {}}
        values={extra.values}
      />,
      extra.errors && Object.keys(extra.errors).length ? 400 : 200,
    );
  };

  app.get('/agenda/gestion/dates/:id', (c) => showDate(c, { notice: NOTICES[c.req.query('fait') ?? ''] }));

  app.get('/agenda/gestion/dates/:id/emargement', async (c) => {
    const auth = requireSession(c);
    if (auth instanceof Response) return auth;
    const dateId = c.req.param('id');
    const date = await listRegistrations(c.get('db'), auth.actor, { occurrenceId: dateId });
    return renderPage(c, <AttendanceSheetPage ctx={c.get('page')} date={date} dateId={dateId} />);
  });

  app.post('/agenda/gestion/dates/:id/presences', async (c) => {
    const auth = requireSession(c);
    if (auth instanceof Response) return auth;
    const body = await c.req.parseBody({ all: true });
    const marks: Record<string, string> = {};
    for (const [key, value] of Object.entries(body))
      if (key.startsWith('presence-')) marks[key.slice('presence-'.length)] = one(value);
    const result = await recordAttendance(c.get('db'), auth.actor, {
      occurrenceId: c.req.param('id'),
      marks,
    });
    if (!result.ok) return showDate(c, { errors: result.errors });
    return c.redirect(`${datePath(c.req.param('id'))}?fait=presences`, 303);
  });

  app.post('/agenda/gestion/dates/:id/inscrire', async (c) => {
    const auth = requireSession(c);
    if (auth instanceof Response) return auth;
    const body = await c.req.parseBody({ all: true });
    const values = {
      prenom: one(body.prenom).slice(0, 200),
      telephone: one(body.telephone).slice(0, 200),
      courriel: one(body.courriel).slice(0, 300),
    };
    const result = await registerOnBehalf(
      c.get('db'),
      auth.actor,
      {
        occurrenceId: c.req.param('id'),
        form: { firstName: values.prenom, phone: values.telephone, email: values.courriel },
      },
      { publicUrl: c.get('config').publicUrl },
    );
    if (!result.ok)
      // A mediator of another structure may register someone but sees no list: the refusal alone.
      return showDate(c, { errors: result.errors, values }).catch((error) => {
        if (error instanceof DomainError && error.code === 'forbidden')
          throw new DomainError('invalid_input', Object.values(result.errors).join(' '));
        throw error;
      });
    return c.redirect(
      `${datePath(c.req.param('id'))}?fait=${result.state === 'waiting' ? 'attente' : 'inscrite'}`,
      303,
    );
  });

  app.post('/agenda/gestion/inscriptions/:id/retirer', async (c) => {
    const auth = requireSession(c);
    if (auth instanceof Response) return auth;
    const id = c.req.param('id');
    await removeRegistration(
      c.get('db'),
      auth.actor,
      { registrationId: id },
      { publicUrl: c.get('config').publicUrl },
    );
    return c.redirect('/agenda/gestion?fait=retiree', 303);
  });

  return app;
}
