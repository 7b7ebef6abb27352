import { type Context, Hono } from 'hono';
import type { AppEnv } from '../http/app-env.ts';
import { publicActor, requireSession } from '../http/auth.ts';
import { renderPage } from '../web/render.ts';
import {
  addNetworkSession,
  addNetworkTrack,
  createNetworkDay,
  getNetworkDay,
  getNetworkDayForEdit,
  getNetworkSessionForEdit,
  listNetworkDays,
  type NetworkDayView,
  networkDayFormChoices,
  recordNetworkDayActivity,
  updateNetworkDay,
  updateNetworkSession,
} from './network-days.service.ts';
import { speakersText } from './network-days.ts';
import { NetworkDayPage, NetworkDayProgrammePage } from './network-days.views.tsx';
import {
  type DayFormValues,
  EditSessionPage,
  EMPTY_SESSION,
  ManageNetworkDayPage,
  NewNetworkDayPage,
  type SessionFormValues,
  STAFF_DAYS,
  StaffNetworkDaysPage,
  staffDayPath,
} from './network-days-staff.views.tsx';
import { parisLocal } from './workshops.ts';

type C = Context<AppEnv>;
type Body = Record<string, string | File | (string | File)[]>;

const one = (value: unknown): string => {
  const last = Array.isArray(value) ? value.at(-1) : value;
  return typeof last === 'string' ? last : '';
};
const field = (body: Body, name: string, max = 5000) => one(body[name]).slice(0, max);

const NOTICES: Record<string, string> = {
  creee: 'La journée est dans l’agenda. Ajoutez ses séances.',
  journee: 'La journée est enregistrée.',
  parcours: 'Le parcours est ajouté.',
  seance: 'La séance est ajoutée : on peut s’y inscrire depuis le programme.',
  'seance-modifiee': 'La séance est enregistrée.',
  activite: 'La journée est enregistrée dans les activités de coordination.',
};

const dayValuesOf = (body: Body): DayFormValues => ({
  structureId: field(body, 'structureId', 60),
  title: field(body, 'title', 400),
  day: field(body, 'day', 40),
  placeId: field(body, 'placeId', 60),
  description: field(body, 'description', 6000),
  status: field(body, 'status', 20),
  tracks: field(body, 'tracks', 4000),
});

const sessionValuesOf = (body: Body): SessionFormValues => ({
  title: field(body, 'title', 400),
  description: field(body, 'description', 6000),
  trackId: field(body, 'trackId', 60),
  start: field(body, 'start', 40),
  end: field(body, 'end', 40),
  room: field(body, 'room', 200),
  speakers: field(body, 'speakers', 4000),
  theme: field(body, 'theme', 80),
  capacity: field(body, 'capacity', 20),
  replayUrl: field(body, 'replayUrl', 2100),
  slidesUrl: field(body, 'slidesUrl', 2100),
});

const dayFormOf = (d: NetworkDayView): DayFormValues => ({
  structureId: d.structureId,
  title: d.title,
  day: d.day,
  placeId: d.placeId ?? '',
  description: d.description,
  status: d.status === 'tentative' ? 'tentative' : 'confirmed',
  tracks: '',
});

/**
 * The network's days (decision 0043): the public programme `/agenda/journees/:id` and its A4 sheet, and
 * the coordinator's pages under `/agenda/gestion/journees` (a new day, its tracks and sessions, links
 * after the day, the record in the coordination activities).
 */
export function networkDaysRoutes(): Hono<AppEnv> {
  const app = new Hono<AppEnv>();
  for (const path of [STAFF_DAYS, `${STAFF_DAYS}/*`]) {
    app.use(path, async (c, next) => {
      await next();
      c.header('Cache-Control', 'no-store');
    });
  }

  app.get('/agenda/journees/:id', async (c) => {
    const day = await getNetworkDay(c.get('db'), publicActor(c), { dayId: c.req.param('id') });
    return renderPage(c, <NetworkDayPage ctx={c.get('page')} day={day} />);
  });

  app.get('/agenda/journees/:id/programme', async (c) => {
    const day = await getNetworkDay(c.get('db'), publicActor(c), { dayId: c.req.param('id') });
    return renderPage(
      c,
      <NetworkDayProgrammePage ctx={c.get('page')} day={day} publicUrl={c.get('config').publicUrl} />,
    );
  });

  app.get(STAFF_DAYS, async (c) => {
    const auth = requireSession(c);
    if (auth instanceof Response) return auth;
    const days = await listNetworkDays(c.get('db'), auth.actor);
    return renderPage(c, <StaffNetworkDaysPage ctx={c.get('page')} days={days} />);
  });

  const showNew = async (c: C, values: DayFormValues, errors: Record<string, string> = {}) => {
    const auth = requireSession(c);
    if (auth instanceof Response) return auth;
    const choices = await networkDayFormChoices(c.get('db'), auth.actor);
    return renderPage(
      c,
      <NewNetworkDayPage
        ctx={c.get('page')}
        csrf={c.get('csrfToken')()}
        values={values}
        errors={errors}
        structures={choices.structures}
        places={choices.places}
      />,
      Object.keys(errors).length ? 400 : 200,
    );
  };

  app.get(`${STAFF_DAYS}/nouvelle`, (c) =>
    showNew(c, {
      structureId: '',
      title: '',
      day: '',
      placeId: '',
      description: '',
      status: 'confirmed',
      tracks: '',
    }),
  );

  app.post(`${STAFF_DAYS}/nouvelle`, async (c) => {
    const auth = requireSession(c);
    if (auth instanceof Response) return auth;
    const values = dayValuesOf(await c.req.parseBody({ all: true }));
    const result = await createNetworkDay(c.get('db'), auth.actor, {
      day: values,
      tracks: values.tracks.split('\n'),
    });
    if (!result.ok) return showNew(c, values, result.errors);
    return c.redirect(`${staffDayPath(result.day.id)}?fait=creee`, 303);
  });

  const showManage = async (
    c: C,
    extra: {
      form?: 'day' | 'track' | 'session';
      errors?: Record<string, string>;
      dayValues?: DayFormValues;
      sessionValues?: SessionFormValues;
      trackValue?: string;
      status?: 400 | 409;
    } = {},
  ) => {
    const auth = requireSession(c);
    if (auth instanceof Response) return auth;
    const db = c.get('db');
    const day = await getNetworkDayForEdit(db, auth.actor, { dayId: c.req.param('id') ?? '' });
    const { places } = await networkDayFormChoices(db, auth.actor);
    return renderPage(
      c,
      <ManageNetworkDayPage
        ctx={c.get('page')}
        csrf={c.get('csrfToken')()}
        day={day}
        places={places}
        dayValues={extra.dayValues ?? dayFormOf(day)}
        sessionValues={extra.sessionValues ?? EMPTY_SESSION}
        trackValue={extra.trackValue ?? ''}
        errors={extra.errors ?? {}}
        form={extra.form ?? null}
        notice={NOTICES[c.req.query('fait') ?? '']}
      />,
      extra.status ?? (extra.errors && Object.keys(extra.errors).length ? 400 : 200),
    );
  };

  app.get(`${STAFF_DAYS}/:id`, (c) => showManage(c));

  app.post(`${STAFF_DAYS}/:id`, async (c) => {
    const auth = requireSession(c);
    if (auth instanceof Response) return auth;
    const values = dayValuesOf(await c.req.parseBody({ all: true }));
    const result = await updateNetworkDay(c.get('db'), auth.actor, { dayId: c.req.param('id'), day: values });
    if (!result.ok) return showManage(c, { form: 'day', errors: result.errors, dayValues: values });
    return c.redirect(`${staffDayPath(result.day.id)}?fait=journee`, 303);
  });

  app.post(`${STAFF_DAYS}/:id/parcours`, async (c) => {
    const auth = requireSession(c);
    if (auth instanceof Response) return auth;
    const name = field(await c.req.parseBody({ all: true }), 'name', 400);
    const id = c.req.param('id');
    const result = await addNetworkTrack(c.get('db'), auth.actor, { dayId: id, name });
    if (!result.ok) return showManage(c, { form: 'track', errors: result.errors, trackValue: name });
    return c.redirect(`${staffDayPath(id.toLowerCase())}?fait=parcours`, 303);
  });

  app.post(`${STAFF_DAYS}/:id/seances`, async (c) => {
    const auth = requireSession(c);
    if (auth instanceof Response) return auth;
    const values = sessionValuesOf(await c.req.parseBody({ all: true }));
    const id = c.req.param('id');
    const result = await addNetworkSession(c.get('db'), auth.actor, { dayId: id, session: values });
    if (!result.ok) return showManage(c, { form: 'session', errors: result.errors, sessionValues: values });
    return c.redirect(`${staffDayPath(id.toLowerCase())}?fait=seance`, 303);
  });

  app.post(`${STAFF_DAYS}/:id/activite`, async (c) => {
    const auth = requireSession(c);
    if (auth instanceof Response) return auth;
    const id = c.req.param('id');
    await recordNetworkDayActivity(c.get('db'), auth.actor, { dayId: id });
    return c.redirect(`${staffDayPath(id.toLowerCase())}?fait=activite`, 303);
  });

  const showSession = async (c: C, values?: SessionFormValues, errors: Record<string, string> = {}) => {
    const auth = requireSession(c);
    if (auth instanceof Response) return auth;
    const sessionId = c.req.param('id') ?? '';
    const found = await getNetworkSessionForEdit(c.get('db'), auth.actor, { sessionId });
    const s = found.session;
    return renderPage(
      c,
      <EditSessionPage
        ctx={c.get('page')}
        csrf={c.get('csrfToken')()}
        day={found.day}
        sessionId={s.workshopId}
        values={
          values ?? {
            title: s.title,
            description: s.description,
            trackId: s.trackId,
            start: parisLocal(s.date.startsAt).slice(11),
            end: parisLocal(s.date.endsAt).slice(11),
            room: s.room,
            speakers: speakersText(s.speakers),
            theme: s.theme ?? '',
            capacity: String(s.capacity),
            replayUrl: s.replayUrl ?? '',
            slidesUrl: s.slidesUrl ?? '',
          }
        }
        errors={errors}
      />,
      Object.keys(errors).length ? 400 : 200,
    );
  };

  app.get(`${STAFF_DAYS}/seances/:id`, (c) => showSession(c));

  app.post(`${STAFF_DAYS}/seances/:id`, async (c) => {
    const auth = requireSession(c);
    if (auth instanceof Response) return auth;
    const values = sessionValuesOf(await c.req.parseBody({ all: true }));
    const sessionId = c.req.param('id');
    const result = await updateNetworkSession(c.get('db'), auth.actor, { sessionId, session: values });
    if (!result.ok) return showSession(c, values, result.errors);
    const found = await getNetworkSessionForEdit(c.get('db'), auth.actor, { sessionId });
    return c.redirect(`${staffDayPath(found.day.id)}?fait=seance-modifiee`, 303);
  });

  return app;
}
