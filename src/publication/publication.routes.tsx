import { type Context, Hono } from 'hono';
import { listOpenActivityData } from '../activities/open-data.service.ts';
import type { AppEnv } from '../http/app-env.ts';
import { publicActor } from '../http/auth.ts';
import { acceptedEncoding } from '../http/compression.ts';
import { isDomainError } from '../shared/domain-error.ts';
import { renderPage } from '../web/render.ts';
import { getPublicationFile, listPublicationFiles } from './publication.service.ts';
import { OpenDataPage } from './publication.views.tsx';

/**
 * The open-data files at stable addresses (docs/decisions/0054), served from the database with a strong
 * ETag and Last-Modified (304 when the client has them), already compressed; and the page listing them.
 */

/**
 * The ETag of the bytes sent: each content coding is its own representation (RFC 9110), so a compressed
 * copy's strong tag carries its coding ("<sha256>-gz", "<sha256>-br"); the plain file's is the hash.
 */
function etagOf(etag: string, encoding: string | null): string {
  if (!encoding) return etag;
  return etag.replace(/"$/, `-${encoding === 'gzip' ? 'gz' : 'br'}"`);
}

/**
 * Whether an If-None-Match header names this file (a list, `*`, weak forms compared weakly): any
 * coding's tag of the same content is current (a client asks again with the tag it was given).
 */
function matchesEtag(header: string, etag: string): boolean {
  return header
    .split(',')
    .map((tag) =>
      tag
        .trim()
        .replace(/^W\//, '')
        .replace(/-(gz|br)"$/, '"'),
    )
    .some((tag) => tag === '*' || tag === etag);
}

/** Whether the client's copy is current: If-None-Match first; If-Modified-Since only without it. */
function notModified(c: Context<AppEnv>, etag: string, generatedAt: Date): boolean {
  const ifNoneMatch = c.req.header('If-None-Match');
  if (ifNoneMatch !== undefined) return matchesEtag(ifNoneMatch, etag);
  const ifModifiedSince = c.req.header('If-Modified-Since');
  if (ifModifiedSince === undefined) return false;
  const since = Date.parse(ifModifiedSince);
  // HTTP dates have whole seconds.
  return !Number.isNaN(since) && Math.floor(generatedAt.getTime() / 1000) * 1000 <= since;
}

async function serveFile(c: Context<AppEnv>, name: string): Promise<Response> {
  const encoding = acceptedEncoding(c.req.header('Accept-Encoding'));
  const actor = publicActor(c);
  let file: Awaited<ReturnType<typeof getPublicationFile>>;
  try {
    // Headers first (no bytes), so that a 304 reads nothing large.
    file = await getPublicationFile(c.get('db'), actor, { name, encoding: null });
  } catch (error) {
    if (isDomainError(error) && error.code === 'unavailable') {
      const details = error.details as { retryAfterSeconds?: number } | null;
      c.header('Retry-After', String(details?.retryAfterSeconds ?? 300));
    }
    throw error;
  }
  c.header('ETag', etagOf(file.etag, encoding));
  c.header('Last-Modified', file.generatedAt.toUTCString());
  c.header('Cache-Control', 'public, max-age=300');
  c.header('Vary', 'Accept-Encoding');
  c.header('Access-Control-Allow-Origin', '*');
  if (notModified(c, file.etag, file.generatedAt)) return c.body(null, 304);
  const full = await getPublicationFile(c.get('db'), actor, { name, encoding: encoding ?? 'identity' });
  // Regenerated between the two reads: the headers must describe the bytes sent.
  c.header('ETag', etagOf(full.etag, encoding));
  c.header('Last-Modified', full.generatedAt.toUTCString());
  c.header('Content-Type', full.contentType);
  if (full.name.endsWith('.csv')) {
    c.header('Content-Disposition', `attachment; filename="${full.name.replace('/', '-')}"`);
  }
  if (encoding) c.header('Content-Encoding', encoding);
  const bytes = full.bytes ?? new Uint8Array();
  c.header('Content-Length', String(bytes.length));
  return c.body(new Uint8Array(bytes));
}

export function publicationRoutes(): Hono<AppEnv> {
  const app = new Hono<AppEnv>();

  app.get('/donnees', async (c) => {
    const files = await listPublicationFiles(c.get('db'), publicActor(c));
    const activityFiles = await listOpenActivityData(c.get('db'), publicActor(c), {
      territory: c.get('config').territory,
    });
    return renderPage(
      c,
      <OpenDataPage
        ctx={c.get('page')}
        files={files}
        networkName={c.get('config').networkName}
        territoryLabel={c.get('territoryLabel')}
        activityFiles={activityFiles}
      />,
    );
  });
  app.get('/donnees/data-inclusion/:file', (c) => serveFile(c, `data-inclusion/${c.req.param('file')}`));
  app.get('/donnees/:file', (c) => serveFile(c, c.req.param('file')));

  return app;
}
