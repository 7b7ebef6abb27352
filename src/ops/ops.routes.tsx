import { createHash, timingSafeEqual } from 'node:crypto';
import { Hono } from 'hono';
import type { AppEnv } from '../http/app-env.ts';
import { type Gauge, renderMetrics } from '../shared/metrics.ts';
import { checkReadiness, type ReadinessCheck, readOperationalFigures } from './ops.service.ts';

/**
 * The operator's doors (docs/decisions/0046): `/readyz` for the load balancer or orchestrator (is this
 * server able to serve now?), `/metrics` for Prometheus, with METRICS_TOKEN only. `/healthz` (in app.tsx)
 * only says the process started.
 */
const SYSTEM = { kind: 'system' } as const;

/** Each readiness check gets this long: a probe must answer before the balancer gives up on it. */
export const READINESS_TIMEOUT_MS = 2_000;

/** What a PostgreSQL pool tells about itself (pg.Pool's counters); none on the embedded database. */
export interface PoolSizes {
  totalCount: number;
  idleCount: number;
  waitingCount: number;
}

const CHECK_WORDS: Record<ReadinessCheck, string> = {
  database: 'la base de données ne répond pas',
  migrations: 'la base n’a pas toutes les migrations de ce code',
  search_index: "l'index de recherche n'est pas chargé",
};

/** The token, compared in constant time (both sides hashed first: equal lengths whatever is sent). */
function bearerMatches(header: string | undefined, token: string): boolean {
  const match = /^Bearer\s+(\S+)\s*$/i.exec(header ?? '');
  const given = createHash('sha256')
    .update(match?.[1] ?? '')
    .digest();
  const expected = createHash('sha256').update(token).digest();
  return timingSafeEqual(given, expected) && match !== null;
}

export function opsRoutes(deps: { pool: PoolSizes | null }) {
  const app = new Hono<AppEnv>();

  app.get('/readyz', async (c) => {
    const readiness = await checkReadiness(c.get('db'), SYSTEM, {
      scope: c.get('config').publicScope,
      timeoutMs: READINESS_TIMEOUT_MS,
    });
    c.header('Cache-Control', 'no-store');
    if (readiness.ready) return c.text('prêt (ready)\n');
    const why = readiness.failing.map((check) => CHECK_WORDS[check]).join(' ; ');
    return c.text(`pas prêt : ${why} (not ready: ${readiness.failing.join(', ')})\n`, 503);
  });

  app.get('/metrics', async (c) => {
    const token = c.get('config').metricsToken;
    if (token === null) return c.notFound();
    c.header('Cache-Control', 'no-store');
    if (!bearerMatches(c.req.header('Authorization'), token)) {
      c.header('WWW-Authenticate', 'Bearer realm="metrics"');
      return c.text('Jeton absent ou incorrect (missing or wrong token).\n', 401);
    }
    const figures = await readOperationalFigures(c.get('db'), SYSTEM, {
      config: c.get('config'),
      now: new Date(),
    });
    const gauges: Gauge[] = [
      {
        name: 'maillage_job_runner_lag_seconds',
        help: 'How late the most overdue scheduled job is (0: none is).',
        values: [{ value: figures.jobLagSeconds }],
      },
      {
        name: 'maillage_mail_outbox_pending',
        help: 'Messages waiting in the outbox (not delivered yet).',
        values: [{ value: figures.outboxPending }],
      },
    ];
    if (deps.pool) {
      gauges.push(
        {
          name: 'maillage_db_pool_connections',
          help: 'Connections of the PostgreSQL pool: all of them, and the idle ones.',
          values: [
            { labels: { state: 'total' }, value: deps.pool.totalCount },
            { labels: { state: 'idle' }, value: deps.pool.idleCount },
          ],
        },
        {
          name: 'maillage_db_pool_waiting',
          help: 'Queries waiting for a connection of the PostgreSQL pool.',
          values: [{ value: deps.pool.waitingCount }],
        },
      );
    }
    c.header('Content-Type', 'text/plain; version=0.0.4; charset=utf-8');
    return c.body(renderMetrics(gauges));
  });

  return app;
}
