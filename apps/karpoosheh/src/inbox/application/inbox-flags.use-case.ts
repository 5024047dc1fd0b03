import { Inject, Injectable } from '@nestjs/common';
import { TransactionRunner } from '@darvazeh/database';
import { Clock } from '../../shared/domain/clock.js';
import { KarpooshehError, noticeNotFound } from '../../shared/domain/karpoosheh.errors.js';
import type { InboxOwner } from './inbox-owner.js';

export type InboxFlag = 'acknowledge' | 'archive' | 'unarchive' | 'star' | 'unstar';

/** The recipient's own marks on an entry: acknowledge (after opening), archive, star. */
@Injectable()
export class InboxFlagsUseCase {
  constructor(
    @Inject(TransactionRunner) private readonly tx: TransactionRunner,
    @Inject(Clock) private readonly clock: Clock,
  ) {}

  async execute(owner: InboxOwner, noticeId: string, flag: InboxFlag): Promise<void> {
    const now = this.clock.now();
    await this.tx.run(async (m) => {
      const rows: { read_at: Date | null }[] = await m.query(
        `SELECT read_at FROM inbox_entries WHERE notice_id = $1 AND recipient_id = $2 AND state IN ('DELIVERED','VIEWED','EFFECTIVE') FOR UPDATE`,
        [noticeId, owner.recipientId],
      );
      if (!rows[0]) throw noticeNotFound();
      const set: Record<InboxFlag, string> = {
        acknowledge: 'acknowledged_at = coalesce(acknowledged_at, $3)',
        archive: 'archived_at = coalesce(archived_at, $3)',
        unarchive: 'archived_at = NULL',
        star: 'starred = true',
        unstar: 'starred = false',
      };
      if (flag === 'acknowledge' && !rows[0].read_at) {
        throw new KarpooshehError('KARPOOSHEH.NOT_OPENED', 'conflict', 'Open the notice before acknowledging it.');
      }
      const usesTime = flag === 'acknowledge' || flag === 'archive';
      await m.query(`UPDATE inbox_entries SET ${set[flag]} WHERE notice_id = $1 AND recipient_id = $2`, usesTime ? [noticeId, owner.recipientId, now] : [noticeId, owner.recipientId]);
    });
  }
}
