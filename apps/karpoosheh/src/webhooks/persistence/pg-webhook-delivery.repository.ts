import { Inject, Injectable } from '@nestjs/common';
import { TransactionRunner } from '@darvazeh/database';
import { WebhookDeliveryRepository, type DueDelivery } from '../domain/webhook-delivery.repository.js';

@Injectable()
export class PgWebhookDeliveryRepository extends WebhookDeliveryRepository {
  constructor(@Inject(TransactionRunner) private readonly tx: TransactionRunner) {
    super();
  }

  override async claimDue(now: Date, leaseFrom: Date, limit: number): Promise<DueDelivery[]> {
    return this.tx.run((m) =>
      m.query(
        `WITH u AS (UPDATE webhook_deliveries d SET next_attempt_at = $2::timestamptz + interval '5 minutes'
           FROM (SELECT w.id FROM webhook_deliveries w WHERE w.status = 'PENDING' AND w.next_attempt_at <= $1 ORDER BY w.next_attempt_at LIMIT $3 FOR UPDATE SKIP LOCKED) due, senders s
          WHERE d.id = due.id AND s.agency_id = d.agency_id
         RETURNING d.id, d.agency_id, d.event_id, d.event_type, d.payload, d.attempts, d.first_attempt_at, d.created_at, s.callback_url, s.callback_secret) SELECT * FROM u`,
        [now, leaseFrom, limit],
      ),
    );
  }

  override async reschedule(id: string, attempts: number, first: Date, next: Date, httpStatus: number | null, error: string): Promise<void> {
    await this.tx
      .manager()
      .query('UPDATE webhook_deliveries SET attempts = $2, first_attempt_at = $3, next_attempt_at = $4, last_status = $5, last_error = $6 WHERE id = $1', [id, attempts, first, next, httpStatus, error]);
  }

  override async finish(id: string, status: 'DELIVERED' | 'PARKED', attempts: number, first: Date, now: Date, httpStatus: number | null, error: string | null): Promise<void> {
    await this.tx
      .manager()
      .query(
        `UPDATE webhook_deliveries SET status = $2, attempts = $3, first_attempt_at = $4, last_status = $5, last_error = $6, delivered_at = CASE WHEN $2 = 'DELIVERED' THEN $7::timestamptz END WHERE id = $1`,
        [id, status, attempts, first, httpStatus, error, now],
      );
  }
}
