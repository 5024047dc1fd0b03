import { Logger } from '@nestjs/common';
import { Server, type CustomTransportStrategy, type MessageHandler } from '@nestjs/microservices';
import { isObservable, lastValueFrom } from 'rxjs';
import { setTimeout as sleep } from 'node:timers/promises';
import type { ContractCatalog } from '@darvazeh/contracts';
import type { TransactionRunner } from '@darvazeh/database';
import type { EventEnvelope, ReceivedEvent } from '../event-envelope.js';
import { RedeliverAfter, type MessageBus, type Subscription } from '../message-bus.port.js';
import type { MessagingMetrics } from '../messaging.metrics.js';
import { TraceContext } from '@darvazeh/observability';
import { EventContext } from './event-context.js';
import { installHandlerFailureCapture, withHandlerFailureCapture } from './handler-failure.js';

export interface RetryPolicy {
  /** Attempts before a failing message is dead-lettered (default 5). */
  maxAttempts: number;
  /** Delay before the 2nd attempt; doubles per attempt (default 100 ms). */
  initialDelayMs: number;
  /** Cap on one delay (default 2000 ms). Keep attempts × cap well under the session timeout. */
  maxDelayMs: number;
}

export interface EventBusServerOptions {
  /** The service name: consumer group id, and `dlt-consumer-group`. */
  service: string;
  retry?: Partial<RetryPolicy>;
  /** Partitions processed in parallel (default: bus default). */
  concurrency?: number;
  /**
   * Messages of one partition handled in one database transaction (default 100): one commit
   * per batch instead of per message. 1 restores a transaction per message.
   */
  maxBatchSize?: number;
  /** Used to provision the topics the handlers read, if the app did not list them (default 3 / 1). */
  partitions?: number;
  replicationFactor?: number;
}

/** Why a message went to the dead-letter topic (`dlt-reason` header; wire format). */
export type DeadLetterReason = 'malformed' | 'unknown-type' | 'schema-invalid' | 'rejected' | 'retries-exhausted';

const DEFAULT_RETRY: RetryPolicy = { maxAttempts: 5, initialDelayMs: 100, maxDelayMs: 2000 };

/** What the transport does with one received message, decided before any handler runs. */
type Step =
  | { kind: 'handle'; event: ReceivedEvent; handler: MessageHandler }
  | { kind: 'ignore'; event: ReceivedEvent }
  | { kind: 'dead-letter'; event: ReceivedEvent; reason: DeadLetterReason; error: string };

/** Outcome of a batch transaction: the steps it committed, and the one that failed, if any. */
interface RunResult {
  outcomes: ('handled' | 'duplicate' | 'ignored')[];
  failure?: { error: unknown };
}

const SAVEPOINT = 'darvazeh_event';

/** DomainError kinds that will fail the same way on every retry. */
const PERMANENT_KINDS = new Set(['invalid', 'unauthenticated', 'forbidden', 'not_found', 'conflict', 'rule_violation']);

/**
 * The NestJS transport for domain events: consumers are `@EventPattern(type)` methods.
 *
 * Per message, in partition order: a record that is not a readable CloudEvent, whose type has
 * no contract, or whose payload breaks the contract's schema goes straight to `<topic>.dlt`
 * (retrying cannot fix it). Otherwise one transaction records (group, event id) in
 * processed_events — a redelivered event finds its row and is skipped — and runs the handler(s)
 * inside it, so the use case's `TransactionRunner.run` joins and its rows, its outbox rows and
 * the processed mark commit together. A failure rolls all of it back and is retried with
 * exponential backoff while its partition waits (so order per key holds) — only that partition:
 * the bus pauses it (RedeliverAfter) and serves the others meanwhile; a rule violation
 * (DomainError that is not `unavailable`) or exhausted attempts dead-letter the message with
 * the error and its origin in headers, and the partition moves on.
 *
 * Batches: the bus hands over what it fetched of one partition (up to `maxBatchSize`), and the
 * messages are handled in ONE transaction, each inside its own SAVEPOINT: the processed_events
 * marks of the batch are inserted in one statement, then each handler runs; a handler that fails
 * rolls back to its savepoint, the marks of it and of the messages after it are removed, and
 * what succeeded before it commits. The failed message is then dead-lettered (and the rest of the
 * batch goes on), or the batch is rejected with RedeliverAfter(backoff) so the bus redelivers
 * from it, with its attempt count, once the delay is over; the rest of the batch follows it —
 * so order per partition, hence per key, is kept, and no message is marked processed without
 * its handler's rows. Offsets are committed only after the transaction commits. A
 * message that must be dead-lettered splits the batch (the part before it commits first).
 */
export class EventBusServer extends Server implements CustomTransportStrategy {
  protected override readonly logger = new Logger(EventBusServer.name);
  private subscription: Subscription | undefined;
  private readonly retry: RetryPolicy;
  private readonly group: string;
  private readonly handlers = new Map<string, MessageHandler | undefined>();

  constructor(
    private readonly bus: MessageBus,
    private readonly transactions: TransactionRunner,
    private readonly catalog: ContractCatalog,
    private readonly options: EventBusServerOptions,
    private readonly metrics?: MessagingMetrics,
  ) {
    super();
    this.group = options.service;
    this.retry = { ...DEFAULT_RETRY, ...options.retry };
    installHandlerFailureCapture();
  }

  override addHandler(...args: Parameters<Server['addHandler']>): void {
    this.handlers.clear();
    super.addHandler(...args);
  }

  /** Event types this server has handlers for. */
  handledTypes(): string[] {
    return [...this.messageHandlers].filter(([, handler]) => handler.isEventHandler).map(([type]) => type);
  }

  async listen(callback: (...optionalParams: unknown[]) => void): Promise<void> {
    try {
      const types = this.handledTypes();
      const unknown = types.filter((type) => !this.catalog.find(type));
      if (unknown.length > 0) {
        throw new Error(`@EventPattern for event types without a contract in @darvazeh/contracts: ${unknown.join(', ')}`);
      }
      const topics = [...new Set(types.map((type) => this.catalog.topicOf(type)))];
      if (topics.length > 0) {
        await this.bus.ensureTopics(
          topics.map((name) => ({
            name,
            partitions: this.options.partitions ?? 3,
            replicationFactor: this.options.replicationFactor ?? 1,
          })),
        );
        this.subscription = await this.bus.subscribe({
          groupId: this.group,
          topics,
          fromBeginning: true,
          concurrency: this.options.concurrency,
          handle: (event) => this.process(event),
          handleBatch: (events, commitUpTo) => this.processBatch(events, commitUpTo),
          maxBatchSize: this.options.maxBatchSize ?? 100,
          onLag: (topic, partition, lag) =>
            this.metrics?.consumerLag.set({ group: this.group, topic, partition: String(partition) }, lag),
        });
        this.logger.log(`consumer group ${this.group} reads ${topics.join(', ')} for ${types.length} event type(s)`);
      }
      callback();
    } catch (error) {
      callback(error);
    }
  }

  async close(): Promise<void> {
    const subscription = this.subscription;
    this.subscription = undefined;
    await subscription?.close();
  }

  on(): never {
    throw new Error('EventBusServer does not emit events');
  }

  unwrap<T>(): T {
    return this.bus as T;
  }

  /** Handles one received message to completion: handled, skipped, or dead-lettered. */
  async process(event: ReceivedEvent): Promise<void> {
    const step = this.classify(event);
    if (step.kind === 'dead-letter') return this.deadLetter(event, step.reason, step.error, 1);
    if (step.kind === 'ignore') {
      this.metrics?.consumed.inc({ group: this.group, type: event.type, outcome: 'ignored' });
      return;
    }
    return this.handleWithRetry(event, step.handler, 1);
  }

  /**
   * Handles consecutive messages of one partition to completion, in order, committing them in as
   * few transactions as possible (see the class comment). `commitUpTo` tells the bus which
   * prefix is done, so a failure later in the batch never redelivers committed messages.
   */
  async processBatch(events: ReceivedEvent[], commitUpTo: (event: ReceivedEvent) => void = () => undefined): Promise<void> {
    let next = 0;
    while (next < events.length) {
      const steps: Step[] = [];
      for (let i = next; i < events.length; i++) {
        const step = this.classify(events[i]!);
        if (step.kind === 'dead-letter') break;
        steps.push(step);
      }
      if (steps.length === 0) {
        const step = this.classify(events[next]!) as Extract<Step, { kind: 'dead-letter' }>;
        await this.deadLetter(step.event, step.reason, step.error, 1);
        commitUpTo(step.event);
        next += 1;
        continue;
      }
      let result: RunResult;
      try {
        result = await this.handleRun(steps);
      } catch (error) {
        // The batch transaction itself failed (connection lost, commit refused): nothing of it
        // committed. Take the single-message path, with its retries, for each of them.
        this.logger.warn(`batch of ${steps.length} from ${steps[0]!.event.topic}/${steps[0]!.event.partition} failed, handling one by one: ${describe(error)}`);
        for (const step of steps) {
          await this.process(step.event);
          commitUpTo(step.event);
        }
        next += steps.length;
        continue;
      }
      result.outcomes.forEach((outcome, i) =>
        this.metrics?.consumed.inc({ group: this.group, type: steps[i]!.event.type, outcome }),
      );
      if (result.outcomes.length > 0) commitUpTo(steps[result.outcomes.length - 1]!.event);
      next += result.outcomes.length;
      if (result.failure) {
        // The bus counts the deliveries of the first message not done: this one.
        const failed = steps[result.outcomes.length]!;
        const delay = await this.deadLetterOrBackoff(failed.event, failed.event.attempt, result.failure.error);
        // Redelivered after the backoff from this message on; only its partition waits.
        if (delay !== undefined) throw new RedeliverAfter(delay, { cause: result.failure.error });
        commitUpTo(failed.event);
        next += 1;
      }
    }
  }

  /**
   * Nest's getHandlerByPattern tries JSON.parse on every pattern (an exception per call for a
   * plain event type): looked up once per type instead, on the hot path of every message.
   */
  private handlerFor(type: string): MessageHandler | undefined {
    if (!this.handlers.has(type)) this.handlers.set(type, this.getHandlerByPattern(type) ?? undefined);
    return this.handlers.get(type);
  }

  private classify(event: ReceivedEvent): Step {
    if (event.malformed) return { kind: 'dead-letter', event, reason: 'malformed', error: event.malformed };
    const contract = this.catalog.find(event.type);
    if (!contract) return { kind: 'dead-letter', event, reason: 'unknown-type', error: `no contract for event type "${event.type}"` };
    const handler = this.handlerFor(event.type);
    // Another type on a topic we read: not ours to handle.
    if (!handler) return { kind: 'ignore', event };
    const validation = this.catalog.validate(event.type, event.data);
    if (!validation.valid) return { kind: 'dead-letter', event, reason: 'schema-invalid', error: validation.errors.join('; ') };
    return { kind: 'handle', event, handler };
  }

  /**
   * One transaction for a run of steps: the processed marks of all of them in one INSERT, then
   * each handler inside a savepoint. Stops at the first handler that fails, keeping (committing)
   * only what came before it.
   */
  private handleRun(steps: Step[]): Promise<RunResult> {
    const ids = [...new Set(steps.filter((step) => step.kind === 'handle').map((step) => step.event.id))];
    if (ids.length === 0) return Promise.resolve({ outcomes: steps.map(() => 'ignored' as const) });
    return this.transactions.run(async (manager) => {
      const inserted: { event_id: string }[] = await manager.query(
        `INSERT INTO processed_events (consumer_group, event_id) SELECT $1, unnest($2::text[])
         ON CONFLICT DO NOTHING RETURNING event_id`,
        [this.group, ids],
      );
      // Ids this transaction marked and whose handler has not run yet. An id seen again later in
      // the same batch is a redelivery: a duplicate, like one found in the table.
      const pending = new Set(inserted.map((row) => row.event_id));
      const outcomes: RunResult['outcomes'] = [];
      let savepoint = false;
      for (const step of steps) {
        if (step.kind === 'ignore') {
          outcomes.push('ignored');
          continue;
        }
        if (step.kind !== 'handle' || !pending.delete(step.event.id)) {
          outcomes.push('duplicate');
          continue;
        }
        if (!savepoint) await manager.query(`SAVEPOINT ${SAVEPOINT}`);
        savepoint = true;
        // The after-commit effects of this message go with its savepoint: kept for the batch's
        // commit when it succeeds, dropped with its rows when it is rolled back.
        const effects = this.transactions.effectsMark();
        try {
          await TraceContext.run(step.event.traceparent, () => this.runHandlers(step.event, step.handler, step.event.attempt));
          // Inside the try: a handler that swallowed a database error left the transaction
          // aborted, and this is where that shows — it must count as that handler's failure.
          // One round trip ends this message's savepoint and opens the next one's.
          await manager.query(`RELEASE SAVEPOINT ${SAVEPOINT}; SAVEPOINT ${SAVEPOINT}`);
          outcomes.push('handled');
        } catch (error) {
          await manager.query(`ROLLBACK TO SAVEPOINT ${SAVEPOINT}`);
          this.transactions.discardEffectsSince(effects);
          await manager.query('DELETE FROM processed_events WHERE consumer_group = $1 AND event_id = ANY($2::text[])', [
            this.group,
            [step.event.id, ...pending],
          ]);
          return { outcomes, failure: { error } };
        }
      }
      return { outcomes };
    });
  }

  /**
   * The single-message path (used when a batch transaction itself failed): retries with backoff
   * in place, holding the partition, then dead-letters.
   */
  private async handleWithRetry(event: ReceivedEvent, handler: MessageHandler, first: number): Promise<void> {
    for (let attempt = first; ; attempt++) {
      try {
        // Continues the producer's trace (new span): consumer log lines and the events the
        // handler writes to the outbox carry it.
        const outcome = await TraceContext.run(event.traceparent, () => this.handleOnce(event, handler, attempt));
        this.metrics?.consumed.inc({ group: this.group, type: event.type, outcome });
        return;
      } catch (error) {
        const delay = await this.deadLetterOrBackoff(event, attempt, error);
        if (delay === undefined) return;
        await sleep(delay);
      }
    }
  }

  /**
   * After attempt `attempt` failed: dead-letters when retrying cannot help or attempts ran out
   * (returns undefined), else returns the backoff before the next attempt.
   */
  private async deadLetterOrBackoff(event: ReceivedEvent, attempt: number, error: unknown): Promise<number | undefined> {
    this.metrics?.failedAttempts.inc({ group: this.group, type: event.type });
    if (isPermanent(error)) {
      await this.deadLetter(event, 'rejected', describe(error), attempt);
      return undefined;
    }
    if (attempt >= this.retry.maxAttempts) {
      await this.deadLetter(event, 'retries-exhausted', describe(error), attempt);
      return undefined;
    }
    const delay = Math.min(this.retry.initialDelayMs * 2 ** (attempt - 1), this.retry.maxDelayMs);
    this.logger.warn(
      `${event.type} ${event.id} (${event.topic}/${event.partition}@${event.offset}) attempt ${attempt} failed, retrying in ${delay} ms: ${describe(error)}`,
    );
    return delay;
  }

  private handleOnce(event: ReceivedEvent, head: MessageHandler, attempt: number): Promise<'handled' | 'duplicate'> {
    return this.transactions.run(async (manager) => {
      const inserted: unknown[] = await manager.query(
        `INSERT INTO processed_events (consumer_group, event_id) VALUES ($1, $2)
         ON CONFLICT DO NOTHING RETURNING 1`,
        [this.group, event.id],
      );
      if (inserted.length === 0) return 'duplicate';
      await this.runHandlers(event, head, attempt);
      return 'handled';
    });
  }

  private async runHandlers(event: ReceivedEvent, head: MessageHandler, attempt: number): Promise<void> {
    const context = new EventContext(event, attempt);
    // Several @EventPattern methods may share a type: Nest chains them through `next`.
    for (let handler: MessageHandler | undefined = head; handler; handler = handler.next) {
      await withHandlerFailureCapture(async () => {
        const result: unknown = await handler!(event.data, context);
        if (isObservable(result)) await lastValueFrom(result, { defaultValue: undefined });
      });
    }
  }

  private async deadLetter(event: ReceivedEvent, reason: DeadLetterReason, error: string, attempts: number): Promise<void> {
    const topic = event.topic.endsWith('.dlt') ? event.topic : `${event.topic}.dlt`;
    const envelope: EventEnvelope = {
      specversion: '1.0',
      id: event.id,
      type: event.type,
      source: event.source,
      subject: event.subject || event.key || 'unknown',
      time: event.time,
      topic,
      data: event.data,
      traceparent: event.traceparent,
      headers: {
        ...event.headers,
        'dlt-reason': reason,
        'dlt-error': error.slice(0, 2000),
        'dlt-origin-topic': event.topic,
        'dlt-origin-partition': String(event.partition),
        'dlt-origin-offset': event.offset,
        'dlt-consumer-group': this.group,
        'dlt-attempts': String(attempts),
        'dlt-time': new Date().toISOString(),
      },
    };
    // If this publish fails the bus redelivers the message: it is never dropped silently.
    await this.bus.publish([envelope]);
    this.metrics?.deadLettered.inc({ group: this.group, topic: event.topic, reason });
    this.metrics?.consumed.inc({ group: this.group, type: event.type || 'unknown', outcome: 'dead_lettered' });
    this.logger.error(`${reason}: ${event.type || '?'} ${event.id || '?'} from ${event.topic}/${event.partition}@${event.offset} → ${topic}: ${error}`);
  }
}

/**
 * Only a DomainError (duck-typed: string `code` and `kind`) says retrying is pointless; anything
 * else — database trouble, a broker hiccup, a bug — is retried and dead-lettered when attempts
 * run out, which costs little for a poison message and saves every transient one.
 */
function isPermanent(error: unknown): boolean {
  if (typeof error !== 'object' || error === null) return false;
  const { kind, code } = error as { kind?: unknown; code?: unknown };
  return typeof kind === 'string' && typeof code === 'string' && PERMANENT_KINDS.has(kind);
}

function describe(error: unknown): string {
  if (error instanceof Error) {
    const code = (error as { code?: unknown }).code;
    return `${error.name}${typeof code === 'string' ? ` ${code}` : ''}: ${error.message}`;
  }
  return typeof error === 'string' ? error : JSON.stringify(error);
}
