import http from 'node:http';

/**
 * A small closed-loop load generator on loopback: `connections` concurrent keep-alive loops for
 * `seconds`, each request built by `path(i)`. Bounded in time and count. Reports requests per second and
 * latency percentiles; non-2xx answers count as errors.
 */
export interface LoadResult {
  requests: number;
  errors: number;
  reqPerS: number;
  p50Ms: number;
  p99Ms: number;
  bytes: number;
}

export async function runLoad(options: {
  port: number;
  path: (i: number) => string;
  connections: number;
  seconds: number;
  headers?: Record<string, string>;
  maxRequests?: number;
}): Promise<LoadResult> {
  const agent = new http.Agent({ keepAlive: true, maxSockets: options.connections });
  const latencies: number[] = [];
  let errors = 0;
  let bytes = 0;
  let counter = 0;
  const maxRequests = options.maxRequests ?? 2_000_000;
  const deadline = performance.now() + options.seconds * 1000;
  const one = (path: string) =>
    new Promise<void>((resolve) => {
      const started = performance.now();
      const req = http.request(
        { host: '127.0.0.1', port: options.port, path, agent, headers: options.headers ?? {} },
        (res) => {
          res.on('data', (chunk: Buffer) => {
            bytes += chunk.length;
          });
          res.on('end', () => {
            if ((res.statusCode ?? 500) >= 300) errors++;
            latencies.push(performance.now() - started);
            resolve();
          });
        },
      );
      req.on('error', () => {
        errors++;
        resolve();
      });
      req.end();
    });
  const started = performance.now();
  await Promise.all(
    Array.from({ length: options.connections }, async () => {
      while (performance.now() < deadline && counter < maxRequests) await one(options.path(counter++));
    }),
  );
  const elapsed = (performance.now() - started) / 1000;
  agent.destroy();
  latencies.sort((a, b) => a - b);
  const pct = (p: number) =>
    Math.round((latencies[Math.min(latencies.length - 1, Math.floor(latencies.length * p))] ?? 0) * 10) / 10;
  return {
    requests: latencies.length,
    errors,
    reqPerS: Math.round(latencies.length / elapsed),
    p50Ms: pct(0.5),
    p99Ms: pct(0.99),
    bytes,
  };
}
