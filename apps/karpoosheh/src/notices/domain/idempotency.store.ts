import type { IdempotencyRecord } from './idempotency.js';

/**
 * Port of the idempotency records of sends, keyed by (agency, Idempotency-Key). Implementations
 * join the ambient transaction, so the record commits with the send it answers.
 */
export abstract class IdempotencyStore {
  /**
   * Takes a lock on (agency, key) held until the transaction ends; false when another
   * transaction holds it (the same request in flight).
   */
  abstract tryLock(agencyId: string, key: string): Promise<boolean>;
  abstract find(agencyId: string, key: string): Promise<IdempotencyRecord | null>;
  abstract save(agencyId: string, key: string, record: IdempotencyRecord): Promise<void>;
}
