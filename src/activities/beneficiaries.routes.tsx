import { type Context, Hono } from 'hono';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import { authorize } from '../accounts/policy.ts';
import type { AppEnv } from '../http/app-env.ts';
import { requireSession } from '../http/auth.ts';
import { ownEntry } from '../shared/own.ts';
import { renderPage } from '../web/render.ts';
import type { FieldErrors } from './activities.ts';
import {
  createBeneficiary,
  deleteBeneficiary,
  getBeneficiary,
  linkBeneficiaryActivity,
  listBeneficiaries,
  unlinkBeneficiaryActivity,
} from './beneficiaries.service.ts';
import type { BeneficiaryValues } from './beneficiaries.ts';
import {
  BENEFICIARY_NOTICES,
  BeneficiariesPage,
  BeneficiaryPage,
  type DetailErrors,
  emptyBeneficiaryForm,
  NewBeneficiaryPage,
  type StructureChoice,
} from './beneficiaries.views.tsx';

type C = Context<AppEnv>;
type Auth = Exclude<ReturnType<typeof requireSession>, Response>;
type Body = Record<string, unknown>;

const one = (body: Body, key: string, max = 300): string => {
  const v = body[key];
  const last = Array.isArray(v) ? v.at(-1) : v;
  return typeof last === 'string' ? last.slice(0, max) : '';
};

/**
 * The structure a page is about: the one asked (`?structure=` or the form's), else the person's first.
 * A structure she does not belong to is kept as asked, so that the service refuses it (403); a person
 * of no structure gets '' and the same refusal.
 */
function structureOf(auth: Auth, asked: string): { structure: StructureChoice; others: StructureChoice[] } {
  const mine = auth.person.memberships.map((m) => ({ id: m.structureId, name: m.structureName }));
  const wanted = asked.slice(0, 40).toLowerCase();
  const structure = (wanted ? mine.find((s) => s.id === wanted) : mine[0]) ?? { id: wanted, name: '' };
  return { structure, others: mine.filter((s) => s.id !== structure.id) };
}

/**
 * Followed persons ("personnes suivies", decision 0038): `/activites/personnes` (a structure's list),
 * `/activites/personnes/nouvelle` (name one, with her consent), `/activites/personnes/:id` (one person,
 * her records, linking another record, erasing her). The staff of her structure only: anyone else, and
 * any unknown id, gets the same 403 page. Refused forms come back with what was typed; a done action
 * redirects (PRG). Personal data: never cached, never sent as a referrer.
 */
export function beneficiariesRoutes(): Hono<AppEnv> {
  const app = new Hono<AppEnv>();
  for (const path of ['/activites/personnes', '/activites/personnes/*']) {
    app.use(path, async (c, next) => {
      await next();
      c.header('Cache-Control', 'no-store');
      c.header('Referrer-Policy', 'no-referrer');
    });
  }

  app.get('/activites/personnes', async (c) => {
    const auth = requireSession(c);
    if (auth instanceof Response) return auth;
    const { structure, others } = structureOf(auth, c.req.query('structure') ?? '');
    const beneficiaries = await listBeneficiaries(c.get('db'), auth.actor, { structureId: structure.id });
    return renderPage(
      c,
      <BeneficiariesPage
        ctx={c.get('page')}
        structure={structure}
        others={others}
        beneficiaries={beneficiaries}
        notice={ownEntry(BENEFICIARY_NOTICES, c.req.query('fait'))}
      />,
    );
  });

  const newForm = (
    c: C,
    structure: StructureChoice,
    values: BeneficiaryValues,
    errors: FieldErrors,
    status: ContentfulStatusCode,
  ) =>
    renderPage(
      c,
      <NewBeneficiaryPage
        ctx={c.get('page')}
        csrf={c.get('csrfToken')()}
        structure={structure}
        values={values}
        errors={errors}
      />,
      status,
    );

  app.get('/activites/personnes/nouvelle', async (c) => {
    const auth = requireSession(c);
    if (auth instanceof Response) return auth;
    const { structure } = structureOf(auth, c.req.query('structure') ?? '');
    // The form is for the structure's staff: anyone else is refused before seeing it.
    authorize(auth.actor, 'createBeneficiary', { structureId: structure.id });
    return newForm(c, structure, emptyBeneficiaryForm(), {}, 200);
  });

  app.post('/activites/personnes/nouvelle', async (c) => {
    const auth = requireSession(c);
    if (auth instanceof Response) return auth;
    const body = await c.req.parseBody({ all: true });
    const { structure } = structureOf(auth, one(body, 'structure', 40));
    const values: BeneficiaryValues = {
      firstName: one(body, 'firstName', 200),
      lastName: one(body, 'lastName', 200),
      phone: one(body, 'phone', 60),
      email: one(body, 'email', 300),
      gender: one(body, 'gender', 60),
      ageBand: one(body, 'ageBand', 60),
      socialStatus: one(body, 'socialStatus', 60),
      communeCode: one(body, 'communeCode', 20),
      consent: one(body, 'consent', 10),
    };
    const result = await createBeneficiary(c.get('db'), auth.actor, { structureId: structure.id, values });
    if (result.ok) return c.redirect(`/activites/personnes/${result.beneficiaryId}?fait=cree`, 303);
    return newForm(c, structure, values, result.errors, 422);
  });

  const detail = async (
    c: C,
    auth: Auth,
    form: { errors?: DetailErrors; linkValues?: { activityId: string; firstTime: string } } = {},
    status: ContentfulStatusCode = 200,
  ) => {
    const d = await getBeneficiary(c.get('db'), auth.actor, { beneficiaryId: c.req.param('id') ?? '' });
    return renderPage(
      c,
      <BeneficiaryPage
        ctx={c.get('page')}
        csrf={c.get('csrfToken')()}
        detail={d}
        notice={status === 200 ? ownEntry(BENEFICIARY_NOTICES, c.req.query('fait')) : undefined}
        {...form}
      />,
      status,
    );
  };

  app.get('/activites/personnes/:id', async (c) => {
    const auth = requireSession(c);
    if (auth instanceof Response) return auth;
    return detail(c, auth);
  });

  app.post('/activites/personnes/:id/activites', async (c) => {
    const auth = requireSession(c);
    if (auth instanceof Response) return auth;
    const body = await c.req.parseBody({ all: true });
    const linkValues = { activityId: one(body, 'activityId', 60), firstTime: one(body, 'firstTime', 10) };
    const id = c.req.param('id');
    const result = await linkBeneficiaryActivity(c.get('db'), auth.actor, {
      beneficiaryId: id,
      ...linkValues,
    });
    if (result.ok) return c.redirect(`/activites/personnes/${id}?fait=lie`, 303);
    return detail(c, auth, { errors: { link: result.errors }, linkValues }, 422);
  });

  app.post('/activites/personnes/:id/activites/:activity/retirer', async (c) => {
    const auth = requireSession(c);
    if (auth instanceof Response) return auth;
    const id = c.req.param('id');
    const result = await unlinkBeneficiaryActivity(c.get('db'), auth.actor, {
      beneficiaryId: id,
      activityId: c.req.param('activity'),
    });
    if (result.ok) return c.redirect(`/activites/personnes/${id}?fait=retire`, 303);
    return detail(c, auth, { errors: { unlink: result.errors } }, 422);
  });

  app.post('/activites/personnes/:id/effacer', async (c) => {
    const auth = requireSession(c);
    if (auth instanceof Response) return auth;
    const body = await c.req.parseBody({ all: true });
    const result = await deleteBeneficiary(c.get('db'), auth.actor, {
      beneficiaryId: c.req.param('id'),
      confirm: one(body, 'confirm', 10),
    });
    if (result.ok) return c.redirect(`/activites/personnes?structure=${result.structureId}&fait=efface`, 303);
    return detail(c, auth, { errors: { erase: result.errors } }, 422);
  });

  return app;
}
