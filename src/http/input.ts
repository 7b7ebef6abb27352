import type { Context, MiddlewareHandler } from 'hono';
import { DomainError } from '../shared/domain-error.ts';
import { cleanRawText, needsCleaning } from '../shared/text.ts';

/**
 * The one place where outside text is cleaned before any route reads it: every query parameter and
 * every field of a posted form go through `cleanRawText` (control characters and lone surrogates out),
 * so no handler ever passes a NUL byte to the database. A form body that cannot be read (a broken
 * multipart body) is a French 400, never an exception in a handler.
 */
export const UNREADABLE_FORM =
  'Le formulaire envoyé est illisible. Revenez à la page précédente, rechargez-la, puis recommencez.';
const BAD_ADDRESS = "Cette adresse n'est pas valide : elle contient des caractères interdits.";

/** Percent-encoded control characters (C0, DEL, C1 as UTF-8) and UTF-8 encodings of surrogates. */
const ENCODED_CONTROL = /%(?:[01][0-9a-f]|7f|c2%[89][0-9a-f]|ed%[ab][0-9a-f])/i;
const FORM_TYPES = /^(application\/x-www-form-urlencoded|multipart\/form-data)\b/i;

function cleanedQueryUrl(raw: string): string {
  const url = new URL(raw);
  const cleaned = new URLSearchParams();
  for (const [key, value] of url.searchParams) cleaned.append(cleanRawText(key), cleanRawText(value));
  url.search = cleaned.toString();
  return url.toString();
}

function cleanedForm(data: FormData): Promise<FormData> {
  const out = new FormData();
  const entries: [string, FormDataEntryValue][] = [];
  data.forEach((value, key) => {
    entries.push([key, value]);
  });
  for (const [key, value] of entries) {
    if (typeof value === 'string') out.append(cleanRawText(key), cleanRawText(value));
    else
      out.append(cleanRawText(key), value, needsCleaning(value.name) ? cleanRawText(value.name) : value.name);
  }
  return Promise.resolve(out);
}

export function cleanRequestInput(): MiddlewareHandler {
  return async (c, next) => {
    const url = c.req.url;
    const query = url.indexOf('?');
    const path = query === -1 ? url : url.slice(0, query);
    if (ENCODED_CONTROL.test(path)) throw new DomainError('invalid_input', BAD_ADDRESS);
    if (query !== -1 && ENCODED_CONTROL.test(url.slice(query))) {
      // HonoRequest reads its query parameters from `url`: this request's own value shadows the getter.
      Object.defineProperty(c.req, 'url', { value: cleanedQueryUrl(url) });
    }
    const type = c.req.header('Content-Type');
    if (c.req.method !== 'GET' && c.req.method !== 'HEAD' && type && FORM_TYPES.test(type)) {
      // Read errors (the body limit's 413) are not ours to turn into a 400.
      const bytes = await c.req.arrayBuffer();
      let data: FormData;
      try {
        data = await new Response(bytes, { headers: { 'Content-Type': type } }).formData();
      } catch {
        throw new DomainError('invalid_input', UNREADABLE_FORM);
      }
      // Hono's parseBody() reads this cache first: every handler gets the cleaned fields.
      // (The cache holds promises although its type says values.)
      (c.req.bodyCache as unknown as { formData?: Promise<FormData> }).formData = cleanedForm(data);
    }
    await next();
  };
}

/**
 * The text fields of a posted form, cleaned by `cleanRequestInput` before any handler reads them (a file
 * field is left out; a repeated field keeps its last value, as `parseBody` gives it).
 */
export async function formFields(c: Context): Promise<Record<string, string>> {
  const body = await c.req.parseBody();
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(body)) if (typeof v === 'string') out[k] = v;
  return out;
}
