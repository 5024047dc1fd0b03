import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { RecipientState } from '../domain/recipient-state.js';
import type { NoticeContent } from '../domain/notice-content.js';

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

/** Notices, inbox entries and batches (SQL lives here; use cases own the transactions). */
@Injectable()
export class NoticesRepository {
  async insertNotice(m: EntityManager, n: { noticeId: string; agencyId: string; content: NoticeContent; recipientCount: number; system: boolean; at: Date }, attachments: readonly AttachmentRef[]): Promise<void> {
    await m.query(
      `INSERT INTO notices (notice_id, agency_id, subject, body, body_format, category, due_date, recipient_count, system_notice, created_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)`,
      [n.noticeId, n.agencyId, n.content.subject, n.content.body, n.content.bodyFormat, n.content.category, n.content.dueDate, n.recipientCount, n.system, n.at],
    );
    if (attachments.length > 0) {
      await m.query(
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
  async deliver(m: EntityManager, noticeId: string, recipients: readonly string[], at: Date, directory: 'projection' | 'any'): Promise<{ recipient_id: string; state: 'DELIVERED' | 'FAILED' }[]> {
    return m.query(
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

  async findNotice(m: EntityManager, noticeId: string): Promise<NoticeRow | null> {
    const rows: NoticeRow[] = await m.query('SELECT *, due_date::text AS due_date FROM notices WHERE notice_id = $1', [noticeId]);
    return rows[0] ?? null;
  }

  async attachmentsOf(m: EntityManager, noticeId: string): Promise<{ sha256: string; filename: string; mime: string; size: number }[]> {
    return m.query(
      `SELECT na.sha256, na.filename, a.mime, a.size FROM notice_attachments na JOIN attachments a USING (sha256) WHERE na.notice_id = $1 ORDER BY na.position`,
      [noticeId],
    );
  }

  async entry(m: EntityManager, noticeId: string, recipientId: string, lock = false): Promise<EntryRow | null> {
    const rows: EntryRow[] = await m.query(`SELECT * FROM inbox_entries WHERE notice_id = $1 AND recipient_id = $2${lock ? ' FOR UPDATE' : ''}`, [noticeId, recipientId]);
    return rows[0] ?? null;
  }

  async insertBatch(m: EntityManager, b: { batchId: string; noticeId: string; agencyId: string; recipients: readonly string[]; at: Date }, chunkSize: number): Promise<void> {
    await m.query(`INSERT INTO batches (batch_id, notice_id, agency_id, status, total, created_at) VALUES ($1, $2, $3, 'PENDING', $4, $5)`, [
      b.batchId,
      b.noticeId,
      b.agencyId,
      b.recipients.length,
      b.at,
    ]);
    for (let i = 0, n = 0; i < b.recipients.length; i += chunkSize, n++) {
      await m.query('INSERT INTO batch_chunks (batch_id, chunk_no, recipients) VALUES ($1, $2, $3::text[])', [b.batchId, n, b.recipients.slice(i, i + chunkSize)]);
    }
  }

  async batch(m: EntityManager, batchId: string): Promise<BatchRow | null> {
    const rows: BatchRow[] = await m.query(
      'SELECT batch_id, notice_id, agency_id, status, total, processed, delivered, failed, created_at, completed_at FROM batches WHERE batch_id = $1',
      [batchId],
    );
    return rows[0] ?? null;
  }

  async batchOfNotice(m: EntityManager, noticeId: string): Promise<BatchRow | null> {
    const rows: BatchRow[] = await m.query(
      'SELECT batch_id, notice_id, agency_id, status, total, processed, delivered, failed, created_at, completed_at FROM batches WHERE notice_id = $1',
      [noticeId],
    );
    return rows[0] ?? null;
  }

  /** Claims the oldest unfinished batch (SKIP LOCKED: replicas share the work, one batch each). */
  async claimBatch(m: EntityManager): Promise<BatchRow | null> {
    const rows: BatchRow[] = await m.query(
      `SELECT batch_id, notice_id, agency_id, status, total, processed, delivered, failed, created_at, completed_at
         FROM batches WHERE status IN ('PENDING','RUNNING') ORDER BY created_at LIMIT 1 FOR UPDATE SKIP LOCKED`,
    );
    return rows[0] ?? null;
  }

  /** The next chunk of a claimed batch, or null when none is left. */
  async nextChunk(m: EntityManager, batchId: string): Promise<{ chunkNo: number; recipients: string[] } | null> {
    const rows: { chunk_no: number; recipients: string[] }[] = await m.query(
      'SELECT chunk_no, recipients FROM batch_chunks WHERE batch_id = $1 ORDER BY chunk_no LIMIT 1',
      [batchId],
    );
    return rows[0] ? { chunkNo: rows[0].chunk_no, recipients: rows[0].recipients } : null;
  }

  async finishChunk(m: EntityManager, batchId: string, chunkNo: number, processed: number, delivered: number, failed: number): Promise<void> {
    await m.query('DELETE FROM batch_chunks WHERE batch_id = $1 AND chunk_no = $2', [batchId, chunkNo]);
    await m.query(
      `UPDATE batches SET processed = processed + $2, delivered = delivered + $3, failed = failed + $4, next_chunk = $5 + 1, status = 'RUNNING' WHERE batch_id = $1`,
      [batchId, processed, delivered, failed, chunkNo],
    );
  }

  async completeBatch(m: EntityManager, batchId: string, status: 'COMPLETED' | 'CANCELLED', at: Date): Promise<void> {
    await m.query('DELETE FROM batch_chunks WHERE batch_id = $1', [batchId]);
    await m.query('UPDATE batches SET status = $2, completed_at = $3 WHERE batch_id = $1', [batchId, status, at]);
  }

  async queueNotifications(m: EntityManager, noticeId: string): Promise<void> {
    await m.query('INSERT INTO notification_jobs (notice_id) VALUES ($1) ON CONFLICT DO NOTHING', [noticeId]);
  }
}
