import { createHash, hash } from 'node:crypto';
import { type Context, Hono, type MiddlewareHandler } from 'hono';
import type { AppEnv } from '../http/app-env.ts';
import { publicActor } from '../http/auth.ts';
import { etagResponse } from '../http/compression.ts';
import type { Place } from '../places/places.service.ts';
import { placeToSchemaRow, SCHEMA_FIELDS } from '../places/places.ts';
import { DomainError } from '../shared/domain-error.ts';
import { countUsage } from '../usage/usage-counter.ts';
import { OPENAPI_DOCUMENT } from './openapi.ts';
import type { OpeningStatus } from './opening.ts';
import { findIndexedPlace, searchPlaces } from './search.service.ts';
import { encodeCursor, parseSearchQuery } from './search-query.ts';

const NUMBER_FIELDS = new Set(['latitude', 'longitude']);

/**
 * The national-schema part of a place's API item, serialised once per place object, with the hash of
 * that text: the index builds new place objects when the directory changes, so this cache never serves
 * stale data and empties itself. Measured under bench:search, building and serialising the 20 items of
 * an answer was a third of its cost, hashing the whole answer for its ETag another tenth. The text is
 * kept encoded in UTF-8, without its closing brace (the per-request fields follow): an answer is then
 * copied together from these bytes instead of being built as a string and encoded again (bench:search).
 */
interface SchemaPart {
  head: Buffer;
  hash: string;
}

const schemaJson = new WeakMap<Place, SchemaPart>();

function schemaPart(place: Place): SchemaPart {
  let part = schemaJson.get(place);
  if (part === undefined) {
    const row = placeToSchemaRow(place, place.sourceId, place.source);
    const item: Record<string, string | number | null> = { id: place.id, source_id: place.sourceId };
    for (const field of SCHEMA_FIELDS) {
      if (field === 'id') continue;
      const value = row[field];
      item[field] = NUMBER_FIELDS.has(field) ? (value === '' ? null : Number(value)) : value;
    }
    const json = JSON.stringify(item);
    part = {
      head: Buffer.from(json.slice(0, -1)),
      hash: createHash('sha1').update(json).digest('base64url'),
    };
    schemaJson.set(place, part);
  }
  return part;
}

interface ItemExtra {
  distanceM: number | null;
  status: OpeningStatus | null;
}

function extraJson(extra: ItemExtra): string {
  return `"distance_m":${extra.distanceM ?? 'null'},"open_now":${extra.status?.openNow ?? 'null'}`;
}

/**
 * Items of the API as JSON, between `before` and `after`, in one buffer: each item is the national
 * schema fields with our id, then `distance_m` and `open_now`; items are separated by commas.
 */
function itemsJson(
  items: { place: Place; extra: ItemExtra }[],
  before: string,
  after: string,
): Buffer<ArrayBuffer> {
  const heads = items.map((i) => schemaPart(i.place).head);
  // The rest of each item, and the comma before the next one.
  const tails = items.map((i, index) => `,${extraJson(i.extra)}}${index < items.length - 1 ? ',' : ''}`);
  let length = Buffer.byteLength(before) + Buffer.byteLength(after);
  for (let index = 0; index < items.length; index++)
    length += (heads[index] as Buffer).length + Buffer.byteLength(tails[index] as string);
  const out = Buffer.allocUnsafe(length);
  let at = out.write(before, 0);
  for (let index = 0; index < items.length; index++) {
    at += (heads[index] as Buffer).copy(out, at);
    at += out.write(tails[index] as string, at);
  }
  out.write(after, at);
  return out;
}

/**
 * The body's format, part of every ETag of the places' answers: change it when the JSON around the items
 * or the items' extra fields change shape.
 */
const FORMAT = 'lieux-1';

/**
 * A strong ETag of the answer made of these items, computed from each place's cached hash and the
 * per-request values instead of from the whole text: the same bytes always get the same ETag, on every
 * app server.
 */
function itemsEtag(items: { place: Place; extra: ItemExtra }[], tail: string): string {
  // One text hashed at once (the same digest as feeding the pieces one by one, for a fraction of the cost).
  let text = FORMAT;
  for (const { place, extra } of items) text += `|${schemaPart(place).hash}${extraJson(extra)}`;
  return `"${hash('sha1', `${text}|${tail}`, 'base64url')}"`;
}

/** The OpenAPI document as served: it never changes while the server runs. */
const OPENAPI_TEXT = JSON.stringify(OPENAPI_DOCUMENT);
const OPENAPI_ETAG = `"${createHash('sha1').update(OPENAPI_TEXT).digest('base64url')}"`;

function jsonResponse(
  c: Context<AppEnv>,
  etag: string,
  maxAge: number,
  build: () => string | Buffer<ArrayBuffer>,
): Response {
  return etagResponse(c, {
    etag,
    contentType: 'application/json; charset=utf-8',
    cacheControl: `public, max-age=${maxAge}`,
    build,
  });
}

/** The public read routes of the API, under /api/v1 (cross-origin reads allowed). */
export const PUBLIC_READ_PATHS = ['/lieux', '/lieux/*', '/openapi.json'] as const;

/** The public JSON API (`/api/v1`): the same search as the pages, documented in OpenAPI 3.1. */
export function searchApi(): Hono<AppEnv> {
  const app = new Hono<AppEnv>();

  // Open data: any site may read it (GET only; nothing here uses cookies). Only the public read routes:
  // other routes under /api/v1 (orientations) are for signed-in members and must not be readable cross-site.
  const openData: MiddlewareHandler<AppEnv> = async (c, next) => {
    c.header('Access-Control-Allow-Origin', '*');
    if (c.req.method === 'OPTIONS') {
      c.header('Access-Control-Allow-Methods', 'GET, OPTIONS');
      c.header('Access-Control-Allow-Headers', 'If-None-Match');
      c.header('Access-Control-Max-Age', '86400');
      return c.body(null, 204);
    }
    await next();
  };
  for (const path of PUBLIC_READ_PATHS) app.use(path, openData);

  app.get('/openapi.json', (c) => jsonResponse(c, OPENAPI_ETAG, 3600, () => OPENAPI_TEXT));

  app.get('/lieux', async (c) => {
    const parsed = parseSearchQuery(c.req.queries(), 'api');
    if (!parsed.ok) {
      throw new DomainError('invalid_input', parsed.issues.map((i) => i.message).join(' '), {
        issues: parsed.issues,
      });
    }
    // The API takes positions and INSEE codes, never free text: no commune to disambiguate.
    const outcome = await searchPlaces(c.get('db'), publicActor(c), parsed.input, {
      scope: c.get('config').publicScope,
    });
    if (outcome.kind !== 'results') throw new Error('the API never searches by free text');
    const { input } = parsed;
    // A search is counted once, on its first page (a cursor continues the same search).
    if (input.offset === 0) countUsage('search');
    const items = outcome.hits.map((h) => ({ place: h.place, extra: { distanceM: h.distanceM, status: h } }));
    const cursor = JSON.stringify(outcome.hasMore ? encodeCursor(input.offset + input.limit) : null);
    return jsonResponse(c, itemsEtag(items, cursor), 60, () =>
      itemsJson(items, '{"data":[', `],"next_cursor":${cursor}}`),
    );
  });

  app.get('/lieux/:id', async (c) => {
    const id = c.req.param('id');
    const found = /^[0-9a-f-]{36}$/i.test(id)
      ? await findIndexedPlace(
          c.get('db'),
          publicActor(c),
          { id: id.toLowerCase() },
          { scope: c.get('config').publicScope },
        )
      : null;
    if (!found)
      throw new DomainError('not_found', "Ce lieu n'existe pas ou a été retiré de l'annuaire.", { id });
    const item = { place: found.place, extra: { distanceM: null, status: found.status } };
    return jsonResponse(c, itemsEtag([item], 'one'), 60, () => itemsJson([item], '', ''));
  });

  return app;
}
