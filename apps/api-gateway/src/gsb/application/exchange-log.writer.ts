import { TransactionRunner } from '@darvazeh/database';
import { chainHash, GENESIS_HASH, type ExchangeRecord } from '../domain/exchange-chain.js';
import type { ExchangeLogRepository, StoredExchange } from '../domain/exchange-log.repository.js';

export type PendingExchange = Omit<ExchangeRecord, 'seq'>;

export interface ExchangeLogWriterOptions {
  batchSize: number;
  flushMs: number;
}

/**
 * The single writer of the exchange log: the GSB lane hands it a record and goes on (nothing
 * waits on the database in the request path); every `flushMs`, or as soon as `batchSize` are
 * queued, one transaction takes the chain's advisory lock, reads the head, chains the batch and
 * inserts it with one statement. A failed flush keeps the records queued, in order, for the next
 * one. `close()` (shutdown, SIGTERM through Nest's shutdown hooks) flushes everything queued.
 */
export class ExchangeLogWriter {
  private queue: PendingExchange[] = [];
  private running: Promise<void> | null = null;
  private timer: NodeJS.Timeout | null = null;
  private closed = false;
  /** Rows written since start (tests and metrics). */
  written = 0;

  constructor(
    private readonly tx: TransactionRunner,
    private readonly repo: ExchangeLogRepository,
    private readonly options: ExchangeLogWriterOptions,
    private readonly onError: (err: unknown) => void,
  ) {}

  start(): void {
    this.timer = setInterval(() => void this.flush(), this.options.flushMs);
    this.timer.unref();
  }

  append(record: PendingExchange): void {
    this.queue.push(record);
    if (this.closed || this.queue.length >= this.options.batchSize) void this.flush();
  }

  get pending(): number {
    return this.queue.length;
  }

  /** Writes everything queued now (one batch after another); concurrent calls share the run. */
  flush(): Promise<void> {
    if (this.running) return this.running.then(() => (this.queue.length > 0 ? this.flush() : undefined));
    if (this.queue.length === 0) return Promise.resolve();
    this.running = this.drain().finally(() => (this.running = null));
    return this.running;
  }

  async close(): Promise<void> {
    this.closed = true;
    if (this.timer) clearInterval(this.timer);
    await this.flush();
  }

  private async drain(): Promise<void> {
    while (this.queue.length > 0) {
      const batch = this.queue.slice(0, this.options.batchSize);
      try {
        await this.tx.run(async () => {
          const head = await this.repo.lockHead();
          let prev = head?.hash ?? GENESIS_HASH;
          let seq = head?.seq ?? 0;
          const rows: StoredExchange[] = batch.map((r) => {
            seq += 1;
            const record: ExchangeRecord = { ...r, seq };
            const hash = chainHash(prev, record);
            const stored = { ...record, prevHash: prev, hash };
            prev = hash;
            return stored;
          });
          await this.repo.insert(rows);
        });
        this.queue.splice(0, batch.length);
        this.written += batch.length;
      } catch (err) {
        this.onError(err);
        return;
      }
    }
  }
}
