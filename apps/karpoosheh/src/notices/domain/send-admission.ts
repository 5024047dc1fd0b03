import type { SenderAccessStatus } from '../../senders/domain/sender-access.js';
import type { IdempotencyRecord } from './idempotency.js';

export interface Admission {
  /** False when another transaction holds the (agency, key) lock: the same request in flight. */
  locked: boolean;
  /** What was stored under the key (only meaningful when locked). */
  record: IdempotencyRecord | null;
  /** The sender's status (a disabled agency counts as SUSPENDED) and callback URL, row-locked for the send. */
  sender: { status: SenderAccessStatus | null; callbackUrl: string | null };
}

/**
 * Port of the reads that decide whether a send may proceed, in the caller's transaction: the
 * idempotency lock and record of (agency, key) and the sender's access — one round trip on the
 * request path (IdempotencyStore.lock + SenderRepository.forSend in one).
 */
export abstract class SendAdmission {
  abstract admit(agencyId: string, idempotencyKey: string): Promise<Admission>;
}
