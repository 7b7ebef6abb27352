import { type Context, Hono } from 'hono';
import type { Actor } from '../accounts/policy.ts';
import { DIGITAL_THEME_LABELS, THEME_LABELS } from '../activities/vocabulary.ts';
import type { AppEnv } from '../http/app-env.ts';
import { requireSession } from '../http/auth.ts';
import { listEditablePlaces } from '../places/place-edit.service.ts';
import { needBySlug } from '../search/needs.ts';
import { DomainError } from '../shared/domain-error.ts';
import { renderPage } from '../web/render.ts';
import { AddDatesPage, MoveDatePage } from './agenda-dates.views.tsx';
import {
  DATE_ROWS,
  EMPTY_WORKSHOP_FORM,
  type WorkshopEdit,
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
import { participantsCsv, participantsFileName } from './participants-csv.ts';
import {
  listRegistrations,
  recordAttendance,
  registerOnBehalf,
  removeRegistration,
} from './registrations.service.ts';
import {
  addWorkshopDates,
  cancelWorkshop,
  cancelWorkshopDate,
  createWorkshop,
  getAgendaStructure,
  getWorkshop,
  listStructureWorkshops,
  moveWorkshopDate,
  updateWorkshop,
  type WorkshopView,
} from './workshops.service.ts';
import {
  type DateInput,
  dateWords,
  type FieldErrors,
  MESSAGES,
  parisLocal,
  type WorkshopInput,
} from './workshops.ts';

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
  modifie: 'Les changements sont enregistrés.',
  'modifie-promus':
    'Les changements sont enregistrés ; des personnes en attente ont eu une place et sont prévenues.',
  deplacee: 'La date est déplacée ; les personnes inscrites avec une adresse e-mail sont prévenues.',
  'dates-ajoutees': 'Les dates sont ajoutées à l’atelier.',
};

type Body = Record<string, string | File | (string | File)[]>;

/** The workshop form's fields as typed (lengths cut well above the service's limits). */
function readWorkshopForm(body: Body, structure: string): WorkshopFormValues {
  const field = (name: string, max = 5000) => one(body[name]).slice(0, max);
  return {
    structure: field('structure', 60) || structure,
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
}

/** The form's values as the services take them; `kept` topics (beyond the form's one of each) stay. */
function workshopInput(
  v: WorkshopFormValues,
  kept: { needs: string[]; themes: string[] } = { needs: [], themes: [] },
): WorkshopInput {
  return {
    title: v.title,
    description: v.description,
    needs: [...(v.need ? [v.need] : []), ...kept.needs.filter((n) => n !== v.need)],
    themes: [...(v.theme ? [v.theme] : []), ...kept.themes.filter((t) => t !== v.theme)],
    level: v.level,
    mode: v.mode,
    placeId: v.mode === 'place' ? v.placeId : '',
    onlineUrl: v.mode === 'online' ? v.onlineUrl : '',
    audience: v.audience,
    accessibility: v.accessibility,
    capacity: v.capacity,
    price: v.price,
    status: v.status,
  };
}

/** A workshop's fields as the form shows them. */
function formValuesOf(w: WorkshopView): WorkshopFormValues {
  return {
    structure: w.structureId,
    title: w.title,
    description: w.description,
    need: w.needs[0] ?? '',
    theme: shownTheme(w) ?? '',
    level: w.level ?? '',
    mode: w.mode,
    placeId: w.placeId ?? '',
    onlineUrl: w.onlineUrl ?? '',
    audience: w.audience,
    accessibility: w.accessibility,
    capacity: String(w.capacity),
    price: w.priceCents === 0 ? '' : (w.priceCents / 100).toFixed(2).replace('.', ',').replace(',00', ''),
    status: w.status === 'tentative' ? 'tentative' : 'confirmed',
    dates: [],
  };
}

/** The theme the edit form shows: the first of the form's list (digital themes) the workshop has. */
const shownTheme = (w: WorkshopView) => w.themes.find((t) => Object.hasOwn(DIGITAL_THEME_LABELS, t));

/** The topics the edit form does not show (it has one need and one theme) and keeps. */
const keptTopics = (w: WorkshopView) => ({
  needs: w.needs.slice(1),
  themes: w.themes.filter((t) => t !== shownTheme(w)),
});

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

  const showForm = async (
    c: C,
    values: WorkshopFormValues,
    errors: FieldErrors = {},
    editing?: WorkshopView,
  ) => {
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
    // A workshop's place that is not among the person's own places stays offered (nothing lost).
    if (editing?.placeId && !places.some((p) => p.id === editing.placeId))
      places.unshift({ id: editing.placeId, name: editing.placeName ?? 'Lieu de l’atelier' });
    const kept = editing ? keptTopics(editing) : undefined;
    const edit: WorkshopEdit | undefined =
      editing && kept
        ? {
            workshopId: editing.id,
            keptTopics: [
              ...kept.needs.map((n) => needBySlug(n)?.label ?? n),
              ...kept.themes.map((t) => THEME_LABELS[t as keyof typeof THEME_LABELS] ?? t),
            ],
          }
        : undefined;
    return renderPage(
      c,
      <WorkshopFormPage
        ctx={c.get('page')}
        csrf={c.get('csrfToken')()}
        values={{ ...values, structure: values.structure || (ids[0] ?? '') }}
        errors={errors}
        structures={names}
        places={places}
        edit={edit}
      />,
      Object.keys(errors).length ? 400 : 200,
    );
  };

  app.get('/agenda/gestion/nouveau', (c) => showForm(c, EMPTY_WORKSHOP_FORM));

  app.post('/agenda/gestion/nouveau', async (c) => {
    const auth = requireSession(c);
    if (auth instanceof Response) return auth;
    const body = await c.req.parseBody({ all: true });
    // One structure: no choice on the form, the person's own.
    const values = readWorkshopForm(body, auth.person.memberships[0]?.structureId ?? '');
    const result = await createWorkshop(c.get('db'), auth.actor, {
      structureId: values.structure,
      workshop: workshopInput(values),
      dates: filledDates(values.dates),
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

  // Changing a workshop's fields: the creation form without the dates (each date has its own page).
  app.get('/agenda/gestion/ateliers/:id/modifier', async (c) => {
    const auth = requireSession(c);
    if (auth instanceof Response) return auth;
    const w = await ownWorkshop(c, auth.actor, c.req.param('id'));
    if (w.status === 'cancelled') throw new DomainError('conflict', MESSAGES.workshopCancelled);
    return showForm(c, formValuesOf(w), {}, w);
  });

  app.post('/agenda/gestion/ateliers/:id/modifier', async (c) => {
    const auth = requireSession(c);
    if (auth instanceof Response) return auth;
    const w = await ownWorkshop(c, auth.actor, c.req.param('id'));
    const values = readWorkshopForm(await c.req.parseBody({ all: true }), w.structureId);
    const result = await updateWorkshop(
      c.get('db'),
      auth.actor,
      { workshopId: w.id, workshop: workshopInput(values, keptTopics(w)) },
      { publicUrl: c.get('config').publicUrl },
    );
    if (!result.ok) return showForm(c, { ...values, structure: w.structureId }, result.errors, w);
    return c.redirect(`/agenda/gestion?fait=${result.promoted ? 'modifie-promus' : 'modifie'}`, 303);
  });

  // Adding dates to a workshop (a series grows).
  const showAddDates = async (
    c: C,
    values: { start: string; end: string }[] = [],
    errors: FieldErrors = {},
  ) => {
    const auth = requireSession(c);
    if (auth instanceof Response) return auth;
    const w = await ownWorkshop(c, auth.actor, c.req.param('id') ?? '');
    if (w.status === 'cancelled') throw new DomainError('conflict', MESSAGES.workshopCancelled);
    return renderPage(
      c,
      <AddDatesPage
        ctx={c.get('page')}
        csrf={c.get('csrfToken')()}
        workshopId={w.id}
        title={w.title}
        coming={w.dates.filter((d) => !d.past && d.dateStatus === 'scheduled').map((d) => d.startsAt)}
        values={values}
        errors={errors}
      />,
      Object.keys(errors).length ? 400 : 200,
    );
  };

  app.get('/agenda/gestion/ateliers/:id/dates', (c) => showAddDates(c));

  app.post('/agenda/gestion/ateliers/:id/dates', async (c) => {
    const auth = requireSession(c);
    if (auth instanceof Response) return auth;
    const values = readWorkshopForm(await c.req.parseBody({ all: true }), '').dates;
    const result = await addWorkshopDates(c.get('db'), auth.actor, {
      workshopId: c.req.param('id'),
      dates: filledDates(values),
    });
    if (!result.ok) return showAddDates(c, values, result.errors);
    return c.redirect('/agenda/gestion?fait=dates-ajoutees', 303);
  });

  // Moving one coming date: new times; its people with an address are told by e-mail.
  const showMove = async (c: C, values?: { debut: string; fin: string }, errors: FieldErrors = {}) => {
    const auth = requireSession(c);
    if (auth instanceof Response) return auth;
    const dateId = c.req.param('id') ?? '';
    const date = await listRegistrations(c.get('db'), auth.actor, { occurrenceId: dateId });
    const w = await ownWorkshop(c, auth.actor, date.workshopId);
    const d = w.dates.find((x) => x.id === dateId.toLowerCase());
    if (!d) throw new DomainError('not_found', MESSAGES.unknownDate);
    if (w.status === 'cancelled') throw new DomainError('conflict', MESSAGES.workshopCancelled);
    if (d.dateStatus === 'cancelled') throw new DomainError('conflict', MESSAGES.dateCancelled);
    if (d.past) throw new DomainError('conflict', MESSAGES.datePastChange);
    return renderPage(
      c,
      <MoveDatePage
        ctx={c.get('page')}
        csrf={c.get('csrfToken')()}
        dateId={d.id}
        title={w.title}
        startsAt={d.startsAt}
        people={date.counts.registered + date.counts.waiting}
        values={values ?? { debut: parisLocal(d.startsAt), fin: parisLocal(d.endsAt).slice(11) }}
        errors={errors}
      />,
      Object.keys(errors).length ? 400 : 200,
    );
  };

  app.get('/agenda/gestion/dates/:id/deplacer', (c) => showMove(c));

  app.post('/agenda/gestion/dates/:id/deplacer', async (c) => {
    const auth = requireSession(c);
    if (auth instanceof Response) return auth;
    const body = await c.req.parseBody({ all: true });
    const values = { debut: one(body.debut).slice(0, 40), fin: one(body.fin).slice(0, 40) };
    const result = await moveWorkshopDate(c.get('db'), auth.actor, {
      occurrenceId: c.req.param('id'),
      date: { startsAt: values.debut, endsAt: values.fin },
    });
    if (!result.ok) return showMove(c, values, result.errors);
    return c.redirect(`${datePath(result.date.id)}?fait=deplacee`, 303);
  });

  // A date's participants as a CSV for spreadsheets (the structure's own staff; never cached).
  app.get('/agenda/gestion/dates/:id/participants.csv', async (c) => {
    const auth = requireSession(c);
    if (auth instanceof Response) return auth;
    const date = await listRegistrations(c.get('db'), auth.actor, { occurrenceId: c.req.param('id') });
    c.header('Content-Type', 'text/csv; charset=utf-8');
    c.header('Content-Disposition', `attachment; filename="${participantsFileName(date.startsAt)}"`);
    return c.body(participantsCsv(date));
  });

  return app;
}

/** The form's filled date rows, each keeping its number on the form (the messages name it). */
function filledDates(rows: readonly { start: string; end: string }[]): DateInput[] {
  return rows.flatMap((d, i) =>
    d.start.trim() !== '' || d.end.trim() !== '' ? [{ startsAt: d.start, endsAt: d.end, row: i + 1 }] : [],
  );
}

/** One of the person's structures' workshops (listStructureWorkshops decides who may see it). */
async function ownWorkshop(c: C, actor: Actor, workshopId: string): Promise<WorkshopView> {
  const w = await getWorkshop(c.get('db'), actor, { workshopId });
  // Its structure's staff only; by its id, so that a structure's oldest workshops are found too.
  const [found] = await listStructureWorkshops(c.get('db'), actor, {
    structureId: w.structureId,
    workshopId: w.id,
  });
  if (!found) throw new DomainError('not_found', 'Cet atelier n’existe pas ou a été supprimé.');
  return found;
}
