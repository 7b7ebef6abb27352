import pino, { type Logger } from 'pino';
import { currentRequestId } from './request-context.ts';

/**
 * pino logger; every line written while a request is served carries its id (`reqId`). The CLI and benchmarks log to stderr so that stdout carries only results. A CLI run inside
 * a test gives its own stream.
 */
export function createLogger(
  level: string,
  destination: 'stdout' | 'stderr' | { write(line: string): void } = 'stdout',
): Logger {
  const stream =
    typeof destination === 'object'
      ? destination
      : pino.destination({ fd: destination === 'stderr' ? 2 : 1, sync: true });
  return pino(
    {
      level,
      base: null,
      mixin() {
        const reqId = currentRequestId();
        return reqId === undefined ? {} : { reqId };
      },
    },
    stream,
  );
}
