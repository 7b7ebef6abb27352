import { type Context, Hono } from 'hono';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import { type Actor, can } from '../accounts/policy.ts';
import { resolveTerritory } from '../communes/communes.ts';
import type { AppEnv } from '../http/app-env.ts';
import { publicActor, requireSession } from '../http/auth.ts';
import { clientOf } from '../http/client-address.ts';
import { setSessionCookie } from '../http/session.ts';
import { ownEntry } from '../shared/own.ts';
import { renderPage } from '../web/render.ts';
import { answerApplication, endParticipation, matchVolunteers, proposeMission } from './matching.service.ts';
import {
  closeMission,
  createMission,
  getMission,
  listManagedMissions,
  listMissions,
  missionForm,
  validateMission,
} from './missions.service.ts';
import {
  EMPTY_MISSION,
  ManagedMissionsPage,
  MissionFormPage,
  type MissionFormValues,
  MissionPage,
  MissionsPage,
  NOTICES,
} from './missions.views.tsx';
import {
  answerProposal,
  applyToMission,
  listVolunteers,
  myVolunteering,
  signUpVolunteer,
  validateVolunteer,
  withdrawFromMission,
} from './volunteers.service.ts';
import type { Issue } from './volunteers.ts';
import {
  EMPTY_SIGN_UP,
  MyVolunteeringPage,
  SignUpPage,
  type SignUpValues,
  VolunteersPage,
} from './volunteers.views.tsx';

type C = Context<AppEnv>;

/** A posted field as one string (the last one if repeated), or '' when absent. */
const one = (value: unknown, max = 4000): string => {
  const last = Array.isArray(value) ? value.at(-1) : value;
  return typeof last === 'string' ? last.slice(0, max) : '';
};
const many = (value: unknown): string[] =>
  (Array.isArray(value) ? value : value === undefined ? [] : [value])
    .filter((v): v is string => typeof v === 'string')
    .slice(0, 30)
    .map((v) => v.slice(0, 40));

const notice = (c: C) => ownEntry(NOTICES, c.req.query('fait'));

/**
 * Volunteering (`/benevolat`, decision 0044): the open missions (public), a volunteer's sign-up, the
 * structures' missions and their matching, the coordinator's validations, the volunteer's own page.
 * Every POST redirects once done; business refusals (a mission already validated, a proposal already
 * answered) are the error page's French message with its 4xx status.
 */
export function volunteersRoutes(): Hono<AppEnv> {
  const app = new Hono<AppEnv>();
  let territory: ReadonlySet<string> | null = null;
  const territoryOf = (c: C) => {
    territory ??= new Set(resolveTerritory(c.get('config').territory).communes.map((x) => x.code));
    return territory;
  };

  app.get('/benevolat', async (c) => {
    const actor = publicActor(c);
    const missions = await listMissions(c.get('db'), actor);
    return renderPage(
      c,
      <MissionsPage
        ctx={c.get('page')}
        missions={missions}
        signedIn={actor.kind === 'person'}
        member={can(actor, 'listManagedMissions')}
        volunteer={can(actor, 'myVolunteering') && actor.kind === 'person'}
        coordinator={can(actor, 'listVolunteers') && actor.kind === 'person'}
      />,
    );
  });

  // --- sign-up ---

  const signUpPage = (c: C, values: SignUpValues, issues: Issue[], status: ContentfulStatusCode = 200) =>
    renderPage(
      c,
      <SignUpPage ctx={c.get('page')} csrf={c.get('csrfToken')()} values={values} issues={issues} />,
      status,
    );

  app.get('/benevolat/inscription', (c) => signUpPage(c, EMPTY_SIGN_UP, []));

  app.post('/benevolat/inscription', async (c) => {
    const body = await c.req.parseBody({ all: true });
    const values: SignUpValues = {
      nom: one(body.nom, 500),
      email: one(body.email, 500),
      telephone: one(body.telephone, 60),
      competences: many(body.competences),
      disponibilites: many(body.disponibilites),
      communes: one(body.communes, 1000),
      charte: one(body.charte) === 'oui',
    };
    const result = await signUpVolunteer(
      c.get('db'),
      publicActor(c),
      {
        displayName: values.nom,
        email: values.email,
        phone: values.telephone,
        password: one(body.mot_de_passe, 1000),
        confirmation: one(body.confirmation, 1000),
        skills: values.competences,
        availability: values.disponibilites,
        communes: values.communes,
        charter: values.charte,
      },
      {
        config: c.get('config'),
        territory: territoryOf(c),
        client: clientOf(c),
        limits: c.get('config').limits,
      },
    );
    if (!result.ok) return signUpPage(c, values, result.issues, result.limited ? 429 : 400);
    const https = c.get('config').publicUrl.startsWith('https://');
    setSessionCookie(c, result.session.sessionToken, result.session.maxAgeSeconds, https);
    c.header('Cache-Control', 'no-store');
    return c.redirect('/benevolat/mon-espace?fait=inscrit', 303);
  });

  // --- missions ---

  app.get('/benevolat/missions', async (c) => {
    const auth = requireSession(c);
    if (auth instanceof Response) return auth;
    const missions = await listManagedMissions(c.get('db'), auth.actor);
    return renderPage(
      c,
      <ManagedMissionsPage
        ctx={c.get('page')}
        missions={missions}
        canCreate={auth.actor.kind === 'person' && auth.actor.memberships.length > 0}
        notice={notice(c)}
      />,
    );
  });

  const formPage = async (
    c: C,
    values: MissionFormValues,
    issues: Issue[],
    status: ContentfulStatusCode = 200,
  ) => {
    const auth = requireSession(c);
    if (auth instanceof Response) return auth;
    const { structures } = await missionForm(c.get('db'), auth.actor);
    return renderPage(
      c,
      <MissionFormPage
        ctx={c.get('page')}
        csrf={c.get('csrfToken')()}
        structures={structures}
        values={values}
        issues={issues}
      />,
      status,
    );
  };

  app.get('/benevolat/missions/nouvelle', (c) => formPage(c, EMPTY_MISSION, []));

  app.post('/benevolat/missions/nouvelle', async (c) => {
    const auth = requireSession(c);
    if (auth instanceof Response) return auth;
    const body = await c.req.parseBody({ all: true });
    const values: MissionFormValues = {
      structure: one(body.structure, 60),
      lieu: one(body.lieu, 60),
      titre: one(body.titre, 1000),
      description: one(body.description, 10_000),
      debut: one(body.debut, 40),
      fin: one(body.fin, 40),
      creneaux: many(body.creneaux),
      competences: many(body.competences),
      engagement: one(body.engagement, 40),
      heures: one(body.heures, 20),
      public: one(body.public, 40),
      places: one(body.places, 20),
    };
    const result = await createMission(c.get('db'), auth.actor, {
      structureId: values.structure,
      placeId: values.lieu,
      title: values.titre,
      description: values.description,
      startsOn: values.debut,
      endsOn: values.fin,
      slots: values.creneaux,
      skills: values.competences,
      commitment: values.engagement,
      hoursPerWeek: values.heures,
      audience: values.public,
      seats: values.places,
    });
    if (result.ok) return c.redirect(`/benevolat/missions/${result.id}?fait=publiee`, 303);
    return formPage(c, values, result.issues, 400);
  });

  app.get('/benevolat/missions/:id', async (c) => {
    const actor = publicActor(c);
    const db = c.get('db');
    const result = await getMission(db, actor, { id: c.req.param('id') });
    const matching = result.manage
      ? await matchVolunteers(db, actor, { missionId: result.mission.id })
      : null;
    return renderPage(
      c,
      <MissionPage
        ctx={c.get('page')}
        csrf={c.get('csrfToken')()}
        {...result}
        matching={matching}
        notice={notice(c)}
      />,
    );
  });

  const missionAction = (path: string, run: (c: C, actor: Actor, id: string) => Promise<string>) =>
    app.post(path, async (c) => {
      const auth = requireSession(c);
      if (auth instanceof Response) return auth;
      const id = c.req.param('id') ?? '';
      const done = await run(c, auth.actor, id);
      return c.redirect(`/benevolat/missions/${encodeURIComponent(id)}?fait=${done}`, 303);
    });

  missionAction('/benevolat/missions/:id/valider', async (c, actor, id) => {
    await validateMission(c.get('db'), actor, { id });
    return 'validee';
  });
  missionAction('/benevolat/missions/:id/terminer', async (c, actor, id) => {
    await closeMission(c.get('db'), actor, { id });
    return 'terminee';
  });
  missionAction('/benevolat/missions/:id/proposer', async (c, actor, id) => {
    const body = await c.req.parseBody();
    await proposeMission(c.get('db'), actor, { missionId: id, volunteerId: one(body.benevole, 60) });
    return 'proposee';
  });
  missionAction('/benevolat/missions/:id/demander', async (c, actor, id) => {
    await applyToMission(c.get('db'), actor, { missionId: id });
    return 'demandee';
  });

  // --- a structure answers a volunteer, or ends a participation ---

  const DONE = { accepted: 'acceptee', waiting: 'attente', declined: 'refusee' } as const;

  app.post('/benevolat/candidatures/:id/repondre', async (c) => {
    const auth = requireSession(c);
    if (auth instanceof Response) return auth;
    const body = await c.req.parseBody();
    const db = c.get('db');
    const matchId = c.req.param('id');
    const state = await answerApplication(db, auth.actor, { matchId, answer: one(body.reponse, 40) });
    return c.redirect(`/benevolat/missions?fait=${DONE[state]}`, 303);
  });

  app.post('/benevolat/candidatures/:id/terminer', async (c) => {
    const auth = requireSession(c);
    if (auth instanceof Response) return auth;
    await endParticipation(c.get('db'), auth.actor, { matchId: c.req.param('id') });
    return c.redirect('/benevolat/missions?fait=fin', 303);
  });

  // --- the coordinator's volunteers ---

  app.get('/benevolat/benevoles', async (c) => {
    const auth = requireSession(c);
    if (auth instanceof Response) return auth;
    const lists = await listVolunteers(c.get('db'), auth.actor);
    return renderPage(
      c,
      <VolunteersPage ctx={c.get('page')} csrf={c.get('csrfToken')()} {...lists} notice={notice(c)} />,
    );
  });

  app.post('/benevolat/benevoles/:id/valider', async (c) => {
    const auth = requireSession(c);
    if (auth instanceof Response) return auth;
    await validateVolunteer(c.get('db'), auth.actor, { id: c.req.param('id') });
    return c.redirect('/benevolat/benevoles?fait=benevole', 303);
  });

  // --- the volunteer's own page ---

  app.get('/benevolat/mon-espace', async (c) => {
    const auth = requireSession(c);
    if (auth instanceof Response) return auth;
    const mine = await myVolunteering(c.get('db'), auth.actor);
    return renderPage(
      c,
      <MyVolunteeringPage ctx={c.get('page')} csrf={c.get('csrfToken')()} {...mine} notice={notice(c)} />,
    );
  });

  app.post('/benevolat/propositions/:id/repondre', async (c) => {
    const auth = requireSession(c);
    if (auth instanceof Response) return auth;
    const body = await c.req.parseBody();
    const state = await answerProposal(c.get('db'), auth.actor, {
      matchId: c.req.param('id'),
      answer: one(body.reponse, 40),
    });
    return c.redirect(`/benevolat/mon-espace?fait=${DONE[state]}`, 303);
  });

  app.post('/benevolat/propositions/:id/retirer', async (c) => {
    const auth = requireSession(c);
    if (auth instanceof Response) return auth;
    await withdrawFromMission(c.get('db'), auth.actor, { matchId: c.req.param('id') });
    return c.redirect('/benevolat/mon-espace?fait=fin', 303);
  });

  return app;
}
