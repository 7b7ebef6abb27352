import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';

/**
 * Static assets: read once at start, fingerprinted (long cache) and pre-compressed (gzip level 9 is fine
 * here: it runs once, not per request).
 */
export interface Asset {
  url: string;
  body: Buffer;
  gzip: Buffer;
  brotli: Buffer;
  type: string;
  etag: string;
}

const here = path.dirname(fileURLToPath(import.meta.url));

function loadAsset(file: string, type: string): Asset {
  const body = fs.readFileSync(path.join(here, file));
  const hash = createHash('sha256').update(body).digest('hex').slice(0, 12);
  const ext = path.extname(file);
  const base = path.basename(file, ext);
  return {
    url: `/static/${base}.${hash}${ext}`,
    body,
    gzip: gzipSync(body, { level: 9 }),
    brotli: brotliCompressSync(body, { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } }),
    type,
    etag: `"${hash}"`,
  };
}

export const STYLE = loadAsset('style.css', 'text/css; charset=utf-8');

/** The one script: enhancements only ("autour de moi", print buttons, focus); every page works without it. */
export const SCRIPT = loadAsset('enhance.js', 'text/javascript; charset=utf-8');

export const ASSETS: ReadonlyMap<string, Asset> = new Map([
  [STYLE.url, STYLE],
  [SCRIPT.url, SCRIPT],
]);
