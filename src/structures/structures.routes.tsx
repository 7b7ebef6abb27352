import { type Context, Hono } from 'hono';
import type { AppEnv } from '../http/app-env.ts';
import { publicActor, requireSession } from '../http/auth.ts';
import { clientOf } from '../http/client-address.ts';
import { formFields } from '../http/input.ts';
import { isDomainError } from '../shared/domain-error.ts';
import { ownEntry } from '../shared/own.ts';
import { renderPage } from '../web/render.ts';
import { EMPTY_JOIN, JoinFormPage, JoinSearchPage, JoinSentPage } from './join.views.tsx';
import { searchNetworkStructures } from './structure-admin.service.ts';
import { NetworkStructuresPage } from './structure-admin.views.tsx';
import { RemoveMemberPage, StructurePage } from './structure-page.views.tsx';
import {
  changeStructureMemberRole,
  createStructure,
  decideJoinRequest,
  describeMemberRemoval,
  findStructuresByName,
  inviteStructureMember,
  listMyStructures,
  removeStructureMember,
  requestToJoinStructure,
  viewStructure,
} from './structures.service.ts';
import { MESSAGES } from './structures.ts';
import { type Errors, NOTICES, StructuresPage } from './structures.views.tsx';

const noticeOf = (c: Context<AppEnv>) => ownEntry(NOTICES, c.req.query('fait'));

/** Structures of the network, their members, invitations and join requests. */
export function structuresRoutes(): Hono<AppEnv> {
  const app = new Hono<AppEnv>();
  const opts = (c: Context<AppEnv>) => ({ config: c.get('config') });
  // Every page here shows personal data or a per-person form: never cached.
  for (const path of ['/structures', '/structures/*']) {
    app.use(path, async (c, next) => {
      await next();
      c.header('Cache-Control', 'no-store');
    });
  }

  const listPage = async (
    c: Context<AppEnv>,
    extra: { values?: Parameters<typeof StructuresPage>[0]['values']; errors?: Errors } = {},
    status: 200 | 409 | 422 = 200,
  ) => {
    const auth = c.get('auth');
    if (!auth) throw new Error('signed-in page');
    const network = auth.person.networkRole === 'coordinator';
    const notice = noticeOf(c);
    if (network) {
      const q = (name: string) => c.req.query(name);
      const list = await searchNetworkStructures(c.get('db'), auth.actor, {
        q: q('q'),
        type: q('type'),
        commune: q('commune'),
        admin: q('admin'),
        attente: q('attente'),
        tri: q('tri'),
        page: q('page'),
      });
      const invalid = status === 200 && Object.keys(list.errors).length > 0;
      return renderPage(
        c,
        <NetworkStructuresPage
          ctx={c.get('page')}
          csrf={c.get('csrfToken')()}
          list={list}
          {...(extra.values ? { values: extra.values } : {})}
          {...(extra.errors ? { errors: extra.errors } : {})}
          {...(notice ? { notice } : {})}
        />,
        invalid ? 422 : status,
      );
    }
    const structures = await listMyStructures(c.get('db'), auth.actor);
    return renderPage(
      c,
      <StructuresPage
        ctx={c.get('page')}
        csrf={c.get('csrfToken')()}
        scope="mine"
        structures={structures}
        {...(extra.values ? { values: extra.values } : {})}
        {...(extra.errors ? { errors: extra.errors } : {})}
        {...(notice ? { notice } : {})}
      />,
      status,
    );
  };

  app.get('/structures', (c) => {
    const auth = requireSession(c);
    if (auth instanceof Response) return auth;
    return listPage(c);
  });

  app.post('/structures', async (c) => {
    const auth = requireSession(c);
    if (auth instanceof Response) return auth;
    const body = await formFields(c);
    const values = {
      name: body.name ?? '',
      pivot: body.pivot ?? '',
      kind: body.kind ?? '',
      adminEmail: body.adminEmail ?? '',
      adminName: body.adminName ?? '',
    };
    const result = await createStructure(c.get('db'), auth.actor, values, opts(c));
    if (!result.ok) return listPage(c, { values, errors: result.errors }, 422);
    return c.redirect(`/structures/${result.structureId}?fait=creee`, 303);
  });

  // Public: registered before /structures/:id, which would otherwise take "rejoindre" for an id.
  app.get('/structures/rejoindre', async (c) => {
    const actor = publicActor(c);
    const structureId = c.req.query('structure');
    if (structureId) {
      const view = await viewStructure(c.get('db'), actor, { structureId });
      const auth = c.get('auth')?.stage === 'full' ? c.get('auth') : null;
      return renderPage(
        c,
        <JoinFormPage
          ctx={c.get('page')}
          csrf={c.get('csrfToken')()}
          structure={view.structure}
          {...(auth ? { signedInAs: `${auth.person.displayName} (${auth.person.email})` } : {})}
          values={EMPTY_JOIN}
          errors={{}}
        />,
      );
    }
    const query = c.req.query('nom');
    if (query === undefined) return renderPage(c, <JoinSearchPage ctx={c.get('page')} query="" />);
    const found = await findStructuresByName(c.get('db'), actor, { query });
    if (!found.ok)
      return renderPage(
        c,
        <JoinSearchPage ctx={c.get('page')} query={found.query} error={found.error} />,
        422,
      );
    return renderPage(
      c,
      <JoinSearchPage ctx={c.get('page')} query={found.query} results={found.results} more={found.more} />,
    );
  });

  app.post('/structures/rejoindre', async (c) => {
    const actor = publicActor(c);
    const body = await formFields(c);
    const structureId = body.structure ?? '';
    const values = { name: body.name ?? '', email: body.email ?? '', message: body.message ?? '' };
    const result = await requestToJoinStructure(
      c.get('db'),
      actor,
      { structureId, ...values, client: clientOf(c) },
      opts(c),
    );
    const view = await viewStructure(c.get('db'), actor, { structureId });
    if (result.ok)
      return renderPage(c, <JoinSentPage ctx={c.get('page')} structureName={view.structure.name} />);
    const auth = c.get('auth')?.stage === 'full' ? c.get('auth') : null;
    return renderPage(
      c,
      <JoinFormPage
        ctx={c.get('page')}
        csrf={c.get('csrfToken')()}
        structure={view.structure}
        {...(auth ? { signedInAs: `${auth.person.displayName} (${auth.person.email})` } : {})}
        values={values}
        errors={result.reason === 'rate_limited' ? { form: MESSAGES.tooManyRequests } : result.errors}
      />,
      result.reason === 'rate_limited' ? 429 : 422,
    );
  });

  const structurePage = async (
    c: Context<AppEnv>,
    extra: Omit<Parameters<typeof StructurePage>[0], 'ctx' | 'csrf' | 'view'> = {},
    status: 200 | 409 | 422 | 429 = 200,
  ) => {
    const view = await viewStructure(c.get('db'), publicActor(c), {
      structureId: c.req.param('id') ?? '',
      scope: c.get('config').publicScope,
    });
    const notice = noticeOf(c);
    return renderPage(
      c,
      <StructurePage
        ctx={c.get('page')}
        csrf={c.get('csrfToken')()}
        view={view}
        coordinator={c.get('auth')?.person.networkRole === 'coordinator'}
        {...(notice ? { notice } : {})}
        {...extra}
      />,
      status,
    );
  };

  /** A refused action (last administrator, a request already answered) shown on the structure's page. */
  const refused = async <T,>(c: Context<AppEnv>, action: () => Promise<T>, done: (value: T) => string) => {
    try {
      const value = await action();
      return c.redirect(done(value), 303);
    } catch (error) {
      if (isDomainError(error) && error.code === 'conflict')
        return structurePage(c, { problem: error.message }, 409);
      throw error;
    }
  };

  app.get('/structures/:id', (c) => {
    const auth = requireSession(c);
    if (auth instanceof Response) return auth;
    return structurePage(c);
  });

  app.post('/structures/:id/membres', async (c) => {
    const auth = requireSession(c);
    if (auth instanceof Response) return auth;
    const structureId = c.req.param('id');
    const body = await formFields(c);
    const values = { email: body.email ?? '', name: body.name ?? '', role: body.role ?? '' };
    const result = await inviteStructureMember(c.get('db'), auth.actor, { structureId, ...values }, opts(c));
    if (!result.ok) return structurePage(c, { invite: { values, errors: result.errors } }, 422);
    return c.redirect(`/structures/${structureId}?fait=invitation#membres`, 303);
  });

  app.post('/structures/:id/membres/:person/role', async (c) => {
    const auth = requireSession(c);
    if (auth instanceof Response) return auth;
    const structureId = c.req.param('id');
    const body = await formFields(c);
    return refused(
      c,
      () =>
        changeStructureMemberRole(c.get('db'), auth.actor, {
          structureId,
          personId: c.req.param('person'),
          role: body.role ?? '',
        }),
      () => `/structures/${structureId}?fait=role#membres`,
    );
  });

  app.get('/structures/:id/membres/:person/retirer', async (c) => {
    const auth = requireSession(c);
    if (auth instanceof Response) return auth;
    const removal = await describeMemberRemoval(c.get('db'), auth.actor, {
      structureId: c.req.param('id'),
      personId: c.req.param('person'),
    });
    return renderPage(c, <RemoveMemberPage ctx={c.get('page')} csrf={c.get('csrfToken')()} {...removal} />);
  });

  app.post('/structures/:id/membres/:person/retirer', async (c) => {
    const auth = requireSession(c);
    if (auth instanceof Response) return auth;
    const structureId = c.req.param('id');
    return refused(
      c,
      () => removeStructureMember(c.get('db'), auth.actor, { structureId, personId: c.req.param('person') }),
      () => `/structures/${structureId}?fait=retire#membres`,
    );
  });

  app.post('/structures/:id/demande', async (c) => {
    const auth = requireSession(c);
    if (auth instanceof Response) return auth;
    const structureId = c.req.param('id');
    const body = await formFields(c);
    const message = body.message ?? '';
    const result = await requestToJoinStructure(
      c.get('db'),
      auth.actor,
      { structureId, message, client: clientOf(c) },
      opts(c),
    );
    if (result.ok) return c.redirect(`/structures/${structureId}?fait=demande`, 303);
    if (result.reason === 'rate_limited') return structurePage(c, { problem: MESSAGES.tooManyRequests }, 429);
    return structurePage(c, { join: { message, errors: result.errors } }, 422);
  });

  app.post('/structures/:id/demandes/:request', async (c) => {
    const auth = requireSession(c);
    if (auth instanceof Response) return auth;
    const structureId = c.req.param('id');
    const requestId = c.req.param('request');
    const body = await formFields(c);
    const message = body.message ?? '';
    let result: Awaited<ReturnType<typeof decideJoinRequest>>;
    try {
      result = await decideJoinRequest(
        c.get('db'),
        auth.actor,
        { structureId, requestId, decision: body.decision ?? '', message },
        opts(c),
      );
    } catch (error) {
      if (isDomainError(error) && error.code === 'conflict')
        return structurePage(c, { problem: error.message }, 409);
      throw error;
    }
    if (!result.ok) return structurePage(c, { decision: { requestId, message, errors: result.errors } }, 422);
    const done =
      result.decision === 'refuse' ? 'refusee' : result.invited ? 'acceptee-invitation' : 'acceptee';
    return c.redirect(`/structures/${structureId}?fait=${done}#demandes`, 303);
  });

  return app;
}
