// The only module in the repository that imports kafkajs (dependency rule in .dependency-cruiser.cjs).
import { Logger } from '@nestjs/common';
import {
  Kafka,
  Partitioners,
  logLevel,
  type Admin,
  type Consumer,
  type KafkaConfig,
  type LogEntry,
  type Producer,
} from 'kafkajs';
import { fromWire, headersToText, toWire } from './cloud-events.js';
import type { EventEnvelope } from './event-envelope.js';
import {
  MessageBus,
  RedeliverAfter,
  type Subscription,
  type SubscriptionOptions,
  type TopicSpec,
} from './message-bus.port.js';

export interface KafkaBusOptions {
  brokers: string[];
  /** Client id seen by the broker (default `darvazeh`). */
  clientId?: string;
  /** How long a fetch may wait for data: bounds the latency added when topics are quiet. */
  maxWaitTimeMs?: number;
  /** Upper bound for connecting and for health checks (default 5000 ms). */
  connectionTimeoutMs?: number;
  /** Logger for kafkajs' own messages (default: a Nest Logger named `kafkajs`). */
  logger?: Pick<Logger, 'error' | 'warn' | 'log' | 'debug'>;
  /**
   * Prefix of every topic and consumer group on the wire (`<ns>.identity.principals`, group
   * `<ns>.identity`), so several test runs or people can share one broker without reading each
   * other's events. Callers keep using the logical names; received events carry them too.
   * Empty (default): the names as declared in libs/contracts.
   */
  namespace?: string;
}

/** The name a logical topic (or group id) has on the wire under a namespace. */
export function wireTopic(namespace: string | undefined, topic: string): string {
  return namespace ? `${namespace}.${topic}` : topic;
}

/**
 * MessageBus on Apache Kafka. One idempotent producer (acks=all, one request in flight, so a
 * retried send can neither duplicate nor reorder), one consumer per subscription. Offsets are
 * resolved only after the handler resolves and committed by kafkajs afterwards: at least once.
 */
export class KafkaMessageBus extends MessageBus {
  private readonly kafka: Kafka;
  private readonly producer: Producer;
  private readonly admin: Admin;
  private readonly consumers = new Set<Consumer>();
  private producerReady: Promise<void> | undefined;
  private adminReady: Promise<void> | undefined;
  private readonly maxWaitTimeMs: number;
  private readonly connectionTimeoutMs: number;
  readonly namespace: string;

  constructor(options: KafkaBusOptions) {
    super();
    this.namespace = options.namespace ?? '';
    if (this.namespace && !/^[a-zA-Z0-9._-]+$/.test(this.namespace)) {
      throw new Error(`Kafka namespace "${this.namespace}" may only use [a-zA-Z0-9._-]`);
    }
    const logger = options.logger ?? new Logger('kafkajs');
    this.maxWaitTimeMs = options.maxWaitTimeMs ?? 50;
    this.connectionTimeoutMs = options.connectionTimeoutMs ?? 5000;
    const config: KafkaConfig = {
      clientId: options.clientId ?? 'darvazeh',
      brokers: options.brokers,
      connectionTimeout: this.connectionTimeoutMs,
      logLevel: logLevel.WARN,
      logCreator: () => (entry: LogEntry) => logKafka(logger, entry),
    };
    this.kafka = new Kafka(config);
    this.producer = this.kafka.producer({
      idempotent: true,
      maxInFlightRequests: 1,
      // Java client's murmur2 partitioning: a key lands on the same partition whoever produces it.
      createPartitioner: Partitioners.DefaultPartitioner,
      allowAutoTopicCreation: true,
    });
    this.admin = this.kafka.admin();
  }

  override async publish(events: EventEnvelope[]): Promise<void> {
    if (events.length === 0) return;
    await this.connectProducer();
    // One request for the whole batch; within a topic-partition kafkajs keeps array order.
    const byTopic = new Map<string, { key: string; value: Buffer; headers: Record<string, string> }[]>();
    for (const envelope of events) {
      const topic = this.wire(envelope.topic);
      const messages = byTopic.get(topic) ?? [];
      messages.push(toWire(envelope));
      byTopic.set(topic, messages);
    }
    await this.producer.sendBatch({
      acks: -1,
      topicMessages: [...byTopic].map(([topic, messages]) => ({ topic, messages })),
    });
  }

  override async subscribe(options: SubscriptionOptions): Promise<Subscription> {
    const fromBeginning = options.fromBeginning ?? true;
    // kafkajs resolves "latest" lazily, at the first fetch after the group joins, so a message
    // published right after subscribe() resolved could be skipped. Pin a new group's start to
    // the log end as of now instead.
    const groupId = this.wire(options.groupId);
    const topics = options.topics.map((topic) => this.wire(topic));
    if (!fromBeginning) await this.startNewGroupAtEnd(groupId, topics);
    const consumer = this.kafka.consumer({
      groupId,
      maxWaitTimeInMs: this.maxWaitTimeMs,
      allowAutoTopicCreation: false,
      retry: { retries: 10 },
    });
    this.consumers.add(consumer);
    const joined = new Promise<void>((resolve) => {
      const off = consumer.on(consumer.events.GROUP_JOIN, () => {
        off();
        resolve();
      });
    });
    await consumer.connect();
    await consumer.subscribe({ topics, fromBeginning: true });
    // Attempts per offset, so a redelivered message (handler rejected) reports attempt > 1.
    const attempts = new Map<string, number>();
    // Partitions paused by a RedeliverAfter, resumed by these timers (cleared on close).
    const resumeTimers = new Set<NodeJS.Timeout>();
    const maxBatchSize = Math.max(1, options.maxBatchSize ?? 100);
    await consumer.run({
      autoCommit: true,
      eachBatchAutoResolve: false,
      partitionsConsumedConcurrently: options.concurrency ?? 8,
      eachBatch: async ({ batch, resolveOffset, heartbeat, isRunning, isStale, pause }) => {
        const highWatermark = Number(batch.highWatermark);
        const topic = this.logicalTopic(batch.topic);
        const idOf = (offset: string) => `${batch.topic}/${batch.partition}/${offset}`;
        const toEvent = (message: (typeof batch.messages)[number], attempt: number) =>
          fromWire({
            topic,
            partition: batch.partition,
            offset: message.offset,
            key: message.key?.toString('utf8') ?? null,
            value: message.value,
            headers: headersToText(message.headers),
            attempt,
          });
        const done = (offset: string) => {
          attempts.delete(idOf(offset));
          resolveOffset(offset);
          options.onLag?.(topic, batch.partition, Math.max(0, highWatermark - Number(offset) - 1));
        };
        if (options.handleBatch) {
          // The fetched batch of this partition, in chunks: one handler call (one database
          // transaction in the transport) per chunk instead of per message.
          for (let start = 0; start < batch.messages.length; start += maxBatchSize) {
            if (!isRunning() || isStale()) return;
            // Only the first message not yet done counts a delivery per rejection: the ones
            // behind it were handed over but never tried.
            const events = batch.messages
              .slice(start, start + maxBatchSize)
              .map((message) => toEvent(message, attempts.get(idOf(message.offset)) ?? 1));
            let doneUpTo = -1;
            try {
              await options.handleBatch(events, (event) => {
                doneUpTo = Math.max(doneUpTo, Number(event.offset));
                done(event.offset);
              });
            } catch (error) {
              const next = events.find((event) => Number(event.offset) > doneUpTo);
              if (next) attempts.set(idOf(next.offset), next.attempt + 1);
              if (!(error instanceof RedeliverAfter)) throw error;
              // Hold this partition only: the fetch loop serves the others meanwhile, and after
              // the resume it fetches again from the first offset not resolved.
              const resume = pause();
              const timer = setTimeout(() => {
                resumeTimers.delete(timer);
                resume();
              }, error.delayMs);
              timer.unref(); // a pending resume must not keep a closing process alive
              resumeTimers.add(timer);
              return;
            }
            done(events[events.length - 1]!.offset);
            await heartbeat();
          }
          return;
        }
        for (const message of batch.messages) {
          if (!isRunning() || isStale()) return;
          const id = idOf(message.offset);
          const attempt = (attempts.get(id) ?? 0) + 1;
          attempts.set(id, attempt);
          await options.handle(toEvent(message, attempt));
          done(message.offset);
          await heartbeat();
        }
      },
    });
    await withTimeout(joined, 60_000, `consumer group ${groupId} did not join within 60 s`);
    return {
      close: async () => {
        this.consumers.delete(consumer);
        for (const timer of resumeTimers) clearTimeout(timer);
        await consumer.disconnect();
      },
    };
  }

  override async ensureTopics(topics: TopicSpec[]): Promise<void> {
    await this.connectAdmin();
    const existing = new Set(await this.admin.listTopics());
    const wanted = topics.flatMap((spec) => [
      { ...spec, name: this.wire(spec.name) },
      { ...spec, name: this.wire(`${spec.name}.dlt`) },
    ]);
    const missing = wanted.filter((spec) => !existing.has(spec.name));
    if (missing.length === 0) return;
    try {
      await this.admin.createTopics({
        waitForLeaders: true,
        topics: missing.map((spec) => ({
          topic: spec.name,
          numPartitions: spec.partitions,
          replicationFactor: spec.replicationFactor,
        })),
      });
    } catch (error) {
      // The broker refused the creation (per-topic `errors`), or created the topics and only the
      // wait for their leaders failed (a metadata answer like UNKNOWN_TOPIC_OR_PARTITION while the
      // new topics propagate), or another instance created them between our list and create.
      // Refusals fail at once; otherwise wait a little for the topics to show up.
      const refused = Array.isArray((error as { errors?: unknown }).errors);
      const failed = await this.stillMissing(missing.map((spec) => spec.name), refused ? 0 : 15_000);
      if (failed.length > 0) {
        // kafkajs says only "Topic creation errors"; the broker's reasons (e.g. a replication factor
        // above the broker count) are in `errors` — name them, so a bad setting is obvious at start.
        const reasons = ((error as { errors?: { topic?: string; type?: string; message?: string }[] }).errors ?? [])
          .map((e) => `${e.topic ?? '?'}: ${e.type ?? ''} ${e.message ?? ''}`.trim());
        const settings = missing
          .filter((spec) => failed.includes(spec.name))
          .map((spec) => `${spec.name} (partitions ${spec.partitions}, replication factor ${spec.replicationFactor})`);
        throw new Error(`could not create Kafka topics ${settings.join(', ')}: ${reasons.join('; ') || String(error)}`, { cause: error });
      }
    }
    // Listed is not yet served: until every partition has a leader, offset lookups (a new
    // group's start, lag) fail. Return only once the new topics answer them.
    for (const spec of missing) await whileClusterSettles(() => this.admin.fetchTopicOffsets(spec.name));
  }

  /** The topics of `names` the cluster does not list, polled until none is missing or `budgetMs` ends. */
  private async stillMissing(names: string[], budgetMs: number): Promise<string[]> {
    const deadline = Date.now() + budgetMs;
    for (;;) {
      const listed = new Set(await this.admin.listTopics());
      const missing = names.filter((name) => !listed.has(name));
      if (missing.length === 0 || Date.now() >= deadline) return missing;
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  }

  override async isHealthy(): Promise<boolean> {
    try {
      await withTimeout(
        (async () => {
          await this.connectAdmin();
          await this.admin.describeCluster();
        })(),
        this.connectionTimeoutMs,
        'kafka health check timed out',
      );
      return true;
    } catch {
      return false;
    }
  }

  private async startNewGroupAtEnd(groupId: string, topics: string[]): Promise<void> {
    await this.connectAdmin();
    const committed = await whileClusterSettles(() => this.admin.fetchOffsets({ groupId, topics }));
    for (const { topic, partitions } of committed) {
      if (partitions.some((p) => Number(p.offset) >= 0)) continue;
      const ends = await whileClusterSettles(() => this.admin.fetchTopicOffsets(topic));
      await whileClusterSettles(() =>
        this.admin.setOffsets({
          groupId,
          topic,
          partitions: ends.map(({ partition, high }) => ({ partition, offset: high })),
        }),
      );
    }
  }

  /** True once the (logical) topic exists on the cluster. */
  async hasTopic(name: string): Promise<boolean> {
    await this.connectAdmin();
    return (await this.admin.listTopics()).includes(this.wire(name));
  }

  /** The wire name of a logical topic or group id under this bus's namespace. */
  wire(name: string): string {
    return wireTopic(this.namespace, name);
  }

  private logicalTopic(wireName: string): string {
    const prefix = this.namespace ? `${this.namespace}.` : '';
    return prefix && wireName.startsWith(prefix) ? wireName.slice(prefix.length) : wireName;
  }

  /**
   * Committed offset lag of a group per topic-partition (admin API: high watermark − committed
   * offset; a partition the group never committed counts from the log start), for metrics and
   * tooling. Group and topics are logical names; so are the topics returned.
   */
  async groupLag(groupId: string, topics: string[]): Promise<{ topic: string; partition: number; lag: number }[]> {
    await this.connectAdmin();
    const out: { topic: string; partition: number; lag: number }[] = [];
    const committed = await whileClusterSettles(() =>
      this.admin.fetchOffsets({ groupId: this.wire(groupId), topics: topics.map((t) => this.wire(t)) }),
    );
    for (const { topic, partitions } of committed) {
      const ends = await whileClusterSettles(() => this.admin.fetchTopicOffsets(topic));
      for (const { partition, offset } of partitions) {
        const end = ends.find((p) => p.partition === partition);
        const at = Number(offset) < 0 ? Number(end?.low ?? 0) : Number(offset);
        out.push({ topic: this.logicalTopic(topic), partition, lag: Math.max(0, Number(end?.high ?? 0) - at) });
      }
    }
    return out;
  }

  override async close(): Promise<void> {
    await Promise.allSettled([...this.consumers].map((consumer) => consumer.disconnect()));
    this.consumers.clear();
    await Promise.allSettled([this.producer.disconnect(), this.admin.disconnect()]);
  }

  private connectProducer(): Promise<void> {
    this.producerReady ??= this.producer.connect().catch((error: unknown) => {
      this.producerReady = undefined;
      throw error;
    });
    return this.producerReady;
  }

  private connectAdmin(): Promise<void> {
    this.adminReady ??= this.admin.connect().catch((error: unknown) => {
      this.adminReady = undefined;
      throw error;
    });
    return this.adminReady;
  }
}

function logKafka(logger: Pick<Logger, 'error' | 'warn' | 'log' | 'debug'>, entry: LogEntry): void {
  const { message, ...extra } = entry.log;
  const text = `${entry.namespace}: ${message} ${JSON.stringify(extra)}`;
  switch (entry.level) {
    case logLevel.ERROR:
    case logLevel.NOTHING:
      logger.error(text);
      break;
    case logLevel.WARN:
      logger.warn(text);
      break;
    case logLevel.INFO:
      logger.log(text);
      break;
    default:
      logger.debug(text);
  }
}

/**
 * Errors a broker answers while the cluster is still settling: `__consumer_offsets` being created
 * or moved (a fresh or restarting cluster), or a just-created topic whose partitions have no
 * leader yet. Worth retrying, unlike everything else.
 */
const SETTLING_ERRORS = new Set([
  'GROUP_LOAD_IN_PROGRESS',
  'GROUP_COORDINATOR_NOT_AVAILABLE',
  'NOT_COORDINATOR_FOR_GROUP',
  'LEADER_NOT_AVAILABLE',
  'NOT_LEADER_FOR_PARTITION',
  'UNKNOWN_TOPIC_OR_PARTITION',
]);

/**
 * kafkajs retries these inside consumers and producers but not in the admin calls we use
 * (`fetchOffsets`, `setOffsets`, `fetchTopicOffsets` have no retrier), so a group started on a
 * broker still loading its offsets topic, or on a topic created a moment ago, would fail outright.
 * Retry those errors with backoff for up to 30 s.
 */
export async function whileClusterSettles<T>(call: () => Promise<T>, budgetMs = 30_000): Promise<T> {
  const deadline = Date.now() + budgetMs;
  for (let delay = 100; ; delay = Math.min(delay * 2, 2000)) {
    try {
      return await call();
    } catch (error) {
      // kafkajs wraps an exhausted inner retry in KafkaJSNumberOfRetriesExceeded (originalError).
      const failure = error as { type?: string; originalError?: { type?: string } };
      const type = failure.type ?? failure.originalError?.type;
      if (!type || !SETTLING_ERRORS.has(type) || Date.now() + delay > deadline) throw error;
      await new Promise((resolve) => setTimeout(resolve, delay));
    }
  }
}

async function withTimeout<T>(work: Promise<T>, ms: number, message: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  try {
    return await Promise.race([
      work,
      new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error(message)), ms);
      }),
    ]);
  } finally {
    clearTimeout(timer);
  }
}
