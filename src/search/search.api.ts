import { createHash } from 'node:crypto';
import { type Context, Hono } from 'hono';
import type { AppEnv } from '../http/app-env.ts';
import type { Place } from '../places/places.service.ts';
import { placeToSchemaRow, SCHEMA_FIELDS } from '../places/places.ts';
import { DomainError } from '../shared/domain-error.ts';
import { OPENAPI_DOCUMENT } from './openapi.ts';
import type { OpeningStatus } from './opening.ts';
import { findIndexedPlace, searchPlaces } from './search.service.ts';
import { encodeCursor, paramsFromUrl, parseSearchQuery } from './search-query.ts';

const NUMBER_FIELDS = new Set(['latitude', 'longitude']);

/** A place as the API gives it: the national schema's fields (JSON-typed), with our stable `id`. */
/**
 * The national-schema part of a place's API item, serialised once per place object: the index builds new
 * place objects when the directory changes, so this cache never serves stale data and empties itself.
 * Measured under bench:search, building and serialising the 20 items of an answer was a third of its cost.
 */
const schemaJson = new WeakMap<Place, string>();

function schemaPartJson(place: Place): string {
  let json = schemaJson.get(place);
  if (json === undefined) {
    const row = placeToSchemaRow(place, place.sourceId, place.source);
    const item: Record<string, string | number | null> = { id: place.id, source_id: place.sourceId };
    for (const field of SCHEMA_FIELDS) {
      if (field === 'id') continue;
      const value = row[field];
      item[field] = NUMBER_FIELDS.has(field) ? (value === '' ? null : Number(value)) : value;
    }
    json = JSON.stringify(item);
    schemaJson.set(place, json);
  }
  return json;
}

/** One item of the API as JSON text: the national schema fields, our id, `distance_m`, `open_now`. */
export function placeToApiJson(
  place: Place,
  extra: { distanceM: number | null; status: OpeningStatus | null },
): string {
  const schema = schemaPartJson(place);
  return `${schema.slice(0, -1)},"distance_m":${extra.distanceM ?? 'null'},"open_now":${extra.status?.openNow ?? 'null'}}`;
}

/** JSON with a strong ETag; answers 304 when the client already has it. */
function jsonWithEtag(c: Context<AppEnv>, body: unknown, maxAge: number): Response {
  return jsonTextWithEtag(c, JSON.stringify(body), maxAge);
}

function jsonTextWithEtag(c: Context<AppEnv>, text: string, maxAge: number): Response {
  const etag = `"${createHash('sha1').update(text).digest('base64url')}"`;
  c.header('ETag', etag);
  c.header('Cache-Control', `public, max-age=${maxAge}`);
  if (c.req.header('If-None-Match') === etag) return c.body(null, 304);
  c.header('Content-Type', 'application/json; charset=utf-8');
  return c.body(text);
}

/** The public JSON API (`/api/v1`): the same search as the pages, documented in OpenAPI 3.1. */
export function searchApi(): Hono<AppEnv> {
  const app = new Hono<AppEnv>();

  // Open data: any site may read it (GET only; nothing here uses cookies).
  app.use(async (c, next) => {
    c.header('Access-Control-Allow-Origin', '*');
    if (c.req.method === 'OPTIONS') {
      c.header('Access-Control-Allow-Methods', 'GET, OPTIONS');
      c.header('Access-Control-Allow-Headers', 'If-None-Match');
      c.header('Access-Control-Max-Age', '86400');
      return c.body(null, 204);
    }
    await next();
  });

  app.get('/openapi.json', (c) => jsonWithEtag(c, OPENAPI_DOCUMENT, 3600));

  app.get('/lieux', async (c) => {
    const parsed = parseSearchQuery(paramsFromUrl(new URL(c.req.url)), 'api');
    if (!parsed.ok) {
      throw new DomainError('invalid_input', parsed.issues.map((i) => i.message).join(' '), {
        issues: parsed.issues,
      });
    }
    // The API takes positions and INSEE codes, never free text: no commune to disambiguate.
    const outcome = await searchPlaces(c.var.db, parsed.input);
    if (outcome.kind !== 'results') throw new Error('the API never searches by free text');
    const { input } = parsed;
    const items = outcome.hits.map((h) => placeToApiJson(h.place, { distanceM: h.distanceM, status: h }));
    const cursor = outcome.hasMore ? encodeCursor(input.offset + input.limit) : null;
    return jsonTextWithEtag(c, `{"data":[${items.join(',')}],"next_cursor":${JSON.stringify(cursor)}}`, 60);
  });

  app.get('/lieux/:id', async (c) => {
    const id = c.req.param('id');
    const found = /^[0-9a-f-]{36}$/i.test(id) ? await findIndexedPlace(c.var.db, id.toLowerCase()) : null;
    if (!found)
      throw new DomainError('not_found', "Ce lieu n'existe pas ou a été retiré de l'annuaire.", { id });
    return jsonTextWithEtag(c, placeToApiJson(found.place, { distanceM: null, status: found.status }), 60);
  });

  return app;
}
