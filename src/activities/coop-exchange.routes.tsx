import { type Context, Hono } from 'hono';
import type { AppEnv } from '../http/app-env.ts';
import { requireSession } from '../http/auth.ts';
import { parseDateInput } from '../places/place-dates.ts';
import { DomainError } from '../shared/domain-error.ts';
import { renderPage } from '../web/render.ts';
import { describeCoopExchange, exportCoop, importCoopExport } from './coop-exchange.service.ts';
import { ExchangePage, ImportResultPage } from './coop-exchange.views.tsx';
import { COOP_IMPORT_MAX_BYTES } from './coop-sheet.ts';

type C = Context<AppEnv>;
type Auth = Exclude<ReturnType<typeof requireSession>, Response>;

/** The path of the upload form: the app gives it its own body limit (COOP_IMPORT_MAX_BYTES). */
export const COOP_IMPORT_PATH = '/activites/import';
export const COOP_IMPORT_BODY_LIMIT = COOP_IMPORT_MAX_BYTES + 64 * 1024;

const NO_FILE = 'Choisissez le fichier exporté de La Coop (XLSX ou CSV).';
export const coopUploadTooLarge = () =>
  `Le fichier dépasse ${COOP_IMPORT_MAX_BYTES / 1024 / 1024} Mo. Exportez une période plus courte depuis La Coop, puis importez chaque fichier.`;
const badDay = (field: string, v: string) =>
  `${field} : « ${v.slice(0, 40)} » n’est pas une date. Écrivez-la comme 15/06/2026.`;

/**
 * The structure a page is about: the one asked (`structure`, in the address or the form), else the
 * person's first structure (the page offers the others). Anybody else's structure is refused by the
 * service.
 */
function structureOf(auth: Auth, asked: unknown): string {
  const typed = typeof asked === 'string' ? asked.trim().slice(0, 60) : '';
  if (typed !== '') return typed;
  return auth.person.memberships[0]?.structureId ?? '';
}
const structuresOf = (auth: Auth) =>
  auth.person.memberships.map((m) => ({ id: m.structureId, name: m.structureName }));

/**
 * In and out of La Coop (decision 0039), for a structure's staff: `GET /activites/import` (the import
 * and export forms), `POST /activites/import` (a Coop export uploaded: the result, or every error with
 * its row and column, nothing imported), `GET /activites/export?format=xlsx|csv&du=&au=` (the records
 * in the Coop's layout, as an attachment). Never cached.
 */
export function coopExchangeRoutes(): Hono<AppEnv> {
  const app = new Hono<AppEnv>();
  for (const path of [COOP_IMPORT_PATH, '/activites/export']) {
    app.use(path, async (c, next) => {
      await next();
      c.header('Cache-Control', 'no-store');
    });
  }

  const page = async (c: C, auth: Auth, structureId: string, error?: string) => {
    const structure = await describeCoopExchange(c.get('db'), auth.actor, { structureId });
    return renderPage(
      c,
      <ExchangePage
        ctx={c.get('page')}
        csrf={c.get('csrfToken')()}
        structure={structure}
        structures={structuresOf(auth)}
        maxMb={COOP_IMPORT_MAX_BYTES / 1024 / 1024}
        error={error}
      />,
      error ? 422 : 200,
    );
  };

  app.get(COOP_IMPORT_PATH, async (c) => {
    const auth = requireSession(c);
    if (auth instanceof Response) return auth;
    return page(c, auth, structureOf(auth, c.req.query('structure')));
  });

  app.post(COOP_IMPORT_PATH, async (c) => {
    const auth = requireSession(c);
    if (auth instanceof Response) return auth;
    const body = await c.req.parseBody();
    const structureId = structureOf(auth, body.structure ?? c.req.query('structure'));
    const file = body.fichier;
    if (!(file instanceof File) || file.size === 0 || file.name === '')
      return page(c, auth, structureId, NO_FILE);
    const bytes = new Uint8Array(await file.arrayBuffer());
    const fileName = file.name.slice(0, 200);
    const result = await importCoopExport(c.get('db'), auth.actor, { structureId, bytes, fileName });
    const structure = await describeCoopExchange(c.get('db'), auth.actor, { structureId });
    return renderPage(
      c,
      <ImportResultPage
        ctx={c.get('page')}
        structureId={structure.structureId}
        structureName={structure.structureName}
        fileName={fileName}
        result={result}
      />,
      result.ok ? 200 : 422,
    );
  });

  app.get('/activites/export', async (c) => {
    const auth = requireSession(c);
    if (auth instanceof Response) return auth;
    const structureId = structureOf(auth, c.req.query('structure'));
    const day = (field: string, name: string) => {
      const typed = (c.req.query(name) ?? '').trim();
      if (typed === '') return undefined;
      const parsed = parseDateInput(typed);
      if (parsed === null) throw new DomainError('invalid_input', badDay(field, typed));
      return parsed;
    };
    const format = c.req.query('format') === 'csv' ? 'csv' : 'xlsx';
    const from = day('Du', 'du');
    const to = day('Au', 'au');
    const file = await exportCoop(c.get('db'), auth.actor, { structureId, from, to, format });
    c.header('Content-Type', file.contentType);
    c.header('Content-Disposition', `attachment; filename="${file.fileName}"`);
    c.header('X-Content-Type-Options', 'nosniff');
    return c.body(file.body as Uint8Array<ArrayBuffer>);
  });

  return app;
}
