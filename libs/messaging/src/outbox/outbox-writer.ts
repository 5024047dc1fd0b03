import type { EntityManager } from 'typeorm';
import { v7 as uuidv7 } from 'uuid';
import type { ContractCatalog } from '@darvazeh/contracts';
import type { OutgoingEvent } from '../event-envelope.js';
import { currentTraceparent } from '@darvazeh/observability';

/** Set on the transaction's QueryRunner so the relay is nudged right after it commits. */
export const OUTBOX_WRITTEN = 'darvazeh.outboxWritten';

export class InvalidEventPayloadError extends Error {
  constructor(readonly eventType: string, readonly errors: string[]) {
    super(`payload of ${eventType} does not match its contract: ${errors.join('; ')}`);
    this.name = 'InvalidEventPayloadError';
  }
}

/**
 * Writes events into the outbox table inside the caller's transaction, so they are published if
 * and only if the state change they describe commits. The topic comes from the event type's
 * contract; the payload is validated against its schema here, where a bug is cheap to find.
 */
export class OutboxWriter {
  constructor(
    private readonly catalog: ContractCatalog,
    /** CloudEvents `source`: `/darvazeh/<service>`. */
    private readonly source: string,
  ) {}

  /** Returns the event ids, in order. */
  async append(manager: EntityManager, events: OutgoingEvent[]): Promise<string[]> {
    if (events.length === 0) return [];
    if (!manager.queryRunner?.isTransactionActive) {
      throw new Error('OutboxWriter.append must be called inside a transaction (TransactionRunner.run)');
    }
    const rows = this.render(events);
    await manager.query(`INSERT INTO outbox (${OUTBOX_COLUMNS.join(', ')}) VALUES ${rows.placeholders(0).join(', ')}`, rows.params);
    manager.queryRunner.data[OUTBOX_WRITTEN] = true;
    return rows.ids;
  }

  /**
   * The events as outbox rows (validated against their contracts) for a caller that inserts them
   * itself, as part of ONE statement that is its own transaction — a data-modifying CTE that also
   * writes the state the events describe, so both commit or neither does, without the BEGIN and
   * COMMIT round trips of an explicit transaction. `sql(offset, gate)` is an
   * `INSERT INTO outbox … SELECT` of the rows, with parameters numbered from `offset + 1`
   * (`params`, in order), inserting them only for each row of the CTE named `gate` (the state
   * write: no state written, no events). After the statement succeeded, call `written()` so the
   * relay publishes at once instead of at its next poll.
   */
  render(events: OutgoingEvent[]): RenderedOutboxRows {
    const traceparent = currentTraceparent();
    const headers = JSON.stringify(traceparent ? { traceparent } : {});
    const ids: string[] = [];
    const params: unknown[] = [];
    for (const event of events) {
      const contract = this.catalog.get(event.type);
      const validation = this.catalog.validate(event.type, event.data);
      if (!validation.valid) throw new InvalidEventPayloadError(event.type, validation.errors);
      const id = event.id ?? uuidv7();
      ids.push(id);
      params.push(id, contract.topic, event.subject, event.type, this.source, headers, JSON.stringify(event.data), (event.time ?? new Date()).toISOString());
    }
    const placeholders = (offset: number, casts = false) =>
      ids.map((_, i) => `(${OUTBOX_COLUMNS.map((_c, j) => `$${offset + i * OUTBOX_COLUMNS.length + j + 1}${casts ? `::${OUTBOX_TYPES[j]}` : ''}`).join(', ')})`);
    return {
      ids,
      params,
      count: ids.length,
      placeholders,
      sql: (offset, gate) =>
        `INSERT INTO outbox (${OUTBOX_COLUMNS.join(', ')}) SELECT e.* FROM (VALUES ${placeholders(offset, true).join(', ')}) AS e (${OUTBOX_COLUMNS.join(', ')}) CROSS JOIN (SELECT 1 FROM ${gate}) AS g`,
    };
  }

  /** A statement carrying `render`ed rows committed: the relay is woken (as after a commit of `append`). */
  written(): void {
    for (const listener of this.writtenListeners) listener();
  }

  /** Called on each `written()` (the relay: `nudge`). Returns the unsubscribe. */
  onWritten(listener: () => void): () => void {
    this.writtenListeners.add(listener);
    return () => this.writtenListeners.delete(listener);
  }

  private readonly writtenListeners = new Set<() => void>();
}

const OUTBOX_COLUMNS = ['event_id', 'topic', 'key', 'type', 'source', 'headers', 'payload', 'occurred_at'] as const;
/** The columns' types: a VALUES list in a FROM clause has no target columns to take them from. */
const OUTBOX_TYPES = ['uuid', 'text', 'text', 'text', 'text', 'jsonb', 'jsonb', 'timestamptz'] as const;

/** Outbox rows `OutboxWriter.render` made, for the caller's own statement. */
export interface RenderedOutboxRows {
  /** The event ids, in order. */
  ids: string[];
  /** The rows' parameters, 8 per row, in order. */
  params: unknown[];
  count: number;
  /** `($n, …)` per row, numbered from `offset + 1`. */
  placeholders(offset: number): string[];
  /** `INSERT INTO outbox … SELECT` of the rows for each row of the CTE `gate`. */
  sql(offset: number, gate: string): string;
}
