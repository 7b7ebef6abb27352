import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { DomainError } from '../shared/domain-error.ts';
import { readMigrationFiles } from './migrate.ts';

/**
 * Backups of a PostgreSQL database with the machine's own `pg_dump` and `pg_restore`
 * (docs/decisions/0048): custom format (`-Fc`), tools spawned with arguments (never a shell), the
 * password given through the environment (PGPASSWORD), never on a command line others can read in `ps`.
 * A restore empties the application's schema and loads the dump in one transaction: it happens entirely
 * or not at all.
 */

/** libpq's environment for a DATABASE_URL: what node-postgres reads from the URL, as variables. */
export function libpqEnvironment(databaseUrl: string): Record<string, string> {
  let url: URL;
  try {
    url = new URL(databaseUrl);
  } catch {
    throw new DomainError(
      'invalid_input',
      "DATABASE_URL n'est pas une adresse lisible par pg_dump (DATABASE_URL is not a URL pg_dump can use).",
    );
  }
  const env: Record<string, string> = {};
  const put = (name: string, value: string | null | undefined) => {
    if (value) env[name] = value;
  };
  const params = url.searchParams;
  put('PGHOST', params.get('host') ?? url.hostname.replace(/^\[|\]$/g, ''));
  put('PGPORT', params.get('port') ?? url.port);
  put('PGUSER', params.get('user') ?? decodeURIComponent(url.username));
  put('PGPASSWORD', params.get('password') ?? decodeURIComponent(url.password));
  put('PGDATABASE', decodeURIComponent(url.pathname.replace(/^\//, '')));
  const sslmode = params.get('sslmode') ?? (/^(true|1)$/.test(params.get('ssl') ?? '') ? 'require' : null);
  put('PGSSLMODE', sslmode);
  put('PGSSLROOTCERT', params.get('sslrootcert'));
  put('PGSSLCERT', params.get('sslcert'));
  put('PGSSLKEY', params.get('sslkey'));
  put('PGAPPNAME', params.get('application_name') ?? 'maillage-backup');
  put('PGOPTIONS', params.get('options'));
  put('PGCONNECT_TIMEOUT', params.get('connect_timeout') ?? '10');
  return env;
}

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

const TOOL_HINT =
  "Installez le paquet « postgresql-client » (Debian : apt install postgresql-client), d'une version égale " +
  'ou plus récente que celle du serveur PostgreSQL, ou mettez son dossier dans PATH ' +
  '(install postgresql-client, same major version as the server or newer).';

function missingTool(tool: string): DomainError {
  return new DomainError(
    'unavailable',
    `La commande « ${tool} » est introuvable sur cette machine (${tool} not found). ${TOOL_HINT}`,
  );
}

/** What a failed tool said, with a hint when it is the known version mismatch. */
function failure(tool: string, run: Run, what: string): DomainError {
  const said = run.stderr.trim().split('\n').slice(-8).join('\n');
  const mismatch = /version mismatch|unsupported version/i.test(said)
    ? `\nLes outils PostgreSQL de cette machine sont plus anciens que le serveur ou que la sauvegarde : ${TOOL_HINT}`
    : '';
  const locked = /lock timeout/i.test(said)
    ? "\nUne table est occupée par un autre programme (un serveur d'application encore lancé ?) : arrêtez les serveurs d'application, puis recommencez."
    : '';
  return new DomainError(
    'unavailable',
    `${what} : « ${tool} » a échoué (code ${run.code ?? 'signal'}) (${tool} failed).\n${said}${mismatch}${locked}`,
    { tool, code: run.code, stderr: said },
  );
}

function spawnTool(tool: string, args: string[], databaseUrl: string) {
  return spawn(tool, args, {
    env: { ...process.env, ...libpqEnvironment(databaseUrl) },
    stdio: ['ignore', 'pipe', 'pipe'],
    shell: false,
  });
}

/** Runs one tool to its end; rejects with a clear error when it is not installed. */
function runTool(tool: string, args: string[], databaseUrl: string): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawnTool(tool, args, databaseUrl);
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => {
      stdout += d;
    });
    child.stderr.on('data', (d) => {
      stderr += d;
    });
    child.on('error', (error: NodeJS.ErrnoException) => {
      reject(error.code === 'ENOENT' ? missingTool(tool) : error);
    });
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

/**
 * Writes a custom-format dump of the whole database to `file` (through `file.partial`, renamed at the
 * end: a failed backup never leaves a file that looks complete). pg_dump reads one snapshot: app servers
 * may keep serving meanwhile. Returns the size in bytes.
 */
export async function backupPostgres(databaseUrl: string, file: string): Promise<number> {
  const target = path.resolve(file);
  const partial = `${target}.partial`;
  fs.rmSync(partial, { force: true });
  let run: Run;
  try {
    run = await runTool('pg_dump', ['--format=custom', '--no-password', `--file=${partial}`], databaseUrl);
  } catch (error) {
    fs.rmSync(partial, { force: true });
    throw error;
  }
  if (run.code !== 0) {
    fs.rmSync(partial, { force: true });
    throw failure('pg_dump', run, 'La sauvegarde a échoué, aucun fichier écrit');
  }
  fs.renameSync(partial, target);
  return fs.statSync(target).size;
}

/**
 * What a dump holds, checked before anything is changed: a custom-format archive (`pg_restore --list`
 * reads it), of a Maillage database (it has the `schema_migration` table), whose migrations this code
 * knows (a dump of a newer version would leave a database this code cannot run). Returns the names of
 * the migrations recorded in the dump.
 */
export async function inspectDump(databaseUrl: string, file: string): Promise<string[]> {
  const notADump = (why: string) =>
    new DomainError(
      'invalid_file',
      `Le fichier « ${file} » n'est pas une sauvegarde PostgreSQL de Maillage (${why}) : la base n'a pas été modifiée. ` +
        '(Not a Maillage PostgreSQL backup made by « db backup »: nothing was changed.)',
    );
  const list = await runTool('pg_restore', ['--list', file], databaseUrl);
  if (list.code !== 0) {
    if (/unsupported version/i.test(list.stderr)) {
      throw failure(
        'pg_restore',
        list,
        `Le fichier « ${file} » ne peut pas être lu, la base n'a pas été modifiée`,
      );
    }
    throw notADump(list.stderr.trim().replace(/^pg_restore: error: /, '') || 'illisible');
  }
  if (!/^\d+; \d+ \d+ TABLE public schema_migration(?: |$)/m.test(list.stdout)) {
    throw notADump('pas de table schema_migration');
  }
  const data = await runTool(
    'pg_restore',
    ['--data-only', '--table=schema_migration', '--file=-', file],
    databaseUrl,
  );
  if (data.code !== 0) throw failure('pg_restore', data, "La sauvegarde n'a pas pu être lue");
  const copy = /^COPY public\.schema_migration \(([^)]*)\) FROM stdin;\n([\s\S]*?)^\\\.$/m.exec(data.stdout);
  const columns = (copy?.[1] ?? '').split(', ');
  const nameAt = columns.indexOf('name');
  const names = (copy?.[2] ?? '')
    .split('\n')
    .filter((line) => line !== '')
    .map((line) => line.split('\t')[nameAt] ?? '');
  const known = new Set(readMigrationFiles().map((m) => m.name));
  const unknown = names.filter((n) => !known.has(n));
  if (unknown.length > 0) {
    throw new DomainError(
      'migrations_pending',
      `La sauvegarde vient d'une version plus récente de Maillage (migration « ${unknown[0]} » inconnue de ce code) : ` +
        "installez cette version avant de restaurer. La base n'a pas été modifiée. (The backup is from a newer version.)",
      { unknown },
    );
  }
  return names;
}

/**
 * Drops what the application's schema holds (views, then tables with their identity sequences, then the
 * other sequences, functions and types; nothing that belongs to an extension) so that the dump finds an empty schema: a table made by a migration later than the
 * backup would otherwise survive the restore, and the next `db migrate` would stumble on it. A table
 * locked by someone else (a long query of an app server left running) makes the restore give up after
 * 30 s, rather than wait for ever while every query on that table queues behind it.
 */
const EMPTY_PUBLIC_SCHEMA = `
SET client_min_messages = warning;
SET lock_timeout = '30s';
DO $maillage_restore$
DECLARE
  statements text[];
  statement text;
BEGIN
  -- Every statement is written before the first runs: a name read after a cascade would be a bare oid.
  SELECT coalesce(array_agg(s ORDER BY rank, s), '{}') INTO statements FROM (
    SELECT format('DROP %s IF EXISTS %I.%I CASCADE',
        CASE c.relkind WHEN 'v' THEN 'VIEW' WHEN 'm' THEN 'MATERIALIZED VIEW' WHEN 'S' THEN 'SEQUENCE'
          WHEN 'f' THEN 'FOREIGN TABLE' ELSE 'TABLE' END, n.nspname, c.relname) AS s,
      CASE WHEN c.relkind IN ('v', 'm') THEN 0 WHEN c.relkind = 'S' THEN 2 ELSE 1 END AS rank
    FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
    WHERE n.nspname = 'public' AND c.relkind IN ('v', 'm', 'r', 'p', 'f', 'S')
      AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.objid = c.oid AND d.deptype = 'e')
    UNION ALL
    SELECT format('DROP %s IF EXISTS %I.%I(%s) CASCADE',
        CASE p.prokind WHEN 'p' THEN 'PROCEDURE' WHEN 'a' THEN 'AGGREGATE' ELSE 'FUNCTION' END,
        n.nspname, p.proname, pg_get_function_identity_arguments(p.oid)), 3
    FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
    WHERE n.nspname = 'public'
      AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.objid = p.oid AND d.deptype = 'e')
    UNION ALL
    SELECT format('DROP TYPE IF EXISTS %I.%I CASCADE', n.nspname, t.typname), 4
    FROM pg_type t JOIN pg_namespace n ON n.oid = t.typnamespace
    WHERE n.nspname = 'public' AND t.typtype IN ('e', 'd', 'r', 'm')
      AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.objid = t.oid AND d.deptype = 'e')
  ) AS drops;
  FOREACH statement IN ARRAY statements LOOP
    EXECUTE statement;
  END LOOP;
END
$maillage_restore$;
`;

/**
 * Replaces the database's content by a dump's, in one transaction: `pg_restore --clean --if-exists
 * --no-owner` writes the SQL, `psql --single-transaction -v ON_ERROR_STOP=1` runs it after emptying the
 * schema. psql's input is closed (and the transaction committed) only once pg_restore ended well; when
 * pg_restore or psql fails, psql is stopped before committing and the database is left as it was.
 */
export async function restorePostgres(databaseUrl: string, file: string): Promise<void> {
  const psql = spawn(
    'psql',
    ['--no-psqlrc', '--quiet', '--no-password', '--single-transaction', '--set=ON_ERROR_STOP=1', '--file=-'],
    {
      env: { ...process.env, ...libpqEnvironment(databaseUrl) },
      stdio: ['pipe', 'ignore', 'pipe'],
      shell: false,
    },
  );
  let psqlErr = '';
  psql.stderr.on('data', (d) => {
    psqlErr += d;
  });
  const psqlDone = new Promise<number | null>((resolve, reject) => {
    psql.on('error', (error: NodeJS.ErrnoException) =>
      reject(error.code === 'ENOENT' ? missingTool('psql') : error),
    );
    psql.on('close', (code) => resolve(code));
  });
  // Writes to a psql that already stopped (a failed statement) must not crash the command.
  psql.stdin.on('error', () => {});
  psql.stdin.write(EMPTY_PUBLIC_SCHEMA);

  const restore = spawnTool(
    'pg_restore',
    ['--clean', '--if-exists', '--no-owner', '--file=-', file],
    databaseUrl,
  );
  let restoreErr = '';
  restore.stderr.on('data', (d) => {
    restoreErr += d;
  });
  restore.stdout.pipe(psql.stdin, { end: false });
  const restoreDone = new Promise<number | null>((resolve, reject) => {
    restore.on('error', (error: NodeJS.ErrnoException) =>
      reject(error.code === 'ENOENT' ? missingTool('pg_restore') : error),
    );
    restore.on('close', (code) => resolve(code));
  });

  // psql stopped early (a statement failed): pg_restore would wait forever on a full pipe.
  let psqlEnded = false;
  void psqlDone
    .finally(() => {
      psqlEnded = true;
      // Nobody reads pg_restore's output any more: drain it, or its stream would never close.
      restore.stdout.unpipe(psql.stdin);
      restore.stdout.resume();
      if (restore.exitCode === null) restore.kill('SIGTERM');
    })
    .catch(() => {});
  let restoreCode: number | null;
  try {
    restoreCode = await restoreDone;
  } catch (error) {
    psql.kill('SIGKILL');
    await psqlDone.catch(() => null);
    throw error;
  }
  if (psqlEnded) {
    const psqlCode = await psqlDone;
    throw failure(
      'psql',
      { code: psqlCode, stdout: '', stderr: psqlErr },
      "La restauration a échoué, la base n'a pas été modifiée",
    );
  }
  if (restoreCode !== 0) {
    psql.kill('SIGKILL'); // before it reads the end of its input: nothing is committed
    await psqlDone.catch(() => null);
    throw failure(
      'pg_restore',
      { code: restoreCode, stdout: '', stderr: restoreErr },
      "La restauration a échoué, la base n'a pas été modifiée",
    );
  }
  psql.stdin.end();
  const psqlCode = await psqlDone;
  if (psqlCode !== 0) {
    throw failure(
      'psql',
      { code: psqlCode, stdout: '', stderr: psqlErr },
      "La restauration a échoué, la base n'a pas été modifiée",
    );
  }
}
