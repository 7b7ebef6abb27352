import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { insertPerson, insertSession } from '../../src/accounts/accounts.repository.ts';
import { hashToken } from '../../src/accounts/sessions.service.ts';
import { kyselyOverPostgres } from '../../src/db/create-db.ts';
import type { Db } from '../../src/db/database.ts';
import { migrate } from '../../src/db/migrate.ts';
import { getPlaceEditor } from '../../src/places/place-edit.service.ts';
import { formOfValues } from '../../src/places/place-edit-form.ts';
import { type BuiltServer, buildServerIfStale, startBuiltServer } from '../support/built-server.ts';
import { pgQuery } from '../support/fetch-browser.ts';
import { NGINX, type Nginx, proxyBlock, startNginx } from '../support/nginx.ts';
import { pageText, passClient } from '../support/pass-client.ts';
import {
  liveRedemptionsPerCode,
  type RedemptionLoad,
  setUpRedemptionLoad,
} from '../support/pass-load-fixtures.ts';
import { formFields } from '../support/place-edit-fixtures.ts';
import { freePort, ROOT, tempDir } from '../support/processes.ts';

/**
 * Two app servers (plain `node dist/server.js`, as production runs them) on one PostgreSQL, behind a real
 * nginx started by the test: round robin, no sticky sessions, X-Forwarded-* passed with TRUST_PROXY, a
 * dead server skipped (docs/decisions/0047). Under a bounded load of reads and of acknowledged writes
 * (pass numérique redemptions and orientations, each by a signed-in staff member), one server is killed
 * with SIGKILL. Checked: at most 1 % of the requests of the 30 s after the kill fail and none after 10 s;
 * every acknowledged write is in the database; a change made on the survivor is in its search within 5 s;
 * the scheduled jobs, made due, run on the survivor within 60 s, each once.
 */

const READERS = 3;
const REDEEMERS = 2;
/** The kill comes this long after the load started; the load goes on 30 s after it. */
const KILL_AFTER_MS = 10_000;
const AFTER_KILL_MS = 30_000;
/** A pause between two requests of one client: a bounded load on a small shared machine. */
const PAUSE_MS = 15;
/** Writers pause longer: the vouchers made for the test last the whole load. */
const WRITE_PAUSE_MS = 40;
const JOB_TICK_SECONDS = 2;
const SERVICE = 'Aide aux démarches administratives';

const log = (text: string) => process.stderr.write(`failover: ${text}\n`);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

interface Answer {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: string;
}

/** One browser without JavaScript over node:http with keep-alive: a session cookie, forms posted. */
function client(baseUrl: string, sessionToken: string | null) {
  const url = new URL(baseUrl);
  const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
  const send = (method: 'GET' | 'POST', target: string, form?: URLSearchParams) =>
    new Promise<Answer>((resolve, reject) => {
      const headers: Record<string, string | number> = {};
      if (sessionToken) headers.Cookie = `maillage_session=${sessionToken}`;
      const body = form?.toString();
      if (body !== undefined) {
        headers['Content-Type'] = 'application/x-www-form-urlencoded';
        headers['Content-Length'] = Buffer.byteLength(body);
      }
      const req = http.request(
        { host: url.hostname, port: url.port, path: target, method, agent, headers, timeout: 30_000 },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('end', () =>
            resolve({
              status: res.statusCode ?? 0,
              headers: res.headers,
              body: Buffer.concat(chunks).toString('utf8'),
            }),
          );
          res.on('error', reject);
        },
      );
      req.on('timeout', () => req.destroy(new Error('timeout')));
      req.on('error', reject);
      req.end(body);
    });
  return { send, close: () => agent.destroy() };
}

const csrfOf = (html: string) => /name="_csrf" value="([^"]+)"/.exec(html)?.[1] ?? '';

interface Outcome {
  /** When the request ended (ms since the epoch). */
  at: number;
  kind: 'read' | 'redeem' | 'orient';
  ok: boolean;
  what: string;
}

describe('two app servers behind nginx, one killed with kill -9 under load', () => {
  const work = tempDir('maillage-failover-');
  const name = `maillage_t_${process.pid}_failover`;
  let adminUrl: string;
  let url: string;
  let db: Db | undefined;
  let fixture: RedemptionLoad;
  let coordinatorToken: string;
  const servers: BuiltServer[] = [];
  let nginx: Nginx | undefined;

  before(async () => {
    adminUrl = process.env.DATABASE_URL ?? '';
    assert.ok(adminUrl, 'DATABASE_URL (the PostgreSQL server where the test makes its own database)');
    const u = new URL(adminUrl);
    u.pathname = `/${name}`;
    url = u.toString();
    buildServerIfStale();
    await pgQuery(adminUrl, `drop database if exists ${name} with (force)`);
    await pgQuery(adminUrl, `create database ${name}`);
    db = kyselyOverPostgres(url, 8);
    await migrate(db);
    // A place of a structure whose staff member redeems vouchers and sends orientations to it.
    fixture = await setUpRedemptionLoad(db, { booklets: 200, bookletSize: 10, sessions: REDEEMERS + 2 });
    await db
      .updateTable('place')
      .set({ services: [SERVICE], latitude: 47.9473, longitude: 1.8682 } as never)
      .where('id', '=', fixture.placeId)
      .execute();
    // A coordinator, for the moderation of a change (a complete session written directly, as the other
    // process tests do: the sign-in has its own tests).
    const coordinator = await insertPerson(db, {
      email: `coordination-${randomBytes(3).toString('hex')}@example.org`,
      display_name: 'Coordination',
      network_role: 'coordinator',
    } as never);
    coordinatorToken = randomBytes(32).toString('base64url');
    const now = new Date();
    await insertSession(db, {
      id: hashToken(coordinatorToken),
      person_id: coordinator.id,
      stage: 'full',
      created_at: now,
      last_seen_at: now,
      expires_at: new Date(now.getTime() + 3 * 3600_000),
    });
  });

  after(async () => {
    await nginx?.stop();
    for (const server of servers) await server.stop('SIGKILL');
    await db?.destroy();
    if (adminUrl) await pgQuery(adminUrl, `drop database if exists ${name} with (force)`);
    fs.rmSync(work, { recursive: true, force: true });
  });

  it('fails over within seconds, loses no acknowledged write, and resumes the jobs once on the survivor', async () => {
    assert.ok(db);
    const proxyPort = await freePort();
    const env = {
      DATABASE_URL: url,
      DATA_DIR: path.join(work, 'unused'),
      PUBLIC_URL: `http://127.0.0.1:${proxyPort}`,
      TRUST_PROXY: '127.0.0.1',
      LOG_LEVEL: 'info',
      JOBS_TICK_SECONDS: String(JOB_TICK_SECONDS),
      DATABASE_POOL_MAX: '8',
    };
    // One after the other: the first start's jobs (never run, so due) are run by the first one.
    const a = await startBuiltServer('a', env);
    servers.push(a);
    const b = await startBuiltServer('b', env);
    servers.push(b);
    nginx = await startNginx({
      dir: path.join(work, 'nginx'),
      port: proxyPort,
      upstreams: [`127.0.0.1:${a.port}`, `127.0.0.1:${b.port}`],
    });

    // Through the proxy the request id is nginx's (32 hex digits, taken because TRUST_PROXY lists it);
    // straight to a server, the server's own (16).
    const viaProxy = await fetch(`${nginx.url}/healthz`);
    assert.match(viaProxy.headers.get('x-request-id') ?? '', /^[0-9a-f]{32}$/);
    assert.match((await fetch(`${a.url}/healthz`)).headers.get('x-request-id') ?? '', /^[0-9a-f]{16}$/);

    const outcomes: Outcome[] = [];
    const acknowledgedCodes: string[] = [];
    const acknowledgedOrientations: string[] = [];
    /** When each write was acknowledged; the request ids of the orientation writer's acknowledged POSTs. */
    const acknowledgedAt: number[] = [];
    const orientationRequestIds: { at: number; id: string }[] = [];
    /** Redemptions without "Chèque encaissé": sent again after the load, with the same request key. */
    const unanswered: string[] = [];
    let stopLoad = false;
    const record = (kind: Outcome['kind'], ok: boolean, what: string) =>
      outcomes.push({ at: Date.now(), kind, ok, what });

    // Readers: the search, a place's page, the home page, anonymous.
    const readPaths = [`/recherche?commune=45302`, `/lieux/${fixture.placeId}`, '/'];
    const readers = Array.from({ length: READERS }, async (_, n) => {
      const c = client(nginx?.url ?? '', null);
      for (let i = n; !stopLoad; i++) {
        const target = readPaths[i % readPaths.length] as string;
        try {
          const res = await c.send('GET', target);
          record('read', res.status === 200, `${res.status} GET ${target}`);
        } catch (error) {
          record('read', false, `${(error as Error).message} GET ${target}`);
        }
        await sleep(PAUSE_MS);
      }
      c.close();
    });

    // Redeemers: each its own session, fresh codes one after the other; "Chèque encaissé" acknowledges.
    let nextCode = 0;
    const redeemers = Array.from({ length: REDEEMERS }, async (_, n) => {
      const c = passClient(nginx?.url ?? '', fixture.sessionTokens[n] as string);
      await c.open();
      while (!stopLoad && nextCode < fixture.codes.length) {
        const code = fixture.codes[nextCode++] as string;
        try {
          const answer = await c.redeem({ placeId: fixture.placeId, code, key: `failover-${code}` });
          if (answer.ok) {
            acknowledgedCodes.push(code);
            acknowledgedAt.push(Date.now());
          }
          record(
            'redeem',
            answer.ok,
            `${answer.status} redeem ${answer.ok ? '' : pageText(answer.body).slice(0, 120)}`,
          );
        } catch (error) {
          record('redeem', false, `${(error as Error).message} redeem`);
        }
        if (!outcomes.at(-1)?.ok) unanswered.push(code);
        await sleep(WRITE_PAUSE_MS);
      }
      c.close();
    });

    // An orientation writer: the form's page once (CSRF token, structure, need), then one orientation
    // after the other; a 303 to the new orientation's page acknowledges it.
    const orientations = (async () => {
      const c = client(nginx?.url ?? '', fixture.sessionTokens[REDEEMERS] as string);
      const page = await c.send('GET', `/orientations/nouvelle?lieu=${fixture.placeId}`);
      assert.equal(page.status, 200, pageText(page.body).slice(0, 300));
      const base = {
        _csrf: csrfOf(page.body),
        lieu: fixture.placeId,
        structure: /name="structure" value="([^"]+)"/.exec(page.body)?.[1] ?? '',
        besoin: /name="besoin" value="([^"]+)"/.exec(page.body)?.[1] ?? '',
        urgence: 'normal',
        contact: 'self',
        contact_orienteur: '02 38 00 00 01',
        consentement: 'oui',
      };
      for (let i = 0; !stopLoad; i++) {
        try {
          const res = await c.send(
            'POST',
            '/orientations/nouvelle',
            new URLSearchParams({ ...base, message: `Orientation ${i} pendant la bascule.` }),
          );
          const id = /^\/orientations\/([0-9a-f-]{36})\?envoyee=1$/.exec(String(res.headers.location))?.[1];
          if (res.status === 303 && id) {
            acknowledgedOrientations.push(id);
            acknowledgedAt.push(Date.now());
            orientationRequestIds.push({ at: Date.now(), id: String(res.headers['x-request-id']) });
          }
          record(
            'orient',
            res.status === 303 && id !== undefined,
            `${res.status} orient ${pageText(res.body).slice(0, 120)}`,
          );
        } catch (error) {
          record('orient', false, `${(error as Error).message} orient`);
        }
        await sleep(WRITE_PAUSE_MS);
      }
      c.close();
    })();

    const loadStarted = Date.now();
    const load = Promise.all([...readers, ...redeemers, orientations]);

    // Scheduled jobs while both servers run: all made due at once; each must run once, on one server.
    const jobNames = (await db.selectFrom('job_state').select('name').execute()).map((r) => r.name);
    assert.ok(jobNames.length >= 5, `the first start ran the jobs: ${jobNames.join(', ')}`);
    const makeDue = async () => {
      const at = new Date((await pgQuery<{ now: Date }>(url, 'select now() as now'))[0]?.now ?? Date.now());
      await pgQuery(url, 'update job_state set next_run_at = $1', [at]);
      return at;
    };
    /** Waits until every job ran for a time at or after `since`; returns when (ms since the epoch). */
    const allRanSince = async (since: Date, timeoutMs: number): Promise<number> => {
      const started = Date.now();
      while (Date.now() - started < timeoutMs) {
        const rows = await pgQuery<{ n: number }>(
          url,
          'select count(*)::int as n from job_state where last_run_at >= $1',
          [since],
        );
        if ((rows[0]?.n ?? 0) === jobNames.length) return Date.now();
        await sleep(100);
      }
      throw new Error(`the jobs made due at ${since.toISOString()} did not all run within ${timeoutMs} ms`);
    };
    /** The jobs a server ran for a time in [from, to), from its log lines. */
    const runsBetween = (server: BuiltServer, from: Date, to: Date) =>
      server.lines
        .filter((l) => l.line.msg === 'job ran')
        .filter((l) => new Date(String(l.line.at)) >= from && new Date(String(l.line.at)) < to)
        .map((l) => String(l.line.job));

    await sleep(2_000);
    const bothDue = await makeDue();
    await allRanSince(bothDue, 30_000);

    // The kill: one server, SIGKILL, in the middle of the load.
    await sleep(Math.max(0, loadStarted + KILL_AFTER_MS - Date.now()));
    const servedBeforeKill = (s: BuiltServer) => s.lines.filter((l) => l.line.msg === 'request').length;
    const [victim, survivor] = [a, b];
    log(`requests served before the kill: a ${servedBeforeKill(a)}, b ${servedBeforeKill(b)}`);
    const killAt = Date.now();
    victim.child.kill('SIGKILL');
    // The jobs are due again at once: the survivor must take them.
    const killDue = await makeDue();
    const resumeMs = (await allRanSince(killDue, 60_000)) - killAt;

    // A change made on the survivor (a place renamed by its structure, approved by the coordinator) is
    // in the survivor's search within 5 s.
    await sleep(Math.max(0, killAt + 12_000 - Date.now()));
    const newName = `Médiathèque renommée ${randomBytes(3).toString('hex')}`;
    const editor = await getPlaceEditor(db, { kind: 'system' }, { placeId: fixture.placeId });
    const form = formOfValues(editor.start, editor.today);
    form.text.nom = newName;
    const staff = client(survivor.url, fixture.sessionTokens[REDEEMERS + 1] as string);
    const editPage = await staff.send('GET', `/lieux/${fixture.placeId}/modifier`);
    assert.equal(editPage.status, 200);
    const fields = new URLSearchParams();
    fields.append('_csrf', csrfOf(editPage.body));
    for (const [k, v] of Object.entries(formFields(form))) {
      for (const item of Array.isArray(v) ? v : [v]) fields.append(k, String(item));
    }
    const proposed = await staff.send('POST', `/lieux/${fixture.placeId}/modifier`, fields);
    assert.equal(proposed.status, 303, pageText(proposed.body).slice(0, 500));
    staff.close();
    const change = await db
      .selectFrom('place_change')
      .select('id')
      .where('place_id', '=', fixture.placeId)
      .where('status', '=', 'pending' as never)
      .executeTakeFirstOrThrow();
    const coordinator = client(survivor.url, coordinatorToken);
    const review = await coordinator.send('GET', `/moderation/modifications/${change.id}`);
    assert.equal(review.status, 200, pageText(review.body).slice(0, 300));
    const approved = await coordinator.send(
      'POST',
      `/moderation/modifications/${change.id}`,
      new URLSearchParams({ _csrf: csrfOf(review.body), decision: 'approve', message: '' }),
    );
    assert.equal(approved.status, 303, pageText(approved.body).slice(0, 500));
    const approvedAt = Date.now();
    let seenMs = -1;
    while (Date.now() - approvedAt < 5_000) {
      const found = await coordinator.send('GET', '/recherche?commune=45302');
      if (found.status === 200 && found.body.includes(newName)) {
        seenMs = Date.now() - approvedAt;
        break;
      }
      await sleep(100);
    }
    coordinator.close();

    await sleep(Math.max(0, killAt + AFTER_KILL_MS - Date.now()));
    stopLoad = true;
    await load;
    const loadSeconds = (Date.now() - loadStarted) / 1000;

    // What a person does after a 502: sends the form again. The request key makes it safe: the first
    // answer if the redemption was written before the kill, the redemption now if not; once either way.
    const again = passClient(nginx.url, fixture.sessionTokens[0] as string);
    await again.open();
    for (const code of unanswered) {
      const answer = await again.redeem({ placeId: fixture.placeId, code, key: `failover-${code}` });
      assert.ok(answer.ok, `${code} sent again: ${answer.status} ${pageText(answer.body).slice(0, 200)}`);
      acknowledgedCodes.push(code);
    }
    again.close();

    // Figures.
    const window = outcomes.filter((o) => o.at >= killAt && o.at < killAt + AFTER_KILL_MS);
    const failed = window.filter((o) => !o.ok);
    const late = failed.filter((o) => o.at >= killAt + 10_000);
    const before = outcomes.filter((o) => o.at < killAt);
    const live = await liveRedemptionsPerCode(db, fixture.programmeId);
    const lostCodes = acknowledgedCodes.filter((code) => live.get(code) !== 1);
    const storedOrientations = new Set(
      (await db.selectFrom('orientation').select('id').execute()).map((r) => String(r.id)),
    );
    const lostOrientations = acknowledgedOrientations.filter((id) => !storedOrientations.has(id));
    const runsBeforeKill = [...runsBetween(a, bothDue, killDue), ...runsBetween(b, bothDue, killDue)];
    const survivorRuns = runsBetween(survivor, killDue, new Date(8.64e15));
    const victimRuns = runsBetween(victim, killDue, new Date(8.64e15));
    const writesLate = acknowledgedAt.filter((t) => t >= killAt + 10_000).length;
    const servedBy = (server: BuiltServer) => new Set(server.lines.map((l) => l.line.reqId));
    const [idsOnA, idsOnB] = [servedBy(a), servedBy(b)];
    const sessionBeforeKill = orientationRequestIds.filter((r) => r.at < killAt);
    const sessionOnA = sessionBeforeKill.filter((r) => idsOnA.has(r.id)).length;
    const sessionOnB = sessionBeforeKill.filter((r) => idsOnB.has(r.id)).length;
    log(
      `one session's orientations before the kill: ${sessionOnA} written by a, ${sessionOnB} by b; writes acknowledged from 10 s after the kill: ${writesLate}`,
    );
    log(
      `${outcomes.length} requests in ${loadSeconds.toFixed(0)} s (${before.length} before the kill, ${before.filter((o) => !o.ok).length} failed)`,
    );
    log(
      `30 s after the kill: ${window.length} requests, ${failed.length} failed (${((100 * failed.length) / Math.max(1, window.length)).toFixed(2)} %), ${late.length} after 10 s`,
    );
    for (const f of failed.slice(0, 10)) log(`  failed +${f.at - killAt} ms: ${f.what}`);
    log(
      `writes acknowledged and checked: ${acknowledgedCodes.length} redemptions, ${acknowledgedOrientations.length} orientations; lost: ${lostCodes.length + lostOrientations.length}`,
    );
    log(
      `jobs made due at the kill: all ${jobNames.length} ran on the survivor after ${(resumeMs / 1000).toFixed(1)} s`,
    );
    log(`redemptions without an answer, sent again with their key and acknowledged: ${unanswered.length}`);
    const nginxLog = nginx.errorLog();
    const refused = (nginxLog.match(/Connection refused\) while connecting to upstream/g) ?? []).length;
    log(`nginx: ${refused} connections refused by the dead server, each request sent on to the survivor`);
    log(`change on the survivor seen in its search after ${seenMs} ms`);

    assert.ok(window.length >= 300, `enough requests after the kill to measure: ${window.length}`);
    assert.ok(
      failed.length <= window.length / 100,
      `at most 1 % failed in the 30 s after the kill: ${failed.length} of ${window.length}`,
    );
    assert.deepEqual(
      late.map((f) => f.what),
      [],
      'no failure 10 s after the kill',
    );
    assert.ok(acknowledgedCodes.length >= 50 && acknowledgedOrientations.length >= 20, 'writes happened');
    assert.deepEqual(lostCodes, [], 'every acknowledged redemption is in the ledger, once');
    assert.deepEqual(lostOrientations, [], 'every acknowledged orientation is stored');
    assert.ok(seenMs >= 0 && seenMs < 5_000, 'the change is in the survivor’s search within 5 s');
    // Each job made due ran once: while both servers ran, on one of them; after the kill, on the survivor.
    assert.deepEqual([...runsBeforeKill].sort(), [...jobNames].sort(), 'each job once, on one server');
    assert.deepEqual([...survivorRuns].sort(), [...jobNames].sort(), 'each job once, on the survivor');
    assert.deepEqual(victimRuns, []);
    // nginx did try the dead server and moved on to the survivor.
    assert.ok(refused >= 1, `nginx's error log shows the dead server refusing:\n${nginxLog.slice(-2000)}`);
    assert.ok(resumeMs < 60_000);
    assert.ok(
      writesLate >= 100,
      `writes went on being acknowledged from 10 s after the kill to the end: ${writesLate}`,
    );
    // Round robin without sticky sessions: both servers served before the kill, and one person's
    // orientations (one session, one keep-alive connection to nginx) were written by both.
    assert.ok(servedBeforeKill(a) > 50 && servedBeforeKill(b) > 50, 'round robin over both servers');
    assert.ok(sessionOnA > 0 && sessionOnB > 0, 'one session served by both servers');
  });

  it('ships an example configuration nginx accepts, with the settings this test runs', () => {
    const example = fs.readFileSync(path.join(ROOT, 'docs/nginx.example.conf'), 'utf8');
    const lines = (text: string) =>
      new Set(
        text
          .split('\n')
          .map((l) => l.trim().replace(/\s+/g, ' '))
          .filter((l) => /^(proxy_|client_max_body_size|keepalive )/.test(l)),
      );
    const inExample = lines(example);
    const missing = [...lines(proxyBlock([]))].filter((l) => !inExample.has(l));
    assert.deepEqual(missing, [], 'the example has every proxy setting the failover test runs');
    // nginx -t on it, with a throwaway certificate and logs in a temporary folder.
    const dir = path.join(work, 'example');
    fs.mkdirSync(dir, { recursive: true });
    execFileSync(
      'openssl',
      [
        'req',
        '-x509',
        '-newkey',
        'rsa:2048',
        '-nodes',
        '-subj',
        '/CN=localhost',
        '-days',
        '1',
        '-keyout',
        path.join(dir, 'key.pem'),
        '-out',
        path.join(dir, 'cert.pem'),
      ],
      { stdio: 'ignore' },
    );
    fs.writeFileSync(
      path.join(dir, 'maillage.conf'),
      example
        .replace(/\/etc\/letsencrypt\/live\/[^/]+\/fullchain\.pem/, path.join(dir, 'cert.pem'))
        .replace(/\/etc\/letsencrypt\/live\/[^/]+\/privkey\.pem/, path.join(dir, 'key.pem'))
        .replaceAll('/var/log/nginx/', `${dir}/`),
    );
    fs.writeFileSync(
      path.join(dir, 'nginx.conf'),
      `pid ${dir}/nginx.pid;\nerror_log ${dir}/error.log;\nevents {}\nhttp {\n  include ${dir}/maillage.conf;\n}\n`,
    );
    const checked = spawnSync(
      NGINX,
      ['-t', '-p', dir, '-c', path.join(dir, 'nginx.conf'), '-e', path.join(dir, 'error.log')],
      { encoding: 'utf8' },
    );
    assert.equal(checked.status, 0, checked.stderr);
    assert.match(checked.stderr, /test is successful/);
  });
});
