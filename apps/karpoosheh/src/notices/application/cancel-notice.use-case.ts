import { Inject, Injectable } from '@nestjs/common';
import { TransactionRunner } from '@darvazeh/database';
import { KarpooshehEnv } from '../../config/karpoosheh.env.js';
import { Clock } from '../../shared/domain/clock.js';
import { KarpooshehError, noticeNotFound } from '../../shared/domain/karpoosheh.errors.js';
import { CANCELLABLE_STATES, type RecipientState } from '../domain/recipient-state.js';
import { NoticesRepository } from '../persistence/notices.repository.js';
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
    @Inject(NoticesRepository) private readonly notices: NoticesRepository,
    @Inject(TransitionRecorder) private readonly recorder: TransitionRecorder,
    @Inject(Clock) private readonly clock: Clock,
    @Inject(KarpooshehEnv) private readonly env: KarpooshehEnv,
  ) {}

  async execute(input: { agencyId: string; actor: string; noticeId: string; reason: string | null }): Promise<{ noticeId: string; cancelled: number }> {
    return this.tx.run(async (m) => {
      const rows: { agency_id: string }[] = await m.query('SELECT agency_id FROM notices WHERE notice_id = $1 FOR UPDATE', [input.noticeId]);
      if (!rows[0] || rows[0].agency_id !== input.agencyId) throw noticeNotFound();
      const opened: { state: RecipientState }[] = await m.query(
        `SELECT state FROM inbox_entries WHERE notice_id = $1 AND state NOT IN ('ACCEPTED','DELIVERED','CANCELLED','FAILED') LIMIT 1`,
        [input.noticeId],
      );
      if (opened[0]) {
        throw new KarpooshehError('KARPOOSHEH.NOTICE_NOT_CANCELLABLE', 'conflict', `The notice can no longer be cancelled: a recipient's copy is ${opened[0].state}.`);
      }
      const now = this.clock.now();
      const batch = await this.notices.batchOfNotice(m, input.noticeId);
      if (batch && (batch.status === 'PENDING' || batch.status === 'RUNNING')) {
        await this.notices.completeBatch(m, batch.batch_id, 'CANCELLED', now);
        await this.recorder.facts(m, input.noticeId, [
          { noticeId: input.noticeId, recipientId: null, action: 'BATCH_CANCELLED', actor: input.actor, detail: { batchId: batch.batch_id, notYetDelivered: batch.total - batch.processed }, at: now.toISOString() },
        ]);
      }
      const changed: { recipient_id: string; previous: RecipientState }[] = await m.query(
        `WITH u AS (UPDATE inbox_entries e SET state = 'CANCELLED', cancelled_at = $2
           FROM (SELECT recipient_id, state AS previous FROM inbox_entries WHERE notice_id = $1 AND state = ANY($3::text[])) p
          WHERE e.notice_id = $1 AND e.recipient_id = p.recipient_id
         RETURNING e.recipient_id, p.previous) SELECT * FROM u`,
        [input.noticeId, now, CANCELLABLE_STATES],
      );
      const bulk = batch !== null && this.env.BATCH_DELIVERED_EVENTS === 'per-batch';
      await this.recorder.transitions(
        m,
        { noticeId: input.noticeId, agencyId: input.agencyId, batchId: batch?.batch_id ?? null },
        changed.map((c) => ({ recipientId: c.recipient_id, from: c.previous, to: 'CANCELLED' as const, actor: input.actor, reason: input.reason })),
        now,
        { events: !bulk, webhooks: batch === null },
      );
      return { noticeId: input.noticeId, cancelled: changed.length };
    });
  }
}
