import { Inject, Injectable } from '@nestjs/common';
import { KarpooshehEnv } from '../../config/karpoosheh.env.js';
import { Clock } from '../../shared/domain/clock.js';
import { WebhookDeliveryRepository, type DueDelivery } from '../domain/webhook-delivery.repository.js';
import { EVENT_ID_HEADER, SIGNATURE_HEADER, TIMESTAMP_HEADER, isRetryable, nextAttemptAt, signWebhook } from '../domain/webhook-policy.js';

/**
 * POSTs due deliveries to agencies' callback URLs, signed (HMAC-SHA256 over "timestamp.body").
 * 2xx → DELIVERED; 5xx, 429, 408, timeouts and network errors → retried with exponential
 * backoff until WEBHOOK_GIVE_UP_AFTER_MS after the first attempt, then PARKED (listed by
 * GET /senders/me/webhooks?status=PARKED, and can be re-queued); other 4xx → PARKED at once.
 */
@Injectable()
export class WebhookDispatcher {
  constructor(
    @Inject(WebhookDeliveryRepository) private readonly deliveries: WebhookDeliveryRepository,
    @Inject(Clock) private readonly clock: Clock,
    @Inject(KarpooshehEnv) private readonly env: KarpooshehEnv,
  ) {}

  async step(limit = 20): Promise<boolean> {
    const now = this.clock.now();
    const due = await this.deliveries.claimDue(now, now, limit);
    // The claim pushed next_attempt_at forward (a lease): a crashed attempt is retried later, not lost.
    if (due.length === 0) return false;
    await Promise.all(due.map((d) => this.attempt(d)));
    return true;
  }

  private async attempt(d: DueDelivery): Promise<void> {
    const now = this.clock.now();
    const first = d.first_attempt_at ?? now;
    const attempts = d.attempts + 1;
    if (!d.callback_url || !d.callback_secret) {
      await this.finish(d.id, 'PARKED', attempts, first, now, null, 'no callback URL registered');
      return;
    }
    const body = JSON.stringify({ id: d.event_id, type: d.event_type, data: d.payload });
    const timestamp = Math.floor(now.getTime() / 1000);
    let status: number | undefined;
    let error: string | undefined;
    try {
      const res = await fetch(d.callback_url, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          [SIGNATURE_HEADER]: signWebhook(d.callback_secret, timestamp, body),
          [TIMESTAMP_HEADER]: String(timestamp),
          [EVENT_ID_HEADER]: d.event_id,
        },
        body,
        redirect: 'manual',
        signal: AbortSignal.timeout(this.env.WEBHOOK_TIMEOUT_MS),
      });
      status = res.status;
      await res.arrayBuffer().catch(() => undefined);
    } catch (e) {
      error = e instanceof Error ? (e.name === 'TimeoutError' ? 'timeout' : e.message) : String(e);
    }
    if (status !== undefined && status >= 200 && status < 300) {
      await this.finish(d.id, 'DELIVERED', attempts, first, now, status, null);
      return;
    }
    const problem = error ?? `HTTP ${status}`;
    if (!isRetryable({ status, error })) {
      await this.finish(d.id, 'PARKED', attempts, first, now, status ?? null, problem);
      return;
    }
    const next = nextAttemptAt(first, now, attempts, { baseDelayMs: this.env.WEBHOOK_BASE_DELAY_MS, maxDelayMs: this.env.WEBHOOK_MAX_DELAY_MS, giveUpAfterMs: this.env.WEBHOOK_GIVE_UP_AFTER_MS });
    if (!next) await this.finish(d.id, 'PARKED', attempts, first, now, status ?? null, problem);
    else
      await this.deliveries.reschedule(d.id, attempts, first, next, status ?? null, problem);
  }

  private async finish(id: string, status: 'DELIVERED' | 'PARKED', attempts: number, first: Date, now: Date, httpStatus: number | null, error: string | null): Promise<void> {
    await this.deliveries.finish(id, status, attempts, first, now, httpStatus, error);
  }
}
