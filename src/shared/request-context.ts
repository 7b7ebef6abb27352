import { AsyncLocalStorage } from 'node:async_hooks';

/**
 * The request being served, for the log lines written while serving it (docs/decisions/0046): the
 * logger's mixin adds its id to every line, whichever module writes it, without passing it around.
 */
const store = new AsyncLocalStorage<{ requestId: string }>();

export function withRequestId<T>(requestId: string, work: () => T): T {
  return store.run({ requestId }, work);
}

/** The id of the request being served, or undefined outside a request (start-up, scheduled jobs). */
export function currentRequestId(): string | undefined {
  return store.getStore()?.requestId;
}
