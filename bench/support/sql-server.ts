/**
 * The SQL baselines of bench:search: the API's question (`/api/v1/lieux?near=lat,lon&service=…&limit=20`)
 * answered by PostgreSQL alone, behind the thinnest HTTP front there is (node:http, one query per request,
 * the rows as JSON, no framework, no compression, no log), so that wrk drives it exactly as it drives the
 * API. SQL_MODE=indexed orders by distance through a GiST index (cube/earthdistance: ll_to_earth points
 * on the sphere, whose straight-line order is the great-circle order, so the nearest 20 are exact);
 * SQL_MODE=scan computes the haversine distance of every place offering the service and sorts them.
 */
import http from 'node:http';
import pg from 'pg';

/** Great-circle metres, the API's formula (R = 6,371 km), for the 20 rows returned. */
const DISTANCE = `6371000 * 2 * asin(sqrt(power(sin(radians(latitude - $1) / 2), 2) +
  cos(radians($1)) * cos(radians(latitude)) * power(sin(radians(longitude - $2) / 2), 2)))`;

export const SQL_QUERIES = {
  scan: `select *, ${DISTANCE} as distance_m from place
    where latitude is not null and services @> array[$3]::text[] order by distance_m limit $4`,
  indexed: `select *, ${DISTANCE} as distance_m from place
    where latitude is not null and services @> array[$3]::text[]
    order by ll_to_earth(latitude, longitude) <-> ll_to_earth($1, $2) limit $4`,
} as const;

/** The index the indexed query walks (created by the bench on its own database). */
export const SQL_INDEX = [
  'create extension if not exists cube',
  'create extension if not exists earthdistance',
  'create index if not exists place_bench_earth on place using gist (ll_to_earth(latitude, longitude))',
  'analyze place',
];

if (process.argv[1] === import.meta.filename) {
  const mode = process.env.SQL_MODE === 'scan' ? 'scan' : 'indexed';
  // As many connections as the application's pool (kyselyOverPostgres' default).
  const pool = new pg.Pool({ connectionString: process.env.DATABASE_URL, max: 10 });
  const text = SQL_QUERIES[mode];
  const server = http.createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    const [lat, lon] = (url.searchParams.get('near') ?? '').split(',').map(Number);
    const service = url.searchParams.get('service') ?? '';
    const limit = Number(url.searchParams.get('limit') ?? 20);
    if (!Number.isFinite(lat) || !Number.isFinite(lon)) {
      res.writeHead(400).end();
      return;
    }
    pool.query({ name: mode, text, values: [lat, lon, service, limit] }).then(
      (result) => {
        const body = JSON.stringify({ data: result.rows });
        res.writeHead(200, { 'Content-Type': 'application/json; charset=utf-8' }).end(body);
      },
      (error: Error) => {
        process.stderr.write(`${error.message}\n`);
        res.writeHead(500).end();
      },
    );
  });
  server.listen(Number(process.env.PORT), '127.0.0.1', () => process.stderr.write(`sql ${mode} ready\n`));
  process.on('SIGTERM', () => {
    server.close();
    void pool.end();
    server.closeAllConnections();
  });
}
