import type { EventEnvelope, ReceivedEvent } from './event-envelope.js';

export interface TopicSpec {
  name: string;
  partitions: number;
  replicationFactor: number;
}

export interface SubscriptionOptions {
  /** Consumer group id: every group receives every message once (at least once). */
  groupId: string;
  topics: string[];
  /** Read from the earliest offset when the group has none committed (default true). */
  fromBeginning?: boolean;
  /**
   * Handles one message. Resolving commits its offset; rejecting is the subscriber's
   * business (the transport strategy retries and dead-letters before it rejects here).
   */
  handle(event: ReceivedEvent): Promise<void>;
  /**
   * Optional batch form, preferred by the adapters when given: a run of consecutive messages of
   * ONE partition, in offset order (at most `maxBatchSize`). Resolving commits the offsets of
   * all of them; before that, `commitUpTo(event)` may mark a prefix as done (its offsets are then
   * committed even if the rest of the batch fails). Rejecting redelivers from the first message
   * not marked done, holding the partition — the same rule as `handle`. Rejecting with
   * `RedeliverAfter(ms)` holds only this partition for `ms` (on Kafka it is paused) while the
   * subscription's other partitions go on. `attempt` counts the deliveries of the first message
   * not marked done; the messages behind it keep theirs until they are first in line.
   */
  handleBatch?(events: ReceivedEvent[], commitUpTo: (event: ReceivedEvent) => void): Promise<void>;
  /** Largest batch handed to `handleBatch` (default 100). */
  maxBatchSize?: number;
  /**
   * Partitions handled in parallel by this subscription (order is kept per partition, hence
   * per key). Default: all assigned partitions.
   */
  concurrency?: number;
  /** Reports how far behind the log end this group is on a partition, when cheaply known. */
  onLag?(topic: string, partition: number, lag: number): void;
}

/**
 * What a batch handler rejects with to have the first message it did not mark done delivered
 * again after `delayMs`, holding only its partition (Kafka: the partition is paused meanwhile).
 */
export class RedeliverAfter extends Error {
  constructor(readonly delayMs: number, options?: { cause?: unknown }) {
    super(`redeliver after ${delayMs} ms`, options);
    this.name = 'RedeliverAfter';
  }
}

export interface Subscription {
  close(): Promise<void>;
}

/**
 * The one port every service uses to move events. Two adapters: Kafka (kafkajs) and
 * in-process (embedded mode). Both keep order per (topic, subject) and deliver at least once;
 * one contract test suite runs against both.
 */
export abstract class MessageBus {
  /** Publishes in order; resolves only once every message is durably accepted (acks=all). */
  abstract publish(events: EventEnvelope[]): Promise<void>;
  abstract subscribe(options: SubscriptionOptions): Promise<Subscription>;
  /** Creates missing topics and their `<topic>.dlt` dead-letter topics (idempotent). */
  abstract ensureTopics(topics: TopicSpec[]): Promise<void>;
  /** Cheap liveness check for /health/ready. */
  abstract isHealthy(): Promise<boolean>;
  abstract close(): Promise<void>;
}
