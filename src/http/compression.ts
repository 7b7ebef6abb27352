import { promisify } from 'node:util';
import { brotliCompress, brotliCompressSync, constants, gzip, gzipSync } from 'node:zlib';
import type { Context, MiddlewareHandler } from 'hono';

const gzipAsync = promisify(gzip);
const brotliAsync = promisify(brotliCompress);

const COMPRESSIBLE = /^(text\/|application\/(json|javascript|xml|geo\+json)|image\/svg\+xml)/;
const MIN_BYTES = 1024;
/**
 * Below this size a body is compressed on the main thread: measured here, brotli q4 on an 8 KB answer
 * costs ~50 µs, less than the hop to libuv's thread pool and back, which halved the throughput of the
 * stack's ceiling (bench:search). Larger bodies (exports, GeoJSON) go to the thread pool.
 */
const SYNC_MAX_BYTES = 64 * 1024;
/**
 * Measured on this machine (2,000 runs each): a results page of 6.1 KB takes 45–64 µs at quality 1
 * for 2,005 bytes, 101–108 µs at quality 3 for 1,902 bytes; an API answer of 18 KB takes 53 µs at
 * quality 1 for 2,018 bytes, 150–170 µs at quality 3 for 1,802 bytes. About a hundred bytes more for half
 * the CPU of every answer that is not already cached.
 */
const BROTLI_QUALITY = 1;

/**
 * Compressed bodies of responses that carry a strong ETag (the API's answers), by ETag and encoding: the
 * same answer is compressed at most twice (see remember). Small and bounded (least recently used out first).
 */
const CACHE_ENTRIES = 512;
const compressedByEtag = new Map<string, Buffer<ArrayBuffer>>();

function cached(key: string): Buffer<ArrayBuffer> | undefined {
  const hit = compressedByEtag.get(key);
  if (hit) {
    compressedByEtag.delete(key);
    compressedByEtag.set(key, hit);
  }
  return hit;
}

/**
 * Answers are kept only from their second request, when the first one is still remembered: an answer
 * asked for once (a position nobody else sends) would push out useful entries and, kept for a fraction
 * of a second, live long enough to reach the old generation. Measured under bench:search (5,000 points,
 * 12 s): keeping every answer cost 12–14 full collections and a p99 of 104–155 ms; without any cache,
 * 4–5 and 56–60 ms; with this admission, 6–8 full collections and about 5 % less CPU per answer. A fixed
 * table of 32-bit fingerprints (2 × CACHE_ENTRIES slots) remembers the answers seen lately, without
 * allocating.
 */
const SEEN_SLOTS = 1024;
const seen = new Uint32Array(SEEN_SLOTS);

/** Whether `key` was seen recently (and remembers it): FNV-1a, slot from its low bits. */
function seenBefore(key: string): boolean {
  let hash = 0x811c9dc5;
  for (let i = 0; i < key.length; i++) hash = Math.imul(hash ^ key.charCodeAt(i), 0x01000193);
  hash = hash >>> 0 || 1;
  const slot = hash & (SEEN_SLOTS - 1);
  if (seen[slot] === hash) return true;
  seen[slot] = hash;
  return false;
}

function remember(key: string, body: Buffer<ArrayBuffer>): void {
  if (!seenBefore(key)) return;
  compressedByEtag.set(key, body);
  if (compressedByEtag.size > CACHE_ENTRIES) {
    const oldest = compressedByEtag.keys().next().value;
    if (oldest !== undefined) compressedByEtag.delete(oldest);
  }
}

/**
 * The smallest brotli window that holds the whole body (the encoder keeps the window's ring buffer): the
 * default, 4 MB, is allocated and cleared for every answer of a few kilobytes. Measured on an 18 KB API
 * answer at quality 1: 37 µs with the default window, 29 µs with 32 KB, for the same size.
 */
function windowBits(bytes: number): number {
  const bits = Math.ceil(Math.log2(bytes + 16));
  return Math.min(constants.BROTLI_MAX_WINDOW_BITS, Math.max(constants.BROTLI_MIN_WINDOW_BITS, bits));
}

type Encoding = 'br' | 'gzip';

/** The encoding to answer with, from a request's Accept-Encoding: brotli first, then gzip, else none. */
export function acceptedEncoding(header: string | undefined): Encoding | null {
  const accept = header ?? '';
  return /\bbr\b/.test(accept) ? 'br' : /\bgzip\b/.test(accept) ? 'gzip' : null;
}

/**
 * The body of responses built by our own helpers (pages, API answers), by response: text, or bytes
 * already encoded in UTF-8. Reading a body back through `Response.arrayBuffer()` goes through web streams
 * and, under @hono/node-server, turns its lightweight response into a full one: measured under
 * bench:search, that was a fifth of an API answer's cost. Responses not registered here are read the
 * standard way.
 */
const rawBodies = new WeakMap<Response, string | Buffer<ArrayBuffer>>();

/** Registers the body of a response we built, so that compression need not read it back. */
export function withRawBody(res: Response, body: string | Buffer<ArrayBuffer>): Response {
  rawBodies.set(res, body);
  return res;
}

/**
 * Replaces the context's response. Hono's `c.res` setter, when a response is already set, rebuilds the
 * new one from its body stream and copies the old headers over it (which forces a full web-streams
 * response); clearing it first makes the assignment a plain one. The new response carries every header
 * already, copied from the old one.
 */
function replaceResponse(c: Context, res: Response): void {
  c.res = undefined as unknown as Response;
  c.res = res;
}

/**
 * A strong-ETag answer (the API's): 304 when the client has it; otherwise the compressed bytes cached
 * for this ETag when there are some, without building the body; otherwise `build()` (text, or UTF-8
 * bytes), which the compression middleware then compresses and caches. The ETag must identify the
 * body's bytes.
 */
export function etagResponse(
  c: Context,
  options: {
    etag: string;
    contentType: string;
    cacheControl: string;
    build: () => string | Buffer<ArrayBuffer>;
  },
): Response {
  c.header('ETag', options.etag);
  c.header('Cache-Control', options.cacheControl);
  if (c.req.header('If-None-Match') === options.etag) return c.body(null, 304);
  c.header('Content-Type', options.contentType);
  const encoding = acceptedEncoding(c.req.header('Accept-Encoding'));
  const hit = encoding ? cached(`${options.etag}|${encoding}`) : undefined;
  if (hit) {
    c.header('Content-Encoding', encoding as Encoding);
    c.header('Vary', 'Accept-Encoding', { append: true });
    c.header('Content-Length', String(hit.length));
    return c.body(hit);
  }
  const body = options.build();
  return withRawBody(c.body(body), body);
}

/**
 * Compresses dynamic responses with brotli quality 1 or gzip level 6: the library defaults (brotli 11)
 * cost far more CPU than they save bytes on pages generated per request.
 */
export function compression(): MiddlewareHandler {
  return async (c, next) => {
    await next();
    const res = c.res;
    if (res.headers.has('Content-Encoding') || res.status === 304 || c.req.method === 'HEAD') return;
    const type = res.headers.get('Content-Type') ?? '';
    if (!COMPRESSIBLE.test(type)) return;
    const encoding = acceptedEncoding(c.req.header('Accept-Encoding'));
    if (!encoding) return;
    const raw = rawBodies.get(res);
    if (raw === undefined && !res.body) return;
    const body =
      raw === undefined
        ? Buffer.from(await res.arrayBuffer())
        : typeof raw === 'string'
          ? Buffer.from(raw)
          : raw;
    res.headers.append('Vary', 'Accept-Encoding');
    if (body.length < MIN_BYTES) {
      if (raw === undefined)
        replaceResponse(c, new Response(body, { status: res.status, headers: res.headers }));
      return;
    }
    const brotliOptions = {
      params: {
        [constants.BROTLI_PARAM_QUALITY]: BROTLI_QUALITY,
        [constants.BROTLI_PARAM_SIZE_HINT]: body.length,
        [constants.BROTLI_PARAM_LGWIN]: windowBits(body.length),
      },
    };
    const small = body.length <= SYNC_MAX_BYTES;
    const etag = res.headers.get('ETag');
    const key = etag?.startsWith('"') && small ? `${etag}|${encoding}` : null;
    const compressed =
      (key ? cached(key) : undefined) ??
      (encoding === 'br'
        ? small
          ? brotliCompressSync(body, brotliOptions)
          : await brotliAsync(body, brotliOptions)
        : small
          ? gzipSync(body, { level: 6 })
          : await gzipAsync(body, { level: 6 }));
    if (key) remember(key, compressed);
    const headers = new Headers(res.headers);
    headers.set('Content-Encoding', encoding);
    headers.set('Content-Length', String(compressed.length));
    replaceResponse(c, new Response(compressed, { status: res.status, headers }));
  };
}
