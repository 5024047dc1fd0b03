import { Inject, Injectable } from '@nestjs/common';
import { TransactionRunner } from '@darvazeh/database';
import { NotificationJobs } from '../domain/notification-jobs.js';

@Injectable()
export class PgNotificationJobs extends NotificationJobs {
  constructor(@Inject(TransactionRunner) private readonly tx: TransactionRunner) {
    super();
  }

  override async claimNext(): Promise<{ notice_id: string; after_recipient: string; subject: string } | null> {
    const jobs: { notice_id: string; after_recipient: string; subject: string }[] = await this.tx.manager().query(
      `SELECT j.notice_id, j.after_recipient, n.subject FROM notification_jobs j JOIN notices n USING (notice_id)
        WHERE NOT j.done ORDER BY j.created_at LIMIT 1 FOR UPDATE OF j SKIP LOCKED`,
    );
    return jobs[0] ?? null;
  }

  override async recipientsAfter(noticeId: string, afterRecipient: string, limit: number): Promise<string[]> {
    const rows: { recipient_id: string }[] = await this.tx.manager().query(
      `SELECT recipient_id FROM inbox_entries WHERE notice_id = $1 AND recipient_id > $2 AND state IN ('DELIVERED','EFFECTIVE') ORDER BY recipient_id LIMIT $3`,
      [noticeId, afterRecipient, limit],
    );
    return rows.map((r) => r.recipient_id);
  }

  override async advance(noticeId: string, lastRecipient: string, done: boolean): Promise<void> {
    await this.tx.manager().query('UPDATE notification_jobs SET after_recipient = $2, done = $3 WHERE notice_id = $1', [noticeId, lastRecipient, done]);
  }
}
