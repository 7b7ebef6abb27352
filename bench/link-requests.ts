import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { hash } from '@node-rs/argon2';
import pg from 'pg';
import { benchDatabase } from './support/postgres.ts';

/**
 * bench:link-requests — does "mot de passe oublié" or "lien de connexion" answer faster or slower for an
 * address that has an account? A timing difference tells an attacker who has an account. Against a real
 * server process on PostgreSQL, the same number of requests for known and unknown addresses, interleaved
 * (so the machine's noise hits both alike), each address used once per route (the per-address limit is
 * 5 an hour). The baseline is the unknown-address path of the same run; the figure is the ratio of the
 * medians, which should be close to 1.
 *
 * BENCH_ROOT runs the server of another checkout (e.g. the previous commit's, for a before/after).
 * Logs to stderr; the last line of stdout is one JSON object.
 */
const ROOT = path.resolve(process.env.BENCH_ROOT ?? path.join(import.meta.dirname, '..'));
const SAMPLES = Number(process.env.BENCH_SAMPLES ?? 200);
const PORT = 3400 + (process.pid % 500);
const BASE = `http://127.0.0.1:${PORT}`;
const log = (text: string) => process.stderr.write(`${text}\n`);
const db = benchDatabase('maillage_bench_links');

function run(args: string[], env: Record<string, string>) {
  return spawn(process.execPath, ['--import', 'tsx', ...args], {
    cwd: ROOT,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
}

async function waitReady(): Promise<void> {
  for (let i = 0; i < 300; i++) {
    try {
      if ((await fetch(`${BASE}/healthz`)).ok) return;
    } catch {
      // not yet listening
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error('the server did not start');
}

const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? Number.NaN;
};
const p90 = (values: number[]) =>
  [...values].sort((a, b) => a - b)[Math.floor(values.length * 0.9)] ?? Number.NaN;

async function main() {
  await db.create();
  const env = { DATABASE_URL: db.url, PORT: String(PORT), HOST: '127.0.0.1', LOG_LEVEL: 'warn' };
  const migrate = run(['src/cli.ts', 'db', 'migrate'], env);
  await new Promise((resolve) => migrate.once('exit', resolve));
  // Accounts with a password (one argon2 hash for all: the bench measures the link path, not hashing).
  const passwordHash = await hash('une phrase de passe de banc d’essai');
  const client = new pg.Client({ connectionString: db.url });
  await client.connect();
  const known: string[] = [];
  for (let i = 0; i < SAMPLES * 2; i++) known.push(`compte${i}@example.org`);
  await client.query(
    'insert into person (email, display_name, password_hash) select e, e, $2 from unnest($1::text[]) e',
    [known, passwordHash],
  );
  await client.end();
  const server = run(['src/server.ts'], env);
  let stderr = '';
  server.stderr?.on('data', (d) => {
    stderr += d;
  });
  try {
    await waitReady();
    const form = await fetch(`${BASE}/mot-de-passe-oublie`);
    const cookie = (form.headers.get('set-cookie') ?? '').split(';')[0] ?? '';
    const csrf = /name="_csrf" value="([^"]+)"/.exec(await form.text())?.[1] ?? '';
    const ask = async (route: string, email: string) => {
      const t = performance.now();
      const res = await fetch(`${BASE}${route}`, {
        method: 'POST',
        headers: { Cookie: cookie, 'Content-Type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ _csrf: csrf, email }).toString(),
      });
      await res.arrayBuffer();
      if (res.status !== 200) throw new Error(`${route} answered ${res.status}`);
      return performance.now() - t;
    };
    const result: Record<string, number> = { samples: SAMPLES };
    let k = 0;
    for (const [route, name] of [
      ['/mot-de-passe-oublie', 'reset'],
      ['/connexion/lien', 'sign_in_link'],
    ] as const) {
      const times = { known: [] as number[], unknown: [] as number[] };
      for (let i = 0; i < 20; i++) await ask(route, `echauffement-${name}-${i}@example.org`);
      for (let i = 0; i < SAMPLES; i++) {
        const unknown = `${randomBytes(6).toString('hex')}@example.org`;
        // Alternate which goes first, so neither path always follows the other.
        if (i % 2 === 0) {
          times.known.push(await ask(route, known[k++] as string));
          times.unknown.push(await ask(route, unknown));
        } else {
          times.unknown.push(await ask(route, unknown));
          times.known.push(await ask(route, known[k++] as string));
        }
      }
      const known50 = median(times.known);
      const unknown50 = median(times.unknown);
      log(
        `${route}: known address median ${known50.toFixed(2)} ms (p90 ${p90(times.known).toFixed(2)}), unknown ${unknown50.toFixed(2)} ms (p90 ${p90(times.unknown).toFixed(2)}), ratio ${(known50 / unknown50).toFixed(2)}`,
      );
      result[`${name}_known_median_ms`] = Number(known50.toFixed(2));
      result[`${name}_unknown_median_ms`] = Number(unknown50.toFixed(2));
      result[`${name}_ratio`] = Number((known50 / unknown50).toFixed(3));
    }
    const worst = Math.max(
      Math.abs(Math.log(result.reset_ratio ?? 1)),
      Math.abs(Math.log(result.sign_in_link_ratio ?? 1)),
    );
    result.target_ratio_within_10_percent = Number(Math.exp(worst) <= 1.1);
    log(`target: known/unknown medians within 10 % — ${Math.exp(worst) <= 1.1 ? 'met' : 'NOT met'}`);
    process.stdout.write(`${JSON.stringify(result)}\n`);
  } catch (error) {
    log(stderr);
    throw error;
  } finally {
    server.kill('SIGTERM');
    await new Promise((resolve) => server.once('exit', resolve));
    await db.drop();
  }
}

await main();
