import type { IdempotencyRecord } from './idempotency.js';

/**
 * Port of the idempotency records of sends, keyed by (agency, Idempotency-Key). Implementations
 * join the ambient transaction, so the record commits with the send it answers.
 */
export abstract class IdempotencyStore {
  /**
   * Takes a lock on (agency, key) held until the transaction ends and reads the record stored
   * under it (one round trip). `locked: false` when another transaction holds the lock (the
   * same request in flight); the record is then meaningless.
   */
  abstract lock(agencyId: string, key: string): Promise<{ locked: boolean; record: IdempotencyRecord | null }>;
  /**
   * Stores the record; false when one already exists (a request with this key committed
   * between the lock and now — the caller must roll back and answer as in flight).
   */
  abstract save(agencyId: string, key: string, record: IdempotencyRecord): Promise<boolean>;
}
