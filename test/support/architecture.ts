import fs from 'node:fs';
import path from 'node:path';
import ts from 'typescript';

/**
 * The source graph of src/ for the architecture test (docs/decisions/0021-layers-and-table-ownership.md):
 * which file imports which, on which floor each file stands, and which tables each file names in SQL.
 * Read with the TypeScript scanner and parser alone (no type checking): fast, and it sees type imports too.
 */
export const ROOT = path.resolve(import.meta.dirname, '../..');
export const SRC = path.join(ROOT, 'src');

/** Source files of src/ (tests aside), as paths relative to the repository: `src/places/places.ts`. */
export function sourceFiles(dir = SRC): string[] {
  const found: string[] = [];
  const walk = (d: string) => {
    for (const entry of fs.readdirSync(d, { withFileTypes: true })) {
      const full = path.join(d, entry.name);
      if (entry.isDirectory()) walk(full);
      else if (/\.tsx?$/.test(entry.name) && !/\.test\.tsx?$/.test(entry.name))
        found.push(path.relative(ROOT, full).split(path.sep).join('/'));
    }
  };
  walk(dir);
  return found.sort();
}

export interface Edge {
  from: string;
  to: string;
}

/** Every import, export-from and dynamic import between source files (type-only ones included). */
export function importEdges(files: string[]): Edge[] {
  const known = new Set(files);
  const edges: Edge[] = [];
  for (const from of files) {
    const info = ts.preProcessFile(fs.readFileSync(path.join(ROOT, from), 'utf8'), true, true);
    for (const { fileName } of info.importedFiles) {
      if (!fileName.startsWith('.')) continue;
      const to = path.posix.normalize(path.posix.join(path.posix.dirname(from), fileName));
      if (known.has(to)) edges.push({ from, to });
    }
  }
  return edges;
}

/**
 * The floors, highest first. A file may import files of its own floor or of lower ones, never of a higher
 * one. Views stand below the routes that render them; pure domain files (`<domain>.ts` and the other
 * files of a domain without a role suffix) below repositories; the CLI's kit beside http/ and web/ (it
 * is the command line's front-door kit and names db/'s handle); shared/ and config.ts on the ground.
 */
export const FLOORS = [
  'entry point (server.ts, cli.ts)',
  'app.tsx',
  'home/ (top floor of the domains)',
  'routes, API and CLI',
  'views',
  'services',
  'repositories',
  'pure domain files',
  'http/, web/, shared/cli-kit.ts',
  'db/',
  'config.ts and shared/',
] as const;
export type Floor = (typeof FLOORS)[number];

const CROSS_CUTTING = new Set(['db', 'http', 'web', 'shared']);

export function floorOf(file: string): Floor | null {
  const [, top, ...rest] = file.split('/');
  const name = rest.at(-1) ?? top ?? '';
  if (file === 'src/server.ts' || file === 'src/cli.ts') return 'entry point (server.ts, cli.ts)';
  if (file === 'src/app.tsx') return 'app.tsx';
  if (file === 'src/config.ts') return 'config.ts and shared/';
  if (rest.length === 0) return null; // any other file at the root of src/ must be placed here first
  if (top === 'home') return 'home/ (top floor of the domains)';
  if (/\.(routes\.tsx|api\.tsx?|cli\.tsx?)$/.test(name)) return 'routes, API and CLI';
  if (top === 'shared')
    return name === 'cli-kit.ts' ? 'http/, web/, shared/cli-kit.ts' : 'config.ts and shared/';
  if (top === 'http' || top === 'web') return 'http/, web/, shared/cli-kit.ts';
  if (top === 'db') return 'db/';
  if (/\.views\.tsx$/.test(name)) return 'views';
  if (/\.service\.tsx?$/.test(name)) return 'services';
  if (/\.repository\.tsx?$/.test(name)) return 'repositories';
  return 'pure domain files';
}

/** The domain a file belongs to (its folder under src/), or null for entry points and cross-cutting code. */
export function domainOf(file: string): string | null {
  const parts = file.split('/');
  if (parts.length < 3) return null;
  const top = parts[1] as string;
  return CROSS_CUTTING.has(top) ? null : top;
}

/** Imports that climb: `from` stands on a lower floor than `to`. Files without a floor are reported too. */
export function upwardImports(files: string[], edges: Edge[]): string[] {
  const out: string[] = [];
  for (const file of files) if (!floorOf(file)) out.push(`${file}: on no floor (place it in FLOORS)`);
  for (const { from, to } of edges) {
    const a = floorOf(from);
    const b = floorOf(to);
    if (a && b && FLOORS.indexOf(b) < FLOORS.indexOf(a)) out.push(`${from} (${a}) imports ${to} (${b})`);
  }
  return out;
}

/** Import cycles, one line per strongly connected group of files (Tarjan), each group sorted. */
export function importCycles(edges: Edge[]): string[] {
  const next = new Map<string, string[]>();
  for (const { from, to } of edges) next.set(from, [...(next.get(from) ?? []), to]);
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const groups: string[][] = [];
  const visit = (v: string) => {
    index.set(v, index.size);
    low.set(v, index.get(v) as number);
    stack.push(v);
    onStack.add(v);
    for (const w of next.get(v) ?? []) {
      if (!index.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v) as number, low.get(w) as number));
      } else if (onStack.has(w)) low.set(v, Math.min(low.get(v) as number, index.get(w) as number));
    }
    if (low.get(v) === index.get(v)) {
      const group: string[] = [];
      let w: string;
      do {
        w = stack.pop() as string;
        onStack.delete(w);
        group.push(w);
      } while (w !== v);
      if (group.length > 1 || next.get(v)?.includes(v)) groups.push(group.sort());
    }
  };
  for (const v of [...next.keys()].sort()) if (!index.has(v)) visit(v);
  return groups.map((g) => g.join(' ↔ ')).sort();
}

/** Table names of the `Database` interface of src/db/database.ts (read by the parser, no checker). */
export function databaseTables(file = path.join(SRC, 'db/database.ts')): string[] {
  const source = ts.createSourceFile(file, fs.readFileSync(file, 'utf8'), ts.ScriptTarget.Latest, true);
  const database = source.statements.find(
    (s): s is ts.InterfaceDeclaration => ts.isInterfaceDeclaration(s) && s.name.text === 'Database',
  );
  if (!database) throw new Error(`${file} has no \`interface Database\``);
  return database.members.flatMap((m) => (m.name && ts.isIdentifier(m.name) ? [m.name.text] : [])).sort();
}

/** Kysely's methods whose first argument names a table (`'place as p'`, or a list of them). */
const TABLE_METHODS = new Set([
  'selectFrom',
  'insertInto',
  'updateTable',
  'deleteFrom',
  'innerJoin',
  'leftJoin',
  'rightJoin',
  'fullJoin',
  'mergeInto',
  'replaceInto',
  'using',
]);
/** In raw SQL (sql`…`): the word after from, join, into, update, table or `::` (a row type). */
const SQL_TABLE = /\b(?:from|join|into|update|table)\s+([a-z_][a-z0-9_]*)|::([a-z_][a-z0-9_]*)/gi;

const namesByFile = new Map<string, string[]>();

/** The tables a file names in queries: through Kysely's builder or in sql`…` templates. */
export function tablesQueried(file: string, tables: ReadonlySet<string>): string[] {
  let names = namesByFile.get(file);
  if (!names) {
    names = namesInQueries(file);
    namesByFile.set(file, names);
  }
  return names.filter((name) => tables.has(name));
}

/** Every word in a table position of a file's queries (tables, and also CTE names and functions). */
function namesInQueries(file: string): string[] {
  const text = fs.readFileSync(path.join(ROOT, file), 'utf8');
  const source = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true);
  const found = new Set<string>();
  const add = (name: string) => {
    const table = name
      .trim()
      .split(/\s+as\s+/i)[0]
      ?.trim();
    if (table) found.add(table);
  };
  const visit = (node: ts.Node) => {
    // db.selectFrom('place'), and selectFrom('place') destructured from an expression builder
    const callee = ts.isCallExpression(node)
      ? ts.isPropertyAccessExpression(node.expression)
        ? node.expression.name.text
        : ts.isIdentifier(node.expression)
          ? node.expression.text
          : null
      : null;
    if (ts.isCallExpression(node) && callee && TABLE_METHODS.has(callee)) {
      const first = node.arguments[0];
      const names = first && ts.isArrayLiteralExpression(first) ? first.elements : first ? [first] : [];
      for (const n of names) if (ts.isStringLiteralLike(n)) add(n.text);
    }
    if (ts.isTaggedTemplateExpression(node)) {
      const t = node.template;
      const pieces = ts.isNoSubstitutionTemplateLiteral(t)
        ? [t.text]
        : [t.head.text, ...t.templateSpans.map((s) => s.literal.text)];
      for (const piece of pieces)
        for (const m of piece.matchAll(SQL_TABLE)) add((m[1] ?? m[2] ?? '').toLowerCase());
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return [...found].sort();
}
