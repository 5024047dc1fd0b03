import type { RecipientState } from '../../notices/domain/recipient-state.js';

export type InboxFlag = 'acknowledge' | 'archive' | 'unarchive' | 'star' | 'unstar';

/** The listing's filter with the cursor already decoded. */
export interface InboxListQuery {
  after: { t: string; id: string } | null;
  unread: boolean | null;
  sender: string | null;
  category: string | null;
  from: string | null;
  to: string | null;
  /** Trimmed; null when empty. */
  q: string | null;
  archived: boolean;
  starred: boolean | null;
  limit: number;
}

export interface InboxItemRow {
  notice_id: string;
  subject: string;
  category: string;
  agency_id: string;
  agency_name: string | null;
  state: RecipientState;
  created_at: Date;
  read_at: Date | null;
  due_date: string | null;
  starred: boolean;
  acknowledged_at: Date | null;
  archived_at: Date | null;
  system_notice: boolean;
}

/**
 * Port of a recipient's inbox: only visible entries (DELIVERED, VIEWED, EFFECTIVE) of the
 * given recipient are ever read. Implementations join the ambient transaction.
 */
export abstract class InboxRepository {
  /** Newest first, keyset after (created_at, notice_id). */
  abstract list(recipientId: string, q: InboxListQuery): Promise<InboxItemRow[]>;
  /**
   * The first `limit` entries of `list` with no filter (not archived) as the JSON text of
   * InboxItem[] (toItem's fields, order and formats), built by the database; `last` is the
   * position of the last of them when more follow, else null.
   */
  abstract listPageJson(recipientId: string, after: { t: string; id: string } | null, limit: number): Promise<{ items: string; last: { t: string; id: string } | null }>;
  abstract unreadCount(recipientId: string): Promise<number>;
  /** Row-locks the recipient's visible entry; null when there is none. */
  abstract lockVisibleEntry(noticeId: string, recipientId: string): Promise<{ read_at: Date | null } | null>;
  abstract setFlag(noticeId: string, recipientId: string, flag: InboxFlag, at: Date): Promise<void>;
}
