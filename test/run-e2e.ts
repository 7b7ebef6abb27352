import fs from 'node:fs';
import { prepareDemoDataTemplate } from './e2e/support/demo-data.ts';
import { findFiles, runNodeTests, selectFiles } from './support/run-tests.ts';
import { prepareTestTemplates } from './support/test-db.ts';

// Browser journeys in Debian's Chromium (playwright-core). Fails loudly when Chromium is missing.
const chromium = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
if (!fs.existsSync(chromium)) {
  process.stderr.write(
    `Chromium not found at ${chromium}: install it (apt-get install -y chromium) or set CHROMIUM_PATH.\n`,
  );
  process.exit(1);
}
const files = findFiles(['test/e2e'], /\.e2e\.test\.tsx?$/);
// Three files at a time: each has its own server, database and Chromium, and spends most of its time
// waiting for them (a file alone kept about a third of one core busy; without the seeding, a file such
// as structures.e2e.test.ts takes about 18 s of processor for 30 s or more of wall time: two at a time
// left about half of the two cores idle).
// The demonstration's templates (the servers' data folder, the tests' own databases) before the files
// start, as they do.
process.env.TZ = 'UTC';
if (selectFiles(files).length) {
  await prepareDemoDataTemplate();
  await prepareTestTemplates();
}
process.exitCode = runNodeTests('test:e2e', files, { CHROMIUM_PATH: chromium }, { concurrency: 3 });
