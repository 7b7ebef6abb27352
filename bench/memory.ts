import '../src/shared/utc.ts';
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { sql } from 'kysely';
import { Secret, TOTP } from 'otpauth';
import { DEMO_ACCOUNTS, DEMO_TOTP_SECRET } from '../src/accounts/accounts.service.ts';
import { kyselyOverPostgres } from '../src/db/create-db.ts';
import { migrate } from '../src/db/migrate.ts';
import { seedDemoIfFresh } from '../src/demo/demo.service.ts';
import { fetchBrowser } from '../test/support/fetch-browser.ts';
import { freePort, startArguments } from '../test/support/processes.ts';
import { benchDatabase } from './support/postgres.ts';

/**
 * bench:memory — the resident memory of the built server (`node … dist/server.js`, what `npm start` runs)
 * with the demonstration data, after the browser suite's journeys replayed over HTTP, on the embedded
 * database (PGlite) and, beside it in the same run, on PostgreSQL (a throwaway database, seeded with the
 * same demonstration by the same services).
 *
 * Embedded: a first start on an empty data folder seeds the demonstration (its peak is reported), then
 * the server is stopped and started again on that folder, as the browser suite's servers start. Each
 * journey round: a visitor (home, searches by town and by position, the directory, place pages, the
 * diagnostic, the agenda, the resources, volunteering, the coverage), then each demonstration account
 * signed in through the real form (password, the coordinator's TOTP code) walking its space (and a
 * mediator sending five orientations through the form, which the receivers then see): every
 * same-site link of the pages it reaches (orientations, activities, workshops, pass numérique,
 * statements, funders, messages, moderation, exports…), up to BENCH_PAGES pages per person and round.
 * The memory is read from /proc/<pid>/status of the node process itself (VmRSS now, VmHWM its peak),
 * 2 s after the last request. A 5xx answer makes the run fail: the figures would not measure the
 * journeys. Logs to stderr; the last line of stdout is one JSON object.
 */
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const PAGES_PER_PERSON = Number(process.env.BENCH_PAGES ?? 120);
const TARGET_MB = 300;
const ROOT = path.resolve(import.meta.dirname, '..');

const METRICS_TOKEN = 'bench-memory-metrics-token';
const log = (text: string) => process.stderr.write(`${text}\n`);
const mb = (kb: number) => Math.round(kb / 1024);

/** VmRSS and VmHWM (peak) of a process, in kB (Linux). */
function memoryOf(pid: number): { rssKb: number; peakKb: number } {
  const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
  const field = (name: string) => Number(new RegExp(`^${name}:\\s+(\\d+) kB`, 'm').exec(status)?.[1]);
  return { rssKb: field('VmRSS'), peakKb: field('VmHWM') };
}

/**
 * Where a process's resident memory is, from /proc/<pid>/smaps, in MB: WebAssembly memories (PGlite's
 * engine: an anonymous read-write mapping followed by its guard region, ≥ 1 GB reserved and not
 * accessible), the node binary, other files, the C heap ([heap]) and the other anonymous mappings (V8's
 * heap and code, malloc's large blocks).
 */
function breakdownOf(pid: number): Record<string, number> {
  const kb: Record<string, number> = { wasm: 0, node: 0, files: 0, c_heap: 0, anonymous: 0 };
  let current = { kind: 'anonymous', start: 0, end: 0, rssKb: 0 };
  let previous = current;
  for (const line of fs.readFileSync(`/proc/${pid}/smaps`, 'utf8').split('\n')) {
    const head = /^([0-9a-f]+)-([0-9a-f]+) (\S+) \S+ \S+ \S+\s*(.*)$/.exec(line);
    if (head) {
      const start = Number.parseInt(head[1] as string, 16);
      const end = Number.parseInt(head[2] as string, 16);
      const file = head[4] as string;
      const kind =
        file === '[heap]'
          ? 'c_heap'
          : file.endsWith('/node')
            ? 'node'
            : file.startsWith('/')
              ? 'files'
              : 'anonymous';
      previous = current;
      current = { kind, start, end, rssKb: 0 };
      const guard = kind === 'anonymous' && head[3] === '---p' && end - start >= 2 ** 30;
      if (guard && previous.kind === 'anonymous' && previous.end === start) {
        kb.anonymous = (kb.anonymous ?? 0) - previous.rssKb;
        kb.wasm = (kb.wasm ?? 0) + previous.rssKb;
      }
      continue;
    }
    const rss = /^Rss:\s+(\d+) kB/.exec(line);
    if (rss) {
      current.rssKb = Number(rss[1]);
      kb[current.kind] = (kb[current.kind] ?? 0) + current.rssKb;
    }
  }
  return Object.fromEntries(Object.entries(kb).map(([k, v]) => [k, mb(v)]));
}

/** The JavaScript heap's figures from /metrics, in MB. */
async function heapOf(base: string): Promise<Record<string, number>> {
  const res = await fetch(`${base}/metrics`, { headers: { authorization: `Bearer ${METRICS_TOKEN}` } });
  const text = await res.text();
  const value = (name: string) => mb(Number(new RegExp(`^${name} (\\d+)`, 'm').exec(text)?.[1]) / 1024);
  return {
    heap_total: value('nodejs_heap_size_total_bytes'),
    heap_used: value('nodejs_heap_size_used_bytes'),
    external: value('nodejs_external_memory_bytes'),
  };
}

async function waitReady(url: string, child: ChildProcess): Promise<void> {
  for (let i = 0; i < 600; i++) {
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

interface Server {
  child: ChildProcess;
  base: string;
  stop(): Promise<number | null>;
}

const running = new Set<ChildProcess>();

/** Starts `node dist/server.js` (node itself is the child: its pid is the server's) and waits for /healthz. */
async function startServer(env: Record<string, string>): Promise<Server> {
  const port = await freePort();
  const childEnv: NodeJS.ProcessEnv = {
    ...process.env,
    TZ: 'UTC',
    PORT: String(port),
    HOST: '127.0.0.1',
    // as in production: one log line per request (to /dev/null here)
    LOG_LEVEL: 'info',
    METRICS_TOKEN,
    ...env,
  };
  delete childEnv.PUBLIC_URL;
  delete childEnv.NETWORK_CONTACT;
  if (!env.DATABASE_URL) delete childEnv.DATABASE_URL;
  // e.g. BENCH_SERVER_NODE_ARGS="--heap-snapshot-signal=SIGUSR2" to see what the heap holds
  const nodeArgs = (process.env.BENCH_SERVER_NODE_ARGS ?? '').split(' ').filter(Boolean);
  // What npm start runs (its flags included), without npm in between: node's pid is the server's.
  const child = spawn(process.execPath, [...nodeArgs, ...startArguments()], {
    cwd: ROOT,
    env: childEnv,
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  running.add(child);
  const base = `http://127.0.0.1:${port}`;
  await waitReady(`${base}/healthz`, child);
  const cmdline = fs.readFileSync(`/proc/${child.pid}/cmdline`, 'utf8').split('\0');
  if (!cmdline.includes('dist/server.js'))
    throw new Error(`measuring the wrong process: ${cmdline.join(' ')}`);
  return {
    child,
    base,
    async stop() {
      if (child.exitCode !== null) return child.exitCode;
      const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
      child.kill('SIGTERM');
      const code = await exited;
      running.delete(child);
      return code;
    },
  };
}

/** Same-site links of a page (no sign-out, no static file). */
function linksOf(html: string): string[] {
  const out: string[] = [];
  for (const match of html.matchAll(/href="(\/[^"#]*)/g)) {
    const href = (match[1] as string).replaceAll('&amp;', '&');
    if (href.startsWith('//') || /^\/(deconnexion|static|assets)\b/.test(href)) continue;
    if (/\.(css|js|png|svg|ico|woff2?)(\?|$)/.test(href)) continue;
    out.push(href);
  }
  return out;
}

interface Tally {
  pages: number;
  statuses: Map<number, number>;
  errors: string[];
  /** A few links that answered 4xx (a link shown to someone who may not follow it), for the log. */
  refused: Set<string>;
}

/** Walks from the start pages through same-site links, breadth first, up to `limit` pages. */
async function walk(browser: ReturnType<typeof fetchBrowser>, start: string[], limit: number, tally: Tally) {
  const seen = new Set<string>(start);
  const queue = [...start];
  let visited = 0;
  while (queue.length && visited < limit) {
    const href = queue.shift() as string;
    const res = await browser.request(href);
    visited++;
    tally.pages++;
    tally.statuses.set(res.status, (tally.statuses.get(res.status) ?? 0) + 1);
    if (res.status >= 500 && tally.errors.length < 10) tally.errors.push(`${res.status} ${href}`);
    if (res.status >= 400 && res.status < 500 && tally.refused.size < 8)
      tally.refused.add(`${res.status} ${href}`);
    const type = res.headers.get('Content-Type') ?? '';
    if (!type.includes('text/html')) {
      await res.arrayBuffer();
      continue;
    }
    for (const link of linksOf(await res.text())) {
      if (seen.has(link)) continue;
      seen.add(link);
      queue.push(link);
    }
  }
}

/** Signs in through the form (password, then the coordinator's TOTP code). */
async function signIn(browser: ReturnType<typeof fetchBrowser>, email: string): Promise<void> {
  const res = await browser.request('/connexion', {
    _csrf: await browser.csrf('/connexion'),
    email,
    password: 'demonstration-maillage',
  });
  if (res.status !== 303) throw new Error(`${email} could not sign in (${res.status})`);
  if (res.headers.get('Location') !== '/connexion/code') return;
  const totp = new TOTP({ secret: Secret.fromBase32(DEMO_TOTP_SECRET) });
  for (const timestamp of [Date.now(), Date.now() + 30_000]) {
    const ok = await browser.request('/connexion/code', {
      _csrf: await browser.csrf('/connexion/code'),
      code: totp.generate({ timestamp }),
    });
    if (ok.headers.get('Location') === '/espace') return;
  }
  throw new Error(`${email}: the TOTP code was refused`);
}

const VISITOR_START = [
  '/',
  '/recherche?ou=Saran',
  '/recherche?ou=Orl%C3%A9ans',
  '/recherche?besoin=caf&ou=Saran',
  '/recherche?besoin=pix&ou=Saran&ouvert=oui',
  '/recherche?besoin=caf&ou=Saran&vue=carte',
  '/embed?besoin=caf&ou=Saran&vue=carte',
  '/recherche?lat=47.9029&lon=1.9093',
  '/lieux',
  '/diagnostic',
  '/agenda',
  '/ressources',
  '/benevolat',
  '/couverture',
  '/connexion',
];
const PERSON_START = ['/espace', '/compte'];

/**
 * A write of the journeys: a mediator of the other structure sends an orientation to a place through the
 * form (consent ticked), as referrals and orientation-appointment do in the browser suite.
 */
async function sendOrientation(browser: ReturnType<typeof fetchBrowser>, placeId: string, n: number) {
  const page = await (await browser.request(`/orientations/nouvelle?lieu=${placeId}`)).text();
  const field = (name: string) => new RegExp(`name="${name}" value="([^"]+)"`).exec(page)?.[1] ?? '';
  const res = await browser.request('/orientations/nouvelle', {
    _csrf: field('_csrf'),
    lieu: placeId,
    structure: field('structure'),
    besoin: field('besoin'),
    urgence: 'normal',
    contact: 'self',
    nom: `Personne orientée ${n}`,
    contact_orienteur: 'mediation.bench@example.org',
    message: 'Besoin d’aide pour créer un compte sur le site de la CAF.',
    consentement: 'oui',
  });
  if (res.status !== 303) throw new Error(`an orientation to ${placeId} was refused (${res.status})`);
}

/** The journeys, ROUNDS times: a visitor, then every demonstration account signed in. */
async function journeys(base: string): Promise<Tally> {
  const tally: Tally = { pages: 0, statuses: new Map(), errors: [], refused: new Set() };
  const people = await Promise.all(
    DEMO_ACCOUNTS.map(async (account) => {
      const browser = fetchBrowser(base);
      await signIn(browser, account.email);
      return browser;
    }),
  );
  const placeIds = [
    ...new Set(
      linksOf(await (await fetchBrowser(base).request('/lieux')).text())
        .map((href) => /^\/lieux\/([0-9a-f-]{36})$/.exec(href)?.[1])
        .filter((id): id is string => id !== undefined),
    ),
  ];
  if (placeIds.length < ROUNDS * 5) throw new Error(`only ${placeIds.length} places listed on /lieux`);
  const sender = people[DEMO_ACCOUNTS.findIndex((a) => a.email === 'autre-structure.demo@example.org')];
  if (!sender) throw new Error('no demonstration mediator of the other structure');
  let sent = 0;
  for (let round = 1; round <= ROUNDS; round++) {
    const t0 = performance.now();
    for (let i = 0; i < 5; i++) await sendOrientation(sender, placeIds[sent] as string, ++sent);
    await walk(fetchBrowser(base), VISITOR_START, PAGES_PER_PERSON, tally);
    for (const browser of people) await walk(browser, PERSON_START, PAGES_PER_PERSON, tally);
    log(
      `  round ${round}: ${tally.pages} pages and ${sent} orientations sent so far (${Math.round(performance.now() - t0)} ms)`,
    );
  }
  return tally;
}

interface Figures {
  start_rss_mb: number;
  rss_mb: number;
  idle_rss_mb: number;
  peak_mb: number;
  pages: number;
  server_errors: number;
}

async function measure(label: string, env: Record<string, string>): Promise<Figures> {
  const server = await startServer(env);
  const pid = server.child.pid as number;
  await new Promise((r) => setTimeout(r, 1_000));
  const atStart = memoryOf(pid);
  log(`${label}: started, RSS ${mb(atStart.rssKb)} MB (peak ${mb(atStart.peakKb)} MB); journeys…`);
  log(`  where (MB): ${JSON.stringify({ ...breakdownOf(pid), ...(await heapOf(server.base)) })}`);
  const tally = await journeys(server.base);
  await new Promise((r) => setTimeout(r, 2_000));
  const after = memoryOf(pid);
  const statuses = [...tally.statuses].sort(([a], [b]) => a - b);
  log(`  ${tally.pages} pages: ${statuses.map(([s, n]) => `${n}×${s}`).join(', ')}`);
  if (tally.errors.length) log(`  server errors, first ones: ${tally.errors.join(' | ')}`);
  if (tally.refused.size) log(`  links refused, first ones: ${[...tally.refused].join(' | ')}`);
  log(`  after the journeys: RSS ${mb(after.rssKb)} MB, peak ${mb(after.peakKb)} MB`);
  log(`  where (MB): ${JSON.stringify({ ...breakdownOf(pid), ...(await heapOf(server.base)) })}`);
  // The same after a quiet half-minute: V8 collects the old generation's garbage when allocation stops
  // (its memory reducer), so the figure at 2 s depends on when the last full collection ran.
  await new Promise((r) => setTimeout(r, 28_000));
  const idle = memoryOf(pid);
  log(`  after 30 s without requests: RSS ${mb(idle.rssKb)} MB`);
  log(`  where (MB): ${JSON.stringify({ ...breakdownOf(pid), ...(await heapOf(server.base)) })}`);
  const code = await server.stop();
  if (code !== 0) throw new Error(`${label}: the server exited with ${code} on SIGTERM`);
  return {
    start_rss_mb: mb(atStart.rssKb),
    rss_mb: mb(after.rssKb),
    idle_rss_mb: mb(idle.rssKb),
    peak_mb: mb(after.peakKb),
    pages: tally.pages,
    server_errors: [...tally.statuses].filter(([s]) => s >= 500).reduce((sum, [, n]) => sum + n, 0),
  };
}

const benchDb = benchDatabase('maillage_bench_memory');
const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'maillage-bench-memory-'));
let exitCode = 0;
try {
  log('building the server if stale…');
  execFileSync(process.execPath, ['scripts/build.mjs', '--if-stale'], { cwd: ROOT, stdio: ['ignore', 2, 2] });

  // Embedded: the first start seeds the demonstration; the measured start finds it seeded.
  const first = await startServer({ DATA_DIR: dataDir });
  const seeding = memoryOf(first.child.pid as number);
  log(`embedded, first start (seeding): RSS ${mb(seeding.rssKb)} MB, peak ${mb(seeding.peakKb)} MB`);
  if ((await first.stop()) !== 0) throw new Error('the first embedded start did not stop cleanly');
  const embedded = await measure('embedded (PGlite)', { DATA_DIR: dataDir });

  // PostgreSQL: the same demonstration, seeded by the same services into a throwaway database. Demo
  // accounts only start in demonstration mode, which is embedded only (docs/decisions/0022): here they
  // are marked as ordinary accounts so the server starts with them, as a network's real accounts.
  // BENCH_SKIP_POSTGRES=1: the embedded figures alone (while looking for where the memory goes).
  let postgres: Figures | null = null;
  if (process.env.BENCH_SKIP_POSTGRES !== '1') {
    await benchDb.create();
    const db = kyselyOverPostgres(benchDb.url, 4);
    try {
      await migrate(db);
      await seedDemoIfFresh(db, { kind: 'system' });
      await sql`update person set is_demo = false where is_demo`.execute(db);
    } finally {
      await db.destroy();
    }
    postgres = await measure('PostgreSQL', { DATABASE_URL: benchDb.url, DATA_DIR: dataDir });
    await benchDb.drop();
  }

  const serverErrors = embedded.server_errors + (postgres?.server_errors ?? 0);
  const ok = embedded.rss_mb <= TARGET_MB && serverErrors === 0;
  log(
    `target embedded RSS ≤ ${TARGET_MB} MB after the journeys: ${embedded.rss_mb} MB — ${embedded.rss_mb <= TARGET_MB ? 'met' : 'NOT MET'} (PostgreSQL: ${postgres?.rss_mb ?? 'not measured'} MB)`,
  );
  if (serverErrors > 0) {
    log('some pages answered 5xx (see above): the figures do not measure the journeys');
    exitCode = 1;
  }
  process.stdout.write(
    `${JSON.stringify({
      rounds: ROUNDS,
      embedded_pages: embedded.pages,
      postgres_pages: postgres?.pages ?? null,
      embedded_first_start_peak_mb: mb(seeding.peakKb),
      embedded_start_rss_mb: embedded.start_rss_mb,
      embedded_rss_mb: embedded.rss_mb,
      embedded_peak_mb: embedded.peak_mb,
      embedded_idle_rss_mb: embedded.idle_rss_mb,
      postgres_start_rss_mb: postgres?.start_rss_mb ?? null,
      postgres_rss_mb: postgres?.rss_mb ?? null,
      postgres_peak_mb: postgres?.peak_mb ?? null,
      postgres_idle_rss_mb: postgres?.idle_rss_mb ?? null,
      target_mb: TARGET_MB,
      targets: { embedded_rss_mb: embedded.rss_mb <= TARGET_MB },
      ok,
    })}\n`,
  );
} catch (error) {
  log(`bench:memory failed: ${(error as Error).stack ?? error}`);
  exitCode = 1;
} finally {
  for (const child of running) if (child.exitCode === null) child.kill('SIGKILL');
  fs.rmSync(dataDir, { recursive: true, force: true });
  await benchDb.drop().catch(() => {});
}
process.exitCode = exitCode;
