import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { readMigrationFiles } from '../../src/db/migrate.ts';
import { runCli, startServer, tempDir } from '../support/processes.ts';

describe('the server process on its embedded database', () => {
  it('starts with demonstration data, refuses a second process, stops within 5 s on SIGTERM and reopens intact', async () => {
    const dataDir = tempDir();
    try {
      const server = await startServer({ DATA_DIR: dataDir });
      const html = await (await fetch(`${server.url}/lieux`)).text();
      const total = Number(/(\d+) lieux, classés par nom/.exec(html)?.[1]);
      assert.ok(total >= 60, `demo places: ${total}`);
      const lockHolder = fs.readFileSync(path.join(dataDir, 'maillage.lock'), 'utf8').trim();
      assert.equal(lockHolder, String(server.child.pid));

      // A second server and a CLI command on the same folder are refused, in French, naming the PID.
      const second = await runCli(['places', 'export', '--format', 'json'], { DATA_DIR: dataDir });
      assert.equal(second.code, 1);
      assert.match(second.stderr, /déjà utilisée par un autre processus Maillage \(PID \d+\)/);
      assert.equal(
        second.stdout.trim() === '' || JSON.parse(second.stdout).error.code === 'database_locked',
        true,
      );
      await assert.rejects(() => startServer({ DATA_DIR: dataDir }, 30_000), /déjà utilisée/);

      const stopped = await server.stop('SIGTERM');
      assert.equal(stopped.code, 0);
      assert.ok(stopped.ms < 5_000, `stopped in ${stopped.ms} ms`);
      assert.ok(!fs.existsSync(path.join(dataDir, 'maillage.lock')), 'lock released');

      // Reopened: same data, no second seeding.
      const again = await startServer({ DATA_DIR: dataDir });
      const html2 = await (await fetch(`${again.url}/lieux`)).text();
      assert.equal(Number(/(\d+) lieux, classés par nom/.exec(html2)?.[1]), total);
      const interrupted = await again.stop('SIGINT');
      assert.equal(interrupted.code, 0);
    } finally {
      fs.rmSync(dataDir, { recursive: true, force: true });
    }
  });

  it('takes over a lock left by a process that died', async () => {
    const dataDir = tempDir();
    try {
      fs.writeFileSync(path.join(dataDir, 'maillage.lock'), '999999\n');
      const result = await runCli(['db', 'migrate', '--format', 'json'], { DATA_DIR: dataDir });
      assert.equal(result.code, 0, result.stderr);
      assert.deepEqual(JSON.parse(result.stdout), { applied: readMigrationFiles().map((m) => m.name) });
    } finally {
      fs.rmSync(dataDir, { recursive: true, force: true });
    }
  });

  it('refuses a public address while demonstration accounts exist, and never seeds them again after `demo remove`', async () => {
    const dataDir = tempDir();
    try {
      const first = await startServer({ DATA_DIR: dataDir });
      await first.stop();
      // The demonstration accounts' password is published: not on an address the public can reach.
      await assert.rejects(
        () => startServer({ DATA_DIR: dataDir, PUBLIC_URL: 'https://maillage.example.org' }, 30_000),
        /comptes? de démonstration[\s\S]*demo remove/,
      );
      const removed = await runCli(['demo', 'remove', '--format', 'json'], { DATA_DIR: dataDir });
      assert.equal(removed.code, 0, removed.stderr);
      assert.ok(JSON.parse(removed.stdout).removed.places >= 60);
      const second = await startServer({ DATA_DIR: dataDir, PUBLIC_URL: 'https://maillage.example.org' });
      const html = await (await fetch(`${second.url}/lieux`)).text();
      assert.match(html, /Aucun lieu n(&#39;|')est encore enregistré/);
      assert.ok(!html.includes('demo-banner'));
      assert.match(second.stdout(), /SMTP_URL is not set/, 'the operator is warned that mails do not leave');
      await second.stop();
      const third = await startServer({ DATA_DIR: dataDir });
      assert.match(
        await (await fetch(`${third.url}/lieux`)).text(),
        /Aucun lieu n(&#39;|')est encore enregistré/,
      );
      await third.stop();
    } finally {
      fs.rmSync(dataDir, { recursive: true, force: true });
    }
  });

  it('never seeds demonstration data on a fresh database behind a public address', async () => {
    const dataDir = tempDir();
    try {
      const server = await startServer({ DATA_DIR: dataDir, PUBLIC_URL: 'https://maillage.example.org' });
      const html = await (await fetch(`${server.url}/lieux`)).text();
      assert.match(html, /Aucun lieu n(&#39;|')est encore enregistré/);
      await server.stop();
      const accounts = await runCli(['accounts', 'list', '--format', 'json'], { DATA_DIR: dataDir });
      assert.equal(accounts.code, 0, accounts.stderr);
      assert.deepEqual(JSON.parse(accounts.stdout), []);
    } finally {
      fs.rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
