import assert from 'node:assert/strict';
import fs from 'node:fs';
import { after, describe, it } from 'node:test';
import { migratedDataDir, runCliInProcess as runCli } from '../../test/support/processes.ts';

let dataDir = '';
after(() => fs.rmSync(dataDir, { recursive: true, force: true }));

describe('privacy purge on the command line', () => {
  it('prints the counts (JSON with --format json, French words otherwise) and can run again', async () => {
    dataDir = await migratedDataDir();
    const env = { DATA_DIR: dataDir };
    const json = await runCli(['privacy', 'purge', '--format', 'json'], env);
    assert.equal(json.code, 0, json.stderr);
    const counts = JSON.parse(json.stdout) as Record<string, number>;
    for (const key of [
      'sessions',
      'tokens',
      'rateLimits',
      'sentMail',
      'errorReportContacts',
      'errorReports',
      'joinRequests',
      'inactiveAccounts',
    ])
      assert.equal(typeof counts[key], 'number', key);
    const text = await runCli(['privacy', 'purge'], env);
    assert.equal(text.code, 0, text.stderr);
    assert.match(text.stdout, /^sessions terminées : 0$/m);
    assert.match(text.stdout, /^e-mails envoyés : 0$/m);
    assert.match(text.stdout, /^comptes inactifs : 0$/m);
  });
});
