import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { sampleRow, toCsv } from '../support/fixtures.ts';
import { runCli, tempDir } from '../support/processes.ts';

// What only a real process shows: its exit status, and that stdout carries the results and nothing else
// (no library or logger writing beside them). The commands themselves are tested in cli.test.ts.
let dataDir = '';
let work = '';
before(() => {
  dataDir = tempDir();
  work = tempDir('maillage-files-');
});
after(() => {
  fs.rmSync(dataDir, { recursive: true, force: true });
  fs.rmSync(work, { recursive: true, force: true });
});

describe('the command line as a process', () => {
  it('exits 0 with the report alone on stdout, 1 with a JSON error and no stack trace, 2 on a usage error', async () => {
    const csv = path.join(work, 'lieux.csv');
    fs.writeFileSync(csv, toCsv([sampleRow(), sampleRow({ latitude: 'nord' })]));
    const imported = await runCli(['places', 'import', csv, '--format', 'json'], { DATA_DIR: dataDir });
    assert.equal(imported.code, 0, imported.stderr);
    const report = JSON.parse(imported.stdout);
    assert.deepEqual([report.read, report.imported, report.rejected], [2, 1, 1]);

    const missing = await runCli(['places', 'import', path.join(work, 'absent.csv'), '--format', 'json'], {
      DATA_DIR: dataDir,
    });
    assert.equal(missing.code, 1);
    assert.equal(JSON.parse(missing.stdout).error.code, 'invalid_file');
    assert.ok(!/\n\s+at /.test(missing.stderr), 'no stack trace');

    const usage = await runCli(['places', 'import'], { DATA_DIR: dataDir });
    assert.equal(usage.code, 2);
    assert.equal(usage.stdout, '');
  });
});
