import type { AuditEntry, AuditFact } from './hash-chain.js';

/**
 * Port of the append-only audit log: one hash chain per notice, its head kept on the notice
 * row. Implementations join the ambient transaction; an append row-locks the head, so appends
 * to one notice serialise while other notices go on in parallel.
 */
export abstract class AuditLogRepository {
  /**
   * `head`: the caller already knows it (a notice created in this transaction starts at the
   * genesis), which saves the locking read.
   */
  abstract append(noticeId: string, facts: readonly AuditFact[], head?: { seq: number; hash: string }): Promise<AuditEntry[]>;
  /** Every entry of a notice's chain in order (paged, so long chains stay bounded in memory). */
  abstract entries(noticeId: string): AsyncGenerator<AuditEntry>;
  abstract forRecipient(noticeId: string, recipientId: string): Promise<AuditEntry[]>;
  abstract head(noticeId: string): Promise<{ seq: number; hash: string } | null>;
}
