import pino, { type Logger } from 'pino';

/** pino logger; the CLI and benchmarks log to stderr so that stdout carries only results. */
export function createLogger(level: string, destination: 'stdout' | 'stderr' = 'stdout'): Logger {
  return pino({ level, base: null }, pino.destination({ fd: destination === 'stderr' ? 2 : 1, sync: true }));
}
