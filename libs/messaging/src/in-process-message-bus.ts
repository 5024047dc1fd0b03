import { setTimeout as sleep } from 'node:timers/promises';
import { fromWire, toWire, type WireMessage } from './cloud-events.js';
import type { EventEnvelope } from './event-envelope.js';
import {
  MessageBus,
  RedeliverAfter,
  type Subscription,
  type SubscriptionOptions,
  type TopicSpec,
} from './message-bus.port.js';

interface StoredRecord extends WireMessage {
  offset: number;
}

class Topic {
  readonly partitions: StoredRecord[][];
  constructor(readonly name: string, partitionCount: number) {
    this.partitions = Array.from({ length: partitionCount }, () => []);
  }
}

interface Member {
  options: SubscriptionOptions;
  closed: boolean;
  /** Deliveries in flight: close() waits for them, as Kafka's disconnect does. */
  busy: number;
}

/** A consumer group: committed offsets survive its members, as on Kafka. */
class Group {
  readonly committed = new Map<string, number>();
  readonly members: Member[] = [];
  readonly workers = new Map<string, Promise<void>>();
}

export interface InProcessBusOptions {
  /** Delay before redelivering a message whose handler rejected (default 200 ms). */
  redeliveryDelayMs?: number;
}

/**
 * The embedded-mode bus, with the Kafka adapter's semantics so code behaves the same in both
 * modes: a topic is a set of partitions (key hash picks one, so order per key holds), every
 * consumer group gets every message, a group's members share the partitions, an offset is
 * committed only after the handler resolves (at least once: a rejected message is redelivered,
 * holding its partition), committed offsets outlive the subscriptions, and topics must be
 * provisioned before use. Records are stored
 * in wire form (headers + JSON) so handlers never share objects with the publisher.
 */
export class InProcessMessageBus extends MessageBus {
  private static sharedInstance: InProcessMessageBus | undefined;

  /** The one bus all apps of the embedded process share. */
  static shared(): InProcessMessageBus {
    InProcessMessageBus.sharedInstance ??= new InProcessMessageBus();
    return InProcessMessageBus.sharedInstance;
  }

  private readonly topics = new Map<string, Topic>();
  private readonly groups = new Map<string, Group>();
  private readonly waiters = new Set<() => void>();
  private readonly redeliveryDelayMs: number;
  private closed = false;

  constructor(options: InProcessBusOptions = {}) {
    super();
    this.redeliveryDelayMs = options.redeliveryDelayMs ?? 200;
  }

  override async publish(events: EventEnvelope[]): Promise<void> {
    if (this.closed) throw new Error('message bus is closed');
    const topics = events.map((envelope) => this.existingTopic(envelope.topic));
    for (const [index, envelope] of events.entries()) {
      const topic = topics[index]!;
      const wire = toWire(envelope);
      const partition = topic.partitions[partitionFor(wire.key, topic.partitions.length)]!;
      partition.push({ ...wire, offset: partition.length });
    }
    this.wake();
  }

  override async subscribe(options: SubscriptionOptions): Promise<Subscription> {
    if (this.closed) throw new Error('message bus is closed');
    let group = this.groups.get(options.groupId);
    if (!group) {
      group = new Group();
      this.groups.set(options.groupId, group);
    }
    const member: Member = { options, closed: false, busy: 0 };
    group.members.push(member);
    const topics = options.topics.map((name) => this.existingTopic(name));
    for (const topic of topics) {
      const name = topic.name;
      topic.partitions.forEach((_records, partition) => {
        const key = `${name}/${partition}`;
        if (!group.committed.has(key)) {
          const fromBeginning = options.fromBeginning ?? true;
          group.committed.set(key, fromBeginning ? 0 : topic.partitions[partition]!.length);
        }
        if (!group.workers.has(key)) {
          const worker = this.runPartition(group, topic, partition).finally(() => group.workers.delete(key));
          group.workers.set(key, worker);
        }
      });
    }
    return {
      close: async () => {
        member.closed = true;
        const index = group.members.indexOf(member);
        if (index >= 0) group.members.splice(index, 1);
        this.wake();
        while (member.busy > 0) await sleep(5);
      },
    };
  }

  override async ensureTopics(topics: TopicSpec[]): Promise<void> {
    for (const spec of topics) {
      this.topic(spec.name, spec.partitions);
      this.topic(`${spec.name}.dlt`, spec.partitions);
    }
  }

  override async isHealthy(): Promise<boolean> {
    return !this.closed;
  }

  override async close(): Promise<void> {
    this.closed = true;
    this.wake();
    await Promise.all([...this.groups.values()].flatMap((group) => [...group.workers.values()]));
    if (InProcessMessageBus.sharedInstance === this) InProcessMessageBus.sharedInstance = undefined;
  }

  /** Messages on a topic (all partitions); for tests and the DLT tooling. */
  depth(topicName: string): number {
    return this.topics.get(topicName)?.partitions.reduce((sum, records) => sum + records.length, 0) ?? 0;
  }

  private topic(name: string, partitions: number): Topic {
    let topic = this.topics.get(name);
    if (!topic) {
      topic = new Topic(name, partitions);
      this.topics.set(name, topic);
    }
    return topic;
  }

  /** Like the Kafka broker we run (auto.create.topics.enable=false), topics must be provisioned. */
  private existingTopic(name: string): Topic {
    const topic = this.topics.get(name);
    if (!topic) throw new Error(`unknown topic ${name}: provision it with ensureTopics first`);
    return topic;
  }

  /** True once the topic is provisioned. */
  hasTopic(name: string): boolean {
    return this.topics.has(name);
  }

  /** One worker per (group, topic, partition): strictly sequential, so order per key holds. */
  private async runPartition(group: Group, topic: Topic, partition: number): Promise<void> {
    const key = `${topic.name}/${partition}`;
    const records = topic.partitions[partition]!;
    // Delivery attempts of the record at the committed offset (redelivered after a rejection).
    let attempt = 1;
    while (!this.closed) {
      const owner = this.ownerOf(group, topic.name, partition);
      if (!owner) return; // no member reads this topic any more; a later subscribe restarts us
      const offset = group.committed.get(key)!;
      if (offset >= records.length) {
        await this.nextChange();
        continue;
      }
      const { options } = owner;
      // Like a Kafka fetch: everything available up to the batch limit (1 without handleBatch).
      const end = options.handleBatch ? Math.min(records.length, offset + Math.max(1, options.maxBatchSize ?? 100)) : offset + 1;
      const events = records.slice(offset, end).map((record, i) =>
        fromWire({
          topic: topic.name,
          partition,
          offset: String(record.offset),
          key: record.key,
          value: record.value,
          headers: { ...record.headers },
          attempt: i === 0 ? attempt : 1,
        }),
      );
      owner.busy += 1;
      try {
        options.onLag?.(topic.name, partition, records.length - offset - 1);
        if (options.handleBatch) {
          await options.handleBatch(events, (event) => {
            const next = Number(event.offset) + 1;
            if (next > group.committed.get(key)!) {
              group.committed.set(key, next);
              attempt = 1;
            }
          });
        } else {
          await options.handle(events[0]!);
        }
        group.committed.set(key, end);
        attempt = 1;
      } catch (error) {
        attempt += 1;
        // Only this partition's worker waits: the others go on, as with a paused Kafka partition.
        await sleep(error instanceof RedeliverAfter ? error.delayMs : this.redeliveryDelayMs);
      } finally {
        owner.busy -= 1;
      }
    }
  }

  private ownerOf(group: Group, topic: string, partition: number): Member | undefined {
    const readers = group.members.filter((member) => !member.closed && member.options.topics.includes(topic));
    return readers.length === 0 ? undefined : readers[partition % readers.length];
  }

  private nextChange(): Promise<void> {
    return new Promise((resolve) => {
      const waiter = () => {
        this.waiters.delete(waiter);
        resolve();
      };
      this.waiters.add(waiter);
    });
  }

  private wake(): void {
    for (const waiter of [...this.waiters]) waiter();
  }
}

/** FNV-1a: stable across processes, so a key always lands on the same partition. */
export function partitionFor(key: string, partitions: number): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < key.length; i++) {
    hash ^= key.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return (hash >>> 0) % partitions;
}
