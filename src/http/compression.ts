import { promisify } from 'node:util';
import { brotliCompress, brotliCompressSync, constants, gzip, gzipSync } from 'node:zlib';
import type { MiddlewareHandler } from 'hono';

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
 * Measured on a results page (8.4 KB of HTML): quality 3 takes 52 µs for 2,528 bytes, quality 4 takes
 * 142 µs for 2,395 bytes. Five per cent more bytes for a third of the CPU.
 */
const BROTLI_QUALITY = 3;

/**
 * Compressed bodies of responses that carry a strong ETag (the API's answers), by ETag and encoding: the
 * same answer is compressed once. Small and bounded (least recently used out first).
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

function remember(key: string, body: Buffer<ArrayBuffer>): void {
  compressedByEtag.set(key, body);
  if (compressedByEtag.size > CACHE_ENTRIES) {
    const oldest = compressedByEtag.keys().next().value;
    if (oldest !== undefined) compressedByEtag.delete(oldest);
  }
}

/**
 * Compresses dynamic responses with brotli quality 3 or gzip level 6: the library defaults (brotli 11)
 * cost far more CPU than they save bytes on pages generated per request.
 */
export function compression(): MiddlewareHandler {
  return async (c, next) => {
    await next();
    const res = c.res;
    if (res.headers.has('Content-Encoding') || !res.body || c.req.method === 'HEAD') return;
    const type = res.headers.get('Content-Type') ?? '';
    if (!COMPRESSIBLE.test(type)) return;
    const accept = c.req.header('Accept-Encoding') ?? '';
    const encoding = /\bbr\b/.test(accept) ? 'br' : /\bgzip\b/.test(accept) ? 'gzip' : null;
    if (!encoding) return;
    const body = Buffer.from(await res.arrayBuffer());
    const headers = new Headers(res.headers);
    headers.append('Vary', 'Accept-Encoding');
    if (body.length < MIN_BYTES) {
      c.res = new Response(body, { status: res.status, headers });
      return;
    }
    const brotliOptions = {
      params: {
        [constants.BROTLI_PARAM_QUALITY]: BROTLI_QUALITY,
        [constants.BROTLI_PARAM_SIZE_HINT]: body.length,
      },
    };
    const small = body.length <= SYNC_MAX_BYTES;
    const etag = res.headers.get('ETag');
    const key = etag?.startsWith('"') && small ? `${etag}|${encoding}|${body.length}` : null;
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
    headers.set('Content-Encoding', encoding);
    headers.set('Content-Length', String(compressed.length));
    c.res = new Response(compressed, { status: res.status, headers });
  };
}
