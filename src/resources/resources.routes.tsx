import { type Context, Hono } from 'hono';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import type { AppEnv } from '../http/app-env.ts';
import { publicActor, requireSession } from '../http/auth.ts';
import { mapError } from '../http/errors.ts';
import { isDomainError } from '../shared/domain-error.ts';
import { ownEntry } from '../shared/own.ts';
import { renderPage } from '../web/render.ts';
import {
  changeCollection,
  createCollection,
  deleteCollection,
  getCollection,
  listCollections,
  prepareCollectionDelete,
  renameCollection,
} from './resource-collections.service.ts';
import {
  EditPage,
  EMPTY_RESOURCE_FORM,
  formValuesOf,
  type ResourceFormValues,
  SharePage,
} from './resource-forms.views.tsx';
import {
  closeResourceReport,
  deleteResource,
  downloadResourceFile,
  getResource,
  getResourceForEdit,
  listResourceReports,
  listResources,
  prepareResourceShare,
  replaceResourceFile,
  reportResource,
  shareResource,
  updateResource,
} from './resources.service.ts';
import { attachmentHeader, formatBytes, type ResourceForm, type ResourceIssue } from './resources.ts';
import {
  CollectionPage,
  CollectionsPage,
  DeleteCollectionPage,
  RESOURCE_NOTICES,
  ReportsPage,
  ResourcePage,
  ResourcesPage,
} from './resources.views.tsx';

type C = Context<AppEnv>;

/** The path of the share form, whose POST carries a file. */
export const RESOURCE_UPLOAD_PATH = '/ressources/partager';

/**
 * The paths whose POST may carry a file (app.tsx gives them RESOURCE_MAX_MB instead of 1 MB): sharing,
 * and replacing a resource's file.
 */
export function isResourceUpload(path: string): boolean {
  return path === RESOURCE_UPLOAD_PATH || /^\/ressources\/[^/]{1,100}\/fichier$/.test(path);
}

/** The French message of a shared file over the limit, before any of it is read (app.tsx's body limit). */
export function resourceTooLarge(maxBytes: number): string {
  return `Fichier : le fichier dépasse ${formatBytes(maxBytes)}, la taille maximale. Réduisez-le (un PDF compressé, une vidéo plus courte) ou partagez un lien vers lui.`;
}

/** A posted field as one string (the last one if repeated), or '' when absent. */
const one = (value: unknown, max = 4000): string => {
  const last = Array.isArray(value) ? value.at(-1) : value;
  return typeof last === 'string' ? last.slice(0, max) : '';
};
const many = (value: unknown): string[] =>
  (Array.isArray(value) ? value : value === undefined ? [] : [value])
    .filter((v): v is string => typeof v === 'string')
    .slice(0, 50)
    .map((v) => v.slice(0, 60));

function formOf(body: Record<string, unknown>): { values: ResourceFormValues; form: ResourceForm } {
  const values: ResourceFormValues = {
    structure: one(body.structure, 60),
    titre: one(body.titre, 1000),
    resume: one(body.resume, 10_000),
    genre: one(body.genre, 40),
    themes: many(body.themes),
    licence: one(body.licence, 40),
    public: one(body.public, 40),
    visible: one(body.visible) === 'oui',
    lien: one(body.lien, 2100),
  };
  return {
    values,
    form: {
      title: values.titre,
      summary: values.resume,
      kind: values.genre,
      themes: values.themes,
      licence: values.licence,
      audience: values.public,
      isPublic: values.visible,
      url: values.lien,
    },
  };
}

/** The form's file: null when none was chosen (browsers send an empty part without a name). */
async function fileOf(value: unknown): Promise<{ name: string; bytes: Uint8Array } | null> {
  const last = Array.isArray(value) ? value.at(-1) : value;
  if (!(last instanceof File) || (last.size === 0 && last.name === '')) return null;
  return { name: last.name, bytes: new Uint8Array(await last.arrayBuffer()) };
}

/**
 * The resource bank: `/ressources` (search by words and theme, no script needed), a resource's page, its
 * file served as an attachment (nosniff, sandboxed), sharing, editing and deleting by the sharing
 * structure, "obsolète / erreur" reports and their list, collections. Every POST redirects once done.
 */
export function resourcesRoutes(): Hono<AppEnv> {
  const app = new Hono<AppEnv>();

  app.get('/ressources', async (c) => {
    const actor = publicActor(c);
    const query = (c.req.query('q') ?? '').slice(0, 200);
    const result = await listResources(c.get('db'), actor, {
      query,
      theme: (c.req.query('theme') ?? '').slice(0, 60),
    });
    const canShare = actor.kind === 'person' && actor.memberships.length > 0;
    return renderPage(
      c,
      <ResourcesPage
        ctx={c.get('page')}
        query={query}
        theme={result.theme}
        items={result.items}
        total={result.total}
        member={result.member}
        canShare={canShare}
        notice={ownEntry(RESOURCE_NOTICES, c.req.query('fait'))}
      />,
    );
  });

  const sharePage = async (
    c: C,
    values: ResourceFormValues,
    issues: ResourceIssue[],
    status: ContentfulStatusCode = 200,
  ) => {
    const auth = requireSession(c);
    if (auth instanceof Response) return auth;
    const { structures } = await prepareResourceShare(c.get('db'), auth.actor);
    return renderPage(
      c,
      <SharePage
        ctx={c.get('page')}
        csrf={c.get('csrfToken')()}
        structures={structures}
        values={values}
        issues={issues}
        maxBytes={c.get('config').resourceMaxBytes}
      />,
      status,
    );
  };

  app.get(RESOURCE_UPLOAD_PATH, (c) => sharePage(c, EMPTY_RESOURCE_FORM, []));

  app.post(RESOURCE_UPLOAD_PATH, async (c) => {
    const auth = requireSession(c);
    if (auth instanceof Response) return auth;
    const body = await c.req.parseBody({ all: true });
    const { values, form } = formOf(body);
    const file = await fileOf(body.fichier);
    const maxBytes = c.get('config').resourceMaxBytes;
    const result = await shareResource(
      c.get('db'),
      auth.actor,
      { structureId: values.structure, form, file },
      { maxBytes },
    );
    if (result.ok) return c.redirect(`/ressources/${result.id}?fait=partagee`, 303);
    const tooLarge = file !== null && file.bytes.byteLength > maxBytes;
    return sharePage(c, values, result.issues, tooLarge ? 413 : 400);
  });

  app.get('/ressources/signalements', async (c) => reportsPage(c));

  const reportsPage = async (
    c: C,
    extra: {
      error?: string;
      issues?: ResourceIssue[];
      answer?: { id: string; text: string };
      status?: ContentfulStatusCode;
    } = {},
  ) => {
    const auth = requireSession(c);
    if (auth instanceof Response) return auth;
    const reports = await listResourceReports(c.get('db'), auth.actor);
    return renderPage(
      c,
      <ReportsPage
        ctx={c.get('page')}
        csrf={c.get('csrfToken')()}
        reports={reports}
        notice={ownEntry(RESOURCE_NOTICES, c.req.query('fait'))}
        error={extra.error}
        issues={extra.issues ?? []}
        answer={extra.answer}
      />,
      extra.status ?? 200,
    );
  };

  app.post('/ressources/signalements/:id', async (c) => {
    const auth = requireSession(c);
    if (auth instanceof Response) return auth;
    const answer = one((await c.req.parseBody({ all: true })).reponse, 2000);
    try {
      const result = await closeResourceReport(c.get('db'), auth.actor, { id: c.req.param('id'), answer });
      if (result.ok) return c.redirect('/ressources/signalements?fait=close', 303);
      return reportsPage(c, {
        issues: result.issues,
        answer: { id: c.req.param('id').toLowerCase(), text: answer },
        status: 400,
      });
    } catch (error) {
      if (!isDomainError(error) || error.code !== 'conflict') throw error;
      return reportsPage(c, { error: error.message, status: 409 });
    }
  });

  const collectionsPage = async (
    c: C,
    name = '',
    issues: ResourceIssue[] = [],
    status: ContentfulStatusCode = 200,
  ) => {
    const actor = publicActor(c);
    const db = c.get('db');
    const { collections } = await listCollections(db, actor);
    const structures = actor.kind === 'person' ? (await prepareResourceShare(db, actor)).structures : [];
    return renderPage(
      c,
      <CollectionsPage
        ctx={c.get('page')}
        csrf={c.get('csrfToken')()}
        collections={collections}
        structures={structures}
        name={name}
        issues={issues}
        notice={ownEntry(RESOURCE_NOTICES, c.req.query('fait'))}
      />,
      status,
    );
  };

  app.get('/ressources/collections', (c) => collectionsPage(c));

  app.post('/ressources/collections', async (c) => {
    const auth = requireSession(c);
    if (auth instanceof Response) return auth;
    const body = await c.req.parseBody({ all: true });
    const name = one(body.nom, 1000);
    const result = await createCollection(c.get('db'), auth.actor, {
      structureId: one(body.structure, 60),
      name,
    });
    if (result.ok) return c.redirect(`/ressources/collections/${result.id}?fait=creee`, 303);
    return collectionsPage(c, name, result.issues, 400);
  });

  const collectionPage = async (
    c: C,
    extra: { error?: string; issues?: ResourceIssue[]; name?: string; status?: ContentfulStatusCode } = {},
  ) => {
    const result = await getCollection(c.get('db'), publicActor(c), { id: c.req.param('id') ?? '' });
    return renderPage(
      c,
      <CollectionPage
        ctx={c.get('page')}
        csrf={c.get('csrfToken')()}
        {...result}
        notice={ownEntry(RESOURCE_NOTICES, c.req.query('fait'))}
        error={extra.error}
        issues={extra.issues ?? []}
        name={extra.name ?? result.collection.name}
      />,
      extra.status ?? 200,
    );
  };

  app.post('/ressources/collections/:id/nom', async (c) => {
    const auth = requireSession(c);
    if (auth instanceof Response) return auth;
    const name = one((await c.req.parseBody({ all: true })).nom, 1000);
    const result = await renameCollection(c.get('db'), auth.actor, { id: c.req.param('id'), name });
    if (result.ok) return c.redirect(`/ressources/collections/${c.req.param('id')}?fait=renommee`, 303);
    return collectionPage(c, { issues: result.issues, name, status: 400 });
  });

  app.get('/ressources/collections/:id/supprimer', async (c) => {
    const auth = requireSession(c);
    if (auth instanceof Response) return auth;
    const { collection } = await prepareCollectionDelete(c.get('db'), auth.actor, { id: c.req.param('id') });
    return renderPage(
      c,
      <DeleteCollectionPage ctx={c.get('page')} csrf={c.get('csrfToken')()} collection={collection} />,
    );
  });

  app.post('/ressources/collections/:id/supprimer', async (c) => {
    const auth = requireSession(c);
    if (auth instanceof Response) return auth;
    const confirmed = one((await c.req.parseBody({ all: true })).confirmer) === 'oui';
    await deleteCollection(c.get('db'), auth.actor, { id: c.req.param('id'), confirmed });
    return c.redirect('/ressources/collections?fait=collection_supprimee', 303);
  });

  app.get('/ressources/collections/:id', (c) => collectionPage(c));

  app.post('/ressources/collections/:id', async (c) => {
    const auth = requireSession(c);
    if (auth instanceof Response) return auth;
    const body = await c.req.parseBody({ all: true });
    try {
      const { action } = await changeCollection(c.get('db'), auth.actor, {
        id: c.req.param('id'),
        action: one(body.action, 40),
        resourceId: one(body.ressource, 60),
      });
      return c.redirect(`/ressources/collections/${c.req.param('id')}?fait=${action}`, 303);
    } catch (error) {
      if (!isDomainError(error) || (error.code !== 'invalid_input' && error.code !== 'conflict')) throw error;
      return collectionPage(c, { error: error.message, status: mapError(error).status });
    }
  });

  const resourcePage = async (
    c: C,
    extra: {
      issues?: ResourceIssue[];
      reportValues?: { motif: string; precision: string };
      status?: ContentfulStatusCode;
    } = {},
  ) => {
    const result = await getResource(c.get('db'), publicActor(c), { id: c.req.param('id') ?? '' });
    return renderPage(
      c,
      <ResourcePage
        ctx={c.get('page')}
        csrf={c.get('csrfToken')()}
        {...result}
        notice={ownEntry(RESOURCE_NOTICES, c.req.query('fait'))}
        {...(extra.issues ? { issues: extra.issues } : {})}
        {...(extra.reportValues ? { reportValues: extra.reportValues } : {})}
      />,
      extra.status ?? 200,
    );
  };

  app.get('/ressources/:id', (c) => resourcePage(c));

  app.get('/ressources/:id/fichier', async (c) => {
    const file = await downloadResourceFile(c.get('db'), publicActor(c), { id: c.req.param('id') });
    // Never shown by the browser: saved as a file, its type Maillage's own, nothing sniffed, and were it
    // opened anyway, a sandbox without scripts, forms or plugins.
    c.header('Content-Type', file.contentType);
    c.header('Content-Disposition', attachmentHeader(file.fileName));
    c.header('X-Content-Type-Options', 'nosniff');
    c.header('Content-Security-Policy', "sandbox; default-src 'none'");
    c.header('Cross-Origin-Resource-Policy', 'same-origin');
    c.header('ETag', `"${file.sha256}"`);
    c.header('Cache-Control', file.isPublic ? 'public, max-age=300' : 'private, no-store');
    return c.body(file.bytes as Uint8Array<ArrayBuffer>);
  });

  app.post('/ressources/:id/fichier', async (c) => {
    const auth = requireSession(c);
    if (auth instanceof Response) return auth;
    const file = await fileOf((await c.req.parseBody({ all: true })).fichier);
    const maxBytes = c.get('config').resourceMaxBytes;
    const result = await replaceResourceFile(
      c.get('db'),
      auth.actor,
      { id: c.req.param('id'), file },
      { maxBytes },
    );
    if (result.ok) return c.redirect(`/ressources/${result.id}?fait=fichier_remplace`, 303);
    const tooLarge = file !== null && file.bytes.byteLength > maxBytes;
    return editPage(c, null, result.issues, tooLarge ? 413 : 400);
  });

  const editPage = async (
    c: C,
    values: ResourceFormValues | null,
    issues: ResourceIssue[] = [],
    status: ContentfulStatusCode = 200,
  ) => {
    const auth = requireSession(c);
    if (auth instanceof Response) return auth;
    const resource = await getResourceForEdit(c.get('db'), auth.actor, { id: c.req.param('id') ?? '' });
    return renderPage(
      c,
      <EditPage
        ctx={c.get('page')}
        csrf={c.get('csrfToken')()}
        resource={resource}
        values={values ?? formValuesOf(resource)}
        issues={issues}
        maxBytes={c.get('config').resourceMaxBytes}
      />,
      status,
    );
  };

  app.get('/ressources/:id/modifier', (c) => editPage(c, null));

  app.post('/ressources/:id/modifier', async (c) => {
    const auth = requireSession(c);
    if (auth instanceof Response) return auth;
    const { values, form } = formOf(await c.req.parseBody({ all: true }));
    const result = await updateResource(c.get('db'), auth.actor, { id: c.req.param('id'), form });
    if (result.ok) return c.redirect(`/ressources/${result.id}?fait=modifiee`, 303);
    return editPage(c, values, result.issues, 400);
  });

  app.post('/ressources/:id/supprimer', async (c) => {
    const auth = requireSession(c);
    if (auth instanceof Response) return auth;
    const body = await c.req.parseBody({ all: true });
    try {
      await deleteResource(c.get('db'), auth.actor, {
        id: c.req.param('id'),
        confirmed: one(body.confirmer) === 'oui',
      });
      return c.redirect('/ressources?fait=supprimee', 303);
    } catch (error) {
      if (!isDomainError(error) || error.code !== 'invalid_input') throw error;
      return resourcePage(c, { issues: [{ field: 'confirmer', message: error.message }], status: 400 });
    }
  });

  app.post('/ressources/:id/signaler', async (c) => {
    const auth = requireSession(c);
    if (auth instanceof Response) return auth;
    const body = await c.req.parseBody({ all: true });
    const reportValues = { motif: one(body.motif, 40), precision: one(body.precision, 5000) };
    const result = await reportResource(c.get('db'), auth.actor, {
      id: c.req.param('id'),
      reason: reportValues.motif,
      text: reportValues.precision,
    });
    if (result.ok) return c.redirect(`/ressources/${c.req.param('id')}?fait=signalee`, 303);
    return resourcePage(c, { issues: result.issues, reportValues, status: 400 });
  });

  return app;
}
