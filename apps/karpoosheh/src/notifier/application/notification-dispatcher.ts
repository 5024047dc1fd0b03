import { Inject, Injectable } from '@nestjs/common';
import { TransactionRunner } from '@darvazeh/database';
import { KarpooshehEnv } from '../../config/karpoosheh.env.js';
import { NotificationJobs } from '../domain/notification-jobs.js';
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
    @Inject(NotificationJobs) private readonly jobs: NotificationJobs,
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
    const sent = await this.tx.run(async () => {
      const job = await this.jobs.claimNext();
      if (!job) return -1;
      const recipients = await this.jobs.recipientsAfter(job.notice_id, job.after_recipient, budget);
      const batch: NewNoticeNotification[] = recipients.map((recipientId) => ({ recipientId, noticeId: job.notice_id, subject: job.subject }));
      if (batch.length > 0) await this.notifier.notify(batch);
      const last = recipients.length > 0 ? recipients[recipients.length - 1] : job.after_recipient;
      await this.jobs.advance(job.notice_id, last, recipients.length < budget);
      return batch.length;
    });
    if (sent < 0) return false;
    this.sentInWindow += sent;
    return true;
  }
}
