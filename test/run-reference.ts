import fs from 'node:fs';
import path from 'node:path';
import { findFiles, runNodeTests, selectFiles } from './support/run-tests.ts';
import { prepareTestTemplates } from './support/test-db.ts';

// Tests on the real reference files (../shared/data by default). Fails loudly when they are absent.
const folder = path.resolve(process.env.MAILLAGE_REFERENCE_DATA ?? '../shared/data');
const expected = ['lieux-schema/schema.json', 'lieux', 'geo/communes-orleans-metropole.geojson'];
const missing = expected.filter((p) => !fs.existsSync(path.join(folder, p)));
if (missing.length) {
  process.stderr.write(
    `Reference data not found in ${folder} (missing: ${missing.join(', ')}).\n` +
      'Set MAILLAGE_REFERENCE_DATA to the folder of the shared reference data.\n',
  );
  process.exit(1);
}
// test/reference, and a domain's own checks against the reference files kept beside its code.
const files = findFiles(['test/reference', 'src'], /\.reference\.test\.tsx?$/);
// The PGlite templates (migrated, and with the demonstration) before the files start, as they do.
process.env.TZ = 'UTC';
if (selectFiles(files).length) await prepareTestTemplates();
process.exitCode = runNodeTests('test:reference', files, {
  MAILLAGE_REFERENCE_DATA: folder,
  MAILLAGE_TEST_DB: 'pglite',
});
