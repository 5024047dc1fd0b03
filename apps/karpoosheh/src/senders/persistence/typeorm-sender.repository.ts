import { Inject, Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { TransactionRunner } from '@darvazeh/database';
import type { SenderAccessStatus } from '../domain/sender-access.js';
import { SenderRepository, type SenderRow } from '../domain/sender.repository.js';

/** SQL of senders; joins the calling use case's transaction. */
@Injectable()
export class TypeOrmSenderRepository extends SenderRepository {
  constructor(@Inject(TransactionRunner) private readonly tx: TransactionRunner) {
    super();
  }

  private get m(): EntityManager {
    return this.tx.manager();
  }

  override async serialise(agencyId: string): Promise<void> {
    await this.m.query(`SELECT pg_advisory_xact_lock(hashtextextended('karpoosheh.sender:' || $1, 0))`, [agencyId]);
  }

  override async find(agencyId: string, lock = false): Promise<SenderRow | null> {
    const rows: SenderRow[] = await this.m.query(`SELECT * FROM senders WHERE agency_id = $1${lock ? ' FOR UPDATE' : ''}`, [agencyId]);
    return rows[0] ?? null;
  }

  /**
   * Row-locks the sender for the send's duration: a suspension committed meanwhile waits for it,
   * and the next send sees it. An agency identity disabled (agency.disabled) counts as suspended.
   */
  override async statusForSend(agencyId: string): Promise<SenderAccessStatus | null> {
    return (await this.forSend(agencyId)).status;
  }

  /** statusForSend plus the callback URL (a send needs both; one round trip). */
  override async forSend(agencyId: string): Promise<{ status: SenderAccessStatus | null; callbackUrl: string | null }> {
    const rows: { status: SenderAccessStatus; disabled: boolean | null; callback_url: string | null }[] = await this.m.query(
      'SELECT s.status, a.disabled, s.callback_url FROM senders s LEFT JOIN agencies a ON a.agency_id = s.agency_id WHERE s.agency_id = $1 FOR SHARE OF s',
      [agencyId],
    );
    if (!rows[0]) return { status: null, callbackUrl: null };
    return { status: rows[0].disabled ? 'SUSPENDED' : rows[0].status, callbackUrl: rows[0].callback_url };
  }

  override async insert(agencyId: string, at: Date): Promise<void> {
    await this.m.query(`INSERT INTO senders (agency_id, status, requested_at, updated_at) VALUES ($1, 'REQUESTED', $2, $2)`, [agencyId, at]);
  }

  override async setStatus(agencyId: string, status: SenderAccessStatus, reason: string | null, at: Date): Promise<void> {
    await this.m.query('UPDATE senders SET status = $2, reason = $3, updated_at = $4 WHERE agency_id = $1', [agencyId, status, reason, at]);
  }

  override async setCallback(agencyId: string, url: string | null, secret: string | null, at: Date): Promise<void> {
    await this.m.query('UPDATE senders SET callback_url = $2, callback_secret = $3, updated_at = $4 WHERE agency_id = $1', [agencyId, url, secret, at]);
  }

  override async list(status: SenderAccessStatus | undefined, limit: number, after: string | undefined): Promise<SenderRow[]> {
    return this.m.query(
      `SELECT * FROM senders WHERE ($1::text IS NULL OR status = $1) AND ($2::uuid IS NULL OR agency_id > $2) ORDER BY agency_id LIMIT $3`,
      [status ?? null, after ?? null, limit],
    );
  }
}
