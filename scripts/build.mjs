// Compiles the server to plain JavaScript in dist/ (docs/decisions/0046): one .js file per source file,
// the tree of src/ kept, relative imports rewritten from .ts/.tsx to .js, and the files the code finds
// next to itself (migrations, stylesheets, scripts, JSON) copied beside it. Plain JavaScript so that it
// runs under `node` alone, without tsx.
//
//   node scripts/build.mjs             build (always)
//   node scripts/build.mjs --if-stale  build only when src/ (or this script) changed since the last build
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const SRC = path.join(ROOT, 'src');
export const OUT = path.join(ROOT, 'dist');
const STAMP = path.join(OUT, '.build-stamp');

/** Files of src/ that the server needs: everything but tests. */
function sourceFiles(dir = SRC, out = []) {
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) sourceFiles(full, out);
    else if (!/\.test\.tsx?$/.test(entry.name)) out.push(full);
  }
  return out.sort();
}

/** Names and contents of the sources and of this script (a few megabytes: milliseconds to read): a
 * changed, added or deleted file changes it; a copy or a checkout that keeps the contents does not. */
function fingerprint(files) {
  const hash = crypto.createHash('sha256');
  for (const file of [...files, fileURLToPath(import.meta.url)]) {
    hash.update(`${path.relative(ROOT, file)}\0`);
    hash.update(fs.readFileSync(file));
  }
  return hash.digest('hex');
}

function isStale(print) {
  try {
    return fs.readFileSync(STAMP, 'utf8').trim() !== print;
  } catch {
    return true;
  }
}

/** Relative imports stay imports of the compiled neighbour (.js); packages stay in node_modules. */
const rewriteRelative = {
  name: 'relative-imports',
  setup(build) {
    build.onResolve({ filter: /^\.\.?\// }, (args) => ({
      path: args.path.replace(/\.tsx?$/, '.js'),
      external: true,
    }));
  },
};

export async function build() {
  const files = sourceFiles();
  const print = fingerprint(files);
  let esbuild;
  try {
    esbuild = await import('esbuild');
  } catch {
    throw new Error(
      'Erreur : esbuild est introuvable (il vient avec tsx). Lancez `npm install`, puis `npm run build`.',
    );
  }
  // A fresh folder: a source removed or renamed (a migration!) must not survive in the output.
  fs.rmSync(OUT, { recursive: true, force: true });
  const code = files.filter((f) => /\.tsx?$/.test(f));
  await esbuild.build({
    entryPoints: code,
    outdir: OUT,
    outbase: SRC,
    bundle: true,
    plugins: [rewriteRelative],
    packages: 'external',
    platform: 'node',
    format: 'esm',
    target: 'node20',
    jsx: 'automatic',
    jsxImportSource: 'hono/jsx',
    logLevel: 'warning',
  });
  for (const file of files.filter((f) => !/\.tsx?$/.test(f))) {
    const target = path.join(OUT, path.relative(SRC, file));
    fs.mkdirSync(path.dirname(target), { recursive: true });
    fs.copyFileSync(file, target);
  }
  fs.writeFileSync(path.join(OUT, 'package.json'), '{ "type": "module" }\n');
  fs.writeFileSync(STAMP, `${print}\n`);
  return { files: code.length, copied: files.length - code.length };
}

if (process.argv[1] && fs.realpathSync(process.argv[1]) === fileURLToPath(import.meta.url)) {
  try {
    if (process.argv.includes('--if-stale') && !isStale(fingerprint(sourceFiles()))) process.exit(0);
    const started = Date.now();
    const done = await build();
    process.stderr.write(
      `Serveur compilé dans dist/ : ${done.files} fichiers, ${done.copied} copiés (${Date.now() - started} ms).\n`,
    );
  } catch (error) {
    process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  }
}
