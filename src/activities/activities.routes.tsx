import { type Context, Hono } from 'hono';
import type { AppEnv } from '../http/app-env.ts';
import { requireSession } from '../http/auth.ts';
import { DomainError } from '../shared/domain-error.ts';
import { isUuid } from '../shared/ids.ts';
import { renderPage } from '../web/render.ts';
import { getActivity, listActivities, recordActivity } from './activities.service.ts';
import type { FieldErrors } from './activities.ts';
import { ACTIVITY_NOTICES, ActivitiesPage, ActivityPage, PAGE_SIZE } from './activities.views.tsx';
import { ActivityFormPage, BREAKDOWNS, type FormValues } from './activity-form.views.tsx';
import { activityForm, PAGE_MESSAGES } from './activity-pages.service.ts';
import type { ActivityKind } from './vocabulary.ts';

type C = Context<AppEnv>;
type Auth = Exclude<ReturnType<typeof requireSession>, Response>;

/** A posted or queried field as one string (the last one if repeated), or '' when absent. */
const one = (value: unknown, max = 200): string => {
  const last = Array.isArray(value) ? value.at(-1) : value;
  return typeof last === 'string' ? last.slice(0, max) : '';
};
const many = (value: unknown): string[] =>
  (Array.isArray(value) ? value : [value])
    .filter((v): v is string => typeof v === 'string')
    .slice(0, 60)
    .map((v) => v.slice(0, 60));

const structuresOf = (auth: Auth) =>
  auth.person.memberships.map((m) => ({ id: m.structureId, name: m.structureName }));

/**
 * The structure whose records the page shows: `?structure=` among the person's, else her first. Someone
 * who belongs to no structure, or asks for another's, gets a French refusal (403), never an error.
 */
function structureOf(auth: Auth, asked: string): { id: string; name: string; several: boolean } {
  const mine = structuresOf(auth);
  if (mine.length === 0) throw new DomainError('forbidden', PAGE_MESSAGES.noStructure);
  const found = asked === '' ? mine[0] : mine.find((s) => s.id === asked.toLowerCase());
  if (!found) throw new DomainError('forbidden', PAGE_MESSAGES.notYourStructure);
  return { ...found, several: mine.length > 1 };
}

/** Why the page of a record was opened instead of a new form (the link already has its record). */
const EXISTING_NOTICES: Partial<Record<string, string>> = {
  deja: 'Cet encaissement de pass numérique a déjà son accompagnement : le voici.',
  atelier: 'Cette date d’atelier est déjà enregistrée dans les activités : la voici.',
};

/** The last day of a month 'YYYY-MM', 'YYYY-MM-DD'. */
const monthEnd = (month: string) => {
  const [y, m] = month.split('-').map(Number) as [number, number];
  return `${month}-${String(new Date(Date.UTC(y, m, 0)).getUTCDate()).padStart(2, '0')}`;
};

const kindOf = (c: C): ActivityKind =>
  one(c.req.query('type')) === 'collectif' ? 'collectif' : 'individuel';

/** The form's fields as typed. The place is one radio group: `lieu:<id>`, `domicile`, `autre`, `a_distance`. */
function readForm(body: Record<string, unknown>, kind: ActivityKind): FormValues {
  const lieu = one(body.lieu);
  const [placeKind, placeId] = lieu.startsWith('lieu:') ? ['lieu_activite', lieu.slice(5)] : [lieu, ''];
  const values: FormValues = {
    kind,
    date: one(body.date, 40),
    duration: one(body.duration, 20),
    durationHours: one(body.durationHours, 10),
    durationMinutes: one(body.durationMinutes, 10),
    placeKind,
    placeId,
    communeCode: one(body.communeCode, 100),
    themes: many(body.themes),
    equipment: many(body.equipment),
    procedureDetails: one(body.procedureDetails, 1100),
    orientationId: one(body.orientationId, 60),
    voucherEntryId: one(body.voucherEntryId, 30),
    workshopDateId: one(body.workshopDateId, 60),
  };
  if (kind === 'individuel') {
    Object.assign(values, {
      autonomy: one(body.autonomy, 60),
      oriented: one(body.oriented, 10),
      redirection: one(body.redirection, 60),
      gender: one(body.gender, 60),
      ageBand: one(body.ageBand, 60),
      socialStatus: one(body.socialStatus, 60),
      alreadyAccompanied: one(body.alreadyAccompanied, 10),
      beneficiaryCommuneCode: one(body.beneficiaryCommuneCode, 100),
    });
  } else {
    Object.assign(values, {
      workshopTitle: one(body.workshopTitle, 300),
      workshopLevel: one(body.workshopLevel, 60),
      participantsTotal: one(body.participantsTotal, 20),
      participantsAlreadyAccompanied: one(body.participantsAlreadyAccompanied, 20),
    });
    for (const b of BREAKDOWNS) {
      const typed: Record<string, string> = {};
      for (const k of Object.keys(b.labels)) {
        const v = one(body[`${b.prefix}${k}`], 20);
        if (v !== '') typed[k] = v;
      }
      values[b.key] = typed;
    }
  }
  return values;
}

/**
 * A structure's activity records (decision 0038): `/activites` (the list, by month and kind, in pages),
 * `/activites/nouveau` (an accompaniment; `?type=collectif`: a workshop; `?orientation=` or
 * `?encaissement=`: the accompaniment of an orientation closed as "came" or of a pass numérique
 * redemption; `?type=collectif&atelier=`: a date of the structure's agenda, once over), `/activites/:id` (one record). The staff of the structure only; a record is written once
 * (Post/Redirect/Get) and the list says so.
 */
export function activitiesRoutes(): Hono<AppEnv> {
  const app = new Hono<AppEnv>();

  const form = async (
    c: C,
    auth: Auth,
    structure: { id: string; name: string; several: boolean },
    kind: ActivityKind,
    typed: { values: FormValues; errors: FieldErrors; existingActivityId?: string | undefined } | null,
  ) => {
    const start = await activityForm(c.get('db'), auth.actor, {
      structureId: structure.id,
      kind,
      orientationId: one(c.req.query('orientation'), 60),
      voucherEntryId: one(c.req.query('encaissement'), 30),
      workshopDateId: one(c.req.query('atelier'), 60),
    });
    if (!typed && start.existingActivityId)
      return c.redirect(
        `/activites/${start.existingActivityId}?fait=${kind === 'collectif' ? 'atelier' : 'deja'}`,
        303,
      );
    return renderPage(
      c,
      <ActivityFormPage
        ctx={c.get('page')}
        csrf={c.get('csrfToken')()}
        structure={structure}
        places={start.places}
        values={typed?.values ?? start.values}
        errors={typed?.errors ?? {}}
        origin={typed ? null : start.origin}
        existingActivityId={typed?.existingActivityId}
      />,
      typed ? 422 : 200,
    );
  };

  app.get('/activites', async (c) => {
    const auth = requireSession(c);
    if (auth instanceof Response) return auth;
    const structure = structureOf(auth, one(c.req.query('structure'), 60));
    const monthTyped = one(c.req.query('mois'), 10);
    const month = /^\d{4}-(0[1-9]|1[0-2])$/.test(monthTyped) ? monthTyped : '';
    const kindTyped = one(c.req.query('type'), 20);
    const kind = kindTyped === 'individuel' || kindTyped === 'collectif' ? kindTyped : '';
    const pageTyped = Number(one(c.req.query('page'), 6));
    const page = Number.isInteger(pageTyped) && pageTyped > 0 && pageTyped <= 10_000 ? pageTyped : 1;
    const rows = await listActivities(c.get('db'), auth.actor, {
      structureId: structure.id,
      ...(month ? { from: `${month}-01`, to: monthEnd(month) } : {}),
      ...(kind ? { kind } : {}),
      limit: PAGE_SIZE + 1,
      offset: (page - 1) * PAGE_SIZE,
    });
    const done = one(c.req.query('fait'), 20);
    const activityId = one(c.req.query('activite'), 60);
    return renderPage(
      c,
      <ActivitiesPage
        ctx={c.get('page')}
        structure={structure}
        structures={structuresOf(auth)}
        activities={rows.slice(0, PAGE_SIZE)}
        hasMore={rows.length > PAGE_SIZE}
        filters={{ month, kind, page }}
        notice={
          Object.hasOwn(ACTIVITY_NOTICES, done)
            ? { text: ACTIVITY_NOTICES[done] ?? '', activityId: isUuid(activityId) ? activityId : null }
            : undefined
        }
      />,
    );
  });

  app.get('/activites/nouveau', async (c) => {
    const auth = requireSession(c);
    if (auth instanceof Response) return auth;
    const structure = structureOf(auth, one(c.req.query('structure'), 60));
    return form(c, auth, structure, kindOf(c), null);
  });

  app.post('/activites/nouveau', async (c) => {
    const auth = requireSession(c);
    if (auth instanceof Response) return auth;
    const body = await c.req.parseBody({ all: true });
    const structure = structureOf(auth, one(body.structure, 60));
    const kind = kindOf(c);
    const values = readForm(body, kind);
    // Only at home or elsewhere: a commune left in the field after choosing a place is not recorded (and
    // stays in the field if the form comes back).
    const atHomeOrElsewhere = values.placeKind === 'domicile' || values.placeKind === 'autre';
    const result = await recordActivity(c.get('db'), auth.actor, {
      structureId: structure.id,
      values: atHomeOrElsewhere ? values : { ...values, communeCode: '' },
    });
    if (result.ok) {
      const query = structure.several ? `structure=${structure.id}&` : '';
      return c.redirect(`/activites?${query}fait=${kind}&activite=${result.activityId}`, 303);
    }
    return form(c, auth, structure, kind, {
      values,
      errors: result.errors,
      existingActivityId: result.existingActivityId,
    });
  });

  // Only an id's shape: the other pages of /activites (import, export, coordination…) are not records.
  app.get('/activites/:id{[0-9a-fA-F-]{36}}', async (c) => {
    const auth = requireSession(c);
    if (auth instanceof Response) return auth;
    const activity = await getActivity(c.get('db'), auth.actor, {
      activityId: c.req.param('id').slice(0, 60),
    });
    const several = auth.person.memberships.length > 1;
    return renderPage(
      c,
      <ActivityPage
        ctx={c.get('page')}
        activity={activity}
        structureQuery={several ? `?structure=${activity.structureId}` : ''}
        notice={EXISTING_NOTICES[one(c.req.query('fait'), 10)]}
      />,
    );
  });

  return app;
}
