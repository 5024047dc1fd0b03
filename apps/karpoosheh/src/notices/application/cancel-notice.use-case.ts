import { Inject, Injectable } from '@nestjs/common';
import { TransactionRunner } from '@darvazeh/database';
import { KarpooshehEnv } from '../../config/karpoosheh.env.js';
import { Clock } from '../../shared/domain/clock.js';
import { KarpooshehError, noticeNotFound } from '../../shared/domain/karpoosheh.errors.js';
import { CANCELLABLE_STATES } from '../domain/recipient-state.js';
import { NoticeRepository } from '../domain/notice.repository.js';
import { TransitionRecorder } from './transition-recorder.js';

/**
 * The sender withdraws a notice no one has opened (and that took no legal effect): every
 * entry becomes CANCELLED, a pending fan-out stops. The notice row lock (taken first, as
 * opening does) makes "nobody opened it" and the cancellation one atomic decision.
 */
@Injectable()
export class CancelNoticeUseCase {
  constructor(
    @Inject(TransactionRunner) private readonly tx: TransactionRunner,
    @Inject(NoticeRepository) private readonly notices: NoticeRepository,
    @Inject(TransitionRecorder) private readonly recorder: TransitionRecorder,
    @Inject(Clock) private readonly clock: Clock,
    @Inject(KarpooshehEnv) private readonly env: KarpooshehEnv,
  ) {}

  async execute(input: { agencyId: string; actor: string; noticeId: string; reason: string | null }): Promise<{ noticeId: string; cancelled: number }> {
    return this.tx.run(async () => {
      const locked = await this.notices.lockNotice(input.noticeId);
      if (!locked || locked.agencyId !== input.agencyId) throw noticeNotFound();
      const opened = await this.notices.firstNonCancellableState(input.noticeId);
      if (opened) {
        throw new KarpooshehError('KARPOOSHEH.NOTICE_NOT_CANCELLABLE', 'conflict', `The notice can no longer be cancelled: a recipient's copy is ${opened}.`);
      }
      const now = this.clock.now();
      const batch = await this.notices.batchOfNotice(input.noticeId);
      if (batch && (batch.status === 'PENDING' || batch.status === 'RUNNING')) {
        await this.notices.completeBatch(batch.batch_id, 'CANCELLED', now);
        await this.recorder.facts(input.noticeId, [
          { noticeId: input.noticeId, recipientId: null, action: 'BATCH_CANCELLED', actor: input.actor, detail: { batchId: batch.batch_id, notYetDelivered: batch.total - batch.processed }, at: now.toISOString() },
        ]);
      }
      const changed = await this.notices.cancelEntries(input.noticeId, now, CANCELLABLE_STATES);
      const bulk = batch !== null && this.env.BATCH_DELIVERED_EVENTS === 'per-batch';
      await this.recorder.transitions(
        { noticeId: input.noticeId, agencyId: input.agencyId, batchId: batch?.batch_id ?? null },
        changed.map((c) => ({ recipientId: c.recipient_id, from: c.previous, to: 'CANCELLED' as const, actor: input.actor, reason: input.reason })),
        now,
        { events: !bulk, webhooks: batch === null },
      );
      return { noticeId: input.noticeId, cancelled: changed.length };
    });
  }
}
