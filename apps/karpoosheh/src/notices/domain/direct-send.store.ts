import type { AuditEntry } from '../../audit/domain/hash-chain.js';
import type { SenderAccessStatus } from '../../senders/domain/sender-access.js';
import type { IdempotencyRecord } from './idempotency.js';
import type { SerializedNoticeEvent } from './notice-outbox.js';
import type { AttachmentRef, NewNotice } from './notice.repository.js';

/** Everything a direct send (≤ SYNC_FANOUT_LIMIT recipients) writes, decided before the write. */
export interface DirectSendWrite {
  agencyId: string;
  idempotencyKey: string;
  /** Stored under the key with the send; what a replay answers. */
  record: IdempotencyRecord;
  notice: NewNotice;
  attachments: readonly AttachmentRef[];
  /** One per recipient, with its state (DELIVERED or FAILED, decided by the caller). */
  entries: readonly { recipientId: string; state: 'DELIVERED' | 'FAILED'; failedReason: string | null }[];
  /** The notice's whole audit chain so far (from the genesis); the last entry becomes the head. */
  audit: readonly AuditEntry[];
  /** Outbox rows (key = notice id). */
  events: readonly SerializedNoticeEvent[];
  /** Per event: also queued for the agency's callback URL, when it registered one. */
  webhook: readonly boolean[];
  source: string;
  /** Queue the new-notice notification (someone got it). */
  notify: boolean;
}

/**
 * What the admission found, and whether the send was written. Nothing is written unless
 * `written`.
 */
export type DirectSendOutcome =
  /** Another request holds the (agency, key) lock: the same request in flight. */
  | { kind: 'in-flight' }
  /** A record was already stored under the key (replay or 422 is the caller's rule). */
  | { kind: 'recorded'; record: IdempotencyRecord }
  /** The sender may not send (status as the rule sees it: a disabled agency counts as SUSPENDED). */
  | { kind: 'refused'; senderStatus: SenderAccessStatus | null }
  /** A request with this key committed between the statement's snapshot and its insert. */
  | { kind: 'raced' }
  | { kind: 'written' };

/**
 * Port of the request path of a direct send: admission (the idempotency lock on (agency, key),
 * the stored record, the sender's access, row-locked so a suspension waits for the send) and the
 * whole write (idempotency record, notice, attachments, entries, audit chain and head, outbox,
 * webhook queue, notification job) as ONE atomic operation. The PostgreSQL adapter makes it one
 * statement: one round trip instead of BEGIN, admission, three writes and COMMIT.
 */
export abstract class DirectSendStore {
  /** The national codes among `nationalCodes` that the identity projection knows. */
  abstract knownCitizens(nationalCodes: readonly string[]): Promise<Set<string>>;
  abstract admitAndWrite(send: DirectSendWrite): Promise<DirectSendOutcome>;
}
