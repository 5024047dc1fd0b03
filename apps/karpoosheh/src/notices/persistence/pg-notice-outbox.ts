import { Inject, Injectable } from '@nestjs/common';
import { TransactionRunner } from '@darvazeh/database';
import { OUTBOX_WRITTEN } from '@darvazeh/messaging';
import { NoticeOutbox, type SerializedNoticeEvent } from '../domain/notice-outbox.js';

/**
 * The outbox and webhook rows of notice events, one unnest INSERT per call (not the generic
 * writer's per-row placeholders: a fan-out chunk carries thousands of events).
 */
@Injectable()
export class PgNoticeOutbox extends NoticeOutbox {
  constructor(@Inject(TransactionRunner) private readonly tx: TransactionRunner) {
    super();
  }

  override async append(key: string, source: string, occurredAt: string, events: readonly SerializedNoticeEvent[]): Promise<void> {
    if (events.length === 0) return;
    const manager = this.tx.manager();
    await manager.query(
      `INSERT INTO outbox (event_id, topic, key, type, source, headers, payload, occurred_at)
       SELECT id, topic, $1, type, $2, '{}'::jsonb, payload, $3 FROM unnest($4::uuid[], $5::text[], $6::text[], $7::jsonb[]) AS t(id, topic, type, payload)`,
      [key, source, occurredAt, events.map((e) => e.eventId), events.map((e) => e.topic), events.map((e) => e.type), events.map((e) => e.payload)],
    );
    // Wakes the relay after the commit (as the generic OutboxWriter does).
    if (manager.queryRunner) manager.queryRunner.data[OUTBOX_WRITTEN] = true;
  }

  override async callbackUrlOf(agencyId: string): Promise<string | null> {
    const senders: { callback_url: string | null }[] = await this.tx.manager().query('SELECT callback_url FROM senders WHERE agency_id = $1', [agencyId]);
    return senders[0]?.callback_url ?? null;
  }

  override async queueWebhooks(agencyId: string, dueAt: string, events: readonly SerializedNoticeEvent[]): Promise<void> {
    if (events.length === 0) return;
    await this.tx.manager().query(
      `INSERT INTO webhook_deliveries (agency_id, event_id, event_type, payload, status, next_attempt_at)
       SELECT $1, id, type, payload, 'PENDING', $2 FROM unnest($3::uuid[], $4::text[], $5::jsonb[]) AS t(id, type, payload)`,
      [agencyId, dueAt, events.map((e) => e.eventId), events.map((e) => e.type), events.map((e) => e.payload)],
    );
  }
}
