import type { NoticeContent } from './notice-content.js';
import type { RecipientState } from './recipient-state.js';

export interface NoticeRow {
  notice_id: string;
  agency_id: string;
  subject: string;
  body: string;
  body_format: 'text' | 'html';
  category: string;
  due_date: string | null;
  recipient_count: number;
  system_notice: boolean;
  created_at: Date;
}

export interface EntryRow {
  notice_id: string;
  recipient_id: string;
  state: RecipientState;
  created_at: Date;
  delivered_at: Date | null;
  read_at: Date | null;
  read_by: string | null;
  effective_at: Date | null;
  cancelled_at: Date | null;
  failed_reason: string | null;
  acknowledged_at: Date | null;
  archived_at: Date | null;
  starred: boolean;
}

export interface BatchRow {
  batch_id: string;
  notice_id: string;
  agency_id: string;
  status: 'PENDING' | 'RUNNING' | 'COMPLETED' | 'CANCELLED';
  total: number;
  processed: number;
  delivered: number;
  failed: number;
  created_at: Date;
  completed_at: Date | null;
}

export interface AttachmentRef {
  sha256: string;
  filename: string;
}

export interface NoticeAttachmentView {
  sha256: string;
  filename: string;
  mime: string;
  size: number;
}

export interface NewNotice {
  noticeId: string;
  agencyId: string;
  content: NoticeContent;
  recipientCount: number;
  system: boolean;
  at: Date;
}

export interface PlacedEntry {
  recipient_id: string;
  state: 'DELIVERED' | 'FAILED';
}

export interface SentNoticeSummary {
  notice_id: string;
  subject: string;
  category: string;
  created_at: Date;
  recipient_count: number;
}

/**
 * Port of notices, their inbox entries (one per recipient) and bulk batches. The abstract class
 * is also the Nest injection token. Implementations join the calling use case's ambient
 * transaction; `lock` / `forUpdate` row locks last until it ends.
 */
export abstract class NoticeRepository {
  abstract insertNotice(n: NewNotice, attachments: readonly AttachmentRef[]): Promise<void>;
  /**
   * Places a notice in recipients' inboxes: DELIVERED when the recipient exists (companies
   * always; citizens when known to identity, unless every national code counts), FAILED
   * otherwise. Returns the rows written (a recipient already holding the notice is skipped).
   */
  abstract deliver(noticeId: string, recipients: readonly string[], at: Date, directory: 'projection' | 'any'): Promise<PlacedEntry[]>;
  /**
   * insertNotice + deliver + (when someone got it) queueNotifications, as one operation: the
   * request path of a small send.
   */
  abstract insertDelivered(n: NewNotice, attachments: readonly AttachmentRef[], recipients: readonly string[], directory: 'projection' | 'any'): Promise<PlacedEntry[]>;
  abstract findNotice(noticeId: string): Promise<NoticeRow | null>;
  /**
   * Row-locks the notice (opening, cancelling and audit appends of one notice serialise on it)
   * and returns its sender; null when there is no such notice.
   */
  abstract lockNotice(noticeId: string): Promise<{ agencyId: string } | null>;
  abstract attachmentsOf(noticeId: string): Promise<NoticeAttachmentView[]>;
  abstract entry(noticeId: string, recipientId: string, lock?: boolean): Promise<EntryRow | null>;
  abstract stateCounts(noticeId: string): Promise<{ state: RecipientState; n: number }[]>;
  /** Entries of a notice in recipient order after `afterRecipient` ('' = from the start). */
  abstract recipientsPage(noticeId: string, afterRecipient: string, state: RecipientState | null, limit: number): Promise<EntryRow[]>;
  /** An agency's notices, newest first, keyset after (created_at, notice_id). */
  abstract listByAgency(agencyId: string, after: { t: string; id: string } | null, limit: number): Promise<SentNoticeSummary[]>;
  /** The state of some copy that was opened or took effect (not cancellable), or null. */
  abstract firstNonCancellableState(noticeId: string): Promise<RecipientState | null>;
  /** Every entry in `states` → CANCELLED; returns each changed recipient with its previous state. */
  abstract cancelEntries(noticeId: string, at: Date, states: readonly RecipientState[]): Promise<{ recipient_id: string; previous: RecipientState }[]>;
  abstract markViewed(noticeId: string, recipientId: string, at: Date, reader: string): Promise<void>;
  abstract agencyName(agencyId: string): Promise<string | null>;
  abstract recordDownload(d: { noticeId: string; recipientId: string; sha256: string; reader: string; at: Date }): Promise<void>;
  /** Some notice with an entry DELIVERED at or before `cutoff` (deemed delivery due), or null. */
  abstract findDueEffective(cutoff: Date): Promise<{ notice_id: string; agency_id: string } | null>;
  /** Up to `limit` due entries of the notice → EFFECTIVE (effective_at = delivered_at + days); returns their recipients. */
  abstract markEffective(noticeId: string, cutoff: Date, days: number, limit: number): Promise<string[]>;
  abstract insertBatch(b: { batchId: string; noticeId: string; agencyId: string; recipients: readonly string[]; at: Date }, chunkSize: number): Promise<void>;
  abstract batch(batchId: string): Promise<BatchRow | null>;
  abstract batchOfNotice(noticeId: string): Promise<BatchRow | null>;
  /** Claims the oldest unfinished batch (SKIP LOCKED: replicas share the work, one batch each). */
  abstract claimBatch(): Promise<BatchRow | null>;
  /** The next chunk of a claimed batch, or null when none is left. */
  abstract nextChunk(batchId: string): Promise<{ chunkNo: number; recipients: string[] } | null>;
  abstract finishChunk(batchId: string, chunkNo: number, processed: number, delivered: number, failed: number): Promise<void>;
  abstract completeBatch(batchId: string, status: 'COMPLETED' | 'CANCELLED', at: Date): Promise<void>;
  abstract queueNotifications(noticeId: string): Promise<void>;
}
