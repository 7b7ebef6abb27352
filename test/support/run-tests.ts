import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

/**
 * Finds test files and runs them with node's test runner (through tsx). Node 20 has no glob for
 * --test, so the list is built here. A suite with no test file fails: nothing is silently skipped.
 */
export function findFiles(roots: string[], pattern: RegExp): string[] {
  const found: string[] = [];
  const walk = (dir: string) => {
    if (!fs.existsSync(dir)) return;
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) {
        if (entry.name !== 'node_modules') walk(full);
      } else if (pattern.test(entry.name)) found.push(full);
    }
  };
  for (const root of roots) walk(root);
  return found.sort();
}

export function runNodeTests(
  suite: string,
  files: string[],
  env: Record<string, string> = {},
  options: { concurrency?: number } = {},
): number {
  if (files.length === 0) {
    process.stderr.write(`[${suite}] no test file found: failing\n`);
    return 1;
  }
  process.stderr.write(`[${suite}] ${files.length} test files\n`);
  const result = spawnSync(
    process.execPath,
    ['--import', 'tsx', '--test', `--test-concurrency=${options.concurrency ?? 2}`, ...files],
    { stdio: 'inherit', env: { ...process.env, TZ: 'UTC', ...env } },
  );
  return result.status ?? 1;
}
