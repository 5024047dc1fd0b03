// The load generator in its own process (its own event loop): autocannon in the service's thread
// would take CPU from the service it measures (and in a worker thread autocannon switches to its
// own worker protocol). Scenarios are named, since closures do not cross processes.
import { randomUUID } from 'node:crypto';
// @ts-expect-error autocannon ships no type declarations
import autocannon from 'autocannon';
import { nationalCode } from './national-code.js';

export interface LoadJob {
  url: string;
  connections: number;
  seconds: number;
  scenario: 'send' | 'inbox';
  /** send: the agency token; inbox: citizens' tokens (one picked at random per request). */
  tokens: string[];
}

type Req = { headers: Record<string, string>; body?: string; path: string };

function requests(job: LoadJob) {
  if (job.scenario === 'send') {
    let n = 0;
    return [
      {
        method: 'POST',
        path: '/notices',
        setupRequest: (req: Req) => {
          req.headers = {
            ...(req.headers ?? {}),
            'content-type': 'application/json',
            authorization: `Bearer ${job.tokens[0]}`,
            'idempotency-key': randomUUID(),
          };
          req.body = JSON.stringify({ recipients: [nationalCode(100_000_000 + (n++ % 1_000_000))], subject: 'ابلاغیه', body: 'متن', category: 'tax' });
          return req;
        },
      },
    ];
  }
  const pick = () => job.tokens[Math.floor(Math.random() * job.tokens.length)];
  const auth = (req: Req) => {
    req.headers = { ...(req.headers ?? {}), authorization: `Bearer ${pick()}` };
    return req;
  };
  return [
    { method: 'GET', path: '/inbox?limit=20', setupRequest: auth },
    { method: 'GET', path: '/inbox/unread-count', setupRequest: auth },
  ];
}

process.once('message', (job: LoadJob) => {
  autocannon(
    { url: job.url, connections: job.connections, duration: job.seconds, requests: requests(job) },
    (err: unknown, result: { requests: { average: number; total: number }; latency: { p50: number; p99: number }; non2xx: number; errors: number }) => {
      if (err) throw err;
      process.send!({ requestsPerSecond: result.requests.average, p50: result.latency.p50, p99: result.latency.p99, non2xx: result.non2xx, errors: result.errors, requests: result.requests.total });
    },
  );
});
