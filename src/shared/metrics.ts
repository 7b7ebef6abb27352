/**
 * The process's own figures for `/metrics` (docs/decisions/0046), in Prometheus' text format, written
 * here in a few lines rather than with a library: counters and histograms kept in memory since the
 * process started, and gauges read at scrape time by the caller. Labels hold route patterns
 * (`/lieux/:id`), never a raw path: no id, no personal data, a bounded number of series.
 */

/** Latency buckets in seconds: a page is expected well under 100 ms, an export may take seconds. */
const DURATION_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10] as const;

interface Histogram {
  buckets: number[];
  sum: number;
  count: number;
}

const requests = new Map<string, number>();
const durations = new Map<string, Histogram>();
const indexReloads = { count: 0, sum: 0, last: Number.NaN };
const startedAt = Date.now() / 1000;

const METHODS = new Set(['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS']);

/** A label value in the text format: backslash, double quote and new line escaped. */
function escapeLabel(value: string): string {
  return value.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n');
}

function labels(pairs: Record<string, string>): string {
  return Object.entries(pairs)
    .map(([k, v]) => `${k}="${escapeLabel(v)}"`)
    .join(',');
}

/** One request answered: its method, route pattern, status and duration in seconds. */
export function recordRequest(method: string, route: string, status: number, seconds: number): void {
  const m = METHODS.has(method) ? method : 'OTHER';
  const key = labels({ method: m, route, status: String(status) });
  requests.set(key, (requests.get(key) ?? 0) + 1);
  const hKey = labels({ method: m, route });
  let h = durations.get(hKey);
  if (!h) {
    h = { buckets: DURATION_BUCKETS.map(() => 0), sum: 0, count: 0 };
    durations.set(hKey, h);
  }
  DURATION_BUCKETS.forEach((le, i) => {
    if (seconds <= le) h.buckets[i] = (h.buckets[i] ?? 0) + 1;
  });
  h.sum += seconds;
  h.count++;
}

/** The search index was (re)loaded from the database in so many seconds. */
export function recordIndexReload(seconds: number): void {
  indexReloads.count++;
  indexReloads.sum += seconds;
  indexReloads.last = seconds;
}

/** A gauge read at scrape time: name, help, and its values by labels ({} for none). */
export interface Gauge {
  name: string;
  help: string;
  values: { labels?: Record<string, string>; value: number }[];
}

const num = (n: number) =>
  Number.isFinite(n) ? String(n) : Number.isNaN(n) ? 'NaN' : n > 0 ? '+Inf' : '-Inf';

/** Everything in Prometheus' text exposition format (version 0.0.4). */
export function renderMetrics(gauges: Gauge[]): string {
  const out: string[] = [];
  out.push('# HELP maillage_http_requests_total Requests answered, by method, route pattern and status.');
  out.push('# TYPE maillage_http_requests_total counter');
  for (const [key, n] of requests) out.push(`maillage_http_requests_total{${key}} ${n}`);
  out.push('# HELP maillage_http_request_duration_seconds Time to answer a request, by method and route.');
  out.push('# TYPE maillage_http_request_duration_seconds histogram');
  for (const [key, h] of durations) {
    DURATION_BUCKETS.forEach((le, i) => {
      out.push(`maillage_http_request_duration_seconds_bucket{${key},le="${le}"} ${h.buckets[i]}`);
    });
    out.push(`maillage_http_request_duration_seconds_bucket{${key},le="+Inf"} ${h.count}`);
    out.push(`maillage_http_request_duration_seconds_sum{${key}} ${h.sum}`);
    out.push(`maillage_http_request_duration_seconds_count{${key}} ${h.count}`);
  }
  out.push('# HELP maillage_search_index_reload_seconds Time to load the search index from the database.');
  out.push('# TYPE maillage_search_index_reload_seconds summary');
  out.push(`maillage_search_index_reload_seconds_sum ${indexReloads.sum}`);
  out.push(`maillage_search_index_reload_seconds_count ${indexReloads.count}`);
  out.push('# HELP maillage_search_index_last_reload_seconds Time the last load of the search index took.');
  out.push('# TYPE maillage_search_index_last_reload_seconds gauge');
  out.push(`maillage_search_index_last_reload_seconds ${num(indexReloads.last)}`);
  for (const gauge of gauges) {
    out.push(`# HELP ${gauge.name} ${gauge.help}`);
    out.push(`# TYPE ${gauge.name} gauge`);
    for (const v of gauge.values) {
      const l = v.labels && Object.keys(v.labels).length ? `{${labels(v.labels)}}` : '';
      out.push(`${gauge.name}${l} ${num(v.value)}`);
    }
  }
  const memory = process.memoryUsage();
  out.push('# HELP process_resident_memory_bytes Resident memory size in bytes.');
  out.push('# TYPE process_resident_memory_bytes gauge');
  out.push(`process_resident_memory_bytes ${memory.rss}`);
  for (const [name, help, value] of [
    ['nodejs_heap_size_total_bytes', 'JavaScript heap committed by V8, in bytes.', memory.heapTotal],
    ['nodejs_heap_size_used_bytes', 'JavaScript heap in use, in bytes.', memory.heapUsed],
    [
      'nodejs_external_memory_bytes',
      'Memory of C++ objects bound to JavaScript (buffers, WebAssembly), in bytes.',
      memory.external,
    ],
    ['nodejs_array_buffers_bytes', 'Memory of ArrayBuffers and Buffers, in bytes.', memory.arrayBuffers],
  ] as const) {
    out.push(`# HELP ${name} ${help}`, `# TYPE ${name} gauge`, `${name} ${value}`);
  }
  out.push('# HELP process_start_time_seconds Start time of the process since the Unix epoch, in seconds.');
  out.push('# TYPE process_start_time_seconds gauge');
  out.push(`process_start_time_seconds ${Math.floor(startedAt)}`);
  return `${out.join('\n')}\n`;
}
