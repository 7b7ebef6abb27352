import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { freePort } from './processes.ts';

/**
 * A PostgreSQL cluster of its own for tests that crash it: `initdb` in a temporary folder, its own port
 * on 127.0.0.1, its socket in that folder — never the machine's shared cluster. fsync and
 * synchronous_commit keep their defaults (on): a durability test on a cluster that does not flush
 * proves nothing. initdb refuses to run as root, so under root (CI) every server command runs as the
 * `postgres` account, which owns the folder; otherwise as the current user.
 */
export interface ThrowawayCluster {
  /** postgres://postgres@127.0.0.1:<port>/postgres */
  url: string;
  port: number;
  start(): void;
  /** `pg_ctl stop -m immediate`: no checkpoint, the next start replays the WAL (a crash). */
  stopImmediately(): void;
  /** Stops the cluster if it runs and removes its folder. Safe to call twice. */
  destroy(): void;
  /** The server's log, for failure messages. */
  log(): string;
}

function binDir(): string {
  const root = '/usr/lib/postgresql';
  const versions = fs.existsSync(root)
    ? fs
        .readdirSync(root)
        .filter((v) => fs.existsSync(path.join(root, v, 'bin', 'initdb')))
        .sort((a, b) => Number(b) - Number(a))
    : [];
  const found = versions[0];
  if (!found) throw new Error(`no PostgreSQL server binaries under ${root}/*/bin (Debian: postgresql)`);
  return path.join(root, found, 'bin');
}

export async function createThrowawayCluster(): Promise<ThrowawayCluster> {
  const bin = binDir();
  const asRoot = process.getuid?.() === 0;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'maillage-pg-crash-'));
  const data = path.join(dir, 'data');
  const logFile = path.join(dir, 'server.log');
  if (asRoot) {
    const uid = Number(execFileSync('id', ['-u', 'postgres'], { encoding: 'utf8' }).trim());
    const gid = Number(execFileSync('id', ['-g', 'postgres'], { encoding: 'utf8' }).trim());
    fs.chownSync(dir, uid, gid);
  }
  const run = (program: string, args: string[]) => {
    const [command, ...rest] = asRoot
      ? ['runuser', '-u', 'postgres', '--', path.join(bin, program), ...args]
      : [path.join(bin, program), ...args];
    return execFileSync(command as string, rest, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  };
  let running = false;
  let destroyed = false;
  const stopImmediately = () => {
    if (!running) return;
    run('pg_ctl', ['-D', data, '-m', 'immediate', '-w', 'stop']);
    running = false;
  };
  const destroy = () => {
    if (destroyed) return;
    destroyed = true;
    try {
      stopImmediately();
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
      process.off('exit', destroy);
    }
  };
  // A test process that dies (an assertion thrown before `after`, ^C) still takes its cluster down.
  process.on('exit', destroy);
  try {
    run('initdb', ['-D', data, '-U', 'postgres', '-A', 'trust', '-E', 'UTF8', '--no-locale', '-N']);
    const port = await freePort();
    const start = () => {
      const options = `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c max_connections=100`;
      run('pg_ctl', ['-D', data, '-l', logFile, '-o', options, '-w', '-t', '60', 'start']);
      running = true;
    };
    start();
    return {
      url: `postgres://postgres@127.0.0.1:${port}/postgres`,
      port,
      start,
      stopImmediately,
      destroy,
      log: () => (fs.existsSync(logFile) ? fs.readFileSync(logFile, 'utf8') : ''),
    };
  } catch (error) {
    destroy();
    throw error;
  }
}
