// autocannon for bench:gateway in a child process, so the gateway has its event loop to itself.
import { fork, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
// @ts-expect-error autocannon ships no type declarations
import autocannon from 'autocannon';

export interface LoadSpec {
  url: string;
  connections: number;
  seconds: number;
  /** Bearer tokens used round-robin (empty: none). */
  tokens: string[];
  headers?: Record<string, string>;
  /** Requests per second over all connections (unset: as fast as possible). */
  overallRate?: number;
}

export interface LoadResult {
  requestsPerSecond: number;
  /** Mean latency in ms (autocannon's percentiles are whole milliseconds). */
  mean: number;
  p50: number;
  p90: number;
  p99: number;
  max: number;
  non2xx: number;
  errors: number;
  timeouts: number;
  requests: number;
}

export function runLoad(spec: LoadSpec): Promise<LoadResult> {
  return new Promise((resolve, reject) => {
    const child: ChildProcess = fork(fileURLToPath(import.meta.url), ['child'], { stdio: 'inherit' });
    child.once('message', (m) => resolve(m as LoadResult));
    child.once('error', reject);
    child.once('exit', (code) => code !== 0 && reject(new Error(`load generator exited with ${code}`)));
    child.send(spec);
  });
}

if (process.argv[2] === 'child' && process.send) {
  process.once('message', async (spec: LoadSpec) => {
    let next = 0;
    // One token: a static header (autocannon then reuses the serialised request).
    const single = spec.tokens.length === 1 ? { authorization: `Bearer ${spec.tokens[0]}` } : {};
    const requests = spec.tokens.length <= 1 ? [{ method: 'GET' }] : [
      {
        method: 'GET',
        setupRequest: (req: Record<string, unknown>) => {
          if (spec.tokens.length === 0) return req;
          const token = spec.tokens[next++ % spec.tokens.length];
          return { ...req, headers: { ...(req.headers as Record<string, string>), authorization: `Bearer ${token}` } };
        },
      },
    ];
    const r = await autocannon({
      url: spec.url,
      connections: spec.connections,
      duration: spec.seconds,
      headers: { ...spec.headers, ...single },
      requests,
      ...(spec.overallRate ? { overallRate: spec.overallRate } : {}),
    });
    process.send!({
      requestsPerSecond: r.requests.average,
      mean: r.latency.average,
      p50: r.latency.p50,
      p90: r.latency.p90,
      p99: r.latency.p99,
      max: r.latency.max,
      non2xx: r.non2xx,
      errors: r.errors,
      timeouts: r.timeouts,
      requests: r.requests.total,
    } satisfies LoadResult);
    process.exit(0);
  });
}
