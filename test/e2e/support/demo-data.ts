import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { kyselyOverPglite, pgliteParsers } from '../../../src/db/create-db.ts';
import { DEMO_TEMPLATE_MAX_AGE_MS, demoTemplateKey } from '../../support/test-db.ts';

/**
 * The data folder a server's first start leaves in demonstration mode (migrated, then seeded by
 * seedDemoIfFresh with the server's MERGE_REVIEW_BELOW), built once as a dump of the database and
 * unpacked into a fresh folder for each server: seeding took several seconds of every browser suite.
 * The first start itself (seeding an empty folder) is tested by test/integration/server.process.test.ts
 * and territory.e2e.test.ts. Keyed as test-db.ts's demonstration template: the sources and the day.
 */
async function demoDataTemplate(): Promise<string> {
  const file = path.join(os.tmpdir(), `maillage-e2e-demo-${demoTemplateKey()}-v1.tar`);
  if (fs.existsSync(file) && Date.now() - fs.statSync(file).mtimeMs < DEMO_TEMPLATE_MAX_AGE_MS) return file;
  // Imported here: a suite whose template exists does not load the whole app for nothing.
  const { loadConfig } = await import('../../../src/config.ts');
  const { migrate } = await import('../../../src/db/migrate.ts');
  const { seedDemoIfFresh } = await import('../../../src/demo/demo.service.ts');
  const pglite = new PGlite({ parsers: pgliteParsers });
  const db = kyselyOverPglite(pglite);
  await migrate(db);
  const config = loadConfig({ DATA_DIR: '/nonexistent-e2e-dir' });
  await seedDemoIfFresh(db, { kind: 'system' }, { mergeReviewBelow: config.mergeReviewBelow });
  await pglite.query('checkpoint');
  const dump = await pglite.dumpDataDir('none');
  await db.destroy();
  await pglite.close();
  const partial = `${file}.${process.pid}.partial`;
  fs.writeFileSync(partial, Buffer.from(await dump.arrayBuffer()));
  fs.renameSync(partial, file); // atomic: two suites started together never read half a template
  return file;
}

/** Builds the template before the suites start (test/run-e2e.ts); a suite run alone builds it itself. */
export async function prepareDemoDataTemplate(): Promise<void> {
  await demoDataTemplate();
}

/**
 * Fills `dataDir` (a new, empty folder) with the seeded demonstration's database, where the server
 * (src/db/create-db.ts) keeps it. Nothing else has it open: one process per data folder.
 */
export async function fillDemoDataDir(dataDir: string): Promise<void> {
  const loadDataDir = new Blob([fs.readFileSync(await demoDataTemplate())]);
  const pglite = new PGlite(path.join(dataDir, 'pglite'), { loadDataDir });
  await pglite.waitReady;
  await pglite.close();
}
