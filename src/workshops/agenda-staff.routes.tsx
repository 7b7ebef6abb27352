import { type Context, Hono } from 'hono';
import type { Actor } from '../accounts/policy.ts';
import type { AppEnv } from '../http/app-env.ts';
import { requireSession } from '../http/auth.ts';
import { listEditablePlaces } from '../places/place-edit.service.ts';
import { DomainError } from '../shared/domain-error.ts';
import { renderPage } from '../web/render.ts';
import {
  DATE_ROWS,
  EMPTY_WORKSHOP_FORM,
  WorkshopFormPage,
  type WorkshopFormValues,
} from './agenda-form.views.tsx';
import {
  AttendanceSheetPage,
  ConfirmCancelPage,
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
import {
  cancelWorkshop,
  cancelWorkshopDate,
  createWorkshop,
  getAgendaStructure,
  getWorkshop,
  listStructureWorkshops,
  type WorkshopView,
} from './workshops.service.ts';
import { dateWords, type FieldErrors } from './workshops.ts';

type C = Context<AppEnv>;

const one = (value: unknown): string => {
  const last = Array.isArray(value) ? value.at(-1) : value;
  return typeof last === 'string' ? last : '';
};

const NOTICES: Record<string, string> = {
  presences: 'Les présences sont enregistrées.',
  retiree: 'L’inscription est retirée ; la première personne en attente a la place.',
  inscrite: 'La personne est inscrite.',
  cree: 'L’atelier est dans l’agenda.',
  annule: 'L’atelier est annulé.',
  'date-annulee': 'La date est annulée.',
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

  const showForm = async (c: C, values: WorkshopFormValues, errors: FieldErrors = {}) => {
    const auth = requireSession(c);
    if (auth instanceof Response) return auth;
    if (auth.person.memberships.length === 0)
      throw new DomainError('forbidden', 'Cette page est pour les membres d’une structure.');
    const ids = auth.person.memberships.map((m) => m.structureId);
    const names = await Promise.all(
      ids.map(async (id) => ({
        id,
        name: (await getAgendaStructure(c.get('db'), auth.actor, { structureId: id })).name,
      })),
    );
    const places = (await listEditablePlaces(c.get('db'), auth.actor)).map((p) => ({
      id: p.place.id,
      name: p.place.nom,
    }));
    return renderPage(
      c,
      <WorkshopFormPage
        ctx={c.get('page')}
        csrf={c.get('csrfToken')()}
        values={{ ...values, structure: values.structure || (ids[0] ?? '') }}
        errors={errors}
        structures={names}
        places={places}
      />,
      Object.keys(errors).length ? 400 : 200,
    );
  };

  app.get('/agenda/gestion/nouveau', (c) => showForm(c, EMPTY_WORKSHOP_FORM));

  app.post('/agenda/gestion/nouveau', async (c) => {
    const auth = requireSession(c);
    if (auth instanceof Response) return auth;
    const body = await c.req.parseBody({ all: true });
    const field = (name: string, max = 5000) => one(body[name]).slice(0, max);
    const values: WorkshopFormValues = {
      // One structure: no choice on the form, the person's own.
      structure: field('structure', 60) || (auth.person.memberships[0]?.structureId ?? ''),
      title: field('title', 400),
      description: field('description', 6000),
      need: field('need', 60),
      theme: field('theme', 80),
      level: field('level', 40),
      mode: field('mode', 20),
      placeId: field('placeId', 60),
      onlineUrl: field('onlineUrl', 2100),
      audience: field('audience', 400),
      accessibility: field('accessibility', 600),
      capacity: field('capacity', 20),
      price: field('price', 20),
      status: field('status', 20),
      dates: Array.from({ length: DATE_ROWS }, (_, i) => ({
        start: field(`date-${i + 1}-debut`, 40),
        end: field(`date-${i + 1}-fin`, 40),
      })),
    };
    const dates = values.dates.filter((d) => d.start.trim() !== '' || d.end.trim() !== '');
    const result = await createWorkshop(c.get('db'), auth.actor, {
      structureId: values.structure,
      workshop: {
        title: values.title,
        description: values.description,
        needs: values.need ? [values.need] : [],
        themes: values.theme ? [values.theme] : [],
        level: values.level,
        mode: values.mode,
        placeId: values.mode === 'place' ? values.placeId : '',
        onlineUrl: values.mode === 'online' ? values.onlineUrl : '',
        audience: values.audience,
        accessibility: values.accessibility,
        capacity: values.capacity,
        price: values.price,
        status: values.status,
      },
      dates: dates.map((d) => ({ startsAt: d.start, endsAt: d.end })),
    });
    if (!result.ok) return showForm(c, values, result.errors);
    return c.redirect('/agenda/gestion?fait=cree', 303);
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
        csrf={c.get('csrfToken')()}
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

  // Cancelling asks first (the POST without `confirme=oui` shows what it does), then cancels.
  app.post('/agenda/gestion/ateliers/:id/annuler', async (c) => {
    const auth = requireSession(c);
    if (auth instanceof Response) return auth;
    const body = await c.req.parseBody();
    const id = c.req.param('id');
    if (body.confirme !== 'oui') {
      const w = await ownWorkshop(c, auth.actor, id);
      const people = w.dates.reduce((n, d) => n + d.registered + d.waiting, 0);
      return renderPage(
        c,
        <ConfirmCancelPage
          ctx={c.get('page')}
          csrf={c.get('csrfToken')()}
          title="Annuler l’atelier"
          what={`« ${w.title} » et toutes ses dates à venir seront annulés.`}
          action={`/agenda/gestion/ateliers/${id}/annuler`}
          people={people}
        />,
      );
    }
    await cancelWorkshop(c.get('db'), auth.actor, { workshopId: id });
    return c.redirect('/agenda/gestion?fait=annule', 303);
  });

  app.post('/agenda/gestion/dates/:id/annuler', async (c) => {
    const auth = requireSession(c);
    if (auth instanceof Response) return auth;
    const body = await c.req.parseBody();
    const id = c.req.param('id');
    if (body.confirme !== 'oui') {
      const date = await listRegistrations(c.get('db'), auth.actor, { occurrenceId: id });
      return renderPage(
        c,
        <ConfirmCancelPage
          ctx={c.get('page')}
          csrf={c.get('csrfToken')()}
          title="Annuler une date"
          what={`La séance de « ${date.title} » du ${dateWords(date.startsAt)} sera annulée ; les autres dates restent.`}
          action={`${datePath(id)}/annuler`}
          people={date.counts.registered + date.counts.waiting}
        />,
      );
    }
    await cancelWorkshopDate(c.get('db'), auth.actor, { occurrenceId: id });
    return c.redirect('/agenda/gestion?fait=date-annulee', 303);
  });

  return app;
}

/** One of the person's structures' workshops (listStructureWorkshops decides who may see it). */
async function ownWorkshop(c: C, actor: Actor, workshopId: string): Promise<WorkshopView> {
  const w = await getWorkshop(c.get('db'), actor, { workshopId });
  const mine = await listStructureWorkshops(c.get('db'), actor, { structureId: w.structureId });
  const found = mine.find((x) => x.id === w.id);
  if (!found) throw new DomainError('not_found', 'Cet atelier n’existe pas ou a été supprimé.');
  return found;
}
