import { afterAll, beforeAll, describe, expect, it, jest } from '@jest/globals';
import { Controller, Inject, Module, type INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter } from '@nestjs/platform-fastify';
import { Ctx, EventPattern, Payload } from '@nestjs/microservices';
import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { ContractCatalog, defineEvent } from '@darvazeh/contracts';
import { DatabaseModule, TransactionRunner, createDataSource, runMigrations } from '@darvazeh/database';
import { TraceContext } from '@darvazeh/observability';
import { KafkaMessageBus } from '../kafka-message-bus.js';
import type { EventEnvelope, ReceivedEvent } from '../event-envelope.js';
import { messagingMigrations } from '../messaging.migrations.js';
import { MessagingModule } from '../messaging.module.js';
import { MessagingMetrics } from '../messaging.metrics.js';
import { EventBusServer, type DeadLetterReason } from './event-bus.server.js';
import { EventContext } from './event-context.js';
import { envelope, uniqueTopic, waitFor } from '../../test/message-bus.contract.js';
import { createTestDatabase, testKafkaBrokerList } from '@darvazeh/testing';
import type { MigrationInterface, QueryRunner } from 'typeorm';
import { Kafka, logLevel, type Admin } from 'kafkajs';

const topic = uniqueTopic('transport');
type Mode = 'ok' | 'fail-once' | 'always-fail' | 'rule' | 'block' | 'commit-fail' | 'effect-fail-once';
const WidgetCreated = defineEvent<{ name: string; mode: Mode }>({
  type: 'ir.darvazeh.test.widget.created.v1',
  topic,
  schema: {
    type: 'object',
    additionalProperties: false,
    required: ['name', 'mode'],
    properties: { name: { type: 'string', minLength: 1 }, mode: { enum: ['ok', 'fail-once', 'always-fail', 'rule', 'block', 'commit-fail', 'effect-fail-once'] } },
  },
});

class Widgets1700000000000 implements MigrationInterface {
  name = 'Widgets1700000000000';
  async up(q: QueryRunner) {
    await q.query('CREATE TABLE widgets (id serial PRIMARY KEY, event_id text NOT NULL, name text NOT NULL, handled_order serial)');
    // A row here that names no widget fails only at COMMIT (deferred check): the way to make a
    // whole batch transaction fail after every handler in it succeeded.
    await q.query(
      'CREATE TABLE widget_refs (widget_id int NOT NULL REFERENCES widgets (id) DEFERRABLE INITIALLY DEFERRED)',
    );
  }
  async down(q: QueryRunner) {
    await q.query('DROP TABLE widget_refs');
    await q.query('DROP TABLE widgets');
  }
}

const seen: { name: string; attempt: number; traceId?: string }[] = [];
/** The after-commit effects that ran: `<name>#<attempt>`. */
const applied: string[] = [];
/** Handlers in mode `block` wait here until the test releases them. */
let gate: { reached: boolean; release: () => void; opened: Promise<void> } | undefined;
function closeGate(): NonNullable<typeof gate> {
  let release = () => undefined as void;
  const opened = new Promise<void>((resolve) => (release = resolve));
  gate = { reached: false, release, opened };
  return gate;
}
/** What the transport handed to processBatch, per call (names of the widgets). */
const batches: ReceivedEvent[][] = [];
const nameOf = (e: ReceivedEvent) => (e.data as { name?: string }).name ?? '?';

class RuleViolation extends Error {
  readonly code = 'TEST.RULE';
  readonly kind = 'rule_violation';
}

@Controller()
class WidgetConsumer {
  constructor(@Inject(TransactionRunner) private readonly transactions: TransactionRunner) {}

  @EventPattern<string>(WidgetCreated.type)
  async handle(@Payload() data: { name: string; mode: string }, @Ctx() ctx: EventContext) {
    seen.push({ name: data.name, attempt: ctx.attempt, traceId: TraceContext.current()?.traceId });
    if (data.mode === 'fail-once' && ctx.attempt === 1) throw new Error('database hiccup');
    if (data.mode === 'always-fail') throw new Error(`cannot handle ${data.name}`);
    if (data.mode === 'rule') throw new RuleViolation('widget rules say no');
    if (data.mode === 'block' && gate) {
      gate.reached = true;
      await gate.opened;
    }
    // Joins the transport's transaction: rolled back together with processed_events on failure.
    await this.transactions.run(async (manager) => {
      await manager.query('INSERT INTO widgets (event_id, name) VALUES ($1, $2)', [ctx.id, data.name]);
      // An in-memory projection of the widgets (as the EIR index or the OCSP cache are).
      this.transactions.afterCommit(() => void applied.push(`${data.name}#${ctx.attempt}`));
      if (data.mode === 'effect-fail-once' && ctx.attempt === 1) throw new Error('fails after its effect was registered');
      if (data.mode === 'commit-fail') await manager.query('INSERT INTO widget_refs (widget_id) VALUES (-1)');
    });
  }
}

describe('EventBusServer on Kafka and Postgres', () => {
  let db: { url: string; drop(): Promise<void> };
  let app: INestApplication;
  let dataSource: DataSource;
  let probe: KafkaMessageBus;
  let admin: Admin;
  /** The transport's warnings: each failed attempt logs the backoff before the next one. */
  const warnings: string[] = [];
  const dlt: ReceivedEvent[] = [];
  const service = `widgets-${randomUUID().slice(0, 6)}`;

  beforeAll(async () => {
    db = await createTestDatabase('transport');
    const migrator = createDataSource({ url: db.url, migrations: [...messagingMigrations, Widgets1700000000000] });
    await runMigrations(migrator);
    await migrator.destroy();

    @Module({
      imports: [
        DatabaseModule.forService({ url: db.url }),
        MessagingModule.forService({
          service,
          kafkaBrokers: testKafkaBrokerList(),
          topics: [topic],
          partitions: 2,
          relay: { enabled: false },
          retry: { maxAttempts: 3, initialDelayMs: 20, maxDelayMs: 50 },
          contracts: new ContractCatalog([WidgetCreated]),
        }),
      ],
      controllers: [WidgetConsumer],
    })
    class TestAppModule {}

    app = await NestFactory.create(TestAppModule, new FastifyAdapter(), { logger: ['error'] });
    await app.init();
    const server = app.get(EventBusServer);
    const logger = (server as unknown as { logger: { warn(message: string): void } }).logger;
    jest.spyOn(logger, 'warn').mockImplementation((message: string) => void warnings.push(message));
    // Records what each batch call held, so a test can check its messages really met in one batch.
    const processBatch = server.processBatch.bind(server);
    server.processBatch = (events, commitUpTo) => {
      batches.push(events);
      return processBatch(events, commitUpTo);
    };
    app.connectMicroservice({ strategy: server });
    await app.startAllMicroservices();
    dataSource = app.get(DataSource);

    admin = new Kafka({ brokers: testKafkaBrokerList(), clientId: 'offset-probe', logLevel: logLevel.NOTHING }).admin();
    await admin.connect();
    probe = new KafkaMessageBus({ brokers: testKafkaBrokerList(), clientId: 'dlt-probe' });
    await probe.subscribe({ groupId: `probe-${randomUUID()}`, topics: [`${topic}.dlt`], handle: async (e) => void dlt.push(e) });
  }, 120_000);

  afterAll(async () => {
    await probe?.close();
    await admin?.disconnect();
    await app?.close();
    await db?.drop();
  }, 60_000);

  async function widgets(name: string): Promise<number> {
    const rows: { n: string }[] = await dataSource.query('SELECT count(*) AS n FROM widgets WHERE name = $1', [name]);
    return Number(rows[0]!.n);
  }

  it('handles a redelivered event once: the side effect row count stays 1', async () => {
    const event = envelope(topic, 'w-dup', { name: 'dup', mode: 'ok' }, { type: WidgetCreated.type });
    await probe.publish([event]);
    await probe.publish([event]); // same ce_id again, as after a relay crash or a consumer rebalance
    const marker = envelope(topic, 'w-dup', { name: 'dup-marker', mode: 'ok' }, { type: WidgetCreated.type });
    await probe.publish([marker]);
    // `seen` fills inside the handler, before its transaction commits: wait for the committed row.
    await waitFor(async () => (await widgets('dup-marker')) === 1, 60_000, 'marker committed');
    expect(await widgets('dup')).toBe(1);
    expect(seen.filter((s) => s.name === 'dup')).toHaveLength(1);
    const processed: unknown[] = await dataSource.query(
      'SELECT 1 FROM processed_events WHERE consumer_group = $1 AND event_id = $2',
      [service, event.id],
    );
    expect(processed).toHaveLength(1);
  }, 90_000);

  it('retries a transient failure holding the key, rolling back the failed attempt', async () => {
    await probe.publish([
      envelope(topic, 'w-order', { name: 'first', mode: 'fail-once' }, { type: WidgetCreated.type }),
      envelope(topic, 'w-order', { name: 'second', mode: 'ok' }, { type: WidgetCreated.type }),
    ]);
    await waitFor(async () => (await widgets('second')) === 1, 60_000, 'second committed');
    expect(seen.filter((s) => s.name === 'first').map((s) => s.attempt)).toEqual([1, 2]);
    const order: { name: string }[] = await dataSource.query(
      `SELECT name FROM widgets WHERE name IN ('first', 'second') ORDER BY handled_order`,
    );
    expect(order.map((r) => r.name)).toEqual(['first', 'second']);
  }, 90_000);

  it('in one fetched batch, commits the messages before a failing one, retries it alone, then goes on in order', async () => {
    await probe.publish([
      envelope(topic, 'w-batch', { name: 'batch-a', mode: 'ok' }, { type: WidgetCreated.type }),
      envelope(topic, 'w-batch', { name: 'batch-b', mode: 'fail-once' }, { type: WidgetCreated.type }),
      envelope(topic, 'w-batch', { name: 'batch-c', mode: 'ok' }, { type: WidgetCreated.type }),
    ]);
    await waitFor(async () => (await widgets('batch-c')) === 1, 60_000, 'batch-c committed');
    // batch-a ran once: its commit survived batch-b's failure (no second run of it).
    expect(seen.filter((s) => s.name === 'batch-a').map((s) => s.attempt)).toEqual([1]);
    expect(seen.filter((s) => s.name === 'batch-b').map((s) => s.attempt)).toEqual([1, 2]);
    const order: { name: string }[] = await dataSource.query(
      `SELECT name FROM widgets WHERE name LIKE 'batch-%' ORDER BY handled_order`,
    );
    expect(order.map((r) => r.name)).toEqual(['batch-a', 'batch-b', 'batch-c']);
    const marks: { n: string }[] = await dataSource.query('SELECT count(*) AS n FROM processed_events WHERE consumer_group = $1', [service]);
    expect(Number(marks[0]!.n)).toBeGreaterThanOrEqual(3);
  }, 90_000);

  it('applies in-memory effects only for committed messages: a failed message in a batch leaves none behind', async () => {
    await probe.publish([
      envelope(topic, 'w-effects', { name: 'effect-a', mode: 'ok' }, { type: WidgetCreated.type }),
      envelope(topic, 'w-effects', { name: 'effect-b', mode: 'effect-fail-once' }, { type: WidgetCreated.type }),
      envelope(topic, 'w-effects', { name: 'effect-c', mode: 'ok' }, { type: WidgetCreated.type }),
    ]);
    await waitFor(() => applied.includes('effect-c#1'), 60_000, 'effect-c applied');
    expect(seen.filter((s) => s.name === 'effect-b').map((s) => s.attempt)).toEqual([1, 2]);
    // effect-b's first attempt registered its effect and then failed: that effect never ran.
    expect(applied.filter((a) => a.startsWith('effect-'))).toEqual(['effect-a#1', 'effect-b#2', 'effect-c#1']);
  }, 90_000);

  it('dead-letters a payload that breaks the schema without calling the handler', async () => {
    const bad = envelope(topic, 'w-bad', { name: '', mode: 'ok', extra: true }, { type: WidgetCreated.type });
    await probe.publish([bad]);
    await waitFor(() => dlt.some((e) => e.id === bad.id), 60_000, 'dead letter');
    const letter = dlt.find((e) => e.id === bad.id)!;
    expect(letter.headers).toMatchObject({
      'dlt-reason': 'schema-invalid',
      'dlt-origin-topic': topic,
      'dlt-consumer-group': service,
    });
    expect(letter.headers?.['dlt-error']).toContain('unexpected property "extra"');
    expect(letter.headers?.['dlt-origin-offset']).toMatch(/^\d+$/);
    expect(letter.type).toBe(WidgetCreated.type);
    expect(letter.data).toEqual(bad.data);
    expect(seen.some((s) => s.name === '')).toBe(false);
  }, 90_000);

  it('dead-letters an event type no contract declares', async () => {
    const unknown = envelope(topic, 'w-unknown', { anything: 1 }, { type: 'ir.darvazeh.test.widget.exploded.v1' });
    await probe.publish([unknown]);
    await waitFor(() => dlt.some((e) => e.id === unknown.id), 60_000, 'dead letter');
    expect(dlt.find((e) => e.id === unknown.id)!.headers?.['dlt-reason']).toBe('unknown-type');
  }, 90_000);

  it('dead-letters after the bounded attempts with the handler\'s own error, and moves on', async () => {
    const doomed = envelope(topic, 'w-doomed', { name: 'doomed', mode: 'always-fail' }, { type: WidgetCreated.type });
    const after = envelope(topic, 'w-doomed', { name: 'after-doomed', mode: 'ok' }, { type: WidgetCreated.type });
    await probe.publish([doomed, after]);
    await waitFor(() => dlt.some((e) => e.id === doomed.id) && seen.some((s) => s.name === 'after-doomed'), 60_000, 'dlt + next');
    const letter = dlt.find((e) => e.id === doomed.id)!;
    expect(letter.headers).toMatchObject({ 'dlt-reason': 'retries-exhausted', 'dlt-attempts': '3' });
    expect(letter.headers?.['dlt-error']).toContain('cannot handle doomed');
    expect(seen.filter((s) => s.name === 'doomed')).toHaveLength(3);
    expect(await widgets('doomed')).toBe(0);
  }, 90_000);

  it('dead-letters a rule violation at once (retrying cannot help)', async () => {
    const ruled = envelope(topic, 'w-rule', { name: 'ruled', mode: 'rule' }, { type: WidgetCreated.type });
    await probe.publish([ruled]);
    await waitFor(() => dlt.some((e) => e.id === ruled.id), 60_000, 'dead letter');
    expect(dlt.find((e) => e.id === ruled.id)!.headers).toMatchObject({ 'dlt-reason': 'rejected', 'dlt-attempts': '1' });
    expect(seen.filter((s) => s.name === 'ruled')).toHaveLength(1);
  }, 90_000);

  it('continues the producer\'s trace in the handler', async () => {
    const traced = envelope(topic, 'w-trace', { name: 'traced', mode: 'ok' }, {
      type: WidgetCreated.type,
      traceparent: '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01',
    });
    await probe.publish([traced]);
    await waitFor(() => seen.some((s) => s.name === 'traced'), 60_000, 'traced');
    expect(seen.find((s) => s.name === 'traced')!.traceId).toBe('4bf92f3577b34da6a3ce929d0e0e4736');
  }, 90_000);
  /** The received copies of the named widgets, from the batch calls that held them. */
  function delivered(name: string): ReceivedEvent[] {
    return batches.flat().filter((e) => nameOf(e) === name);
  }

  /** True when one processBatch call held all the named messages (the premise of a batch test). */
  function metInOneBatch(names: string[]): boolean {
    return batches.some((batch) => names.every((name) => batch.some((e) => nameOf(e) === name)));
  }

  async function marks(ids: string[]): Promise<number> {
    const rows: { n: string }[] = await dataSource.query(
      'SELECT count(*) AS n FROM processed_events WHERE consumer_group = $1 AND event_id = ANY($2::text[])',
      [service, ids],
    );
    return Number(rows[0]!.n);
  }

  async function committedOffset(partition: number): Promise<number> {
    const [offsets] = await admin.fetchOffsets({ groupId: service, topics: [topic] });
    return Number(offsets!.partitions.find((p) => p.partition === partition)?.offset ?? -1);
  }

  async function handledOrder(pattern: string): Promise<string[]> {
    const rows: { name: string }[] = await dataSource.query('SELECT name FROM widgets WHERE name LIKE $1 ORDER BY handled_order', [pattern]);
    return rows.map((r) => r.name);
  }

  it('in one batch, dead-letters the invalid, rejected and exhausted messages with error and origin, and handles the rest of the key once, in order', async () => {
    const spec: [string, Mode | 'invalid'][] = [
      ['mix-1', 'ok'],
      ['mix-2', 'invalid'],
      ['mix-3', 'ok'],
      ['mix-4', 'always-fail'],
      ['mix-5', 'ok'],
      ['mix-6', 'rule'],
      ['mix-7', 'ok'],
    ];
    const events = spec.map(([name, mode]) =>
      envelope(topic, 'w-mix', mode === 'invalid' ? { name, mode: 'ok', extra: true } : { name, mode }, { type: WidgetCreated.type }),
    );
    const [, invalid, , exhausted, , rejected] = events;
    await probe.publish(events);
    await waitFor(
      () => [invalid, exhausted, rejected].every((e) => dlt.some((d) => d.id === e!.id)) && (seen.some((s) => s.name === 'mix-7')),
      60_000,
      'three dead letters and the last message',
    );
    expect(metInOneBatch(spec.map(([name]) => name))).toBe(true);

    // `seen` is written inside the handler, before its transaction commits: wait for mix-7's row.
    const deadline = Date.now() + 30_000;
    while (!(await handledOrder('mix-7')).length && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    expect(await handledOrder('mix-%')).toEqual(['mix-1', 'mix-3', 'mix-5', 'mix-7']);
    for (const name of ['mix-1', 'mix-3', 'mix-5', 'mix-7', 'mix-6']) expect(seen.filter((s) => s.name === name)).toHaveLength(1);
    expect(seen.filter((s) => s.name === 'mix-4').map((s) => s.attempt)).toEqual([1, 2, 3]);
    // Exponential backoff between attempts (initial 20 ms, doubling, capped at 50 ms), while the
    // partition — and so mix-5 behind it — waits.
    const backoffs = warnings.filter((w) => w.includes(exhausted!.id)).map((w) => /retrying in (\d+) ms/.exec(w)?.[1]);
    expect(backoffs).toEqual(['20', '40']);
    expect(seen.some((s) => s.name === 'mix-2')).toBe(false);

    const expected: [EventEnvelope, DeadLetterReason, string, string][] = [
      [invalid!, 'schema-invalid', '1', 'unexpected property "extra"'],
      [exhausted!, 'retries-exhausted', '3', 'cannot handle mix-4'],
      [rejected!, 'rejected', '1', 'widget rules say no'],
    ];
    for (const [sent, reason, attempts, error] of expected) {
      const origin = delivered(nameOf(sent as unknown as ReceivedEvent))[0]!;
      const letter = dlt.find((d) => d.id === sent.id)!;
      expect(letter.headers).toMatchObject({
        'dlt-reason': reason,
        'dlt-attempts': attempts,
        'dlt-origin-topic': topic,
        'dlt-origin-partition': String(origin.partition),
        'dlt-origin-offset': origin.offset,
        'dlt-consumer-group': service,
      });
      expect(letter.headers?.['dlt-error']).toContain(error);
      expect(letter).toMatchObject({ type: sent.type, source: sent.source, subject: 'w-mix', data: sent.data });
    }
    // Dead letters leave no processed mark, so a replay after the fix is handled.
    expect(await marks([invalid!.id, exhausted!.id, rejected!.id])).toBe(0);
    expect(await marks(events.filter((_, i) => [0, 2, 4, 6].includes(i)).map((e) => e.id))).toBe(4);
  }, 90_000);

  it('changes nothing twice when a whole batch is delivered again (and when an id repeats inside a batch)', async () => {
    const events = Array.from({ length: 5 }, (_, i) => envelope(topic, 'w-again', { name: `again-${i}`, mode: 'ok' }, { type: WidgetCreated.type }));
    await probe.publish(events);
    await waitFor(() => seen.some((s) => s.name === 'again-4'), 60_000, 'first delivery');
    // The same records again (as after a crash between the database commit and the offset
    // commit), each twice, then a marker behind them on the same key.
    const marker = envelope(topic, 'w-again', { name: 'again-marker', mode: 'ok' }, { type: WidgetCreated.type });
    await probe.publish([...events, ...events, marker]);
    await waitFor(() => seen.some((s) => s.name === 'again-marker'), 60_000, 'marker');
    const names = events.map((_, i) => `again-${i}`);
    expect(batches.filter((batch) => names.every((name) => batch.filter((e) => nameOf(e) === name).length === 2))).toHaveLength(1);
    for (const name of names) {
      expect(seen.filter((s) => s.name === name)).toHaveLength(1);
      expect(await widgets(name)).toBe(1);
    }
    expect(await marks(events.map((e) => e.id))).toBe(5);
  }, 90_000);

  it('commits a batch\'s offsets only after its database transaction committed', async () => {
    const opened = closeGate();
    const events = (['ok', 'block', 'ok'] as const).map((mode, i) =>
      envelope(topic, 'w-gate', { name: `gate-${i}`, mode }, { type: WidgetCreated.type }),
    );
    await probe.publish(events);
    try {
      await waitFor(() => opened.reached, 60_000, 'the blocking handler');
      const first = delivered('gate-0')[0]!;
      expect(metInOneBatch(['gate-0', 'gate-1', 'gate-2'])).toBe(true);
      // gate-0 was handled, but its transaction (the batch's) is still open: neither its rows nor
      // its offset may be visible yet.
      expect(seen.some((s) => s.name === 'gate-0')).toBe(true);
      expect(await committedOffset(first.partition)).toBeLessThanOrEqual(Number(first.offset));
      expect(await marks(events.map((e) => e.id))).toBe(0);
      expect(await widgets('gate-0')).toBe(0);
    } finally {
      // Also on failure: a handler left waiting would hold the app's shutdown forever.
      opened.release();
    }
    await waitFor(() => seen.some((s) => s.name === 'gate-2'), 60_000, 'the rest of the batch');
    const last = delivered('gate-2')[0]!;
    let committed = -1;
    for (const deadline = Date.now() + 30_000; committed <= Number(last.offset) && Date.now() < deadline; ) {
      committed = await committedOffset(last.partition);
      if (committed <= Number(last.offset)) await new Promise((resolve) => setTimeout(resolve, 100));
    }
    expect(committed).toBe(Number(last.offset) + 1);
    expect(await marks(events.map((e) => e.id))).toBe(3);
    expect(await handledOrder('gate-%')).toEqual(['gate-0', 'gate-1', 'gate-2']);
  }, 90_000);

  it('when the batch transaction itself fails to commit, handles its messages one by one: the culprit is dead-lettered, the others commit once, in order', async () => {
    const events = (['ok', 'commit-fail', 'ok'] as const).map((mode, i) =>
      envelope(topic, 'w-commit', { name: `commit-${i}`, mode }, { type: WidgetCreated.type }),
    );
    await probe.publish(events);
    await waitFor(() => dlt.some((d) => d.id === events[1]!.id), 60_000, 'the dead letter');
    await waitFor(() => seen.filter((s) => s.name === 'commit-2').length >= 2, 60_000, 'the message after it');
    expect(metInOneBatch(['commit-0', 'commit-1', 'commit-2'])).toBe(true);
    expect(dlt.find((d) => d.id === events[1]!.id)!.headers).toMatchObject({ 'dlt-reason': 'retries-exhausted', 'dlt-attempts': '3' });
    expect(dlt.find((d) => d.id === events[1]!.id)!.headers?.['dlt-error']).toContain('foreign key');
    let order: string[] = [];
    for (const deadline = Date.now() + 30_000; order.length < 2 && Date.now() < deadline; ) {
      order = await handledOrder('commit-%');
      if (order.length < 2) await new Promise((resolve) => setTimeout(resolve, 100));
    }
    expect(order).toEqual(['commit-0', 'commit-2']);
    // The batch whose COMMIT failed applied none of its effects; each message's own commit did, once.
    expect(applied.filter((a) => a.startsWith('commit-')).map((a) => a.split('#')[0])).toEqual(['commit-0', 'commit-2']);
    expect(await marks([events[0]!.id, events[2]!.id])).toBe(2);
    expect(await marks([events[1]!.id])).toBe(0);
  }, 90_000);
  it('while a message waits for its retry, only its partition waits: the other partitions go on', async () => {
    const holdTopic = uniqueTopic('hold');
    const Gadget = defineEvent<{ name: string }>({
      type: 'ir.darvazeh.test.gadget.made.v1',
      topic: holdTopic,
      schema: { type: 'object', required: ['name'], properties: { name: { type: 'string' } } },
    });
    const log: { name: string; attempt: number; partition: number }[] = [];
    // A long backoff, so "the others were handled before the retry" is an order, not a race.
    const server = new EventBusServer(probe, app.get(TransactionRunner), new ContractCatalog([Gadget]), {
      service: `${service}-hold`,
      partitions: 2,
      retry: { maxAttempts: 3, initialDelayMs: 3000, maxDelayMs: 3000 },
    });
    server.addHandler(
      Gadget.type,
      async (data: { name: string }, ctx: EventContext) => {
        log.push({ name: data.name, attempt: ctx.attempt, partition: ctx.event.partition });
        if (data.name === 'held' && ctx.attempt === 1) throw new Error('transient');
      },
      true,
    );
    await new Promise<void>((resolve, reject) => server.listen((error?: unknown) => (error ? reject(error) : resolve())));
    try {
      await probe.publish([envelope(holdTopic, 'k-held', { name: 'held' }, { type: Gadget.type })]);
      await waitFor(() => log.some((l) => l.name === 'held'), 60_000, 'the first attempt');
      const heldPartition = log.find((l) => l.name === 'held')!.partition;
      const others = Array.from({ length: 8 }, (_, i) => envelope(holdTopic, `k-other-${i}`, { name: `other-${i}` }, { type: Gadget.type }));
      await probe.publish(others);
      await waitFor(
        () => log.some((l) => l.name === 'held' && l.attempt === 2) && log.filter((l) => l.name.startsWith('other-')).length === 8,
        60_000,
        'the retry and the others',
      );
      const retryAt = log.findIndex((l) => l.name === 'held' && l.attempt === 2);
      const elsewhere = log.map((l, i) => ({ ...l, i })).filter((l) => l.name.startsWith('other-') && l.partition !== heldPartition);
      const behind = log.map((l, i) => ({ ...l, i })).filter((l) => l.name.startsWith('other-') && l.partition === heldPartition);
      expect(elsewhere.length).toBeGreaterThan(0);
      expect(elsewhere.every((l) => l.i < retryAt)).toBe(true);
      // Its own partition did wait: what was published behind it came after its retry.
      expect(behind.every((l) => l.i > retryAt)).toBe(true);
      expect(log.filter((l) => l.name.startsWith('other-')).every((l) => l.attempt === 1)).toBe(true);
    } finally {
      await server.close();
    }
  }, 90_000);
  it('exposes dead letters, consumed outcomes, failed attempts and consumer lag as metrics', async () => {
    const text = await app.get(MessagingMetrics).registry.metrics();
    const value = (pattern: RegExp) => Number(pattern.exec(text)?.[1] ?? NaN);
    const labels = `group="${service}",topic="${topic}"`;
    // The tests above dead-lettered two schema-invalid payloads, one unknown type, two rule violations.
    expect(value(new RegExp(`^dead_letters_total\\{${labels},reason="schema-invalid"\\} (\\d+)$`, 'm'))).toBe(2);
    expect(value(new RegExp(`^dead_letters_total\\{${labels},reason="unknown-type"\\} (\\d+)$`, 'm'))).toBe(1);
    expect(value(new RegExp(`^dead_letters_total\\{${labels},reason="rejected"\\} (\\d+)$`, 'm'))).toBe(2);
    expect(value(new RegExp(`^events_consumed_total\\{group="${service}",type="${WidgetCreated.type}",outcome="handled"\\} (\\d+)$`, 'm'))).toBeGreaterThan(10);
    expect(value(new RegExp(`^events_consumed_total\\{group="${service}",type="${WidgetCreated.type}",outcome="duplicate"\\} (\\d+)$`, 'm'))).toBeGreaterThanOrEqual(6);
    expect(value(new RegExp(`^event_handler_failures_total\\{group="${service}",type="${WidgetCreated.type}"\\} (\\d+)$`, 'm'))).toBeGreaterThan(0);
    // Everything was consumed: the lag last seen on each partition is 0.
    const lags = [...text.matchAll(new RegExp(`^consumer_lag\\{group="${service}",topic="${topic}",partition="(\\d+)"\\} (\\d+)$`, 'gm'))];
    expect(lags.length).toBeGreaterThan(0);
    expect(lags.every((m) => m[2] === '0')).toBe(true);
  });
});
