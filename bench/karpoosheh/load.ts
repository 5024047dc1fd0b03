import { fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';
// @ts-expect-error autocannon ships no type declarations
import autocannon from 'autocannon';
import type { LoadJob } from './load-worker.js';

export interface LoadFigures {
  requestsPerSecond: number;
  p50: number;
  p99: number;
  non2xx: number;
  errors: number;
  requests: number;
}

/** Closed-loop load (each connection sends its next request when the answer comes), autocannon in this process. */
export function load(opts: { url: string; connections: number; seconds: number; requests: { method: string; path: string; setup: (req: { headers: Record<string, string>; body?: string; path: string }) => void }[] }): Promise<LoadFigures> {
  return new Promise((resolve, reject) => {
    autocannon(
      {
        url: opts.url,
        connections: opts.connections,
        duration: opts.seconds,
        requests: opts.requests.map((r) => ({
          method: r.method,
          path: r.path,
          setupRequest: (req: { headers: Record<string, string>; body?: string; path: string }) => {
            req.headers = { ...(req.headers ?? {}) };
            r.setup(req);
            return req;
          },
        })),
      },
      (err: unknown, result: { requests: { average: number; total: number }; latency: { p50: number; p99: number }; non2xx: number; errors: number }) => {
        if (err) return reject(err);
        resolve({ requestsPerSecond: result.requests.average, p50: result.latency.p50, p99: result.latency.p99, non2xx: result.non2xx, errors: result.errors, requests: result.requests.total });
      },
    );
  });
}

/** The same closed loop, autocannon in a child process (so it does not share the service's event loop). */
export function loadInWorker(job: LoadJob): Promise<LoadFigures> {
  return new Promise((resolve, reject) => {
    // The job goes over IPC: thousands of tokens exceed what one environment variable may hold.
    const child = fork(fileURLToPath(new URL('./load-worker.js', import.meta.url)));
    child.send(job);
    child.once('message', (m) => {
      resolve(m as LoadFigures);
      child.kill();
    });
    child.once('error', reject);
    child.once('exit', (code) => code !== 0 && code !== null && reject(new Error(`load generator exited with ${code}`)));
  });
}
