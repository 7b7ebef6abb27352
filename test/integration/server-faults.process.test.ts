import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { after, describe, it } from 'node:test';
import { freePort, migratedDataDir, ROOT } from '../support/processes.ts';

/**
 * The server process's last resort (docs/decisions/0046): a promise rejected with nobody to catch it, or
 * an exception thrown with nobody to catch it, is logged (fatal) and the server stops cleanly — the
 * database closed, its lock released — with exit code 1, for the supervisor to restart it. The fault is
 * injected by a preloaded module that rejects or throws when the process receives SIGUSR2. Also: a plain
 * http PUBLIC_URL on a public address is warned about at start.
 */
const FAULT = `data:text/javascript,${encodeURIComponent(`
process.on('SIGUSR2', () => {
  if (process.env.FAULT === 'rejection') Promise.reject(new Error('rejet de test'));
  else setTimeout(() => { throw new Error('exception de test'); });
});`)}`;

const dirs: string[] = [];
after(() => {
  for (const dir of dirs) fs.rmSync(dir, { recursive: true, force: true });
});

async function startWithFault(fault: 'rejection' | 'exception', publicUrl: string) {
  const dataDir = await migratedDataDir();
  dirs.push(dataDir);
  const port = await freePort();
  const env: NodeJS.ProcessEnv = { ...process.env };
  for (const key of ['DATABASE_URL', 'TERRITORY', 'NETWORK_CONTACT', 'METRICS_TOKEN']) delete env[key];
  Object.assign(env, {
    HOST: '127.0.0.1',
    PORT: String(port),
    DATA_DIR: dataDir,
    PUBLIC_URL: publicUrl,
    LOG_LEVEL: 'info',
    FAULT: fault,
  });
  const child = spawn(process.execPath, ['--import', 'tsx', '--import', FAULT, 'src/server.ts'], {
    cwd: ROOT,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.on('data', (d) => {
    output += d;
  });
  child.stderr.on('data', (d) => {
    output += d;
  });
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline && child.exitCode === null) {
    try {
      if ((await fetch(`http://127.0.0.1:${port}/healthz`)).ok) break;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  assert.equal(child.exitCode, null, output);
  const lines = () =>
    output
      .split('\n')
      .filter((l) => l.startsWith('{'))
      .map((l) => JSON.parse(l) as { level: number; msg: string; err?: { message: string } });
  return { child, exited, dataDir, lines, output: () => output };
}

describe('the server process', { timeout: 180_000 }, () => {
  it('logs an unhandled rejection, closes the database and exits 1; warns about a public http PUBLIC_URL', async () => {
    const server = await startWithFault('rejection', 'http://maillage.example.org');
    const warning = server.lines().find((l) => l.msg.startsWith('PUBLIC_URL is plain http'));
    assert.ok(warning, server.output());
    assert.equal(warning.level, 40);
    assert.match(warning.msg, /without Secure.*no HSTS/);
    server.child.kill('SIGUSR2');
    assert.equal(await server.exited, 1, server.output());
    const fatal = server.lines().find((l) => l.msg === 'unhandled promise rejection');
    assert.equal(fatal?.level, 60);
    assert.equal(fatal?.err?.message, 'rejet de test');
    assert.equal(fs.existsSync(path.join(server.dataDir, 'maillage.lock')), false, 'database closed');
  });

  it('logs an uncaught exception, closes the database and exits 1; no warning with https', async () => {
    const server = await startWithFault('exception', 'https://maillage.example.org');
    assert.equal(
      server.lines().some((l) => l.msg.startsWith('PUBLIC_URL is plain http')),
      false,
    );
    server.child.kill('SIGUSR2');
    assert.equal(await server.exited, 1, server.output());
    const fatal = server.lines().find((l) => l.msg === 'uncaught exception');
    assert.equal(fatal?.level, 60);
    assert.equal(fatal?.err?.message, 'exception de test');
    assert.equal(fs.existsSync(path.join(server.dataDir, 'maillage.lock')), false, 'database closed');
  });
});
