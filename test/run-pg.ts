import pg from 'pg';
import { findFiles, runNodeTests, usesTestDatabase } from './support/run-tests.ts';
import { createPgDemoTemplate, createPgTemplate, databaseUrlFor } from './support/test-db.ts';

// The integration suite on PostgreSQL. DATABASE_URL is required (fails loudly without it); a migrated
// template database is created for this run, and a second one with the demonstration seeded
// (createDemoTestDb); each test copies one, everything is dropped at the end.
if (!process.env.DATABASE_URL) {
  process.stderr.write(
    'test:pg needs DATABASE_URL, e.g. DATABASE_URL=postgres://postgres@127.0.0.1:5432/test\n',
  );
  process.exit(1);
}
const template = `maillage_tpl_${process.pid}`;
const demoTemplate = `maillage_tpl_${process.pid}_demo`;
const admin = async (text: string) => {
  const client = new pg.Client({ connectionString: process.env.DATABASE_URL });
  await client.connect();
  try {
    return await client.query(text);
  } finally {
    await client.end();
  }
};
try {
  await admin('select 1');
} catch (error) {
  process.stderr.write(`test:pg cannot reach PostgreSQL at DATABASE_URL: ${(error as Error).message}\n`);
  process.exit(1);
}
let code = 1;
try {
  await createPgTemplate(template);
  await createPgDemoTemplate(demoTemplate, template);
  // The tests that take their database from test-db.ts, plus PostgreSQL-only files. Pure rules, HTTP
  // without a database, and the server and CLI tests of the embedded mode run once, in `npm test`.
  const files = findFiles(['src', 'test/integration'], /\.test\.tsx?$/).filter(
    (f) => /\.pg\.test\.tsx?$/.test(f) || (!/\.process\.test\.tsx?$/.test(f) && usesTestDatabase(f)),
  );
  code = runNodeTests('test:pg', files, {
    MAILLAGE_TEST_DB: 'pg',
    MAILLAGE_PG_TEMPLATE: template,
    MAILLAGE_PG_TEMPLATE_URL: databaseUrlFor(template),
    MAILLAGE_PG_DEMO_TEMPLATE: demoTemplate,
    MAILLAGE_PG_RUN: String(process.pid),
  });
} finally {
  await admin(`drop database if exists ${demoTemplate} with (force)`);
  await admin(`drop database if exists ${template} with (force)`);
  // This run's databases, and those left by runs that are no longer alive (a crash); never those of a
  // run going on beside this one on the same server (it would fail in the middle).
  const alive = (pid: number) => {
    try {
      process.kill(pid, 0);
      return true;
    } catch (error) {
      return (error as NodeJS.ErrnoException).code === 'EPERM';
    }
  };
  const leftovers = await admin("select datname from pg_database where datname like 'maillage\\_t%'");
  for (const { datname } of leftovers.rows as { datname: string }[]) {
    const run = Number(/^maillage_(?:t|tpl)_(\d+)(?:_|$)/.exec(datname)?.[1] ?? Number.NaN);
    if (run === process.pid || !Number.isInteger(run) || run === 0 || !alive(run))
      await admin(`drop database if exists ${datname} with (force)`);
  }
}
process.exitCode = code;
