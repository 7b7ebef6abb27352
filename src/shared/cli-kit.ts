import type { ParseArgsConfig } from 'node:util';
import type { Logger } from 'pino';
import type { Config } from '../config.ts';
import type { DbHandle } from '../db/create-db.ts';

/**
 * What every CLI command receives. Results go to `out` (stdout) only; logs and progress go to stderr.
 * Exit codes: 0 done (even with rejected rows), 1 file-level or runtime failure, 2 usage error.
 */
export interface CliContext {
  config: Config;
  logger: Logger;
  json: boolean;
  out(text: string): void;
  /** Progress and human messages that are not results (stderr). */
  err(text: string): void;
  stderrIsTty: boolean;
  /**
   * Opens the database once: an embedded one is migrated first; on PostgreSQL pending migrations are
   * refused (unless the command manages migrations itself). Closed by cli.ts.
   */
  open(): Promise<DbHandle>;
}

export class UsageError extends Error {
  override name = 'UsageError';
}

export interface CliCommand {
  /** e.g. "places import" */
  name: string;
  usage: string;
  summary: string;
  options: NonNullable<ParseArgsConfig['options']>;
  /** Does it need a migrated database (all but `db migrate`, `db backup`, `db restore`)? */
  needsMigratedDb: boolean;
  run(
    ctx: CliContext,
    args: { positionals: string[]; values: Record<string, string | boolean | undefined> },
  ): Promise<number>;
}

/** A small progress bar on stderr, only when a person watches (TTY) and the work is long. */
export function progressBar(ctx: CliContext, label: string): (done: number, total: number) => void {
  if (!ctx.stderrIsTty) return () => {};
  return (done, total) => {
    if (total < 2000) return;
    const width = 30;
    const filled = Math.round((done / total) * width);
    ctx.err(
      `\r${label} [${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${done}/${total}${done >= total ? '\n' : ''}`,
    );
  };
}
