import { Inject, Injectable } from '@nestjs/common';
import { TransactionRunner } from '@darvazeh/database';
import { decodeCursor, toCursorPage, type CursorPage } from '@darvazeh/http';
import type { RecipientState } from '../../notices/domain/recipient-state.js';
import type { InboxOwner } from './inbox-owner.js';

export interface InboxFilter {
  limit: number;
  cursor?: string;
  unread?: boolean;
  sender?: string;
  category?: string;
  from?: string;
  to?: string;
  q?: string;
  archived?: boolean;
  starred?: boolean;
}

export interface InboxItem {
  noticeId: string;
  subject: string;
  category: string;
  sender: { agencyId: string; name: string | null };
  state: RecipientState;
  receivedAt: string;
  readAt: string | null;
  dueDate: string | null;
  starred: boolean;
  acknowledgedAt: string | null;
  archivedAt: string | null;
  systemNotice: boolean;
}

interface ItemRow {
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

const isPosition = (v: Record<string, unknown>): v is { t: string; id: string } => typeof v.t === 'string' && typeof v.id === 'string' && !Number.isNaN(Date.parse(v.t));

/**
 * The inbox, newest first, keyset-paginated on (created_at, notice_id) over the
 * (recipient_id, created_at DESC, notice_id DESC) index: page N costs what page 1 costs.
 * Only visible entries (DELIVERED, VIEWED, EFFECTIVE) of the owner are ever read.
 */
@Injectable()
export class InboxQueries {
  constructor(@Inject(TransactionRunner) private readonly tx: TransactionRunner) {}

  async list(owner: InboxOwner, f: InboxFilter): Promise<CursorPage<InboxItem>> {
    const after = f.cursor ? decodeCursor(f.cursor, isPosition) : null;
    const rows: ItemRow[] = await this.tx.manager().query(
      `SELECT e.notice_id, n.subject, n.category, n.agency_id, a.name AS agency_name, e.state, e.created_at, e.read_at, n.due_date::text AS due_date,
              e.starred, e.acknowledged_at, e.archived_at, n.system_notice
         FROM inbox_entries e
         JOIN notices n ON n.notice_id = e.notice_id
         LEFT JOIN agencies a ON a.agency_id = n.agency_id
        WHERE e.recipient_id = $1
          AND e.state IN ('DELIVERED','VIEWED','EFFECTIVE')
          AND ($2::timestamptz IS NULL OR (e.created_at, e.notice_id) < ($2, $3::uuid))
          AND ($4::boolean IS NULL OR ($4 AND e.read_at IS NULL) OR (NOT $4 AND e.read_at IS NOT NULL))
          AND ($5::uuid IS NULL OR n.agency_id = $5)
          AND ($6::text IS NULL OR n.category = $6)
          AND ($7::timestamptz IS NULL OR e.created_at >= $7)
          AND ($8::timestamptz IS NULL OR e.created_at < $8)
          AND ($9::text IS NULL OR n.subject_tsv @@ plainto_tsquery('simple', $9) OR n.subject ILIKE '%' || $9 || '%')
          AND (CASE WHEN $10::boolean THEN e.archived_at IS NOT NULL ELSE e.archived_at IS NULL END)
          AND ($11::boolean IS NULL OR e.starred = $11)
        ORDER BY e.created_at DESC, e.notice_id DESC
        LIMIT $12`,
      [
        owner.recipientId,
        after?.t ?? null,
        after?.id ?? null,
        f.unread ?? null,
        f.sender ?? null,
        f.category ?? null,
        f.from ?? null,
        f.to ?? null,
        f.q?.trim() ? f.q.trim() : null,
        f.archived ?? false,
        f.starred ?? null,
        f.limit + 1,
      ],
    );
    return toCursorPage(rows, f.limit, (r) => ({ t: r.created_at.toISOString(), id: r.notice_id }), toItem);
  }

  async unreadCount(owner: InboxOwner): Promise<number> {
    const rows: { n: string }[] = await this.tx
      .manager()
      .query(`SELECT count(*) AS n FROM inbox_entries WHERE recipient_id = $1 AND read_at IS NULL AND state IN ('DELIVERED','EFFECTIVE')`, [owner.recipientId]);
    return Number(rows[0].n);
  }
}

export function toItem(r: ItemRow): InboxItem {
  return {
    noticeId: r.notice_id,
    subject: r.subject,
    category: r.category,
    sender: { agencyId: r.agency_id, name: r.agency_name },
    state: r.state,
    receivedAt: r.created_at.toISOString(),
    readAt: r.read_at?.toISOString() ?? null,
    dueDate: r.due_date,
    starred: r.starred,
    acknowledgedAt: r.acknowledged_at?.toISOString() ?? null,
    archivedAt: r.archived_at?.toISOString() ?? null,
    systemNotice: r.system_notice,
  };
}
