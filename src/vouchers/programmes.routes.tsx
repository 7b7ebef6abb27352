import { randomBytes } from 'node:crypto';
import { type Context, Hono } from 'hono';
import { type Actor, can } from '../accounts/policy.ts';
import type { Db } from '../db/database.ts';
import type { AppEnv } from '../http/app-env.ts';
import { requireSession } from '../http/auth.ts';
import { localToday } from '../places/place-dates.ts';
import { ownEntry } from '../shared/own.ts';
import { renderPage } from '../web/render.ts';
import { allocateBooklets, printBooklets } from './booklets.service.ts';
import { PrintBookletPage } from './booklets.views.tsx';
import { programmeClosingBlock } from './closing.service.ts';
import { type ProgrammeForm, type ProgrammeFormName, ProgrammePage } from './programme-page.views.tsx';
import { type Errors, NOTICES } from './programme-parts.views.tsx';
import { ProgrammesHubPage } from './programmes.views.tsx';
import {
  addPrescriber,
  addQualifiedPlace,
  confirmProgramme,
  createProgramme,
  emitBooklets,
  type FormResult,
  listProgrammes,
  programmeFormChoices,
  recordPayment,
  viewProgramme,
} from './vouchers.service.ts';
import { defaultProgrammeValues, type ProgrammeValues } from './vouchers.ts';

type Body = Record<string, string | string[]>;

/** A fresh request key for one form: the same key sent twice gets the first answer (decision 0037). */
const newKey = () => randomBytes(16).toString('base64url');

/** A posted form, a repeated field (the publics' checkboxes) kept whole. */
async function formBody(c: Context<AppEnv>): Promise<Body> {
  const body = await c.req.parseBody({ all: true });
  const out: Body = {};
  for (const [k, v] of Object.entries(body)) {
    if (typeof v === 'string') out[k] = v;
    else if (Array.isArray(v)) out[k] = v.filter((x): x is string => typeof x === 'string');
  }
  return out;
}
const one = (body: Body, k: string): string => {
  const v = body[k];
  return typeof v === 'string' ? v : (v?.[0] ?? '');
};
const many = (body: Body, k: string): string[] => {
  const v = body[k];
  return v === undefined ? [] : typeof v === 'string' ? [v] : v;
};

const programmeValues = (body: Body): ProgrammeValues => ({
  funderId: one(body, 'funderId'),
  name: one(body, 'name'),
  faceValue: one(body, 'faceValue'),
  bookletSize: one(body, 'bookletSize'),
  validFrom: one(body, 'validFrom'),
  validUntil: one(body, 'validUntil'),
  graceDays: one(body, 'graceDays'),
  perimeter: one(body, 'perimeter'),
  budget: one(body, 'budget'),
  publics: many(body, 'publics'),
});

/**
 * The coordinators' and funders' pages of the pass numérique (decision 0037): the hub `/pass`, a
 * programme's page with its forms (confirmation, places, prescribers, emission, payment, allocation),
 * and an emission's booklets to print. The prescribers' and places' pages (`/pass/carnets`,
 * `/pass/encaisser`) live in their own routes.
 */
export function programmesRoutes(): Hono<AppEnv> {
  const app = new Hono<AppEnv>();
  // Voucher codes are the vouchers' only secret, and every page names who holds what: never cached.
  for (const path of ['/pass', '/pass/*']) {
    app.use(path, async (c, next) => {
      await next();
      c.header('Cache-Control', 'no-store');
    });
  }

  const hub = async (
    c: Context<AppEnv>,
    values?: ProgrammeValues,
    errors: Errors = {},
    status: 200 | 422 = 200,
  ) => {
    const auth = requireSession(c);
    if (auth instanceof Response) return auth;
    const db = c.get('db');
    const actor = auth.actor;
    const programmes = await listProgrammes(db, actor);
    const choices = can(actor, 'programmeFormChoices') ? await programmeFormChoices(db, actor) : null;
    return renderPage(
      c,
      <ProgrammesHubPage
        ctx={c.get('page')}
        csrf={c.get('csrfToken')()}
        programmes={programmes}
        create={
          choices
            ? {
                ...choices,
                // The network's own territory is the usual perimeter: offered, to be changed when narrower.
                values: values ?? {
                  ...defaultProgrammeValues(localToday(new Date())),
                  perimeter: c.get('config').territoryText,
                },
                errors,
              }
            : null
        }
        member={auth.person.memberships.length > 0}
        funder={actor.kind === 'person' && (actor.funderIds ?? []).length > 0}
        notice={ownEntry(NOTICES, c.req.query('fait'))}
      />,
      status,
    );
  };

  app.get('/pass', (c) => hub(c));

  app.post('/pass', async (c) => {
    const auth = requireSession(c);
    if (auth instanceof Response) return auth;
    const values = programmeValues(await formBody(c));
    const result = await createProgramme(c.get('db'), auth.actor, values);
    if (!result.ok) return hub(c, values, result.errors, 422);
    return c.redirect(`/pass/programmes/${result.programmeId}?fait=cree`, 303);
  });

  const programmePage = async (c: Context<AppEnv>, form?: ProgrammeForm) => {
    const auth = requireSession(c);
    if (auth instanceof Response) return auth;
    const page = Number(c.req.query('page') ?? '1');
    const view = await viewProgramme(c.get('db'), auth.actor, {
      programmeId: c.req.param('id') ?? '',
      page: Number.isFinite(page) ? page : 1,
    });
    const closing = await programmeClosingBlock(c.get('db'), auth.actor, { programmeId: view.programme.id });
    return renderPage(
      c,
      <ProgrammePage
        ctx={c.get('page')}
        csrf={c.get('csrfToken')()}
        view={view}
        closing={closing}
        form={form}
        // Each showing of the page draws new keys: a double click sends one key twice, never two.
        keys={{ emission: newKey(), allocation: newKey() }}
        notice={ownEntry(NOTICES, c.req.query('fait'))}
      />,
      form ? 422 : 200,
    );
  };

  app.get('/pass/programmes/:id', (c) => programmePage(c));

  /**
   * One form of the programme's page: its fields read, one service call, then the page again with the
   * messages (422) or a redirect with the notice (303).
   */
  const programmeForm = (
    form: ProgrammeFormName,
    fields: readonly string[],
    notice: string,
    call: (
      db: Db,
      actor: Actor,
      programmeId: string,
      values: Record<string, string>,
    ) => Promise<FormResult<object>>,
  ) =>
    app.post(`/pass/programmes/:id/${ROUTE_OF[form]}`, async (c) => {
      const auth = requireSession(c);
      if (auth instanceof Response) return auth;
      const body = await formBody(c);
      const values = Object.fromEntries(fields.map((f) => [f, one(body, f)]));
      const result = await call(c.get('db'), auth.actor, c.req.param('id'), values);
      if (!result.ok) return programmePage(c, { form, values, errors: result.errors });
      return c.redirect(`/pass/programmes/${c.req.param('id')}?fait=${notice}`, 303);
    });

  programmeForm('confirm', ['confirmed'], 'confirme', (db, actor, programmeId, v) =>
    confirmProgramme(db, actor, { programmeId, confirmed: (v.confirmed ?? '') !== '' }),
  );
  programmeForm('place', ['placeId'], 'lieu', (db, actor, programmeId, v) =>
    addQualifiedPlace(db, actor, { programmeId, placeId: v.placeId ?? '' }),
  );
  programmeForm('prescriber', ['structureId'], 'prescripteur', (db, actor, programmeId, v) =>
    addPrescriber(db, actor, { programmeId, structureId: v.structureId ?? '' }),
  );
  programmeForm('emission', ['booklets', 'key'], 'emission', (db, actor, programmeId, v) =>
    emitBooklets(db, actor, { programmeId, booklets: v.booklets ?? '', idempotencyKey: v.key ?? '' }),
  );
  programmeForm('payment', ['emissionId', 'amount', 'reference'], 'paiement', (db, actor, programmeId, v) =>
    recordPayment(db, actor, {
      programmeId,
      emissionId: v.emissionId ?? '',
      amount: v.amount ?? '',
      reference: v.reference ?? '',
    }),
  );
  programmeForm('allocation', ['structureId', 'count', 'key'], 'attribution', (db, actor, programmeId, v) =>
    allocateBooklets(db, actor, {
      programmeId,
      structureId: v.structureId ?? '',
      count: v.count ?? '',
      idempotencyKey: v.key ?? '',
    }),
  );

  app.get('/pass/programmes/:id/emissions/:emission/imprimer', async (c) => {
    const auth = requireSession(c);
    if (auth instanceof Response) return auth;
    const programmeId = c.req.param('id');
    const printable = await printBooklets(c.get('db'), auth.actor, {
      programmeId,
      emissionId: c.req.param('emission'),
    });
    return renderPage(
      c,
      <PrintBookletPage
        ctx={c.get('page')}
        printable={printable}
        publicUrl={c.get('config').publicUrl}
        back={{
          href: `/pass/programmes/${programmeId}`,
          label: `Retour au programme ${printable.programme.name}`,
        }}
      />,
    );
  });

  return app;
}

const ROUTE_OF: Record<ProgrammeFormName, string> = {
  confirm: 'confirmer',
  place: 'lieux',
  prescriber: 'prescripteurs',
  emission: 'emissions',
  payment: 'paiements',
  allocation: 'attributions',
};
