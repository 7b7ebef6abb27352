import fs from 'node:fs';
import { findFiles, runNodeTests } from './support/run-tests.ts';

// Browser journeys in Debian's Chromium (playwright-core). Fails loudly when Chromium is missing.
const chromium = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
if (!fs.existsSync(chromium)) {
  process.stderr.write(
    `Chromium not found at ${chromium}: install it (apt-get install -y chromium) or set CHROMIUM_PATH.\n`,
  );
  process.exit(1);
}
const files = findFiles(['test/e2e'], /\.e2e\.test\.tsx?$/);
// Two files at a time: each has its own server, database and Chromium, and spends most of its time
// waiting for them (a file alone kept about a third of one core busy).
process.exitCode = runNodeTests('test:e2e', files, { CHROMIUM_PATH: chromium }, { concurrency: 2 });
