import './shared/utc.ts';
import { serve } from '@hono/node-server';
import { createApp } from './app.tsx';
import { ConfigError, loadConfig } from './config.ts';
import { type DbHandle, openDatabase } from './db/create-db.ts';
import { assertMigrated, migrate } from './db/migrate.ts';
import { demoAccountsBlockStart, seedDemoIfFresh } from './demo/demo.service.ts';
import { startJobRunner } from './jobs/jobs.service.ts';
import { isDomainError } from './shared/domain-error.ts';
import { createLogger } from './shared/logger.ts';

/**
 * Composition root: config → database → migrations (embedded) → demonstration data (first start of an
 * empty embedded database only) → app → listen. The server listens only once all that is done, so
 * /healthz answering means started (/readyz says whether it can serve now). SIGTERM/SIGINT stop accepting
 * requests, stop the job runner, close the database and exit 0 within 5 s; an unhandled rejection or
 * uncaught exception is logged, then the same clean stop, exit 1 (docs/decisions/0046).
 */
const SHUTDOWN_DEADLINE_MS = 4_500;

/** The server's start acts as the system: whoever starts it holds the database (docs/decisions/0023). */
const SYSTEM = { kind: 'system' } as const;

async function start(): Promise<void> {
  let config: ReturnType<typeof loadConfig>;
  try {
    config = loadConfig();
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`${error.message}\n`);
      process.exit(1);
    }
    throw error;
  }
  const logger = createLogger(config.logLevel);
  let handle: DbHandle;
  try {
    handle = await openDatabase({
      ...config,
      pool: { max: config.databasePoolMax, statementTimeoutMs: config.statementTimeoutMs },
    });
    if (handle.kind === 'embedded') {
      const applied = await migrate(handle.db);
      if (applied.length) logger.info({ applied }, 'migrations applied');
      // Demonstration data and accounts only in demonstration mode (loopback, or DEMO=1 on a private
      // network): their password is published, so never on an address the public can reach.
      const seeded = config.demoMode
        ? await seedDemoIfFresh(handle.db, SYSTEM, { mergeReviewBelow: config.mergeReviewBelow })
        : 0;
      if (seeded) logger.info({ places: seeded }, 'demonstration data seeded');
      // A new folder's engine keeps initdb's memory and what migrating and seeding grew: opened again,
      // the server serves with the memory of any later start (docs/decisions/0049).
      if (applied.length || seeded) handle = await handle.reopen();
    } else {
      await assertMigrated(handle.db);
    }
    const refusal = await demoAccountsBlockStart(handle.db, SYSTEM, config);
    if (refusal) {
      process.stderr.write(`Erreur : ${refusal}\n`);
      await handle.close();
      process.exit(1);
    }
  } catch (error) {
    if (isDomainError(error)) {
      process.stderr.write(`Erreur : ${error.message}\n`);
      process.exit(1);
    }
    throw error;
  }
  if (!config.smtpUrl && !config.demoMode) {
    logger.warn(
      'SMTP_URL is not set: mails (invitations, sign-in links, orientations) stay in the outbox and are NOT delivered',
    );
  }
  if (config.publicUrl.startsWith('http://') && config.publicUrlIsPublic) {
    logger.warn(
      { publicUrl: config.publicUrl },
      'PUBLIC_URL is plain http on a public address: cookies are sent without Secure and no HSTS header is sent; serve Maillage over https (a reverse proxy with TLS) and set PUBLIC_URL to its https address',
    );
  }
  if (config.networkContactIsDefault) {
    logger.warn('NETWORK_CONTACT is not set: pages show the demonstration contact of the network');
  }

  const app = createApp({ db: handle.db, config, logger, pool: handle.pool });
  // Reminders, mail retries and purges run in-process (one leader among app servers).
  const stopJobs = startJobRunner(
    handle.db,
    SYSTEM,
    { kind: handle.kind },
    { config, logger, intervalMs: config.jobsTickSeconds * 1000 },
  );
  const server = serve({ fetch: app.fetch, hostname: config.host, port: config.port }, (info) => {
    logger.info({ url: config.publicUrl, port: info.port }, 'listening');
    process.stderr.write(`Maillage est prêt : ${config.publicUrl}\n`);
  });
  server.on('error', async (error: NodeJS.ErrnoException) => {
    process.stderr.write(
      error.code === 'EADDRINUSE'
        ? `Erreur : le port ${config.port} est déjà utilisé. Choisissez-en un autre avec PORT.\n`
        : `Erreur : ${error.message}\n`,
    );
    await handle.close();
    process.exit(1);
  });

  let stopping = false;
  const stop = (signal: string, exitCode = 0) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'stopping');
    const deadline = setTimeout(() => {
      logger.error('shutdown deadline reached, exiting');
      process.exit(1);
    }, SHUTDOWN_DEADLINE_MS);
    deadline.unref();
    const closeDb = () =>
      stopJobs()
        .then(() => handle.close())
        .then(() => process.exit(exitCode))
        .catch((error) => {
          logger.error({ err: error }, 'closing the database failed');
          process.exit(1);
        });
    // Stop accepting, let requests in flight finish (2 s at most), then close the database.
    server.close(() => void closeDb());
    const http = server as unknown as { closeIdleConnections?: () => void; closeAllConnections?: () => void };
    http.closeIdleConnections?.();
    setTimeout(() => http.closeAllConnections?.(), 2_000).unref();
  };
  process.on('SIGTERM', () => stop('SIGTERM'));
  process.on('SIGINT', () => stop('SIGINT'));
  // A bug that escaped every handler: the process's state is unknown, so it is logged and the server
  // stops (cleanly, the database closed) with a failure code for the supervisor to restart it.
  process.on('unhandledRejection', (reason) => {
    logger.fatal({ err: reason }, 'unhandled promise rejection');
    stop('unhandledRejection', 1);
  });
  process.on('uncaughtException', (error) => {
    logger.fatal({ err: error }, 'uncaught exception');
    stop('uncaughtException', 1);
  });
}

await start();
