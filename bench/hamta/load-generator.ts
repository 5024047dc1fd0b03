// The Hamta benchmarks' load generator: autocannon in a CHILD process, so the app under test has
// its event loop to itself (in one process, autocannon's own request building and parsing delayed
// the app's answers and inflated p99). The scenarios build their requests in the child.
import { fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';
// @ts-expect-error autocannon ships no type declarations
import autocannon from 'autocannon';
import { imeiFromCore } from '@darvazeh/core';

export type LoadSpec = { url: string; connections: number; seconds: number } & (
  | { scenario: 'eir-single' | 'eir-batch'; token: string; imeis: number; base: number }
  | { scenario: 'register'; /** Tokens of citizens first, first + 1, …; citizen g registers device g. */ tokens: string[]; first: number; sightings: number; base: number; msisdn0: number }
);

export interface LoadResult {
  requestsPerSecond: number;
  p50: number;
  p90: number;
  p99: number;
  max: number;
  non2xx: number;
  errors: number;
  requests: number;
}

/** Runs one load in a child process and returns autocannon's figures. */
export function runLoad(spec: LoadSpec): Promise<LoadResult> {
  return new Promise((resolve, reject) => {
    const child = fork(fileURLToPath(import.meta.url), ['child'], { stdio: 'inherit' });
    child.once('message', (m) => resolve(m as LoadResult));
    child.once('error', reject);
    child.once('exit', (code) => code !== 0 && reject(new Error(`load generator exited with ${code}`)));
    child.send(spec);
  });
}

function requestsOf(spec: LoadSpec): Record<string, unknown>[] {
  if (spec.scenario === 'register') {
    const { tokens, first, sightings, base, msisdn0 } = spec;
    let next = 0;
    // Citizen g registers device g with SIM g (approved), except every 10th-but-one names SIM g+1
    // (someone else's: MSISDN_NOT_OWNED, SIM_MISMATCH) and every 10th a device never seen (NOT_SEEN_BEFORE_CUTOFF).
    return [
      {
        method: 'POST',
        path: '/devices/registrations',
        setupRequest: (req: Record<string, unknown>) => {
          const i = next++ % tokens.length;
          const g = first + i;
          const kind = g % 10;
          const core = kind === 9 ? base + (sightings + g) * 7 : base + g * 7;
          const msisdn = `0${String(msisdn0 + (kind === 8 ? g + 1 : g)).slice(2)}`;
          return {
            ...req,
            headers: { authorization: `Bearer ${tokens[i]}`, 'content-type': 'application/json' },
            body: JSON.stringify({ imeis: [imeiFromCore(core)], msisdn }),
          };
        },
      },
    ];
  }
  const { imeis, base, scenario } = spec;
  const randomImei = () => imeiFromCore(base + Math.floor(Math.random() * imeis) * 7);
  if (scenario === 'eir-single') {
    return [{ method: 'GET', setupRequest: (req: Record<string, unknown>) => ({ ...req, path: `/eir/check?imei=${randomImei()}` }) }];
  }
  return [
    {
      method: 'POST',
      path: '/eir/check',
      setupRequest: (req: Record<string, unknown>) => ({ ...req, body: JSON.stringify({ imeis: Array.from({ length: 1000 }, randomImei) }) }),
    },
  ];
}

if (process.argv[2] === 'child' && process.send) {
  process.once('message', async (spec: LoadSpec) => {
    const headers: Record<string, string> = { 'content-type': 'application/json' };
    if (spec.scenario !== 'register') headers.authorization = `Bearer ${spec.token}`;
    const r = await autocannon({ url: spec.url, connections: spec.connections, duration: spec.seconds, headers, requests: requestsOf(spec) });
    const result: LoadResult = {
      requestsPerSecond: r.requests.average,
      p50: r.latency.p50,
      p90: r.latency.p90,
      p99: r.latency.p99,
      max: r.latency.max,
      non2xx: r.non2xx,
      errors: r.errors,
      requests: r.requests.total,
    };
    process.send!(result, () => process.exit(0));
  });
}
