import 'reflect-metadata';
import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { startService } from '@darvazeh/http';
import { GsbWorkflowEnv } from '../apps/gsb-workflow/src/config/gsb-workflow.env.js';
import { GsbWorkflowModule, SERVICE } from '../apps/gsb-workflow/src/gsb-workflow.module.js';
import { benchIssuer } from './hamta/bench-issuer.js';

/**
 * bench:gsb-workflow — N service requests driven draft → letter upload → submit → claim →
 * evaluate → approve over real HTTP (Postgres, and Kafka when KAFKA_BROKERS is set: every step's
 * events and each grant go through the outbox to the broker). C requests in flight at a time.
 * Prints throughput and p50/p99 per step, and how long the outbox took to drain to Kafka.
 */
const N = Number(process.env.GSB_REQUESTS ?? 10_000);
const C = Number(process.env.GSB_CONCURRENCY ?? 8);
const admin = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const PROVIDER = '00000000-0000-4000-8000-0000000000a1';
const PDF = Buffer.concat([Buffer.from('%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<<>>\n%%EOF\n'), Buffer.alloc(2000, 32)]);
const STEPS = ['draft', 'upload', 'submit', 'claim', 'evaluate', 'approve'] as const;

const name = `gsb_bench_test_${Date.now().toString(36)}`;
const c = new pg.Client({ connectionString: admin });
await c.connect();
await c.query(`CREATE DATABASE ${name}`);
const dbUrl = new URL(admin);
dbUrl.pathname = `/${name}`;
const issuer = await benchIssuer();
const svc = await startService({
  service: SERVICE,
  envClass: GsbWorkflowEnv,
  module: (env) => GsbWorkflowModule.register(env),
  port: 0,
  envSource: {
    DATABASE_URL: dbUrl.toString(),
    KAFKA_BROKERS: process.env.KAFKA_BROKERS ?? '',
    KAFKA_NAMESPACE: `bench-${Date.now().toString(36)}`,
    JWKS_URL: issuer.jwksUrl,
    JWT_ISSUER: issuer.issuer,
    JWT_AUDIENCE: issuer.audience,
    LOG_LEVEL: 'error',
    HOST: '127.0.0.1',
    SLA_CHECK_INTERVAL_SECONDS: '0',
  },
});
const db = new pg.Client({ connectionString: dbUrl.toString() });
await db.connect();
try {
  // Setup (not measured): N agencies, each already connected to GSB.
  const agencies = Array.from({ length: N }, () => randomUUID());
  await db.query(
    `INSERT INTO connections (agency_id, environment, status, ip_ranges, credential, activated_at)
     SELECT a, 'GSB', 'ACTIVE', ARRAY['10.0.0.0/8'], '{"type":"CLIENT_CREDENTIALS","ref":"x"}', now() FROM unnest($1::text[]) a`,
    [agencies],
  );
  const expert = await issuer.mint({ roles: ['expert'] }, 'bench-expert');
  const latencies: Record<string, number[]> = Object.fromEntries(STEPS.map((s) => [s, []]));
  const timed = async (step: string, fn: () => Promise<Response>) => {
    const t = performance.now();
    const res = await fn();
    const body = await res.text();
    latencies[step].push(performance.now() - t);
    if (!res.ok) throw new Error(`${step}: ${res.status} ${body}`);
    return JSON.parse(body) as { id: string; state: string };
  };
  const json = (token: string, method: string, path: string, body: unknown) => () =>
    fetch(`${svc.url}${path}`, { method, headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body: JSON.stringify(body) });

  let next = 0;
  const started = performance.now();
  const worker = async () => {
    for (let i = next++; i < N; i = next++) {
      const token = await issuer.mint({ roles: ['agency'], agency_id: agencies[i] }, `agency-${i}`);
      const r = await timed(
        'draft',
        json(token, 'POST', '/requests', {
          environment: 'GSB',
          serviceCode: 'hamta.imei-status',
          system: { name: 'سامانه', purpose: 'استعلام', ipAddresses: ['10.1.2.3'] },
          letter: { number: `${i}/ص`, date: '2026-11-01', issuingAgencyId: PROVIDER },
          contact: { name: 'رابط', email: 'a@b.ir', phone: '09121234567' },
        }),
      );
      const form = new FormData();
      form.append('file', new Blob([new Uint8Array(PDF)]), 'letter.pdf');
      await timed('upload', () => fetch(`${svc.url}/requests/${r.id}/letter-file`, { method: 'PUT', headers: { authorization: `Bearer ${token}` }, body: form }));
      await timed('submit', json(token, 'POST', `/requests/${r.id}/submit`, {}));
      await timed('claim', json(expert, 'POST', `/review/${r.id}/claim`, {}));
      await timed('evaluate', json(expert, 'PUT', `/review/${r.id}/evaluation`, { qualified: true, priority: 'NORMAL' }));
      const a = await timed('approve', json(expert, 'POST', `/review/${r.id}/approve`, {}));
      if (a.state !== 'APPROVED') throw new Error(`approve gave ${a.state}`);
    }
  };
  await Promise.all(Array.from({ length: C }, worker));
  const elapsed = (performance.now() - started) / 1000;
  const drainStart = performance.now();
  for (;;) {
    const [{ n }] = (await db.query(`SELECT count(*)::int AS n FROM outbox`)).rows;
    if (n === 0 || !process.env.KAFKA_BROKERS) break;
    await new Promise((r) => setTimeout(r, 100));
  }
  const drain = (performance.now() - drainStart) / 1000;
  const [{ grants }] = (await db.query(`SELECT count(*)::int AS grants FROM grants`)).rows;
  const pct = (xs: number[], p: number) => {
    const s = [...xs].sort((x, y) => x - y);
    return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))];
  };
  console.log(`bench:gsb-workflow — ${N} requests, ${C} in flight, bus ${process.env.KAFKA_BROKERS ? `Kafka ${process.env.KAFKA_BROKERS}` : 'in-process'}`);
  console.log(`  ${N} approvals (${grants} grants) in ${elapsed.toFixed(1)} s: ${(N / elapsed).toFixed(1)} requests/s through all steps, ${((N * STEPS.length) / elapsed).toFixed(0)} HTTP steps/s`);
  for (const s of STEPS) console.log(`  ${s.padEnd(9)} p50 ${pct(latencies[s], 50).toFixed(1)} ms  p99 ${pct(latencies[s], 99).toFixed(1)} ms  max ${pct(latencies[s], 100).toFixed(1)} ms`);
  console.log(`  outbox drained to the bus ${drain.toFixed(1)} s after the last approval`);
} finally {
  await db.end();
  await svc.close();
  await issuer.close();
  await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
  await c.end();
}
