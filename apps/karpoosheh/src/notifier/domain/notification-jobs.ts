/**
 * Port of the notification queue: one job per notice with a stored position (recipient order).
 * Implementations join the ambient transaction; a claim row-locks the job (SKIP LOCKED).
 */
export abstract class NotificationJobs {
  abstract claimNext(): Promise<{ notice_id: string; after_recipient: string; subject: string } | null>;
  /** Delivered (or deemed delivered) recipients of the notice after `afterRecipient`, in order. */
  abstract recipientsAfter(noticeId: string, afterRecipient: string, limit: number): Promise<string[]>;
  abstract advance(noticeId: string, lastRecipient: string, done: boolean): Promise<void>;
}
