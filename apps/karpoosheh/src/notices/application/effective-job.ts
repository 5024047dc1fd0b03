import { Inject, Injectable } from '@nestjs/common';
import { TransactionRunner } from '@darvazeh/database';
import { KarpooshehEnv } from '../../config/karpoosheh.env.js';
import { Clock } from '../../shared/domain/clock.js';
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
    @Inject(TransitionRecorder) private readonly recorder: TransitionRecorder,
    @Inject(Clock) private readonly clock: Clock,
    @Inject(KarpooshehEnv) private readonly env: KarpooshehEnv,
  ) {}

  /** One chunk; returns how many entries became EFFECTIVE (0 = nothing due). */
  async step(limit = 5000): Promise<number> {
    const now = this.clock.now();
    const cutoff = new Date(now.getTime() - this.env.EFFECTIVE_AFTER_DAYS * 86_400_000);
    return this.tx.run(async (m) => {
      const due: { notice_id: string; agency_id: string }[] = await m.query(
        `SELECT e.notice_id, n.agency_id FROM inbox_entries e JOIN notices n USING (notice_id)
          WHERE e.state = 'DELIVERED' AND e.delivered_at <= $1 LIMIT 1`,
        [cutoff],
      );
      if (!due[0]) return 0;
      const { notice_id: noticeId, agency_id: agencyId } = due[0];
      await m.query('SELECT 1 FROM notices WHERE notice_id = $1 FOR UPDATE', [noticeId]);
      const changed: { recipient_id: string }[] = await m.query(
        `WITH u AS (UPDATE inbox_entries SET state = 'EFFECTIVE', effective_at = delivered_at + make_interval(days => $3)
          WHERE (notice_id, recipient_id) IN (
            SELECT notice_id, recipient_id FROM inbox_entries WHERE notice_id = $1 AND state = 'DELIVERED' AND delivered_at <= $2 LIMIT $4 FOR UPDATE)
         RETURNING recipient_id) SELECT * FROM u`,
        [noticeId, cutoff, this.env.EFFECTIVE_AFTER_DAYS, limit],
      );
      const batch: { batch_id: string }[] = await m.query('SELECT batch_id FROM batches WHERE notice_id = $1', [noticeId]);
      await this.recorder.transitions(
        m,
        { noticeId, agencyId, batchId: batch[0]?.batch_id ?? null },
        changed.map((c) => ({ recipientId: c.recipient_id, from: 'DELIVERED' as const, to: 'EFFECTIVE' as const, actor: 'system', reason: `unopened for ${this.env.EFFECTIVE_AFTER_DAYS} days` })),
        now,
        { webhooks: batch.length === 0 },
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
