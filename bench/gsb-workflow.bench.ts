import 'reflect-metadata';
import { fork } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { isMainThread, parentPort, Worker, workerData } from 'node:worker_threads';
import pg from 'pg';
import { startService } from '@darvazeh/http';
import { ApiGatewayEnv } from '../apps/api-gateway/src/config/api-gateway.env.js';
import { ApiGatewayModule, GATEWAY_SERVICE } from '../apps/api-gateway/src/api-gateway.module.js';
import { GsbWorkflowEnv } from '../apps/gsb-workflow/src/config/gsb-workflow.env.js';
import { GsbWorkflowModule, SERVICE } from '../apps/gsb-workflow/src/gsb-workflow.module.js';
import { benchIssuer } from './hamta/bench-issuer.js';
import { ceilingWalk, startCeiling } from './gsb-workflow/ceiling.js';

/**
 * bench:gsb-workflow — N service requests driven draft → letter upload → submit → claim →
 * evaluate → approve over real HTTP (Postgres, and Kafka when KAFKA_BROKERS is set: every step's
 * events and each grant go through the outbox to the broker). C requests in flight at a time.
 * Prints throughput and p50/p99 per step, the SQL statements of each step, and how long the
 * outbox took to drain. With Kafka it then boots the api-gateway too (its own database, the same
 * Kafka namespace) and measures, per grant, the time from the approve response to the first call
 * through `GET /gsb/{serviceCode}/…` at the gateway that is let through.
 *
 * The HTTP client runs in a worker thread (GSB_CLIENT=inline: in the service's own thread, as
 * before): its fetch, JSON and timing work then does not queue behind the service's requests on
 * one event loop, as no real client does.
 *
 * Env: GSB_REQUESTS (10000), GSB_CONCURRENCY (8), GSB_PROBE (20, sequential requests counting
 * SQL per step, also the warm-up), GSB_VISIBILITY_GRANTS (200), GSB_CLIENT (worker | inline),
 * GSB_CEILING_REQUESTS (2000; 0 = no ceiling), KAFKA_BROKERS, DATABASE_URL.
 */
const STEPS = ['draft', 'upload', 'submit', 'claim', 'evaluate', 'approve'] as const;
type Step = (typeof STEPS)[number];
const PROVIDER = '00000000-0000-4000-8000-0000000000a1';
const PDF = Buffer.concat([Buffer.from('%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<<>>\n%%EOF\n'), Buffer.alloc(2000, 32)]);

interface ClientJob {
  kind: 'workflow' | 'ceiling';
  url: string;
  expert: string;
  tokens: string[];
  concurrency: number;
}
type Latencies = Record<Step, number[]>;

/** One request through every step; `record` gets each step's latency (ms). Returns the request id. */
async function walk(url: string, token: string, expert: string, i: number, record: (s: Step, ms: number) => void, before?: () => Promise<void>, after?: (s: Step) => void) {
  const timed = async (step: Step, fn: () => Promise<Response>) => {
    await before?.();
    const t = performance.now();
    const res = await fn();
    const body = await res.text();
    record(step, performance.now() - t);
    after?.(step);
    if (!res.ok) throw new Error(`${step}: ${res.status} ${body}`);
    return JSON.parse(body) as { id: string; state: string };
  };
  const json = (tok: string, method: string, path: string, body: unknown) => () =>
    fetch(`${url}${path}`, { method, headers: { authorization: `Bearer ${tok}`, 'content-type': 'application/json' }, body: JSON.stringify(body) });
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
  await timed('upload', () => fetch(`${url}/requests/${r.id}/letter-file`, { method: 'PUT', headers: { authorization: `Bearer ${token}` }, body: form }));
  await timed('submit', json(token, 'POST', `/requests/${r.id}/submit`, {}));
  await timed('claim', json(expert, 'POST', `/review/${r.id}/claim`, {}));
  await timed('evaluate', json(expert, 'PUT', `/review/${r.id}/evaluation`, { qualified: true, priority: 'NORMAL' }));
  const a = await timed('approve', json(expert, 'POST', `/review/${r.id}/approve`, {}));
  if (a.state !== 'APPROVED') throw new Error(`approve gave ${a.state}`);
  return r.id;
}

/** The measured run: `tokens.length` requests, `concurrency` in flight. */
async function drive(job: ClientJob): Promise<{ latencies: Latencies; elapsed: number }> {
  const latencies = Object.fromEntries(STEPS.map((s) => [s, [] as number[]])) as Latencies;
  let next = 0;
  const started = performance.now();
  const worker = async () => {
    for (let i = next++; i < job.tokens.length; i = next++) {
      const record = (s: Step, ms: number) => latencies[s].push(ms);
      if (job.kind === 'ceiling') await ceilingWalk(job.url, randomUUID(), job.tokens[i], record, PDF);
      else await walk(job.url, job.tokens[i], job.expert, i, record);
    }
  };
  await Promise.all(Array.from({ length: job.concurrency }, worker));
  return { latencies, elapsed: (performance.now() - started) / 1000 };
}

const pct = (xs: number[], p: number) => {
  const s = [...xs].sort((x, y) => x - y);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))];
};

if (!isMainThread) {
  parentPort!.postMessage(await drive(workerData as ClientJob));
} else {
  await main();
}

async function main() {
  const N = Number(process.env.GSB_REQUESTS ?? 10_000);
  const C = Number(process.env.GSB_CONCURRENCY ?? 8);
  const PROBE = Number(process.env.GSB_PROBE ?? 20);
  const VISIBILITY = Number(process.env.GSB_VISIBILITY_GRANTS ?? 200);
  const CEILING = Number(process.env.GSB_CEILING_REQUESTS ?? 2000);
  const inline = process.env.GSB_CLIENT === 'inline';
  const brokers = process.env.KAFKA_BROKERS ?? '';
  const admin = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
  const namespace = `bench-${Date.now().toString(36)}`;

  // SQL statements per step: every query a pg client of this thread sends is counted (the
  // service's pool and its relay; the bench's own client is idle while a probe step runs).
  let sqlCount = 0;
  const pgQuery = pg.Client.prototype.query;
  pg.Client.prototype.query = function (this: pg.Client, ...args: unknown[]) {
    sqlCount++;
    return (pgQuery as (...a: unknown[]) => unknown).apply(this, args);
  } as typeof pg.Client.prototype.query;

  const suffix = Date.now().toString(36);
  const names = { workflow: `gsb_bench_test_${suffix}`, gateway: `gsb_bench_gw_test_${suffix}` };
  const c = new pg.Client({ connectionString: admin });
  await c.connect();
  const dbUrl = (name: string) => {
    const u = new URL(admin);
    u.pathname = `/${name}`;
    return u.toString();
  };
  await c.query(`CREATE DATABASE ${names.workflow}`);
  const upstream = fork(fileURLToPath(new URL('./gateway/upstream.js', import.meta.url)), [], { stdio: 'inherit' });
  const upstreamUrl = `http://127.0.0.1:${await new Promise<number>((resolve) => upstream.once('message', (m) => resolve((m as { port: number }).port)))}`;
  const issuer = await benchIssuer();
  const platformEnv = { KAFKA_BROKERS: brokers, KAFKA_NAMESPACE: namespace, JWKS_URL: issuer.jwksUrl, JWT_ISSUER: issuer.issuer, JWT_AUDIENCE: issuer.audience, LOG_LEVEL: 'error', HOST: '127.0.0.1' };
  const svc = await startService({
    service: SERVICE,
    envClass: GsbWorkflowEnv,
    module: (env) => GsbWorkflowModule.register(env),
    port: 0,
    envSource: { ...platformEnv, DATABASE_URL: dbUrl(names.workflow), SLA_CHECK_INTERVAL_SECONDS: '0', CATALOG_SEED_HAMTA_URL: `${upstreamUrl}/hamta` },
  });
  const db = new pg.Client({ connectionString: dbUrl(names.workflow) });
  await db.connect();
  let gateway: Awaited<ReturnType<typeof startService<ApiGatewayEnv>>> | undefined;
  try {
    // Setup (not measured): agencies already connected to GSB, and their tokens.
    const agencies = Array.from({ length: N + PROBE + VISIBILITY }, () => randomUUID());
    await db.query(
      `INSERT INTO connections (agency_id, environment, status, ip_ranges, credential, activated_at)
       SELECT a, 'GSB', 'ACTIVE', ARRAY['10.0.0.0/8'], '{"type":"CLIENT_CREDENTIALS","ref":"x"}', now() FROM unnest($1::text[]) a`,
      [agencies],
    );
    const expert = await issuer.mint({ roles: ['expert'] }, 'bench-expert');
    const tokens = await Promise.all(agencies.map((a, i) => issuer.mint({ roles: ['agency'], agency_id: a }, `agency-${i}`)));

    // Probe: PROBE requests one at a time, counting the SQL statements of each step (BEGIN and
    // COMMIT included); also the warm-up of the JIT, the pool and the JWKS cache.
    const sqlPerStep = Object.fromEntries(STEPS.map((s) => [s, [] as number[]])) as Latencies;
    let q0 = 0;
    for (let i = N; i < N + PROBE; i++) {
      await walk(
        svc.url,
        tokens[i],
        expert,
        i,
        () => undefined,
        async () => {
          await new Promise((r) => setTimeout(r, 30)); // the relay's statements for the previous step are done
          q0 = sqlCount;
        },
        (s) => sqlPerStep[s].push(sqlCount - q0),
      );
    }

    const clientRun = (job: ClientJob) =>
      inline
        ? drive(job)
        : new Promise<{ latencies: Latencies; elapsed: number }>((resolve, reject) => {
            const w = new Worker(new URL(import.meta.url), { workerData: job });
            w.once('message', resolve);
            w.once('error', reject);
          });
    const { latencies, elapsed } = await clientRun({ kind: 'workflow', url: svc.url, expert, tokens: tokens.slice(0, N), concurrency: C });
    const drainStart = performance.now();
    for (;;) {
      const [{ n }] = (await db.query(`SELECT count(*)::int AS n FROM outbox`)).rows;
      if (n === 0 || !brokers) break;
      await new Promise((r) => setTimeout(r, 100));
    }
    const drain = (performance.now() - drainStart) / 1000;
    const [{ grants }] = (await db.query(`SELECT count(*)::int AS grants FROM grants WHERE consumer_agency_id = ANY($1::text[])`, [agencies.slice(0, N)])).rows;
    console.log(`bench:gsb-workflow — ${N} requests, ${C} in flight, bus ${brokers ? `Kafka ${brokers}` : 'in-process'}, client ${inline ? 'in the service thread' : 'in a worker thread'}`);
    console.log(`  ${N} approvals (${grants} grants) in ${elapsed.toFixed(1)} s: ${(N / elapsed).toFixed(1)} requests/s through all steps, ${((N * STEPS.length) / elapsed).toFixed(0)} HTTP steps/s`);
    for (const s of STEPS) {
      console.log(`  ${s.padEnd(9)} p50 ${pct(latencies[s], 50).toFixed(1)} ms  p99 ${pct(latencies[s], 99).toFixed(1)} ms  max ${pct(latencies[s], 100).toFixed(1)} ms  SQL statements ${pct(sqlPerStep[s], 50)}`);
    }
    console.log(`  outbox drained to the bus ${drain.toFixed(1)} s after the last approval`);

    // The ceiling, right after on the same machine: bare node:http + pg, the same statements per step.
    if (CEILING > 0) {
      const ceiling = await startCeiling(dbUrl(names.workflow));
      try {
        await clientRun({ kind: 'ceiling', url: ceiling.url, expert: '', tokens: agencies.slice(N, N + PROBE), concurrency: C }); // warm-up
        const cl = await clientRun({ kind: 'ceiling', url: ceiling.url, expert: '', tokens: agencies.slice(0, CEILING), concurrency: C });
        console.log(`  ceiling (bare node:http + pg, same statements per step, ${CEILING} requests, ${C} in flight): ${(CEILING / cl.elapsed).toFixed(1)} requests/s`);
        for (const s of STEPS) {
          const ratio = pct(latencies[s], 99) / pct(cl.latencies[s], 99);
          console.log(`  ${s.padEnd(9)} p50 ${pct(cl.latencies[s], 50).toFixed(1)} ms  p99 ${pct(cl.latencies[s], 99).toFixed(1)} ms   gsb-workflow/ceiling p99 ×${ratio.toFixed(1)}`);
        }
      } finally {
        await ceiling.close();
      }
    }

    if (!brokers || VISIBILITY === 0) {
      if (!brokers) console.log('  grant visibility at the gateway: skipped (needs KAFKA_BROKERS)');
      return;
    }
    // Grant visibility: the gateway learns catalog and grants only from Kafka.
    await c.query(`CREATE DATABASE ${names.gateway}`);
    gateway = await startService({
      service: GATEWAY_SERVICE,
      envClass: ApiGatewayEnv,
      module: (env) => ApiGatewayModule.register(env),
      port: 0,
      envSource: { ...platformEnv, DATABASE_URL: dbUrl(names.gateway), RATE_LIMIT_PER_MINUTE: '1000000000', STATUS_POLL_MS: '60000' },
    });
    const gw = gateway.url;
    const through = (token: string) => fetch(`${gw}/gsb/hamta.imei-status/check`, { headers: { authorization: `Bearer ${token}` } }).then(async (r) => (await r.arrayBuffer(), r.status));
    // Wait until the gateway knows the seeded service (403 = known but not granted; 404 = unknown yet).
    for (let t = Date.now(); (await through(tokens[N + PROBE])) !== 403; ) {
      if (Date.now() - t > 120_000) throw new Error('the gateway never learned hamta.imei-status from gsb.catalog');
      await new Promise((r) => setTimeout(r, 100));
    }
    // Warm-up (reported apart): the first grant after the gateway starts also waits for the
    // gateway's gsb.grants consumer to join its group.
    await walk(svc.url, tokens[N + PROBE], expert, N + PROBE, () => undefined);
    const approvedFirst = performance.now();
    while ((await through(tokens[N + PROBE])) !== 200) await new Promise((r) => setTimeout(r, 5));
    const first = performance.now() - approvedFirst;
    const visible: number[] = [];
    let polls = 0;
    const vStart = performance.now();
    let nextV = N + PROBE + 1;
    const vWorker = async () => {
      for (let i = nextV++; i < N + PROBE + VISIBILITY; i = nextV++) {
        await walk(svc.url, tokens[i], expert, i, () => undefined);
        const approvedAt = performance.now();
        for (;;) {
          polls++;
          if ((await through(tokens[i])) === 200) break;
          if (performance.now() - approvedAt > 30_000) throw new Error(`grant of agency ${i} not visible at the gateway after 30 s`);
          await new Promise((r) => setTimeout(r, 5));
        }
        visible.push(performance.now() - approvedAt);
      }
    };
    await Promise.all(Array.from({ length: Math.min(C, 4) }, vWorker));
    const vElapsed = (performance.now() - vStart) / 1000;
    console.log(`  first grant after the gateway started: visible ${first.toFixed(0)} ms after its approval (consumer group join; not in the figures below)`);
    console.log(`  grant visible at the gateway after approval (${VISIBILITY - 1} grants, ${Math.min(C, 4)} in flight, polled every 5 ms, ${polls} polls, ${vElapsed.toFixed(1)} s):`);
    console.log(`    p50 ${pct(visible, 50).toFixed(0)} ms  p99 ${pct(visible, 99).toFixed(0)} ms  max ${pct(visible, 100).toFixed(0)} ms  (goal ≤ 1000 ms)`);
  } finally {
    await db.end();
    await gateway?.close();
    await svc.close();
    await issuer.close();
    upstream.kill();
    for (const n of Object.values(names)) await c.query(`DROP DATABASE IF EXISTS ${n} WITH (FORCE)`);
    await c.end();
  }
}
