import { Inject, Injectable } from '@nestjs/common';
import { TransactionRunner } from '@darvazeh/database';
import { KarpooshehEnv } from '../../config/karpoosheh.env.js';
import { Clock } from '../../shared/domain/clock.js';
import { NoticeRepository } from '../domain/notice.repository.js';
import { TransitionRecorder } from './transition-recorder.js';

/**
 * Deemed delivery: an entry DELIVERED more than EFFECTIVE_AFTER_DAYS ago and still unopened
 * becomes EFFECTIVE (the legal date is delivered_at + N days, recorded as effective_at). Works
 * in chunks of one notice at a time so the notice's audit chain is appended under its lock.
 */
@Injectable()
export class EffectiveJob {
  constructor(
    @Inject(TransactionRunner) private readonly tx: TransactionRunner,
    @Inject(NoticeRepository) private readonly notices: NoticeRepository,
    @Inject(TransitionRecorder) private readonly recorder: TransitionRecorder,
    @Inject(Clock) private readonly clock: Clock,
    @Inject(KarpooshehEnv) private readonly env: KarpooshehEnv,
  ) {}

  /** One chunk; returns how many entries became EFFECTIVE (0 = nothing due). */
  async step(limit = 5000): Promise<number> {
    const now = this.clock.now();
    const cutoff = new Date(now.getTime() - this.env.EFFECTIVE_AFTER_DAYS * 86_400_000);
    return this.tx.run(async () => {
      const due = await this.notices.findDueEffective(cutoff);
      if (!due) return 0;
      const { notice_id: noticeId, agency_id: agencyId } = due;
      await this.notices.lockNotice(noticeId);
      const changed = await this.notices.markEffective(noticeId, cutoff, this.env.EFFECTIVE_AFTER_DAYS, limit);
      const batch = await this.notices.batchOfNotice(noticeId);
      await this.recorder.transitions(
        { noticeId, agencyId, batchId: batch?.batch_id ?? null },
        changed.map((recipientId) => ({ recipientId, from: 'DELIVERED' as const, to: 'EFFECTIVE' as const, actor: 'system', reason: `unopened for ${this.env.EFFECTIVE_AFTER_DAYS} days` })),
        now,
        { webhooks: batch === null },
      );
      return changed.length;
    });
  }

  async runAll(): Promise<number> {
    let total = 0;
    for (let n = await this.step(); n > 0; n = await this.step()) total += n;
    return total;
  }
}
