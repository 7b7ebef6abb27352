import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import ts from 'typescript';

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

const TEST_DB = path.resolve(import.meta.dirname, 'test-db.ts');

/**
 * Does a test file get its database from test/support/test-db.ts (directly or through another support
 * module)? Only those run on PostgreSQL under MAILLAGE_TEST_DB=pg; the others (pure rules, HTTP without a
 * database, the embedded database on purpose) would only run a second time, identically.
 */
export function usesTestDatabase(file: string, seen = new Set<string>()): boolean {
  const full = path.resolve(file);
  if (full === TEST_DB) return true;
  if (seen.has(full)) return false;
  seen.add(full);
  const { importedFiles } = ts.preProcessFile(fs.readFileSync(full, 'utf8'), true, true);
  return importedFiles.some(({ fileName }) => {
    if (!fileName.startsWith('.')) return false;
    const target = path.resolve(path.dirname(full), fileName);
    return (
      target.includes(`${path.sep}test${path.sep}`) && fs.existsSync(target) && usesTestDatabase(target, seen)
    );
  });
}

/**
 * The files named on the command line (`npm run test:pg -- src/db`), or all of them: a name selects the
 * files whose path contains it. A name that selects nothing fails the run, as an empty suite does.
 */
export function selectFiles(files: string[], names = process.argv.slice(2)): string[] {
  if (names.length === 0) return files;
  const missing = names.filter((name) => !files.some((f) => f.includes(name)));
  if (missing.length) {
    process.stderr.write(`no test file matches: ${missing.join(', ')}\n`);
    return [];
  }
  return files.filter((f) => names.some((name) => f.includes(name)));
}

export function runNodeTests(
  suite: string,
  files: string[],
  env: Record<string, string> = {},
  options: { concurrency?: number } = {},
): number {
  files = selectFiles(files);
  if (files.length === 0) {
    process.stderr.write(`[${suite}] no test file found: failing\n`);
    return 1;
  }
  process.stderr.write(`[${suite}] ${files.length} test files\n`);
  // A test file whose process never ends (a database left open) would hang the suite: past this
  // limit the suite is stopped and fails, saying why.
  const minutes = Number(process.env.MAILLAGE_SUITE_TIMEOUT_MINUTES ?? 40);
  const result = spawnSync(
    process.execPath,
    ['--import', 'tsx', '--test', `--test-concurrency=${options.concurrency ?? 2}`, ...files],
    {
      stdio: 'inherit',
      env: { ...process.env, TZ: 'UTC', ...env },
      timeout: minutes * 60_000,
      killSignal: 'SIGKILL',
    },
  );
  if (result.signal !== null || result.error) {
    process.stderr.write(
      `[${suite}] stopped after ${minutes} minutes (MAILLAGE_SUITE_TIMEOUT_MINUTES): a test file did not end — look for a database or server left open\n`,
    );
    return 1;
  }
  return result.status ?? 1;
}
