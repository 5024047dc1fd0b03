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

  /**
   * The plain page of `list` (no filter) with PostgreSQL building the JSON: Node neither parses
   * the rows nor serialises them (bench:karpoosheh-inbox). Timestamps are formatted as
   * Date#toISOString does (UTC, milliseconds, `Z`; both truncate microseconds), keys in toItem's
   * order, and no whitespace, as JSON.stringify writes them. One row more than the page is read to know whether another page follows, as list does.
   */
  override async listPageJson(recipientId: string, after: { t: string; id: string } | null, limit: number): Promise<{ items: string; last: { t: string; id: string } | null }> {
    const iso = (c: string) => `to_char(${c} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`;
    // One JSON value; json_build_object/json_agg would write `"k" : v, ` where JSON.stringify writes `"k":v,`.
    const j = (c: string) => `coalesce(to_json(${c})::text, 'null')`;
    const values: unknown[] = [recipientId, limit, limit + 1];
    const keyset = after ? `AND (e.created_at, e.notice_id) < ($4::timestamptz, $5::uuid)` : '';
    if (after) values.push(after.t, after.id);
    const rows = await this.db.query<{ items: string; more: boolean; t: string | null; id: string | null }>(
      `SELECT coalesce('[' || string_agg(
                '{"noticeId":' || ${j('p.notice_id')} || ',"subject":' || ${j('p.subject')} || ',"category":' || ${j('p.category')} ||
                ',"sender":{"agencyId":' || ${j('p.agency_id')} || ',"name":' || ${j('p.agency_name')} || '},"state":' || ${j('p.state')} ||
                ',"receivedAt":' || ${j(iso('p.created_at'))} || ',"readAt":' || ${j(iso('p.read_at'))} || ',"dueDate":' || ${j('p.due_date')} ||
                ',"starred":' || ${j('p.starred')} || ',"acknowledgedAt":' || ${j(iso('p.acknowledged_at'))} || ',"archivedAt":' || ${j(iso('p.archived_at'))} ||
                ',"systemNotice":' || ${j('p.system_notice')} || '}', ',' ORDER BY p.rn) FILTER (WHERE p.rn <= $2) || ']', '[]') AS items,
              coalesce(max(p.rn) > $2, false) AS more,
              max(${iso('p.created_at')}) FILTER (WHERE p.rn = $2) AS t,
              max(p.notice_id::text) FILTER (WHERE p.rn = $2) AS id
         FROM (SELECT e.notice_id, n.subject, n.category, n.agency_id, a.name AS agency_name, e.state, e.created_at, e.read_at, n.due_date::text AS due_date,
                      e.starred, e.acknowledged_at, e.archived_at, n.system_notice,
                      row_number() OVER (ORDER BY e.created_at DESC, e.notice_id DESC) AS rn
                 FROM inbox_entries e
                 JOIN notices n ON n.notice_id = e.notice_id
                 LEFT JOIN agencies a ON a.agency_id = n.agency_id
                WHERE e.recipient_id = $1 AND e.state IN ('DELIVERED','VIEWED','EFFECTIVE') AND e.archived_at IS NULL ${keyset}
                ORDER BY e.created_at DESC, e.notice_id DESC
                LIMIT $3) p`,
      values,
    );
    const r = rows[0];
    return { items: r.items, last: r.more && r.t !== null && r.id !== null ? { t: r.t, id: r.id } : null };
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
