import { type Context, Hono } from 'hono';
import { authorize } from '../accounts/policy.ts';
import type { AppEnv } from '../http/app-env.ts';
import { requireSession } from '../http/auth.ts';
import { localToday } from '../places/place-dates.ts';
import { DomainError } from '../shared/domain-error.ts';
import { ownEntry } from '../shared/own.ts';
import { renderPage } from '../web/render.ts';
import { listCoordinationActivities, recordCoordinationActivity } from './activities.service.ts';
import {
  COORDINATION_NOTICES,
  type CoordinationForm,
  CoordinationFormPage,
  CoordinationListPage,
  emptyCoordinationForm,
  PARTNER_ROWS,
} from './coordination.views.tsx';
import { COORDINATION_KIND_LABELS, type CoordinationKind, isOf } from './vocabulary.ts';

type C = Context<AppEnv>;
type Body = Record<string, unknown>;

/** A posted field as one string (the last if repeated), at most `max` characters; '' when absent. */
const one = (body: Body, key: string, max = 300): string => {
  const v = body[key];
  const last = Array.isArray(v) ? v.at(-1) : v;
  return typeof last === 'string' ? last.slice(0, max) : '';
};
const many = (body: Body, key: string): string[] => {
  const v = body[key];
  return (Array.isArray(v) ? v : [v])
    .filter((x): x is string => typeof x === 'string')
    .slice(0, 20)
    .map((x) => x.slice(0, 60));
};

function readForm(kind: CoordinationKind, body: Body): CoordinationForm {
  const f = emptyCoordinationForm(kind, '');
  const text = [
    'date',
    'duration',
    'name',
    'territorialLevel',
    'mediatorsCount',
    'structuresCount',
    'otherActorsCount',
    'animationType',
    'animationTypeOther',
    'initiative',
    'animationThemeOther',
    'participants',
    'eventType',
    'eventTypeOther',
    'organiserOther',
    'partnershipNatureOther',
  ] as const;
  for (const key of text) f[key] = one(body, key);
  f.animationThemes = many(body, 'animationThemes');
  f.organisers = many(body, 'organisers');
  f.partnershipNatures = many(body, 'partnershipNatures');
  f.partners = Array.from({ length: PARTNER_ROWS }, (_, i) => ({
    name: one(body, `partners.${i}.name`),
    type: one(body, `partners.${i}.type`, 60),
    typeOther: one(body, `partners.${i}.typeOther`),
  }));
  return f;
}

/** The kind of an address (`animation`, `evenement`, `partenariat`), or null. */
const kindOf = (c: C): CoordinationKind | null => {
  const k = c.req.param('kind') ?? '';
  return isOf(COORDINATION_KIND_LABELS, k) ? k : null;
};

/**
 * The network coordinators' coordination activities (decision 0038): `/activites/coordination` (the
 * list, the latest first) and `/activites/coordination/nouvelle/:kind` (one form for each of the Coop's
 * kinds). A refused form comes back with every value typed and a French message under each field; a
 * recorded one redirects to the list (PRG). Anyone else gets the 403 page.
 */
export function coordinationRoutes(): Hono<AppEnv> {
  const app = new Hono<AppEnv>();
  for (const path of ['/activites/coordination', '/activites/coordination/*']) {
    app.use(path, async (c, next) => {
      await next();
      c.header('Cache-Control', 'no-store');
    });
  }

  app.get('/activites/coordination', async (c) => {
    const auth = requireSession(c);
    if (auth instanceof Response) return auth;
    const activities = await listCoordinationActivities(c.get('db'), auth.actor);
    return renderPage(
      c,
      <CoordinationListPage
        ctx={c.get('page')}
        activities={activities}
        notice={ownEntry(COORDINATION_NOTICES, c.req.query('fait'))}
      />,
    );
  });

  app.get('/activites/coordination/nouvelle/:kind', async (c) => {
    const auth = requireSession(c);
    if (auth instanceof Response) return auth;
    const kind = kindOf(c);
    if (kind === null) throw new DomainError('not_found', 'Cette page n’existe pas. Vérifiez l’adresse.');
    // The form is the coordinators': anyone else is refused before seeing it, as the recording would.
    authorize(auth.actor, 'recordCoordinationActivity');
    return renderPage(
      c,
      <CoordinationFormPage
        ctx={c.get('page')}
        csrf={c.get('csrfToken')()}
        kind={kind}
        values={emptyCoordinationForm(kind, localToday(new Date()))}
        errors={{}}
      />,
    );
  });

  app.post('/activites/coordination/nouvelle/:kind', async (c) => {
    const auth = requireSession(c);
    if (auth instanceof Response) return auth;
    const kind = kindOf(c);
    if (kind === null) throw new DomainError('not_found', 'Cette page n’existe pas. Vérifiez l’adresse.');
    const values = readForm(kind, await c.req.parseBody({ all: true }));
    const result = await recordCoordinationActivity(c.get('db'), auth.actor, { values: { ...values, kind } });
    if (result.ok) return c.redirect(`/activites/coordination?fait=${kind}`, 303);
    return renderPage(
      c,
      <CoordinationFormPage
        ctx={c.get('page')}
        csrf={c.get('csrfToken')()}
        kind={kind}
        values={values}
        errors={result.errors}
      />,
      422,
    );
  });

  return app;
}
