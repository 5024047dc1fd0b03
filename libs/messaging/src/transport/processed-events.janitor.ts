import { Logger } from '@nestjs/common';
import type { DataSource } from 'typeorm';

export interface ProcessedEventsRetention {
  /** How long a processed event id is remembered; a redelivery older than this would run again. */
  retentionDays: number;
  /** How often old rows are deleted (default hourly). */
  intervalMs?: number;
  /** Rows per DELETE statement, so one pass never holds a long lock or a huge transaction. */
  batchSize?: number;
}

/**
 * Deletes processed_events rows older than the retention. The idempotency ledger only has to
 * outlive the window in which Kafka can redeliver an event (a consumer's uncommitted offsets,
 * a DLT replay), which is days; kept forever it grows by every event every service consumes.
 * Every replica may run it: batches of `ctid`s with SKIP LOCKED make concurrent passes share the
 * work instead of blocking each other.
 */
export class ProcessedEventsJanitor {
  private readonly logger = new Logger(ProcessedEventsJanitor.name);
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<number> | undefined;

  constructor(
    private readonly dataSource: DataSource,
    private readonly retention: ProcessedEventsRetention,
  ) {}

  start(): void {
    if (this.timer) return;
    const tick = () => {
      this.running = this.prune().catch((error: unknown) => {
        this.logger.warn(`pruning processed_events failed: ${String(error)}`);
        return 0;
      });
    };
    this.timer = setInterval(tick, this.retention.intervalMs ?? 3_600_000);
    this.timer.unref();
    tick();
  }

  async stop(): Promise<void> {
    clearInterval(this.timer);
    this.timer = undefined;
    await this.running;
  }

  /** One pass: deletes every row older than the retention, batch by batch; returns how many. */
  async prune(): Promise<number> {
    const batchSize = this.retention.batchSize ?? 10_000;
    let total = 0;
    for (;;) {
      const result: [unknown[], number] = await this.dataSource.query(
        `DELETE FROM processed_events WHERE ctid IN (
           SELECT ctid FROM processed_events
            WHERE processed_at < now() - make_interval(days => $1)
            LIMIT $2 FOR UPDATE SKIP LOCKED)`,
        [this.retention.retentionDays, batchSize],
      );
      const deleted = result[1];
      total += deleted;
      if (deleted < batchSize) return total;
    }
  }
}
