export interface DueDelivery {
  id: string;
  agency_id: string;
  event_id: string;
  event_type: string;
  payload: unknown;
  attempts: number;
  first_attempt_at: Date | null;
  created_at: Date;
  callback_url: string | null;
  callback_secret: string | null;
}

/** Port of the webhook queue (one row per event and agency). */
export abstract class WebhookDeliveryRepository {
  /**
   * Claims up to `limit` deliveries due at `now` (SKIP LOCKED) and pushes their next attempt to
   * `leaseFrom` + 5 minutes (a lease): a crashed attempt is retried later, not lost, and
   * replicas share the work.
   */
  abstract claimDue(now: Date, leaseFrom: Date, limit: number): Promise<DueDelivery[]>;
  abstract reschedule(id: string, attempts: number, first: Date, next: Date, httpStatus: number | null, error: string): Promise<void>;
  abstract finish(id: string, status: 'DELIVERED' | 'PARKED', attempts: number, first: Date, now: Date, httpStatus: number | null, error: string | null): Promise<void>;
}
