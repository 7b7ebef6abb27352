import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createTestDb, type TestDb } from '../../test/support/test-db.ts';
import { createApp } from '../app.tsx';
import { loadConfig } from '../config.ts';
import { writeJobState } from '../jobs/jobs.repository.ts';
import { enqueueMail } from '../mail/mail.service.ts';
import { createLogger } from '../shared/logger.ts';

/**
 * The operator's view of an app server (docs/decisions/0046), through real HTTP requests on the real app
 * over a real database: request ids in logs, headers and error pages; /readyz; /metrics behind its token.
 */
const TOKEN = 'jeton-de-supervision-0123456789';

function appWith(t: TestDb, env: Record<string, string> = {}) {
  const lines: Record<string, unknown>[] = [];
  const logger = createLogger('info', { write: (line: string) => void lines.push(JSON.parse(line)) });
  const config = loadConfig({ DATA_DIR: '/nonexistent-test-dir', ...env });
  return { app: createApp({ db: t.db, config, logger }), lines };
}

/** A request as @hono/node-server hands it over, from a connection of this address. */
const from = (address: string) => ({ incoming: { socket: { remoteAddress: address } } });

describe('the request id', () => {
  let t: TestDb;
  before(async () => {
    t = await createTestDb();
  });
  after(async () => {
    await t.close();
  });

  it('is new for each request, sent back in X-Request-Id and in every log line of the request', async () => {
    const { app, lines } = appWith(t);
    const a = await app.request('/healthz', {}, from('192.0.2.1'));
    const b = await app.request('/healthz', {}, from('192.0.2.1'));
    const idA = a.headers.get('X-Request-Id') ?? '';
    assert.match(idA, /^[0-9a-f]{16}$/);
    assert.notEqual(b.headers.get('X-Request-Id'), idA);
    const logged = lines.filter((l) => l.msg === 'request');
    assert.deepEqual(
      logged.map((l) => l.reqId),
      [idA, b.headers.get('X-Request-Id')],
    );
  });

  it('is shown on a "not found" page, for the person who calls the network', async () => {
    const { app } = appWith(t);
    const res = await app.request('/nulle-part', {}, from('192.0.2.1'));
    assert.equal(res.status, 404);
    const id = res.headers.get('X-Request-Id') ?? '';
    assert.match(await res.text(), new RegExp(`Référence : ${id}`));
  });

  it('comes from the proxy only when TRUST_PROXY trusts the connection, and only when it looks sane', async () => {
    const plain = appWith(t).app;
    const ignored = await plain.request(
      '/healthz',
      { headers: { 'X-Request-Id': 'proxy-id-1' } },
      from('127.0.0.1'),
    );
    assert.notEqual(ignored.headers.get('X-Request-Id'), 'proxy-id-1');

    const { app, lines } = appWith(t, { TRUST_PROXY: '127.0.0.1' });
    const trusted = await app.request(
      '/healthz',
      { headers: { 'X-Request-Id': 'proxy-id-1' } },
      from('127.0.0.1'),
    );
    assert.equal(trusted.headers.get('X-Request-Id'), 'proxy-id-1');
    assert.equal(lines.at(-1)?.reqId, 'proxy-id-1');
    // Another address than the proxy's may not choose its id.
    const stranger = await app.request(
      '/healthz',
      { headers: { 'X-Request-Id': 'proxy-id-2' } },
      from('192.0.2.1'),
    );
    assert.notEqual(stranger.headers.get('X-Request-Id'), 'proxy-id-2');
    for (const insane of ['un id avec des espaces', 'x'.repeat(129), '<script>', 'a\tb']) {
      const res = await app.request('/healthz', { headers: { 'X-Request-Id': insane } }, from('127.0.0.1'));
      assert.match(res.headers.get('X-Request-Id') ?? '', /^[0-9a-f]{16}$/, insane);
    }
  });

  it('is on the 500 page and in the error’s log line when the database is gone', async () => {
    const own = await createTestDb();
    const { app, lines } = appWith(own);
    await own.close();
    const res = await app.request('/', {}, from('192.0.2.1'));
    assert.equal(res.status, 500);
    const id = res.headers.get('X-Request-Id') ?? '';
    const page = await res.text();
    assert.match(page, /Erreur du service/);
    assert.match(page, new RegExp(`Référence : ${id}`));
    const error = lines.find((l) => l.msg === 'unexpected error');
    assert.equal(error?.reqId, id);
    // /readyz says so too, with a short French and English answer, never cached.
    const ready = await app.request('/readyz', {}, from('192.0.2.1'));
    assert.equal(ready.status, 503);
    assert.equal(ready.headers.get('Cache-Control'), 'no-store');
    assert.match(await ready.text(), /^pas prêt : la base de données ne répond pas \(not ready: database\)/);
  });
});

describe('/readyz', () => {
  let t: TestDb;
  before(async () => {
    t = await createTestDb();
  });
  after(async () => {
    await t.close();
  });

  it('answers 200 once the database answers, its migrations are current and the index is loaded', async () => {
    const { app } = appWith(t);
    const res = await app.request('/readyz');
    assert.equal(res.status, 200);
    assert.equal(res.headers.get('Cache-Control'), 'no-store');
    assert.equal(await res.text(), 'prêt (ready)\n');
  });
});

describe('/metrics', () => {
  let t: TestDb;
  before(async () => {
    t = await createTestDb();
  });
  after(async () => {
    await t.close();
  });

  it('does not exist without METRICS_TOKEN', async () => {
    const { app } = appWith(t);
    const res = await app.request('/metrics', { headers: { Authorization: `Bearer ${TOKEN}` } });
    assert.equal(res.status, 404);
  });

  it('refuses a missing or wrong token (401)', async () => {
    const { app } = appWith(t, { METRICS_TOKEN: TOKEN });
    for (const headers of [
      {},
      { Authorization: 'Bearer ' },
      { Authorization: `Bearer ${TOKEN}x` },
      { Authorization: `Bearer ${TOKEN.slice(0, -1)}` },
      { Authorization: `Basic ${Buffer.from(`x:${TOKEN}`).toString('base64')}` },
    ]) {
      const res = await app.request('/metrics', { headers });
      assert.equal(res.status, 401, JSON.stringify(headers));
      assert.equal(res.headers.get('WWW-Authenticate'), 'Bearer realm="metrics"');
      assert.doesNotMatch(await res.text(), /maillage_/);
    }
  });

  it('gives requests by route pattern and status, latencies, index reloads, job lag and outbox size', async () => {
    const { app } = appWith(t, { METRICS_TOKEN: TOKEN });
    const unknownPlace = '0f8fad5b-d9cb-469f-a165-70867728950e';
    assert.equal((await app.request(`/lieux/${unknownPlace}`)).status, 404);
    assert.equal((await app.request('/readyz')).status, 200);
    await enqueueMail(t.db, { to: 'a@example.org', kind: 'other', subject: 'Essai', text: 'Essai' });
    await enqueueMail(t.db, { to: 'b@example.org', kind: 'other', subject: 'Essai', text: 'Essai' });
    const dueAt = new Date(Date.now() - 3_600_000);
    await writeJobState(t.db, {
      name: 'privacy.purge',
      last_run_at: dueAt,
      next_run_at: dueAt,
      last_error: null,
    });

    const res = await app.request('/metrics', { headers: { Authorization: `Bearer ${TOKEN}` } });
    assert.equal(res.status, 200);
    assert.equal(res.headers.get('Content-Type'), 'text/plain; version=0.0.4; charset=utf-8');
    assert.equal(res.headers.get('Cache-Control'), 'no-store');
    const text = await res.text();
    const value = (series: string) => {
      const line = text.split('\n').find((l) => l.startsWith(`${series} `));
      assert.ok(line, `${series} in\n${text}`);
      return Number(line.slice(series.length + 1));
    };
    // The pattern, never the raw path: no id in a label.
    assert.ok(value('maillage_http_requests_total{method="GET",route="/lieux/:id",status="404"}') >= 1);
    assert.ok(value('maillage_http_requests_total{method="GET",route="/readyz",status="200"}') >= 1);
    assert.ok(!text.includes(unknownPlace));
    assert.ok(value('maillage_http_request_duration_seconds_count{method="GET",route="/readyz"}') >= 1);
    assert.ok(
      value('maillage_http_request_duration_seconds_bucket{method="GET",route="/readyz",le="+Inf"}') >= 1,
    );
    assert.ok(value('maillage_search_index_reload_seconds_count') >= 1);
    assert.ok(value('maillage_search_index_last_reload_seconds') >= 0);
    assert.equal(value('maillage_mail_outbox_pending'), 2);
    const lag = value('maillage_job_runner_lag_seconds');
    assert.ok(lag >= 3600 && lag < 3700, String(lag));
    assert.ok(value('process_resident_memory_bytes') > 0);
    assert.ok(
      value('nodejs_heap_size_used_bytes') > 0 &&
        value('nodejs_heap_size_used_bytes') <= value('nodejs_heap_size_total_bytes'),
    );
    // The embedded database has no pool.
    assert.doesNotMatch(text, /maillage_db_pool/);
    // Every line is a comment or a sample.
    for (const line of text.trimEnd().split('\n'))
      assert.match(line, /^(# (HELP|TYPE) \w+ .+|\w+(\{.*\})? \S+)$/);
  });
});
