import { Hono } from 'hono';
import { resendInvitation, withdrawInvitation } from '../accounts/invitations.service.ts';
import type { AppEnv } from '../http/app-env.ts';
import { requireSession } from '../http/auth.ts';
import { formFields } from '../http/input.ts';
import { renderPage } from '../web/render.ts';
import { getStructureForEdit, type StructureEditValues, updateStructure } from './structure-admin.service.ts';
import { StructureEditPage } from './structure-admin.views.tsx';

/** Editing a structure (coordinators); invitations sent again or withdrawn (those who invite). */
export function structureAdminRoutes(): Hono<AppEnv> {
  const app = new Hono<AppEnv>();

  app.get('/structures/:id/modifier', async (c) => {
    const auth = requireSession(c);
    if (auth instanceof Response) return auth;
    const edit = await getStructureForEdit(c.get('db'), auth.actor, { structureId: c.req.param('id') });
    return renderPage(
      c,
      <StructureEditPage
        ctx={c.get('page')}
        csrf={c.get('csrfToken')()}
        structure={edit}
        values={edit.values}
        errors={{}}
      />,
    );
  });

  app.post('/structures/:id/modifier', async (c) => {
    const auth = requireSession(c);
    if (auth instanceof Response) return auth;
    const structureId = c.req.param('id');
    const body = await formFields(c);
    const values: StructureEditValues = {
      name: body.name ?? '',
      kind: body.kind ?? '',
      pivot: body.pivot ?? '',
      contactEmail: body.contactEmail ?? '',
      contactPhone: body.contactPhone ?? '',
    };
    const result = await updateStructure(c.get('db'), auth.actor, { structureId, ...values });
    if (result.ok) return c.redirect(`/structures/${structureId.toLowerCase()}?fait=modifiee`, 303);
    const edit = await getStructureForEdit(c.get('db'), auth.actor, { structureId });
    return renderPage(
      c,
      <StructureEditPage
        ctx={c.get('page')}
        csrf={c.get('csrfToken')()}
        structure={edit}
        values={values}
        errors={result.errors}
      />,
      422,
    );
  });

  app.post('/structures/:id/invitations/:invitation/renvoyer', async (c) => {
    const auth = requireSession(c);
    if (auth instanceof Response) return auth;
    const structureId = c.req.param('id');
    await resendInvitation(
      c.get('db'),
      auth.actor,
      { structureId, invitationId: c.req.param('invitation') },
      { config: c.get('config') },
    );
    return c.redirect(`/structures/${structureId.toLowerCase()}?fait=invitation-renvoyee#invitations`, 303);
  });

  app.post('/structures/:id/invitations/:invitation/retirer', async (c) => {
    const auth = requireSession(c);
    if (auth instanceof Response) return auth;
    const structureId = c.req.param('id');
    await withdrawInvitation(c.get('db'), auth.actor, {
      structureId,
      invitationId: c.req.param('invitation'),
    });
    return c.redirect(`/structures/${structureId.toLowerCase()}?fait=invitation-retiree#invitations`, 303);
  });

  return app;
}
