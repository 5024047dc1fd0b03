import { Inject, Injectable } from '@nestjs/common';
import { TransactionRunner } from '@darvazeh/database';
import { InboxRepository, type InboxFlag, type InboxItemRow, type InboxListQuery } from '../domain/inbox.repository.js';

const SET_FLAG: Record<InboxFlag, string> = {
  acknowledge: 'acknowledged_at = coalesce(acknowledged_at, $3)',
  archive: 'archived_at = coalesce(archived_at, $3)',
  unarchive: 'archived_at = NULL',
  star: 'starred = true',
  unstar: 'starred = false',
};

/**
 * The inbox SQL: keyset-paginated on (created_at, notice_id) over the
 * (recipient_id, created_at DESC, notice_id DESC) index, so page N costs what page 1 costs.
 */
@Injectable()
export class TypeOrmInboxRepository extends InboxRepository {
  constructor(@Inject(TransactionRunner) private readonly tx: TransactionRunner) {
    super();
  }

  override async list(recipientId: string, f: InboxListQuery): Promise<InboxItemRow[]> {
    return this.tx.manager().query(
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
      [recipientId, f.after?.t ?? null, f.after?.id ?? null, f.unread, f.sender, f.category, f.from, f.to, f.q, f.archived, f.starred, f.limit],
    );
  }

  override async unreadCount(recipientId: string): Promise<number> {
    const rows: { n: string }[] = await this.tx
      .manager()
      .query(`SELECT count(*) AS n FROM inbox_entries WHERE recipient_id = $1 AND read_at IS NULL AND state IN ('DELIVERED','EFFECTIVE')`, [recipientId]);
    return Number(rows[0].n);
  }

  override async lockVisibleEntry(noticeId: string, recipientId: string): Promise<{ read_at: Date | null } | null> {
    const rows: { read_at: Date | null }[] = await this.tx
      .manager()
      .query(`SELECT read_at FROM inbox_entries WHERE notice_id = $1 AND recipient_id = $2 AND state IN ('DELIVERED','VIEWED','EFFECTIVE') FOR UPDATE`, [noticeId, recipientId]);
    return rows[0] ?? null;
  }

  override async setFlag(noticeId: string, recipientId: string, flag: InboxFlag, at: Date): Promise<void> {
    const usesTime = flag === 'acknowledge' || flag === 'archive';
    await this.tx.manager().query(`UPDATE inbox_entries SET ${SET_FLAG[flag]} WHERE notice_id = $1 AND recipient_id = $2`, usesTime ? [noticeId, recipientId, at] : [noticeId, recipientId]);
  }
}
