import { Inject, Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { TransactionRunner } from '@darvazeh/database';
import { AuditLogRepository } from '../domain/audit-log.repository.js';
import { chain, type AuditEntry, type AuditFact } from '../domain/hash-chain.js';

interface AuditRow {
  notice_id: string;
  seq: string;
  recipient_id: string | null;
  action: string;
  actor: string;
  detail: Record<string, unknown> | null;
  at: string;
  prev_hash: string;
  hash: string;
}

/**
 * The append-only audit log: one hash chain per notice, its head kept on the notice row. The
 * row lock taken to read the head serialises appends to one notice; other notices go on in
 * parallel. The table itself refuses UPDATE and DELETE (trigger).
 */
@Injectable()
export class TypeOrmAuditLogRepository extends AuditLogRepository {
  constructor(@Inject(TransactionRunner) private readonly tx: TransactionRunner) {
    super();
  }

  /** The calling use case's transaction (or the pool outside one). */
  private get manager(): EntityManager {
    return this.tx.manager();
  }

  /**
   * `head`: the caller already knows it (a notice created in this transaction starts at the
   * genesis), which saves the locking read.
   */
  override async append(noticeId: string, facts: readonly AuditFact[], head?: { seq: number; hash: string }): Promise<AuditEntry[]> {
    if (facts.length === 0) return [];
    let start = head;
    if (!start) {
      const rows: { audit_seq: string; audit_head: string }[] = await this.manager.query('SELECT audit_seq, audit_head FROM notices WHERE notice_id = $1 FOR UPDATE', [noticeId]);
      if (rows.length === 0) throw new Error(`notice ${noticeId} missing`);
      start = { seq: Number(rows[0].audit_seq), hash: rows[0].audit_head };
    }
    const entries = chain(start, facts);
    const cols = { seq: [] as number[], rid: [] as (string | null)[], action: [] as string[], actor: [] as string[], detail: [] as (string | null)[], at: [] as string[], prev: [] as string[], hash: [] as string[] };
    for (const e of entries) {
      cols.seq.push(e.seq);
      cols.rid.push(e.recipientId);
      cols.action.push(e.action);
      cols.actor.push(e.actor);
      cols.detail.push(e.detail ? JSON.stringify(e.detail) : null);
      cols.at.push(e.at);
      cols.prev.push(e.prevHash);
      cols.hash.push(e.hash);
    }
    const last = entries[entries.length - 1];
    // Entries and the new head in one statement (one round trip).
    await this.manager.query(
      `WITH appended AS (
         INSERT INTO audit_log (notice_id, seq, recipient_id, action, actor, detail, at, prev_hash, hash)
         SELECT $1, * FROM unnest($2::bigint[], $3::varchar[], $4::text[], $5::text[], $6::jsonb[], $7::text[], $8::char(64)[], $9::char(64)[]))
       UPDATE notices SET audit_seq = $10, audit_head = $11 WHERE notice_id = $1`,
      [noticeId, cols.seq, cols.rid, cols.action, cols.actor, cols.detail, cols.at, cols.prev, cols.hash, last.seq, last.hash],
    );
    return entries;
  }

  /** Every entry of a notice's chain in order (streamed in pages, so long chains stay bounded in memory per page). */
  override async *entries(noticeId: string, pageSize = 50_000): AsyncGenerator<AuditEntry> {
    let after = 0;
    for (;;) {
      const rows: AuditRow[] = await this.manager.query(
        'SELECT notice_id, seq, recipient_id, action, actor, detail, at, prev_hash, hash FROM audit_log WHERE notice_id = $1 AND seq > $2 ORDER BY seq LIMIT $3',
        [noticeId, after, pageSize],
      );
      for (const r of rows) yield toEntry(r);
      if (rows.length < pageSize) return;
      after = Number(rows[rows.length - 1].seq);
    }
  }

  override async forRecipient(noticeId: string, recipientId: string): Promise<AuditEntry[]> {
    const rows: AuditRow[] = await this.manager.query(
      `SELECT notice_id, seq, recipient_id, action, actor, detail, at, prev_hash, hash FROM audit_log
        WHERE notice_id = $1 AND (recipient_id = $2 OR recipient_id IS NULL) ORDER BY seq`,
      [noticeId, recipientId],
    );
    return rows.map(toEntry);
  }

  override async head(noticeId: string): Promise<{ seq: number; hash: string } | null> {
    const rows: { audit_seq: string; audit_head: string }[] = await this.manager.query('SELECT audit_seq, audit_head FROM notices WHERE notice_id = $1', [noticeId]);
    return rows[0] ? { seq: Number(rows[0].audit_seq), hash: rows[0].audit_head } : null;
  }
}

function toEntry(r: AuditRow): AuditEntry {
  return { noticeId: r.notice_id, seq: Number(r.seq), recipientId: r.recipient_id, action: r.action, actor: r.actor, detail: r.detail, at: r.at, prevHash: r.prev_hash, hash: r.hash };
}
