import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import pg from 'pg';
import { readMigrationFiles } from '../../src/db/migrate.ts';
import { sampleRow, toCsv } from '../support/fixtures.ts';
import { runCli, runCliInProcess, tempDir } from '../support/processes.ts';
import { databaseUrlFor, pgTestDatabaseName } from '../support/test-db.ts';

// `db backup|restore` on PostgreSQL, with the machine's pg_dump, pg_restore and psql (decision 0048),
// on databases of their own: a Maillage one, and a foreign one whose dump must be refused.

async function query<T extends pg.QueryResultRow>(url: string, text: string): Promise<T[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query<T>(text)).rows;
  } finally {
    await client.end();
  }
}
const admin = (text: string) => query(process.env.DATABASE_URL as string, text);

/** Every table of the schema with a digest of all its rows: equal snapshots, equal content. */
async function snapshot(url: string): Promise<Record<string, string>> {
  const tables = await query<{ name: string }>(
    url,
    "select table_name as name from information_schema.tables where table_schema = 'public' order by 1",
  );
  const out: Record<string, string> = {};
  for (const { name } of tables) {
    const [row] = await query<{ n: string; digest: string | null }>(
      url,
      `select count(*) as n, md5(string_agg(t::text, E'\\n' order by t::text)) as digest from public."${name}" t`,
    );
    out[name] = `${row?.n}:${row?.digest}`;
  }
  return out;
}

const name = pgTestDatabaseName(`backup_${process.pid}`);
const foreign = pgTestDatabaseName(`foreign_${process.pid}`);
const url = databaseUrlFor(name);
let work = '';
const env = () => ({ DATABASE_URL: url, DATA_DIR: path.join(work, 'unused') });

before(async () => {
  work = tempDir('maillage-pg-backup-');
  for (const db of [name, foreign]) {
    await admin(`drop database if exists ${db} with (force)`);
    await admin(`create database ${db}`);
  }
  const migrated = await runCliInProcess(['db', 'migrate'], env());
  assert.equal(migrated.code, 0, migrated.stderr);
  const csv = path.join(work, 'lieux.csv');
  fs.writeFileSync(csv, toCsv([sampleRow(), sampleRow(), sampleRow()]));
  const imported = await runCliInProcess(['places', 'import', csv, '--format', 'json'], env());
  assert.equal(JSON.parse(imported.stdout).imported, 3, imported.stderr);
  const account = await runCliInProcess(
    ['accounts', 'create-coordinator', '--email', 'coordination@example.org'],
    env(),
  );
  assert.equal(account.code, 0, account.stderr);
});
after(async () => {
  await admin(`drop database if exists ${name} with (force)`);
  await admin(`drop database if exists ${foreign} with (force)`);
  fs.rmSync(work, { recursive: true, force: true });
});

describe('db backup and db restore on PostgreSQL', () => {
  it('brings back exactly the data of the backup, with migrations current, keeping the replaced database', async () => {
    const before = await snapshot(url);
    assert.equal(before.place?.split(':')[0], '3');
    assert.equal(before.person?.split(':')[0], '1');
    assert.notEqual(before.audit_log?.split(':')[0], '0', 'the account creation is in the journal');

    const file = path.join(work, 'sauvegarde.dump');
    const saved = await runCliInProcess(['db', 'backup', file, '--format', 'json'], env());
    assert.equal(saved.code, 0, saved.stderr);
    assert.equal(JSON.parse(saved.stdout).bytes, fs.statSync(file).size);
    assert.ok(!fs.existsSync(`${file}.partial`));
    // A custom-format archive, as an operator would check it.
    assert.match(execFileSync('pg_restore', ['--list', file], { encoding: 'utf8' }), /Format: CUSTOM/);

    // Life goes on after the backup: a place renamed, another deleted, one more account (and its journal
    // line), and a table a later migration would have made, pointing at a place.
    await query(
      url,
      "update place set nom = 'Renommé après la sauvegarde' where id = (select id from place order by nom limit 1)",
    );
    await query(url, 'delete from place where id = (select id from place order by nom desc limit 1)');
    const second = await runCliInProcess(
      ['accounts', 'create-coordinator', '--email', 'apres@example.org'],
      env(),
    );
    assert.equal(second.code, 0, second.stderr);
    await query(url, 'create table later_table (place_id uuid references place (id))');
    await query(url, 'insert into later_table select id from place limit 1');
    assert.notDeepEqual(await snapshot(url), before);

    const restored = await runCliInProcess(['db', 'restore', file, '--format', 'json'], env());
    assert.equal(restored.code, 0, restored.stderr);
    const report = JSON.parse(restored.stdout);
    assert.deepEqual(report.pending, []);
    assert.deepEqual(await snapshot(url), before, 'every table holds exactly the rows of the backup');

    const applied = await query<{ name: string }>(url, 'select name from schema_migration order by name');
    assert.deepEqual(
      applied.map((r) => r.name),
      readMigrationFiles().map((m) => m.name),
    );
    const twice = await runCliInProcess(['db', 'migrate', '--format', 'json'], env());
    assert.deepEqual(JSON.parse(twice.stdout), { applied: [] });
    // The append-only journal is still append-only (its trigger came back with it).
    await assert.rejects(() => query(url, 'delete from audit_log'), /append-only/);

    // The database replaced was saved beside the backup, with what the restore removed.
    assert.ok(fs.existsSync(report.previous), report.previous);
    assert.equal(path.dirname(report.previous), work);
    assert.match(
      execFileSync('pg_restore', ['--list', report.previous], { encoding: 'utf8' }),
      /later_table/,
    );
  });

  it('refuses what is not a Maillage dump, names the file, and changes nothing', async () => {
    const current = await snapshot(url);
    const text = path.join(work, 'pas-une-sauvegarde.dump');
    fs.writeFileSync(text, 'bonjour, ceci est un fichier texte\n');
    const otherDb = path.join(work, 'autre-base.dump');
    await query(databaseUrlFor(foreign), 'create table note (id int primary key, body text)');
    const dumped = await runCliInProcess(['db', 'backup', otherDb], {
      DATABASE_URL: databaseUrlFor(foreign),
    });
    assert.equal(dumped.code, 0, dumped.stderr);
    const good = path.join(work, 'bonne.dump');
    assert.equal((await runCliInProcess(['db', 'backup', good], env())).code, 0);
    const truncated = path.join(work, 'coupee.dump');
    const bytes = fs.readFileSync(good);
    fs.writeFileSync(truncated, bytes.subarray(0, Math.floor(bytes.length * 0.6)));

    for (const [file, why] of [
      [text, /n'est pas une sauvegarde PostgreSQL de Maillage/],
      [otherDb, /n'est pas une sauvegarde PostgreSQL de Maillage \(pas de table schema_migration\)/],
      [truncated, /n'a pas été modifiée/],
      [path.join(work, 'absente.dump'), /n'existe pas/],
    ] as const) {
      const before = fs.readdirSync(work);
      const refused = await runCliInProcess(['db', 'restore', file], env());
      assert.equal(refused.code, 1, `${file}: ${refused.stdout}`);
      assert.match(refused.stderr, why);
      assert.ok(refused.stderr.includes(path.basename(file)) || file === truncated, refused.stderr);
      assert.deepEqual(await snapshot(url), current, `${path.basename(file)} changed nothing`);
      if (file !== truncated) assert.deepEqual(fs.readdirSync(work), before, 'no copy made for nothing');
    }
  });

  it('leaves the database as it was when the restore fails half-way (a role of the dump is missing)', async () => {
    const role = pgTestDatabaseName(`lecture_${process.pid}`);
    await admin(`drop role if exists ${role}`);
    await admin(`create role ${role}`);
    const file = path.join(work, 'avec-role.dump');
    try {
      await query(url, `grant select on place to ${role}`);
      assert.equal((await runCliInProcess(['db', 'backup', file], env())).code, 0);
      await query(url, `revoke select on place from ${role}`);
      await admin(`drop role ${role}`);
      // A change after the backup: a restore that went through would undo it.
      await query(url, "update place set nom = 'Changé après la sauvegarde' where nom like 'Médiathèque%'");
      const current = await snapshot(url);

      const failed = await runCliInProcess(['db', 'restore', file], env());
      assert.equal(failed.code, 1, failed.stdout);
      assert.match(
        failed.stderr,
        /La restauration a échoué, la base n'a pas été modifiée : « psql » a échoué/,
      );
      assert.match(failed.stderr, new RegExp(`role "${role}" does not exist`));
      // The schema was emptied and half the dump loaded inside the transaction; all of it rolled back.
      assert.deepEqual(await snapshot(url), current);
      const [kept] = await query<{ n: number }>(
        url,
        "select count(*)::int as n from place where nom = 'Changé après la sauvegarde'",
      );
      assert.ok((kept?.n ?? 0) > 0);
    } finally {
      await admin(`drop role if exists ${role}`);
    }
  });

  it('says which tool is missing, writes no file, exit 1', async () => {
    const emptyPath = tempDir('maillage-no-tools-');
    try {
      const file = path.join(work, 'sans-outils.dump');
      const result = await runCli(['db', 'backup', file], { ...env(), PATH: emptyPath });
      assert.equal(result.code, 1);
      assert.match(result.stderr, /« pg_dump » est introuvable sur cette machine \(pg_dump not found\)/);
      assert.match(result.stderr, /postgresql-client/);
      assert.ok(!fs.existsSync(file) && !fs.existsSync(`${file}.partial`));
    } finally {
      fs.rmSync(emptyPath, { recursive: true, force: true });
    }
  });

  it('shows what pg_dump said when it fails, without the password of DATABASE_URL', async () => {
    const wrong = new URL(url);
    wrong.password = 'mot-de-passe-secret';
    wrong.pathname = `/${pgTestDatabaseName('absente')}`;
    const file = path.join(work, 'echec.dump');
    const result = await runCliInProcess(['db', 'backup', file], { DATABASE_URL: wrong.toString() });
    assert.equal(result.code, 1);
    assert.match(result.stderr, /La sauvegarde a échoué, aucun fichier écrit : « pg_dump » a échoué/);
    assert.match(result.stderr, /does not exist/);
    assert.ok(!result.stderr.includes('mot-de-passe-secret'));
    assert.ok(!fs.existsSync(file) && !fs.existsSync(`${file}.partial`));
  });
});
