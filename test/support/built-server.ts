import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { freePort, ROOT, startArguments } from './processes.ts';

/**
 * The server as production runs it (docs/decisions/0046): plain node on dist/server.js with npm start's
 * flags, built once when
 * the sources changed (`scripts/build.mjs --if-stale`). Its JSON log lines are read as they come, so that
 * a test can see which server answered what and which ran a job, even after a kill -9.
 */
export function buildServerIfStale(): void {
  execFileSync(process.execPath, ['scripts/build.mjs', '--if-stale'], { cwd: ROOT, stdio: 'inherit' });
}

export interface LogLine {
  msg?: string;
  [key: string]: unknown;
}

export interface BuiltServer {
  name: string;
  url: string;
  port: number;
  child: ChildProcess;
  /** Every JSON line the server wrote, parsed, with the time it was read. */
  lines: { at: number; line: LogLine }[];
  stderr(): string;
  /** SIGTERM (or the given signal) and wait for the exit; nothing when already gone. */
  stop(signal?: NodeJS.Signals): Promise<void>;
}

export async function startBuiltServer(
  name: string,
  env: Record<string, string>,
  timeoutMs = 60_000,
): Promise<BuiltServer> {
  const port = await freePort();
  const clean = { ...process.env };
  for (const key of [
    'DATABASE_URL',
    'PUBLIC_URL',
    'TERRITORY',
    'NETWORK_CONTACT',
    'PORT',
    'HOST',
    'DATA_DIR',
  ])
    delete clean[key];
  const child = spawn(process.execPath, startArguments(), {
    cwd: ROOT,
    env: { ...clean, HOST: '127.0.0.1', ...env, PORT: String(port) },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const lines: { at: number; line: LogLine }[] = [];
  let partial = '';
  child.stdout?.on('data', (d: Buffer) => {
    const text = partial + d.toString('utf8');
    const parts = text.split('\n');
    partial = parts.pop() ?? '';
    const at = Date.now();
    for (const part of parts) {
      if (!part.startsWith('{')) continue;
      try {
        lines.push({ at, line: JSON.parse(part) as LogLine });
      } catch {
        // not a log line
      }
    }
  });
  let errors = '';
  child.stderr?.on('data', (d) => {
    if (errors.length < 200_000) errors += d;
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline && child.exitCode === null) {
    try {
      if ((await fetch(`${url}/readyz`)).status === 200) {
        return {
          name,
          url,
          port,
          child,
          lines,
          stderr: () => errors,
          async stop(signal = 'SIGTERM') {
            if (child.exitCode !== null || child.signalCode !== null) return;
            child.kill(signal);
            await exited;
          },
        };
      }
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  child.kill('SIGKILL');
  throw new Error(`${name} did not become ready (exit ${child.exitCode}):\n${errors}`);
}
