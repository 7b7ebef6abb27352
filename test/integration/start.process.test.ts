import assert from 'node:assert/strict';
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { after, describe, it } from 'node:test';
import { freePort, migratedDataDir, ROOT, startArguments, tempDir } from '../support/processes.ts';

/**
 * The documented start path itself (docs/decisions/0046): `npm start` compiles when the sources changed
 * and runs plain `node` on dist/server.js — one process under npm, no tsx — and SIGTERM stops it cleanly
 * (exit 0, the embedded database closed and its lock released). The same on a built tree whose
 * node_modules holds only the runtime dependencies (what `npm ci --omit=dev` leaves).
 */

const cleanup: string[] = [];
after(() => {
  for (const dir of cleanup) fs.rmSync(dir, { recursive: true, force: true });
});

/** The process listening on a TCP port of 127.0.0.1, from /proc: its socket's inode, then its holder. */
function listenerOf(port: number): number | null {
  const hexPort = port.toString(16).toUpperCase().padStart(4, '0');
  const inodes = new Set<string>();
  for (const table of ['/proc/net/tcp', '/proc/net/tcp6']) {
    if (!fs.existsSync(table)) continue;
    for (const line of fs.readFileSync(table, 'utf8').split('\n').slice(1)) {
      const cols = line.trim().split(/\s+/);
      if (cols[1]?.endsWith(`:${hexPort}`) && cols[3] === '0A' && cols[9]) inodes.add(cols[9]);
    }
  }
  for (const pid of fs.readdirSync('/proc').filter((d) => /^\d+$/.test(d))) {
    let fds: string[];
    try {
      fds = fs.readdirSync(`/proc/${pid}/fd`);
    } catch {
      continue;
    }
    for (const fd of fds) {
      try {
        const m = /^socket:\[(\d+)\]$/.exec(fs.readlinkSync(`/proc/${pid}/fd/${fd}`));
        if (m && inodes.has(m[1] as string)) return Number(pid);
      } catch {
        // gone meanwhile
      }
    }
  }
  return null;
}

const cmdline = (pid: number) => fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').filter(Boolean);
const parentOf = (pid: number) =>
  Number(fs.readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.split(' ')[1]);

interface Started {
  child: ChildProcess;
  url: string;
  port: number;
  output(): string;
  exited: Promise<number | null>;
}

async function npmStart(cwd: string, dataDir: string): Promise<Started> {
  const port = await freePort();
  const env: NodeJS.ProcessEnv = { ...process.env };
  for (const key of ['DATABASE_URL', 'TERRITORY', 'NETWORK_CONTACT', 'METRICS_TOKEN', 'TRUST_PROXY'])
    delete env[key];
  Object.assign(env, {
    HOST: '127.0.0.1',
    PORT: String(port),
    DATA_DIR: dataDir,
    // Not the loopback: no demonstration data to seed, a quick start.
    PUBLIC_URL: 'https://maillage.example.org',
    LOG_LEVEL: 'info',
  });
  const child = spawn('npm', ['start'], { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout?.on('data', (d) => {
    output += d;
  });
  child.stderr?.on('data', (d) => {
    output += d;
  });
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 120_000;
  while (Date.now() < deadline && child.exitCode === null) {
    try {
      if ((await fetch(`${url}/healthz`)).ok) return { child, url, port, output: () => output, exited };
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  child.kill('SIGKILL');
  throw new Error(`npm start did not become ready (exit ${child.exitCode}):\n${output}`);
}

async function checkRunsPlainNodeAndStops(cwd: string): Promise<string> {
  const dataDir = await migratedDataDir();
  cleanup.push(dataDir);
  const server = await npmStart(cwd, dataDir);
  const pid = listenerOf(server.port);
  assert.ok(pid, 'a process listens on the port');
  // One process under npm (`exec`: no shell in between), plain node on the built file, no loader: its
  // only flags are V8's memory settings (decision 0049).
  assert.deepEqual(startArguments(), [
    '--max-semi-space-size=4',
    '--heap-growing-percent=25',
    'dist/server.js',
  ]);
  assert.deepEqual(cmdline(pid).slice(1), startArguments(), `cmdline: ${cmdline(pid).join(' ')}`);
  assert.equal(path.basename(cmdline(pid)[0] as string), 'node');
  assert.equal(parentOf(pid), server.child.pid, 'the server is npm’s own child');
  assert.equal(fs.realpathSync(`/proc/${pid}/cwd`), fs.realpathSync(cwd));
  assert.ok(fs.existsSync(path.join(dataDir, 'maillage.lock')), 'the embedded database is held');

  const started = Date.now();
  server.child.kill('SIGTERM');
  const code = await server.exited;
  assert.equal(code, 0, server.output());
  assert.ok(Date.now() - started < 5_000, 'stopped within 5 s');
  assert.equal(fs.existsSync(`/proc/${pid}`), false, 'the server process is gone');
  assert.equal(fs.existsSync(path.join(dataDir, 'maillage.lock')), false, 'the database was closed');
  assert.match(server.output(), /"msg":"stopping"/);
  return server.output();
}

describe('npm start', { timeout: 300_000 }, () => {
  it('builds when the sources changed, then runs plain node on dist/server.js; SIGTERM exits 0', async () => {
    // The build output is out of date: npm start compiles first.
    fs.rmSync(path.join(ROOT, 'dist', '.build-stamp'), { force: true });
    const output = await checkRunsPlainNodeAndStops(ROOT);
    assert.match(output, /Serveur compilé dans dist\//);
    // Up to date: the next start does not compile again.
    const again = await checkRunsPlainNodeAndStops(ROOT);
    assert.doesNotMatch(again, /Serveur compilé/);
  });

  it('runs a built tree with the runtime dependencies only (npm ci --omit=dev)', async () => {
    execFileSync(process.execPath, ['scripts/build.mjs', '--if-stale'], { cwd: ROOT, stdio: 'ignore' });
    const tree = tempDir('maillage-built-');
    cleanup.push(tree);
    for (const entry of ['package.json', 'package-lock.json', 'scripts', 'src', 'dist'])
      fs.cpSync(path.join(ROOT, entry), path.join(tree, entry), { recursive: true });
    // What `npm ci --omit=dev` installs: the packages of the lock not marked dev (links to the
    // installed ones). A runtime import of a development package fails here.
    const lock = JSON.parse(fs.readFileSync(path.join(ROOT, 'package-lock.json'), 'utf8')) as {
      packages: Record<string, { dev?: boolean; devOptional?: boolean }>;
    };
    const modules = path.join(tree, 'node_modules');
    let linked = 0;
    for (const [key, info] of Object.entries(lock.packages)) {
      if (!key.startsWith('node_modules/') || key.slice(13).includes('node_modules/')) continue;
      if (info.dev || info.devOptional) continue;
      const source = path.join(ROOT, key);
      if (!fs.existsSync(source)) continue; // an optional package for another platform
      fs.mkdirSync(path.dirname(path.join(tree, key)), { recursive: true });
      fs.symlinkSync(fs.realpathSync(source), path.join(tree, key));
      linked++;
    }
    assert.ok(linked > 10);
    assert.equal(fs.existsSync(path.join(modules, 'typescript')), false);
    assert.equal(fs.existsSync(path.join(modules, '@biomejs')), false);
    const output = await checkRunsPlainNodeAndStops(tree);
    assert.doesNotMatch(output, /Serveur compilé/, 'a built tree is not compiled again');
  });
});
