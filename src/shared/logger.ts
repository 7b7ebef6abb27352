import pino, { type Logger } from 'pino';

/**
 * pino logger; the CLI and benchmarks log to stderr so that stdout carries only results. A CLI run inside
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
  return pino({ level, base: null }, stream);
}
