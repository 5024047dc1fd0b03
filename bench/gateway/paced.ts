// An open-loop load at a constant request rate, in a child process: request i is due at
// start + i/rate and goes out on the first free one of `connections` keep-alive connections.
// Latency runs from the due time to the end of the answer, so time spent queued (behind a busy
// gateway, or for a free connection) counts. This is "half of saturation" as the issue means it:
// half the saturated request rate, evenly spread. autocannon's `overallRate` is not: each
// connection sends its quota for the second as fast as it can at the start of the second, then
// waits, so the gateway sees a saturating burst every second.
// Latencies are measured with performance.now() (sub-millisecond; autocannon's are whole ms).
import { fork, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { Pool } from 'undici';
import { runQueueWaitNs } from './activity-trace.js';

export interface PacedSpec {
  url: string;
  connections: number;
  seconds: number;
  /** Requests per second, evenly spaced. */
  rate: number;
  /** Bearer tokens used round-robin (empty: none). */
  tokens: string[];
}

export interface PacedResult {
  rate: number;
  requests: number;
  p50: number;
  p90: number;
  p99: number;
  p999: number;
  max: number;
  mean: number;
  non2xx: number;
  errors: number;
  /**
   * Stretches of the run where some answer took over STALL_MS: start (seconds into the counted
   * run), length and worst latency, merged when closer than 100 ms. Periodic stalls show here.
   */
  stalls: { at: number; ms: number; worst: number }[];
  /** Wall-clock epoch ms at which the counted run began (stall `at` is relative to it). */
  countedStartEpoch: number;
  /** ms the client's own thread waited for a CPU over the counted run, and its waits ≥ 1 ms per 5 ms (epoch ms). */
  clientRunQueueMs: number;
  clientWaits: { at: number; ms: number }[];
}

const STALL_MS = 20;

export function runPaced(spec: PacedSpec): Promise<PacedResult> {
  return new Promise((resolve, reject) => {
    const child: ChildProcess = fork(fileURLToPath(import.meta.url), ['child'], { stdio: 'inherit' });
    child.once('message', (m) => resolve(m as PacedResult));
    child.once('error', reject);
    child.once('exit', (code) => code !== 0 && reject(new Error(`paced load generator exited with ${code}`)));
    child.send(spec);
  });
}

function quantile(sorted: Float64Array, q: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
}

async function run(spec: PacedSpec): Promise<PacedResult> {
  const url = new URL(spec.url);
  const pool = new Pool(url.origin, { connections: spec.connections, pipelining: 1, keepAliveTimeout: 60_000 });
  const path = `${url.pathname}${url.search}`;
  const interval = 1000 / spec.rate;
  // The first seconds warm this fresh client process (its JIT), its 50 new connections and the
  // server's caches; they are sent but not counted (GATEWAY_BENCH_WARM_MS, default 3 s: with 1 s,
  // runs began with a 0.7-3.4 s stretch of slow answers, through the bare proxy as well).
  const warmMs = Number(process.env.GATEWAY_BENCH_WARM_MS ?? 3000);
  const latencies: number[] = [];
  const dues: number[] = [];
  let non2xx = 0;
  let errors = 0;
  let inFlight = 0;
  let i = 0;
  let allSent = false;
  const start = performance.now();
  const end = start + warmMs + spec.seconds * 1000;
  // The client's own CPU waits: a slow answer may be the load generator starved, not the server.
  const clientWaits: PacedResult['clientWaits'] = [];
  let waitAtStart = NaN;
  let lastWait = runQueueWaitNs(process.pid);
  let lastTick = performance.now();
  const waitTicker = setInterval(() => {
    const t = performance.now();
    const w = runQueueWaitNs(process.pid);
    if (t >= start + warmMs && Number.isNaN(waitAtStart)) waitAtStart = w;
    const ms = (w - lastWait) / 1e6;
    if (ms >= 1 && t >= start + warmMs) clientWaits.push({ at: performance.timeOrigin + lastTick, ms: Math.round(ms * 10) / 10 });
    lastWait = w;
    lastTick = t;
  }, 5);
  await new Promise<void>((done) => {
    const fire = (due: number) => {
      const token = spec.tokens.length > 0 ? spec.tokens[i % spec.tokens.length] : undefined;
      inFlight++;
      pool
        .request({ path, method: 'GET', headers: token ? { authorization: `Bearer ${token}` } : {} })
        .then(async (r) => {
          await r.body.dump();
          if (r.statusCode < 200 || r.statusCode > 299) non2xx++;
        })
        .catch(() => errors++)
        .finally(() => {
          if (due >= start + warmMs) {
            latencies.push(performance.now() - due);
            dues.push(due - start - warmMs);
          }
          inFlight--;
          if (inFlight === 0 && allSent) done();
        });
    };
    const tick = () => {
      const now = performance.now();
      let due = start + i * interval;
      while (due <= now && due < end) {
        fire(due);
        i++;
        due = start + i * interval;
      }
      if (due < end) {
        setTimeout(tick, Math.max(0, Math.min(1, due - performance.now())));
        return;
      }
      // Nothing more to send: finish when the last answer is in (the pool's idle sockets do not
      // keep the process alive, so this must not wait for a timer).
      allSent = true;
      if (inFlight === 0) done();
    };
    tick();
  });
  clearInterval(waitTicker);
  const clientRunQueueMs = (runQueueWaitNs(process.pid) - waitAtStart) / 1e6;
  await pool.close();
  const stalls: PacedResult['stalls'] = [];
  const order = dues.map((_, k) => k).sort((a, b) => dues[a] - dues[b]);
  for (const k of order) {
    if (latencies[k] <= STALL_MS) continue;
    const last = stalls[stalls.length - 1];
    const at = dues[k];
    if (last && at - (last.at * 1000 + last.ms) < 100) {
      last.ms = Math.round(at - last.at * 1000);
      last.worst = Math.max(last.worst, Math.round(latencies[k]));
    } else stalls.push({ at: Math.round(at) / 1000, ms: 0, worst: Math.round(latencies[k]) });
  }
  const sorted = Float64Array.from(latencies).sort();
  const round = (v: number) => Math.round(v * 1000) / 1000;
  return {
    rate: latencies.length / spec.seconds,
    requests: latencies.length,
    p50: round(quantile(sorted, 0.5)),
    p90: round(quantile(sorted, 0.9)),
    p99: round(quantile(sorted, 0.99)),
    p999: round(quantile(sorted, 0.999)),
    max: round(sorted[sorted.length - 1] ?? NaN),
    mean: round(latencies.reduce((a, b) => a + b, 0) / Math.max(1, latencies.length)),
    non2xx,
    errors,
    stalls,
    countedStartEpoch: performance.timeOrigin + start + warmMs,
    clientRunQueueMs: Math.round(clientRunQueueMs),
    clientWaits,
  };
}

if (process.argv[2] === 'child' && process.send) {
  process.once('message', async (spec: PacedSpec) => {
    process.send!(await run(spec));
    process.exit(0);
  });
}
