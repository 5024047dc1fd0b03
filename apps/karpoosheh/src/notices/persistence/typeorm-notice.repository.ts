import { Inject, Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { TransactionRunner } from '@darvazeh/database';
import {
  NoticeRepository,
  type AttachmentRef,
  type BatchRow,
  type EntryRow,
  type NewNotice,
  type NoticeAttachmentView,
  type NoticeRow,
  type PlacedEntry,
  type SentNoticeSummary,
} from '../domain/notice.repository.js';
import type { RecipientState } from '../domain/recipient-state.js';

/** SQL of notices, inbox entries and batches (use cases own the transactions; this joins them). */
@Injectable()
export class TypeOrmNoticeRepository extends NoticeRepository {
  constructor(@Inject(TransactionRunner) private readonly tx: TransactionRunner) {
    super();
  }

  /** The calling use case's transaction (or the pool outside one). */
  private get m(): EntityManager {
    return this.tx.manager();
  }

  override async insertNotice(n: NewNotice, attachments: readonly AttachmentRef[]): Promise<void> {
    await this.m.query(
      `INSERT INTO notices (notice_id, agency_id, subject, body, body_format, category, due_date, recipient_count, system_notice, created_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)`,
      [n.noticeId, n.agencyId, n.content.subject, n.content.body, n.content.bodyFormat, n.content.category, n.content.dueDate, n.recipientCount, n.system, n.at],
    );
    if (attachments.length > 0) {
      await this.m.query(
        `INSERT INTO notice_attachments (notice_id, position, sha256, filename) SELECT $1, ord, sha, name FROM unnest($2::char(64)[], $3::text[]) WITH ORDINALITY AS t(sha, name, ord)`,
        [n.noticeId, attachments.map((a) => a.sha256), attachments.map((a) => a.filename)],
      );
    }
  }

  /**
   * Places a notice in recipients' inboxes: DELIVERED when the recipient exists (companies
   * always; citizens when known to identity, unless every national code counts), FAILED
   * otherwise. Returns the rows written (a recipient already holding the notice is skipped).
   */
  override async deliver(noticeId: string, recipients: readonly string[], at: Date, directory: 'projection' | 'any'): Promise<PlacedEntry[]> {
    return this.m.query(
      `INSERT INTO inbox_entries (notice_id, recipient_id, state, created_at, delivered_at, failed_reason)
       SELECT $1, r.id,
              CASE WHEN length(r.id) = 11 OR $4 = 'any' OR c.national_code IS NOT NULL THEN 'DELIVERED' ELSE 'FAILED' END,
              $3,
              CASE WHEN length(r.id) = 11 OR $4 = 'any' OR c.national_code IS NOT NULL THEN $3::timestamptz END,
              CASE WHEN length(r.id) = 11 OR $4 = 'any' OR c.national_code IS NOT NULL THEN NULL ELSE 'no citizen with this national code is registered' END
         FROM unnest($2::varchar[]) AS r(id)
         LEFT JOIN citizens c ON c.national_code = r.id
       ON CONFLICT DO NOTHING
       RETURNING recipient_id, state`,
      [noticeId, recipients, at, directory],
    );
  }

  override async insertDelivered(n: NewNotice, attachments: readonly AttachmentRef[], recipients: readonly string[], directory: 'projection' | 'any'): Promise<PlacedEntry[]> {
    // Data-modifying CTEs: the children select the notice from `nn`, so the foreign keys see it.
    return this.m.query(
      `WITH nn AS (
         INSERT INTO notices (notice_id, agency_id, subject, body, body_format, category, due_date, recipient_count, system_notice, created_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) RETURNING notice_id),
       att AS (
         INSERT INTO notice_attachments (notice_id, position, sha256, filename)
         SELECT nn.notice_id, ord, sha, name FROM nn, unnest($11::char(64)[], $12::text[]) WITH ORDINALITY AS t(sha, name, ord)),
       placed AS (
         INSERT INTO inbox_entries (notice_id, recipient_id, state, created_at, delivered_at, failed_reason)
         SELECT nn.notice_id, r.id,
                CASE WHEN length(r.id) = 11 OR $14 = 'any' OR c.national_code IS NOT NULL THEN 'DELIVERED' ELSE 'FAILED' END,
                $10,
                CASE WHEN length(r.id) = 11 OR $14 = 'any' OR c.national_code IS NOT NULL THEN $10::timestamptz END,
                CASE WHEN length(r.id) = 11 OR $14 = 'any' OR c.national_code IS NOT NULL THEN NULL ELSE 'no citizen with this national code is registered' END
           FROM nn, unnest($13::varchar[]) AS r(id)
           LEFT JOIN citizens c ON c.national_code = r.id
         ON CONFLICT DO NOTHING
         RETURNING recipient_id, state),
       job AS (
         INSERT INTO notification_jobs (notice_id) SELECT nn.notice_id FROM nn WHERE EXISTS (SELECT 1 FROM placed WHERE state = 'DELIVERED'))
       SELECT recipient_id, state FROM placed`,
      [
        n.noticeId,
        n.agencyId,
        n.content.subject,
        n.content.body,
        n.content.bodyFormat,
        n.content.category,
        n.content.dueDate,
        n.recipientCount,
        n.system,
        n.at,
        attachments.map((a) => a.sha256),
        attachments.map((a) => a.filename),
        recipients,
        directory,
      ],
    );
  }

  override async findNotice(noticeId: string): Promise<NoticeRow | null> {
    const rows: NoticeRow[] = await this.m.query('SELECT *, due_date::text AS due_date FROM notices WHERE notice_id = $1', [noticeId]);
    return rows[0] ?? null;
  }

  override async attachmentsOf(noticeId: string): Promise<NoticeAttachmentView[]> {
    return this.m.query(
      `SELECT na.sha256, na.filename, a.mime, a.size FROM notice_attachments na JOIN attachments a USING (sha256) WHERE na.notice_id = $1 ORDER BY na.position`,
      [noticeId],
    );
  }

  override async entry(noticeId: string, recipientId: string, lock = false): Promise<EntryRow | null> {
    const rows: EntryRow[] = await this.m.query(`SELECT * FROM inbox_entries WHERE notice_id = $1 AND recipient_id = $2${lock ? ' FOR UPDATE' : ''}`, [noticeId, recipientId]);
    return rows[0] ?? null;
  }

  override async insertBatch(b: { batchId: string; noticeId: string; agencyId: string; recipients: readonly string[]; at: Date }, chunkSize: number): Promise<void> {
    await this.m.query(`INSERT INTO batches (batch_id, notice_id, agency_id, status, total, created_at) VALUES ($1, $2, $3, 'PENDING', $4, $5)`, [
      b.batchId,
      b.noticeId,
      b.agencyId,
      b.recipients.length,
      b.at,
    ]);
    for (let i = 0, n = 0; i < b.recipients.length; i += chunkSize, n++) {
      await this.m.query('INSERT INTO batch_chunks (batch_id, chunk_no, recipients) VALUES ($1, $2, $3::text[])', [b.batchId, n, b.recipients.slice(i, i + chunkSize)]);
    }
  }

  override async batch(batchId: string): Promise<BatchRow | null> {
    const rows: BatchRow[] = await this.m.query(
      'SELECT batch_id, notice_id, agency_id, status, total, processed, delivered, failed, created_at, completed_at FROM batches WHERE batch_id = $1',
      [batchId],
    );
    return rows[0] ?? null;
  }

  override async batchOfNotice(noticeId: string): Promise<BatchRow | null> {
    const rows: BatchRow[] = await this.m.query(
      'SELECT batch_id, notice_id, agency_id, status, total, processed, delivered, failed, created_at, completed_at FROM batches WHERE notice_id = $1',
      [noticeId],
    );
    return rows[0] ?? null;
  }

  /** Claims the oldest unfinished batch (SKIP LOCKED: replicas share the work, one batch each). */
  override async claimBatch(): Promise<BatchRow | null> {
    const rows: BatchRow[] = await this.m.query(
      `SELECT batch_id, notice_id, agency_id, status, total, processed, delivered, failed, created_at, completed_at
         FROM batches WHERE status IN ('PENDING','RUNNING') ORDER BY created_at LIMIT 1 FOR UPDATE SKIP LOCKED`,
    );
    return rows[0] ?? null;
  }

  /** The next chunk of a claimed batch, or null when none is left. */
  override async nextChunk(batchId: string): Promise<{ chunkNo: number; recipients: string[] } | null> {
    const rows: { chunk_no: number; recipients: string[] }[] = await this.m.query(
      'SELECT chunk_no, recipients FROM batch_chunks WHERE batch_id = $1 ORDER BY chunk_no LIMIT 1',
      [batchId],
    );
    return rows[0] ? { chunkNo: rows[0].chunk_no, recipients: rows[0].recipients } : null;
  }

  override async finishChunk(batchId: string, chunkNo: number, processed: number, delivered: number, failed: number): Promise<void> {
    await this.m.query('DELETE FROM batch_chunks WHERE batch_id = $1 AND chunk_no = $2', [batchId, chunkNo]);
    await this.m.query(
      `UPDATE batches SET processed = processed + $2, delivered = delivered + $3, failed = failed + $4, next_chunk = $5 + 1, status = 'RUNNING' WHERE batch_id = $1`,
      [batchId, processed, delivered, failed, chunkNo],
    );
  }

  override async completeBatch(batchId: string, status: 'COMPLETED' | 'CANCELLED', at: Date): Promise<void> {
    await this.m.query('DELETE FROM batch_chunks WHERE batch_id = $1', [batchId]);
    await this.m.query('UPDATE batches SET status = $2, completed_at = $3 WHERE batch_id = $1', [batchId, status, at]);
  }

  override async queueNotifications(noticeId: string): Promise<void> {
    await this.m.query('INSERT INTO notification_jobs (notice_id) VALUES ($1) ON CONFLICT DO NOTHING', [noticeId]);
  }
  override async lockNotice(noticeId: string): Promise<{ agencyId: string } | null> {
    const rows: { agency_id: string }[] = await this.m.query('SELECT agency_id FROM notices WHERE notice_id = $1 FOR UPDATE', [noticeId]);
    return rows[0] ? { agencyId: rows[0].agency_id } : null;
  }

  override async stateCounts(noticeId: string): Promise<{ state: RecipientState; n: number }[]> {
    const counts: { state: RecipientState; n: string }[] = await this.m.query('SELECT state, count(*) AS n FROM inbox_entries WHERE notice_id = $1 GROUP BY state', [noticeId]);
    return counts.map((c) => ({ state: c.state, n: Number(c.n) }));
  }

  override async recipientsPage(noticeId: string, afterRecipient: string, state: RecipientState | null, limit: number): Promise<EntryRow[]> {
    return this.m.query(
      `SELECT * FROM inbox_entries WHERE notice_id = $1 AND recipient_id > $2 AND ($3::text IS NULL OR state = $3) ORDER BY recipient_id LIMIT $4`,
      [noticeId, afterRecipient, state, limit],
    );
  }

  override async listByAgency(agencyId: string, after: { t: string; id: string } | null, limit: number): Promise<SentNoticeSummary[]> {
    return this.m.query(
      `SELECT notice_id, subject, category, created_at, recipient_count FROM notices
        WHERE agency_id = $1 AND ($2::timestamptz IS NULL OR (created_at, notice_id) < ($2, $3::uuid))
        ORDER BY created_at DESC, notice_id DESC LIMIT $4`,
      [agencyId, after?.t ?? null, after?.id ?? null, limit],
    );
  }

  override async firstNonCancellableState(noticeId: string): Promise<RecipientState | null> {
    const opened: { state: RecipientState }[] = await this.m.query(
      `SELECT state FROM inbox_entries WHERE notice_id = $1 AND state NOT IN ('ACCEPTED','DELIVERED','CANCELLED','FAILED') LIMIT 1`,
      [noticeId],
    );
    return opened[0]?.state ?? null;
  }

  override async cancelEntries(noticeId: string, at: Date, states: readonly RecipientState[]): Promise<{ recipient_id: string; previous: RecipientState }[]> {
    return this.m.query(
      `WITH u AS (UPDATE inbox_entries e SET state = 'CANCELLED', cancelled_at = $2
         FROM (SELECT recipient_id, state AS previous FROM inbox_entries WHERE notice_id = $1 AND state = ANY($3::text[])) p
        WHERE e.notice_id = $1 AND e.recipient_id = p.recipient_id
       RETURNING e.recipient_id, p.previous) SELECT * FROM u`,
      [noticeId, at, states],
    );
  }

  override async markViewed(noticeId: string, recipientId: string, at: Date, reader: string): Promise<void> {
    await this.m.query(`UPDATE inbox_entries SET state = 'VIEWED', read_at = $3, read_by = $4 WHERE notice_id = $1 AND recipient_id = $2`, [noticeId, recipientId, at, reader]);
  }

  override async agencyName(agencyId: string): Promise<string | null> {
    const agency: { name: string }[] = await this.m.query('SELECT name FROM agencies WHERE agency_id = $1', [agencyId]);
    return agency[0]?.name ?? null;
  }

  override async recordDownload(d: { noticeId: string; recipientId: string; sha256: string; reader: string; at: Date }): Promise<void> {
    await this.m.query('INSERT INTO attachment_downloads (notice_id, recipient_id, sha256, reader, at) VALUES ($1, $2, $3, $4, $5)', [d.noticeId, d.recipientId, d.sha256, d.reader, d.at]);
  }

  override async findDueEffective(cutoff: Date): Promise<{ notice_id: string; agency_id: string } | null> {
    const due: { notice_id: string; agency_id: string }[] = await this.m.query(
      `SELECT e.notice_id, n.agency_id FROM inbox_entries e JOIN notices n USING (notice_id)
        WHERE e.state = 'DELIVERED' AND e.delivered_at <= $1 LIMIT 1`,
      [cutoff],
    );
    return due[0] ?? null;
  }

  override async markEffective(noticeId: string, cutoff: Date, days: number, limit: number): Promise<string[]> {
    const changed: { recipient_id: string }[] = await this.m.query(
      `WITH u AS (UPDATE inbox_entries SET state = 'EFFECTIVE', effective_at = delivered_at + make_interval(days => $3)
        WHERE (notice_id, recipient_id) IN (
          SELECT notice_id, recipient_id FROM inbox_entries WHERE notice_id = $1 AND state = 'DELIVERED' AND delivered_at <= $2 LIMIT $4 FOR UPDATE)
       RETURNING recipient_id) SELECT * FROM u`,
      [noticeId, cutoff, days, limit],
    );
    return changed.map((c) => c.recipient_id);
  }
}
