/** One workload driven over HTTP by autocannon, with latencies kept at full (sub-millisecond) precision. */
import autocannon, { type Request } from 'autocannon';
import { BENCH_TOKEN } from './dataset.js';

export interface LoadResult {
  connections: number;
  seconds: number;
  requests: number;
  /** Responses other than 2xx, by status, and socket errors / timeouts. */
  failures: Record<string, number>;
  requestsPerSecond: number;
  p50Ms: number;
  p99Ms: number;
  maxMs: number;
}

export interface LoadOptions {
  url: string;
  connections: number;
  seconds: number;
  request: Request;
}

export const AUTH_HEADERS = { authorization: `Bearer ${BENCH_TOKEN}`, 'content-type': 'application/json' };

function percentile(sorted: Float64Array, fraction: number): number {
  if (sorted.length === 0) return 0;
  return sorted[Math.min(sorted.length - 1, Math.ceil(fraction * sorted.length) - 1)]!;
}

export async function runLoad(options: LoadOptions): Promise<LoadResult> {
  const latencies: number[] = [];
  const instance = autocannon({
    url: options.url,
    connections: options.connections,
    duration: options.seconds,
    timeout: 30,
    headers: AUTH_HEADERS,
    requests: [options.request],
  });
  instance.on('response', (_client, statusCode, _bytes, responseTime) => {
    if (statusCode >= 200 && statusCode < 300) latencies.push(responseTime);
  });
  const result = await instance;
  const sorted = Float64Array.from(latencies).sort();
  const failures: Record<string, number> = {};
  for (const [status, { count }] of Object.entries(result.statusCodeStats)) if (!status.startsWith('2')) failures[status] = count;
  if (result.errors > 0) failures.errors = result.errors;
  if (result.timeouts > 0) failures.timeouts = result.timeouts;
  return {
    connections: options.connections,
    seconds: result.duration,
    requests: sorted.length,
    failures,
    requestsPerSecond: sorted.length / result.duration,
    p50Ms: percentile(sorted, 0.5),
    p99Ms: percentile(sorted, 0.99),
    maxMs: sorted.length ? sorted[sorted.length - 1]! : 0,
  };
}

/** Sends one request of a workload outside the load, so a refused request is explained before the run. */
export async function preflight(url: string, request: { method: string; path: string; body?: string }): Promise<void> {
  const response = await fetch(`${url}${request.path}`, { method: request.method, headers: AUTH_HEADERS, body: request.body });
  if (response.status < 200 || response.status >= 300) {
    throw new Error(`${request.method} ${request.path.slice(0, 120)} answered ${response.status}: ${(await response.text()).slice(0, 2000)}`);
  }
  await response.arrayBuffer();
}
