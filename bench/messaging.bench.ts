// npm run bench:messaging — end-to-end event throughput and latency through the whole path a
// service uses: use-case transaction writes the outbox → relay → bus → EventBusServer (schema
// check, processed_events + side effect in one transaction per fetched batch). Real PostgreSQL
// (DATABASE_URL) and, when KAFKA_BROKERS is set, a real Kafka broker; always also the in-process bus.
//
// Two runs per bus, each with BENCH_EVENTS events (default 100k) in a fresh database and topic:
// - saturation: BENCH_WRITERS writers commit BENCH_EVENTS_PER_TX events per transaction as fast
//   as they can; events/s = events / (last handler − first commit). Latency here is mostly queueing
//   behind the backlog the writers build up, so it is printed but is not the latency figure.
// - paced: transactions of BENCH_EVENTS_PER_TX events are committed on a fixed schedule offering
//   BENCH_RATE events/s (default 5000); latency = handler start − producer commit (same process,
//   same clock) at a load the pipeline sustains. The "offered" column says whether the producers
//   kept the schedule.
// Before the measured events, BENCH_WARMUP (default 5000) events go through the same pipeline
// unmeasured (JIT, pool connections, producer/consumer sessions). BENCH_BUS=kafka|in-process and
// BENCH_MODE=saturation|paced pick runs; BENCH_TIMELINE=1 prints the worst latency per second.
import { randomUUID } from 'node:crypto';
import os from 'node:os';
import { setTimeout as sleep } from 'node:timers/promises';
import pg from 'pg';
import { ContractCatalog, defineEvent } from '@darvazeh/contracts';
import { TypeOrmTransactionRunner, createDataSource, runMigrations } from '@darvazeh/database';
import {
  EventBusServer,
  InProcessMessageBus,
  KafkaMessageBus,
  OutboxRelay,
  OutboxWriter,
  messagingMigrations,
  type MessageBus,
} from '@darvazeh/messaging';
import type { MigrationInterface, QueryRunner } from 'typeorm';

const TOTAL = Number(process.env['BENCH_EVENTS'] ?? 100_000);
const WRITERS = Number(process.env['BENCH_WRITERS'] ?? 8);
const PER_TX = Number(process.env['BENCH_EVENTS_PER_TX'] ?? 10);
const PARTITIONS = Number(process.env['BENCH_PARTITIONS'] ?? 12);
const RATE = Number(process.env['BENCH_RATE'] ?? 5000);
/** Messages of one partition per consumer transaction (EventBusServer maxBatchSize). */
const CONSUMER_BATCH = Number(process.env['BENCH_CONSUMER_BATCH'] ?? 100);
const KEYS = 1000;
/** Events pushed through the same pipeline before the measured ones, not counted (default 5000). */
const WARMUP = Number(process.env['BENCH_WARMUP'] ?? 5000);
/** Outbox rows the relay claims and publishes per transaction. */
const RELAY_BATCH = Number(process.env['BENCH_RELAY_BATCH'] ?? 1000);

class BenchEffects1700000000001 implements MigrationInterface {
  name = 'BenchEffects1700000000001';
  async up(q: QueryRunner) {
    await q.query('CREATE TABLE bench_effects (event_id uuid PRIMARY KEY, key text NOT NULL, seq int NOT NULL)');
  }
  async down(q: QueryRunner) {
    await q.query('DROP TABLE bench_effects');
  }
}

type Mode = { kind: 'saturation' } | { kind: 'paced'; rate: number };

interface Result {
  bus: string;
  run: string;
  events: number;
  seconds: number;
  /** Events/s the producers actually committed. */
  offered: number;
  /** Events/s handled end to end (first commit → last handler). */
  perSecond: number;
  /** Events/s the relay published (first commit → last event sent). */
  relayPerSecond: number;
  p50: number;
  p99: number;
  max: number;
  /** Handler calls beyond one per event (redeliveries that reached a handler: must be 0). */
  extraHandlerCalls: number;
}

async function run(label: string, bus: MessageBus, baseUrl: string, mode: Mode): Promise<Result> {
  const runName = mode.kind === 'saturation' ? 'saturation' : `paced @${mode.rate}/s`;
  const tag = `${label.replace(/[^a-z]/g, '')}_${mode.kind}`;
  const topic = `bench.${tag}.${randomUUID().slice(0, 8)}`;
  const Contract = defineEvent<{ seq: number }>({
    type: 'ir.darvazeh.bench.thing.happened.v1',
    topic,
    schema: { type: 'object', required: ['seq'], additionalProperties: false, properties: { seq: { type: 'integer' } } },
  });
  const catalog = new ContractCatalog([Contract]);
  const dbName = `test_bench_${tag}_${randomUUID().slice(0, 8)}`;
  const admin = new pg.Client({ connectionString: baseUrl });
  await admin.connect();
  await admin.query(`CREATE DATABASE "${dbName}"`);
  const url = new URL(baseUrl);
  url.pathname = `/${dbName}`;
  const dataSource = createDataSource({
    url: url.toString(),
    migrations: [...messagingMigrations, BenchEffects1700000000001],
    applicationName: `bench-${tag}`,
    poolSize: 20,
  });
  try {
    await runMigrations(dataSource);
    const transactions = new TypeOrmTransactionRunner(dataSource);
    await bus.ensureTopics([{ name: topic, partitions: PARTITIONS, replicationFactor: 1 }]);

    // Seqs [0, WARMUP) warm the pipeline up (JIT, pool connections, producer and consumer
    // sessions) and are not measured; [WARMUP, WARMUP + TOTAL) are the measured events.
    const committedAt = new Float64Array(WARMUP + TOTAL).fill(-1);
    const latencies: number[] = [];
    /** Worst latency per second of the run (BENCH_TIMELINE=1): shows whether the tail is a warm-up, a stall or steady. */
    const worstPerSecond = new Map<number, number>();
    let handled = 0;
    let handledMeasured = 0;
    let lastHandledAt = 0;
    let measuredFrom = Number.POSITIVE_INFINITY;
    const arrived = (count: number) => {
      let resolve: () => void = () => undefined;
      const promise = new Promise<void>((r) => (resolve = r));
      return { count, promise, resolve };
    };
    const warmed = arrived(WARMUP);
    const finished = arrived(TOTAL);
    if (WARMUP === 0) warmed.resolve();

    const server = new EventBusServer(bus, transactions, catalog, {
      service: `bench-${tag}`,
      concurrency: PARTITIONS,
      maxBatchSize: CONSUMER_BATCH,
    });
    server.addHandler(
      Contract.type,
      async (data: { seq: number }, ctx: { id: string; subject: string }) => {
        const started = performance.now();
        await transactions.run((manager) =>
          manager.query('INSERT INTO bench_effects (event_id, key, seq) VALUES ($1, $2, $3)', [ctx.id, ctx.subject, data.seq]),
        );
        handled++;
        if (data.seq < WARMUP) {
          if (handled === WARMUP) warmed.resolve();
          return;
        }
        const at = committedAt[data.seq]!;
        if (at >= 0) {
          latencies.push(started - at);
          const second = Math.floor((at - measuredFrom) / 1000);
          worstPerSecond.set(second, Math.max(worstPerSecond.get(second) ?? 0, started - at));
        }
        handledMeasured++;
        lastHandledAt = performance.now();
        if (handledMeasured === TOTAL) finished.resolve();
      },
      true,
    );
    await new Promise<void>((resolve, reject) => server.listen((error?: unknown) => (error ? reject(error) : resolve())));

    const relay = new OutboxRelay(dataSource, bus, { batchSize: RELAY_BATCH, pollMs: 20 });
    relay.start();
    const writer = new OutboxWriter(catalog, '/darvazeh/bench');

    /** WRITERS concurrent writers commit seqs [from, from + count) in transactions of PER_TX events. */
    const produce = async (from: number, count: number): Promise<{ started: number; lastCommitAt: number }> => {
      const transactionsTotal = Math.ceil(count / PER_TX);
      const intervalMs = mode.kind === 'paced' ? (PER_TX / mode.rate) * 1000 : 0;
      const started = performance.now();
      let lastCommitAt = started;
      let nextTx = 0;
      await Promise.all(
        Array.from({ length: WRITERS }, async () => {
          while (nextTx < transactionsTotal) {
            const tx = nextTx++;
            if (intervalMs > 0) {
              const wait = started + tx * intervalMs - performance.now();
              if (wait > 1) await sleep(wait);
            }
            const first = from + tx * PER_TX;
            const seqs = Array.from({ length: Math.min(PER_TX, from + count - first) }, (_, i) => first + i);
            await transactions.run((manager) =>
              writer.append(
                manager,
                seqs.map((seq) => ({ type: Contract.type, subject: `key-${seq % KEYS}`, data: { seq } })),
              ),
            );
            const now = performance.now();
            for (const seq of seqs) committedAt[seq] = now;
            lastCommitAt = Math.max(lastCommitAt, now);
          }
        }),
      );
      return { started, lastCommitAt };
    };

    await produce(0, WARMUP);
    await warmed.promise;
    measuredFrom = performance.now();
    // When the relay has sent everything: tells whether the relay or the consumer is the bottleneck.
    const relayedBefore = relay.publishedCount();
    let relayedAt = 0;
    const relayWatch = setInterval(() => {
      if (!relayedAt && relay.publishedCount() - relayedBefore >= TOTAL) relayedAt = performance.now();
    }, 5);
    const { started, lastCommitAt } = await produce(WARMUP, TOTAL);
    await finished.promise;
    clearInterval(relayWatch);
    relayedAt ||= performance.now();
    const seconds = (lastHandledAt - started) / 1000;
    if (process.env['BENCH_TIMELINE']) {
      process.stdout.write(`${label} ${runName} worst latency per second of commit time (ms): ${[...worstPerSecond].sort((a, b) => a[0] - b[0]).map(([s, ms]) => `${s}:${Math.round(ms)}`).join(' ')}\n`);
    }
    await relay.stop();
    await server.close();

    const effects: { n: string }[] = await dataSource.query('SELECT count(*) AS n FROM bench_effects');
    if (Number(effects[0]!.n) !== WARMUP + TOTAL) throw new Error(`expected ${WARMUP + TOTAL} side effects, found ${effects[0]!.n}`);
    latencies.sort((a, b) => a - b);
    const pct = (p: number) => latencies[Math.min(latencies.length - 1, Math.floor((p / 100) * latencies.length))]!;
    return {
      bus: label,
      run: runName,
      events: TOTAL,
      seconds,
      offered: TOTAL / ((lastCommitAt - started) / 1000),
      perSecond: TOTAL / seconds,
      relayPerSecond: TOTAL / ((relayedAt - started) / 1000),
      p50: pct(50),
      p99: pct(99),
      max: latencies[latencies.length - 1]!,
      extraHandlerCalls: handled - WARMUP - TOTAL,
    };
  } finally {
    await dataSource.destroy().catch(() => undefined);
    await admin.query(`DROP DATABASE IF EXISTS "${dbName}" WITH (FORCE)`).catch(() => undefined);
    await admin.end();
  }
}

async function main(): Promise<void> {
  const baseUrl = process.env['DATABASE_URL'] ?? 'postgres://postgres@127.0.0.1:5432/postgres';
  const brokers = (process.env['KAFKA_BROKERS'] ?? '').split(',').map((b) => b.trim()).filter(Boolean);
  const only = (process.env['BENCH_BUS'] ?? '').trim(); // 'kafka' | 'in-process' | '' (both)
  const onlyMode = (process.env['BENCH_MODE'] ?? '').trim(); // 'saturation' | 'paced' | '' (both)
  const modes: Mode[] = ([{ kind: 'saturation' }, { kind: 'paced', rate: RATE }] as Mode[]).filter((m) => !onlyMode || m.kind === onlyMode);
  const results: Result[] = [];
  const loadBefore = os.loadavg().map((l) => l.toFixed(2)).join(' ');
  const report = (r: Result) =>
    process.stdout.write(
      `${r.bus} ${r.run}: ${Math.round(r.perSecond)} events/s handled, p50 ${r.p50.toFixed(1)} ms, p99 ${r.p99.toFixed(1)} ms\n`,
    );
  if (brokers.length > 0 && only !== 'in-process') {
    const kafka = new KafkaMessageBus({ brokers, clientId: 'bench' });
    try {
      for (const mode of modes) {
        results.push(await run('kafka', kafka, baseUrl, mode));
        report(results.at(-1)!);
      }
    } finally {
      await kafka.close();
    }
  } else if (only !== 'in-process') {
    process.stdout.write('KAFKA_BROKERS not set: skipping the Kafka runs\n');
  }
  if (only !== 'kafka') {
    for (const mode of modes) {
      const inProcess = new InProcessMessageBus();
      try {
        results.push(await run('in-process', inProcess, baseUrl, mode));
        report(results.at(-1)!);
      } finally {
        await inProcess.close();
      }
    }
  }
  process.stdout.write(
    `\nconditions: ${TOTAL} events per run after ${WARMUP} unmeasured warm-up events; ${WRITERS} writers × ${PER_TX} events/tx; ` +
      `${PARTITIONS} partitions, 1000 keys; relay batch ≤ ${RELAY_BATCH}; consumer batch ≤ ${CONSUMER_BATCH}; ` +
      `${os.cpus().length} CPUs, load average ${loadBefore} before, ${os.loadavg().map((l) => l.toFixed(2)).join(' ')} after; node ${process.version}\n` +
      'saturation: writers commit as fast as they can; events/s = events / (first commit → last handler). Its latency is\n' +
      '  queueing behind the backlog the writers build, so it is not the latency figure.\n' +
      `paced: ${RATE} events/s offered on a fixed schedule; latency = handler start − producer commit (same clock).\n`,
  );
  console.table(
    results.map((r) => ({
      bus: r.bus,
      run: r.run,
      events: r.events,
      seconds: r.seconds.toFixed(1),
      'offered ev/s': Math.round(r.offered),
      'relayed ev/s': Math.round(r.relayPerSecond),
      'handled ev/s': Math.round(r.perSecond),
      'p50 ms': r.p50.toFixed(1),
      'p99 ms': r.p99.toFixed(1),
      'max ms': r.max.toFixed(1),
      'extra handler calls': r.extraHandlerCalls,
    })),
  );
  // The figures issue 2 §6 asks for, one line per bus, with the verdict against its goal.
  for (const bus of [...new Set(results.map((r) => r.bus))]) {
    const saturation = results.find((r) => r.bus === bus && r.run === 'saturation');
    const paced = results.find((r) => r.bus === bus && r.run !== 'saturation');
    const path = bus === 'kafka' ? `outbox → Kafka (${brokers.join(',')}) → idempotent consumer` : 'outbox → in-process bus → idempotent consumer';
    const parts = [
      saturation ? `${Math.round(saturation.perSecond)} events/s end to end (saturation)` : undefined,
      paced ? `p50 ${paced.p50.toFixed(1)} ms, p99 ${paced.p99.toFixed(1)} ms at ${Math.round(paced.perSecond)} events/s (${paced.run})` : undefined,
    ].filter(Boolean);
    const met =
      saturation && paced && RATE >= 5000
        ? saturation.perSecond >= 5000 && paced.perSecond >= 0.99 * RATE && paced.p99 < 250
          ? 'goal (≥ 5000 events/s, p99 < 250 ms) MET'
          : 'goal (≥ 5000 events/s, p99 < 250 ms) NOT MET'
        : 'goal not judged (run both modes with BENCH_RATE ≥ 5000)';
    process.stdout.write(`${path}, ${TOTAL} events: ${parts.join('; ')} — ${met}\n`);
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`bench failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
