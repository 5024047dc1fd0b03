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
    const traceparent = currentTraceparent();
    const ids: string[] = [];
    const values: unknown[] = [];
    const rows: string[] = [];
    for (const event of events) {
      const contract = this.catalog.get(event.type);
      const validation = this.catalog.validate(event.type, event.data);
      if (!validation.valid) throw new InvalidEventPayloadError(event.type, validation.errors);
      const id = event.id ?? uuidv7();
      ids.push(id);
      const headers = traceparent ? { traceparent } : {};
      const base = values.length;
      rows.push(`($${base + 1}, $${base + 2}, $${base + 3}, $${base + 4}, $${base + 5}, $${base + 6}, $${base + 7}, $${base + 8})`);
      values.push(
        id,
        contract.topic,
        event.subject,
        event.type,
        this.source,
        JSON.stringify(headers),
        JSON.stringify(event.data),
        (event.time ?? new Date()).toISOString(),
      );
    }
    await manager.query(
      `INSERT INTO outbox (event_id, topic, key, type, source, headers, payload, occurred_at) VALUES ${rows.join(', ')}`,
      values,
    );
    manager.queryRunner.data[OUTBOX_WRITTEN] = true;
    return ids;
  }
}
