import { Inject, Injectable } from '@nestjs/common';
import { TransactionRunner } from '@darvazeh/database';
import { KarpooshehEnv } from '../../config/karpoosheh.env.js';
import { Notifier, type NewNoticeNotification } from '../domain/notifier.js';

/**
 * Drains the notification queue at NOTIFY_RATE_PER_SECOND at most: a job per notice walks its
 * delivered entries in recipient order from a stored position, so a million-recipient notice is
 * a million messages spread over time, not a million rows queued, nor a burst. Each step sends
 * at most one second's budget and then waits out the rest of that second.
 */
@Injectable()
export class NotificationDispatcher {
  private windowStart = 0;
  private sentInWindow = 0;

  constructor(
    @Inject(TransactionRunner) private readonly tx: TransactionRunner,
    @Inject(Notifier) private readonly notifier: Notifier,
    @Inject(KarpooshehEnv) private readonly env: KarpooshehEnv,
  ) {}

  async step(): Promise<boolean> {
    const now = Date.now();
    if (now - this.windowStart >= 1000) {
      this.windowStart = now;
      this.sentInWindow = 0;
    }
    const budget = this.env.NOTIFY_RATE_PER_SECOND - this.sentInWindow;
    if (budget <= 0) {
      await new Promise((r) => setTimeout(r, 1000 - (now - this.windowStart)));
      return true;
    }
    const sent = await this.tx.run(async (m) => {
      const jobs: { notice_id: string; after_recipient: string; subject: string }[] = await m.query(
        `SELECT j.notice_id, j.after_recipient, n.subject FROM notification_jobs j JOIN notices n USING (notice_id)
          WHERE NOT j.done ORDER BY j.created_at LIMIT 1 FOR UPDATE OF j SKIP LOCKED`,
      );
      const job = jobs[0];
      if (!job) return -1;
      const rows: { recipient_id: string }[] = await m.query(
        `SELECT recipient_id FROM inbox_entries WHERE notice_id = $1 AND recipient_id > $2 AND state IN ('DELIVERED','EFFECTIVE') ORDER BY recipient_id LIMIT $3`,
        [job.notice_id, job.after_recipient, budget],
      );
      const batch: NewNoticeNotification[] = rows.map((r) => ({ recipientId: r.recipient_id, noticeId: job.notice_id, subject: job.subject }));
      if (batch.length > 0) await this.notifier.notify(batch);
      const last = rows.length > 0 ? rows[rows.length - 1].recipient_id : job.after_recipient;
      await m.query('UPDATE notification_jobs SET after_recipient = $2, done = $3 WHERE notice_id = $1', [job.notice_id, last, rows.length < budget]);
      return batch.length;
    });
    if (sent < 0) return false;
    this.sentInWindow += sent;
    return true;
  }
}
