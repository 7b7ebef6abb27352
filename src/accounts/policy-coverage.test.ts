import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import ts from 'typescript';
import { FUNCTIONS } from '../../test/authorization/matrix.ts';
import { ROLES } from '../../test/authorization/roles.ts';
import { POLICY } from './policy.ts';

/**
 * Authorisation everywhere: every service function that a front door (a route, the API, the command
 * line, the server's start) calls is a policy entry and calls `authorize` with its own name before
 * anything else; every policy entry is seen refusing some role by the authorisation matrix, unless
 * decision record 0023 says that entry is public. A new service function called from a route without a
 * decision fails here, not in production.
 */
const ROOT = path.resolve(import.meta.dirname, '../..');
const SRC = path.join(ROOT, 'src');
const PUBLIC_RECORD = path.join(ROOT, 'docs/decisions/0023-service-entry-points-and-public-functions.md');

function walk(dir: string, out: string[] = []): string[] {
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) walk(full, out);
    else if (/\.tsx?$/.test(entry.name) && !/\.test\.tsx?$/.test(entry.name)) out.push(full);
  }
  return out;
}

const FRONT_DOOR = /(\.routes\.tsx|\.api\.ts|\.cli\.ts|[\\/]app\.tsx|[\\/]server\.ts|[\\/]cli\.ts)$/;

/** Value imports (not types) of front doors from service files: function name → service file. */
function entryPoints(): Map<string, string> {
  const found = new Map<string, string>();
  for (const file of walk(SRC).filter((f) => FRONT_DOOR.test(f))) {
    const source = ts.createSourceFile(file, fs.readFileSync(file, 'utf8'), ts.ScriptTarget.Latest, true);
    for (const statement of source.statements) {
      if (!ts.isImportDeclaration(statement) || statement.importClause?.isTypeOnly) continue;
      const from = (statement.moduleSpecifier as ts.StringLiteral).text;
      if (!/\.service\.ts$/.test(from)) continue;
      const bindings = statement.importClause?.namedBindings;
      if (!bindings || !ts.isNamedImports(bindings)) continue;
      const target = path.resolve(path.dirname(file), from);
      for (const element of bindings.elements) {
        if (element.isTypeOnly) continue;
        const name = (element.propertyName ?? element.name).text;
        // Constants (UPPER_CASE) and classes are not service entry points.
        if (/^[A-Z]/.test(name)) continue;
        found.set(name, target);
      }
    }
  }
  return found;
}

/** The text of an exported function's body in its file, or null. */
function bodyOf(file: string, name: string): string | null {
  const source = ts.createSourceFile(file, fs.readFileSync(file, 'utf8'), ts.ScriptTarget.Latest, true);
  for (const statement of source.statements) {
    if (ts.isFunctionDeclaration(statement) && statement.name?.text === name)
      return statement.body?.getText(source) ?? null;
  }
  return null;
}

/**
 * Service functions that front doors call without a policy entry yet. It only shrinks: each line leaves
 * when its function takes an actor and calls `authorize`.
 */
const PENDING = new Set<string>([]);

/** What is wrong with an entry point (no policy entry, no authorize call), or null. */
function problemOf(name: string, file: string): string | null {
  const where = path.relative(ROOT, file);
  if (!(name in POLICY)) return `${name} (${where}): no policy entry`;
  const body = bodyOf(file, name);
  if (body === null) return `${name}: not a function declared in ${where}`;
  // authorize(actor, 'name') itself, or a helper of the domain given the actor and the name to decide.
  if (!new RegExp(`\\bactor,\\s*'${name}'`).test(body))
    return `${name} (${where}): does not call authorize(actor, '${name}')`;
  return null;
}

describe('authorisation everywhere', () => {
  const entries = entryPoints();

  it('makes every service function a front door calls a policy entry that calls authorize first', () => {
    const wrong = [...entries]
      .filter(([name]) => !PENDING.has(name))
      .map(([name, file]) => problemOf(name, file))
      .filter((p) => p !== null);
    assert.deepEqual(wrong, []);
  });

  it('keeps the list of pending functions honest: each is still a front door’s and still wrong', () => {
    const stale = [...PENDING].filter((name) => {
      const file = entries.get(name);
      return file === undefined || problemOf(name, file) === null;
    });
    assert.deepEqual(stale, [], 'remove these from PENDING');
  });

  it('sees every policy entry refusing some role, unless decision record 0023 says it is public', () => {
    const record = fs.readFileSync(PUBLIC_RECORD, 'utf8');
    const documented = new Set([...record.matchAll(/`(\w+)`/g)].map((m) => m[1]));
    const open = Object.keys(POLICY).filter((fn) => ROLES.every((role) => FUNCTIONS[fn]?.includes(role)));
    assert.deepEqual(
      open.filter((fn) => !documented.has(fn)),
      [],
      'public policy entries missing from docs/decisions/0023',
    );
  });
});
