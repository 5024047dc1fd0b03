// bench:karpoosheh-send — single-recipient sends, each with its own Idempotency-Key, through HTTP
// (ES256 token checked by the guard, notice + entry + audit + outbox + idempotency row in one
// transaction). Goal: ≥ 1,000 notices/s accepted. Then, in the same run, the ceiling (the same
// rows written by a bare node:http + pg program, bench/karpoosheh/send-ceiling.ts) and ours/ceiling.
// autocannon runs in a worker thread, not in the service's event loop.
// Env: KARPOOSHEH_SECONDS (default 15), KARPOOSHEH_CONNECTIONS (default 50), KARPOOSHEH_CEILING
// (default 1; 0 skips it), KAFKA_BROKERS, DATABASE_URL. Profile: node --cpu-prof dist/bench/karpoosheh-send.bench.js
import 'reflect-metadata';
import { execSync } from 'node:child_process';
import { AGENCY, benchApp, nationalCode } from './karpoosheh/bench-app.js';
import { loadInWorker, type LoadFigures } from './karpoosheh/load.js';
import { startSendCeiling } from './karpoosheh/send-ceiling.js';

const seconds = Number(process.env.KARPOOSHEH_SECONDS ?? 15);
const connections = Number(process.env.KARPOOSHEH_CONNECTIONS ?? 50);
const withCeiling = process.env.KARPOOSHEH_CEILING !== '0';
const loadavg = () => execSync('cat /proc/loadavg').toString().trim().split(' ').slice(0, 3).join(' ');
const line = (r: LoadFigures) => `${Math.round(r.requestsPerSecond)} notices/s (p50 ${r.p50} ms, p99 ${r.p99} ms), ${r.non2xx} non-2xx, ${r.errors} errors`;

const app = await benchApp('send', { RECIPIENT_DIRECTORY: 'any' });
try {
  // One send first: a bench of refusals measures nothing.
  const probe = await fetch(`${app.svc.url}/notices`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${app.agencyToken}`, 'idempotency-key': 'bench-probe-0001' },
    body: JSON.stringify({ recipients: [nationalCode(99_000_001)], subject: 'ابلاغیه', body: 'متن', category: 'tax' }),
  });
  if (probe.status !== 201) throw new Error(`probe send answered ${probe.status}: ${await probe.text()}`);
  const before = loadavg();
  const ours = await loadInWorker({ url: app.svc.url, connections, seconds, scenario: 'send', tokens: [app.agencyToken] });
  const stored = Number((await app.db.query('SELECT count(*) AS n FROM notices')).rows[0].n);
  console.log(`send: ${connections} connections, ${seconds} s, bus ${process.env.KAFKA_BROKERS ? 'Kafka' : 'in-process'}: ${line(ours)}; ${stored} notices stored; load average ${before} → ${loadavg()}`);
  if (withCeiling) {
    await app.svc.close();
    const ceiling = await startSendCeiling(app.dbUrl, AGENCY);
    const c = await loadInWorker({ url: ceiling.url, connections, seconds, scenario: 'send', tokens: ['none'] });
    await ceiling.close();
    console.log(`ceiling (node:http + pg, one statement per send, no auth/validation): ${line(c)}; load average ${loadavg()}`);
    console.log(`ours/ceiling = ${(ours.requestsPerSecond / c.requestsPerSecond).toFixed(2)}`);
  }
} finally {
  await app.close();
}
process.exit(0);
