import fs from 'node:fs';
import pg from 'pg';
import { NGINX } from './support/nginx.ts';
import { findFiles, runNodeTests } from './support/run-tests.ts';

// Several app servers behind a real nginx, one killed under load (docs/decisions/0047). Its own suite:
// it measures failures and delays, so it runs alone, not beside the other PostgreSQL test files. Needs
// DATABASE_URL (the test makes and drops its own database there) and Debian's nginx; fails loudly
// without either.
if (!process.env.DATABASE_URL) {
  process.stderr.write(
    'test:failover needs DATABASE_URL, e.g. DATABASE_URL=postgres://postgres@127.0.0.1:5432/test\n',
  );
  process.exit(1);
}
if (!fs.existsSync(NGINX)) {
  process.stderr.write(`test:failover needs nginx at ${NGINX} (Debian: apt-get install -y nginx)\n`);
  process.exit(1);
}
try {
  const client = new pg.Client({ connectionString: process.env.DATABASE_URL });
  await client.connect();
  await client.end();
} catch (error) {
  process.stderr.write(
    `test:failover cannot reach PostgreSQL at DATABASE_URL: ${(error as Error).message}\n`,
  );
  process.exit(1);
}
process.exitCode = runNodeTests(
  'test:failover',
  findFiles(['test/failover'], /\.failover\.test\.tsx?$/),
  {},
  {
    concurrency: 1,
  },
);
