import { type ChildProcess, spawn } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { openDatabase } from '../../src/db/create-db.ts';
import { migrate, migrationsHash } from '../../src/db/migrate.ts';

/** Real processes of the server and the CLI, for tests of what only a process shows. */
export const ROOT = path.resolve(import.meta.dirname, '../..');

/**
 * What `npm start` gives node after `exec node` (package.json): its V8 flags, then dist/server.js. The
 * start test checks the server's command line against it and bench:memory starts the same.
 */
export function startArguments(): string[] {
  const start = (
    JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as {
      scripts: { start: string };
    }
  ).scripts.start;
  const command = /&& exec node (.+)$/.exec(start)?.[1];
  if (!command) throw new Error(`npm start does not end with "exec node …": ${start}`);
  return command.split(' ');
}

export function tempDir(prefix = 'maillage-test-'): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), prefix));
}

/**
 * A new DATA_DIR holding an embedded database already created and migrated: a copy of one made once per
 * migrations hash in the temporary folder. Creating a database folder (initdb) takes seconds; copying it
 * takes a fraction of one. Tests of the first start itself use an empty tempDir().
 */
export async function migratedDataDir(): Promise<string> {
  const template = path.join(os.tmpdir(), `maillage-datadir-${migrationsHash()}`);
  if (!fs.existsSync(template)) {
    const building = tempDir('maillage-datadir-building-');
    const handle = await openDatabase({ dataDir: building, databaseUrl: null });
    try {
      await migrate(handle.db);
    } finally {
      await handle.close();
    }
    try {
      fs.renameSync(building, template); // atomic: a parallel test file never copies half a folder
    } catch {
      fs.rmSync(building, { recursive: true, force: true }); // another file made it first
    }
  }
  const dir = tempDir();
  fs.cpSync(template, dir, { recursive: true });
  return dir;
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

function baseEnv(env: Record<string, string>): NodeJS.ProcessEnv {
  const clean = { ...process.env };
  for (const key of [
    'DATABASE_URL',
    'PUBLIC_URL',
    'TERRITORY',
    'NETWORK_CONTACT',
    'PORT',
    'HOST',
    'DATA_DIR',
  ]) {
    delete clean[key];
  }
  return { ...clean, LOG_LEVEL: 'warn', ...env };
}

export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/**
 * Runs a command line inside this test process (src/cli.ts's runCli): the same parsing, commands, output
 * and exit codes, captured, with only the given environment, without a process's start-up. Use the
 * process version (`runCli`) for what only a process shows.
 */
export async function runCliInProcess(args: string[], env: Record<string, string>): Promise<CliResult> {
  let stdout = '';
  let stderr = '';
  const { runCli: run } = await import('../../src/cli.ts');
  const code = await run(args, {
    env: { LOG_LEVEL: 'warn', ...env },
    stdout: (text) => {
      stdout += text;
    },
    stderr: (text) => {
      stderr += text;
    },
    stderrIsTty: false,
    onInterrupt: () => {},
  });
  return { code, stdout, stderr };
}

export function runCli(args: string[], env: Record<string, string>, timeoutMs = 60_000): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli.ts', ...args], {
      cwd: ROOT,
      env: baseEnv(env),
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => {
      stdout += d;
    });
    child.stderr.on('data', (d) => {
      stderr += d;
    });
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`cli ${args.join(' ')} timed out\n${stderr}`));
    }, timeoutMs);
    child.on('exit', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

export interface ServerProcess {
  url: string;
  child: ChildProcess;
  stderr(): string;
  /** The server's logs (pino writes to stdout). */
  stdout(): string;
  /** Sends a signal and resolves with the exit code and the time it took. */
  stop(signal?: NodeJS.Signals): Promise<{ code: number | null; ms: number }>;
}

export async function startServer(env: Record<string, string>, timeoutMs = 60_000): Promise<ServerProcess> {
  const port = env.PORT ? Number(env.PORT) : await freePort();
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/server.ts'], {
    cwd: ROOT,
    env: baseEnv({ HOST: '127.0.0.1', ...env, PORT: String(port) }),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let errors = '';
  child.stderr?.on('data', (d) => {
    errors += d;
  });
  let output = '';
  child.stdout?.on('data', (d) => {
    if (output.length < 1_000_000) output += d;
  });
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + timeoutMs;
  let ready = false;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) break;
    try {
      const res = await fetch(`${url}/healthz`);
      if (res.ok && ((await res.json()) as { status?: string }).status === 'ok') {
        ready = true;
        break;
      }
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  if (!ready) {
    child.kill('SIGKILL');
    throw new Error(`server did not become ready (exit ${child.exitCode}):\n${errors}`);
  }
  return {
    url,
    child,
    stderr: () => errors,
    stdout: () => output,
    async stop(signal = 'SIGTERM') {
      const started = Date.now();
      if (child.exitCode !== null) return { code: child.exitCode, ms: 0 };
      child.kill(signal);
      const code = await exited;
      return { code, ms: Date.now() - started };
    },
  };
}
