import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import type { DataSource } from 'typeorm';
import { ContractCatalog, defineEvent } from '@darvazeh/contracts';
import { TypeOrmTransactionRunner, createDataSource, runMigrations } from '@darvazeh/database';
import { TraceContext } from '@darvazeh/observability';
import type { ReceivedEvent } from '../event-envelope.js';
import { KafkaMessageBus } from '../kafka-message-bus.js';
import { messagingMigrations } from '../messaging.migrations.js';
import { MessagingMetrics } from '../messaging.metrics.js';
import { OutboxRelay } from './outbox-relay.js';
import { InvalidEventPayloadError, OutboxWriter } from './outbox-writer.js';
import { uniqueTopic, waitFor } from '../../test/message-bus.contract.js';
import { createTestDatabase, testKafkaBrokerList } from '@darvazeh/testing';

const topic = uniqueTopic('outbox');
const OrderPlaced = defineEvent<{ orderId: string }>({
  type: 'ir.darvazeh.test.order.placed.v1',
  topic,
  schema: { type: 'object', required: ['orderId'], additionalProperties: false, properties: { orderId: { type: 'string' } } },
});

describe('transactional outbox on Postgres and Kafka', () => {
  let db: { url: string; drop(): Promise<void> };
  let dataSource: DataSource;
  let bus: KafkaMessageBus;
  let transactions: TypeOrmTransactionRunner;
  const writer = new OutboxWriter(new ContractCatalog([OrderPlaced]), '/darvazeh/orders');
  const received: ReceivedEvent[] = [];
  const relays: OutboxRelay[] = [];

  beforeAll(async () => {
    db = await createTestDatabase('outbox');
    dataSource = createDataSource({ url: db.url, migrations: [...messagingMigrations] });
    await runMigrations(dataSource);
    transactions = new TypeOrmTransactionRunner(dataSource);
    bus = new KafkaMessageBus({ brokers: testKafkaBrokerList(), clientId: 'outbox-test' });
    await bus.ensureTopics([{ name: topic, partitions: 3, replicationFactor: 1 }]);
    await bus.subscribe({ groupId: `reader-${randomUUID()}`, topics: [topic], handle: async (e) => void received.push(e) });
  }, 120_000);

  afterAll(async () => {
    await Promise.all(relays.map((r) => r.stop()));
    await bus?.close();
    await dataSource?.destroy();
    await db?.drop();
  }, 60_000);

  function startRelay(): OutboxRelay {
    const relay = new OutboxRelay(dataSource, bus, { batchSize: 100, pollMs: 100, standbyRetryMs: 100 });
    relays.push(relay);
    relay.start();
    return relay;
  }

  it('publishes an event whose transaction committed, with CloudEvents attributes and the trace', async () => {
    startRelay();
    const traceparent = '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01';
    const [id] = await TraceContext.run(traceparent, () =>
      transactions.run((manager) => writer.append(manager, [{ type: OrderPlaced.type, subject: 'order-1', data: { orderId: 'order-1' } }])),
    );
    await waitFor(() => received.some((e) => e.id === id), 30_000, 'published event');
    const event = received.find((e) => e.id === id)!;
    expect(event).toMatchObject({ type: OrderPlaced.type, source: '/darvazeh/orders', subject: 'order-1', key: 'order-1', data: { orderId: 'order-1' } });
    expect(event.id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-7/); // UUIDv7
    expect(event.traceparent).toMatch(/^00-4bf92f3577b34da6a3ce929d0e0e4736-[0-9a-f]{16}-01$/);
    // The relay deletes the row in the transaction it commits after the broker acknowledged, so a
    // fast consumer may see the event a moment before the row is gone.
    let backlog = await relays[0]!.backlog();
    for (const deadline = Date.now() + 10_000; backlog > 0 && Date.now() < deadline; backlog = await relays[0]!.backlog()) {
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    expect(backlog).toBe(0);
  }, 60_000);

  it('never publishes an event whose transaction rolled back', async () => {
    let doomedId = '';
    await expect(
      transactions.run(async (manager) => {
        [doomedId] = await writer.append(manager, [{ type: OrderPlaced.type, subject: 'order-2', data: { orderId: 'rolled-back' } }]);
        throw new Error('use case failed after writing the outbox');
      }),
    ).rejects.toThrow('use case failed');
    const [markerId] = await transactions.run((manager) =>
      writer.append(manager, [{ type: OrderPlaced.type, subject: 'order-2', data: { orderId: 'marker' } }]),
    );
    await waitFor(() => received.some((e) => e.id === markerId), 30_000, 'marker after the rollback');
    expect(received.some((e) => e.id === doomedId)).toBe(false);
    expect(received.some((e) => (e.data as { orderId: string }).orderId === 'rolled-back')).toBe(false);
  }, 60_000);

  it('publishes an event committed by a process that was SIGKILLed before relaying it', async () => {
    await Promise.all(relays.splice(0).map((r) => r.stop()));
    const eventId = randomUUID();
    const script = fileURLToPath(new URL('../../test/commit-then-die.mjs', import.meta.url));
    const signal = await new Promise<NodeJS.Signals | null>((resolve, reject) => {
      const child = spawn(process.execPath, [script, db.url, eventId, topic], { stdio: 'inherit' });
      child.on('error', reject);
      child.on('exit', (_code, sig) => resolve(sig));
    });
    expect(signal).toBe('SIGKILL');
    expect(received.some((e) => e.id === eventId)).toBe(false);
    expect(await new OutboxRelay(dataSource, bus).backlog()).toBe(1);
    startRelay(); // a fresh relay, as after the service restarts
    await waitFor(() => received.some((e) => e.id === eventId), 30_000, 'the orphaned event');
    expect(received.find((e) => e.id === eventId)!.data).toEqual({ orderId: 'crash-1' });
  }, 60_000);

  it('keeps per-key order with two relay instances: one is active, the other stands by', async () => {
    await Promise.all(relays.splice(0).map((r) => r.stop()));
    const a = startRelay();
    const b = startRelay();
    const count = 300;
    const ids: string[] = [];
    for (let i = 0; i < count; i += 30) {
      const batch = await transactions.run((manager) =>
        writer.append(
          manager,
          Array.from({ length: 30 }, (_, j) => ({ type: OrderPlaced.type, subject: `k${(i + j) % 3}`, data: { orderId: `seq-${i + j}` } })),
        ),
      );
      ids.push(...batch);
    }
    await waitFor(() => ids.every((id) => received.some((e) => e.id === id)), 60_000, 'all events');
    expect([a.isActive(), b.isActive()].filter(Boolean)).toHaveLength(1);
    for (const key of ['k0', 'k1', 'k2']) {
      const seqs = received
        .filter((e) => e.subject === key && ids.includes(e.id))
        .map((e) => Number((e.data as { orderId: string }).orderId.slice(4)));
      expect(seqs).toEqual([...seqs].sort((x, y) => x - y));
    }
  }, 90_000);

  it('refuses a payload that breaks its contract, failing the use case transaction', async () => {
    await expect(
      transactions.run((manager) => writer.append(manager, [{ type: OrderPlaced.type, subject: 'x', data: { orderId: 7 } }])),
    ).rejects.toThrow(InvalidEventPayloadError);
  });

  it('exposes the backlog as a gauge in the service registry', async () => {
    const metrics = new MessagingMetrics();
    const relay = new OutboxRelay(dataSource, bus, {}, metrics);
    await Promise.all(relays.splice(0).map((r) => r.stop()));
    await transactions.run((manager) =>
      writer.append(manager, [{ type: OrderPlaced.type, subject: 'b', data: { orderId: 'b1' } }, { type: OrderPlaced.type, subject: 'b', data: { orderId: 'b2' } }]),
    );
    expect(await metrics.registry.metrics()).toMatch(/^outbox_backlog 2$/m);
    expect(await relay.relayOnce()).toBe(2);
    expect(await metrics.registry.metrics()).toMatch(/^outbox_backlog 0$/m);
  }, 60_000);
  it('render: rows inserted by the caller\'s own statement only for the rows its gate CTE wrote; written() wakes listeners', async () => {
    await dataSource.query('CREATE TABLE IF NOT EXISTS render_orders (id text PRIMARY KEY, version int NOT NULL)');
    await dataSource.query(`INSERT INTO render_orders VALUES ('o-1', 1)`);
    const rows = writer.render([{ type: OrderPlaced.type, subject: 'o-1', data: { orderId: 'o-1' } }]);
    const statement = (version: number) =>
      dataSource.query(`WITH w AS (UPDATE render_orders SET version = version + 1 WHERE id = 'o-1' AND version = $1 RETURNING id), e AS (${rows.sql(1, 'w')}) SELECT count(*)::int AS n FROM w`, [version, ...rows.params]);
    expect((await statement(7))[0].n).toBe(0); // stale version: no state, no event
    expect((await dataSource.query('SELECT count(*)::int AS n FROM outbox WHERE event_id = $1', [rows.ids[0]]))[0].n).toBe(0);
    expect((await statement(1))[0].n).toBe(1);
    // Committed with the state: in the outbox, or already relayed to Kafka by a relay of an earlier test.
    const [row] = await dataSource.query('SELECT topic, key, type FROM outbox WHERE event_id = $1', [rows.ids[0]]);
    if (row) expect(row).toEqual({ topic, key: 'o-1', type: OrderPlaced.type });
    else await waitFor(() => received.some((e) => e.id === rows.ids[0]));
    let woken = 0;
    const off = writer.onWritten(() => woken++);
    writer.written();
    off();
    writer.written();
    expect(woken).toBe(1);
    expect(() => writer.render([{ type: OrderPlaced.type, subject: 'x', data: { wrong: 1 } as never }])).toThrow(InvalidEventPayloadError);
  });
});
