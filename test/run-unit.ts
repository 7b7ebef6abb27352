import { findFiles, runNodeTests } from './support/run-tests.ts';

// The self-contained suite: unit, integration (PGlite) and HTTP tests. No external service, no
// reference data: it passes on any fresh machine.
const files = findFiles(['src', 'test/integration'], /\.test\.tsx?$/).filter(
  (f) => !/\.pg\.test\.tsx?$/.test(f),
);
process.exitCode = runNodeTests('test', files, { MAILLAGE_TEST_DB: 'pglite' });
