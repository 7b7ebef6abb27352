import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import * as OTPAuth from 'otpauth';
import { fetchBrowser, pgQuery } from '../support/fetch-browser.ts';
import { sampleRow, toCsv } from '../support/fixtures.ts';
import { runCli, type ServerProcess, startServer, tempDir } from '../support/processes.ts';
import { databaseUrlFor, pgTestDatabaseName } from '../support/test-db.ts';

/**
 * An import from the web across two app servers sharing one PostgreSQL: the file is uploaded on one,
 * its dry run done by whichever runner takes it, the import confirmed on the other; both show the same
 * upload and the same result. Two real server processes on one migrated database.
 */
const query = pgQuery;
/** One person, one session, going from one server to the other (whole addresses). */
const person = () => fetchBrowser();

const EMAIL = 'coordination@example.org';
const PASSWORD = 'une phrase de passe bien longue';

/** Reads the upload's page until `pattern` shows (the runners work in the background). */
async function waitFor(browser: ReturnType<typeof person>, url: string, pattern: RegExp): Promise<string> {
  const deadline = Date.now() + 60_000;
  let html = '';
  while (Date.now() < deadline) {
    html = await (await browser.request(url)).text();
    if (pattern.test(html)) return html;
    await new Promise((r) => setTimeout(r, 300));
  }
  assert.fail(`the page never showed ${pattern}; last page:\n${html.slice(0, 2000)}`);
}

describe('imports from the web across two app servers sharing one PostgreSQL', () => {
  const name = pgTestDatabaseName(`imp_${process.pid}`);
  const url = databaseUrlFor(name);
  const work = tempDir();
  const servers: ServerProcess[] = [];
  const browser = person();
  before(async () => {
    await query(process.env.DATABASE_URL as string, `drop database if exists ${name} with (force)`);
    await query(process.env.DATABASE_URL as string, `create database ${name}`);
    const env = { DATABASE_URL: url, DATA_DIR: path.join(work, 'unused'), TERRITORY: 'dep:45' };
    const migrated = await runCli(['db', 'migrate'], env);
    assert.equal(migrated.code, 0, migrated.stderr);
    const created = await runCli(['accounts', 'create-coordinator', '--email', EMAIL], env);
    assert.equal(created.code, 0, created.stderr);
    const link = new URL(created.stdout.trim());
    servers.push(await startServer(env), await startServer(env));
    const a = servers[0]?.url as string;
    const accepted = await browser.request(
      `${a}${link.pathname}`,
      new URLSearchParams({
        _csrf: await browser.csrf(`${a}${link.pathname}`),
        displayName: 'Camille',
        password: PASSWORD,
        confirmation: PASSWORD,
      }),
    );
    assert.equal(accepted.status, 303, 'the password is set');
    // A coordinator turns the second factor on before anything else: the secret shown, then a code.
    const enrolment = `${a}/compte/double-authentification`;
    const page = await (await browser.request(enrolment)).text();
    const secret = /<code class="secret">([A-Z2-7]+)<\/code>/.exec(page)?.[1];
    assert.ok(secret, 'the enrolment page shows the secret');
    const code = new OTPAuth.TOTP({ secret: OTPAuth.Secret.fromBase32(secret) }).generate();
    const enrolled = await browser.request(
      enrolment,
      new URLSearchParams({ _csrf: /name="_csrf" value="([^"]+)"/.exec(page)?.[1] ?? '', code }),
    );
    assert.equal(enrolled.status, 200, 'the second factor is on (the recovery codes are shown)');
  });
  after(async () => {
    for (const server of servers) await server.stop();
    await query(process.env.DATABASE_URL as string, `drop database if exists ${name} with (force)`);
    fs.rmSync(work, { recursive: true, force: true });
  });

  it('uploads on one server, confirms on the other, and imports exactly the file checked', async () => {
    const [a, b] = servers.map((s) => s.url) as [string, string];
    const form = new FormData();
    form.append('_csrf', await browser.csrf(`${a}/imports/nouveau`));
    form.append('source', 'deux-serveurs');
    const csv = toCsv([
      sampleRow({ id: 'd1', nom: 'Lieu des deux serveurs' }),
      sampleRow({ id: 'd2', nom: 'Autre lieu des deux serveurs' }),
    ]);
    form.append('fichier', new File([csv], 'deux.csv', { type: 'text/csv' }));
    const sent = await browser.request(`${a}/imports/nouveau`, form);
    assert.equal(sent.status, 303, await sent.clone().text());
    const page = new URL(sent.headers.get('location') ?? '', a).pathname;

    const previewed = await waitFor(browser, `${b}${page}`, /Importer ce fichier/);
    assert.match(previewed, /2 nouveaux lieux/);
    const sha = /name="empreinte" value="([0-9a-f]{64})"/.exec(previewed)?.[1] ?? '';
    const confirmed = await browser.request(
      `${b}${page}/confirmer`,
      new URLSearchParams({
        _csrf: await browser.csrf(`${b}${page}`),
        empreinte: sha,
        version: /name="version" value="(\d+)"/.exec(previewed)?.[1] ?? '',
      }),
    );
    assert.equal(confirmed.status, 303);
    await waitFor(browser, `${a}${page}`, /Import terminé/);
    const places = await query<{ n: number }>(
      url,
      "select count(*)::int as n from place where source = 'deux-serveurs'",
    );
    assert.equal(places[0]?.n, 2);
    const [record] = await query<{ file_sha256: string; actor: string }>(
      url,
      'select file_sha256, actor from place_import where not dry_run order by seq desc limit 1',
    );
    assert.equal(record?.file_sha256, sha, 'the file imported is the one checked');
    assert.match(record?.actor ?? '', /^personne /, 'recorded in the name of the coordinator who confirmed');
    const list = await (await browser.request(`${a}/imports`)).text();
    assert.match(list, /deux\.csv/);
    assert.match(list, /Camille/);
  });
});
