import { Logger } from '@nestjs/common';
import type { DataSource, EntitySubscriberInterface, QueryRunner, TransactionCommitEvent } from 'typeorm';
import type { EventEnvelope } from '../event-envelope.js';
import type { MessageBus } from '../message-bus.port.js';
import type { MessagingMetrics } from '../messaging.metrics.js';
import { OUTBOX_WRITTEN } from './outbox-writer.js';

export interface OutboxRelayOptions {
  /** Rows claimed and published per transaction (default 500). */
  batchSize?: number;
  /** Poll interval when idle; commits in this process wake the relay at once (default 250 ms). */
  pollMs?: number;
  /** How often a standby relay tries to become the active one (default 1000 ms). */
  standbyRetryMs?: number;
  /** Backoff after a failed publish (default 500 ms, doubling up to 10 s). */
  errorBackoffMs?: number;
  /**
   * After a commit wakes an idle relay, wait this long before claiming rows (default 5 ms), so
   * the commits of the next few milliseconds go out in the same batch — one claim, one send and
   * one DELETE instead of one per commit (Kafka's linger.ms, applied one step earlier). Never
   * applied while a backlog is being drained.
   */
  lingerMs?: number;
}

interface OutboxRow {
  id: string;
  event_id: string;
  topic: string;
  key: string;
  type: string;
  source: string;
  headers: Record<string, string>;
  payload: unknown;
  occurred_at: Date;
}

// One lock key per database (each service has its own database).
const RELAY_LOCK_SQL = `SELECT pg_try_advisory_lock(hashtext('darvazeh.outbox-relay')) AS locked`;

/**
 * Moves committed outbox rows to the bus, oldest first, deleting them in the same transaction
 * that claimed them; a crash between publish and commit republishes (at least once; consumers
 * are idempotent), never loses.
 *
 * Only one relay per database is active: it holds a session advisory lock on its own
 * connection, and the others stand by and retry. `FOR UPDATE SKIP LOCKED` alone would let two
 * relays publish consecutive batches concurrently, and a later event of a key could reach the
 * broker before an earlier one. With one active relay publishing batches in id order,
 * per-key order holds; SKIP LOCKED still keeps a stale relay (lock lost with its connection,
 * batch in flight) from blocking the new one. The batch queries run on the lock's connection,
 * so losing that connection both aborts the batch and ends the leadership.
 */
export class OutboxRelay {
  private readonly logger = new Logger(OutboxRelay.name);
  private readonly batchSize: number;
  private readonly pollMs: number;
  private readonly standbyRetryMs: number;
  private readonly errorBackoffMs: number;
  private readonly lingerMs: number;
  private running = false;
  private loop: Promise<void> | undefined;
  private connection: QueryRunner | undefined;
  private leader = false;
  private wakeUp: (() => void) | undefined;
  private nudged = false;
  private published = 0;

  constructor(
    private readonly dataSource: DataSource,
    private readonly bus: MessageBus,
    options: OutboxRelayOptions = {},
    private readonly metrics?: MessagingMetrics,
  ) {
    this.batchSize = options.batchSize ?? 500;
    this.pollMs = options.pollMs ?? 250;
    this.standbyRetryMs = options.standbyRetryMs ?? 1000;
    this.errorBackoffMs = options.errorBackoffMs ?? 500;
    this.lingerMs = options.lingerMs ?? 5;
    metrics?.trackBacklog(() => this.backlog());
  }

  /** Starts the loop and the commit hook that wakes it. */
  start(): void {
    if (this.running) return;
    this.running = true;
    const relay = this;
    const subscriber: EntitySubscriberInterface = {
      afterTransactionCommit(event: TransactionCommitEvent) {
        if (event.queryRunner.data[OUTBOX_WRITTEN]) {
          event.queryRunner.data[OUTBOX_WRITTEN] = false;
          relay.nudge();
        }
      },
    };
    this.subscriber = subscriber;
    (this.dataSource.subscribers as EntitySubscriberInterface[]).push(subscriber);
    this.loop = this.run();
  }

  private subscriber: EntitySubscriberInterface | undefined;

  /** Stops after the batch in flight; releases the leadership. */
  async stop(): Promise<void> {
    if (!this.running) return;
    this.running = false;
    this.nudge();
    await this.loop;
    const subscribers = this.dataSource.subscribers as EntitySubscriberInterface[];
    const index = this.subscriber ? subscribers.indexOf(this.subscriber) : -1;
    if (index >= 0) subscribers.splice(index, 1);
    await this.releaseConnection();
  }

  /** Wakes the relay now (called after a local commit that wrote outbox rows). */
  nudge(): void {
    this.nudged = true;
    this.wakeUp?.();
  }

  /** Rows waiting in the outbox (the backlog metric). */
  async backlog(): Promise<number> {
    const rows: { n: string }[] = await this.dataSource.query('SELECT count(*) AS n FROM outbox');
    return Number(rows[0]?.n ?? 0);
  }

  /** True while this instance holds the relay lock. */
  isActive(): boolean {
    return this.leader;
  }

  /** Events published by this instance since start. */
  publishedCount(): number {
    return this.published;
  }

  /**
   * Publishes one batch if this instance is (or can become) the active relay. Returns how many
   * events it published. The loop calls it; tests and tools may call it directly.
   */
  async relayOnce(): Promise<number> {
    if (!(await this.ensureLeadership())) return 0;
    const connection = this.connection!;
    await connection.startTransaction('READ COMMITTED');
    try {
      const rows: OutboxRow[] = await connection.query(
        `SELECT id, event_id, topic, key, type, source, headers, payload, occurred_at
           FROM outbox ORDER BY id LIMIT $1 FOR UPDATE SKIP LOCKED`,
        [this.batchSize],
      );
      if (rows.length > 0) {
        await this.bus.publish(rows.map(toEnvelope));
        await connection.query('DELETE FROM outbox WHERE id = ANY($1::bigint[])', [rows.map((row) => row.id)]);
      }
      await connection.commitTransaction();
      this.published += rows.length;
      this.metrics?.outboxPublished.inc(rows.length);
      return rows.length;
    } catch (error) {
      await connection.rollbackTransaction().catch(() => undefined);
      throw error;
    }
  }

  private async run(): Promise<void> {
    let backoff = this.errorBackoffMs;
    while (this.running) {
      try {
        this.nudged = false;
        const count = await this.relayOnce();
        backoff = this.errorBackoffMs;
        if (count === this.batchSize) continue; // more waiting: no sleep
        await this.idle(this.leader ? this.pollMs : this.standbyRetryMs);
        if (this.leader && this.lingerMs > 0 && this.running) await new Promise((resolve) => setTimeout(resolve, this.lingerMs));
      } catch (error) {
        this.logger.warn(`outbox relay batch failed, retrying in ${backoff} ms: ${String(error)}`);
        await this.releaseConnection();
        await this.idle(backoff);
        backoff = Math.min(backoff * 2, 10_000);
      }
    }
  }

  private async ensureLeadership(): Promise<boolean> {
    if (this.leader && this.connection && !this.connection.isReleased) return true;
    if (!this.connection || this.connection.isReleased) {
      this.connection = this.dataSource.createQueryRunner();
      await this.connection.connect();
    }
    const rows: { locked: boolean }[] = await this.connection.query(RELAY_LOCK_SQL);
    this.leader = rows[0]?.locked === true;
    if (this.leader) this.logger.log('this instance is now the active outbox relay');
    return this.leader;
  }

  private async releaseConnection(): Promise<void> {
    const connection = this.connection;
    this.connection = undefined;
    this.leader = false;
    if (connection && !connection.isReleased) {
      // Ending the session releases the advisory lock; the connection goes back to the pool.
      await connection.query(`SELECT pg_advisory_unlock_all()`).catch(() => undefined);
      await connection.release().catch(() => undefined);
    }
  }

  private idle(ms: number): Promise<void> {
    if (this.nudged || !this.running) return Promise.resolve();
    return new Promise((resolve) => {
      const timer = setTimeout(done, ms);
      function done() {
        clearTimeout(timer);
        resolve();
      }
      this.wakeUp = () => {
        this.wakeUp = undefined;
        done();
      };
    });
  }
}

function toEnvelope(row: OutboxRow): EventEnvelope {
  const { traceparent, ...headers } = row.headers ?? {};
  return {
    specversion: '1.0',
    id: row.event_id,
    type: row.type,
    source: row.source,
    subject: row.key,
    time: new Date(row.occurred_at).toISOString(),
    topic: row.topic,
    data: row.payload,
    traceparent,
    headers,
  };
}
