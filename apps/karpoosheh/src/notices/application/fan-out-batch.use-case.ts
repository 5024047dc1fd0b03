import { Inject, Injectable } from '@nestjs/common';
import { NOTICE_BATCH_COMPLETED_V1, type NoticeBatchCompletedV1 } from '@darvazeh/contracts';
import { TransactionRunner } from '@darvazeh/database';
import { KarpooshehEnv } from '../../config/karpoosheh.env.js';
import { Clock } from '../../shared/domain/clock.js';
import { NoticeRepository } from '../domain/notice.repository.js';
import { TransitionRecorder } from './transition-recorder.js';

/**
 * One step of the asynchronous fan-out: takes the oldest unfinished batch (row-locked, SKIP
 * LOCKED, so replicas work on different batches), writes one chunk of inbox entries with one
 * INSERT … SELECT unnest, their audit entries and (per config) per-recipient events, and
 * advances the progress counters — one transaction per chunk, so a crash resumes at the chunk
 * it was writing. The last step publishes batch.completed and queues the notifications.
 */
@Injectable()
export class FanOutBatchUseCase {
  constructor(
    @Inject(TransactionRunner) private readonly tx: TransactionRunner,
    @Inject(NoticeRepository) private readonly notices: NoticeRepository,
    @Inject(TransitionRecorder) private readonly recorder: TransitionRecorder,
    @Inject(Clock) private readonly clock: Clock,
    @Inject(KarpooshehEnv) private readonly env: KarpooshehEnv,
  ) {}

  /** True when it did some work (the loop then runs it again at once). */
  async step(): Promise<boolean> {
    return this.tx.run(async () => {
      const batch = await this.notices.claimBatch();
      if (!batch) return false;
      const ref = { noticeId: batch.notice_id, agencyId: batch.agency_id, batchId: batch.batch_id };
      const now = this.clock.now();
      const chunk = await this.notices.nextChunk(batch.batch_id);
      if (!chunk) {
        await this.notices.completeBatch(batch.batch_id, 'COMPLETED', now);
        const data: NoticeBatchCompletedV1 = { batchId: batch.batch_id, noticeId: batch.notice_id, agencyId: batch.agency_id, delivered: batch.delivered, failed: batch.failed, completedAt: now.toISOString() };
        await this.recorder.events(ref, [{ type: NOTICE_BATCH_COMPLETED_V1, data, webhook: true }], now);
        if (batch.delivered > 0) await this.notices.queueNotifications(batch.notice_id);
        return true;
      }
      const placed = await this.notices.deliver(batch.notice_id, chunk.recipients, now, this.env.RECIPIENT_DIRECTORY);
      const perRecipient = this.env.BATCH_DELIVERED_EVENTS === 'per-recipient';
      const delivered = placed.filter((p) => p.state === 'DELIVERED');
      const failed = placed.filter((p) => p.state === 'FAILED');
      const moves = (rows: typeof placed) =>
        rows.map((p) => ({ recipientId: p.recipient_id, from: 'ACCEPTED' as const, to: p.state, actor: 'system', reason: p.state === 'FAILED' ? 'RECIPIENT_UNKNOWN' : null }));
      // Per-recipient callbacks for a million recipients would flood an agency: batch.completed says it.
      await this.recorder.transitions(ref, moves(delivered), now, { events: perRecipient, webhooks: false });
      // FAILED is always published per recipient: the sender has to act on each one.
      await this.recorder.transitions(ref, moves(failed), now, { events: true, webhooks: false });
      await this.notices.finishChunk(batch.batch_id, chunk.chunkNo, chunk.recipients.length, delivered.length, failed.length);
      return true;
    });
  }
}
