import { execFileSync, spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { LoadResult } from './load.ts';

/**
 * The load generator of bench:search: wrk (Debian package `wrk`), a C program that costs the shared
 * two cores far less than a Node.js client does, so the figures measure our server rather than the
 * client. Paths vary per request (a Lua script cycles through them, each wrk thread from its own offset);
 * wrk's own `done` hook prints the figures as one JSON line that we read back.
 */
const SCRIPT = `
local paths = {}
for line in io.lines(os.getenv("MAILLAGE_WRK_PATHS")) do paths[#paths + 1] = line end
local counter = 0
local threadIndex = 0
function setup(thread)
  thread:set("offset", threadIndex * 997)
  threadIndex = threadIndex + 1
end
function init(args)
  counter = offset or 0
end
function request()
  counter = counter + 1
  return wrk.format("GET", paths[(counter % #paths) + 1])
end
function done(summary, latency, requests)
  io.write(string.format(
    'MAILLAGE_WRK {"requests":%d,"duration_us":%d,"bytes":%d,"status":%d,"connect":%d,"read":%d,"write":%d,"timeout":%d,"p50_us":%d,"p99_us":%d}\\n',
    summary.requests, summary.duration, summary.bytes, summary.errors.status, summary.errors.connect,
    summary.errors.read, summary.errors.write, summary.errors.timeout,
    latency:percentile(50), latency:percentile(99)))
end
`;

export function wrkAvailable(): boolean {
  try {
    execFileSync('wrk', ['--version'], { stdio: 'ignore' });
    return true;
  } catch (error) {
    // wrk prints its version and exits 1: only a missing executable is a failure
    return (error as NodeJS.ErrnoException).code !== 'ENOENT';
  }
}

export async function runWrk(options: {
  port: number;
  paths: string[];
  connections: number;
  seconds: number;
  threads?: number;
  headers?: Record<string, string>;
}): Promise<LoadResult> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'maillage-wrk-'));
  try {
    const scriptFile = path.join(dir, 'paths.lua');
    const pathsFile = path.join(dir, 'paths.txt');
    fs.writeFileSync(scriptFile, SCRIPT);
    fs.writeFileSync(pathsFile, `${options.paths.join('\n')}\n`);
    const headerArgs = Object.entries(options.headers ?? {}).flatMap(([k, v]) => ['-H', `${k}: ${v}`]);
    const args = [
      `-t${options.threads ?? 2}`,
      `-c${options.connections}`,
      `-d${options.seconds}s`,
      '--timeout',
      '5s',
      '-s',
      scriptFile,
      ...headerArgs,
      `http://127.0.0.1:${options.port}/`,
    ];
    const output = await new Promise<string>((resolve, reject) => {
      const child = spawn('wrk', args, {
        env: { ...process.env, MAILLAGE_WRK_PATHS: pathsFile },
        stdio: ['ignore', 'pipe', 'inherit'],
      });
      let out = '';
      child.stdout.on('data', (chunk: Buffer) => {
        out += chunk.toString();
      });
      child.on('error', reject);
      child.on('close', (code) =>
        code === 0 ? resolve(out) : reject(new Error(`wrk exited with ${code}: ${out}`)),
      );
    });
    const line = output.split('\n').find((l) => l.startsWith('MAILLAGE_WRK '));
    if (!line) throw new Error(`wrk printed no figures: ${output}`);
    const r = JSON.parse(line.slice('MAILLAGE_WRK '.length)) as Record<string, number>;
    const n = (key: string) => r[key] ?? 0;
    const requests = n('requests');
    return {
      requests,
      errors: n('status') + n('connect') + n('read') + n('write') + n('timeout'),
      reqPerS: Math.round(requests / (n('duration_us') / 1e6)),
      p50Ms: Math.round(n('p50_us') / 100) / 10,
      p99Ms: Math.round(n('p99_us') / 100) / 10,
      bytes: n('bytes'),
    };
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
