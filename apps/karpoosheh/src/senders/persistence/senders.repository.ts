import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { SenderAccessStatus } from '../domain/sender-access.js';

export interface SenderRow {
  agency_id: string;
  status: SenderAccessStatus;
  reason: string | null;
  callback_url: string | null;
  callback_secret: string | null;
  requested_at: Date;
  updated_at: Date;
}

@Injectable()
export class SendersRepository {
  async find(m: EntityManager, agencyId: string, lock = false): Promise<SenderRow | null> {
    const rows: SenderRow[] = await m.query(`SELECT * FROM senders WHERE agency_id = $1${lock ? ' FOR UPDATE' : ''}`, [agencyId]);
    return rows[0] ?? null;
  }

  /**
   * Row-locks the sender for the send's duration: a suspension committed meanwhile waits for it,
   * and the next send sees it. An agency identity disabled (agency.disabled) counts as suspended.
   */
  async statusForSend(m: EntityManager, agencyId: string): Promise<SenderAccessStatus | null> {
    return (await this.forSend(m, agencyId)).status;
  }

  /** statusForSend plus the callback URL (a send needs both; one round trip). */
  async forSend(m: EntityManager, agencyId: string): Promise<{ status: SenderAccessStatus | null; callbackUrl: string | null }> {
    const rows: { status: SenderAccessStatus; disabled: boolean | null; callback_url: string | null }[] = await m.query(
      'SELECT s.status, a.disabled, s.callback_url FROM senders s LEFT JOIN agencies a ON a.agency_id = s.agency_id WHERE s.agency_id = $1 FOR SHARE OF s',
      [agencyId],
    );
    if (!rows[0]) return { status: null, callbackUrl: null };
    return { status: rows[0].disabled ? 'SUSPENDED' : rows[0].status, callbackUrl: rows[0].callback_url };
  }

  async insert(m: EntityManager, agencyId: string, at: Date): Promise<void> {
    await m.query(`INSERT INTO senders (agency_id, status, requested_at, updated_at) VALUES ($1, 'REQUESTED', $2, $2)`, [agencyId, at]);
  }

  async setStatus(m: EntityManager, agencyId: string, status: SenderAccessStatus, reason: string | null, at: Date): Promise<void> {
    await m.query('UPDATE senders SET status = $2, reason = $3, updated_at = $4 WHERE agency_id = $1', [agencyId, status, reason, at]);
  }

  async setCallback(m: EntityManager, agencyId: string, url: string | null, secret: string | null, at: Date): Promise<void> {
    await m.query('UPDATE senders SET callback_url = $2, callback_secret = $3, updated_at = $4 WHERE agency_id = $1', [agencyId, url, secret, at]);
  }

  async list(m: EntityManager, status: SenderAccessStatus | undefined, limit: number, after: string | undefined): Promise<SenderRow[]> {
    return m.query(
      `SELECT * FROM senders WHERE ($1::text IS NULL OR status = $1) AND ($2::uuid IS NULL OR agency_id > $2) ORDER BY agency_id LIMIT $3`,
      [status ?? null, after ?? null, limit],
    );
  }
}
