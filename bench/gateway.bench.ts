// bench:gateway — the same small upstream endpoint hit directly and through the gateway in one
// run (autocannon in a child process on loopback, 50 connections), with ES256 JWTs verified at
// the edge (200 distinct tokens round-robin: each verified once, then served from the
// verified-token cache), and the GSB route (grant check, per-minute and per-day quota,
// exchange-log row with body hashes). Then both sides at half of the gateway's saturated request
// rate, evenly paced (gateway/paced.ts: open loop, sub-millisecond latencies), to compare latencies. Goals (2-core box): ≥4,000 proxied req/s with 0 errors, median added
// latency <1 ms and p99 added <10 ms at half saturation, GSB ≥3,000 req/s.
// Flags/env: --seconds N (GATEWAY_BENCH_SECONDS, default 20), --connections N (default 50),
// --rate-limit-store postgres|memory (default postgres: one budget across replicas), --tokens N, DATABASE_URL,
// --half-rate N (skip the saturated runs), --quick (only the paced /api runs), --gsb-only (only the
// GSB route's runs), --trace (each slow answer beside the gateway's timers, GC and CPU waits).
import 'reflect-metadata';
import { fork } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { startService } from '@darvazeh/http';
import { ApiGatewayEnv } from '../apps/api-gateway/src/config/api-gateway.env.js';
import { ApiGatewayModule, GATEWAY_SERVICE } from '../apps/api-gateway/src/api-gateway.module.js';
import { ApplyGrantStateUseCase, ApplyServiceChangeUseCase } from '../apps/api-gateway/src/gsb/application/apply-projection.use-cases.js';
import { ExchangeLogWriter } from '../apps/api-gateway/src/gsb/application/exchange-log.writer.js';
import { benchIssuer } from './hamta/bench-issuer.js';
import { runLoad, type LoadResult } from './gateway/load.js';
import { runPaced, type PacedResult } from './gateway/paced.js';
import { formatLoop, watchLoop } from './gateway/loop-watch.js';
import { around, formatEvent, installTimerTrace, runQueueWaitNs, traceActivity, type ActivityEvent } from './gateway/activity-trace.js';

function flag(name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 && process.argv[i + 1] ? process.argv[i + 1] : fallback;
}
const seconds = Number(flag('seconds', process.env.GATEWAY_BENCH_SECONDS ?? '20'));
const connections = Number(flag('connections', '50'));
const store = flag('rate-limit-store', 'postgres');
const tokenCount = Number(flag('tokens', '200'));
// Iterating on latency: skip the saturated runs and pace at this rate (0: measure saturation first).
const givenHalfRate = Number(flag('half-rate', process.env.GATEWAY_BENCH_HALF_RATE ?? '0'));
// Iterating: only the /api half-saturation runs (no GSB half-rate, no one-connection runs).
const quick = process.argv.includes('--quick');
// Iterating on the GSB route: only its saturated and paced runs (e.g. under --cpu-prof).
const gsbOnly = process.argv.includes('--gsb-only');
// Lay every slow answer of the paced runs over the gateway's timers, GC, loop blocks and CPU
// waits (gateway/activity-trace.ts); wraps the global timers, so off by default.
const trace = process.argv.includes('--trace') || process.env.GATEWAY_BENCH_TRACE === '1';
if (trace) installTimerTrace();

const admin = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const dbName = `gateway_bench_test_${Date.now().toString(36)}`;
const c = new pg.Client({ connectionString: admin });
await c.connect();
await c.query(`CREATE DATABASE ${dbName}`);
await c.end();
const dbUrl = new URL(admin);
dbUrl.pathname = `/${dbName}`;

const upstream = fork(fileURLToPath(new URL('./gateway/upstream.js', import.meta.url)), [], { stdio: 'inherit' });
const upstreamPort = await new Promise<number>((resolve) => upstream.once('message', (m) => resolve((m as { port: number }).port)));
const upstreamUrl = `http://127.0.0.1:${upstreamPort}`;
const minimal = fork(fileURLToPath(new URL('./gateway/minimal-proxy.js', import.meta.url)), [upstreamUrl], { stdio: 'inherit' });
const minimalPort = await new Promise<number>((resolve) => minimal.once('message', (m) => resolve((m as { port: number }).port)));
const minimalUrl = `http://127.0.0.1:${minimalPort}`;
const issuer = await benchIssuer();

const fmt = (r: LoadResult) =>
  `${Math.round(r.requestsPerSecond).toLocaleString('en')} req/s, mean ${r.mean.toFixed(2)} ms, p50 ${r.p50} ms, p90 ${r.p90} ms, p99 ${r.p99} ms, max ${r.max} ms, non-2xx ${r.non2xx}, errors ${r.errors + r.timeouts}`;

const fmtPaced = (r: PacedResult) =>
  `${Math.round(r.rate).toLocaleString('en')} req/s, p50 ${r.p50.toFixed(3)} ms, p90 ${r.p90.toFixed(3)} ms, p99 ${r.p99.toFixed(3)} ms, p99.9 ${r.p999.toFixed(3)} ms, max ${r.max.toFixed(1)} ms, non-2xx ${r.non2xx}, errors ${r.errors}`;
const fmtStalls = (r: PacedResult) =>
  r.stalls.length === 0
    ? 'none'
    : `${r.stalls.length} (${r.stalls.slice(0, 8).map((s) => `${s.at}s:${s.ms}ms/worst ${s.worst}ms`).join(', ')}${r.stalls.length > 8 ? ', …' : ''})`;

/** ms the main thread of each process waited for a CPU during `run` (schedstat), beside its result. */
async function withCpuWaits<T>(pids: Record<string, number>, run: () => Promise<T>): Promise<{ result: T; waits: string }> {
  const before = Object.fromEntries(Object.entries(pids).map(([k, pid]) => [k, runQueueWaitNs(pid)]));
  const result = await run();
  const waits = Object.entries(pids)
    .map(([k, pid]) => `${k} ${Math.round((runQueueWaitNs(pid) - before[k]) / 1e6)} ms`)
    .join(', ');
  return { result, waits };
}

/** Each slow stretch of a paced run with what the gateway and the machine did around it. */
function explainStalls(label: string, r: PacedResult, events: readonly ActivityEvent[] | null): void {
  console.log(`  ${label}: client waited ${r.clientRunQueueMs} ms for a CPU in the counted run (${r.clientWaits.length} waits ≥ 1 ms)`);
  if (!events) return;
  const origin = r.countedStartEpoch;
  const count = (kind: ActivityEvent['kind']) => events.filter((e) => e.kind === kind && e.at >= origin);
  const rq = count('runqueue');
  console.log(
    `    gateway in the counted run: ${count('timer').length} timers fired (${Math.round(count('timer').reduce((a, e) => a + e.ms, 0))} ms), ` +
      `${count('gc').length} GC pauses ≥ 2 ms, ${count('block').length} loop blocks > 10 ms, ` +
      `${rq.length} CPU waits ≥ 1 ms per 5 ms (${Math.round(rq.reduce((a, e) => a + e.ms, 0))} ms), ${count('busy-machine').length} stretches with > 2 runnable threads`,
  );
  for (const s of r.stalls.slice(0, 12)) {
    const from = origin + s.at * 1000;
    const to = from + Math.max(s.ms, 1);
    const near = around(events, from, to).filter((e) => e.kind !== 'busy-machine' || e.ms >= 5);
    const client = r.clientWaits.filter((w) => w.at + w.ms >= from - 30 && w.at <= to);
    console.log(`    stall at ${s.at.toFixed(3)}s, ${s.ms} ms long, worst ${s.worst} ms; client CPU waits ${client.length ? client.map((w) => `${((w.at - origin) / 1000).toFixed(3)}s:${w.ms}ms`).join(' ') : 'none'}`);
    for (const e of near.slice(0, 12)) console.log(`      ${formatEvent(e, origin)}`);
  }
}

try {
  const gw = await startService({
    service: GATEWAY_SERVICE,
    envClass: ApiGatewayEnv,
    module: (env) => ApiGatewayModule.register(env),
    port: 0,
    envSource: {
      DATABASE_URL: dbUrl.toString(),
      KAFKA_BROKERS: '',
      JWKS_URL: issuer.jwksUrl,
      JWT_ISSUER: issuer.issuer,
      JWT_AUDIENCE: issuer.audience,
      LOG_LEVEL: 'warn',
      UPSTREAM_KARPOOSHEH_URL: upstreamUrl,
      RATE_LIMIT_PER_MINUTE: '1000000000',
      RATE_LIMIT_STORE: store,
      STATUS_POLL_MS: '5000',
    },
  });
  const consumer = randomUUID();
  const provider = randomUUID();
  await gw.app.get(ApplyServiceChangeUseCase).execute({
    serviceCode: 'bench.echo',
    title: 'bench echo',
    description: '',
    providerAgencyId: provider,
    environments: ['GSB'],
    upstreamUrl: `${upstreamUrl}/svc`,
    status: 'ACTIVE',
    version: 1,
    changedAt: new Date().toISOString(),
  });
  await gw.app.get(ApplyGrantStateUseCase).execute({
    grantId: randomUUID(),
    requestId: null,
    consumerAgencyId: consumer,
    providerAgencyId: provider,
    serviceCode: 'bench.echo',
    environment: 'GSB',
    status: 'ACTIVE',
    quotaPerMinute: 1_000_000_000,
    quotaPerDay: 1_000_000_000,
    validFrom: new Date(Date.now() - 60_000).toISOString(),
    validUntil: null,
    version: 1,
    changedAt: new Date().toISOString(),
    reason: null,
  });
  const tokens = await Promise.all(Array.from({ length: tokenCount }, (_, i) => issuer.mint({ roles: ['admin'] }, `bench-${i}`)));
  const agencyTokens = await Promise.all(Array.from({ length: tokenCount }, (_, i) => issuer.mint({ roles: ['agency'], agency_id: consumer }, `bench-agency-${i}`)));

  console.log(`bench:gateway — ${connections} connections, ${seconds} s per run, rate-limit store ${store}, node ${process.version}, loopback`);
  console.log('note: upstream, gateway and autocannon share this machine (2 cores, other engineers\' jobs running too)');
  const warm = { connections, seconds: Math.min(3, seconds), tokens };
  await runLoad({ ...warm, url: `${gw.url}/api/karpoosheh/x` });
  let half = givenHalfRate;
  let gsbHalfRate = givenHalfRate;
  if (givenHalfRate <= 0 && !gsbOnly) {
    const direct = await runLoad({ url: `${upstreamUrl}/x`, connections, seconds, tokens: [] });
    console.log(`direct            ${fmt(direct)}`);
    const satLoop = watchLoop();
    const viaGw = await runLoad({ url: `${gw.url}/api/karpoosheh/x`, connections, seconds, tokens });
    console.log(`through gateway   ${fmt(viaGw)}  (goal ≥4,000 req/s, 0 errors)`);
    console.log(`                  gateway process ${formatLoop(satLoop.stop())}`);
    console.log(`ratio             gateway/direct ${(viaGw.requestsPerSecond / direct.requestsPerSecond).toFixed(2)}`);
    const bare = await runLoad({ url: `${minimalUrl}/x`, connections, seconds, tokens: [] });
    console.log(`ceiling           bare Node proxy (undici, nothing else) ${fmt(bare)}; gateway/ceiling ${(viaGw.requestsPerSecond / bare.requestsPerSecond).toFixed(2)}`);
    half = Math.max(100, Math.round(viaGw.requestsPerSecond / 2));
  }
  if (givenHalfRate <= 0) {
    const before = gw.app.get(ExchangeLogWriter).written;
    const gsbSatLoop = watchLoop();
    const gsb = await runLoad({ url: `${gw.url}/gsb/bench.echo/x`, connections, seconds, tokens: agencyTokens });
    await gw.app.get(ExchangeLogWriter).flush();
    const gsbSat = gsbSatLoop.stop();
    console.log(`GSB route         ${fmt(gsb)}  (goal ≥3,000 req/s); exchange-log rows written ${(gw.app.get(ExchangeLogWriter).written - before).toLocaleString('en')}`);
    console.log(`                  gateway process ${formatLoop(gsbSat)}`);
    gsbHalfRate = Math.max(100, Math.round(gsb.requestsPerSecond / 2));
  }

  // Half of saturation = half the saturated request rate, evenly paced (open loop, see
  // gateway/paced.ts), on the same 50 connections; latencies in fractions of a millisecond.
  const pids = { gateway: process.pid, upstream: upstream.pid!, 'bare proxy': minimal.pid! };
  const paced = async (url: string, t: string[], rate: number) => {
    const loop = watchLoop();
    const activity = trace ? traceActivity() : null;
    const { result, waits } = await withCpuWaits(pids, () => runPaced({ url, connections, seconds, tokens: t, rate }));
    return { r: result, loop: loop.stop(), events: activity?.stop() ?? null, waits };
  };
  let directHalfResult: Awaited<ReturnType<typeof paced>>['r'] | null = null;
  if (!gsbOnly) {
    const directHalf = await paced(`${upstreamUrl}/x`, [], half);
    directHalfResult = directHalf.r;
    const gwHalf = await paced(`${gw.url}/api/karpoosheh/x`, tokens, half);
    console.log(`at ${half.toLocaleString('en')} req/s evenly paced (half of the gateway's saturated rate), ${connections} connections:`);
    console.log(`  direct          ${fmtPaced(directHalf.r)}`);
    console.log(`  through gateway ${fmtPaced(gwHalf.r)}`);
    console.log(
      `  added latency   p50 ${(gwHalf.r.p50 - directHalf.r.p50).toFixed(3)} ms (goal <1 ms), p99 ${(gwHalf.r.p99 - directHalf.r.p99).toFixed(3)} ms (goal <10 ms), p99.9 ${(gwHalf.r.p999 - directHalf.r.p999).toFixed(3)} ms`,
    );
    console.log(`  gateway process ${formatLoop(gwHalf.loop)}`);
    console.log(`  main threads waiting for a CPU during the gateway run: ${gwHalf.waits}`);
    console.log(`  answers over 20 ms: direct ${fmtStalls(directHalf.r)}; gateway ${fmtStalls(gwHalf.r)}`);
    explainStalls('gateway run', gwHalf.r, gwHalf.events);
    // The ceiling, same rate and connections: a bare undici proxy (gateway/minimal-proxy.ts).
    const minimalHalf = await paced(`${minimalUrl}/x`, [], half);
    console.log(`  ceiling: bare Node proxy ${fmtPaced(minimalHalf.r)}`);
    console.log(`  ceiling added   p50 ${(minimalHalf.r.p50 - directHalf.r.p50).toFixed(3)} ms, p99 ${(minimalHalf.r.p99 - directHalf.r.p99).toFixed(3)} ms`);
    console.log(`  main threads waiting for a CPU during the bare-proxy run: ${minimalHalf.waits}`);
    console.log(`  answers over 20 ms: bare proxy ${fmtStalls(minimalHalf.r)}`);
    explainStalls('bare-proxy run', minimalHalf.r, null);
  }
  if (quick) {
    const second = await paced(`${gw.url}/api/karpoosheh/x`, tokens, half);
    console.log(`  gateway, again ${fmtPaced(second.r)}`);
    if (directHalfResult) {
      const directHalf = { r: directHalfResult };
      // The same process, warmed by the first paced run: heap grown, pools and caches filled.
      console.log(`  added latency (again) p50 ${(second.r.p50 - directHalf.r.p50).toFixed(3)} ms, p99 ${(second.r.p99 - directHalf.r.p99).toFixed(3)} ms (goal <10 ms)`);
    }
    console.log(`  gateway process ${formatLoop(second.loop)}`);
    console.log(`  main threads waiting for a CPU: ${second.waits}`);
    console.log(`  answers over 20 ms: gateway ${fmtStalls(second.r)}`);
    explainStalls('gateway run (again)', second.r, second.events);
    await gw.close();
  } else {
    const directGsbHalf = await paced(`${upstreamUrl}/svc/x`, [], gsbHalfRate);
    const gsbHalf = await paced(`${gw.url}/gsb/bench.echo/x`, agencyTokens, gsbHalfRate);
    console.log(`GSB route at ${gsbHalfRate.toLocaleString('en')} req/s evenly paced (half of its saturated rate):`);
    console.log(`  direct          ${fmtPaced(directGsbHalf.r)}`);
    console.log(`  through gateway ${fmtPaced(gsbHalf.r)}`);
    console.log(`  added latency   p50 ${(gsbHalf.r.p50 - directGsbHalf.r.p50).toFixed(3)} ms, p99 ${(gsbHalf.r.p99 - directGsbHalf.r.p99).toFixed(3)} ms`);
    console.log(`  gateway process ${formatLoop(gsbHalf.loop)}`);
    console.log(`  main threads waiting for a CPU: ${gsbHalf.waits}`);
    console.log(`  answers over 20 ms: gateway ${fmtStalls(gsbHalf.r)}`);
    explainStalls('GSB run', gsbHalf.r, gsbHalf.events);
    if (gsbOnly) {
      await gw.close();
    } else {
    // autocannon's latencies are whole milliseconds: the added cost of one request is read from the
    // rate of one connection sending request after request (no queueing anywhere): 1/rate is the
    // full round trip, so the difference of the two is what the gateway adds.
    const directOne = await runLoad({ url: `${upstreamUrl}/x`, connections: 1, seconds: Math.min(10, seconds), tokens: [] });
    const gwOne = await runLoad({ url: `${gw.url}/api/karpoosheh/x`, connections: 1, seconds: Math.min(10, seconds), tokens });
    console.log(`one connection, sequential: direct ${fmt(directOne)}`);
    console.log(`                   gateway ${fmt(gwOne)}`);
    const added = 1000 / gwOne.requestsPerSecond - 1000 / directOne.requestsPerSecond;
    console.log(`  added latency per request ${added.toFixed(3)} ms (round trip ${(1000 / directOne.requestsPerSecond).toFixed(3)} → ${(1000 / gwOne.requestsPerSecond).toFixed(3)} ms; goal: median <1 ms)`);
    await gw.close();
    }
  }
} finally {
  upstream.kill();
  minimal.kill();
  await issuer.close();
  const a = new pg.Client({ connectionString: admin });
  await a.connect();
  await a.query(`DROP DATABASE IF EXISTS ${dbName} WITH (FORCE)`);
  await a.end();
}
