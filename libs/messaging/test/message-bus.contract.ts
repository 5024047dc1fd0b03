// The one behavioural contract of MessageBus, run against every adapter (in-process in a
// *.spec.ts, Kafka in a *.int-spec.ts against a real broker). Not a test file itself.
import { afterEach, describe, expect, it } from '@jest/globals';
import { randomUUID } from 'node:crypto';
import { RedeliverAfter, type EventEnvelope, type MessageBus, type ReceivedEvent, type Subscription } from '@darvazeh/messaging';

export interface BusUnderTest {
  bus: MessageBus;
  hasTopic(name: string): Promise<boolean>;
}

export function uniqueTopic(label: string): string {
  return `test.${label}.${randomUUID().slice(0, 8)}`;
}

export function envelope(topic: string, subject: string, data: unknown, extra: Partial<EventEnvelope> = {}): EventEnvelope {
  return {
    specversion: '1.0',
    id: randomUUID(),
    type: 'ir.darvazeh.test.thing.happened.v1',
    source: '/darvazeh/test',
    subject,
    time: new Date().toISOString(),
    topic,
    data,
    ...extra,
  };
}

export async function waitFor(condition: () => boolean | Promise<boolean>, timeoutMs = 30_000, what = 'condition'): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

export function messageBusContract(name: string, create: () => Promise<BusUnderTest>, timeoutMs = 60_000): void {
  describe(`MessageBus contract: ${name}`, () => {
    const open: Subscription[] = [];
    const buses: MessageBus[] = [];

    async function setup(partitions = 3): Promise<BusUnderTest & { topic: string }> {
      const under = await create();
      buses.push(under.bus);
      const topic = uniqueTopic(name.replace(/[^a-z]/gi, '').toLowerCase());
      await under.bus.ensureTopics([{ name: topic, partitions, replicationFactor: 1 }]);
      return { ...under, topic };
    }

    async function subscribe(bus: MessageBus, groupId: string, topics: string[], handle: (e: ReceivedEvent) => Promise<void>, fromBeginning = true) {
      const subscription = await bus.subscribe({ groupId, topics, fromBeginning, handle });
      open.push(subscription);
      return subscription;
    }

    afterEach(async () => {
      await Promise.allSettled(open.splice(0).map((s) => s.close()));
      await Promise.allSettled(buses.splice(0).map((b) => b.close()));
    });

    it('provisions topics and their dead-letter topics, idempotently', async () => {
      const { bus, topic, hasTopic } = await setup();
      await bus.ensureTopics([{ name: topic, partitions: 3, replicationFactor: 1 }]);
      expect(await hasTopic(topic)).toBe(true);
      expect(await hasTopic(`${topic}.dlt`)).toBe(true);
      expect(await bus.isHealthy()).toBe(true);
    }, timeoutMs);

    it('delivers the CloudEvents envelope, data, traceparent and extra headers intact', async () => {
      const { bus, topic } = await setup();
      const received: ReceivedEvent[] = [];
      await subscribe(bus, `g-${randomUUID()}`, [topic], async (e) => void received.push(e));
      const sent = envelope(topic, 'device-42', { imei: '490154203237518', nested: { n: 1, list: ['a'] } }, {
        traceparent: '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01',
        headers: { 'x-extra': 'kept' },
      });
      await bus.publish([sent]);
      await waitFor(() => received.length === 1, timeoutMs, 'delivery');
      const got = received[0]!;
      expect(got).toMatchObject({
        specversion: '1.0',
        id: sent.id,
        type: sent.type,
        source: sent.source,
        subject: 'device-42',
        time: sent.time,
        topic,
        data: sent.data,
        traceparent: sent.traceparent,
        key: 'device-42',
        attempt: 1,
      });
      expect(got.headers).toMatchObject({ 'x-extra': 'kept' });
      expect(got.malformed).toBeUndefined();
      expect(typeof got.partition).toBe('number');
      expect(got.offset).toMatch(/^\d+$/);
    }, timeoutMs);

    it('keeps the order of events with the same key across a multi-partition topic', async () => {
      const { bus, topic } = await setup(3);
      const seen = new Map<string, number[]>();
      let total = 0;
      await subscribe(bus, `g-${randomUUID()}`, [topic], async (e) => {
        const { key, seq } = e.data as { key: string; seq: number };
        seen.set(key, [...(seen.get(key) ?? []), seq]);
        total++;
      });
      const keys = ['a', 'b', 'c', 'd', 'e'];
      for (let batch = 0; batch < 4; batch++) {
        const events = [];
        for (let i = 0; i < 10; i++) for (const key of keys) events.push(envelope(topic, key, { key, seq: batch * 10 + i }));
        await bus.publish(events);
      }
      await waitFor(() => total === 200, timeoutMs, '200 deliveries');
      for (const key of keys) expect(seen.get(key)).toEqual(Array.from({ length: 40 }, (_, i) => i));
    }, timeoutMs);

    it('gives every consumer group every message', async () => {
      const { bus, topic } = await setup();
      const a: string[] = [];
      const b: string[] = [];
      await subscribe(bus, `a-${randomUUID()}`, [topic], async (e) => void a.push(e.id));
      await subscribe(bus, `b-${randomUUID()}`, [topic], async (e) => void b.push(e.id));
      const events = Array.from({ length: 12 }, (_, i) => envelope(topic, `k${i}`, { i }));
      await bus.publish(events);
      await waitFor(() => a.length >= 12 && b.length >= 12, timeoutMs, 'both groups');
      expect(new Set(a)).toEqual(new Set(events.map((e) => e.id)));
      expect(new Set(b)).toEqual(new Set(events.map((e) => e.id)));
    }, timeoutMs);

    it('redelivers a message whose handler rejected, before any later message of its partition', async () => {
      const { bus, topic } = await setup(1);
      const handled: { seq: number; attempt: number }[] = [];
      let failedOnce = false;
      await subscribe(bus, `g-${randomUUID()}`, [topic], async (e) => {
        const { seq } = e.data as { seq: number };
        if (seq === 1 && !failedOnce) {
          failedOnce = true;
          throw new Error('transient');
        }
        handled.push({ seq, attempt: e.attempt });
      });
      await bus.publish([0, 1, 2].map((seq) => envelope(topic, 'same-key', { seq })));
      await waitFor(() => handled.length === 3, timeoutMs, 'redelivery');
      expect(handled.map((h) => h.seq)).toEqual([0, 1, 2]);
      expect(handled[1]!.attempt).toBe(2);
    }, timeoutMs);

    it('hands handleBatch consecutive messages of a partition in order, and after a rejection resumes at the first message not marked done', async () => {
      const { bus, topic } = await setup(1);
      const calls: number[][] = [];
      const done: number[] = [];
      let failed = false;
      const subscription = await bus.subscribe({
        groupId: `g-${randomUUID()}`,
        topics: [topic],
        maxBatchSize: 4,
        handle: async () => {
          throw new Error('handle must not be called when handleBatch is given');
        },
        handleBatch: async (events, commitUpTo) => {
          calls.push(events.map((e) => (e.data as { seq: number }).seq));
          for (const e of events) {
            const { seq } = e.data as { seq: number };
            if (seq === 5 && !failed) {
              failed = true;
              throw new Error('transient');
            }
            done.push(seq);
            commitUpTo(e);
          }
        },
      });
      open.push(subscription);
      await bus.publish(Array.from({ length: 10 }, (_, seq) => envelope(topic, 'same-key', { seq })));
      await waitFor(() => done.length >= 10, timeoutMs, '10 handled');
      await new Promise((resolve) => setTimeout(resolve, 300));
      expect(done).toEqual(Array.from({ length: 10 }, (_, i) => i));
      expect(calls.every((c) => c.length >= 1 && c.length <= 4)).toBe(true);
      for (const c of calls) expect(c).toEqual([...c].sort((x, y) => x - y));
      const failedCall = calls.findIndex((c) => c.includes(5));
      expect(calls[failedCall + 1]![0]).toBe(5);
    }, timeoutMs);

    it('on a RedeliverAfter rejection holds only that partition, then redelivers from the first message not done with attempt + 1', async () => {
      const { bus, topic } = await setup(2);
      const log: { name: string; attempt: number; partition: number }[] = [];
      const subscription = await bus.subscribe({
        groupId: `g-${randomUUID()}`,
        topics: [topic],
        handle: async () => {
          throw new Error('handle must not be called when handleBatch is given');
        },
        handleBatch: async (events, commitUpTo) => {
          for (const e of events) {
            const { name } = e.data as { name: string };
            log.push({ name, attempt: e.attempt, partition: e.partition });
            // A long delay, so "the others came before the redelivery" is an order, not a race.
            if (name === 'held' && e.attempt === 1) throw new RedeliverAfter(2000);
            commitUpTo(e);
          }
        },
      });
      open.push(subscription);
      await bus.publish([envelope(topic, 'k-held', { name: 'held' })]);
      await waitFor(() => log.some((l) => l.name === 'held'), timeoutMs, 'the first delivery');
      await bus.publish(Array.from({ length: 8 }, (_, i) => envelope(topic, `k-${i}`, { name: `other-${i}` })));
      await waitFor(
        () => log.some((l) => l.name === 'held' && l.attempt === 2) && new Set(log.filter((l) => l.name !== 'held').map((l) => l.name)).size === 8,
        timeoutMs,
        'the redelivery and the others',
      );
      const heldPartition = log.find((l) => l.name === 'held')!.partition;
      const retryAt = log.findIndex((l) => l.name === 'held' && l.attempt === 2);
      const others = log.map((l, i) => ({ ...l, i })).filter((l) => l.name !== 'held');
      expect(others.some((l) => l.partition !== heldPartition)).toBe(true);
      expect(others.filter((l) => l.partition !== heldPartition).every((l) => l.i < retryAt)).toBe(true);
      expect(others.filter((l) => l.partition === heldPartition).every((l) => l.i > retryAt)).toBe(true);
      expect(others.every((l) => l.attempt === 1)).toBe(true);
    }, timeoutMs);

    it('resumes a consumer group from its committed offset after the subscription closed', async () => {
      const { bus, topic } = await setup(1);
      const group = `g-${randomUUID()}`;
      const first: number[] = [];
      const s1 = await subscribe(bus, group, [topic], async (e) => void first.push((e.data as { n: number }).n));
      await bus.publish([1, 2, 3].map((n) => envelope(topic, 'k', { n })));
      await waitFor(() => first.length === 3, timeoutMs, 'first three');
      await s1.close();
      await bus.publish([4, 5].map((n) => envelope(topic, 'k', { n })));
      const second: number[] = [];
      await subscribe(bus, group, [topic], async (e) => void second.push((e.data as { n: number }).n));
      await waitFor(() => second.length >= 2, timeoutMs, 'the two new ones');
      await new Promise((resolve) => setTimeout(resolve, 300));
      expect(second).toEqual([4, 5]);
    }, timeoutMs);

    it('starts a new group at the end of the log when fromBeginning is false', async () => {
      const { bus, topic } = await setup(1);
      await bus.publish([envelope(topic, 'k', { n: 'old' })]);
      const got: unknown[] = [];
      await subscribe(bus, `g-${randomUUID()}`, [topic], async (e) => void got.push(e.data), false);
      await bus.publish([envelope(topic, 'k', { n: 'new' })]);
      await waitFor(() => got.length >= 1, timeoutMs, 'the new message');
      await new Promise((resolve) => setTimeout(resolve, 300));
      expect(got).toEqual([{ n: 'new' }]);
    }, timeoutMs);

    it('refuses to publish to a topic that was never provisioned', async () => {
      const { bus } = await setup();
      await expect(bus.publish([envelope(uniqueTopic('missing'), 'k', {})])).rejects.toThrow();
    }, timeoutMs);
  });
}
