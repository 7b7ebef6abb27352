import './shared/utc.ts';
import fs from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { accountsCommands } from './accounts/accounts.cli.ts';
import { privacyCommands } from './accounts/privacy.cli.ts';
import { communesCommands } from './communes/communes.cli.ts';
import { ConfigError, loadConfig } from './config.ts';
import { coverageCommands } from './coverage/coverage.cli.ts';
import { type DbHandle, openDatabase } from './db/create-db.ts';
import { dbCommands } from './db/db.cli.ts';
import { assertMigrated, migrate } from './db/migrate.ts';
import { demoCommands } from './demo/demo.cli.ts';
import { mapError } from './http/errors.ts';
import { jobsCommands } from './jobs/jobs.cli.ts';
import { placesCommands } from './places/places.cli.ts';
import { publicationCommands } from './publication/publication.cli.ts';
import { type CliCommand, type CliContext, UsageError } from './shared/cli-kit.ts';
import { isDomainError } from './shared/domain-error.ts';
import { createLogger } from './shared/logger.ts';
import { vouchersCommands } from './vouchers/vouchers.cli.ts';

/**
 * CLI entry: `npm run -s cli -- <domain> <command> [options]`. Dispatches to <domain>/<domain>.cli.ts.
 * stdout carries only results; logs (level warn by default) and progress go to stderr.
 */
const COMMANDS: CliCommand[] = [
  ...dbCommands,
  ...placesCommands,
  ...publicationCommands,
  ...communesCommands,
  ...demoCommands,
  ...coverageCommands,
  ...accountsCommands,
  ...jobsCommands,
  // --- further domains' commands: add below this line ---
  ...privacyCommands,
  ...vouchersCommands,
];

function helpText(): string {
  const lines = COMMANDS.map((c) => `  ${c.usage}\n      ${c.summary}`);
  return [
    'Utilisation : npm run -s cli -- <commande> [options]',
    '',
    'Commandes :',
    ...lines,
    '',
    'Options communes : --format json (résultat en JSON), --debug (détails techniques des erreurs), --help',
  ].join('\n');
}

/**
 * What a run of the CLI talks to: the process's environment, streams and signals, or a test's. Tests run
 * commands in their own process this way; what only a real process shows (exit status, nothing else on
 * stdout) keeps a process test.
 */
export interface CliIo {
  env: Record<string, string | undefined>;
  stdout(text: string): void;
  stderr(text: string): void;
  stderrIsTty: boolean;
  /** Registers what to do on SIGINT/SIGTERM (close the database) while a command runs. */
  onInterrupt(close: () => Promise<void>): void;
}

const processIo: CliIo = {
  env: process.env,
  stdout: (text) => process.stdout.write(text),
  stderr: (text) => process.stderr.write(text),
  stderrIsTty: Boolean(process.stderr.isTTY),
  onInterrupt(close) {
    process.once('SIGINT', () => void close().finally(() => process.exit(130)));
    process.once('SIGTERM', () => void close().finally(() => process.exit(143)));
  },
};

/** Runs one command line; resolves with its exit code. */
export async function runCli(argv: string[], io: CliIo = processIo): Promise<number> {
  const debug = argv.includes('--debug');
  const json = argv.some((a, i) => (a === '--format' && argv[i + 1] === 'json') || a === '--format=json');
  const fail = (
    code: number,
    error: { code: string; message: string; details?: unknown },
    stack?: string,
  ) => {
    if (json) io.stdout(`${JSON.stringify({ error: { details: null, ...error } })}\n`);
    io.stderr(`Erreur : ${error.message}\n`);
    if (debug && stack) io.stderr(`${stack}\n`);
    return code;
  };

  const words = argv.filter((a) => !a.startsWith('-'));
  if (argv.length === 0 || argv[0] === '--help' || argv[0] === 'help') {
    io.stdout(`${helpText()}\n`);
    return argv.length === 0 ? 2 : 0;
  }
  const command = COMMANDS.find((c) => c.name === words.slice(0, 2).join(' '));
  if (!command) {
    io.stderr(`Commande inconnue : « ${words.slice(0, 2).join(' ')} ».\n\n${helpText()}\n`);
    return 2;
  }
  const rest = argv.slice(argv.indexOf(words[1] as string) + 1);
  let parsed: ReturnType<typeof parseArgs>;
  try {
    parsed = parseArgs({
      args: rest,
      options: {
        ...command.options,
        format: command.options.format ?? { type: 'string' },
        debug: { type: 'boolean' },
        help: { type: 'boolean' },
      },
      allowPositionals: true,
      strict: true,
    });
  } catch (error) {
    io.stderr(`${(error as Error).message}\n\nUtilisation : ${command.usage}\n`);
    return 2;
  }
  if (parsed.values.help) {
    io.stdout(`Utilisation : ${command.usage}\n${command.summary}\n`);
    return 0;
  }

  let config: ReturnType<typeof loadConfig>;
  try {
    config = loadConfig(io.env, { logLevel: 'warn' });
  } catch (error) {
    if (error instanceof ConfigError) return fail(1, { code: 'invalid_config', message: error.message });
    throw error;
  }
  const logger = createLogger(config.logLevel, io === processIo ? 'stderr' : { write: io.stderr });
  let handle: DbHandle | null = null;
  const ctx: CliContext = {
    config,
    logger,
    json,
    out: io.stdout,
    err: io.stderr,
    stderrIsTty: io.stderrIsTty,
    async open() {
      if (handle) return handle;
      handle = await openDatabase(config);
      if (command.needsMigratedDb) {
        if (handle.kind === 'embedded') await migrate(handle.db);
        else await assertMigrated(handle.db);
      }
      return handle;
    },
  };
  const closeDb = async () => {
    const h = handle as DbHandle | null;
    handle = null;
    await h?.close();
  };
  io.onInterrupt(closeDb);
  try {
    return await command.run(ctx, {
      positionals: parsed.positionals,
      values: parsed.values as Record<string, string | boolean | undefined>,
    });
  } catch (error) {
    if (error instanceof UsageError) {
      io.stderr(`${error.message}\n\nUtilisation : ${command.usage}\n`);
      return 2;
    }
    const mapped = mapError(error);
    if (!isDomainError(error)) logger.error({ err: error }, 'command failed');
    return fail(1, mapped.body.error, (error as Error)?.stack);
  } finally {
    await closeDb();
  }
}

// Run as the entry point (`tsx src/cli.ts …`), not when a test imports runCli. Real paths, so that a
// checkout reached through a symbolic link still runs.
const entry = process.argv[1];
if (entry && fs.realpathSync(entry) === fs.realpathSync(fileURLToPath(import.meta.url))) {
  runCli(process.argv.slice(2)).then(
    (code) => {
      process.exitCode = code;
    },
    (error) => {
      process.stderr.write(`Erreur inattendue : ${(error as Error)?.message}\n`);
      process.exitCode = 1;
    },
  );
}
