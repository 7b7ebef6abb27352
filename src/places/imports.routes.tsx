import { type Context, Hono } from 'hono';
import type { AppEnv } from '../http/app-env.ts';
import { requireSession } from '../http/auth.ts';
import { isDomainError } from '../shared/domain-error.ts';
import { ownEntry } from '../shared/own.ts';
import { renderPage } from '../web/render.ts';
import { MappingPage } from './import-mapping.views.tsx';
import { mappingFromForm, readMappingFile } from './import-mapping-form.ts';
import {
  cancelImportUpload,
  confirmImportUpload,
  mapImportUpload,
  uploadPlacesFile,
  viewImportsOverview,
  viewImportUpload,
  viewUploadMapping,
} from './import-uploads.service.ts';
import { ImportsPage, NewImportPage, NOTICES, UploadPage } from './imports.views.tsx';
import { PLACES_LAYOUTS } from './places-data-inclusion.ts';
import { undoPlaceImport } from './places-history.service.ts';
import type { PlacesMapping } from './places-mapping.ts';

/** The path of the upload form: the app gives it the upload's own body limit. */
export const IMPORT_UPLOAD_PATH = '/imports/nouveau';

/** The French message of an upload over the limit (413). */
export function uploadTooLarge(maxBytes: number): string {
  return `Le fichier dépasse ${Math.round(maxBytes / 1024 / 1024)} Mo (pour data·inclusion : les structures et les services ensemble) : découpez-le en plusieurs fichiers (par département, par exemple), puis importez-les l'un après l'autre.`;
}

/** The French message when this server already receives two files (503: try again a little later). */
export const UPLOADS_BUSY =
  "Deux fichiers sont déjà en cours d'envoi sur ce serveur : réessayez dans une minute.";

/** Seconds between two reloads of a page of work in progress (the `Refresh` header: no script needed). */
const REFRESH_SECONDS = 5;

/** Problems a DomainError carries for a form (a mapping's), else its message alone. */
function problemsOf(error: unknown): { field: string | null; message: string }[] | null {
  if (!isDomainError(error) || (error.code !== 'invalid_input' && error.code !== 'invalid_file')) return null;
  const details = error.details as { problems?: { field: string | null; message: string }[] } | null;
  return details?.problems ?? [{ field: null, message: error.message }];
}

/** The form field an upload's error is about (the summary links to it): the services file, or the first. */
function fieldOf(error: unknown, servicesName: string | null): string {
  const details = (isDomainError(error) ? error.details : null) as {
    field?: unknown;
    fileName?: unknown;
  } | null;
  if (details?.field === 'source' || details?.field === 'correspondance' || details?.field === 'services')
    return `#${details.field}`;
  if (details && 'problems' in details) return '#correspondance';
  if (servicesName !== null && details?.fileName === servicesName && details?.field !== 'fichier')
    return '#services';
  return '#fichier';
}

/**
 * Imports on the web, for coordinators: the history and the uploads in progress (`/imports`), the upload
 * form, an upload's page (dry run, confirmation, progress, result) and its column mapping. The work
 * itself runs in the background (the job runner); these pages only record what the coordinator asks.
 */
export function importsRoutes(): Hono<AppEnv> {
  const app = new Hono<AppEnv>();
  for (const path of ['/imports', '/imports/*']) {
    app.use(path, async (c, next) => {
      await next();
      c.header('Cache-Control', 'no-store');
    });
  }

  const overview = async (c: Context<AppEnv>, error?: string, status: 200 | 409 | 404 = 200) => {
    const auth = requireSession(c);
    if (auth instanceof Response) return auth;
    const data = await viewImportsOverview(c.get('db'), auth.actor);
    return renderPage(
      c,
      <ImportsPage
        ctx={c.get('page')}
        csrf={c.get('csrfToken')()}
        overview={data}
        notice={ownEntry(NOTICES, c.req.query('fait'))}
        error={error}
        withDryRuns={c.req.query('essais') === 'oui'}
      />,
      status,
    );
  };

  app.get('/imports', (c) => overview(c));

  app.post('/imports/:id/annuler', async (c) => {
    const auth = requireSession(c);
    if (auth instanceof Response) return auth;
    try {
      await undoPlaceImport(c.get('db'), auth.actor, { id: c.req.param('id') });
    } catch (error) {
      if (isDomainError(error) && (error.code === 'conflict' || error.code === 'not_found'))
        return overview(c, error.message, error.code === 'conflict' ? 409 : 404);
      throw error;
    }
    return c.redirect('/imports?fait=annule', 303);
  });

  const newPage = (
    c: Context<AppEnv>,
    source = '',
    errors: { message: string; href?: string }[] = [],
    status: 200 | 400 | 422 = 200,
    layout = '',
  ) =>
    renderPage(
      c,
      <NewImportPage
        ctx={c.get('page')}
        csrf={c.get('csrfToken')()}
        source={source}
        layout={layout}
        maxMb={Math.round(c.get('config').importUploadMaxBytes / 1024 / 1024)}
        errors={errors}
      />,
      status,
    );

  app.get(IMPORT_UPLOAD_PATH, async (c) => {
    const auth = requireSession(c);
    if (auth instanceof Response) return auth;
    // Only coordinators reach the form: the overview's service decides it.
    await viewImportsOverview(c.get('db'), auth.actor);
    return newPage(c);
  });

  app.post(IMPORT_UPLOAD_PATH, async (c) => {
    const auth = requireSession(c);
    if (auth instanceof Response) return auth;
    // The service decides who may upload before anything of the form is read.
    const body = await c.req.parseBody();
    const source = typeof body.source === 'string' ? body.source : '';
    const file = body.fichier;
    const services = body.services;
    // An unknown value is taken as no choice: the layout is then detected from the content.
    const layout = PLACES_LAYOUTS.find((l) => l === body.forme) ?? null;
    try {
      let mapping: PlacesMapping | null = null;
      const mappingFile = body.correspondance;
      if (mappingFile instanceof File && mappingFile.size > 0)
        mapping = readMappingFile(new Uint8Array(await mappingFile.arrayBuffer()));
      const { id } = await uploadPlacesFile(c.get('db'), auth.actor, {
        file:
          file instanceof File ? { name: file.name, bytes: new Uint8Array(await file.arrayBuffer()) } : null,
        source,
        mapping,
        services:
          services instanceof File && services.size > 0
            ? { name: services.name, bytes: new Uint8Array(await services.arrayBuffer()) }
            : null,
        layout,
      });
      return c.redirect(`/imports/envoi/${id}`, 303);
    } catch (error) {
      const problems = problemsOf(error);
      if (!problems) throw error;
      const href = fieldOf(error, services instanceof File ? services.name : null);
      return newPage(
        c,
        source,
        problems.map((p) => ({ message: p.field ? `${p.field} : ${p.message}` : p.message, href })),
        isDomainError(error) && error.code === 'invalid_file' ? 422 : 400,
        layout ?? '',
      );
    }
  });

  const uploadPage = async (c: Context<AppEnv>, error?: string, status: 200 | 409 = 200) => {
    const auth = requireSession(c);
    if (auth instanceof Response) return auth;
    const upload = await viewImportUpload(c.get('db'), auth.actor, { id: c.req.param('id') ?? '' });
    const working = ['preview_queued', 'previewing', 'queued', 'running'].includes(upload.state);
    const refreshing = working && c.req.query('auto') !== 'non';
    // Reloads the page without its one-time message (`?fait=`).
    if (refreshing) c.header('Refresh', `${REFRESH_SECONDS}; url=/imports/envoi/${upload.id}`);
    return renderPage(
      c,
      <UploadPage
        ctx={c.get('page')}
        csrf={c.get('csrfToken')()}
        upload={upload}
        refreshing={refreshing}
        notice={ownEntry(NOTICES, c.req.query('fait'))}
        error={error}
      />,
      status,
    );
  };

  app.get('/imports/envoi/:id', (c) => uploadPage(c));

  app.post('/imports/envoi/:id/confirmer', async (c) => {
    const auth = requireSession(c);
    if (auth instanceof Response) return auth;
    const body = await c.req.parseBody();
    const sha256 = typeof body.empreinte === 'string' ? body.empreinte : '';
    const version = typeof body.version === 'string' ? body.version : '';
    const servicesSha256 = typeof body.empreinte_services === 'string' ? body.empreinte_services : undefined;
    try {
      await confirmImportUpload(c.get('db'), auth.actor, {
        id: c.req.param('id'),
        sha256,
        version,
        servicesSha256,
      });
    } catch (error) {
      if (isDomainError(error) && error.code === 'conflict') return uploadPage(c, error.message, 409);
      throw error;
    }
    return c.redirect(`/imports/envoi/${c.req.param('id')}?fait=confirme`, 303);
  });

  app.post('/imports/envoi/:id/abandonner', async (c) => {
    const auth = requireSession(c);
    if (auth instanceof Response) return auth;
    try {
      await cancelImportUpload(c.get('db'), auth.actor, { id: c.req.param('id') });
    } catch (error) {
      if (isDomainError(error) && error.code === 'conflict') return uploadPage(c, error.message, 409);
      throw error;
    }
    return c.redirect('/imports?fait=abandonne', 303);
  });

  app.get('/imports/envoi/:id/correspondance', async (c) => {
    const auth = requireSession(c);
    if (auth instanceof Response) return auth;
    const view = await viewUploadMapping(c.get('db'), auth.actor, { id: c.req.param('id') });
    return renderPage(c, <MappingPage ctx={c.get('page')} csrf={c.get('csrfToken')()} view={view} />);
  });

  app.get('/imports/envoi/:id/correspondance.json', async (c) => {
    const auth = requireSession(c);
    if (auth instanceof Response) return auth;
    const view = await viewUploadMapping(c.get('db'), auth.actor, { id: c.req.param('id') });
    const mapping = { ...view.mapping, source: view.upload.sourceKey };
    c.header(
      'Content-Disposition',
      `attachment; filename="correspondance-${view.upload.sourceKey.replace(/[^\w.-]+/g, '_')}.json"`,
    );
    return c.json(mapping);
  });

  app.post('/imports/envoi/:id/correspondance', async (c) => {
    const auth = requireSession(c);
    if (auth instanceof Response) return auth;
    const db = c.get('db');
    const id = c.req.param('id');
    const current = await viewUploadMapping(db, auth.actor, { id });
    // Text fields only: a file part sent to this form is ignored, never read as text.
    const posted = await c.req.parseBody({ all: true });
    const body: Record<string, string | string[]> = {};
    for (const [key, value] of Object.entries(posted)) {
      if (typeof value === 'string') body[key] = value;
      else if (Array.isArray(value)) body[key] = value.filter((v): v is string => typeof v === 'string');
    }
    const { mapping, problems } = mappingFromForm(body, {
      ...current.mapping,
      source: current.upload.sourceKey,
    });
    const action = body.action;
    if (problems.length === 0 && action !== 'valeurs') {
      try {
        await mapImportUpload(db, auth.actor, { id, mapping });
        return c.redirect(`/imports/envoi/${id}?fait=correspondance`, 303);
      } catch (error) {
        const found = problemsOf(error);
        if (!found) throw error;
        const view = await viewUploadMapping(db, auth.actor, { id, draft: mapping });
        return renderPage(
          c,
          <MappingPage ctx={c.get('page')} csrf={c.get('csrfToken')()} view={view} problems={found} />,
          400,
        );
      }
    }
    const view = await viewUploadMapping(db, auth.actor, { id, draft: mapping });
    return renderPage(
      c,
      <MappingPage ctx={c.get('page')} csrf={c.get('csrfToken')()} view={view} problems={problems} />,
      problems.length > 0 ? 400 : 200,
    );
  });

  return app;
}
