import { HonoRequest } from 'hono/request';

/**
 * Records which query parameters and form fields the app reads while a request runs, so that a test can
 * send malformed values to exactly those (and notice a parameter it did not send). It wraps
 * HonoRequest's readers once for the process; outside `record()` they behave as before.
 */
interface Reads {
  query: Set<string>;
  form: Set<string>;
}

let current: Reads | null = null;
let installed = false;

const IGNORED = new Set(['then', 'toJSON', 'constructor', 'valueOf', 'toString']);

/** An object whose property reads are noted in `into` (the parsed query or form). */
function watched<T extends object>(value: T, into: Set<string>): T {
  return new Proxy(value, {
    get(target, key, receiver) {
      if (typeof key === 'string' && !IGNORED.has(key)) into.add(key);
      return Reflect.get(target, key, receiver);
    },
  });
}

function install(): void {
  if (installed) return;
  installed = true;
  const proto = HonoRequest.prototype as unknown as Record<string, (...args: unknown[]) => unknown>;
  const query = proto.query as (this: HonoRequest, key?: string) => unknown;
  const queries = proto.queries as (this: HonoRequest, key?: string) => unknown;
  const parseBody = proto.parseBody as (this: HonoRequest, options?: unknown) => Promise<object>;
  proto.query = function (this: HonoRequest, key?: unknown) {
    const value = query.call(this, key as string | undefined);
    if (!current) return value;
    if (typeof key === 'string') {
      current.query.add(key);
      return value;
    }
    return watched(value as object, current.query);
  };
  proto.queries = function (this: HonoRequest, key?: unknown) {
    const value = queries.call(this, key as string | undefined);
    if (!current) return value;
    if (typeof key === 'string') {
      current.query.add(key);
      return value;
    }
    return watched(value as object, current.query);
  };
  proto.parseBody = async function (this: HonoRequest, options?: unknown) {
    const value = await parseBody.call(this, options);
    return current ? watched(value, current.form) : value;
  };
}

/** Runs `fn` (one request at a time) and returns what the app read. */
export async function record<T>(
  fn: () => Promise<T>,
): Promise<{ result: T; query: string[]; form: string[] }> {
  install();
  const reads: Reads = { query: new Set(), form: new Set() };
  current = reads;
  try {
    const result = await fn();
    return { result, query: [...reads.query], form: [...reads.form] };
  } finally {
    current = null;
  }
}
