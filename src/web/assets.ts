import { createHash } from 'node:crypto';
import fs from 'node:fs';
import { createRequire } from 'node:module';
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
  return makeAsset(file, fs.readFileSync(path.join(here, file)), type);
}

function makeAsset(file: string, body: Buffer, type: string): Asset {
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

/**
 * The interactive map (only on the results' map view, only when TILE_SERVER_URL is set): Leaflet's own
 * files from node_modules, each followed by ours (map-tiles.js builds the map from the SVG's data
 * attributes; map-tiles.css styles the numbered markers). One script and one stylesheet, from our origin.
 */
const require = createRequire(import.meta.url);
const leafletFile = (name: string) => fs.readFileSync(require.resolve(`leaflet/dist/${name}`), 'utf8');
const joined = (...parts: string[]) => Buffer.from(`${parts.map((p) => p.trimEnd()).join('\n\n')}\n`);

export const MAP_SCRIPT = makeAsset(
  'leaflet-map.js',
  // The source map is not served: its comment would make developer tools ask for it.
  joined(
    leafletFile('leaflet.js').replace(/\n\/\/# sourceMappingURL=[^\n]*\s*$/, ''),
    fs.readFileSync(path.join(here, 'map-tiles.js'), 'utf8'),
  ),
  'text/javascript; charset=utf-8',
);

export const MAP_STYLE = makeAsset(
  'leaflet-map.css',
  joined(leafletFile('leaflet.css'), fs.readFileSync(path.join(here, 'map-tiles.css'), 'utf8')),
  'text/css; charset=utf-8',
);

export const ASSETS: ReadonlyMap<string, Asset> = new Map([
  [STYLE.url, STYLE],
  [SCRIPT.url, SCRIPT],
  [MAP_SCRIPT.url, MAP_SCRIPT],
  [MAP_STYLE.url, MAP_STYLE],
]);
