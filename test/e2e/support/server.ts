import { type ChildProcess, spawn } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { fillDemoDataDir } from './demo-data.ts';

/** The project's root folder (three levels above this file: test/e2e/support). */
export const PROJECT_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');

const READY_TIMEOUT_MS = 120_000;
const STOP_TIMEOUT_MS = 10_000;

export interface RunningServer {
  /** Base address, without a trailing slash: `http://127.0.0.1:PORT`. */
  url: string;
  stop(): Promise<void>;
}

/** A free TCP port on 127.0.0.1: listen on port 0, read the port the system chose, close. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = net.createServer();
    probe.unref();
    probe.on('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      if (address === null || typeof address === 'string') {
        probe.close();
        reject(new Error('no port was given by the system'));
        return;
      }
      probe.close(() => resolve(address.port));
    });
  });
}

function exited(child: ChildProcess): boolean {
  return child.exitCode !== null || child.signalCode !== null;
}

function waitForExit(child: ChildProcess, timeoutMs: number): Promise<boolean> {
  if (exited(child)) return Promise.resolve(true);
  return new Promise((resolve) => {
    const timer = setTimeout(() => resolve(false), timeoutMs);
    child.once('exit', () => {
      clearTimeout(timer);
      resolve(true);
    });
  });
}

/**
 * Starts the real server (`src/server.ts`) in a child process, on a free port and, unless `DATA_DIR` is
 * given, on a temporary folder holding a fresh copy of the demonstration as the server's first start
 * seeds it (demo-data.ts: seeded once, not by every server). Resolves
 * once `GET /healthz` answers `{"status":"ok"}`; fails with the child's error output if it dies first or
 * is not ready within 120 s (a loaded machine; a start from the template takes a few seconds).
 */
export async function startServer(extraEnv: Record<string, string> = {}): Promise<RunningServer> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'maillage-e2e-'));
  if (!extraEnv.DATA_DIR) await fillDemoDataDir(dataDir);
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    DATA_DIR: dataDir,
    PORT: String(port),
    HOST: '127.0.0.1',
    LOG_LEVEL: 'warn',
    ...extraEnv,
  };
  delete env.NETWORK_CONTACT;
  delete env.DATABASE_URL;
  delete env.PUBLIC_URL;

  const child = spawn(process.execPath, ['--import', 'tsx', 'src/server.ts'], {
    cwd: PROJECT_ROOT,
    env,
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr?.setEncoding('utf8');
  child.stderr?.on('data', (chunk: string) => {
    stderr += chunk;
    if (stderr.length > 20_000) stderr = stderr.slice(-20_000);
  });

  const removeDataDir = () => fs.rmSync(dataDir, { recursive: true, force: true });
  const stop = async (): Promise<void> => {
    if (!exited(child)) {
      child.kill('SIGTERM');
      if (!(await waitForExit(child, STOP_TIMEOUT_MS))) {
        child.kill('SIGKILL');
        await waitForExit(child, STOP_TIMEOUT_MS);
      }
    }
    removeDataDir();
  };

  const deadline = Date.now() + READY_TIMEOUT_MS;
  let lastProblem = 'no answer yet';
  while (Date.now() < deadline) {
    if (exited(child)) {
      removeDataDir();
      throw new Error(
        `the server stopped before it was ready (exit code ${child.exitCode}, signal ${child.signalCode}).\n` +
          `Its error output:\n${stderr || '(empty)'}`,
      );
    }
    try {
      const response = await fetch(`${url}/healthz`, { signal: AbortSignal.timeout(2_000) });
      const body = await response.text();
      if (response.ok && JSON.parse(body)?.status === 'ok') return { url, stop };
      lastProblem = `GET /healthz answered ${response.status}: ${body.slice(0, 200)}`;
    } catch (error) {
      lastProblem = error instanceof Error ? error.message : String(error);
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  await stop();
  throw new Error(
    `the server was not ready within ${READY_TIMEOUT_MS / 1000} s (${lastProblem}).\n` +
      `Its error output:\n${stderr || '(empty)'}`,
  );
}
