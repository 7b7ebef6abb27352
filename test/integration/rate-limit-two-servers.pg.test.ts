import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { fetchBrowser, pgQuery } from '../support/fetch-browser.ts';
import { runCli, type ServerProcess, startServer, tempDir } from '../support/processes.ts';
import { databaseUrlFor, pgTestDatabaseName } from '../support/test-db.ts';

/**
 * The sign-in lockout and the link-request limit hold across several app servers sharing one
 * PostgreSQL. Two real server processes on one migrated database; requests alternate between them.
 */
const query = pgQuery;
const client = fetchBrowser;

const EMAIL = 'coordination@example.org';
const PASSWORD = 'une phrase de passe bien longue';

describe('rate limits across two app servers sharing one PostgreSQL', () => {
  const name = pgTestDatabaseName(`two_${process.pid}`);
  const url = databaseUrlFor(name);
  const work = tempDir();
  const servers: ServerProcess[] = [];
  before(async () => {
    await query(process.env.DATABASE_URL as string, `drop database if exists ${name} with (force)`);
    await query(process.env.DATABASE_URL as string, `create database ${name}`);
    const env = { DATABASE_URL: url, DATA_DIR: path.join(work, 'unused') };
    const migrated = await runCli(['db', 'migrate'], env);
    assert.equal(migrated.code, 0, migrated.stderr);
    const created = await runCli(['accounts', 'create-coordinator', '--email', EMAIL], env);
    assert.equal(created.code, 0, created.stderr);
    const link = new URL(created.stdout.trim());
    servers.push(await startServer(env), await startServer(env));
    // The coordinator chooses a password through the link, on the first server.
    const browser = client(servers[0]?.url as string);
    const accepted = await browser.request(link.pathname, {
      _csrf: await browser.csrf(link.pathname),
      displayName: 'Camille',
      password: PASSWORD,
      confirmation: PASSWORD,
    });
    assert.equal(accepted.status, 303, 'the password is set');
  });
  after(async () => {
    for (const server of servers) await server.stop();
    await query(process.env.DATABASE_URL as string, `drop database if exists ${name} with (force)`);
    fs.rmSync(work, { recursive: true, force: true });
  });

  it('locks the account after 10 wrong passwords spread over both servers; the 11th is refused unchecked', async () => {
    const [a, b] = servers.map((s) => client(s.url)) as [
      ReturnType<typeof client>,
      ReturnType<typeof client>,
    ];
    for (let i = 0; i < 10; i++) {
      const browser = i % 2 === 0 ? a : b;
      const res = await browser.request('/connexion', {
        _csrf: await browser.csrf('/connexion'),
        email: EMAIL,
        password: `mauvais mot de passe ${i}`,
      });
      assert.equal(res.status, 401, `attempt ${i + 1} on server ${i % 2 === 0 ? 'A' : 'B'}`);
      assert.match(await res.text(), /L(&#39;|')adresse e-mail ou le mot de passe est incorrect/);
    }
    // The 11th, with the RIGHT password, on either server: locked, without the password being checked.
    for (const browser of [a, b]) {
      const res = await browser.request('/connexion', {
        _csrf: await browser.csrf('/connexion'),
        email: EMAIL,
        password: PASSWORD,
      });
      assert.equal(res.status, 429);
      const html = await res.text();
      assert.match(html, /Trop d(&#39;|')essais de connexion pour ce compte/);
      assert.match(html, /bloquée pendant 15 minutes/);
      assert.ok(!res.headers.getSetCookie().some((c) => /session/i.test(c)), 'no session opened');
    }
    const [failed] = await query<{ n: number }>(
      url,
      "select count(*)::int as n from audit_log where action = 'sign_in.failed'",
    );
    const [locked] = await query<{ n: number }>(
      url,
      "select count(*)::int as n from audit_log where action = 'sign_in.locked'",
    );
    assert.equal(failed?.n, 10, 'ten passwords checked and refused');
    assert.equal(locked?.n, 2, 'the next attempts were refused before any check');
    const counters = await query<{ key: string; count: number }>(
      url,
      "select split_part(key, ':', 2) as key, count from rate_limit where key like 'sign_in:%' order by 1",
    );
    assert.deepEqual(
      counters.map((c) => [c.key, c.count]),
      [
        ['account', 10],
        ['address', 10],
        ['pair', 10],
      ],
      'counters shared by both servers (account, address, account and address), not raised by refused attempts',
    );
  });

  it('limits sign-in link requests to 5 an hour per address across both servers', async () => {
    const [a, b] = servers.map((s) => client(s.url)) as [
      ReturnType<typeof client>,
      ReturnType<typeof client>,
    ];
    const statuses: number[] = [];
    for (let i = 0; i < 7; i++) {
      const browser = i % 2 === 0 ? a : b;
      const res = await browser.request('/connexion/lien', {
        _csrf: await browser.csrf('/connexion'),
        email: EMAIL,
      });
      statuses.push(res.status);
      const html = await res.text();
      if (res.status === 429) assert.match(html, /Vous avez demandé trop de liens pour cette adresse/);
    }
    assert.deepEqual(statuses, [200, 200, 200, 200, 200, 429, 429]);
    const [mails] = await query<{ n: number }>(
      url,
      "select count(*)::int as n from mail_outbox where subject = 'Votre lien de connexion à Maillage'",
    );
    assert.equal(mails?.n, 5, 'five links sent, whichever server was asked');
  });
});
