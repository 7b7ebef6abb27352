import '../src/shared/utc.ts';
import { execFileSync, spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { sql } from 'kysely';
import { kyselyOverPostgres } from '../src/db/create-db.ts';
import type { Db } from '../src/db/database.ts';
import { migrate } from '../src/db/migrate.ts';
import { sealLedger } from '../src/vouchers/ledger.service.ts';
import { redeemVoucher } from '../src/vouchers/redemptions.service.ts';
import { pageText, passClient, type RedeemAnswer } from '../test/support/pass-client.ts';
import {
  inParallel,
  liveRedemptionsPerCode,
  setUpRedemptionLoad,
} from '../test/support/pass-load-fixtures.ts';
import { freePort } from '../test/support/processes.ts';
import { seededRandom } from '../test/support/seeded-random.ts';
import { benchDatabase } from './support/postgres.ts';

/**
 * bench:pass — redemptions of the pass numérique under load, on PostgreSQL, against the physical limit
 * of the same PostgreSQL. One programme of 100,000 vouchers, paid and handed over (built through the
 * services); the codes are requested in a random order, one in ten of them already redeemed before the
 * run; 64 concurrent HTTP clients (one session each, the form's CSRF field, one request key per request)
 * post redemptions for 30 s to a real server process logging as in production (info, to a file). In the
 * same run, pgbench's simple-update (-c 64 -j 16 -T 30 -M prepared) on the same PostgreSQL, with the
 * same synchronous_commit. double_spends = vouchers with more than one success answer (clients) + vouchers
 * with more than one live redemption row (ledger). Logs to stderr; the last line of stdout is one JSON
 * object.
 */
const VOUCHERS = Number(process.env.BENCH_VOUCHERS ?? 100_000);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 30);
const CLIENTS = 64;
/** App server processes sharing the database (the clients spread over them); BENCH_APP_PROCESSES. */
const APP_PROCESSES = Number(process.env.BENCH_APP_PROCESSES ?? 1);
const ALREADY_REDEEMED_SHARE = 0.1;
const TARGETS = { ratioVsPgbench: 0.5, doubleSpends: 0 };

const log = (text: string) => process.stderr.write(`${text}\n`);
const benchDb = benchDatabase('maillage_bench_pass');
const pgbenchDb = benchDatabase('maillage_bench_pgbench');
const adminUrl = new URL(process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test');

/** The CPU time of a process so far (user, system), in microseconds, from /proc (Linux). */
function cpuOf(pid: number): { user: number; system: number } {
  const fields = fs.readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.split(' ') ?? [];
  // utime and stime are the 14th and 15th fields; USER_HZ is 100 on Linux
  return { user: Number(fields[11]) * 1e4, system: Number(fields[12]) * 1e4 };
}

/** The CPU time of the PostgreSQL server's processes (postmaster and backends), by process id. */
function postgresCpu(): Map<number, number> {
  const out = new Map<number, number>();
  for (const entry of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      if (fs.readFileSync(`/proc/${entry}/comm`, 'utf8').trim() !== 'postgres') continue;
      const cpu = cpuOf(Number(entry));
      out.set(Number(entry), cpu.user + cpu.system);
    } catch {
      // gone meanwhile
    }
  }
  return out;
}

/** PostgreSQL's CPU between two readings (processes that ended in between are not counted). */
const postgresCpuSince = (before: Map<number, number>) =>
  [...postgresCpu()].reduce((sum, [pid, cpu]) => sum + Math.max(0, cpu - (before.get(pid) ?? 0)), 0);

function pgbench(args: string[]): string {
  return execFileSync(
    'pgbench',
    ['-h', adminUrl.hostname, '-p', adminUrl.port || '5432', '-U', adminUrl.username || 'postgres', ...args],
    { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], maxBuffer: 64 * 1024 * 1024 },
  );
}

async function waitReady(url: string, child: ReturnType<typeof spawn>): Promise<void> {
  for (let i = 0; i < 300; i++) {
    if (child.exitCode !== null) throw new Error(`server exited (${child.exitCode}) before ${url} answered`);
    try {
      if ((await fetch(url)).ok) return;
    } catch {
      // not yet
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`not ready: ${url}`);
}

const percentile = (sorted: number[], p: number) =>
  Math.round((sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))] ?? 0) * 10) / 10;

const children: ReturnType<typeof spawn>[] = [];
/** The servers' log files, removed whatever happens. */
const logFiles: string[] = [];
const dataDir = path.join(os.tmpdir(), `maillage-bench-pass-data-${process.pid}`);
/** The bench's own connections, closed whatever happens. */
let opened: Db | undefined;
let exitCode = 0;
try {
  await benchDb.create();
  const db = kyselyOverPostgres(benchDb.url, 8);
  opened = db;
  await migrate(db);
  const synchronousCommit = (await sql<{ synchronous_commit: string }>`show synchronous_commit`.execute(db))
    .rows[0]?.synchronous_commit;
  log(`PostgreSQL synchronous_commit = ${synchronousCommit}`);
  log(`setting up a programme of ${VOUCHERS} vouchers (emitted, paid, allocated, handed over)…`);
  const t0 = performance.now();
  const fixture = await setUpRedemptionLoad(db, {
    booklets: Math.ceil(VOUCHERS / 10),
    bookletSize: 10,
    sessions: CLIENTS,
    concurrency: 8,
    log: (text) => log(`  ${text}`),
  });
  log(`  ready in ${((performance.now() - t0) / 1000).toFixed(1)} s`);

  // The order the clients ask the codes in: a seeded shuffle; one in ten redeemed beforehand.
  const random = seededRandom(17);
  const requested = [...fixture.codes];
  for (let i = requested.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [requested[i], requested[j]] = [requested[j] as string, requested[i] as string];
  }
  const every = Math.round(1 / ALREADY_REDEEMED_SHARE);
  const before = requested.filter((_, i) => i % every === every - 1);
  const t1 = performance.now();
  await inParallel(before, 8, async (code, i) => {
    const r = await redeemVoucher(db, fixture.staff, {
      placeId: fixture.placeId,
      code,
      needs: ['caf'],
      servedOn: '',
      idempotencyKey: `bench-before-${i}`,
    });
    if (!r.ok) throw new Error(`redeeming ${code} beforehand: ${JSON.stringify(r)}`);
  });
  log(
    `  ${before.length} of the requested codes redeemed beforehand in ${Math.round(performance.now() - t1)} ms`,
  );
  // Sealed now, so the server's per-second seal during the run covers the run's entries only.
  const sealed = await sealLedger(db, { kind: 'system' });
  log(`  ${sealed} ledger entries sealed before the run`);

  // e.g. BENCH_SERVER_NODE_ARGS="--cpu-prof --cpu-prof-dir=tmp/prof" to profile the server alone
  const nodeArgs = (process.env.BENCH_SERVER_NODE_ARGS ?? '').split(' ').filter(Boolean);
  const servers: { child: ReturnType<typeof spawn>; base: string; log: string; fd: number }[] = [];
  for (let n = 0; n < APP_PROCESSES; n++) {
    const port = await freePort();
    const serverLog = path.join(os.tmpdir(), `maillage-bench-pass-${process.pid}-${n}.log`);
    const fd = fs.openSync(serverLog, 'w');
    logFiles.push(serverLog);
    const child = spawn(process.execPath, ['--import', 'tsx', ...nodeArgs, 'src/server.ts'], {
      cwd: path.resolve(import.meta.dirname, '..'),
      env: {
        ...process.env,
        TZ: 'UTC',
        DATABASE_URL: benchDb.url,
        DATA_DIR: dataDir,
        PORT: String(port),
        HOST: '127.0.0.1',
        LOG_LEVEL: 'info',
      },
      stdio: ['ignore', fd, 'inherit'],
    });
    children.push(child);
    servers.push({ child, base: `http://127.0.0.1:${port}`, log: serverLog, fd });
  }
  for (const s of servers) await waitReady(`${s.base}/healthz`, s.child);
  const serversCpu = () =>
    servers
      .map((s) => cpuOf(s.child.pid as number))
      .reduce((a, b) => ({ user: a.user + b.user, system: a.system + b.system }), { user: 0, system: 0 });
  const clients = fixture.sessionTokens.map((token, i) =>
    passClient((servers[i % servers.length] as (typeof servers)[number]).base, token),
  );
  await Promise.all(clients.map((c) => c.open()));

  // Warm-up (2 s) on codes the measured run never asks (the end of the shuffled list), one in ten of
  // them redeemed beforehand as in the run.
  const warmCodes = requested.splice(requested.length - Math.min(2_000, Math.floor(requested.length / 10)));
  let warmNext = 0;
  const warmUntil = performance.now() + 2_000;
  await Promise.all(
    clients.map(async (client, c) => {
      while (performance.now() < warmUntil && warmNext < warmCodes.length) {
        const code = warmCodes[warmNext++] as string;
        await client.redeem({ placeId: fixture.placeId, code, key: `bench-warm-${c}-${warmNext}` });
      }
    }),
  );

  log(
    `${CLIENTS} clients redeeming for ${SECONDS} s (${APP_PROCESSES} app process${APP_PROCESSES > 1 ? 'es' : ''}, log level info)…`,
  );
  const alreadyRedeemed = new Set(before);
  const successes = new Map<string, number>();
  const latencies: number[] = [];
  const counts = { success: 0, alreadyRefused: 0, unexpected: 0, failed: 0 };
  const unexpected: string[] = [];
  let next = 0;
  const serverCpu0 = serversCpu();
  const postgresCpu0 = postgresCpu();
  const commits = async () =>
    Number(
      (
        await sql<{
          n: string;
        }>`select xact_commit + xact_rollback as n from pg_stat_database where datname = current_database()`.execute(
          db,
        )
      ).rows[0]?.n,
    );
  const commits0 = await commits();
  const clientCpu0 = process.cpuUsage();
  const started = performance.now();
  const deadline = started + SECONDS * 1000;
  await Promise.all(
    clients.map(async (client) => {
      while (performance.now() < deadline) {
        const i = next++;
        // Past the end of the list, codes come round again: all refused then, as already redeemed.
        const code = requested[i % requested.length] as string;
        let answer: RedeemAnswer;
        try {
          answer = await client.redeem({ placeId: fixture.placeId, code, key: `bench-${i}` });
        } catch (error) {
          counts.failed++;
          if (unexpected.length < 5) unexpected.push((error as Error).message);
          continue;
        }
        latencies.push(answer.ms);
        if (answer.ok) {
          counts.success++;
          successes.set(code, (successes.get(code) ?? 0) + 1);
        } else if (answer.status === 422 && pageText(answer.body).includes('déjà été encaissé')) {
          counts.alreadyRefused++;
          if (i < requested.length && !alreadyRedeemed.has(code)) {
            counts.unexpected++;
            if (unexpected.length < 5) unexpected.push(`${code}: refused though never redeemed`);
          }
        } else {
          counts.unexpected++;
          if (unexpected.length < 5)
            unexpected.push(`${answer.status} ${pageText(answer.body).slice(0, 300)}`);
        }
      }
    }),
  );
  const elapsed = (performance.now() - started) / 1000;
  const serverCpu1 = serversCpu();
  const serverUser = serverCpu1.user - serverCpu0.user;
  const serverSystem = serverCpu1.system - serverCpu0.system;
  const serverCpu = serverUser + serverSystem;
  const postgresCpuUsed = postgresCpuSince(postgresCpu0);
  // pg_stat_database's counters reach the statistics a moment after the transactions
  await new Promise((r) => setTimeout(r, 1_000));
  const transactions = (await commits()) - commits0;
  const clientCpuUsage = process.cpuUsage(clientCpu0);
  for (const c of clients) c.close();
  let logLines = 0;
  for (const s of servers) {
    s.child.kill('SIGTERM');
    await new Promise((resolve) => s.child.once('exit', resolve));
    fs.closeSync(s.fd);
    logLines += fs
      .readFileSync(s.log, 'utf8')
      .split('\n')
      .filter((line) => line.includes('"msg":"request"')).length;
    fs.rmSync(s.log, { force: true });
  }

  latencies.sort((a, b) => a - b);
  const answered = latencies.length;
  const redeemPerS = Math.round(answered / elapsed);
  const p50Ms = percentile(latencies, 0.5);
  const p99Ms = percentile(latencies, 0.99);
  const perRequest = (micros: number) => Math.round(micros / Math.max(1, answered));
  log(
    `  ${answered} answers in ${elapsed.toFixed(1)} s: ${redeemPerS}/s (${counts.success} redeemed, ${counts.alreadyRefused} refused as already redeemed, ${counts.unexpected} unexpected, ${counts.failed} failed), p50 ${p50Ms} ms, p99 ${p99Ms} ms`,
  );
  if (unexpected.length) log(`  unexpected answers, first ones: ${unexpected.join(' | ')}`);
  log(
    `  CPU per request: app server${APP_PROCESSES > 1 ? 's' : ''} ${perRequest(serverCpu)} µs (user ${perRequest(serverUser)}, system ${perRequest(serverSystem)}), PostgreSQL ${perRequest(postgresCpuUsed)} µs, load generator ${perRequest(clientCpuUsage.user + clientCpuUsage.system)} µs (${os.cpus().length} cores shared)`,
  );
  log(`  the server wrote ${logLines} request log lines`);
  log(
    `  ${(transactions / Math.max(1, answered)).toFixed(1)} PostgreSQL transactions per request (each statement outside a transaction is one)`,
  );

  // Double spends: on the clients' side (two success answers for one voucher) and in the ledger.
  const clientDoubles = [...successes.values()].filter((n) => n > 1).length;
  const live = await liveRedemptionsPerCode(db, fixture.programmeId);
  const rowDoubles = [...live.values()].filter((n) => n > 1).length;
  const lost = [...successes.keys()].filter((code) => live.get(code) !== 1).length;
  const doubleSpends = clientDoubles + rowDoubles;
  log(
    `  double spends: ${clientDoubles} in answers, ${rowDoubles} in the ledger; acknowledged but missing: ${lost}`,
  );
  await db.destroy();
  opened = undefined;
  await benchDb.drop();

  // The physical limit: pgbench's simple-update on the same PostgreSQL (same synchronous_commit).
  await pgbenchDb.create();
  const pgbenchName = new URL(pgbenchDb.url).pathname.slice(1);
  log('pgbench -i -s 10…');
  pgbench(['-i', '-s', '10', '-q', pgbenchName]);
  log('pgbench -b simple-update -c 64 -j 16 -T 30 -M prepared…');
  const pgbenchOut = pgbench([
    '-b',
    'simple-update',
    '-c',
    '64',
    '-j',
    '16',
    '-T',
    '30',
    '-M',
    'prepared',
    pgbenchName,
  ]);
  await pgbenchDb.drop();
  const tps = Number(/tps = ([\d.]+) \(without initial connection time\)/.exec(pgbenchOut)?.[1]);
  const pgbenchLatency = /latency average = ([\d.]+) ms/.exec(pgbenchOut)?.[1];
  if (!Number.isFinite(tps)) throw new Error(`pgbench printed no tps:\n${pgbenchOut}`);
  log(`  ${Math.round(tps)} tps, latency average ${pgbenchLatency} ms`);

  const ratio = Math.round((redeemPerS / tps) * 100) / 100;
  const targets = {
    ratio_vs_pgbench: ratio >= TARGETS.ratioVsPgbench,
    double_spends: doubleSpends === TARGETS.doubleSpends,
  };
  log(
    `target ratio_vs_pgbench ≥ ${TARGETS.ratioVsPgbench}: ${ratio} — ${targets.ratio_vs_pgbench ? 'met' : 'NOT MET'}`,
  );
  log(`target double_spends = 0: ${doubleSpends} — ${targets.double_spends ? 'met' : 'NOT MET'}`);
  if (counts.unexpected + counts.failed > 0 || lost > 0 || logLines < answered) {
    log('some answers were wrong or missing (see above): the figures do not measure what they claim');
    exitCode = 1;
  }
  process.stdout.write(
    `${JSON.stringify({
      vouchers: fixture.codes.length,
      seconds: SECONDS,
      clients: CLIENTS,
      synchronous_commit: synchronousCommit,
      answers: answered,
      redeemed: counts.success,
      refused_already_redeemed: counts.alreadyRefused,
      unexpected: counts.unexpected + counts.failed,
      p50_ms: p50Ms,
      server_cpu_us_per_request: perRequest(serverCpu),
      postgres_cpu_us_per_request: perRequest(postgresCpuUsed),
      transactions_per_request: Math.round((transactions / Math.max(1, answered)) * 10) / 10,
      client_cpu_us_per_request: perRequest(clientCpuUsage.user + clientCpuUsage.system),
      pgbench_latency_ms: Number(pgbenchLatency),
      targets,
      redeem_per_s: redeemPerS,
      pgbench_tps: Math.round(tps),
      ratio_vs_pgbench: ratio,
      double_spends: doubleSpends,
      p99_ms: p99Ms,
      app_processes: APP_PROCESSES,
    })}\n`,
  );
} catch (error) {
  log(`bench:pass failed: ${(error as Error).stack ?? error}`);
  exitCode = 1;
} finally {
  for (const child of children) if (child.exitCode === null) child.kill('SIGKILL');
  await opened?.destroy().catch(() => {});
  fs.rmSync(dataDir, { recursive: true, force: true });
  for (const file of logFiles) fs.rmSync(file, { force: true });
  await benchDb.drop().catch(() => {});
  await pgbenchDb.drop().catch(() => {});
}
process.exitCode = exitCode;
