import { Inject, Injectable } from '@nestjs/common';
import { TransactionRunner } from '@darvazeh/database';
import { PgStatements } from '../../shared/persistence/pg-statements.js';
import { InboxRepository, type InboxFlag, type InboxItemRow, type InboxListQuery } from '../domain/inbox.repository.js';

const SET_FLAG: Record<InboxFlag, string> = {
  acknowledge: 'acknowledged_at = coalesce(acknowledged_at, $3)',
  archive: 'archived_at = coalesce(archived_at, $3)',
  unarchive: 'archived_at = NULL',
  star: 'starred = true',
  unstar: 'starred = false',
};

/**
 * The inbox SQL: keyset-paginated on (created_at, notice_id) over the covering partial index
 * inbox_listing (recipient_id, created_at DESC, notice_id DESC) INCLUDE (…), so page N costs
 * what page 1 costs and a page reads no entry row from the heap.
 */
@Injectable()
export class TypeOrmInboxRepository extends InboxRepository {
  constructor(
    @Inject(TransactionRunner) private readonly tx: TransactionRunner,
    @Inject(PgStatements) private readonly db: PgStatements,
  ) {
    super();
  }

  /**
   * Only the predicates of the filters given are written into the SQL (each shape is its own
   * named statement, planned once per connection): a catch-all `($n IS NULL OR …)` form would be
   * planned generically and hide the index-only scan of `inbox_listing` from the common case.
   */
  override async list(recipientId: string, f: InboxListQuery): Promise<InboxItemRow[]> {
    const values: unknown[] = [recipientId];
    const where: string[] = [`e.recipient_id = $1`, `e.state IN ('DELIVERED','VIEWED','EFFECTIVE')`, f.archived ? 'e.archived_at IS NOT NULL' : 'e.archived_at IS NULL'];
    const p = (v: unknown) => `$${values.push(v)}`;
    if (f.after) where.push(`(e.created_at, e.notice_id) < (${p(f.after.t)}::timestamptz, ${p(f.after.id)}::uuid)`);
    if (f.unread !== null) where.push(f.unread ? 'e.read_at IS NULL' : 'e.read_at IS NOT NULL');
    if (f.sender) where.push(`n.agency_id = ${p(f.sender)}::uuid`);
    if (f.category) where.push(`n.category = ${p(f.category)}`);
    if (f.from) where.push(`e.created_at >= ${p(f.from)}::timestamptz`);
    if (f.to) where.push(`e.created_at < ${p(f.to)}::timestamptz`);
    if (f.q) {
      const q = p(f.q);
      where.push(`(n.subject_tsv @@ plainto_tsquery('simple', ${q}) OR n.subject ILIKE '%' || ${q} || '%')`);
    }
    if (f.starred !== null) where.push(f.starred ? 'e.starred' : 'NOT e.starred');
    const limit = p(f.limit);
    return this.db.query<InboxItemRow>(
      `SELECT e.notice_id, n.subject, n.category, n.agency_id, a.name AS agency_name, e.state, e.created_at, e.read_at, n.due_date::text AS due_date,
              e.starred, e.acknowledged_at, e.archived_at, n.system_notice
         FROM inbox_entries e
         JOIN notices n ON n.notice_id = e.notice_id
         LEFT JOIN agencies a ON a.agency_id = n.agency_id
        WHERE ${where.join(' AND ')}
        ORDER BY e.created_at DESC, e.notice_id DESC
        LIMIT ${limit}`,
      values,
    );
  }

  /** An index-only count over the partial index of unopened visible entries (inbox_unread). */
  override async unreadCount(recipientId: string): Promise<number> {
    const rows = await this.db.query<{ n: number }>(`SELECT count(*)::int AS n FROM inbox_entries WHERE recipient_id = $1 AND read_at IS NULL AND state IN ('DELIVERED','EFFECTIVE')`, [recipientId]);
    return rows[0].n;
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
