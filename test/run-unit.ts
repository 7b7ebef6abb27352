import { findFiles, runNodeTests, selectFiles } from './support/run-tests.ts';
import { prepareTestTemplates } from './support/test-db.ts';

// The self-contained suite: unit, integration (PGlite) and HTTP tests. No external service, no
// reference data: it passes on any fresh machine. A domain's *.reference.test.ts (beside its code) reads
// the shared reference files: it belongs to test:reference.
const files = findFiles(['src', 'test/integration'], /\.test\.tsx?$/).filter(
  (f) => !/\.(pg|reference)\.test\.tsx?$/.test(f),
);
// The PGlite templates (migrated, and with the demonstration) before the files start, as they do.
process.env.TZ = 'UTC';
if (selectFiles(files).length) await prepareTestTemplates();
process.exitCode = runNodeTests('test', files, { MAILLAGE_TEST_DB: 'pglite' });
